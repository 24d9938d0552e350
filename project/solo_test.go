package project

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/improv"
	"sideman/model"
	"sideman/music"
)

// scalesModel writes a small model file learned from scales and arpeggios
// over F7 (enough to solo from, not to swing), and returns its path.
func scalesModel(t *testing.T) string {
	t.Helper()
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var mel model.Melody
	f7, err := music.ParseChord("F7")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		p := 53 + (i*7)%32
		mel.Events = append(mel.Events, model.Event{Pitch: p, Onset: music.Ticks(i * 480), Duration: 480, Tonic: 5, HasChord: true,
			Root: 5, Tones: f7.PitchClasses(), Bar: i / 8, Beat: (i % 8) / 2, Offset: music.Ticks(i%2) * 480, BeatTicks: 960})
	}
	m.Learn(mel)
	path := filepath.Join(t.TempDir(), "scales.model")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := model.Encode(f, m); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// A solo over the blues: one part without the band, the band's and the
// solo's with it, the solo's notes the same; every solo note's Origin
// names the model file's hash.
func TestSolo(t *testing.T) {
	mpath := scalesModel(t)
	data, _ := os.ReadFile(mpath)
	p := &Project{}
	opt := SoloOptions{Model: mpath, Choruses: 2, Adventure: 0.5, Density: 0.5, Seed: 3}
	alone, err := p.Solo(context.Background(), "../examples/blues-f.chart", opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.WithBand = true
	both, err := p.Solo(context.Background(), "../examples/blues-f.chart", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(alone.Piece.Parts) != 1 || len(both.Piece.Parts) < 3 {
		t.Fatalf("%d parts alone, %d with the band", len(alone.Piece.Parts), len(both.Piece.Parts))
	}
	solo := both.Piece.Parts[len(both.Piece.Parts)-1]
	if len(solo.Notes) != len(alone.Piece.Parts[0].Notes) || len(solo.Notes) < 24*2 {
		t.Fatalf("%d solo notes with the band, %d alone", len(solo.Notes), len(alone.Piece.Parts[0].Notes))
	}
	for i, n := range solo.Notes {
		if a := alone.Piece.Parts[0].Notes[i]; a.ID != n.ID || a.Pitch != n.Pitch {
			t.Fatalf("note %d: %d/%d with the band, %d/%d alone", i, n.ID, n.Pitch, a.ID, a.Pitch)
		}
		o := n.Origin.Root()
		if o.Generator != improv.Generator || !strings.Contains(o.Params, fmt.Sprintf("model-sha256=%x", sha256.Sum256(data))) {
			t.Fatalf("note %d: origin %v", i, o)
		}
	}
	var buf bytes.Buffer
	if err := both.EncodeMIDI(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := midi.DecodePiece(&buf); err != nil {
		t.Fatal(err)
	}
}

func TestSoloRefuses(t *testing.T) {
	mpath := scalesModel(t)
	p := &Project{}
	for _, opt := range []SoloOptions{
		{Model: mpath, Adventure: 1.5},
		{Model: mpath, Density: -1},
		{Model: mpath, Range: "60-65"},
		{Model: mpath, Range: "H3-C6"},
		{Model: "no-such-model"},
		{Model: "../examples/blues-f.chart"},
	} {
		_, err := p.Solo(context.Background(), "../examples/blues-f.chart", opt)
		var oe *OptionError
		var pe *Error
		if !errors.As(err, &oe) && !(errors.As(err, &pe) && pe.Kind != Internal) {
			t.Errorf("%+v: %v, want a bad option or input", opt, err)
		}
	}
}

// With no model named the soloist plays from the built-in jazz model, and
// every note's Origin names it by its hash.
func TestSoloBuiltinModel(t *testing.T) {
	p := &Project{}
	_, info, err := p.LoadModel(context.Background(), DefaultSoloModel)
	if err != nil || !info.Builtin {
		t.Fatalf("built-in %q: %+v, %v", DefaultSoloModel, info, err)
	}
	s, err := p.Solo(context.Background(), "../examples/blues-f.chart", SoloOptions{Adventure: 0.5, Density: 0.5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	notes := s.Piece.Parts[0].Notes
	if len(notes) < 24 {
		t.Fatalf("%d notes in a chorus of the blues", len(notes))
	}
	for i, n := range notes {
		if o := n.Origin.Root(); !strings.Contains(o.Params, "model-sha256="+info.Hash) {
			t.Fatalf("note %d: origin %v, want the built-in model's hash %s", i, o, info.Hash)
		}
	}
}
