package main

import (
	"os"
	"path/filepath"
	"testing"

	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/music"
)

// TestBandScore writes the band as a MusicXML score with the style's
// feel on (swing-rhythm for medium swing): the score is the grid, every
// note on a sixteenth or eighth-note triplet, in the bars played, with
// the band's parts; the MIDI of the same command is the humanized band,
// its notes swung and moved off that grid.
func TestBandScore(t *testing.T) {
	dir := t.TempDir()
	xml := filepath.Join(dir, "blues.musicxml")
	status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--choruses", "2", "--seed", "4", "-o", xml)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	data, err := os.ReadFile(xml)
	if err != nil {
		t.Fatal(err)
	}
	c, err := musicxml.Decoder{Source: "blues.musicxml"}.DecodeBytes(data)
	if err != nil {
		t.Fatalf("the score does not read back: %v", err)
	}
	if len(c.Parts) < 3 {
		t.Fatalf("%d parts in the score, want bass, piano and drums", len(c.Parts))
	}
	if len(c.Bars) < 24 {
		t.Errorf("%d bars for two choruses of a 12-bar blues", len(c.Bars))
	}
	off := func(ns []music.Note) int {
		n := 0
		for _, x := range ns {
			if x.Start%music.PPQ%80 != 0 {
				n++
			}
		}
		return n
	}
	p := c.Perform(1)
	for _, part := range p.Parts {
		if k := off(part.Notes); k > 0 {
			t.Errorf("%s: %d of %d notes off the written grid", part.Name, k, len(part.Notes))
		}
	}
	mid := filepath.Join(dir, "blues.mid")
	if status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--choruses", "2", "--seed", "4", "-o", mid); status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	b, err := os.ReadFile(mid)
	if err != nil {
		t.Fatal(err)
	}
	f, err := midi.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	played := midi.ToPiece(f, "blues.mid")
	total, moved := 0, 0
	for _, part := range played.Parts {
		total += len(part.Notes)
		moved += off(part.Notes)
	}
	t.Logf("MIDI: %d of %d notes off the written grid", moved, total)
	if moved < total/4 {
		t.Errorf("the MIDI has %d of %d notes off the written grid: the score and the MIDI are the same notes", moved, total)
	}
}
