package load

import (
	"regexp"

	"sideman/music"
)

// genericPartName is a part name an exporter writes when the score names
// none: MusicXML's "MusicXML Part" (Finale's and MuseScore's default),
// "Part 1", "P1", a sequencer's "Track 1", "Staff 1", "Untitled", "".
var genericPartName = regexp.MustCompile(`(?i)^\s*(musicxml part|part|p|track|staff|instrument|untitled|unnamed|noname)?\s*\d*\s*$`)

// NameMelody names a chart's melody part "Melody" where the file gave it
// only an exporter's default name, which tells a musician nothing (the
// studio's mixer showed "MusicXML Part"). The melody part is the first
// cast as the melody, else the only pitched part. Every reader's charts
// pass here once (Bytes, OpenTune, Solo; project's heard charts), so the
// name is the same wherever the tune is shown or written.
func NameMelody(c *music.Chart) {
	melody, pitched, only := -1, 0, -1
	for i, p := range c.Parts {
		if p.Role == music.RoleDrums || p.Channel == 9 {
			continue
		}
		pitched, only = pitched+1, i
		if p.Role == music.RoleMelody && melody < 0 {
			melody = i
		}
	}
	if melody < 0 && pitched == 1 {
		melody = only
	}
	if melody >= 0 && genericPartName.MatchString(c.Parts[melody].Name) {
		c.Parts[melody].Name = "Melody"
	}
}
