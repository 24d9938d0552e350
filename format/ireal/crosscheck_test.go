package ireal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"sideman/format/jazzstd"
	"sideman/internal/shareddata"
	"sideman/music"
)

// sequence is a chart's chord sequence played once through.
func sequence(c *music.Chart) []music.Chord {
	var out []music.Chord
	for _, s := range music.Spans(c.Unroll(1)) {
		out = append(out, s.Chord)
	}
	return collapse(out)
}

// loneEndingsOnce plays a repeat whose only bracket is a first ending
// once through, bracket included. JazzStandards lists iReal Pro's third
// ending (after "D.C. al 3rd ending") as the single ending of the section
// before it, which jazzstd reads as a repeat.
func loneEndingsOnce(c *music.Chart) *music.Chart {
	cc := *c
	cc.Bars = append([]music.Bar(nil), c.Bars...)
	for j := range cc.Bars {
		if cc.Bars[j].RepeatEnd == 0 || j+1 < len(cc.Bars) && cc.Bars[j+1].Ending != 0 {
			continue
		}
		brackets, first := 0, -1
		for i := j; i >= 0; i-- {
			if cc.Bars[i].Ending != 0 {
				brackets++
				first = i
			}
			if cc.Bars[i].RepeatStart {
				break
			}
		}
		if brackets == 1 && cc.Bars[first].Ending == 1 {
			cc.Bars[j].RepeatEnd, cc.Bars[first].Ending = 0, 0
		}
	}
	return &cc
}

