package bass

import (
	"math/rand/v2"

	"sideman/band"
	"sideman/music"
)

// The bass's register in MIDI keys. The open E string (E1, 28) is the
// floor of a four-string bass; walking lines live mostly between E1 and
// C3 and reach up to about G3 (Friedland, "Building Walking Bass Lines",
// ch. 1, keeps his examples inside the first octave and a half of the
// neck for the same reason: the lower notes carry the harmony).
const (
	lowest  = 28 // E1
	highest = 55 // G3
	home    = 40 // E2: the middle of the usual walking register
)

// Velocities a bassist plays, and a ghost note's.
const (
	minVelocity = 60
	maxVelocity = 100
	ghost       = 40
)

// line is what every bass player keeps between the band's calls: the
// notes played since the last call, where the hand is, the next bar to
// play, and the gig's random stream, drawn bar after bar in the same
// order however the band asks for the bars (same seed, same line).
type line struct {
	g     *band.Gig
	r     *rand.Rand
	notes []music.Note // played, not yet handed to the band
	last  int          // the last pitch played, 0 before the first
	next  int          // the next bar of g.Bars to play
	// masks caches each chord's scale and chord tones by symbol: a tune
	// has a few dozen chords and plays each many times.
	masks map[string][2]uint16
	// The final chord (finalBar), known from the form in advance: a note
	// that would ring into its bar stops at the bar line as it is played,
	// unless it is the final chord's anticipation, tied over and held to
	// the end (tied). finalAt is -1 when the line does not end on one.
	finalAt, finalEnd music.Ticks
	finalPC           int
	tied              bool
}

// harmony returns the chord's scale and chord tones as pitch-class masks.
func (l *line) harmony(c music.Chord) (sc, ct uint16) {
	if m, ok := l.masks[c.Symbol]; ok && c.Symbol != "" {
		return m[0], m[1]
	}
	sc, ct = scale(c), chordTones(c)
	if l.masks == nil {
		l.masks = map[string][2]uint16{}
	}
	l.masks[c.Symbol] = [2]uint16{sc, ct}
	return sc, ct
}

func newLine(g *band.Gig) *line {
	l := &line{g: g, r: g.Rand("bass"), finalAt: -1}
	if fb, ok := finalBar(g); ok {
		pb := g.Bars[fb]
		l.finalAt, l.finalEnd, l.finalPC = pb.Start, pb.End(), bassPC(g.ChordAt(pb.Start).Chord)
	}
	return l
}

// answer is a player's answer to the band's Play(from, to): it plays the
// bars it has not played up to to, one at a time (playBar), and hands
// over the notes of bars from on. Bars skipped over (from past the next
// bar) are played and dropped, so that the line goes on as it would
// have; bars already played are not played again.
func (l *line) answer(from, to int, playBar func(bar int)) []music.Note {
	start := l.next
	for ; l.next < min(to, len(l.g.Bars)); l.next++ {
		if l.next == from && from > start {
			l.notes = nil
		}
		playBar(l.next)
	}
	return l.take()
}

// take hands over the notes played since the last take.
func (l *line) take() []music.Note {
	out := l.notes
	l.notes = nil
	return out
}

// add plays a note, clamping the velocity to what a player gives.
func (l *line) add(at, dur music.Ticks, pitch, vel int) {
	if dur <= 0 {
		return
	}
	if l.finalAt >= 0 && at < l.finalAt && at+dur > l.finalAt {
		if at+dur == l.finalEnd && mod12(pitch) == l.finalPC {
			l.tied = true // the final chord anticipated: it rings on
		} else {
			dur = l.finalAt - at
		}
	}
	l.notes = append(l.notes, music.Note{Pitch: uint8(pitch), Velocity: uint8(clamp(vel, 1, 127)), Start: at, Duration: dur})
	l.last = pitch
}

// jitter is a small random velocity change, so repeated notes do not
// sound like a machine.
func (l *line) jitter(n int) int { return l.r.IntN(2*n+1) - n }

