package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// vary writes the top K into a new folder with its index; says on stderr
// when the motif gave fewer than asked; refuses a folder with files in it
// in one line, exit 2, before any work.
func TestVaryCommand(t *testing.T) {
	tmp := t.TempDir()
	mod := filepath.Join(tmp, "c.model")
	if st, _, errs := sideman(t, "model", "learn", fewChorales(t, 30), "-o", mod); st != 0 {
		t.Fatalf("model learn: %d %s", st, errs)
	}
	lick := filepath.Join(tmp, "lick.mid")
	var ns []music.Note
	for i, p := range []uint8{65, 69, 72, 74, 75, 74, 72, 69} {
		ns = append(ns, music.Note{Pitch: p, Velocity: 90, Start: music.Ticks(i) * 480, Duration: 440})
	}
	if err := writeFile(lick, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "sax", Notes: ns}}})
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "vars")
	st, stdout, errs := sideman(t, "vary", lick, "--chart", "../../examples/blues-f.chart", "--model", mod, "-n", "300", "--top", "4", "-o", out)
	if st != 0 || stdout != "" || errs != "" {
		t.Fatalf("vary: status %d, stdout %q, stderr %q", st, stdout, errs)
	}
	var ix struct {
		Made       int `json:"made"`
		Variations []struct {
			File      string `json:"file"`
			Operators []struct{ Op, Params string }
		} `json:"variations"`
	}
	js, err := os.ReadFile(filepath.Join(out, "index.json"))
	if err != nil || json.Unmarshal(js, &ix) != nil || ix.Made != 300 || len(ix.Variations) != 4 {
		t.Fatalf("index: %v %s", err, js)
	}
	for _, v := range ix.Variations {
		if _, err := os.Stat(filepath.Join(out, v.File)); err != nil || len(v.Operators) == 0 {
			t.Errorf("%s: %v, operators %v", v.File, err, v.Operators)
		}
	}
	st, _, errs = sideman(t, "vary", lick, "--model", mod, "-n", "10", "-o", out)
	if st != 2 || !strings.Contains(errs, "not empty") || strings.Count(errs, "\n") != 1 {
		t.Errorf("over a folder with files: status %d, stderr %q", st, errs)
	}
	two := filepath.Join(tmp, "two.mid")
	if err := writeFile(two, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Notes: ns[:2]}}})
	}); err != nil {
		t.Fatal(err)
	}
	st, _, errs = sideman(t, "vary", two, "--model", mod, "-n", "500000", "--top", "2", "-o", filepath.Join(tmp, "few"))
	if st != 0 || !strings.Contains(errs, "distinct variations of the 500000 asked for") {
		t.Errorf("fewer: status %d, stderr %q", st, errs)
	}
	if st, _, _ := sideman(t, "vary", lick, "-o", filepath.Join(tmp, "x")); st != 2 {
		t.Errorf("no -n: status %d", st)
	}
}
