package band_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sideman/band/lineup"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/ireal"
	"sideman/internal/shareddata"
	"sideman/music"
)

// chartOf builds a chart from bars written as "Cm7 F7" strings.
func chartOf(tb testing.TB, key string, bars ...string) *music.Chart {
	tb.Helper()
	c := &music.Chart{Title: "test"}
	if key != "" {
		k, err := music.ParseKey(key)
		if err != nil {
			tb.Fatal(err)
		}
		c.Key = &k
	}
	for _, b := range bars {
		f := strings.Fields(b)
		var bar music.Bar
		for i, s := range f {
			if s == "." {
				continue
			}
			bar.Chords = append(bar.Chords, music.ChordAt{Offset: music.Ticks(i) * 3840 / music.Ticks(len(f)), Chord: music.MustParseChord(s)})
		}
		c.Bars = append(c.Bars, bar)
	}
	return c
}

// written shows played bars as "| Cm7 F7 | ..." for readable failures.
func written(bars []music.PlayedBar) string {
	var b strings.Builder
	for _, pb := range bars {
		b.WriteString("|")
		for _, ca := range pb.Bar.Chords {
			b.WriteString(" " + ca.Chord.String())
		}
		b.WriteString(" ")
	}
	return b.String() + "|"
}

// finalSpan is the performance's last chord.
func finalSpan(bars []music.PlayedBar) music.ChordSpan {
	sp := music.Spans(bars)
	if len(sp) == 0 {
		return music.ChordSpan{Chord: music.NC}
	}
	return sp[len(sp)-1]
}