// near places a pitch class in the register closest to ref, inside
// lo..hi (the whole range when the class does not fit there).
func near(pc, ref, lo, hi int) int {
	best, bestD := -1, 1<<30
	for p := lo; p <= hi; p++ {
		if mod12(p) != pc {
			continue
		}
		if d := abs(p - ref); d < bestD {
			best, bestD = p, d
		}
	}
	if best < 0 {
		return near(pc, ref, lowest, highest)
	}
	return best
}

// bassPC is the pitch class a chord asks the bass for on its first beat:
// the slash bass when written, else the root.
func bassPC(c music.Chord) int { return c.BassNote().PitchClass() }

func rootPC(c music.Chord) int { return c.Root.PitchClass() }

// degreePC is a chord's tone of a degree as a pitch class: 3 and 5 and 7
// as the chord has them (a sus chord's 4th stands in for the 3rd, a sixth
// for a missing 7th), 6 a major sixth, 8 the root.
func degreePC(c music.Chord, deg int) int {
	r := rootPC(c)
	switch deg {
	case 3:
		switch {
		case c.Third != 0:
			return mod12(r + int(c.Third))
		case c.Sus == 2:
			return mod12(r + 2)
		default:
			return mod12(r + 5)
		}
	case 5:
		if c.Fifth == 0 {
			return mod12(r + 7)
		}
		return mod12(r + int(c.Fifth))
	case 6:
		return mod12(r + 9)
	case 7:
		switch {
		case c.Seventh != 0:
			return mod12(r + int(c.Seventh))
		case c.Sixth:
			return mod12(r + 9)
		}
		return mod12(r + 10)
	}
	return r
}

// chordTones is the set of a chord's root, third (or suspension), fifth,
// sixth and seventh, and its slash bass, as a pitch-class mask: the
// notes a walking line may land on at the start of a bar. Extensions are
// left out: a 9th on beat 1 is a colour, not the harmony.
func chordTones(c music.Chord) uint16 {
	if c.NoChord {
		return 0
	}
	var m uint16
	r := rootPC(c)
	for _, t := range c.Tones() {
		if t.Number <= 7 {
			m |= 1 << mod12(r+t.Semitones)
		}
	}
	if c.HasBass {
		m |= 1 << c.Bass.PitchClass()
	}
	return m
}

// scale is the chord scale a walking line fills in with, as a
// pitch-class mask: chord-scale practice after Levine, "The Jazz Theory
// Book", ch. 3 (major: Ionian, Lydian with a #11; dominant: Mixolydian,
// altered or half-whole diminished with altered tensions; minor: Dorian,
// melodic minor with a major 7th; half-diminished: Locrian natural 2;
// diminished: whole-half; augmented: whole tone; sus: Mixolydian without
// the third). Every written chord tone is in the scale.
func scale(c music.Chord) uint16 {
	var steps []int
	altered := c.Alt
	for _, a := range c.Alterations {
		if a.Number == 9 && a.Semitones != 14 || a.Number == 13 && a.Semitones == 20 {
			altered = true
		}
	}
	switch {
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 9:
		steps = []int{0, 2, 3, 5, 6, 8, 9, 11}
	case c.Third == 3 && c.Fifth == 6:
		steps = []int{0, 2, 3, 5, 6, 8, 10}
	case c.Third == 3 && c.Seventh == 11:
		steps = []int{0, 2, 3, 5, 7, 9, 11}
	case c.Third == 3:
		steps = []int{0, 2, 3, 5, 7, 9, 10}
	case c.Third == 4 && c.Seventh == 10 && altered:
		steps = []int{0, 1, 3, 4, 6, 8, 10}
	case c.Third == 4 && c.Seventh == 10:
		steps = []int{0, 2, 4, 5, 7, 9, 10}
	case c.Third == 4 && c.Fifth == 8:
		steps = []int{0, 2, 4, 6, 8, 10}
	case c.Third == 0 && c.Seventh != 0 || c.Sus != 0:
		steps = []int{0, 2, 5, 7, 9, 10}
	default:
		steps = []int{0, 2, 4, 5, 7, 9, 11}
	}
	r := rootPC(c)
	var m uint16
	for _, s := range steps {
		m |= 1 << mod12(r+s)
	}
	// Written tones win over the scale's: drop a scale neighbour a
	// half step from a written tone (the natural 5th next to a b5).
	ct := chordTones(c)
	for pc := 0; pc < 12; pc++ {
		if ct&(1<<pc) == 0 || m&(1<<pc) != 0 {
			continue
		}
		m |= 1 << pc
		for _, d := range []int{-1, 1} {
			n := mod12(pc + d)
			if ct&(1<<n) == 0 {
				m &^= 1 << n
			}
		}
	}
	return m | ct
}

