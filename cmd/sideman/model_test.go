package main

import (
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sideman/format/wjazzd"
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

	// The user's model folder: empty here, then holding the model.
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	status, stdout, errs = sideman(t, "model", "list", out)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if status != 0 || len(lines) != 2 || strings.Fields(lines[1])[0] != "chorales" || !strings.Contains(lines[1], strconv.Itoa(notes)+" notes") {
		t.Errorf("model list: status %d, %q (%s); want the built-in model, then the name chorales first", status, stdout, errs)
	}
	// The built-in models come first, marked; then the user's folder's.
	status, stdout, errs = sideman(t, "model", "list")
	if f := strings.Split(stdout, "\t"); status != 0 || strings.Count(stdout, "\n") != 1 || f[0] != "jazz" || f[1] != "built-in" || !strings.Contains(stdout, "456 pieces") {
		t.Errorf("model list: status %d, %q, %q; want one line, the built-in jazz model of 456 solos", status, stdout, errs)
	}
	dir2 := filepath.Join(os.Getenv("XDG_DATA_HOME"), "sideman", "models")
	os.MkdirAll(dir2, 0o755)
	data, _ := os.ReadFile(out)
	os.WriteFile(filepath.Join(dir2, "bach.model"), data, 0o644)
	status, stdout, errs = sideman(t, "model", "list")
	lines = strings.Split(strings.TrimSpace(stdout), "\n")
	if status != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "jazz\tbuilt-in") || !strings.HasPrefix(lines[1], "bach\t"+filepath.Join(dir2, "bach.model")) {
		t.Errorf("model list: status %d, %q, %q; want jazz built-in, then bach from the user's folder", status, stdout, errs)
	}
}

// model eval reads a WJazzD export as package model's tests read the
// solos (format/wjazzd, the melody with the beat file's chords), grouped
// by performer: the figure it prints is the library's on the same solos.
func TestModelEvalWJazzD(t *testing.T) {
	dir := shareddata.Dir(t, "wjazzd")
	ms, data, err := shareddata.ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
	if err != nil {
		t.Fatal(err)
	}
	sub := t.TempDir()
	melody, beats := map[string][]byte{}, map[string][]byte{}
	var names []string
	for i, m := range ms {
		switch path.Base(path.Dir(m.Name)) {
		case "csv_melody":
			melody[path.Base(m.Name)] = data[i]
			names = append(names, path.Base(m.Name))
		case "csv_beats":
			beats[path.Base(m.Name)] = data[i]
		}
	}
	slices.Sort(names)
	var mels []model.Melody
	for i, n := range names {
		if i%12 != 0 { // 38 solos, of 24 performers
			continue
		}
		s, err := wjazzd.DecodeSoloBytes(melody[n], beats[n])
		if err != nil {
			t.Fatal(err)
		}
		s.Name = n
		c, err := s.Chart(nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.FromChart(c, "")
		if err != nil {
			t.Fatal(err)
		}
		m.Title, _, _ = strings.Cut(n, "_")
		mels = append(mels, m)
		for folder, d := range map[string][]byte{"csv_melody": melody[n], "csv_beats": beats[n]} {
			os.MkdirAll(filepath.Join(sub, folder), 0o755)
			if err := os.WriteFile(filepath.Join(sub, folder, n), d, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg := model.DefaultConfig()
	cfg.Order, cfg.Unbounded = 3, false
	want, err := model.Evaluation{Config: cfg, Folds: 5}.Run(context.Background(), mels)
	if err != nil {
		t.Fatal(err)
	}
	status, stdout, errs := sideman(t, "model", "eval", sub, "--folds", "5", "--order", "3", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var got model.Result
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	var how struct {
		GroupedBy string `json:"grouped_by"`
	}
	if json.Unmarshal([]byte(stdout), &how); how.GroupedBy != "performer" {
		t.Errorf("model eval of WJazzD: grouped by %q, want performer", how.GroupedBy)
	}
	t.Logf("%d solos, %d notes: both %.6f (library %.6f)", got.Pieces, got.Notes, got.Bits.Both, want.Bits.Both)
	if got != want {
		t.Errorf("model eval: %+v; the library on the same solos: %+v", got, want)
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
	if got["pieces"] != 30.0 || got["notes"] != float64(want.Notes) || got["folds"] != 5.0 || got["grouped_by"] != "title" ||
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