// TestEndingResolves: the musician's endings on small forms, with and
// without a tag.
func TestEndingResolves(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart *music.Chart
		// tail is the last of two choruses without --ending; withTag
		// the ending's tag and final bar.
		tail, withTag string
	}{
		{"turnaround after the tonic becomes the tonic",
			chartOf(t, "Ab", "Fm7", "Bbm7", "Eb7", "Abmaj7", "Gm7b5 C7b9"),
			"| Fm7 | Bbm7 | Eb7 | Abmaj7 | Abmaj7 |",
			"| Bbm7 | Eb7 | Abmaj7 | Abmaj7 | Abmaj7 |"},
		{"a ii-V back to the top resolves on an added bar",
			chartOf(t, "Bb", "Bbmaj7", "Bbmaj7", "Cm7", "F7"),
			"| Bbmaj7 | Bbmaj7 | Cm7 | F7 | Bbmaj7 |",
			"| Bbmaj7 | Bbmaj7 | Cm7 | F7 | Bbmaj7 |"},
		{"a minor key with no tonic chord ends on m6",
			chartOf(t, "Cm", "Fm7", "Fm7", "Dm7b5", "G7"),
			"| Fm7 | Fm7 | Dm7b5 | G7 | Cm6 |",
			"| Fm7 | Fm7 | Dm7b5 | G7 | Cm6 |"},
		{"a major key with no tonic chord ends on 6",
			chartOf(t, "G", "Am7", "D7", "Am7", "D7"),
			"| Am7 | D7 | Am7 | D7 | G6 |",
			"| Am7 | D7 | Am7 | D7 | G6 |"},
		{"the tune's own tonic is kept",
			chartOf(t, "F", "Gm7", "C7", "F6"),
			"| Gm7 | C7 | F6 |",
			"| Gm7 | C7 | F6 | F6 |"},
		{"a blues keeps its I7",
			chartOf(t, "F", "F7", "Bb7", "F7", "Gm7 C7"),
			"| F7 | Bb7 | F7 | F7 |",
			"| F7 | Bb7 | F7 | F7 | F7 |"},
		{"a tonic in the middle of the last bar gets a bar of its own",
			chartOf(t, "C", "Dm7", "G7", "Dm7 G7 C6 A7"),
			"| Dm7 | G7 | Dm7 G7 C6 | C6 |",
			"| Dm7 | G7 | Dm7 G7 C6 | C6 |"},
		{"a I7 on the way to IV is not the tonic; a tonic over its fifth is, held in root position",
			chartOf(t, "Bb", "Fm7", "Bb7", "Ebmaj7", "Bbmaj7/F", "G7", "Cm7", "F7"),
			"| Fm7 | Bb7 | Ebmaj7 | Bbmaj7/F | G7 | Cm7 | F7 | Bbmaj7 |",
			"| Bbmaj7/F | G7 | Cm7 | F7 | Bbmaj7 |"},
		{"a ii-V on the tonic's root is no tonic: the G6 before it is held",
			chartOf(t, "G", "Cmaj7", "Am7 D7", "G6", "Dm7 G7"),
			"| Cmaj7 | Am7 D7 | G6 | G6 |",
			"| Cmaj7 | Am7 D7 | G6 | G6 | G6 |"},
		{"a minor tune that ends in the major keeps its major tonic",
			chartOf(t, "Dm", "Dm7", "E7", "A7", "D6", "A7"),
			"| Dm7 | E7 | A7 | D6 | D6 |",
			"| E7 | A7 | D6 | D6 | D6 |"},
		{"the tonic minor of a major key is not the tonic",
			chartOf(t, "C", "Cmaj7", "Dm7", "Fm6", "Cm7 G7"),
			"| Cmaj7 | Dm7 | Fm6 | Cm7 G7 | Cmaj7 |",
			"| Cmaj7 | Dm7 | Fm6 | Cm7 G7 | Cmaj7 |"},
		{"no key: the form is played as written",
			chartOf(t, "", "Fmaj7", "Gm7", "C7"),
			"| Fmaj7 | Gm7 | C7 |",
			"| Fmaj7 | Gm7 | C7 | Fmaj7 |"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.chart
			plain := band.Form(c, 2, false, false)
			form := len(c.Bars)
			if got := written(plain[form:]); got != tc.tail {
				t.Errorf("without an ending the last chorus is\n%s\nwant\n%s", got, tc.tail)
			}
			// The first chorus is played as written.
			if got, want := written(plain[:form]), written(c.Unroll(1)); got != want {
				t.Errorf("first chorus %s, want %s", got, want)
			}
			tagged := band.Form(c, 2, false, true)
			tagBars := min(4, form)
			if got, want := written(tagged[:2*form]), written(c.Unroll(2)); got != want {
				t.Errorf("with an ending the choruses are %s, want them as written %s", got, want)
			}
			if got := written(tagged[2*form:]); got != tc.withTag {
				t.Errorf("the tag and final bar are %s, want %s", got, tc.withTag)
			}
			if n := len(tagged) - 2*form; n != tagBars+1 {
				t.Errorf("%d bars after the choruses, want the %d of the tag and a final bar", n, tagBars+1)
			}
			for _, bars := range [][]music.PlayedBar{plain, tagged} {
				last := bars[len(bars)-1]
				if !last.Fermata {
					t.Errorf("the last bar has no fermata")
				}
				if s := finalSpan(bars); s.Start > last.Start {
					t.Errorf("the final chord %v starts inside the last bar", s.Chord)
				}
				for i := 1; i < len(bars); i++ {
					if bars[i].Start != bars[i-1].End() {
						t.Fatalf("bar %d starts at %d, not where bar %d ends", i, bars[i].Start, i-1)
					}
				}
			}
		})
	}
}

