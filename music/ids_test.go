package music

import (
	"slices"
	"testing"
)

// NumberChart gives the written notes without an id theirs, bar by bar,
// above the ids the chart's notes have, which it keeps.
func TestNumberChart(t *testing.T) {
	c := &Chart{Bars: []Bar{
		{Notes: []Note{{Pitch: 60}, {ID: 40, Pitch: 62}}},
		{},
		{Notes: []Note{{Pitch: 64}, {Pitch: 65}}},
	}}
	ids := NewIDs(7)
	ids.NumberChart(c)
	var got []NoteID
	for _, b := range c.Bars {
		for _, n := range b.Notes {
			got = append(got, n.ID)
		}
	}
	if want := []NoteID{41, 40, 42, 43}; !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if next := ids.Next(); next != 44 {
		t.Errorf("next id %d, want 44", next)
	}
	// Numbered once: a second pass changes nothing.
	ids.NumberChart(c)
	if c.Bars[2].Notes[1].ID != 43 {
		t.Errorf("numbered again: %d", c.Bars[2].Notes[1].ID)
	}
}

// The same key gives the same ids; other keys, other ranges.
func TestIDsFor(t *testing.T) {
	a, b, other := IDsFor("band\x00blues"), IDsFor("band\x00blues"), IDsFor("band\x00bossa")
	x, y, z := a.Next(), b.Next(), other.Next()
	if x != y || x == z || x == 0 || x >= MaxID || z >= MaxID {
		t.Errorf("ids %d %d %d: want the first two equal, the third apart, all in 1..2^53", x, y, z)
	}
	if d := max(x, z) - min(x, z); d < idSpan {
		t.Errorf("ranges %d apart, want %d at least", d, idSpan)
	}
}
