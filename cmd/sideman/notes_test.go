package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// noteLine is a line of inspect --notes --json, read as a user's program
// reads it.
type noteLine struct {
	ID       uint64  `json:"id"`
	Part     int     `json:"part"`
	Bar      int     `json:"bar"`
	Beat     float64 `json:"beat"`
	Pitch    int     `json:"pitch"`
	Duration float64 `json:"duration"`
	Velocity int     `json:"velocity"`
	Origin   struct {
		Kind      string `json:"kind"`
		Generator string `json:"generator"`
	} `json:"origin"`
}

func inspectNotes(t *testing.T, path string) []noteLine {
	t.Helper()
	status, out, errs := sideman(t, "inspect", path, "--notes", "--json")
	if status != 0 {
		t.Fatalf("inspect --notes %s: status %d: %s", path, status, errs)
	}
	var lines []noteLine
	if err := json.Unmarshal([]byte(out), &lines); err != nil {
		t.Fatal(err)
	}
	return lines
}

// A band on a real lead sheet (Dear Old Stockholm, Impro-Visor) with its
// melody, a count-in, an intro and an ending, converted MIDI to MIDI and
// humanized: inspect --notes lists the same notes at every step, every id
// once and unchanged, with the same maker; the humanized notes moved.
// The text listing says the same, one note a line.
func TestNotesSurviveTheCommands(t *testing.T) {
	ls := leadSheets(t)[2]
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.mid"), filepath.Join(dir, "b.mid"), filepath.Join(dir, "c.mid")
	for _, args := range [][]string{
		{"band", ls.path, "--choruses", "3", "--count-in", "1", "--intro", "--ending", "--feel", "none", "--seed", "9", "-o", a},
		{"convert", a, "-o", b},
		{"humanize", b, "--feel", "swing-rhythm", "--seed", "3", "-o", c},
	} {
		if status, _, errs := sideman(t, args...); status != 0 {
			t.Fatalf("%v: status %d: %s", args, status, errs)
		}
	}
	want := inspectNotes(t, a)
	byID := map[uint64]noteLine{}
	kinds := map[string]int{}
	for _, l := range want {
		if _, ok := byID[l.ID]; ok || l.ID == 0 {
			t.Fatalf("id %d twice or zero", l.ID)
		}
		byID[l.ID] = l
		kinds[l.Origin.Kind+" "+l.Origin.Generator]++
	}
	if kinds["imported "] < 100 || kinds["machine-generated band/bass/walking"] < 100 || kinds["machine-generated band/count-in"] == 0 {
		t.Fatalf("notes by maker %v: want the melody, the band and the count-in", kinds)
	}
	for _, path := range []string{b, c} {
		got := inspectNotes(t, path)
		if len(got) != len(want) {
			t.Fatalf("%s: %d notes, want %d", path, len(got), len(want))
		}
		moved := 0
		for _, l := range got {
			w, ok := byID[l.ID]
			if !ok || l.Pitch != w.Pitch || l.Part != w.Part || l.Origin != w.Origin {
				t.Fatalf("%s: note %+v, was %+v", path, l, w)
			}
			if l.Bar != w.Bar || l.Beat != w.Beat {
				moved++
			}
		}
		if path == b && moved != 0 || path == c && moved < len(got)/2 {
			t.Errorf("%s: %d of %d notes moved", path, moved, len(got))
		}
	}
	status, out, errs := sideman(t, "inspect", a, "--notes")
	if status != 0 {
		t.Fatalf("inspect --notes: %d %s", status, errs)
	}
	text := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(text) != len(want) {
		t.Fatalf("%d lines, want one a note (%d)", len(text), len(want))
	}
	for i, line := range text {
		f := strings.Split(line, "\t")
		w := want[i]
		gen := w.Origin.Generator
		if gen == "" {
			gen = "-"
		}
		if len(f) != 8 || f[0] != strconv.FormatUint(w.ID, 10) || f[2] != strconv.Itoa(w.Bar)+":"+strconv.FormatFloat(w.Beat, 'f', -1, 64) ||
			f[3] != strconv.Itoa(w.Pitch) || f[6] != w.Origin.Kind || f[7] != gen {
			t.Fatalf("line %d %q, want %+v", i, line, w)
		}
	}
}

// inspect --notes lists a lead sheet's notes as played once through, and
// refuses a chord chart, which has none.
func TestInspectNotesLeadSheet(t *testing.T) {
	lines := inspectNotes(t, "../../project/testdata/little-head.abc")
	// Eight notes played twice (the repeat) and the last one.
	if len(lines) != 17 || lines[0].Bar != 1 || lines[0].Beat != 1 || lines[16].Bar != 5 || lines[16].Duration != 4 {
		t.Fatalf("%d notes, first %+v, last %+v", len(lines), lines[0], lines[len(lines)-1])
	}
	refusedInOneLine(t, []string{"inspect", "../../examples/blues-f.chart", "--notes"}, "blues-f.chart", "no notes")
}
