package project

import (
	"strings"

	"sideman/load"
	"sideman/music"
)

// heard tells a document whose tunes are heard, not written: a MIDI
// file, which carries notes and no chord symbols.
func heard(d *load.Document) bool {
	return d != nil && d.Piece != nil && len(d.Charts) == 0
}

// tuneOf is the tune sel picks of d, or c where openTune picked it
// already. A MIDI file's one tune is the chart of the chords heard in
// its notes (HeardChart), as Play and Trade play it: sel picks it by its
// index (0) or title as it picks a written one.
func tuneOf(d *load.Document, c *music.Chart, sel string) (*music.Chart, error) {
	if c != nil {
		return c, nil
	}
	if !heard(d) {
		return d.Tune(sel)
	}
	h, err := HeardChart(d)
	if err != nil {
		return nil, err
	}
	return (&load.Document{Name: d.Name, Charts: []*music.Chart{h}}).Tune(sel)
}

// heardSummary is a heard tune as Inspect shows it: what the summary of
// a written tune says, that it was heard, its pickup and its chords bar
// by bar (which no file holds to read).
func heardSummary(c *music.Chart) TuneSummary {
	s := summarizeTune(c)
	s.Heard, s.Pickup = true, c.Pickup()
	for _, pb := range c.Unroll(1) {
		var chords []string
		for _, ch := range pb.Bar.Chords {
			chords = append(chords, ch.Chord.String())
		}
		s.Changes = append(s.Changes, strings.Join(chords, " "))
	}
	return s
}
