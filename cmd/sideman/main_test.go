package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/project"
)

// sideman runs a command line in-process and returns its exit status,
// stdout and stderr.
func sideman(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	status := run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestInspectChartJSON(t *testing.T) {
	status, out, errs := sideman(t, "inspect", "../../examples/rhythm-changes-bb.chart", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var got struct {
		Format string `json:"format"`
		Tunes  []struct {
			Title, Composer string
			Key, Meter      *string
			Bars, Chords    int
		} `json:"tunes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Format != "chart" || len(got.Tunes) != 1 {
		t.Fatalf("%+v", got)
	}
	tune := got.Tunes[0]
	// AABA with the A repeated through first and second endings: 8+8+8+8 bars.
	if tune.Bars != 32 || tune.Key == nil || *tune.Key != "Bb" || tune.Meter == nil || *tune.Meter != "4/4" {
		t.Errorf("%+v", tune)
	}
	// Chord changes of one chorus: 16 in the first A, 15 in the second
	// (its second ending resolves to Bb6), 4 in the bridge, 15 in the last A.
	if tune.Chords != 50 {
		t.Errorf("chords = %d", tune.Chords)
	}
}

func TestInspectMissingKeyIsNull(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.chart")
	os.WriteFile(p, []byte("title: x\n| C | G7 | C |\n"), 0o644)
	status, out, _ := sideman(t, "inspect", p, "--json")
	if status != 0 || !strings.Contains(out, `"key": null`) || !strings.Contains(out, `"meter": null`) {
		t.Fatalf("status %d\n%s", status, out)
	}
}

func TestBadInputOneLineExit2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		return p
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"inspect", write("bad.chart", "| C |\n| Xq7 |")}, "bad.chart: chart: line 2, column 3"},
		{[]string{"inspect", write("bad.mid", "MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk\x00\x00\x00\x08\x00\x40\x40\x00")}, "bad.mid: midi: byte"},
		{[]string{"inspect", filepath.Join(dir, "missing.chart")}, "missing.chart"},
		{[]string{"inspect"}, "want one PATH"},
		{[]string{"convert", "../../examples/blues-f.chart", "-o", filepath.Join(dir, "x.pdf")}, "want .mid, .chart"},
		{[]string{"inspect", "../../examples/blues-f.chart", "--tune", "Nope"}, "no tune titled"},
		{[]string{"nosuch"}, "unknown command"},
	} {
		status, _, errs := sideman(t, tc.args...)
		if status != 2 {
			t.Errorf("%v: status %d, want 2 (%s)", tc.args, status, errs)
		}
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%v: stderr %q, want %q", tc.args, errs, tc.want)
		}
		if first, _, _ := strings.Cut(errs, "\n"); strings.Contains(first, "panic") || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: %s", tc.args, errs)
		}
	}
}

func TestTuneSelection(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "book.chart")
	os.WriteFile(p, []byte("title: Blues\n| C7 |\n---\ntitle: blues\n| F7 |\n---\ntitle: Waltz\nmeter: 3/4\n| G |\n"), 0o644)
	status, out, _ := sideman(t, "charts", p)
	if status != 0 || out != "0\tBlues\t\n1\tblues\t\n2\tWaltz\t\n" {
		t.Fatalf("charts: %d %q", status, out)
	}
	status, _, errs := sideman(t, "inspect", p, "--tune", "BLUES")
	if status != 2 || !strings.Contains(errs, `0 "Blues"`) || !strings.Contains(errs, `1 "blues"`) {
		t.Errorf("ambiguous title: %d %s", status, errs)
	}
	status, out, _ = sideman(t, "inspect", p, "--tune", "waltz", "--json")
	if status != 0 || !strings.Contains(out, `"meter": "3/4"`) {
		t.Errorf("by title: %d %s", status, out)
	}
	status, out, _ = sideman(t, "inspect", p, "--tune", "1", "--json")
	if status != 0 || !strings.Contains(out, `"title": "blues"`) {
		t.Errorf("by index: %d %s", status, out)
	}
}

// Converting a chart to MIDI and reading it back gives the block chords:
// one bass note and the chord tones for every chord change.
func TestConvertChartToMIDIAndBack(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "blues.mid")
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", mid, "--choruses", "2"); status != 0 {
		t.Fatalf("convert: %s", errs)
	}
	status, out, errs := sideman(t, "inspect", mid, "--json")
	if status != 0 {
		t.Fatalf("inspect: %s", errs)
	}
	var got struct {
		Format          string
		Notes           int
		PPQ             int
		DurationSeconds float64 `json:"duration_seconds"`
	}
	json.Unmarshal([]byte(out), &got)
	// 24 bars of 4/4 at 132 bpm, the last two beats before the final bar
	// slowing to 0.92 and 0.84 of the tempo and the final chord held at
	// two thirds of it (music.Chart.Layout's ritard and fermata).
	beat := 60 / 132.0
	if want := 90*beat + beat/0.92 + beat/0.84 + 4*beat*1.5; got.DurationSeconds < want-0.01 || got.DurationSeconds > want+0.01 {
		t.Errorf("duration %.3f s, want %.3f", got.DurationSeconds, want)
	}
	// 17 changes a chorus, each a 7th chord or 9th: bass + 4 voices, 5 for the b9 chord minus root.
	if got.Format != "midi" || got.PPQ != 960 || got.Notes < 2*17*4 {
		t.Errorf("%+v", got)
	}
	// MIDI to MIDI keeps every note.
	mid2 := filepath.Join(dir, "again.mid")
	if status, _, errs := sideman(t, "convert", mid, "-o", mid2); status != 0 {
		t.Fatalf("convert midi: %s", errs)
	}
	_, out2, _ := sideman(t, "inspect", mid2, "--json")
	var again struct{ Notes int }
	json.Unmarshal([]byte(out2), &again)
	if again.Notes != got.Notes {
		t.Errorf("MIDI to MIDI: %d notes became %d", got.Notes, again.Notes)
	}
}

func TestConvertChartToChart(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.chart")
	if status, _, errs := sideman(t, "convert", "../../examples/coda-g.chart", "-o", out); status != 0 {
		t.Fatal(errs)
	}
	a, ja, _ := sideman(t, "inspect", "../../examples/coda-g.chart", "--json")
	_, jb, _ := sideman(t, "inspect", out, "--json")
	if a != 0 || ja != jb {
		t.Errorf("inspect differs after convert:\n%s\n%s", ja, jb)
	}
}

func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.mid")
	status, stdout, errs := sideman(t, "demo", "-o", out)
	if status != 0 {
		t.Fatalf("demo: %s", errs)
	}
	if !strings.Contains(stdout, `"format": "midi"`) || !strings.Contains(stdout, "Blues for F") {
		t.Errorf("demo output:\n%s", stdout)
	}
}

// A folder is read as a collection: its charts as tunes, its MIDI files'
// notes counted; a bad file is skipped with a warning, not fatal.
func TestInspectFolder(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../../examples/blues-f.chart")
	os.WriteFile(filepath.Join(dir, "a.chart"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "b.chart"), []byte("| C | Xq7 |"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not music"), 0o644)
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", filepath.Join(dir, "c.mid")); status != 0 {
		t.Fatal(errs)
	}
	status, out, errs := sideman(t, "inspect", dir, "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if !strings.Contains(errs, "b.chart: chart: line 1, column 7") {
		t.Errorf("no warning for the bad file: %q", errs)
	}
	var got project.Summary
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Format != "collection" || got.Files != 2 || got.Skipped != 1 || len(got.Tunes) != 1 || got.Notes == nil || *got.Notes == 0 {
		t.Errorf("%s", out)
	}
}

// A lead sheet goes to MusicXML and ABC and reads back with the same notes
// and chords.
func TestConvertLeadSheet(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tune.abc")
	os.WriteFile(src, []byte("X:1\nT:Test Reel\nM:4/4\nL:1/8\nK:D\n|:\"D\"DEFG \"A7\"ABcd|\"G\"B2AG \"D\"F2D2:|\n"), 0o644)
	_, want, errs := sideman(t, "inspect", src, "--json")
	if !strings.Contains(want, `"notes": 26`) {
		t.Fatalf("inspect abc: %s %s", want, errs)
	}
	for _, ext := range []string{".musicxml", ".abc"} {
		out := filepath.Join(dir, "again"+ext)
		if status, _, errs := sideman(t, "convert", src, "-o", out); status != 0 {
			t.Fatalf("%s: %s", ext, errs)
		}
		_, got, _ := sideman(t, "inspect", out, "--json")
		for _, key := range []string{`"notes": 26`, `"written_notes": 13`, `"chords": 7`, `"bars": 4`} {
			if !strings.Contains(got, key) {
				t.Errorf("%s: %s missing from\n%s", ext, key, got)
			}
		}
	}
}

// A user's style file is read; one its players cannot read is bad input.
func TestUserStyle(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "mine.style")
	os.WriteFile(good, []byte("name: mine\nfeel: swing\nbass: walking\npiano: swing\ndrums: swing\ndrums.ride: 1 2 2+ 3 4 4+\npiano.cells: 1 2+ | 2+ 4\n"), 0o644)
	if status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--style", good, "-o", filepath.Join(dir, "x.mid")); status != 0 {
		t.Fatalf("good style: %s", errs)
	}
	for _, bad := range []string{"drums.ride: 1 2x", "piano.cells: 1 9q", "bass: tuba"} {
		p := filepath.Join(dir, "bad.style")
		os.WriteFile(p, []byte("name: bad\nbass: walking\npiano: swing\ndrums: swing\n"+bad+"\n"), 0o644)
		status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--style", p, "-o", filepath.Join(dir, "y.mid"))
		if status != 2 || !strings.Contains(errs, "bad.style") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%q: status %d, %q", bad, status, errs)
		}
	}
}

// Authorship survives the trip through a MIDI file: the band's notes are
// machine-generated when read back and after a MIDI-to-MIDI conversion.
func TestOriginsSurviveMIDI(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.mid"), filepath.Join(dir, "b.mid")
	if status, _, errs := sideman(t, "band", "../../examples/waltz-f.chart", "-o", a); status != 0 {
		t.Fatal(errs)
	}
	if status, _, errs := sideman(t, "convert", a, "-o", b); status != 0 {
		t.Fatal(errs)
	}
	for _, f := range []string{a, b} {
		_, out, _ := sideman(t, "inspect", f, "--json")
		var s project.Summary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if s.Notes == nil || len(s.Origins) != 1 || s.Origins["machine-generated"] != *s.Notes {
			t.Errorf("%s: origins %v of %v notes", f, s.Origins, s.Notes)
		}
	}
}
