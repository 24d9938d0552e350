package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// bandSummary is the object `band --json` prints.
type bandSummary struct {
	Style       string  `json:"style"`
	StyleSource string  `json:"style_source"`
	Tempo       int     `json:"tempo"`
	Key         string  `json:"key"`
	Meter       string  `json:"meter"`
	Feel        string  `json:"feel"`
	Choruses    int     `json:"choruses"`
	Bars        int     `json:"bars"`
	Seconds     float64 `json:"duration_seconds"`
}

// writeChart writes a small chart with a style hint, as iReal Pro names
// them, to a temporary file.
func writeChart(t *testing.T, style, meter string, bars string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tune.chart")
	text := "title: Hinted\nkey: F\nmeter: " + meter + "\n"
	if style != "" {
		text += "style: " + style + "\n"
	}
	if err := os.WriteFile(p, []byte(text+"\n"+bars+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func bandJSON(t *testing.T, args ...string) bandSummary {
	t.Helper()
	status, out, errs := sideman(t, append([]string{"band"}, args...)...)
	if status != 0 || errs != "" {
		t.Fatalf("band %v: status %d, stderr %q; want 0 and nothing on stderr with --json", args, status, errs)
	}
	var s bandSummary
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("band %v: stdout %q: %v", args, out, err)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("band %v: stdout %q, want one JSON object on one line", args, out)
	}
	return s
}

// A chart marked "Waltz" (iReal Pro's name, not a built-in style's) plays
// the jazz waltz, and the summary says what the MIDI file holds: its bars
// and its length read back from the file.
func TestBandSummaryFromHint(t *testing.T) {
	chart := writeChart(t, "Waltz", "3/4", "| Fmaj7 | Em7b5 A7 | Dm7 | G7 |\n| Gm7 | C7 | Fmaj7 | Gm7 C7 |")
	mid := filepath.Join(t.TempDir(), "w.mid")
	s := bandJSON(t, chart, "--json", "--choruses", "2", "--ending", "-o", mid)
	if s.Style != "jazz-waltz" || s.StyleSource != "chart hint" || s.Meter != "3/4" || s.Feel != "swing-rhythm" || s.Choruses != 2 {
		t.Errorf("summary %+v, want jazz-waltz from the chart hint, swing-rhythm in 3/4, 2 choruses", s)
	}
	status, styles, _ := sideman(t, "styles")
	if status != 0 || !strings.Contains(styles, "\n"+s.Style+"\t") && !strings.HasPrefix(styles, s.Style+"\t") {
		t.Errorf("style %q is not a name `sideman styles` prints", s.Style)
	}
	f, err := os.Open(mid)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := (&midi.Decoder{Source: mid}).DecodePiece(f)
	if err != nil {
		t.Fatal(err)
	}
	// Bars in the file: bar lines by its meter map up to its last onset.
	var last music.Ticks
	for _, pt := range p.Parts {
		for _, n := range pt.Notes {
			last = max(last, n.Start)
		}
	}
	bars, at := 0, music.Ticks(0)
	for at <= last+music.PPQ/8 { // a humanized onset may come a little early
		m := music.DefaultMeter
		for _, c := range p.Meters {
			if c.At <= at {
				m = c.Meter
			}
		}
		if m.Num != 3 || m.Den != 4 {
			t.Fatalf("bar %d in %s, want 3/4", bars+1, m)
		}
		at += m.BarTicks()
		bars++
	}
	if bars != s.Bars || s.Bars < 2*8+1 {
		t.Errorf("summary says %d bars, the file holds %d; want two choruses of 8 and the ending", s.Bars, bars)
	}
	if end := p.Tempo.Seconds(at); s.Seconds < end-0.5 || s.Seconds > end+0.5 {
		t.Errorf("summary says %.2f s, the file's bars end at %.2f s", s.Seconds, end)
	}
}

// Without --json, two short lines on stderr say the style and why; with
// --style it is the flag's, with no hint the default, and a hint no
// style plays is named.
func TestBandSummaryLines(t *testing.T) {
	bars := "| F7 | Bb7 | F7 | C7 |"
	mid := filepath.Join(t.TempDir(), "x.mid")
	for _, tc := range []struct {
		style, flag, want, source string
	}{
		{"Pop", "", "even-8ths-pop (chart hint \"Pop\"), rock-funk", "chart hint"},
		{"Slow Swing", "", "medium-swing (chart hint \"Slow Swing\"), swing-rhythm, 100 bpm", "chart hint"},
		{"Pop", "funk", "funk (asked for)", "flag"},
		{"", "", "medium-swing (default)", "default"},
		{"Polka", "", "medium-swing (default; no style plays the chart hint \"Polka\")", "default"},
	} {
		chart := writeChart(t, tc.style, "4/4", bars)
		args := []string{"band", chart, "-o", mid}
		if tc.flag != "" {
			args = append(args, "--style", tc.flag)
		}
		status, out, errs := sideman(t, args...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if status != 0 || out != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], tc.want) ||
			!strings.HasPrefix(lines[1], "1 chorus, 4 bars, ") {
			t.Errorf("hint %q --style %q: status %d, stdout %q, stderr %q; want 2 lines, the first %q", tc.style, tc.flag, status, out, errs, tc.want)
		}
		if s := bandJSON(t, append(args[1:], "--json")...); s.StyleSource != tc.source {
			t.Errorf("hint %q --style %q: style_source %q, want %q", tc.style, tc.flag, s.StyleSource, tc.source)
		}
	}
}

// --json owns stdout: -o - is refused with one line, exit 2.
func TestBandJSONRefusesStdoutMIDI(t *testing.T) {
	status, out, errs := sideman(t, "band", "../../examples/blues-f.chart", "--json", "-o", "-")
	if status != 2 || out != "" || !strings.Contains(strings.SplitN(errs, "\n", 2)[0], "--json") {
		t.Errorf("--json -o -: status %d, stdout %q, stderr %q; want 2 and a line naming --json", status, out, errs)
	}
}

// A practice loop with a count-in: the summary counts the count-in's bars
// and the loop's repeats, and the length is those bars at the tempo (a
// loop ends without a ritard): 1 + 2×3 bars of 4/4 at 120 is 14 s.
func TestBandSummaryPractice(t *testing.T) {
	chart := writeChart(t, "Pop", "4/4", "| C | Am | F | G |")
	s := bandJSON(t, chart, "--json", "--tempo", "120", "--count-in", "1", "--loop", "1-2", "--repeat", "3")
	if s.Bars != 7 || s.Choruses != 3 || s.Tempo != 120 || s.Seconds < 13.99 || s.Seconds > 14.01 {
		t.Errorf("count-in 1, loop 1-2 three times at 120: %d bars, %d choruses, %d bpm, %.2f s; want 7 bars, 3, 120, 14 s",
			s.Bars, s.Choruses, s.Tempo, s.Seconds)
	}
}

// The summary gives the tune's meter and the feel played, not the first
// bar's: a pickup or a count-in is shorter than the tune's bars.
func TestBandSummaryMeterAndFeel(t *testing.T) {
	chart := writeChart(t, "Waltz", "3/4", "| 1/4 C7 | 3/4 Fmaj7 | Gm7 C7 | Fmaj7 |")
	for _, extra := range [][]string{nil, {"--count-in", "1"}} {
		s := bandJSON(t, append([]string{chart, "--json", "--feel", "none"}, extra...)...)
		if s.Meter != "3/4" || s.Feel != "none" {
			t.Errorf("%v: summary %+v, want the tune's 3/4 and the feel none", extra, s)
		}
	}
}
