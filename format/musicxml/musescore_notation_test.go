package musicxml

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

// withSlashes is a chord chart with the rhythm slashes Encode writes as
// notes, as MuseScore plays them: one a beat on the middle line. A chart
// with notes is returned as it is.
func withSlashes(c *music.Chart) *music.Chart {
	if len(c.Parts) > 0 {
		return c
	}
	d := *c
	d.Parts = []music.Part{{Name: "Lead sheet", Program: -1}}
	d.Bars = slices.Clone(c.Bars)
	pitch := uint8(71) // B4
	switch f := (&encoder{c: c}).fifths(); {
	case f <= -1:
		pitch--
	case f >= 7:
		pitch++
	}
	for i, m := range c.BarMeters() {
		var ns []music.Note
		for t := music.Ticks(0); t < m.BarTicks(); t += m.BeatTicks() {
			ns = append(ns, music.Note{Pitch: pitch, Velocity: DefaultVelocity, Start: t, Duration: min(m.BeatTicks(), m.BarTicks()-t)})
		}
		d.Bars[i].Notes = ns
	}
	return &d
}

// mscxStaff is the content of a staff in a MuseScore file: its measures.
func mscxStaff(doc string, id int) string {
	open := fmt.Sprintf("<Staff id=\"%d\">", id)
	// The first <Staff id> is the part's definition, the last the music.
	i := strings.LastIndex(doc, open)
	if i < 0 {
		return ""
	}
	rest := doc[i:]
	if j := strings.Index(rest, "</Staff>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// linesOf counts the measures of each line of a staff, as MuseScore's line
// breaks divide them.
func linesOf(staff string) []int {
	var lines []int
	n := 0
	for _, m := range strings.Split(staff, "<Measure")[1:] {
		n++
		if strings.Contains(m, "<LayoutBreak>") {
			lines = append(lines, n)
			n = 0
		}
	}
	if n > 0 {
		lines = append(lines, n)
	}
	return lines
}

var mscxVolta = regexp.MustCompile(`<Spanner type="Volta">\s*<Volta`)

// TestMuseScoreNotation has MuseScore 3 import the example chord charts
// and band scores of them, and save them as MuseScore files and PDF. It
// reads what MuseScore made of them: no error, four bars a line (as the
// line breaks we wrote say), the repeats and volta brackets as written,
// segno and coda as marks, a slash on every beat of a chord chart; the
// band score with its bass, piano on a grand staff and drums on a
// percussion staff with their kit.
func TestMuseScoreNotation(t *testing.T) {
	bin := museScore(t)
	dir := cacheDir(t)
	type export struct {
		name  string
		chart *music.Chart // a chord chart, or nil
		score *Score
	}
	var exports []export
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatal(err)
		}
		exports = append(exports, export{name: "chart-" + name, chart: cs[0]})
	}
	for _, tc := range []struct{ chart, style string }{{"blues-f", "medium swing"}, {"bossa-d", "bossa nova"}, {"waltz-f", "jazz waltz"}} {
		s := bandScore(t, tc.chart, tc.style, 2)
		exports = append(exports, export{name: "score-" + tc.chart, score: &s})
	}
	var jobs []msJob
	docs := make([]string, len(exports))
	for k, ex := range exports {
		var buf bytes.Buffer
		var err error
		if ex.chart != nil {
			err = Encode(&buf, ex.chart)
		} else {
			err = EncodeScore(&buf, *ex.score)
		}
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		docs[k] = buf.String()
		in := filepath.Join(dir, fmt.Sprintf("notation-%02d.musicxml", k))
		if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(in, ".musicxml")
		jobs = append(jobs, msJob{In: in, Out: []string{base + ".pdf", base + ".mscx"}})
	}
	logs := runMuseScore(t, bin, jobs)
	for k, ex := range exports {
		job := jobs[k]
		for _, line := range strings.Split(logs[job.In], "\n") {
			if museScoreError(line) {
				t.Errorf("%s: MuseScore: %s", ex.name, line)
			}
		}
		if pdf, err := os.ReadFile(job.Out[0]); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s: MuseScore wrote no PDF (%v)", ex.name, err)
		}
		b, err := os.ReadFile(job.Out[1])
		if err != nil {
			t.Errorf("%s: MuseScore wrote no score: %v", ex.name, err)
			continue
		}
		doc := string(b)
		staff := mscxStaff(doc, 1)
		lines := linesOf(staff)
		// A part's measures each start a line where we said so.
		breaks := strings.Count(docs[k], "new-system") / max(strings.Count(docs[k], "<score-part "), 1)
		if len(lines) != breaks+1 {
			t.Errorf("%s: MuseScore lays out %d lines (%v bars), we wrote %d line breaks", ex.name, len(lines), lines, breaks)
		}
		if slices.Max(lines) > 4 {
			t.Errorf("%s: a line of %d bars (%v)", ex.name, slices.Max(lines), lines)
		}
		if ex.chart != nil {
			c := ex.chart
			var starts, ends, voltas, signs, beats int
			for i, b := range c.Bars {
				starts += b2i(b.RepeatStart)
				ends += b2i(b.RepeatEnd > 0)
				voltas += b2i(b.Ending != 0)
				signs += b2i(b.Segno) + b2i(b.Coda)
				beats += c.BarMeters()[i].Beats()
			}
			if got := strings.Count(staff, "<startRepeat/>"); got != starts {
				t.Errorf("%s: MuseScore reads %d start repeats, the chart has %d", ex.name, got, starts)
			}
			if got := strings.Count(staff, "<endRepeat>"); got != ends {
				t.Errorf("%s: MuseScore reads %d end repeats, the chart has %d", ex.name, got, ends)
			}
			if got := len(mscxVolta.FindAllString(staff, -1)); got != voltas {
				t.Errorf("%s: MuseScore reads %d volta brackets, the chart has %d", ex.name, got, voltas)
			}
			if got := strings.Count(staff, "<Marker>"); got < signs {
				t.Errorf("%s: MuseScore reads %d segno and coda marks, the chart has %d", ex.name, got, signs)
			}
			if got := strings.Count(staff, "<head>slash</head>"); got != beats {
				t.Errorf("%s: %d slashes in MuseScore, %d beats in the chart", ex.name, got, beats)
			}
			if got := strings.Count(staff, "<Harmony>"); got == 0 {
				t.Errorf("%s: MuseScore reads no chord symbols", ex.name)
			}
			continue
		}
		// The band score: a part each, the piano on two staves, the drums
		// on a percussion staff with the keys they play.
		s := ex.score
		if got := strings.Count(doc, "<Part>"); got != len(s.Piece.Parts) {
			t.Errorf("%s: MuseScore reads %d parts, the band played %d", ex.name, got, len(s.Piece.Parts))
		}
		if got := strings.Count(doc, "<StaffType group=\"percussion\">"); got != 1 {
			t.Errorf("%s: %d percussion staves, want the drums'", ex.name, got)
		}
		if got, want := strings.Count(doc, "<StaffType group="), len(s.Piece.Parts)+1; got != want {
			t.Errorf("%s: %d staves, want %d (the piano's grand staff)", ex.name, got, want)
		}
		if got := strings.Count(staff, "<Measure"); got != len(s.Bars) {
			t.Errorf("%s: %d measures in MuseScore, %d played", ex.name, got, len(s.Bars))
		}
		t.Logf("%s: %d bars on %d lines", ex.name, len(s.Bars), len(lines))
	}
}
