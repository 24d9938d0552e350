package comp_test

import (
	"bytes"
	"fmt"
	"os"
	"sideman/band/lineup"
	"slices"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/jazzstd"
	"sideman/internal/shareddata"
	"sideman/music"
)

// lowLimits is the Berklee low interval limit table (Pilhofer & Day,
// Music Theory for Dummies), written out here apart from the player's
// copy so that a slip in either shows: the lowest MIDI key for the lower
// note of each interval between adjacent voices, by semitones.
var lowLimits = map[int]int{
	1:  52, // minor 2nd: E3
	2:  51, // major 2nd: Eb3
	3:  48, // minor 3rd: C3
	4:  46, // major 3rd: Bb2
	5:  45, // perfect 4th: A2
	6:  47, // tritone: B2
	7:  34, // perfect 5th: Bb1
	8:  43, // minor 6th: G2
	9:  41, // major 6th: F2
	10: 41, // minor 7th: F2
	11: 41, // major 7th: F2
}

// voicing is the keys struck together and the chord they were meant for.
type voicing struct {
	start music.Ticks
	keys  []int
	durs  []music.Ticks
	chord music.Chord
}

// voicings groups a part's notes by onset. A stroke an eighth or less
// (half a beat) before a chord change anticipates it and is checked
// against it.
func voicings(notes []music.Note, bars []music.PlayedBar, spans []music.ChordSpan) []voicing {
	var out []voicing
	for _, n := range notes {
		if k := len(out); k > 0 && out[k-1].start == n.Start {
			out[k-1].keys = append(out[k-1].keys, int(n.Pitch))
			out[k-1].durs = append(out[k-1].durs, n.Duration)
			continue
		}
		out = append(out, voicing{start: n.Start, keys: []int{int(n.Pitch)}, durs: []music.Ticks{n.Duration}})
	}
	for i := range out {
		v := &out[i]
		sort.Ints(v.keys)
		j := sort.Search(len(spans), func(j int) bool { return spans[j].Start > v.start }) - 1
		b := sort.Search(len(bars), func(b int) bool { return bars[b].Start > v.start }) - 1
		half := music.Ticks(music.PPQ / 2)
		if b >= 0 {
			half = bars[b].Meter.BeatTicks() / 2
		}
		if j+1 < len(spans) && spans[j+1].Start-v.start <= half && (j < 0 || spans[j].Start < v.start) {
			j++
		}
		if j >= 0 {
			v.chord = spans[j].Chord
		} else {
			v.chord = music.NC
		}
	}
	return out
}

func pcs(ch music.Chord, ivs []music.Interval) []int {
	var out []int
	for _, iv := range ivs {
		out = append(out, (ch.Root.PitchClass()+iv.Semitones)%12)
	}
	return out
}

func has(keys []int, pc int) bool {
	return slices.ContainsFunc(keys, func(k int) bool { return k%12 == pc })
}

func flatNine(ch music.Chord) bool {
	return ch.Alt || slices.Contains(ch.Alterations, music.Degree(9, -1))
}

func minorNinth(keys []int) bool {
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if d := keys[j] - keys[i]; d > 12 && d%12 == 1 {
				return true
			}
		}
	}
	return false
}

// audit counts rule breaks in a part's voicings.
type audit struct {
	voicings, register, lowInterval, minorNinths int
	guideWanted, guideFound                      int
	altWanted, altFound                          int
	movement                                     float64
	moves                                        int
	// fourths counts chord changes up a fourth between rootless voicings
	// (bottom on the 3rd or 7th); alternations those that switch form.
	fourths, alternations int
	examples              []string
}

func (a *audit) note(format string, args ...any) {
	if len(a.examples) < 8 {
		a.examples = append(a.examples, fmt.Sprintf(format, args...))
	}
}