// collapse drops chords that sound the same as the one before.
func collapse(cs []music.Chord) []music.Chord {
	var out []music.Chord
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].Same(c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Readings of an iReal chart for the comparison. JazzStandards lists a
// tune's sections in written order with their repeats and endings, and
// leaves out D.C., D.S. and coda jumps and "3x" repeat counts, and plays
// third endings as ordinary bars: that is asWritten. Its converter often
// repeats only the last section before the repeat sign (or before the
// first ending) instead of going back to the opening repeat sign: that is
// sectionRepeat. asPlayed is the form as iReal Pro plays it (Unroll).
const (
	asWritten = iota
	sectionRepeat
	asPlayed
	nReadings
)

var readingNames = [nReadings]string{"as written", "section repeat", "as played"}

// chartSequence is a chart's chord sequence under one reading, played
// once through, spelled as JazzStandards spells it.
func chartSequence(c *music.Chart, reading int) []music.Chord {
	cc := *c
	cc.Bars = append([]music.Bar(nil), c.Bars...)
	for i := range cc.Bars {
		b := &cc.Bars[i]
		// Spell the chords as JazzStandards does before Spans merges
		// chords that sound the same.
		var chords []music.ChordAt
		for _, ca := range b.Chords {
			if ch, ok := asJazzStandards(ca.Chord); ok {
				ca.Chord = ch
				chords = append(chords, ca)
			}
		}
		b.Chords = chords
		if reading == asPlayed {
			continue
		}
		b.Jump, b.ToCoda, b.Coda, b.Fine = music.NoJump, false, false, false
		b.RepeatEnd = min(b.RepeatEnd, 2)
		if b.Ending >= 1<<2 {
			// A third ending, after a D.C. in iReal Pro, is
			// listed as the bars that follow.
			b.Ending = 0
		}
		if reading == sectionRepeat && b.RepeatEnd > 0 {
			repeatSection(cc.Bars, i)
		}
	}
	var out []music.Chord
	for _, s := range music.Spans(cc.Unroll(1)) {
		out = append(out, s.Chord)
	}
	return collapse(out)
}

// repeatSection moves the start of the repeat that closes at bar end to
// the last section mark before the point where the repeat's passes part:
// its first ending, or bar end when it has none.
func repeatSection(bars []music.Bar, end int) {
	start, split := 0, end
	for j := end; j >= 0; j-- {
		if bars[j].Ending&1 != 0 {
			split = j
		}
		if bars[j].RepeatStart || j > 0 && bars[j-1].RepeatEnd > 0 && j < end {
			start = j
			break
		}
	}
	for j := split; j > start; j-- {
		if bars[j].Section != "" {
			bars[start].RepeatStart = false
			bars[j].RepeatStart = true
			return
		}
	}
}

// jsQualities are the iReal qualities that JazzStandards writes
// differently, and how it writes them. "2" (add
// nine) and "susadd3" lose their added tone there, and "h9" (a
// half-diminished ninth) becomes "m7b9".
var jsQualities = []struct{ ireal, js string }{
	{"2", ""},
	{"7susadd3", "7sus"},
	{"h9", "m7b9"},
}

// asJazzStandards rewrites a chord as JazzStandards writes it; ok is false
// for N.C., which JazzStandards leaves out.
func asJazzStandards(c music.Chord) (music.Chord, bool) {
	if c.NoChord {
		return c, false
	}
	sym, bass, _ := strings.Cut(c.Symbol, "/")
	root := c.Root.String()
	if !strings.HasPrefix(sym, root) {
		return c, true
	}
	for _, q := range jsQualities {
		if sym[len(root):] != q.ireal {
			continue
		}
		t := root + q.js
		if bass != "" {
			t += "/" + bass
		}
		if d, err := music.ParseChord(t); err == nil {
			return d, true
		}
	}
	return c, true
}

// editDistance is the Levenshtein distance between two chord sequences,
// chords being equal when they sound the same.
func editDistance(a, b []music.Chord) int {
	ka, kb := soundKeys(a), soundKeys(b)
	prev := make([]int, len(kb)+1)
	cur := make([]int, len(kb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ka); i++ {
		cur[0] = i
		for j := 1; j <= len(kb); j++ {
			cost := 1
			if ka[i-1] == kb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(kb)]
}

// soundKeys gives each chord a number that is equal for chords that
// sound the same (music.Chord.Same): root, pitch classes and bass.
func soundKeys(cs []music.Chord) []uint32 {
	keys := make([]uint32, len(cs))
	for i, c := range cs {
		if c.NoChord {
			keys[i] = 1 << 31
			continue
		}
		keys[i] = uint32(c.Root.PitchClass())<<16 | uint32(c.BassNote().PitchClass())<<12 | uint32(c.PitchClasses())
	}
	return keys
}

func normTitle(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// crossCheckExceptions are the jazz tunes whose chord sequence is not the
// one JazzStandards gives, and why. Most are other versions of the chart
// or slips of JazzStandards' own converter; none is a decoding error.
var crossCheckExceptions = map[string]string{
	// Different charts altogether.
	"So Many Stars":                       "other key and changes",
	"Remember":                            "JazzStandards in F, iReal in Ab",
	"Memories Of You":                     "JazzStandards in Eb, iReal in C",
	"Favela":                              "other changes (iReal: thirteenth chords a third lower)",
	"Sidewinder":                          "JazzStandards gives six chords, iReal the full form with N.C. breaks",
	"Prince Of Darkness":                  "other changes in the second half",
	"Zingaro (Retrato Em Branco E Preto)": "JazzStandards has a longer form",
	"In Your Own Sweet Way":               "other changes (iReal in Bb, JazzStandards around Eb)",
	"More I See You, The":                 "other changes (Ab7 for Fm7, C7 for C7b9)",
	"Round Midnight":                      "other version of the changes",
	"Little B's Poem":                     "other last bars (scale run vs C7 pedal)",
	"Toy Tune":                            "other changes (F9sus for Cm7, E9sus for Bm7)",
	"Bright Size Life":                    "other turnarounds (G/A bars)",
	// The form: an intro, a repeat or a coda that one side leaves out.
	"Barbados":                "iReal has an intro vamp",
	"Valse Hot":               "iReal has an intro",
	"Trinkle Tinkle":          "iReal has the head and a solo form",
	"Humpty Dumpty":           "iReal has a coda after the final bar",
	"Conference Of The Birds": "iReal repeats the intro",
	"For Minors Only":         "JazzStandards repeats the second half only",
	"One For My Baby":         "JazzStandards leaves out the repeat of the second part",
	"You're The Top":          "JazzStandards leaves out a repeat",
	"Maze, The":               "JazzStandards repeats from the double bar inside the repeat",
	"Inch Worm, The":          "iReal vamps 8x",
	"La Fiesta":               "the 4x and 8x vamps and the D.S. give a different last chord",
	// One to five chords.
	"Lennie's Pennies":                 "other changes in one bar",
	"You Go To My Head":                "Eb6 for Ebmaj7",
	"Chega De Saudade (No More Blues)": "other changes in a few bars",
	"Duke Ellington's Sound Of Love":   "other changes in three bars",
	"Parisian Thoroughfare":            "other changes in two bars",
	"I've Got You Under My Skin":       "Eb6 for Ebmaj7, Ab-6 for Db7",
	"Ornithology":                      "Bm7 E7 for Bm7 Em7",
	"Benny's Tune":                     "B7b5/Ab for D/Ab",
	"Naima":                            "E^7#11/Bb for Gb13/Bb",
	"Dolphin Dance":                    "F13b9 for D/F",
	"Segment":                          "Ebh7 for Em7b5",
	"I Want To Talk About You":         "C-7 for Gm7",
	"If Ever I Would Leave You":        "E-7 for Bmaj7",
	"Kicker, The":                      "F7#9 for F7",
	"Serenity":                         "JazzStandards has a Cm7/Bb iReal lacks",
	"Day In, Day Out":                  "JazzStandards has a G7 iReal lacks",
	// Slips of JazzStandards' converter.
	"Someone To Watch Over Me":       "JazzStandards drops a chord written right after an alternate",
	"I Didn't Know What Time It Was": "JazzStandards drops a chord written right after an alternate",
	"Autumn Nocturne":                "JazzStandards drops a chord written right after an alternate",
	"Gregory Is Here":                "JazzStandards drops the F7 between two comments",
	"Butterfly":                      "JazzStandards drops the A7#9#5 after a small N.C.",
	"It's All Right With Me":         "JazzStandards copies the bar after Abo7/Eb as Ab/Eb",
	"Walkin' Shoes":                  "JazzStandards starts the second ending with the first ending's chord",
}

// TestCrossCheckJazzStandards compares the chord sequence of every tune of
// JazzStandards.json (read with format/jazzstd) with the same title's
// chart in the iReal jazz playlist: alternates dropped, repeat signs
// expanded, chords compared by sound (root, pitch-class set and bass), N.C.
// left out and repeated chords collapsed. The iReal chart may be read the
// ways JazzStandards reads forms (see the readings); the best match counts.
func TestCrossCheckJazzStandards(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(shareddata.Dir(t, "jazz-standards"), "JazzStandards.json"))
	if err != nil {
		t.Fatal(err)
	}
	tunes, err := jazzstd.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	p := decodeCorpus(t, "jazz1460.txt")
	byTitle := map[string][]*music.Chart{}
	for _, c := range p.Charts {
		byTitle[normTitle(c.Title)] = append(byTitle[normTitle(c.Title)], c)
	}
	type result struct {
		title   string
		dist    float64
		js, ir  []music.Chord
		reading int
	}
	var res []result
	for _, tune := range tunes {
		cands := byTitle[normTitle(tune.Title)]
		if len(cands) == 0 {
			t.Errorf("no iReal chart for %q", tune.Title)
			continue
		}
		jss := [][]music.Chord{sequence(tune), sequence(loneEndingsOnce(tune))}
		best := result{title: tune.Title, dist: 2}
		for _, c := range cands {
			for r := range nReadings {
				ir := chartSequence(c, r)
				for _, js := range jss {
					d := float64(editDistance(js, ir)) / float64(max(len(js), len(ir), 1))
					if d < best.dist {
						best.dist, best.js, best.ir, best.reading = d, js, ir, r
					}
				}
			}
		}
		res = append(res, best)
	}
	same, near := 0, 0
	var byReading [nReadings]int
	sort.Slice(res, func(i, j int) bool { return res[i].dist > res[j].dist })
	for _, r := range res {
		if r.dist == 0 {
			same++
			byReading[r.reading]++
			if why, ok := crossCheckExceptions[r.title]; ok {
				t.Logf("%s is listed (%s) but now identical", r.title, why)
			}
			continue
		}
		if r.dist <= 0.10 {
			near++
		}
		why, ok := crossCheckExceptions[r.title]
		if !ok {
			t.Errorf("%s differs and is not listed: %.3f %s", r.title, r.dist, diffSummary(r.js, r.ir))
			continue
		}
		t.Logf("%.3f %-36s %s: %s", r.dist, r.title, why, diffSummary(r.js, r.ir))
	}
	n := float64(len(tunes))
	t.Logf("%d tunes: %d identical (%.1f%%), %d more within 10%% edit distance (%.1f%% in all)",
		len(tunes), same, 100*float64(same)/n, near, 100*float64(same+near)/n)
	t.Logf("identical as written %d, with JazzStandards' section repeats %d, as played %d",
		byReading[asWritten], byReading[sectionRepeat], byReading[asPlayed])
	if float64(same) < 0.95*n {
		t.Errorf("%d of %d tunes identical, want at least 95%%", same, len(tunes))
	}
	if float64(same+near) < 0.98*n {
		t.Errorf("%d of %d tunes within 10%%, want at least 98%%", same+near, len(tunes))
	}
}

// diffSummary lists the edits that turn the JazzStandards sequence js
// into the iReal sequence ir, at most a few of each kind.
func diffSummary(js, ir []music.Chord) string {
	n, m := len(js), len(ir)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := range m + 1 {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			c := 1
			if js[i-1].Same(ir[j-1]) {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
		}
	}
	var changed, jsOnly, irOnly []string
	for i, j := n, m; i > 0 || j > 0; {
		switch {
		case i > 0 && j > 0 && d[i][j] == d[i-1][j-1] && js[i-1].Same(ir[j-1]):
			i, j = i-1, j-1
		case i > 0 && j > 0 && d[i][j] == d[i-1][j-1]+1:
			changed = append(changed, js[i-1].Symbol+">"+ir[j-1].Symbol)
			i, j = i-1, j-1
		case i > 0 && d[i][j] == d[i-1][j]+1:
			jsOnly = append(jsOnly, js[i-1].Symbol)
			i--
		default:
			irOnly = append(irOnly, ir[j-1].Symbol)
			j--
		}
	}
	short := func(xs []string) string {
		slices.Reverse(xs)
		if len(xs) > 6 {
			return fmt.Sprintf("%s ... (%d)", strings.Join(xs[:6], " "), len(xs))
		}
		return strings.Join(xs, " ")
	}
	return fmt.Sprintf("changed [%s] JazzStandards only [%s] iReal only [%s]", short(changed), short(jsOnly), short(irOnly))
}
