package motif

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"sideman/music"
)

// Step is one operator applied: its name and its parameters, as the index
// and the notes' Origin record them ("displace", "beats=+1/2").
type Step struct {
	Op     string `json:"op"`
	Params string `json:"params"`
}

func (s Step) String() string { return s.Op + "(" + s.Params + ")" }

// Variation is notes made from a motif by a chain of operators.
type Variation struct {
	Notes []Note
	// At is where the variation sounds, in ticks after the motif's start:
	// 0 where the motif is, a bar on for the motif re-pitched to the next
	// bar's chords.
	At    music.Ticks
	Steps []Step
}

// Of is the motif itself as the variation a chain starts from.
func Of(m *Motif) Variation {
	return Variation{Notes: clone(m.Notes)}
}

func clone(ns []Note) []Note {
	out := slices.Clone(ns)
	for i := range out {
		out[i].ID = 0
	}
	return out
}

// Operator makes a variation from another (the motif, or the previous
// operator's), drawing its parameters from rng. ok is false where it does
// not apply (too few notes, no room, no chart to re-pitch by); the
// variation given is then unchanged. An operator does not change the
// variation it is given.
type Operator struct {
	Name  string
	Apply func(m *Motif, v Variation, rng *rand.Rand) (out Variation, ok bool)
}

// Operators are the developments a player makes of a motif (see the
// package doc), without resampling, which needs a model (Resample).
var Operators = []Operator{
	{"displace", Displace},
	{"ornament", Ornament},
	{"stretch", Stretch},
	{"invert", Invert},
	{"retrograde", Retrograde},
	{"sequence", Sequence},
	{"repitch", Repitch},
}

func with(v Variation, ns []Note, at music.Ticks, op, params string) Variation {
	return Variation{Notes: ns, At: at, Steps: append(slices.Clip(v.Steps), Step{op, params})}
}

// frac names a fraction of a beat as a musician writes it.
func frac(num, den int) string {
	if den == 1 {
		return fmt.Sprintf("%+d", num)
	}
	return fmt.Sprintf("%+d/%d", num, den)
}

// Displace moves the whole phrase by a fraction of a beat (a quarter, a
// third, a half or a whole beat, earlier or later): the same line in
// another place in the bar.
func Displace(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	fr := [][2]int{{1, 4}, {1, 3}, {1, 2}, {1, 1}, {-1, 4}, {-1, 3}, {-1, 2}, {-1, 1}}
	f := fr[rng.IntN(len(fr))]
	shift := m.Meter.BeatTicks() * music.Ticks(f[0]) / music.Ticks(f[1])
	if len(v.Notes) == 0 || v.At+v.Notes[0].Onset+shift < 0 {
		return v, false
	}
	ns := slices.Clone(v.Notes)
	for i := range ns {
		ns[i].Onset += shift
	}
	return with(v, ns, v.At, "displace", "beats="+frac(f[0], f[1])), true
}

// Ornament decorates a target note: an enclosure (the scale tone above,
// then the semitone below, before the target, taking the time from the
// note before it, in eighths or sixteenths as there is room), or a
// neighbour (the target, its upper or lower neighbour, the target again,
// inside the target's time). The notes added derive from the target.
func Ornament(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	ns := v.Notes
	if len(ns) == 0 {
		return v, false
	}
	i := rng.IntN(len(ns))
	t := ns[i]
	beat := m.Meter.BeatTicks()
	orn := func(p int, on, dur music.Ticks) Note {
		return Note{Pitch: p, Onset: on, Duration: dur, Velocity: t.Velocity, From: t.From}
	}
	if rng.IntN(2) == 0 { // enclosure
		room := t.Onset + v.At
		if i > 0 {
			room = t.Onset - ns[i-1].Onset
		}
		for _, d := range []music.Ticks{beat / 2, beat / 4} {
			need := 2 * d
			if i > 0 {
				need += d // the note before keeps some of its time
			}
			if room < need {
				continue
			}
			out := make([]Note, 0, len(ns)+2)
			out = append(out, ns[:i]...)
			if i > 0 {
				out[i-1].Duration = min(out[i-1].Duration, t.Onset-2*d-out[i-1].Onset)
			}
			up := m.step(t.Pitch, 1)
			out = append(out, orn(up, t.Onset-2*d, d), orn(t.Pitch-1, t.Onset-d, d))
			out = append(out, ns[i:]...)
			return with(v, out, v.At, "ornament", fmt.Sprintf("at=%d kind=enclosure", i+1)), true
		}
		return v, false
	}
	for _, d := range []music.Ticks{beat / 4, beat / 6} {
		if t.Duration < 3*d {
			continue
		}
		dir, name := 1, "upper"
		if rng.IntN(2) == 0 {
			dir, name = -1, "lower"
		}
		nb := m.step(t.Pitch, dir)
		if dir < 0 {
			nb = t.Pitch - 1 // the lower neighbour is chromatic, as players lean into it
		}
		out := make([]Note, 0, len(ns)+2)
		out = append(out, ns[:i]...)
		first := t
		first.Duration = d
		out = append(out, first, orn(nb, t.Onset+d, d), orn(t.Pitch, t.Onset+2*d, t.Duration-2*d))
		out = append(out, ns[i+1:]...)
		return with(v, out, v.At, "ornament", fmt.Sprintf("at=%d kind=%s-neighbour", i+1, name)), true
	}
	return v, false
}

