package band

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sideman/format/ireal"
	"sideman/format/jazzstd"
	"sideman/internal/shareddata"
	"sideman/music"
)

// corpusCharts reads the five iReal playlists and JazzStandards, by file.
func corpusCharts(t *testing.T) map[string][]*music.Chart {
	t.Helper()
	out := map[string][]*music.Chart{}
	for _, name := range []string{"jazz1460.txt", "blues50.txt", "country.txt", "dixieland1.txt", "pop400.txt"} {
		f, err := os.Open(shareddata.File(t, "ireal-playlists/"+name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := ireal.Decode(f)
		f.Close()
		if p == nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = p.Charts
	}
	f, err := os.Open(shareddata.File(t, "jazz-standards/JazzStandards.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := jazzstd.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	out["JazzStandards.json"] = cs
	return out
}

// Every style hint in the iReal playlists and JazzStandards names a
// built-in style: none falls back to medium swing unasked. Before the
// hint table, 827 of the 2,200 iReal charts did (LookupStyle alone).
func TestStyleHintsCorpora(t *testing.T) {
	count := map[string]int{}
	styleOf := map[string]string{}
	charts, byName, unmapped := 0, 0, 0
	before := map[string]int{} // per file, the charts whose hint LookupStyle alone misses
	for file, cs := range corpusCharts(t) {
		if len(cs) == 0 {
			t.Errorf("%s: no charts", file)
		}
		for _, c := range cs {
			charts++
			if strings.TrimSpace(c.Style) == "" {
				continue
			}
			count[c.Style]++
			if _, ok := LookupStyle(c.Style); ok {
				byName++
			} else {
				before[file]++
			}
			s, ok := StyleForHint(c.Style)
			if !ok {
				unmapped++
				t.Errorf("%s: %q: style hint %q plays no built-in style", file, c.Title, c.Style)
				continue
			}
			styleOf[c.Style] = s.Name
		}
	}
	hints := make([]string, 0, len(count))
	for h := range count {
		hints = append(hints, h)
	}
	sort.Slice(hints, func(i, j int) bool {
		return count[hints[i]] > count[hints[j]] || count[hints[i]] == count[hints[j]] && hints[i] < hints[j]
	})
	for _, h := range hints {
		t.Logf("%5d  %-22s %s", count[h], h, styleOf[h])
	}
	t.Logf("%d charts, %d distinct hints; %d hints name a style, %d map through the table, %d unmapped",
		charts, len(hints), byName, charts-byName-unmapped, unmapped)
	t.Logf("hints no built-in style is named for, by file (what fell back to medium swing before the table): %v", before)
	if len(hints) < 40 {
		t.Errorf("%d distinct hints, want the corpora's 80 or so: did they decode?", len(hints))
	}
}

// The tunes the issue named: a waltz plays in three, and a pop song gets
// no walking bass.
func TestStyleHintsNamedTunes(t *testing.T) {
	all := corpusCharts(t)
	find := func(file, title string) *music.Chart {
		for _, c := range all[file] {
			if strings.EqualFold(c.Title, title) {
				return c
			}
		}
		t.Fatalf("%s: no %q", file, title)
		return nil
	}
	for _, file := range []string{"jazz1460.txt", "JazzStandards.json"} {
		c := find(file, "Someday My Prince Will Come")
		s, src := ChartStyle(c, 0)
		if src != StyleFromHint || !strings.Contains(s.Description, "3/4") {
			t.Errorf("%s: Someday My Prince Will Come (%q, %s) plays %s (%s), want a style in 3/4", file, c.Style, c.MeterOrDefault(), s.Name, src)
		}
	}
	c := find("pop400.txt", "Let It Be")
	s, src := ChartStyle(c, 0)
	if src != StyleFromHint || s.Eighths != "straight" || s.Players["bass"] == "walking" {
		t.Errorf("Let It Be (%q) plays %s (%s, eighths %s, bass %s), want straight eighths and no walking bass",
			c.Style, s.Name, src, s.Eighths, s.Players["bass"])
	}
}

// ChartStyle follows the tempo the band plays at and the chart's meter.
func TestChartStyleTempoAndMeter(t *testing.T) {
	three := &music.Meter{Num: 3, Den: 4}
	for _, tc := range []struct {
		hint  string
		tempo int
		meter *music.Meter
		want  string
		// wantTempo is the style's default tempo: the bar for it is the
		// tempo the hint names (slow, medium up) against the style's own.
		lo, hi int
	}{
		{"Medium Swing", 0, nil, "medium-swing", 100, 180},
		{"Medium Swing", 260, nil, "up-tempo-swing", 200, 320},
		{"Up Tempo Swing", 0, nil, "up-tempo-swing", 200, 320},
		{"Up Tempo Swing", 150, nil, "medium-swing", 100, 180},
		{"Slow Swing", 0, nil, "medium-swing", 80, 110},
		{"Medium Up Swing", 0, nil, "medium-swing", 170, 200},
		{"Ballad", 0, nil, "ballad", 50, 80},
		{"Ballad", 160, nil, "medium-swing", 100, 180},
		{"Ballad", 0, three, "jazz-waltz", 50, 80},
		{"Medium Swing", 0, three, "jazz-waltz", 100, 200},
		{"Pop", 0, three, "even-8ths-pop", 80, 130},
		{"Jazz-Medium Up Swing", 0, nil, "medium-swing", 170, 200},
		{"Latin-Brazil: Bossa Electric", 0, nil, "bossa-nova", 120, 160},
		{"Pop-Rock 12/8", 0, nil, "rock", 100, 160},
		{"Latin-Swing", 0, nil, "afro-cuban", 160, 220},
		{"Polka", 0, nil, DefaultStyle, 100, 180},
		{"", 0, nil, DefaultStyle, 100, 180},
	} {
		c := &music.Chart{Style: tc.hint, Meter: tc.meter}
		s, src := ChartStyle(c, tc.tempo)
		wantSrc := StyleFromHint
		if tc.hint == "Polka" || tc.hint == "" {
			wantSrc = StyleFromDefault
		}
		if s.Name != tc.want || src != wantSrc {
			t.Errorf("%q at %d bpm in %s: %s (%s), want %s (%s)", tc.hint, tc.tempo, c.MeterOrDefault(), s.Name, src, tc.want, wantSrc)
		}
		if tc.tempo == 0 && (s.Tempo < tc.lo || s.Tempo > tc.hi) {
			t.Errorf("%q in %s: default tempo %d, want %d-%d", tc.hint, c.MeterOrDefault(), s.Tempo, tc.lo, tc.hi)
		}
	}
}

// docs/styles.md is the hint table: every hint appears on a row that
// names its style, so the two cannot drift apart.
func TestStyleHintsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "styles.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // hint -> the table row it is on
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		for _, h := range strings.Split(cells[1], ",") {
			rows[hintKey(strings.Trim(strings.TrimSpace(h), "`"))] = line
		}
	}
	seen := map[string]bool{}
	for _, r := range HintTable() {
		if _, ok := LookupStyle(r.Style); !ok {
			t.Errorf("hint table: no built-in style %q", r.Style)
		}
		for _, h := range r.Hints {
			k := hintKey(h)
			if seen[k] {
				t.Errorf("hint table: %q twice", h)
			}
			seen[k] = true
			line, ok := rows[k]
			if !ok {
				t.Errorf("docs/styles.md: no row for the hint %q (%s)", h, r.Style)
				continue
			}
			if !strings.Contains(line, "`"+r.Style+"`") {
				t.Errorf("docs/styles.md: the hint %q is on a row without `%s`: %s", h, r.Style, line)
			}
		}
	}
}

// Summarize reads what Play made: a 12-bar blues twice at 120 is 24 bars
// of four beats at half a second, 48 seconds, and a little more for the
// ritard into the last bar (at most its four beats at half the tempo);
// transposed, the key moves.
func TestSummarize(t *testing.T) {
	f, _ := music.ParseKey("F")
	c := &music.Chart{Title: "blues", Key: &f}
	for _, bar := range []string{"F7", "Bb7", "F7", "Cm7 F7", "Bb7", "Bdim7", "F7", "Am7b5 D7b9", "Gm7", "C7", "F7 D7", "Gm7 C7"} {
		var b music.Bar
		for i, ch := range strings.Fields(bar) {
			b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(i) * 2 * music.PPQ, Chord: music.MustParseChord(ch)})
		}
		c.Bars = append(c.Bars, b)
	}
	st, _ := LookupStyle("medium-swing")
	bb, _ := music.ParseKey("Bb")
	// No players: a test inside package band cannot hire them (they
	// import band), and the summary is of the form, not the notes.
	opt := Options{Style: st, Tempo: 120, Choruses: 2, Seed: 1, Transpose: &bb,
		Mute: map[string]bool{"bass": true, "piano": true, "guitar": true, "drums": true}}
	p, err := Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(p, opt, StyleAsked)
	if s.Style != "medium-swing" || s.StyleSource != StyleAsked || s.Tempo != 120 || s.Choruses != 2 || s.Feel != "swing-rhythm" {
		t.Errorf("summary %+v", s)
	}
	if s.Bars != 24 || s.Seconds <= 48 || s.Seconds > 50 {
		t.Errorf("%d bars, %.2f s; want 24 bars, 48 s and the ritard", s.Bars, s.Seconds)
	}
	if s.Key != bb.String() || s.Meter != "4/4" {
		t.Errorf("key %s meter %s, want %s in 4/4", s.Key, s.Meter, bb)
	}
	// Repeat counts the times round a loop only: without one the form
	// is played Choruses times, and the summary says so.
	opt.Repeat = 5
	if s := Summarize(p, opt, StyleAsked); s.Choruses != 2 || s.Bars != 24 {
		t.Errorf("Repeat 5 without a loop: %d choruses, %d bars; want 2 and 24", s.Choruses, s.Bars)
	}
}