// TestEndingAsWritten: an "ending:" line, a Fine where the form stops and
// a modal tune leave the written end alone; an "ending:" chord is the
// final chord.
func TestEndingAsWritten(t *testing.T) {
	turnaround := func() *music.Chart { return chartOf(t, "F", "Fmaj7", "Gm7", "Am7 D7", "Gm7 C7") }

	c := turnaround()
	c.Ending = &music.Ending{AsWritten: true}
	if got := written(band.Form(c, 1, false, false)); got != written(c.Unroll(1)) {
		t.Errorf("ending: as written played %s", got)
	}
	if got := finalSpan(band.Form(c, 1, false, true)).Chord.String(); got != "C7" {
		t.Errorf("ending: as written, with a tag, ends on %s, want the written C7", got)
	}

	c = turnaround()
	c.Ending = &music.Ending{Chord: music.MustParseChord("Dm9")}
	if got := written(band.Form(c, 1, false, false)); got != "| Fmaj7 | Gm7 | Am7 D7 | Gm7 C7 | Dm9 |" {
		t.Errorf("ending: Dm9 played %s", got)
	}
	if tr := c.TransposeTo(music.Key{Tonic: music.Spelling{Step: music.G}}); finalSpan(band.Form(tr, 1, false, true)).Chord.Name() != "Em9" {
		t.Errorf("ending: Dm9 moved to G ends on %v", finalSpan(band.Form(tr, 1, false, true)).Chord)
	}

	// D.C. al Fine: the form stops at the Fine. The D7 written after the
	// tonic in the Fine bar is for the D.C.: the tune ends on Fmaj7, with
	// no bar added. A Fine with no tonic in its last two bars ends as
	// written.
	c = chartOf(t, "F", "Fmaj7", "Gm7 C7", "Fmaj7 D7", "Gm7", "C7")
	c.Bars[2].Fine = true
	c.Bars[4].Jump = music.DCAlFine
	if got := written(band.Form(c, 1, false, false)); got != "| Fmaj7 | Gm7 C7 | Fmaj7 D7 | Gm7 | C7 | Fmaj7 | Gm7 C7 | Fmaj7 |" {
		t.Errorf("al Fine played %s", got)
	}
	c = chartOf(t, "C", "Cmaj7", "Dm7", "Em7", "Am7", "D7", "G7")
	c.Bars[2].Fine = true
	c.Bars[5].Jump = music.DCAlFine
	if got := written(band.Form(c, 1, false, false)); got != written(c.Unroll(1)) {
		t.Errorf("al Fine on Em7 played %s, want it as written %s", got, written(c.Unroll(1)))
	}

	c = chartOf(t, "D", "D9sus", "D9sus", "F9sus", "F9sus")
	c.Title = "Maiden Voyage"
	if got := written(band.Form(c, 1, false, false)); got != written(c.Unroll(1)) {
		t.Errorf("Maiden Voyage played %s, want it as written", got)
	}
}

// TestFermata: the last bar is held longer in time: the tempo slows in
// the last beats before it and again over it; the other bars keep theirs.
func TestFermata(t *testing.T) {
	c := chartOf(t, "F", "F6", "Gm7 C7", "F6")
	bars := band.Form(c, 1, false, false)
	p := c.Layout(bars, 120)
	last := bars[len(bars)-1]
	beat := 60 / 120.0
	at := func(t music.Ticks) float64 { return p.Tempo.Seconds(t) }
	if d := at(bars[1].Start) - at(0); d < 4*beat-1e-6 || d > 4*beat+1e-6 {
		t.Errorf("the first bar lasts %.3f s, want %.3f", d, 4*beat)
	}
	if d := at(last.Start) - at(bars[1].Start); d <= 4*beat*1.05 {
		t.Errorf("the bar before the final bar lasts %.3f s: no ritard (a tempo %.3f)", d, 4*beat)
	}
	if d := at(last.End()) - at(last.Start); d < 4*beat*1.3 {
		t.Errorf("the final bar lasts %.3f s: no fermata (a tempo %.3f)", d, 4*beat)
	}
}

// finalBass is the bass's last note and whether it is the root of the
// final chord, sounding from its start (the final bar's first beat) to
// at least the bar's third beat.
func finalBass(p *music.Piece, bars []music.PlayedBar) (music.Note, error) {
	var bass []music.Note
	for _, pt := range p.Parts {
		if pt.Role == "bass" {
			bass = pt.Notes
		}
	}
	if len(bass) == 0 {
		return music.Note{}, fmt.Errorf("no bass notes")
	}
	last := bars[len(bars)-1]
	s := finalSpan(bars)
	n := bass[0]
	for _, x := range bass {
		if x.Start >= n.Start {
			n = x
		}
	}
	root := s.Chord.BassNote().PitchClass()
	switch {
	case int(n.Pitch)%12 != root:
		return n, fmt.Errorf("the bass ends on %d, not the root of %v", n.Pitch, s.Chord)
	case n.Start > last.Start+last.Meter.BeatTicks()/2:
		return n, fmt.Errorf("the bass's last note starts at %d, after beat 1 of the final bar (%d)", n.Start, last.Start)
	case n.Start+n.Duration < last.Start+last.Meter.BarTicks()/2:
		return n, fmt.Errorf("the bass's last note, the root of %v, stops before the middle of the final bar", s.Chord)
	}
	return n, nil
}