// fragment draws a stretch of k notes (lo to hi of them) of ns: its first
// index.
func fragment(ns []Note, lo, hi int, rng *rand.Rand) (a, k int, ok bool) {
	if len(ns) < lo {
		return 0, 0, false
	}
	k = lo + rng.IntN(min(hi, len(ns))-lo+1)
	a = rng.IntN(len(ns) - k + 1)
	return a, k, true
}

// Stretch expands or contracts the intervals of a fragment of three to
// six notes from its first note (by 1/2, 3/4, 3/2 or 2), each pitch then
// kept in the key and chord where a chart gives them; the notes after the
// fragment stay as they were.
func Stretch(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	a, k, ok := fragment(v.Notes, 3, 6, rng)
	if !ok {
		return v, false
	}
	fs := []float64{0.5, 0.75, 1.5, 2}
	names := []string{"1/2", "3/4", "3/2", "2"}
	fi := rng.IntN(len(fs))
	ns := slices.Clone(v.Notes)
	p0 := ns[a].Pitch
	for j := a + 1; j < a+k; j++ {
		d := float64(v.Notes[j].Pitch - p0)
		q := p0 + int(math.Round(fs[fi]*d))
		ns[j].Pitch = m.fit(q, v.At+ns[j].Onset, sign(q-ns[j].Pitch))
	}
	op := "expand"
	if fs[fi] < 1 {
		op = "contract"
	}
	if samePitches(ns, v.Notes) {
		return v, false
	}
	return with(v, ns, v.At, op, fmt.Sprintf("from=%d len=%d factor=%s", a+1, k, names[fi])), true
}

func sign(x int) int { return max(-1, min(1, x)) }

// Invert turns a fragment of three to five notes upside down about its
// first note (each pitch kept in the key and chord where a chart gives
// them).
func Invert(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	a, k, ok := fragment(v.Notes, 3, 5, rng)
	if !ok {
		return v, false
	}
	ns := slices.Clone(v.Notes)
	p0 := ns[a].Pitch
	for j := a + 1; j < a+k; j++ {
		q := 2*p0 - v.Notes[j].Pitch
		ns[j].Pitch = m.fit(q, v.At+ns[j].Onset, sign(p0-v.Notes[j].Pitch))
	}
	if samePitches(ns, v.Notes) {
		return v, false
	}
	return with(v, ns, v.At, "invert", fmt.Sprintf("from=%d len=%d", a+1, k)), true
}

// Retrograde plays a fragment's pitches of three to five notes backwards
// in its own rhythm; each note keeps the source of the pitch it takes.
func Retrograde(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	a, k, ok := fragment(v.Notes, 3, 5, rng)
	if !ok {
		return v, false
	}
	ns := slices.Clone(v.Notes)
	for j := 0; j < k; j++ {
		src := v.Notes[a+k-1-j]
		ns[a+j].Pitch, ns[a+j].From = src.Pitch, src.From
	}
	if samePitches(ns, v.Notes) {
		return v, false
	}
	return with(v, ns, v.At, "retrograde", fmt.Sprintf("from=%d len=%d", a+1, k)), true
}

