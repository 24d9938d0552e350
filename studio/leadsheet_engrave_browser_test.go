package studio_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sideman/examples"
	"sideman/internal/shareddata"
	"sideman/music"
)

// glyph is one drawn thing on the lead sheet's staff as the page's
// LeadSheet.glyphs(bar) reads it back from the SVG.
type glyph struct {
	Glyph string  `json:"glyph"`
	Step  int     `json:"step"`
	Acc   int     `json:"acc"`
	Name  string  `json:"name"`
	Start int     `json:"start"`
	U     int     `json:"u"`
	Value int     `json:"value"`
	Dots  int     `json:"dots"`
	Group *int    `json:"group"`
	Stem  string  `json:"stem"`
	Tie   string  `json:"tie"`
	Tied  string  `json:"tied"`
	Level int     `json:"level"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
}

type sheetChart struct {
	Title string `json:"title"`
	Key   string `json:"key"`
	Meter [2]int `json:"meter"`
	Bars  []struct {
		Chords []struct {
			Symbol string `json:"symbol"`
		} `json:"chords"`
		Melody []struct {
			Pitch int     `json:"pitch"`
			Beat  float64 `json:"beat"`
			Beats float64 `json:"beats"`
		} `json:"melody"`
	} `json:"bars"`
}

// u is the engraver's unit: a 24th of a quarter note.
const u = 24

var partShift = map[string]int{"C": 0, "Bb": 2, "Eb": 9, "F": 7}

// writtenKey is the key a part reads the chart in, as musicians write it.
func writtenKey(t *testing.T, concert, part string) music.Key {
	t.Helper()
	k, err := music.ParseKey(concert)
	if err != nil {
		t.Fatalf("the chart's key %q: %v", concert, err)
	}
	return music.ConventionalKey((k.Tonic.PitchClass()+partShift[part])%12, k.Mode)
}

// openEWLD is the MusicXML text of one OpenEWLD lead sheet (an .mxl is a
// zip holding it).
func openEWLD(t *testing.T, title string) string {
	t.Helper()
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, "openewld/OpenEWLD.tar.gz"), func(name string) bool {
		return strings.HasSuffix(name, "/"+title+".mxl")
	})
	if err != nil || len(ms) == 0 {
		t.Fatalf("OpenEWLD %s: %v (%d found)", title, err, len(ms))
	}
	z, err := zip.NewReader(bytes.NewReader(data[0]), int64(len(data[0])))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "META-INF") || path.Ext(f.Name) != ".xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("OpenEWLD %s: no MusicXML in the .mxl", title)
	return ""
}

// TestStudioLeadSheetEngraved reads the staff as a musician would, bar by
// bar, on real lead sheets (OpenEWLD's MusicXML: "Moten Swing" and "Easy
// Street" in E♭, "The Jitterbug Waltz" in E♭ 3/4, "The Glory of Love" in
// G) and the bundled blues lick (ABC, F), in the concert, B♭ and E♭ parts: the written key's signature at the start of every system
// and nowhere else; every note at the staff step and with the accidental
// that the written key and the bar's earlier accidentals call for; every
// bar's notes and rests adding up to the bar; rests and syncopations on
// the beats they belong to; eighths and sixteenths beamed by the beat;
// notes that cross the bar line tied into the next bar.
func TestStudioLeadSheetEngraved(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	tunes := []struct{ name, text string }{
		{"blues-lick", string(examples.BluesLick)},
		{"moten-swing", openEWLD(t, "Moten_Swing")},             // E♭, 4/4, eighths and rests
		{"glory-of-love", openEWLD(t, "The_Glory_of_Love")},     // G, 4/4, a pickup, ties
		{"jitterbug-waltz", openEWLD(t, "The_Jitterbug_Waltz")}, // E♭, 3/4
		{"easy-street", openEWLD(t, "Easy_Street")},             // E♭, 4/4, sixteenths
	}
	url := realStudio(t)
	art := artifactsDir(t)
	p := openPage(t, url, art, 240*time.Second)

	paste := func(text string) sheetChart {
		t.Helper()
		p.do("paste a lead sheet", chromedp.Evaluate[chromedp.Void](`window.sideman.state.chart = null, document.querySelector("details").open = true`),
			chromedp.SetValue(chromedp.CSS("#chart-text"), text), chromedp.Click(chromedp.CSS("#open-text")))
		p.poll("the lead sheet opens", `window.sideman.state.chart !== null`, 20*time.Second)
		var c sheetChart
		p.eval(`window.sideman.state.chart`, &c)
		return c
	}
	setPart := func(part string) {
		p.do("part "+part, chromedp.SetValue(chromedp.CSS("#part"), part),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("part").dispatchEvent(new Event("change"))`))
	}
	read := func(n int) [][]glyph {
		var g [][]glyph
		p.eval(fmt.Sprintf(`[...Array(%d).keys()].map((b) => window.sideman.leadsheet.glyphs(b))`, n), &g)
		return g
	}

	for i, tune := range tunes {
		name := tune.name
		c := paste(tune.text)
		if len(c.Bars) < 4 {
			t.Fatalf("%s: %d bars", tune.name, len(c.Bars))
		}
		for _, part := range []string{"C", "Bb", "Eb"} {
			setPart(part)
			bars := read(len(c.Bars))
			k := writtenKey(t, c.Key, part)
			if os.Getenv("SHEET_DUMP") != "" {
				for b, gs := range bars {
					var w []string
					for _, g := range gs {
						switch g.Glyph {
						case "note":
							w = append(w, fmt.Sprintf("%s:%d%s", g.Name, g.U, g.Tie))
						case "rest":
							w = append(w, fmt.Sprintf("r%d", g.U))
						case "accidental":
							w = append(w, fmt.Sprintf("[%d]", g.Acc))
						}
					}
					t.Logf("%s %s bar %d: %s", name, part, b+1, strings.Join(w, " "))
				}
			}
			checkChords(t, name, part, c, p)
			// A transposing part's melody is written around the staff (its
			// notes on average between D4 and G5), an octave from the part's
			// interval where that is needed to put it there; concert pitch
			// is written where the chart has it.
			var oct int
			p.eval(`window.sideman.leadsheet.octave()`, &oct)
			sum, n := 0, 0
			for _, bar := range c.Bars {
				for _, m := range bar.Melody {
					sum, n = sum+m.Pitch+partShift[part]+oct, n+1
				}
			}
			if mean := float64(sum) / float64(n); (part == "C" && oct != 0) || (oct != 0 && oct != 12 && oct != -12) || (part != "C" && (mean < 62 || mean > 79)) {
				t.Errorf("%s, %s part: written %+d semitones from the part's interval, its notes average %.1f (MIDI); want them between D4 (62) and G5 (79)", name, part, oct, mean)
			}
			st := checkStaff(t, fmt.Sprintf("%s, %s part in %s", tune.name, part, k), c, partShift[part]+oct, k, bars)
			t.Logf("%s, %s part (%s): %d notes, %d accidentals, %d beamed groups (%d of four eighths in a half bar), %d flags, %d rests, %d ties over the bar line",
				tune.name, part, k, st.notes, st.accidentals, st.groups, st.halfBars, st.flags, st.rests, st.barTies)
			if part != "Eb" || i == 0 {
				p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
				p.shot(fmt.Sprintf("engraved-%s-%s", tune.name, part))
			}
		}
	}

	// The blues lick as written (K:F): bar 1's e-flat and bar 2's a-flat
	// carry a flat (the key has only B♭); bar 3's _A =A is a flat, then
	// the natural that cancels it on the same line.
	paste(string(examples.BluesLick))
	setPart("C")
	bars := read(4)
	accs := func(b int) []int {
		var out []int
		for _, g := range bars[b] {
			if g.Glyph == "accidental" {
				out = append(out, g.Acc)
			}
		}
		return out
	}
	if a := accs(0); !slices.Equal(a, []int{-1}) {
		t.Errorf("blues lick bar 1: accidentals %v, want one flat (the E♭)", a)
	}
	if a := accs(2); !slices.Equal(a, []int{-1, 0}) {
		t.Errorf("blues lick bar 3: accidentals %v, want a flat then its natural (A♭ A♮)", a)
	}
}

