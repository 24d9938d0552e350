package project

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sideman/feel"
	"sideman/load"
)

// A feel learned from a band's MIDI file has the roles the band played;
// what the input holds wrong is the input's, named, and a failure of the
// machine reading it is not (it was all reported as bad input).
func TestLearnFeel(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var p Project
	perf, err := p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Choruses: 4})
	if err != nil {
		t.Fatal(err)
	}
	mid := filepath.Join(dir, "band.mid")
	write(t, mid, perf.EncodeMIDI)
	l, err := p.LearnFeel(ctx, LearnOptions{From: "midi", Paths: []string{mid}, Name: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Profile.Name != "mine" || l.Profile.Roles[feel.Bass] == nil || l.Profile.Roles[feel.Ride] == nil || len(l.Read) != 1 || l.Read[0] != 1 {
		t.Errorf("learned %q, roles %d, read %v; want mine with bass and ride, from 1 performance", l.Profile.Name, len(l.Profile.Roles), l.Read)
	}

	bad := filepath.Join(dir, "bad.mid")
	os.WriteFile(bad, []byte("MThd\x00"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		what string
		ctx  context.Context
		opt  LearnOptions
		want Kind
		name string
	}{
		{"missing file", ctx, LearnOptions{From: "midi", Paths: []string{filepath.Join(dir, "none.mid")}}, NotFound, "none.mid"},
		{"malformed file", ctx, LearnOptions{From: "midi", Paths: []string{bad}}, BadInput, "bad.mid"},
		{"not a corpus", ctx, LearnOptions{From: "gmd", Paths: []string{empty}}, NotFound, "empty"},
		{"unknown kind", ctx, LearnOptions{From: "tapes", Paths: []string{mid}}, BadInput, "tapes"},
		{"unknown recipe", ctx, LearnOptions{Recipe: "polka", Data: dir}, NotFound, "polka"},
		{"recipe without corpora", ctx, LearnOptions{Recipe: "swing-rhythm", Data: empty}, NotFound, "empty"},
	} {
		_, err := p.LearnFeel(tc.ctx, tc.opt)
		if KindOf(err) != tc.want || err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: %v, kind %v; want %v naming %s", tc.what, err, KindOf(err), tc.want, tc.name)
		}
	}
	if _, err := p.LearnFeel(cancelled, LearnOptions{From: "midi", Paths: []string{mid}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// corpusError: the machine's failures are sideman's (Internal), the
// data's the input's.
func TestCorpusErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want Kind
	}{
		{&fs.PathError{Op: "read", Path: "x.csv", Err: syscall.EIO}, Internal},
		{&fs.PathError{Op: "open", Path: "x.csv", Err: syscall.EMFILE}, Internal},
		{&fs.PathError{Op: "open", Path: "x.csv", Err: syscall.ENOENT}, NotFound},
		{&fs.PathError{Op: "open", Path: "x.csv", Err: syscall.EISDIR}, BadInput},
		{errors.New("wjazzd: csv_beats/x.csv: bar 3 beat 2 twice"), BadInput},
		{&load.InputError{Name: "x.mid", Err: errors.New("midi: truncated")}, BadInput},
		{context.Canceled, Internal},
	} {
		if got := KindOf(corpusError("corpus", tc.err)); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}

// Evaluating needs the corpora: a folder without them is not found; runs
// out of range are refused.
func TestEvalFeelKinds(t *testing.T) {
	var p Project
	_, err := p.EvalFeel(context.Background(), EvalOptions{Data: t.TempDir(), Runs: 1})
	if KindOf(err) != NotFound {
		t.Errorf("no corpora: %v, kind %v", err, KindOf(err))
	}
	var oe *OptionError
	if _, err := p.EvalFeel(context.Background(), EvalOptions{Data: t.TempDir(), Runs: 101}); !errors.As(err, &oe) || oe.Option != "runs" {
		t.Errorf("101 runs: %v", err)
	}
}

// The demo plays a bundled chart and says what its MIDI file holds: the
// band's notes, every one machine-made; an unknown chart is not found.
func TestDemo(t *testing.T) {
	var p Project
	d, err := p.Demo(context.Background(), DemoOptions{Chart: "waltz-f", Choruses: 1})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.Bytes("demo.mid", d.MIDI)
	if err != nil {
		t.Fatal(err)
	}
	n := d.Performance.Piece.NoteCount()
	if d.Chart.Title == "" || doc.Piece.NoteCount() != n || d.Summary.Notes == nil || *d.Summary.Notes != n || d.Summary.Origins["machine-generated"] != n {
		t.Errorf("demo of %q: %d notes played, %d in the file, summary %+v", d.Chart.Title, n, doc.Piece.NoteCount(), d.Summary)
	}
	if _, err := p.Demo(context.Background(), DemoOptions{Chart: "polka"}); KindOf(err) != NotFound {
		t.Errorf("unknown chart: %v, kind %v", err, KindOf(err))
	}
	if _, err := p.Demo(context.Background(), DemoOptions{Choruses: 65}); KindOf(err) != BadInput {
		t.Errorf("65 choruses: %v, kind %v", err, KindOf(err))
	}
}