// TestEndingsOverJazzStandards plays every JazzStandards tune that has a
// key, without and with an ending, and asks that the performance end on
// the tonic of the key, in root position, with the bass on its root;
// only the modal tunes are left as written. Every style is played over
// every 25th tune.
func TestEndingsOverJazzStandards(t *testing.T) {
	tunes := standards(t)
	swing, _ := band.LookupStyle("medium swing")
	mute := map[string]bool{"piano": true, "guitar": true, "drums": true}
	withKey, modal := 0, 0
	bassFails := map[string]int{}
	var examples []string
	for k, c := range tunes {
		if c.Key == nil {
			continue
		}
		withKey++
		if band.Modal(c.Title) != "" {
			modal++
			continue
		}
		tonic := c.Key.Tonic.PitchClass()
		styles := []*band.Style{swing}
		if k%25 == 0 {
			styles = band.Styles()
		}
		for _, ending := range []bool{false, true} {
			bars := band.Form(c, 1, false, ending)
			s := finalSpan(bars)
			if s.Chord.NoChord || s.Chord.Root.PitchClass() != tonic || s.Chord.BassNote().PitchClass() != tonic {
				t.Errorf("%s (%s), ending %v: ends on %v, not the tonic\n%s", c.Title, c.Key.Short(), ending, s.Chord, written(bars[max(0, len(bars)-5):]))
				continue
			}
			for _, st := range styles {
				p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Ending: ending, Seed: int64(k), Mute: mute})
				if err != nil {
					t.Fatalf("%s: %v", c.Title, err)
				}
				if _, err := finalBass(p, bars); err != nil {
					bassFails[st.Name]++
					if len(examples) < 10 {
						examples = append(examples, fmt.Sprintf("%s, %s, ending %v: %v", c.Title, st.Name, ending, err))
					}
				}
			}
		}
	}
	t.Logf("%d tunes with a key, %d modal left as written", withKey, modal)
	if withKey < 1000 || modal < 10 {
		t.Errorf("%d tunes with a key and %d modal: the corpus or the list is not what was measured", withKey, modal)
	}
	var names []string
	for n := range bassFails {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf("%s: %d performances whose bass does not end on the final chord's root, held", n, bassFails[n])
	}
	for _, e := range examples {
		t.Log(e)
	}
}

// TestModalTunesAreInTheCorpus: every modal title names a JazzStandards
// tune with a key, and leaving it out would change how that tune ends (or
// it ends on its own tonic: So What, Impressions), so no entry is a typo
// or a tune the rule already serves.
func TestModalTunesAreInTheCorpus(t *testing.T) {
	byTitle := map[string]*music.Chart{}
	for _, c := range standards(t) {
		byTitle[c.Title] = c
	}
	for _, title := range band.ModalTunes() {
		c := byTitle[title]
		if c == nil || c.Key == nil {
			t.Errorf("modal tune %q is not a JazzStandards tune with a key", title)
			continue
		}
		if band.Modal(title) == "" {
			t.Errorf("%q has no reason", title)
		}
		bars := band.Form(c, 1, false, false)
		if got, want := written(bars), written(c.Unroll(1)); got != want {
			t.Errorf("%s is not played as written: ends %s", title, written(bars[len(bars)-4:]))
		}
	}
}

