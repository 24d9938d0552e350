package comp_test

import (
	"bytes"
	"fmt"
	"sideman/band/lineup"
	"slices"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

// sounding lists, at each onset, the keys sounding then: the whole chord
// as heard, rolled chords and a guitar's thumb included.
func sounding(notes []music.Note) [][]int {
	var out [][]int
	for i, n := range notes {
		if i > 0 && notes[i-1].Start == n.Start {
			continue
		}
		var keys []int
		for _, m := range notes {
			if m.Start <= n.Start && m.Start+m.Duration > n.Start {
				keys = append(keys, int(m.Pitch))
			}
		}
		sort.Ints(keys)
		out = append(out, slices.Compact(keys))
	}
	return out
}

// Every style on every bundled chart: the low interval limits hold for
// everything sounding together, minor ninths only over flat nines, and
// the same seed plays the same notes.
func TestStyles(t *testing.T) {
	for _, st := range band.Styles() {
		for _, name := range examples.Names() {
			c := exampleChart(t, name)
			opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 7, Intro: true, Ending: true, Mute: map[string]bool{"bass": true, "drums": true}}
			p, err := band.Play(c, opt)
			if err != nil {
				t.Fatalf("%s %s: %v", st.Name, name, err)
			}
			again, _ := band.Play(c, opt)
			bars := band.Form(c, 2, true, true)
			spans := music.Spans(bars)
			for pi, part := range p.Parts {
				if len(part.Notes) == 0 {
					t.Errorf("%s %s: %s plays nothing", st.Name, name, part.Role)
				}
				if !slices.EqualFunc(part.Notes, again.Parts[pi].Notes, func(a, b music.Note) bool {
					return a.Pitch == b.Pitch && a.Start == b.Start && a.Duration == b.Duration && a.Velocity == b.Velocity
				}) {
					t.Errorf("%s %s: %s differs with the same seed", st.Name, name, part.Role)
				}
				bad := 0
				for _, keys := range sounding(part.Notes) {
					for i := 1; i < len(keys); i++ {
						d := keys[i] - keys[i-1]
						if lim, ok := lowLimits[d]; ok && keys[i-1] < lim {
							if bad == 0 {
								t.Errorf("%s %s %s: %v below the low interval limit", st.Name, name, part.Role, keys)
							}
							bad++
						}
					}
				}
				for _, v := range voicings(part.Notes, bars, spans) {
					if minorNinth(v.keys) && !flatNine(v.chord) {
						t.Errorf("%s %s %s: %s %v has a minor ninth", st.Name, name, part.Role, v.chord, v.keys)
					}
				}
				if n, first := repeats(part.Notes, bars, spans); n > 0 {
					t.Errorf("%s %s %s: %d repeated two-bar cells: %s", st.Name, name, part.Role, n, first)
				}
			}
			other, _ := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 8, Mute: opt.Mute})
			if slices.EqualFunc(p.Parts[0].Notes, other.Parts[0].Notes, func(a, b music.Note) bool { return a.Pitch == b.Pitch && a.Start == b.Start }) {
				t.Errorf("%s %s: seeds 7 and 8 play the same", st.Name, name)
			}
		}
	}
}

// The bossa guitar's thumb plays the root on 1 and the fifth on 3, from
// F#2 to F3 on the low strings, at or above the bass player; the
// fingers' chord sits above the thumb, from G3.
func TestBossaGuitar(t *testing.T) {
	st, _ := band.LookupStyle("bossa nova")
	p, err := band.Play(exampleChart(t, "bossa-d"), band.Options{Lineup: lineup.Standard(), Style: st, Seed: 1, Mute: map[string]bool{"bass": true, "drums": true, "piano": true}})
	if err != nil {
		t.Fatal(err)
	}
	g := p.Parts[0]
	if g.Role != "guitar" {
		t.Fatalf("part %s", g.Role)
	}
	bar := music.Ticks(4 * music.PPQ)
	thumbs := 0
	for _, n := range g.Notes {
		if n.Pitch < 42 {
			t.Errorf("guitar note %d below F#2", n.Pitch)
		}
		if n.Pitch == 54 {
			t.Errorf("guitar note %d between the thumb and the fingers", n.Pitch)
		}
		if n.Pitch <= 53 {
			thumbs++
			if off := n.Start % bar; off != 0 && off != 2*music.PPQ {
				t.Errorf("thumb at %d into the bar, want beats 1 and 3", off)
			}
		}
	}
	if thumbs == 0 {
		t.Error("no thumb")
	}
	// With the bass player: every thumb note sits above the bass note
	// struck with it, or doubles it (the bass's root-fifth line; its
	// pickups may ring on into the guitar's register).
	p, err = band.Play(exampleChart(t, "bossa-d"), band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 1, Mute: map[string]bool{"drums": true, "piano": true}})
	if err != nil {
		t.Fatal(err)
	}
	var bass, guitar []music.Note
	for _, part := range p.Parts {
		switch part.Role {
		case "bass":
			bass = part.Notes
		case "guitar":
			guitar = part.Notes
		}
	}
	if len(bass) == 0 {
		t.Fatal("no bass part")
	}
	for _, g := range guitar {
		for _, b := range bass {
			if b.Start == g.Start && b.Pitch > g.Pitch {
				t.Errorf("guitar %d at %d below the bass's %d", g.Pitch, g.Start, b.Pitch)
			}
		}
	}
}