// Sequence plays a fragment of two to four notes again right after
// itself, a step or two up or down (steps of the key's scale where a
// chart gives it, whole tones without), in place of the notes that were
// there while it sounds; the notes after it stay. The fragment, with the time to the
// note after it, lasts half a bar at most: a cell, not a phrase with a
// rest in it.
func Sequence(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	a, k, ok := fragment(v.Notes, 2, 4, rng)
	if !ok {
		return v, false
	}
	steps := []int{-2, -1, 1, 2}
	s := steps[rng.IntN(len(steps))]
	ns := v.Notes
	last := ns[a+k-1]
	var span music.Ticks
	if a+k < len(ns) {
		span = ns[a+k].Onset - ns[a].Onset
	} else {
		beat := m.Meter.BeatTicks()
		span = (last.Onset + last.Duration - ns[a].Onset + beat - 1) / beat * beat
	}
	if span <= 0 || span > m.Meter.BarTicks()/2 {
		return v, false // a fragment with a long rest in it is no cell to sequence
	}
	from, to := ns[a].Onset+span, last.Onset+last.Duration+span
	out := make([]Note, 0, len(ns)+k)
	for _, n := range ns {
		if n.Onset < from {
			out = append(out, n)
		}
	}
	for _, n := range ns[a : a+k] {
		n.Onset += span
		n.Pitch = m.step(n.Pitch, s)
		out = append(out, n)
	}
	for _, n := range ns {
		if n.Onset >= to {
			out = append(out, n)
		}
	}
	legato(out)
	return with(v, out, v.At, "sequence", fmt.Sprintf("from=%d len=%d steps=%+d", a+1, k, s)), true
}

// Repitch moves the phrase one to four bars on and maps each note onto
// the chord it then sounds over: a chord tone to the same degree of the
// new chord (the third of one to the third of the next), another note
// to the same interval above the new root, each the nearest such pitch.
// It needs a chart, and chords that differ there.
func Repitch(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	if len(m.Chords) == 0 {
		return v, false
	}
	bars := 1 + rng.IntN(4)
	shift := m.Meter.BarTicks() * music.Ticks(bars)
	ns := slices.Clone(v.Notes)
	changed := false
	for i, n := range ns {
		t := v.At + n.Onset
		c1, c2 := m.soundingAt(t), m.soundingAt(t+shift)
		if !c1.ok || !c2.ok {
			return v, false
		}
		r1, r2 := c1.root, c2.root
		iv := pc(n.Pitch - r1)
		want := iv
		for _, tone := range c1.tones {
			if pc(tone.Semitones) != iv {
				continue
			}
			for _, t2 := range c2.tones {
				if t2.Number == tone.Number {
					want = pc(t2.Semitones)
				}
			}
			break
		}
		target := pc(r2 + want)
		d := pc(target - n.Pitch) // 0..11 up
		if d > 6 {
			d -= 12
		}
		ns[i].Pitch = n.Pitch + d
		changed = changed || d != 0
	}
	if !changed {
		return v, false
	}
	return with(v, ns, v.At+shift, "repitch", fmt.Sprintf("bars=+%d", bars)), true
}

// Resampler resamples notes from a model's predictions at the motif's
// notes (see Resample).
type Resampler struct {
	// dist[id] is the model's distribution of the pitch at motif note id,
	// given the motif before it, over alphabet.
	dist     map[music.NoteID][]float64
	alphabet []int
}

// Resample draws one to three notes of the variation (those derived from
// a motif note) again from the model: the pitch the model predicted at
// that motif note given the motif before it, other than the note's own
// and within a fifth of it, with the probabilities the model gave.
func (r *Resampler) Resample(m *Motif, v Variation, rng *rand.Rand) (Variation, bool) {
	if r == nil || len(v.Notes) == 0 {
		return v, false
	}
	ns := slices.Clone(v.Notes)
	k := 1 + rng.IntN(3)
	var at []int
	for range k {
		i := rng.IntN(len(ns))
		if len(ns[i].From) == 0 || slices.Contains(at, i) {
			continue
		}
		d := r.dist[ns[i].From[0]]
		if d == nil {
			continue
		}
		var sum float64
		for a, p := range r.alphabet {
			if p != ns[i].Pitch && abs(p-ns[i].Pitch) <= 7 {
				sum += d[a]
			}
		}
		if sum <= 0 {
			continue
		}
		x := rng.Float64() * sum
		for a, p := range r.alphabet {
			if p != ns[i].Pitch && abs(p-ns[i].Pitch) <= 7 {
				if x -= d[a]; x <= 0 {
					ns[i].Pitch = p
					break
				}
			}
		}
		at = append(at, i)
	}
	if len(at) == 0 {
		return v, false
	}
	slices.Sort(at)
	params := "notes="
	for j, i := range at {
		if j > 0 {
			params += ","
		}
		params += fmt.Sprint(i + 1)
	}
	return with(v, ns, v.At, "resample", params), true
}

func abs(x int) int { return max(x, -x) }

// samePitches reports whether an operator changed no pitch (a fragment of
// repeated notes inverted): no variation.
func samePitches(a, b []Note) bool {
	return slices.EqualFunc(a, b, func(x, y Note) bool { return x.Pitch == y.Pitch })
}
