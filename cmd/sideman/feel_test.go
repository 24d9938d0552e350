package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sideman/feel"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
)

func TestFeelList(t *testing.T) {
	status, out, errs := sideman(t, "feel", "list")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	names := feel.BuiltinNames()
	if len(lines) != len(names) || len(names) < 6 {
		t.Fatalf("%d lines for %d feels:\n%s", len(lines), len(names), out)
	}
	for i, l := range lines {
		if f := strings.Fields(l); len(f) < 2 || f[0] != names[i] {
			t.Errorf("line %q: want the name %s first, then a description", l, names[i])
		}
	}
}

// readPiece reads a MIDI file as the commands do, with the provenance
// sideman records.
func readPiece(t *testing.T, path string) *music.Piece {
	t.Helper()
	d, err := load.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Piece == nil {
		t.Fatalf("%s: no piece", path)
	}
	return d.Piece
}

// A band on the grid, humanized by the command: the same notes, ids and
// kinds of origin, marked processed, off the grid, the same for the same
// seed; and mido, which nobody here wrote, reads every note of it.
func TestHumanizeCommand(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.mid")
	if s, _, e := sideman(t, "band", "../../examples/blues-f.chart", "--choruses", "2", "--feel", "none", "-o", grid); s != 0 {
		t.Fatal(e)
	}
	out := func(name string, args ...string) string {
		p := filepath.Join(dir, name)
		args = append([]string{"humanize", grid, "--feel", "swing-rhythm", "-o", p}, args...)
		if s, _, e := sideman(t, args...); s != 0 {
			t.Fatalf("%v: %s", args, e)
		}
		return p
	}
	a, b, c := out("a.mid", "--seed", "4"), out("b.mid", "--seed", "4"), out("c.mid", "--seed", "5")
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	cb, _ := os.ReadFile(c)
	if !bytes.Equal(ab, bb) {
		t.Error("same seed, different files")
	}
	if bytes.Equal(ab, cb) {
		t.Error("different seeds, same file")
	}
	before, after := readPiece(t, grid), readPiece(t, a)
	if before.NoteCount() != after.NoteCount() {
		t.Fatalf("%d notes became %d", before.NoteCount(), after.NoteCount())
	}
	ids := map[music.NoteID]music.Ticks{}
	for _, part := range before.Parts {
		for _, n := range part.Notes {
			ids[n.ID] = n.Start
		}
	}
	moved := 0
	for _, part := range after.Parts {
		for _, n := range part.Notes {
			start, ok := ids[n.ID]
			if !ok {
				t.Fatalf("note id %d is new", n.ID)
			}
			if n.Origin == nil || n.Origin.Kind != music.MachineGenerated || !strings.Contains(strings.Join(n.Origin.Steps(), " "), "humanize") {
				t.Fatalf("note %d: origin %v, want machine-generated and humanized", n.ID, n.Origin)
			}
			if n.Start != start {
				moved++
			}
		}
	}
	if moved < after.NoteCount()/2 {
		t.Errorf("only %d of %d notes moved", moved, after.NoteCount())
	}
	// Amount 0 leaves every note where it was.
	zero := readPiece(t, out("zero.mid", "--amount", "0"))
	for _, part := range zero.Parts {
		for _, n := range part.Notes {
			if n.Start != ids[n.ID] {
				t.Fatalf("--amount 0 moved note %d", n.ID)
			}
		}
	}
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import mido").Run(); err != nil {
		if shareddata.Required() {
			t.Fatalf("%s cannot import mido: %v; install python3-mido", python, err)
		}
		t.Skipf("no mido: %v", err)
	}
	got, err := exec.Command(python, "-c", `import mido,sys
m = mido.MidiFile(sys.argv[1])
print(sum(1 for t in m.tracks for e in t if e.type == "note_on" and e.velocity > 0))`, a).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(string(got))); n != after.NoteCount() {
		t.Errorf("mido reads %d notes, we wrote %d", n, after.NoteCount())
	}
}

