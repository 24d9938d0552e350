package project

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/model"
	"sideman/music"
)

// varyInputs writes a model learned from 60 chorales and a motif: the
// F blues lick of bars 1 and 2 (F A C D, Eb D C A; bar 1 of the file
// is bar 1 of examples/blues-f.chart).
func varyInputs(t *testing.T) (modelPath, motifPath string) {
	t.Helper()
	tmp := t.TempDir()
	var p Project
	m, err := p.LearnModel(context.Background(), ModelOptions{Paths: []string{fewChorales(t, 60)}})
	if err != nil {
		t.Fatal(err)
	}
	modelPath = filepath.Join(tmp, "chorales.model")
	var b bytes.Buffer
	if err := model.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(modelPath, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var ns []music.Note
	e := music.Ticks(480)
	for i, p := range []uint8{65, 69, 72, 74, 75, 74, 72, 69} {
		ns = append(ns, music.Note{Pitch: p, Velocity: 90, Start: music.Ticks(i) * e, Duration: e - 40})
	}
	piece := &music.Piece{Title: "lick", Parts: []music.Part{{Name: "sax", Role: music.RoleMelody, Notes: ns}}}
	b.Reset()
	if err := midi.EncodePiece(&b, piece); err != nil {
		t.Fatal(err)
	}
	motifPath = filepath.Join(tmp, "lick.mid")
	if err := os.WriteFile(motifPath, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return modelPath, motifPath
}

func TestVary(t *testing.T) {
	modelPath, motifPath := varyInputs(t)
	ctx := context.Background()
	var p Project
	opt := VaryOptions{Chart: "../examples/blues-f.chart", N: 400, Top: 5, Novelty: 0.5, Model: modelPath, Seed: 3}
	v, err := p.Vary(ctx, motifPath, opt)
	if err != nil {
		t.Fatal(err)
	}
	if v.Made != 400 || len(v.Pieces) != 5 {
		t.Fatalf("made %d, %d pieces", v.Made, len(v.Pieces))
	}
	motifIDs := map[music.NoteID]bool{}
	for _, n := range v.Motif.Notes {
		motifIDs[n.ID] = true
	}
	for i, pc := range v.Pieces {
		for _, n := range pc.Parts[0].Notes {
			o := n.Origin
			if o.Kind != music.MachineTransformed || o.Generator != "improv/vary" || !strings.Contains(o.Params, "ops=") ||
				!strings.Contains(o.Params, "seed=3") || !strings.Contains(o.Params, "hash="+v.ModelHash) || motifIDs[n.ID] {
				t.Fatalf("variation %d: note %d origin %+v", i+1, n.ID, o)
			}
			for _, id := range o.DerivedFrom {
				if !motifIDs[id] {
					t.Fatalf("variation %d derives from %d, not a motif note", i+1, id)
				}
			}
		}
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := v.WriteDir(ctx, dir); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 6 {
		t.Fatalf("%d files written, want 5 and the index", len(ents))
	}
	var ix VaryIndex
	js, _ := os.ReadFile(filepath.Join(dir, "index.json"))
	if err := json.Unmarshal(js, &ix); err != nil {
		t.Fatal(err)
	}
	// File names only: no path of the user's machine in an export.
	if strings.ContainsAny(ix.Motif+ix.Chart, `/\`) || ix.Motif == "" {
		t.Errorf("index.json names motif %q, chart %q: want file names only", ix.Motif, ix.Chart)
	}
	for i, e := range ix.Variations {
		if e.File == "" || len(e.Operators) == 0 || len(e.DerivedFrom) == 0 || e.BitsPerNote <= 0 || e.Score < 0 {
			t.Errorf("index entry %d: %+v", i+1, e)
		}
		if i > 0 && e.Score > ix.Variations[i-1].Score {
			t.Errorf("index not best first: %v after %v", e.Score, ix.Variations[i-1].Score)
		}
		f, err := os.Open(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		got, err := midi.DecodePiece(f)
		f.Close()
		if err != nil || len(got.Parts) == 0 || len(got.Parts[0].Notes) != e.Notes {
			t.Errorf("%s: %v, notes differ from the index's %d", e.File, err, e.Notes)
		}
	}
	// Never over a folder with files in it, which stays as it was.
	if err := v.WriteDir(ctx, dir); KindOf(err) != BadInput {
		t.Errorf("writing again: %v, want bad input", err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "index.json")); !bytes.Equal(again, js) {
		t.Error("the index changed")
	}
	if err := v.WriteDir(ctx, motifPath); KindOf(err) != BadInput {
		t.Errorf("writing over a file: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".sideman-*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	// Same seed, same notes.
	w, _ := p.Vary(ctx, motifPath, opt)
	for i := range v.Pieces {
		a, b := v.Pieces[i].Parts[0].Notes, w.Pieces[i].Parts[0].Notes
		if len(a) != len(b) {
			t.Fatalf("same seed, variation %d differs", i+1)
		}
		for j := range a {
			if a[j].Pitch != b[j].Pitch || a[j].Start != b[j].Start || a[j].ID != b[j].ID {
				t.Fatalf("same seed, variation %d note %d differs", i+1, j)
			}
		}
	}
}

func TestVaryFewer(t *testing.T) {
	modelPath, _ := varyInputs(t)
	// Two notes, a fourth apart: few ways to vary them.
	piece := &music.Piece{Parts: []music.Part{{Notes: []music.Note{{Pitch: 67, Velocity: 80, Duration: 400}, {Pitch: 62, Velocity: 80, Start: 480, Duration: 400}}}}}
	var b bytes.Buffer
	if err := midi.EncodePiece(&b, piece); err != nil {
		t.Fatal(err)
	}
	motifPath := filepath.Join(t.TempDir(), "two.mid")
	if err := os.WriteFile(motifPath, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var p Project
	v, err := p.Vary(context.Background(), motifPath, VaryOptions{N: 200000, Top: 3, Model: modelPath})
	if err != nil {
		t.Fatal(err)
	}
	if v.Made >= 200000 || v.Made == 0 || len(v.Pieces) != 3 {
		t.Fatalf("a 2-note motif without a chart gave %d of 200000, %d written", v.Made, len(v.Pieces))
	}
	t.Logf("2 notes without a chart: %d distinct variations", v.Made)
}

func TestVaryBadInput(t *testing.T) {
	modelPath, motifPath := varyInputs(t)
	ctx := context.Background()
	var p Project
	for _, tc := range []struct {
		name, motif string
		opt         VaryOptions
		kind        Kind
		msg         string
	}{
		{"n", motifPath, VaryOptions{N: 0, Model: modelPath}, BadInput, "n 0"},
		{"novelty", motifPath, VaryOptions{N: 10, Novelty: 2, Model: modelPath}, BadInput, "novelty 2"},
		{"chart as motif", "../examples/blues-f.chart", VaryOptions{N: 10, Model: modelPath}, Unsupported, "not a MIDI file"},
		{"no model", motifPath, VaryOptions{N: 10, Model: filepath.Join(t.TempDir(), "none.model")}, NotFound, "none.model"},
		{"model not a model", motifPath, VaryOptions{N: 10, Model: motifPath}, BadInput, "not a sideman model"},
	} {
		_, err := p.Vary(ctx, tc.motif, tc.opt)
		if KindOf(err) != tc.kind || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v (%v), want %v %q", tc.name, err, KindOf(err), tc.kind, tc.msg)
		}
	}
}
