package load

import (
	"testing"

	"sideman/music"
)

// A lead sheet exported with the exporter's default part name reads with
// its melody named "Melody"; a name a person gave stays.
func TestNameMelody(t *testing.T) {
	sheet := func(part string) []byte {
		return []byte(`<?xml version="1.0"?><score-partwise><part-list><score-part id="P1"><part-name>` + part + `</part-name></score-part></part-list>` +
			`<part id="P1"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>` +
			`<harmony><root><root-step>C</root-step></root><kind>major</kind></harmony>` +
			`<note><pitch><step>E</step><octave>4</octave></pitch><duration>4</duration></note></measure></part></score-partwise>`)
	}
	for part, want := range map[string]string{"MusicXML Part": "Melody", "Part 1": "Melody", "P1": "Melody", "Track 2": "Melody", "": "Melody", "Trumpet": "Trumpet", "Partita": "Partita"} {
		d, err := Bytes("tune.musicxml", sheet(part))
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Charts[0].Parts[0].Name; got != want {
			t.Errorf("part-name %q reads as %q, want %q", part, got, want)
		}
	}
	// Of several parts, the one cast as the melody; no other is renamed.
	c := &music.Chart{Parts: []music.Part{{Name: "Part 1"}, {Name: "Part 2", Role: music.RoleMelody}, {Name: "Part 3", Channel: 9}}}
	NameMelody(c)
	if c.Parts[0].Name != "Part 1" || c.Parts[1].Name != "Melody" || c.Parts[2].Name != "Part 3" {
		t.Errorf("parts %q %q %q, want only the melody named Melody", c.Parts[0].Name, c.Parts[1].Name, c.Parts[2].Name)
	}
	// Of several parts none cast as the melody, none is (a quartet's).
	c = &music.Chart{Parts: []music.Part{{Name: "Part 1"}, {Name: "Part 2"}}}
	if NameMelody(c); c.Parts[0].Name != "Part 1" || c.Parts[1].Name != "Part 2" {
		t.Errorf("parts %q %q, want none renamed", c.Parts[0].Name, c.Parts[1].Name)
	}
}
