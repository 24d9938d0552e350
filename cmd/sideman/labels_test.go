package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// In a project, a trade's exported tracks say who made them: the
// drummer's answers are the drummer's, who plays by rules ("Drums
// (sideman drummer)", not "sideman model"); the soloist's are a model's;
// the band's drums the band's.
func TestTradeTrackLabels(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatal(errs)
	}
	human := filepath.Join(dir, "fours.mid")
	var ns []music.Note
	for i, p := range []uint8{65, 69, 72, 70, 69, 72, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60} {
		ns = append(ns, music.Note{Pitch: p, Velocity: 90, Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ - 20})
	}
	if err := writeFile(human, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "trumpet", Notes: ns}}})
	}); err != nil {
		t.Fatal(err)
	}
	names := func(with string) map[string]bool {
		t.Helper()
		out := filepath.Join(root, with+".mid")
		if st, _, errs := runSideman(t, "trade", "../../examples/blues-f.chart", "--human", human, "--with", with, "--with-band", "--project", root, "-o", out); st != 0 {
			t.Fatalf("trade --with %s: %d %s", with, st, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		f, err := midi.DecodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for i := range f.Tracks {
			got[trackName(&f.Tracks[i])] = true
		}
		return got
	}
	drums := names("drums")
	if !drums["Drums (sideman drummer)"] || !drums["Drums (sideman band)"] {
		t.Errorf("trade --with drums: tracks %v, want the drummer's answers as Drums (sideman drummer) beside the band's Drums (sideman band)", drums)
	}
	for name := range drums {
		if strings.Contains(name, "sideman model") {
			t.Errorf("trade --with drums: track %q says a model made it; the drummer plays none", name)
		}
	}
	if solo := names("soloist"); !solo["Sideman (sideman model)"] {
		t.Errorf("trade --with soloist: tracks %v, want the answers as Sideman (sideman model)", solo)
	}
}
