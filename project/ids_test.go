package project

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// sheet is a small lead sheet of our own: a melody with a repeat and
// chords, so a band plays it with the head in and out.
const sheet = "testdata/little-head.abc"

// byID is every note of a piece by id; it fails on an id given twice or
// a note without one.
func byID(t *testing.T, what string, p *music.Piece) map[music.NoteID]music.Note {
	t.Helper()
	out := map[music.NoteID]music.Note{}
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			if n.ID == 0 {
				t.Fatalf("%s: a note without an id: %+v", what, n)
			}
			if _, ok := out[n.ID]; ok {
				t.Fatalf("%s: id %d twice", what, n.ID)
			}
			out[n.ID] = n
		}
	}
	return out
}

// readBack reads a MIDI file as sideman reads its own: ids and Origins
// from its provenance records.
func readBack(t *testing.T, path string) *music.Piece {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := midi.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return midi.PieceOptions{Provenance: true}.ToPiece(f, filepath.Base(path))
}

func write(t *testing.T, path string, encode func(io.Writer) error) {
	t.Helper()
	var b bytes.Buffer
	if err := encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameOrigin reports whether two Origins say the same: kind, who,
// source, generator, parameters, derivation and steps.
func sameOrigin(a, b *music.Origin) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Kind == b.Kind && a.Who == b.Who && a.Source == b.Source && a.Generator == b.Generator && a.Version == b.Version &&
		a.Params == b.Params && a.Step == b.Step && slices.Equal(a.DerivedFrom, b.DerivedFrom) && sameOrigin(a.Base, b.Base)
}

// A band on a lead sheet with its melody, written to MIDI, converted MIDI
// to MIDI, humanized and read back, in one project: every note keeps its
// id and its Origin at every step (humanizing adds its step), no id is
// given twice, and the melody's notes are the sheet's written notes the
// first time through and derived from them after.
func TestIDsSurviveTheWorkflow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	proj := &Project{IDs: music.NewIDs(1)}
	doc, err := proj.Open(ctx, sheet)
	if err != nil {
		t.Fatal(err)
	}
	written := map[music.NoteID]music.Note{}
	for _, b := range doc.Charts[0].Bars {
		for _, n := range b.Notes {
			written[n.ID] = n
		}
	}
	perf, err := proj.PlayDocument(ctx, doc, PlayOptions{Choruses: 3, Seed: 5, Feel: "none"})
	if err != nil {
		t.Fatal(err)
	}
	played := byID(t, "band", perf.Piece)
	for id := range written {
		if _, ok := played[id]; !ok {
			t.Errorf("written note %d is not played with its own id in the head in", id)
		}
	}
	derived := 0
	for id, n := range played {
		if n.Origin == nil {
			t.Fatalf("note %d has no Origin", id)
		}
		if n.Origin.Kind != music.Imported {
			continue
		}
		if _, ok := written[id]; ok {
			continue
		}
		derived++
		var w music.Note
		ok := len(n.Origin.DerivedFrom) == 1
		if ok {
			w, ok = written[n.Origin.DerivedFrom[0]]
		}
		if !ok || w.Pitch != n.Pitch || n.Origin.Source != "little-head.abc" {
			t.Errorf("melody note %d: origin %+v, want one derived from a written note of the same key", id, n.Origin)
		}
	}
	// Head in: the repeat's second time; head out: the whole head again.
	if derived != 2*len(written)-1+len(written)-1 {
		t.Errorf("%d melody notes played again, want %d", derived, 3*len(written)-2)
	}
	if next := proj.IDs.Next(); next <= slices.Max(slices.Collect(maps.Keys(played))) {
		t.Errorf("the project hands out id %d, which a note has", next)
	}

	a := filepath.Join(dir, "a.mid")
	write(t, a, perf.EncodeMIDI)
	conv, err := proj.Convert(ctx, a, ConvertOptions{To: FormatMIDI})
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "b.mid")
	write(t, b, conv.Encode)
	h, err := proj.Humanize(ctx, b, HumanizeOptions{Feel: "swing-rhythm", Amount: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := filepath.Join(dir, "c.mid")
	write(t, c, h.EncodeMIDI)

	for _, step := range []struct {
		path      string
		humanized bool
	}{{a, false}, {b, false}, {c, true}} {
		got := byID(t, step.path, readBack(t, step.path))
		if len(got) != len(played) {
			t.Fatalf("%s: %d notes, want %d", step.path, len(got), len(played))
		}
		for id, want := range played {
			n, ok := got[id]
			switch {
			case !ok:
				t.Fatalf("%s: note %d is gone", step.path, id)
			case n.Pitch != want.Pitch:
				t.Fatalf("%s: note %d is key %d, was %d", step.path, id, n.Pitch, want.Pitch)
			case !step.humanized && !sameOrigin(n.Origin, want.Origin):
				t.Fatalf("%s: note %d: origin %+v, was %+v", step.path, id, n.Origin, want.Origin)
			case step.humanized && (n.Origin.Step != "humanize" || !sameOrigin(n.Origin.Base, want.Origin)):
				t.Fatalf("%s: note %d: origin %+v, want %+v humanized", step.path, id, n.Origin, want.Origin)
			}
		}
	}
	// And as the list a musician reads.
	lines, err := proj.Notes(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(played) {
		t.Fatalf("%d notes listed, want %d", len(lines), len(played))
	}
	for _, l := range lines {
		n := played[l.ID]
		if r := n.Origin.Root(); l.Origin.Kind != n.Origin.Kind.String() || l.Origin.Generator != r.Generator || l.Pitch != int(n.Pitch) {
			t.Fatalf("listed %+v, played %+v", l, n)
		}
	}
}

// Outside a project the same work gives the same ids (same seed, same
// output), and other work lands in other ids, so that files made
// separately can join a project later.
func TestIDsOutsideAProject(t *testing.T) {
	ctx := context.Background()
	play := func(seed int64, feel string) map[music.NoteID]music.Note {
		var p Project
		perf, err := p.Play(ctx, sheet, PlayOptions{Choruses: 2, Seed: seed, Feel: feel})
		if err != nil {
			t.Fatal(err)
		}
		return byID(t, "band", perf.Piece)
	}
	one, again, grid, other := play(1, ""), play(1, ""), play(1, "none"), play(2, "")
	for id, n := range one {
		if m, ok := again[id]; !ok || m.Start != n.Start || m.Pitch != n.Pitch || m.Duration != n.Duration || m.Velocity != n.Velocity || !sameOrigin(m.Origin, n.Origin) {
			t.Fatalf("the same band twice: note %d differs", id)
		}
		if m, ok := grid[id]; !ok || m.Pitch != n.Pitch {
			t.Fatalf("note %d is not on the grid with the same key: the feel must keep ids", id)
		}
		if _, ok := other[id]; ok && n.Origin.Kind == music.MachineGenerated {
			t.Fatalf("another seed's band has id %d too", id)
		}
	}
}