type staffStats struct {
	notes, accidentals, groups, halfBars, flags, rests, barTies int
}

// checkStaff checks each bar of one part's staff against the chart's
// melody and the rules of engraving, and counts what it saw.
func checkStaff(t *testing.T, what string, c sheetChart, shift int, k music.Key, bars [][]glyph) staffStats {
	t.Helper()
	var st staffStats
	num, den := c.Meter[0], c.Meter[1]
	barU := num * 4 * u / den
	beat := 4 * u / den
	compound := den == 8 && num%3 == 0 && num > 3
	if compound {
		beat = 3 * u / 2
	}
	sig := k.Signature()
	// The key signature: at the start of each system (rows of four), in
	// the standard order and places, and in no other bar.
	wantSig := sigSteps(k.Fifths())
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 12 {
			t.Errorf(what+": "+format, args...)
		}
	}
	for b, gs := range bars {
		var steps []int
		kind := ""
		for _, g := range gs {
			if g.Glyph == "key-flat" || g.Glyph == "key-sharp" {
				steps = append(steps, g.Step)
				kind = g.Glyph
			}
		}
		want := wantSig
		if b%4 != 0 {
			want = nil
		}
		if !slices.Equal(steps, want) || (len(want) > 0 && kind != map[bool]string{true: "key-sharp", false: "key-flat"}[k.Fifths() > 0]) {
			fail("bar %d: key signature %s at steps %v, want %d %s at %v", b+1, kind, steps, abs(k.Fifths()), map[bool]string{true: "sharps", false: "flats"}[k.Fifths() > 0], want)
		}
	}

	// The melody's notes by the bar they start in, written in the part.
	type mel struct{ pitch, start, end int }
	starts := make([][]mel, len(c.Bars))
	for b, bar := range c.Bars {
		for _, n := range bar.Melody {
			s := int(math.Round(n.Beat * float64(beat)))
			starts[b] = append(starts[b], mel{n.Pitch + shift, s, s + int(math.Round(n.Beats*float64(beat)))})
		}
	}
	var prevLast *glyph
	for b, gs := range bars {
		total := 0
		held := map[int]int{} // staff step -> alteration in force
		var heads []glyph
		for _, g := range gs {
			switch g.Glyph {
			case "note", "rest":
				total += g.U
				if g.Glyph == "rest" {
					st.rests++
					// A rest starts where its own value falls in the beat
					// (a half rest on beat 1 or 3 of 4/4), or fills the bar.
					if g.U != barU && g.Dots == 0 && g.Start%min(g.U, barU) != 0 && g.U%3 == 0 {
						fail("bar %d: a rest of %d/24 quarter at %d/24 hides the beat", b+1, g.U, g.Start)
					}
				} else {
					heads = append(heads, g)
				}
			}
		}
		// Every value is one a reader knows: plain or dotted, or a triplet
		// where the melody has notes off the plain grid (a 32nd's).
		offGrid := false
		for _, m := range starts[b] {
			offGrid = offGrid || m.start%3 != 0 || m.end%3 != 0
		}
		if b > 0 {
			for _, m := range starts[b-1] {
				offGrid = offGrid || (m.end > barU && m.end%3 != 0)
			}
		}
		for _, g := range gs {
			if g.Glyph != "note" && g.Glyph != "rest" {
				continue
			}
			switch g.U {
			case 96, 72, 48, 36, 24, 18, 12, 9, 6, 3:
			case 16, 8, 4:
				if !offGrid {
					fail("bar %d: a triplet %s of %d/24 quarter where the melody has no triplets", b+1, g.Glyph, g.U)
				}
			default:
				if g.U != barU {
					fail("bar %d: a %s of %d/24 quarter, no value a reader knows", b+1, g.Glyph, g.U)
				}
			}
		}
		if total != barU {
			fail("bar %d: notes and rests add up to %d/24 quarters, want the bar's %d", b+1, total, barU)
		}
		// Notes: each melody note starting here is a head at its spelled
		// step, with the accidental the key and the bar call for.
		var fresh []glyph
		for _, h := range heads {
			if h.Tied != "end" {
				fresh = append(fresh, h)
			}
		}
		ms := starts[b]
		// A chord in the melody is written by its top note; notes are
		// clipped at the next one.
		var mono []mel
		for _, m := range ms {
			if len(mono) > 0 && math.Abs(float64(mono[len(mono)-1].start-m.start)) < 2 {
				if m.pitch > mono[len(mono)-1].pitch {
					mono[len(mono)-1] = m
				}
				continue
			}
			mono = append(mono, m)
		}
		if len(fresh) != len(mono) {
			fail("bar %d: %d notes drawn, the melody has %d", b+1, len(fresh), len(mono))
			continue
		}
		accAt := map[int]int{}
		for _, g := range gs {
			if g.Glyph == "accidental" {
				accAt[len(accAt)] = g.Acc
			}
		}
		ai := 0
		for i, h := range heads {
			st.notes++
			if h.Tied == "end" {
				if i == 0 && h.Start == 0 {
					if prevLast == nil || prevLast.Tie != "start" || prevLast.Step != h.Step {
						fail("bar %d: a tied-into first note with no tie from bar %d's last note", b+1, b)
					} else {
						st.barTies++
					}
				}
				continue
			}
			_ = i
		}
		for i, m := range mono {
			h := fresh[i]
			if d := h.Start - m.start; d < -2 || d > 2 {
				fail("bar %d note %d: drawn at %d/24 quarter, the melody has it at %d", b+1, i+1, h.Start, m.start)
			}
			p := spell(k, m.pitch)
			step := int(p.Step) + 7*int(p.Octave)
			if h.Step != step {
				fail("bar %d note %d: %s written at step %d, want %s (step %d) in %s", b+1, i+1, h.Name, h.Step, p, step, k)
			}
			inForce, ok := held[step]
			if !ok {
				inForce = int(sig[p.Step])
			}
			wantAcc := int(p.Alter) != inForce
			if wantAcc {
				if ai >= len(accAt) || accAt[ai] != int(p.Alter) {
					got := "none"
					if ai < len(accAt) {
						got = fmt.Sprint(accAt[ai])
					}
					fail("bar %d note %d: %s needs accidental %d (in force %d), drawn %s", b+1, i+1, p, p.Alter, inForce, got)
				}
				ai++
				st.accidentals++
			}
			held[step] = int(p.Alter)
		}
		if ai != len(accAt) {
			fail("bar %d: %d accidentals drawn, the key and the bar call for %d", b+1, len(accAt), ai)
		}
		// Ties: a note that runs past the bar line is tied into the next.
		if len(heads) > 0 {
			last := heads[len(heads)-1]
			prevLast = &last
			lastEnd := last.Start + last.U
			runsOver := false
			for _, m := range ms {
				if m.end > barU+2 {
					runsOver = true
				}
			}
			if runsOver && b+1 < len(bars) && (last.Tie != "start" || lastEnd != barU) {
				fail("bar %d: the melody runs over the bar line but the last note (%s at %d) is not tied to the next bar", b+1, last.Name, last.Start)
			}
		} else {
			prevLast = nil
		}
		// Beams: a group is flagged notes in one beat, or four plain
		// eighths filling a half bar of 4/4, its stems one way: down when
		// its highest note is as far from the middle line as its lowest,
		// or farther.
		groups := map[int][]glyph{}
		for _, h := range heads {
			if h.Group != nil && *h.Group >= 0 {
				groups[*h.Group] = append(groups[*h.Group], h)
			}
		}
		beams := map[int]int{}
		flags := 0
		for _, g := range gs {
			if g.Glyph == "beam" && g.Level == 1 {
				beams[*g.Group]++
			}
			if g.Glyph == "flag" {
				flags++
			}
		}
		st.flags += flags
		for gi, list := range groups {
			st.groups++
			if beams[gi] != 1 {
				fail("bar %d: group %d has %d primary beams, want 1", b+1, gi, beams[gi])
			}
			first, last := list[0].Start, list[len(list)-1].Start+list[len(list)-1].U
			half := num == 4 && den == 4 && len(list) == 4 && first%(2*u) == 0 && last-first == 2*u
			if half {
				st.halfBars++
				for _, h := range list {
					if h.U != u/2 {
						half = false
					}
				}
			}
			if !half && first/beat != (last-1)/beat {
				fail("bar %d: a beamed group from %d to %d/24 crosses a beat", b+1, first, last)
			}
			hi, lo := -99, 99
			for _, h := range list {
				if h.Value > u/2 {
					fail("bar %d: a %d/24 note in a beam", b+1, h.Value)
				}
				hi, lo = max(hi, h.Step-34), min(lo, h.Step-34)
			}
			want := "down"
			if hi+lo < 0 {
				want = "up"
			}
			for _, h := range list {
				if h.Stem != want {
					fail("bar %d: group %d (steps %d..%d from the middle line) has a stem %s, want all %s", b+1, gi, lo, hi, h.Stem, want)
					break
				}
			}
		}
		// A beat holding two plain flagged notes in a row, nothing
		// between, has them under one beam.
		for i := 0; i+1 < len(heads); i++ {
			a, n := heads[i], heads[i+1]
			if a.Value <= u/2 && n.Value <= u/2 && a.Start+a.U == n.Start && a.Start/beat == (n.Start+n.U-1)/beat && a.Start/beat == (a.Start+a.U-1)/beat {
				if a.Group == nil || n.Group == nil || *a.Group < 0 || *a.Group != *n.Group {
					fail("bar %d: %s and %s share beat %d but are not beamed together", b+1, a.Name, n.Name, a.Start/beat+1)
				}
			}
		}
		// In 4/4, a half bar of four plain eighths is one group, as jazz
		// lead sheets beam it.
		if num == 4 && den == 4 {
			for _, h0 := range []int{0, 2 * u} {
				var in []glyph
				rest := false
				for _, g := range gs {
					if (g.Glyph == "note" || g.Glyph == "rest") && g.Start >= h0 && g.Start < h0+2*u {
						rest = rest || g.Glyph == "rest"
						in = append(in, g)
					}
				}
				if rest || len(in) != 4 {
					continue
				}
				eighths, one := true, true
				for _, g := range in {
					eighths = eighths && g.U == u/2 && g.Value == u/2
					one = one && g.Group != nil && in[0].Group != nil && *g.Group == *in[0].Group && *g.Group >= 0
				}
				if !eighths {
					continue
				}
				if !one {
					fail("bar %d: four eighths from beat %d are not under one beam", b+1, h0/u+1)
				}
			}
		}
		// A flagged note outside a beam has its flags.
		want := 0
		for _, h := range heads {
			if (h.Group == nil || *h.Group < 0) && h.Value <= u/2 {
				want += map[int]int{12: 1, 6: 2, 3: 3}[h.Value]
			}
		}
		if flags != want {
			fail("bar %d: %d flags drawn, the lone eighths and sixteenths want %d", b+1, flags, want)
		}
	}
	if errs > 12 {
		t.Errorf("%s: %d more", what, errs-12)
	}
	return st
}

