package project

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/music"
)

// Every operation's error says whose fault it is: a missing file is not
// found, a malformed one bad input, a chord chart to render or humanize
// unsupported, an option out of range bad input.
func TestErrorKinds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mid")
	os.WriteFile(bad, []byte("MThd\x00"), 0o644)
	nc := filepath.Join(dir, "nc.chart")
	os.WriteFile(nc, []byte("title: nothing\n| N.C. |\n"), 0o644)
	blues := "../examples/blues-f.chart"
	var p Project
	for _, tc := range []struct {
		what string
		err  func() error
		want Kind
	}{
		{"missing", func() error { _, err := p.Open(ctx, filepath.Join(dir, "none.chart")); return err }, NotFound},
		{"malformed", func() error { _, err := p.Open(ctx, bad); return err }, BadInput},
		{"no chords", func() error { _, err := p.Play(ctx, nc, PlayOptions{}); return err }, BadInput},
		{"render a chart", func() error { _, err := p.Render(ctx, blues); return err }, Unsupported},
		{"humanize a chart", func() error { _, err := p.Humanize(ctx, blues, HumanizeOptions{Feel: "ballad", Amount: 1}); return err }, Unsupported},
		{"transpose MIDI", func() error {
			tr := music.Transposition{Semitones: 2}
			_, err := p.Convert(ctx, "../format/midi/testdata/format1.mid", ConvertOptions{To: FormatMIDI, Transpose: &tr})
			return err
		}, Unsupported},
		{"choruses", func() error { _, err := p.Play(ctx, blues, PlayOptions{Choruses: 65}); return err }, BadInput},
		{"amount", func() error { _, err := p.Humanize(ctx, bad, HumanizeOptions{Feel: "ballad", Amount: 2}); return err }, BadInput},
		{"style", func() error { _, err := p.Play(ctx, blues, PlayOptions{Style: "polka"}); return err }, NotFound},
		{"feel", func() error { _, err := p.Play(ctx, blues, PlayOptions{Feel: "sway"}); return err }, NotFound},
		{"tune", func() error { _, err := p.Play(ctx, blues, PlayOptions{Tune: "Nope"}); return err }, BadInput},
	} {
		err := tc.err()
		if got := KindOf(err); err == nil || got != tc.want {
			t.Errorf("%s: %v, kind %v; want %v", tc.what, err, got, tc.want)
		}
	}
	if k := KindOf(errors.New("disk full")); k != Internal {
		t.Errorf("an error of sideman's own is %v", k)
	}
}

// A band cancelled through its context stops within a bar's work: the
// players are asked for no bar after the one during which it was
// cancelled, and Play returns the context's error.
func TestPlayCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const stopAt = 3
	asked := 0
	l := lineup.Standard()
	walking := l.Player("bass", "walking")
	l.Add("bass", "walking", func(g *band.Gig) band.Player {
		p := walking(g)
		return band.PlayerFunc(func(from, to int, heard []music.Note) []music.Note {
			asked = to
			if to == stopAt {
				cancel()
			}
			return p.Play(from, to, heard)
		})
	})
	p := Project{Lineup: l}
	_, err := p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Choruses: 4, Style: "medium swing"})
	if !errors.Is(err, context.Canceled) || asked != stopAt {
		t.Errorf("cancelled at bar %d: %v, the bass asked up to bar %d", stopAt, err, asked)
	}
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// An encoder's refusal of the music is the input's (Unsupported, naming
// it); a failure of the writer it writes to is not, and passes as it is;
// a format Convert does not write is an option refused.
func TestEncodeErrorKinds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	grace := filepath.Join(dir, "grace.abc")
	os.WriteFile(grace, []byte("X:1\nT:Grace\nM:4/4\nL:1/8\nK:C\n\"C\"C/8\"F\"D15/8 F2 G2 A2 | \"G\"G8 |\n"), 0o644)
	var p Project
	conv, err := p.Convert(ctx, grace, ConvertOptions{To: FormatChart})
	if err != nil {
		t.Fatal(err)
	}
	var e *Error
	err = conv.Encode(io.Discard)
	if KindOf(err) != Unsupported || !errors.As(err, &e) || e.Name != grace {
		t.Errorf("a chord off the .chart grid: %v, kind %v; want unsupported, naming %s", err, KindOf(err), grace)
	}
	full := errors.New("no space left on device")
	for _, to := range []Format{FormatChart, FormatABC, FormatMusicXML, FormatMIDI} {
		conv, err := p.Convert(ctx, "../examples/blues-f.chart", ConvertOptions{To: to})
		if err != nil {
			t.Fatal(err)
		}
		if err := conv.Encode(failingWriter{full}); !errors.Is(err, full) || KindOf(err) != Internal {
			t.Errorf("%v to a full disk: %v, kind %v; want the writer's error, internal", to, err, KindOf(err))
		}
	}
	perf, err := p.Play(ctx, "../examples/blues-f.chart", PlayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := perf.EncodeScore(failingWriter{full}); !errors.Is(err, full) || KindOf(err) != Internal {
		t.Errorf("a score to a full disk: %v, kind %v", err, KindOf(err))
	}
	_, err = p.Convert(ctx, "../examples/blues-f.chart", ConvertOptions{To: Format(99)})
	var oe *OptionError
	if !errors.As(err, &oe) || KindOf(err) != BadInput {
		t.Errorf("format 99: %v, kind %v; want an option refused", err, KindOf(err))
	}
}