func (a *audit) check(title string, vs []voicing, upper bool) {
	var prev []int
	var prevChord music.Chord
	for _, v := range vs {
		if v.chord.NoChord {
			continue
		}
		a.voicings++
		lo, hi := v.keys[0], v.keys[len(v.keys)-1]
		if upper && (lo < 48 || hi < 64 || hi > 86) {
			a.register++
			a.note("%s: %s %v out of the register window", title, v.chord, v.keys)
		}
		for i := 1; i < len(v.keys); i++ {
			d := v.keys[i] - v.keys[i-1]
			if lim, ok := lowLimits[d]; ok && v.keys[i-1] < lim {
				a.lowInterval++
				a.note("%s: %s %v: %d semitones on %d, below the limit %d", title, v.chord, v.keys, d, v.keys[i-1], lim)
			}
		}
		if minorNinth(v.keys) && !flatNine(v.chord) {
			a.minorNinths++
			a.note("%s: %s %v has a minor ninth", title, v.chord, v.keys)
		}
		if v.chord.Sus == 0 && !v.chord.Sixth && !slices.Contains(v.chord.Omit, 3) {
			if g := v.chord.GuideTones(); len(g) > 0 {
				a.guideWanted++
				ok := true
				for _, pc := range pcs(v.chord, g) {
					ok = ok && has(v.keys, pc)
				}
				if ok {
					a.guideFound++
				} else if len(a.examples) < 8 {
					a.note("%s: %s %v lacks a guide tone", title, v.chord, v.keys)
				}
			}
		}
		// Written alterations and "alt" must sound.
		var want []int
		for _, al := range v.chord.Alterations {
			if al.Number == 9 || al.Number == 11 || al.Number == 13 {
				want = append(want, (v.chord.Root.PitchClass()+al.Semitones)%12)
			}
		}
		if len(want) > 0 || v.chord.Alt {
			a.altWanted++
			ok := true
			for _, pc := range want {
				ok = ok && has(v.keys, pc)
			}
			if v.chord.Alt {
				r := v.chord.Root.PitchClass()
				ok = ok && has(v.keys, (r+8)%12) && (has(v.keys, (r+1)%12) || has(v.keys, (r+3)%12))
			}
			if ok {
				a.altFound++
			} else {
				a.note("%s: %s %v misses a written alteration", title, v.chord, v.keys)
			}
		}
		if prev != nil {
			a.movement += movement(prev, v.keys)
			a.moves++
			if f, g := form(prevChord, prev), form(v.chord, v.keys); f != 0 && g != 0 &&
				(v.chord.Root.PitchClass()-prevChord.Root.PitchClass()+12)%12 == 5 {
				a.fourths++
				if f != g {
					a.alternations++
				}
			}
		}
		prev, prevChord = v.keys, v.chord
	}
}

// form says whether a voicing stands on its chord's third ('A') or
// seventh ('B'), else 0.
func form(ch music.Chord, keys []int) byte {
	if ch.NoChord || ch.Third == 0 || ch.Seventh == 0 {
		return 0
	}
	switch (keys[0] - ch.Root.PitchClass() + 120) % 12 {
	case int(ch.Third):
		return 'A'
	case int(ch.Seventh):
		return 'B'
	}
	return 0
}

func movement(a, b []int) float64 {
	near := func(x []int, k int) int {
		m := 1000
		for _, y := range x {
			m = min(m, max(y-k, k-y))
		}
		return m
	}
	s := 0
	for _, k := range b {
		s += near(a, k)
	}
	for _, k := range a {
		s += near(b, k)
	}
	return float64(s) / 2
}

// repeats counts two-bar windows that repeat an earlier one verbatim
// (onsets, keys and lengths) over the same changes within a chorus.
func repeats(notes []music.Note, bars []music.PlayedBar, spans []music.ChordSpan) (int, string) {
	n, first := 0, ""
	seen := map[string]int{}
	for i := 0; i+1 < len(bars); i++ {
		if i == 0 || bars[i].Chorus != bars[i-1].Chorus {
			clear(seen)
		}
		if bars[i+1].Chorus != bars[i].Chorus {
			continue
		}
		ws, we := bars[i].Start, bars[i+1].End()
		var changes, content strings.Builder
		for _, s := range spans {
			if s.Start < we && s.Start+s.Duration > ws {
				fmt.Fprintf(&changes, "%s@%d ", s.Chord.Name(), max(s.Start-ws, 0))
			}
		}
		for _, nt := range notes {
			if nt.Start >= ws && nt.Start < we {
				fmt.Fprintf(&content, "%d/%d/%d ", nt.Start-ws, nt.Pitch, nt.Duration)
			}
		}
		if content.Len() == 0 {
			continue
		}
		key := changes.String() + "|" + content.String()
		if j, ok := seen[key]; ok {
			n++
			if first == "" {
				first = fmt.Sprintf("bars %d-%d repeat bars %d-%d over %s", i+1, i+2, j+1, j+2, changes.String())
			}
			continue
		}
		seen[key] = i
	}
	return n, first
}