func has(mask uint16, pitch int) bool { return mask&(1<<mod12(pitch)) != 0 }

func mod12(x int) int { return ((x % 12) + 12) % 12 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }

// beat is one felt beat of the performance with the chord sounding on it.
type beat struct {
	at, len music.Ticks
	bar     int // index into the gig's played bars
	index   int // beat of the bar, from 0
	// span is the chord sounding on the beat: a chord that starts
	// between beats counts from the next beat.
	span music.ChordSpan
}

// beats lists the walking beats of the gig: the meter's felt beats (three
// in 3/4, five in 5/4, two dotted quarters in 6/8), and quarters in a
// meter counted in halves (2/2 walks four).
func beats(g *band.Gig) []beat {
	walked := func(m music.Meter) (int, music.Ticks) {
		n, bt := m.Beats(), m.BeatTicks()
		if m.Den <= 2 && bt >= 2*music.Ticks(music.PPQ) {
			k := int(bt / music.Ticks(music.PPQ))
			n, bt = n*k, music.Ticks(music.PPQ)
		}
		return n, bt
	}
	total := 0
	for _, pb := range g.Bars {
		n, _ := walked(pb.Meter)
		total += n
	}
	out := make([]beat, 0, total) // a beat holds its chord: large
	for bi, pb := range g.Bars {
		n, bt := walked(pb.Meter)
		for i := 0; i < n; i++ {
			at := pb.Start + music.Ticks(i)*bt
			s := g.ChordAt(at)
			out = append(out, beat{at: at, len: bt, bar: bi, index: i, span: s})
		}
	}
	return out
}

// finalBar is the index of the performance's last bar when one chord
// (not N.C.) fills it: the final chord, which the bass holds.
func finalBar(g *band.Gig) (int, bool) {
	if len(g.Bars) < 2 {
		return 0, false
	}
	i := len(g.Bars) - 1
	pb := g.Bars[i]
	s := g.ChordAt(pb.End() - 1)
	if s.Chord.NoChord || s.Start > pb.Start {
		return 0, false
	}
	return i, true
}

// finalChord ends the line on the final chord: its bass note (the root,
// or a slash chord's bass) on 1 in the low octave, E1 to D#2, held to the
// end of the bar, as a band ends a tune, unless a pushed bass already
// anticipated it, tied over the bar line and held (add stopped whatever
// else rang into the bar at the bar line).
func (l *line) finalChord(pb music.PlayedBar) {
	if !l.tied {
		l.add(pb.Start, pb.Meter.BarTicks(), lowOctave(l.finalPC), 86)
	}
}

// lowOctave is a pitch class in the bass's lowest octave, E1 to D#2.
func lowOctave(pc int) int { return near(pc, lowest, lowest, lowest+11) }

// param reads a numeric style parameter, def when the gig has no style.
func param(g *band.Gig, key string, def float64) float64 {
	if g.Style == nil {
		return def
	}
	return g.Style.FloatParam(key, def)
}

// pickWeighted draws one of cands with probability proportional to its
// weight in w (total is their sum, more than 0); otherwise is returned
// if rounding leaves the draw past the last weight.
func pickWeighted(r *rand.Rand, cands []int, w []float64, total float64, otherwise int) int {
	x := r.Float64() * total
	for i, wi := range w {
		if x < wi {
			return cands[i]
		}
		x -= wi
	}
	return otherwise
}
