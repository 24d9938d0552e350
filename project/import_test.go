package project_test

import (
	"context"
	"path/filepath"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
	"sideman/project"
)

// A MIDI file imported carries its tune on the chart heard in it: the
// Nottingham rendering of "A and A's Waltz" (a quarter's pickup, then
// 3/4) opens as a chart with that pickup and the ABC source's melody,
// note for note, its notes the file's own (their ids).
func TestOpenBytesHearsTheTune(t *testing.T) {
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, "nottingham/nottingham-MIDI.tar.gz"), func(n string) bool { return n == "nottingham-midi/MIDI/ashover1.mid" })
	if err != nil || len(ms) != 1 {
		t.Fatalf("ashover1.mid: %v (%d found)", err, len(ms))
	}
	src, err := load.Open(filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "ashover.abc"))
	if err != nil {
		t.Fatal(err)
	}
	written, err := src.Tune("A and A's Waltz")
	if err != nil {
		t.Fatal(err)
	}
	p := &project.Project{IDs: music.NewIDs(1)}
	d, err := p.OpenBytes(context.Background(), "ashover1.mid", data[0])
	if err != nil {
		t.Fatal(err)
	}
	c := d.Charts[0]
	if !c.Pickup() || c.BarMeters()[0] != written.BarMeters()[0] {
		t.Errorf("heard a pickup %v in %s; the ABC writes one in %s", c.Pickup(), c.BarMeters()[0], written.BarMeters()[0])
	}
	read := map[music.NoteID]bool{}
	for _, part := range d.Piece.Parts {
		for _, n := range part.Notes {
			read[n.ID] = true
		}
	}
	var heard []music.Note
	for _, b := range c.Bars {
		for _, n := range b.Notes {
			if n.ID == 0 || !read[n.ID] {
				t.Fatalf("melody note %+v is not a note the file holds", n)
			}
		}
	}
	for _, part := range c.Perform(1).Parts {
		heard = append(heard, part.Notes...)
	}
	var want []music.Note
	for _, part := range written.Perform(1).Parts {
		want = append(want, part.Notes...)
	}
	same := 0
	at := map[[2]int]int{}
	for _, n := range heard {
		at[[2]int{int(n.Start / (music.PPQ / 8)), int(n.Pitch)}]++
	}
	for _, n := range want {
		k := [2]int{int(n.Start / (music.PPQ / 8)), int(n.Pitch)}
		if at[k] > 0 {
			at[k]--
			same++
		}
	}
	t.Logf("%d melody notes heard, %d written, %d the same", len(heard), len(want), same)
	if len(want) == 0 || 10*same < 9*len(want) || 10*same < 9*len(heard) {
		t.Errorf("%d of %d written notes heard (of %d heard), want nine in ten", same, len(want), len(heard))
	}
}
