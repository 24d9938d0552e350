package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/model"
)

// fewChorales writes the first n chorales of the shared Bach archive to a
// folder of .krn files.
func fewChorales(t *testing.T, n int) string {
	t.Helper()
	return shareddata.Unpack(t, "bach-chorales/bach-370-chorales-kern.tar.gz", ".krn", n)
}

// sopranos reads the chorales' soprano as package model reads it.
func sopranos(t *testing.T, dir string) []model.Melody {
	t.Helper()
	var mels []model.Melody
	for d, err := range load.Collection(dir) {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Charts {
			m, err := model.FromChart(c, "")
			if err != nil {
				t.Fatal(err)
			}
			mels = append(mels, m)
		}
	}
	return mels
}

// model learn writes a model of every chorale given, which reads back
// with the notes of their sopranos; model list names it first.
func TestModelLearnAndList(t *testing.T) {
	dir := fewChorales(t, 20)
	mels := sopranos(t, dir)
	notes := 0
	for _, m := range mels {
		notes += len(m.Events)
	}
	out := filepath.Join(t.TempDir(), "chorales.model")
	status, stdout, errs := sideman(t, "model", "learn", dir, "-o", out, "--viewpoints", "cpitch,cpint*dur")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if stdout != "" || !strings.Contains(errs, "20 pieces, "+strconv.Itoa(notes)+" notes learned") {
		t.Errorf("stdout %q, stderr %q: want nothing on stdout, the pieces and notes on stderr", stdout, errs)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var vps []string
	for _, v := range m.Config().Viewpoints {
		vps = append(vps, v.Name)
	}
	if m.Pieces != 20 || m.Notes != notes || strings.Join(vps, ",") != "cpitch,cpint*dur" {
		t.Errorf("model of %d pieces, %d notes, viewpoints %v; want 20, %d, cpitch and cpint*dur", m.Pieces, m.Notes, vps, notes)
	}

	status, stdout, errs = sideman(t, "model", "list", out)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if status != 0 || len(lines) != 1 || strings.Fields(lines[0])[0] != "chorales" || !strings.Contains(lines[0], strconv.Itoa(notes)+" notes") {
		t.Errorf("model list: status %d, %q (%s); want one line, the name chorales first", status, stdout, errs)
	}
	// Nothing is built in yet: the list is empty, and says so on stderr.
	status, stdout, errs = sideman(t, "model", "list")
	if status != 0 || stdout != "" || !strings.Contains(errs, "no built-in models") {
		t.Errorf("model list: status %d, %q, %q", status, stdout, errs)
	}
}

// model eval prints the figures package model gives for the same
// melodies and options, as JSON with the fields the issue names, or as
// one line.
func TestModelEval(t *testing.T) {
	dir := fewChorales(t, 30)
	mels := sopranos(t, dir)
	status, stdout, errs := sideman(t, "model", "eval", dir, "--viewpoints", "cpitch", "--folds", "5", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want, err := model.Evaluation{Config: model.PitchOnly(), Folds: 5}.Run(context.Background(), mels)
	if err != nil {
		t.Fatal(err)
	}
	bits, _ := got["bits_per_note"].(map[string]any)
	if got["pieces"] != 30.0 || got["notes"] != float64(want.Notes) || got["folds"] != 5.0 || got["grouped_by_title"] != true ||
		bits["ltm"] != want.Bits.LTM || bits["stm"] != want.Bits.STM || bits["both"] != want.Bits.Both {
		t.Errorf("model eval --json:\n%s\nwant %+v", stdout, want)
	}

	status, stdout, errs = sideman(t, "model", "eval", dir, "--folds-ungrouped", "--seed", "2")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	want, err = model.Evaluation{Config: model.DefaultConfig(), Ungrouped: true, Seed: 2}.Run(context.Background(), mels)
	if err != nil {
		t.Fatal(err)
	}
	line := "30 pieces, " + strconv.Itoa(want.Notes) + " notes, 10 folds ungrouped: bits per note ltm " +
		strconv.FormatFloat(want.Bits.LTM, 'f', 3, 64) + " stm " + strconv.FormatFloat(want.Bits.STM, 'f', 3, 64) +
		" both " + strconv.FormatFloat(want.Bits.Both, 'f', 3, 64) + "\n"
	if stdout != line {
		t.Errorf("model eval: %q, want %q", stdout, line)
	}
}

func TestModelBadInput(t *testing.T) {
	dir := fewChorales(t, 12)
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(tmp, "junk.model")
	os.WriteFile(junk, []byte("not a model at all"), 0o644)
	out := filepath.Join(tmp, "out.model")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"model", "eval", dir, "--viewpoints", "cpitch,pitchh"}, `viewpoint "pitchh": unknown viewpoint`},
		{[]string{"model", "learn", dir, "--viewpoints", "dur", "-o", out}, `viewpoint "dur" does not depend on pitch`},
		{[]string{"model", "learn", empty, "-o", out}, "holds no file sideman reads"},
		{[]string{"model", "eval", "../../examples/blues-f.chart"}, "no melody"},
		{[]string{"model", "eval", dir, "--voice", "9"}, "voice 9 of 4 parts"},
		{[]string{"model", "eval", dir, "--folds", "1"}, "--folds must be 2 or more"},
		{[]string{"model", "eval", dir, "--folds", "40"}, "fewer titles than folds"},
		{[]string{"model", "list", junk}, "junk.model: byte 0: not a sideman model file"},
		{[]string{"model", "list", filepath.Join(tmp, "none.model")}, "none.model"},
		{[]string{"model", "learn", dir, "-o", filepath.Join(tmp, "x.feel")}, "want .model"},
		{[]string{"model", "learn", junk, "-o", junk}, "is an input of the command"},
		{[]string{"model", "learn", dir}, "want one CORPUS or more"},
		{[]string{"model", "lern"}, `did you mean "learn"`},
	} {
		status, stdout, errs := sideman(t, tc.args...)
		if status != 2 || stdout != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want 2 and one line saying %q", tc.args, status, stdout, errs, tc.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed model learn wrote its output")
	}
	if data, _ := os.ReadFile(junk); string(data) != "not a model at all" {
		t.Error("model learn overwrote its input")
	}
}