// TestKeylessTonic: a chart with no key is resolved only when its form
// names its tonic. Checked against the written key of every JazzStandards
// tune that has one, read as if it had none: the guess must name the
// written tonic at least 90% of the time (measured: 672 of 708, 94.9%),
// and be made for at least half of the tunes (708 of 1,149).
func TestKeylessTonic(t *testing.T) {
	guessed, right, n := 0, 0, 0
	for _, c := range standards(t) {
		if c.Key == nil {
			continue
		}
		n++
		k, ok := band.KeylessTonic(c.Unroll(1))
		if !ok {
			continue
		}
		guessed++
		if k.Tonic.PitchClass() == c.Key.Tonic.PitchClass() {
			right++
		}
	}
	t.Logf("%d of %d keyed tunes guessed, %d with the written tonic", guessed, n, right)
	if 10*right < 9*guessed || 2*guessed < n {
		t.Errorf("the keyless guess names the written tonic in %d of %d guesses over %d tunes: want 90%% of guesses, for half the tunes", right, guessed, n)
	}
	// Satin Doll's chart has no key: it opens on a ii-V (Dm7 G7) and its
	// last cadence is Db7 to Cmaj7, so it ends in C, not on the Dm7 the
	// form goes back to.
	c := chartOf(t, "", "Dm7 G7", "Dm7 G7", "Em7 A7", "Em7 A7", "Am7 D7", "Abm7 Db7", "Cmaj7", "Em7 A7")
	if got := finalSpan(band.Form(c, 1, false, true)).Chord.String(); got != "Cmaj7" {
		t.Errorf("a keyless Satin Doll ends on %s, want Cmaj7", got)
	}
	if got := finalSpan(band.Form(c, 1, false, false)).Chord.String(); got != "Cmaj7" {
		t.Errorf("a keyless Satin Doll without a tag ends on %s, want Cmaj7", got)
	}
}

// TestEndingsOverIRealPlaylists plays the form of every chart of the
// iReal Pro playlists (jazz, blues, country, dixieland, pop) with and
// without intro and ending: the bars follow one another, the last has the
// fermata, a form that stops at a Fine gets no bar added and ends on the
// Fine bar's chord as written or on its tonic, and every other chart with
// a key (not modal) ends on its tonic in root position.
func TestEndingsOverIRealPlaylists(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(shareddata.Dir(t, "ireal-playlists"), "*.txt"))
	if err != nil || len(files) < 5 {
		t.Fatalf("%d playlists (%v)", len(files), err)
	}
	charts, fine, fineResolved, tonic := 0, 0, 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := ireal.DecodeBytes(data)
		if pl == nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range pl.Charts {
			one := c.Unroll(1)
			if len(one) == 0 {
				continue
			}
			charts++
			stops := one[len(one)-1].Bar.Fine
			if stops {
				fine++
			}
			for _, opt := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				bars := band.Form(c, 2, opt[0], opt[1])
				for i := 1; i < len(bars); i++ {
					if bars[i].Start != bars[i-1].End() {
						t.Fatalf("%s: bar %d starts at %d, not where bar %d ends", c.Title, i, bars[i].Start, i-1)
					}
				}
				if !bars[len(bars)-1].Fermata {
					t.Fatalf("%s: no fermata on the last bar", c.Title)
				}
				end := finalSpan(bars).Chord
				pc := -1
				if c.Key != nil && band.Modal(c.Title) == "" {
					pc = c.Key.Tonic.PitchClass()
				}
				switch {
				case stops && !opt[1]:
					// Where a Fine stops the form nothing is added: the
					// Fine bar's turnaround becomes the tonic, or it ends
					// as written.
					intro := len(band.Form(c, 1, opt[0], false)) - len(band.Form(c, 1, false, false))
					if len(bars) != intro+len(c.Unroll(2)) {
						t.Errorf("%s stops at a Fine but %d bars are played, want %d", c.Title, len(bars), intro+len(c.Unroll(2)))
					}
					if written := finalSpan(one).Chord; !end.Same(written) && (end.Root.PitchClass() != pc || end.BassNote().PitchClass() != pc) {
						t.Errorf("%s stops at a Fine on %v but ends on %v, neither as written nor its tonic", c.Title, written, end)
					} else if !end.Same(written) && opt == [2]bool{} {
						fineResolved++
					}
				case stops:
				case pc >= 0:
					if end.NoChord || end.Root.PitchClass() != pc || end.BassNote().PitchClass() != pc {
						t.Errorf("%s (%s), intro %v ending %v: ends on %v", c.Title, c.Key.Short(), opt[0], opt[1], end)
					} else if opt == [2]bool{} {
						tonic++
					}
				}
			}
		}
	}
	t.Logf("%d charts: %d stop at a Fine (%d of them on a turnaround resolved to the tonic), %d others end on their tonic", charts, fine, fineResolved, tonic)
	if fine == 0 {
		t.Errorf("no chart stops at a Fine: the Fine rule is not exercised")
	}
}