func jazzStandards(tb testing.TB) []*music.Chart {
	tb.Helper()
	data, err := os.ReadFile(shareddata.File(tb, "jazz-standards/JazzStandards.json"))
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := jazzstd.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

// TestJazzStandards comps every tune of the JazzStandards collection in
// medium swing, one chorus, and holds the comping to the rules:
// no register or low-interval-limit breaks, guide tones in at least 98%
// of the voicings, no minor ninth except over a flat nine, written
// alterations sounding, no repeated two-bar cell.
func TestJazzStandards(t *testing.T) {
	charts := jazzStandards(t)
	if len(charts) != 1382 {
		t.Fatalf("%d tunes, want 1382", len(charts))
	}
	var a audit
	reps := 0
	for i, c := range charts {
		p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Choruses: 1, Seed: int64(i), Mute: map[string]bool{"bass": true, "drums": true}})
		if err == band.ErrNoChords {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.Title, err)
		}
		bars := band.Form(c, 1, false, false)
		spans := music.Spans(bars)
		notes := p.Parts[0].Notes
		a.check(c.Title, voicings(notes, bars, spans), true)
		if n, first := repeats(notes, bars, spans); n > 0 {
			reps += n
			a.note("%s: %s", c.Title, first)
		}
	}
	guide := float64(a.guideFound) / float64(a.guideWanted)
	alt := float64(a.altFound) / float64(max(a.altWanted, 1))
	t.Logf("%d voicings: guide tones %.2f%% of %d, written alterations %.2f%% of %d, mean movement %.2f semitones, %d register, %d low-interval, %d minor-ninth breaks, %d repeated cells",
		a.voicings, 100*guide, a.guideWanted, 100*alt, a.altWanted, a.movement/float64(a.moves), a.register, a.lowInterval, a.minorNinths, reps)
	for _, e := range a.examples {
		t.Log(e)
	}
	if a.register > 0 || a.lowInterval > 0 || a.minorNinths > 0 || reps > 0 {
		t.Errorf("%d register, %d low-interval, %d minor-ninth breaks and %d repeated two-bar cells, want none", a.register, a.lowInterval, a.minorNinths, reps)
	}
	if guide < 0.98 {
		t.Errorf("guide tones in %.2f%% of voicings, want at least 98%%", 100*guide)
	}
	if alt < 0.99 {
		t.Errorf("written alterations sound in %.2f%% of voicings, want at least 99%%", 100*alt)
	}
	// Root motion up a fourth (ii-V-I) turns an A form into a B form and
	// back (Levine, The Jazz Piano Book, ch. 4): the 3rd and 7th trade
	// places by a step.
	ab := float64(a.alternations) / float64(a.fourths)
	t.Logf("%d changes up a fourth between rootless voicings, %.1f%% alternate A and B", a.fourths, 100*ab)
	if ab < 0.8 {
		t.Errorf("A and B forms alternate on %.1f%% of the changes up a fourth, want at least 80%%", 100*ab)
	}
	// Voice leading: a pianist moves a few semitones from chord to chord.
	if m := a.movement / float64(a.moves); m > 5 {
		t.Errorf("mean movement %.2f semitones between voicings, want at most 5", m)
	}
}

// BenchmarkComping comps every JazzStandards tune for three choruses in
// medium swing: ns/op is per tune.
func BenchmarkComping(b *testing.B) {
	charts := jazzStandards(b)
	st, _ := band.LookupStyle("medium swing")
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 3, Mute: map[string]bool{"bass": true, "drums": true}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opt.Seed = int64(i)
		band.Play(charts[i%len(charts)], opt)
	}
}