// The band plays with the style's feel unless told --feel none.
func TestBandFeel(t *testing.T) {
	dir := t.TempDir()
	onGrid := func(args ...string) float64 {
		p := filepath.Join(dir, "x.mid")
		if s, _, e := sideman(t, append([]string{"band", "../../examples/bossa-d.chart", "-o", p}, args...)...); s != 0 {
			t.Fatal(e)
		}
		piece := readPiece(t, p)
		var on, all int
		for _, part := range piece.Parts {
			for _, n := range part.Notes {
				all++
				if n.Start%(music.PPQ/12) == 0 {
					on++
				}
			}
		}
		return float64(on) / float64(all)
	}
	if g := onGrid("--feel", "none"); g < 0.99 {
		t.Errorf("--feel none: %.2f of notes on the grid", g)
	}
	if g := onGrid(); g > 0.5 {
		t.Errorf("default feel: %.2f of notes still on the grid", g)
	}
}

func TestFeelBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.feel")
	os.WriteFile(bad, []byte("{\n  \"name\": \"x\",\n  \"roles\": {\"bass\": {\"hurst\": 9}}\n}\n"), 0o644)
	grid := filepath.Join(dir, "g.mid")
	if s, _, e := sideman(t, "band", "../../examples/blues-f.chart", "--feel", "none", "-o", grid); s != 0 {
		t.Fatal(e)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"humanize", grid, "--feel", "nosuch", "-o", filepath.Join(dir, "o.mid")}, "no feel"},
		{[]string{"humanize", grid, "--feel", bad, "-o", filepath.Join(dir, "o.mid")}, "bad.feel: line 1: role bass: hurst 9"},
		{[]string{"humanize", grid, "--feel", "ballad", "--amount", "2", "-o", filepath.Join(dir, "o.mid")}, "--amount"},
		{[]string{"humanize", "../../examples/blues-f.chart", "--feel", "ballad", "-o", filepath.Join(dir, "o.mid")}, "not a MIDI file"},
		{[]string{"band", "../../examples/blues-f.chart", "--feel", bad, "-o", filepath.Join(dir, "o.mid")}, "hurst"},
		{[]string{"feel", "learn", "--from", "midi", filepath.Join(dir, "missing.mid"), "-o", filepath.Join(dir, "x.feel")}, "missing.mid"},
		{[]string{"feel", "learn", "--from", "tapes", grid, "-o", filepath.Join(dir, "x.feel")}, "--from"},
		{[]string{"feel", "plot", "nosuch", "-o", filepath.Join(dir, "x.svg")}, "no feel"},
		{[]string{"feel", "dance"}, "unknown feel command"},
	} {
		status, _, errs := sideman(t, c.args...)
		first := strings.SplitN(errs, "\n", 2)[0]
		if status != 2 || !strings.Contains(first, c.want) {
			t.Errorf("%v: status %d, first line %q; want 2 and %q", c.args, status, first, c.want)
		}
	}
}

// A feel learned from a MIDI file reads back, and plots.
func TestFeelLearnMIDIAndPlot(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "band.mid")
	if s, _, e := sideman(t, "band", "../../examples/blues-f.chart", "--choruses", "4", "-o", mid); s != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(dir, "mine.feel")
	if s, _, e := sideman(t, "feel", "learn", "--from", "midi", mid, "-o", out); s != 0 {
		t.Fatal(e)
	}
	p, err := openFeel(out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "mine" || p.Roles[feel.Bass] == nil || p.Roles[feel.Ride] == nil {
		t.Errorf("learned %s with roles %v", p.Name, keys(p.Roles))
	}
	svg := filepath.Join(dir, "mine.svg")
	if s, _, e := sideman(t, "feel", "plot", out, "-o", svg); s != 0 {
		t.Fatal(e)
	}
	if b, _ := os.ReadFile(svg); !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("mine")) {
		t.Error("no SVG of the feel")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFeelEval(t *testing.T) {
	shareddata.Dir(t, "groove-midi")
	shareddata.Dir(t, "wjazzd")
	status, out, errs := sideman(t, "feel", "eval", "--json", "--runs", "1")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	for _, want := range []string{`"corpus": "Groove MIDI test split"`, `"corpus": "WJazzD solos of held-out performers"`, `"humanized"`, `"fluctuation_exponent": null`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
}