// A style file's cells replace the player's rhythms.
func TestStyleCells(t *testing.T) {
	st, err := band.ParseStyle("x.style", strings.NewReader("name: x\nfeel: straight\npiano: swing\npiano.cells: 2 4 | 2 4+\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := exampleChart(t, "blues-f")
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Seed: 3, Mute: map[string]bool{"bass": true, "drums": true}})
	if err != nil {
		t.Fatal(err)
	}
	bars := band.Form(c, 1, false, false)
	spans := music.Spans(bars)
	for _, n := range p.Parts[0].Notes {
		off := n.Start % (4 * music.PPQ)
		chordStart := slices.ContainsFunc(spans, func(s music.ChordSpan) bool { return s.Start == n.Start })
		final := n.Start == bars[len(bars)-1].Start // the last chord, held from beat 1
		if off != music.PPQ && off != 3*music.PPQ && off != 3*music.PPQ+music.PPQ/2 && !chordStart && !final {
			t.Fatalf("stroke %d ticks into the bar, want 2, 4 or the and of 4 (or a chord's first beat, or the last bar's)", off)
		}
	}
}

// Every meter plays: 2/4 to 12/8, strokes inside their bars, every chord
// voiced.
func TestMeters(t *testing.T) {
	for _, m := range []string{"2/4", "3/4", "4/4", "5/4", "6/4", "7/4", "2/2", "3/8", "5/8", "6/8", "7/8", "9/8", "12/8"} {
		meter, err := music.ParseMeter(m)
		if err != nil {
			t.Fatal(err)
		}
		bt := meter.BarTicks()
		var bars []music.Bar
		for i, sym := range []string{"Dm7", "G7", "Cmaj7", "A7alt", "Dm7", "G7b9", "C6", "C6"} {
			b := music.Bar{Chords: []music.ChordAt{{Chord: music.MustParseChord(sym)}}}
			if i == 2 && bt >= 2*music.PPQ {
				b.Chords = append(b.Chords, music.ChordAt{Offset: bt / 2, Chord: music.MustParseChord("Fmaj7#11")})
			}
			bars = append(bars, b)
		}
		c := &music.Chart{Title: m, Meter: &meter, Bars: bars}
		for _, st := range band.Styles() {
			p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 1, Mute: map[string]bool{"bass": true, "drums": true}})
			if err != nil {
				t.Fatalf("%s %s: %v", m, st.Name, err)
			}
			form := band.Form(c, 2, false, false)
			spans := music.Spans(form)
			end := form[len(form)-1].End()
			for _, part := range p.Parts {
				struck := map[int]bool{}
				for _, v := range voicings(part.Notes, form, spans) {
					for i, s := range spans {
						if v.chord.Same(s.Chord) && v.start >= s.Start-bt && v.start < s.Start+s.Duration {
							struck[i] = true
						}
					}
				}
				for _, n := range part.Notes {
					if n.Start < 0 || n.Start >= end {
						t.Errorf("%s %s: note at %d outside the form", m, st.Name, n.Start)
					}
				}
				for i := range spans {
					if !struck[i] {
						t.Errorf("%s %s %s: %s at %d never struck", m, st.Name, part.Role, spans[i].Chord, spans[i].Start)
					}
				}
			}
		}
	}
}

var _ = fmt.Sprint

// "piano.voicings: quartal" asks for fourths on every minor seventh, even
// a ii chord of two beats; without it a two-beat ii gets rootless forms.
func TestStyleQuartal(t *testing.T) {
	c := exampleChart(t, "rhythm-changes-bb")
	bars := band.Form(c, 1, false, false)
	spans := music.Spans(bars)
	fourths := func(style string) (minor, quartal int) {
		st, err := band.ParseStyle("q.style", strings.NewReader(style))
		if err != nil {
			t.Fatal(err)
		}
		p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Seed: 2, Mute: map[string]bool{"bass": true, "drums": true}})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range voicings(p.Parts[0].Notes, bars, spans) {
			if v.chord.Third != 3 || v.chord.Seventh != 10 || v.chord.Fifth != 7 {
				continue
			}
			minor++
			// Quartal: the lowest two voices a fourth apart.
			if v.keys[1]-v.keys[0] == 5 {
				quartal++
			}
		}
		return minor, quartal
	}
	m, q := fourths("name: q\nfeel: swing\npiano: swing\npiano.voicings: rootless, quartal\n")
	if m == 0 || q != m {
		t.Errorf("piano.voicings quartal: %d of %d minor sevenths in fourths", q, m)
	}
	m, q = fourths("name: q\nfeel: swing\npiano: swing\n")
	if m == 0 || q > m/4 {
		t.Errorf("without it: %d of %d minor sevenths in fourths", q, m)
	}
}

// exampleChart reads a bundled chart.
func exampleChart(tb testing.TB, name string) *music.Chart {
	tb.Helper()
	data, err := examples.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	return cs[0]
}