// spell is how the lead sheet spells a pitch in a key: music.Key.Spell
// (the key's note, else a natural, else sharps in sharp keys and flats in
// flat ones), but in C major, which has no side, C♯ F♯ and E♭ A♭ B♭, the
// blue notes and flat degrees a melody in C mostly means.
func spell(k music.Key, pitch int) music.Pitch {
	p := k.Spell(pitch)
	if k.Fifths() == 0 && p.Alter != 0 {
		pc := pitch % 12
		return music.PitchFromMIDI(pitch, pc != 1 && pc != 6)
	}
	return p
}

// sigSteps are the staff steps (C4 = 28) of a treble key signature's
// sharps (F5 C5 G5 D5 A4 E5 B4) or flats (B4 E5 A4 D5 G4 C5 F4).
func sigSteps(fifths int) []int {
	sharps := []int{38, 35, 39, 36, 33, 37, 34}
	flats := []int{34, 37, 33, 36, 32, 35, 31}
	if fifths > 0 {
		return sharps[:min(7, fifths)]
	}
	if fifths < 0 {
		return flats[:min(7, -fifths)]
	}
	return nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestStudioLeadSheetChordSpelling: every bundled chart, in every part,
// writes each chord's root (and slash bass) a part's interval above the
// concert one, and by that interval's letters, so the chart's spelling
// carries over (E♭m7 is Fm7 for a B♭ part, never E♯m7 or a G♭♭); only a
// root that would need a double sharp or flat is respelled.
func TestStudioLeadSheetChordSpelling(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	p := openPage(t, url, artifactsDir(t), 120*time.Second)
	checked := 0
	for _, name := range examples.Names() {
		p.eval(`window.sideman.state.chart = null, true`, new(bool))
		p.openExample(name)
		var c sheetChart
		p.eval(`window.sideman.state.chart`, &c)
		for _, part := range []string{"Bb", "Eb", "F"} {
			p.do("part "+part, chromedp.SetValue(chromedp.CSS("#part"), part),
				chromedp.Evaluate[chromedp.Void](`document.getElementById("part").dispatchEvent(new Event("change"))`))
			checked += checkChords(t, name, part, c, p)
		}
	}
	t.Logf("%d chord roots and basses checked in %d bundled charts, 3 parts", checked, len(examples.Names()))
}

// checkChords checks the part's chord symbols (the page's symbols())
// against the chart's concert ones; it gives how many roots it checked.
func checkChords(t *testing.T, name, part string, c sheetChart, p *browserPage) int {
	t.Helper()
	var syms [][]string
	p.eval(`window.sideman.leadsheet.symbols()`, &syms)
	k := writtenKey(t, c.Key, part)
	concert, _ := music.ParseKey(c.Key)
	letters := (int(k.Tonic.Step) - int(concert.Tonic.Step) + 7) % 7
	checked := 0
	if len(syms) != len(c.Bars) {
		t.Fatalf("%s %s part: %d bars of chords written, the chart has %d", name, part, len(syms), len(c.Bars))
	}
	for b, bar := range c.Bars {
		if len(syms[b]) != len(bar.Chords) {
			t.Fatalf("%s %s part: bar %d has %d chords written, the chart %d", name, part, b+1, len(syms[b]), len(bar.Chords))
		}
		for i, ch := range bar.Chords {
			from, to := roots(ch.Symbol), roots(syms[b][i])
			if len(from) != len(to) {
				t.Errorf("%s %s part bar %d: %s written %s", name, part, b+1, ch.Symbol, syms[b][i])
				continue
			}
			for r := range from {
				checked++
				if (from[r].PitchClass()+partShift[part])%12 != to[r].PitchClass() {
					t.Errorf("%s %s part bar %d: %s written %s, not %d semitones up", name, part, b+1, ch.Symbol, syms[b][i], partShift[part])
				}
				want := music.Step((int(from[r].Step) + letters) % 7)
				alter := (to[r].PitchClass() - music.Spelling{Step: want}.PitchClass() + 18) % 12
				if alter -= 6; alter >= -1 && alter <= 1 && to[r].Step != want {
					t.Errorf("%s %s part (%s) bar %d: %s written %s, want the root on %s (the keys are %d letters apart)", name, part, k, b+1, ch.Symbol, syms[b][i], want, letters)
				}
			}
		}
	}
	return checked
}

// roots are a chord symbol's root and slash bass.
func roots(sym string) []music.Spelling {
	var out []music.Spelling
	read := func(s string) {
		if s == "" || s[0] < 'A' || s[0] > 'G' {
			return
		}
		sp := music.Spelling{Step: music.Step(strings.IndexByte("CDEFGAB", s[0]))}
		if len(s) > 1 && s[1] == '#' {
			sp.Alter = 1
		} else if len(s) > 1 && s[1] == 'b' {
			sp.Alter = -1
		}
		out = append(out, sp)
	}
	read(sym)
	if i := strings.LastIndexByte(sym, '/'); i > 0 {
		read(sym[i+1:])
	}
	return out
}
