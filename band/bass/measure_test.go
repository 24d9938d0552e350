package bass

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"sideman/band"
	"sideman/music"
)

// beatNote is the bass on one beat: the pitch whose attack is nearest the
// beat (0 for none), the chord sounding, whether the beat starts a bar and
// whether it starts a new chord. Measuring beats rather than notes keeps
// skips and ghost notes out of the intervals, for humans and machines
// alike.
type beatNote struct {
	pitch    int
	chord    music.Chord
	downbeat bool
	// strong marks beats 1 and 3 of a bar of four (beat 1 of others).
	strong bool
	change bool
	// bar and index place the beat: the bar from the first, the beat of
	// the bar from 0.
	bar, index int
	// dev is how far the note's attack lies from the beat and dur how
	// long it lasts, in beats; extra counts the attacks between this beat
	// and the next that belong to neither (skips, ghost notes).
	dev, dur float64
	extra    int
}

// Degrees of a note against its chord: the root, the third (or the
// suspension standing in for it), the fifth, the seventh (or the sixth of
// a 6 chord), another chord tone (a slash bass, a sixth beside a
// seventh), or no chord tone.
const (
	degRoot = iota
	degThird
	degFifth
	degSeventh
	degOther
	degNone
	degKinds
)

var degNames = [degKinds]string{"root", "3rd", "5th", "7th", "other chord tone", "non-chord tone"}

func degreeOf(c music.Chord, p int) int {
	if !has(chordTones(c), p) {
		return degNone
	}
	pc, r := mod12(p), rootPC(c)
	fifth := int(c.Fifth)
	if fifth == 0 {
		fifth = 7
	}
	switch {
	case pc == r:
		return degRoot
	case c.Third != 0 && pc == mod12(r+int(c.Third)),
		c.Sus == 2 && pc == mod12(r+2), c.Sus == 4 && pc == mod12(r+5):
		return degThird
	case pc == mod12(r+fifth):
		return degFifth
	case c.Seventh != 0 && pc == mod12(r+int(c.Seventh)), c.Seventh == 0 && c.Sixth && pc == mod12(r+9):
		return degSeventh
	}
	return degOther
}

// Approach-note kinds into a chord change, by the interval from the note
// before the change to the note on it.
const (
	apChromaticBelow = iota // a half step below the arrival
	apChromaticAbove        // a half step above
	apStep                  // a whole step either side
	apFifth                 // a fifth above (or a fourth below) the arrival
	apOther
	apKinds
)

var apNames = [apKinds]string{"chromatic below", "chromatic above", "whole step", "fifth (dominant)", "other"}

// Interval bins, in semitones either way: 0, 1, ... 7, 8-11, 12 and more.
const intervalBins = 10

var intervalNames = [intervalBins]string{"0", "1", "2", "3", "4", "5", "6", "7", "8-11", "12+"}

func intervalBin(d int) int {
	d = abs(d)
	switch {
	case d <= 7:
		return d
	case d < 12:
		return 8
	}
	return 9
}

// bassStats are the walking-bass measures of one line.
type bassStats struct {
	beat1, beat1CT, beat1Root int
	pairs, steps              int
	hist                      [intervalBins]float64
	approach                  [apKinds]float64
	// toRoot counts approach notes a half step, whole step or fifth from
	// the next chord's root (whatever the line lands on).
	changes, toRoot int
	// strong counts the degrees on strong beats.
	strong [degKinds]float64
	// nct counts the non-chord tones with a note on the beat before and
	// after; nctIn those entered by step (|interval| <= 2), nctBoth those
	// entered and left by step.
	nct, nctIn, nctBoth int
	// pitchSum and notes give the mean pitch (the register).
	pitchSum, notes int
}

func measure(line []beatNote) bassStats {
	var s bassStats
	for i, b := range line {
		if b.downbeat && b.pitch != 0 && !b.chord.NoChord {
			s.beat1++
			if has(chordTones(b.chord), b.pitch) {
				s.beat1CT++
			}
			if mod12(b.pitch) == bassPC(b.chord) || mod12(b.pitch) == rootPC(b.chord) {
				s.beat1Root++
			}
		}
		if b.pitch != 0 && !b.chord.NoChord {
			s.pitchSum += b.pitch
			s.notes++
			if b.strong {
				s.strong[degreeOf(b.chord, b.pitch)]++
			}
			if i > 0 && i+1 < len(line) && line[i-1].pitch != 0 && line[i+1].pitch != 0 && degreeOf(b.chord, b.pitch) == degNone {
				s.nct++
				if abs(b.pitch-line[i-1].pitch) <= 2 {
					s.nctIn++
					if abs(b.pitch-line[i+1].pitch) <= 2 {
						s.nctBoth++
					}
				}
			}
		}
		if i+1 >= len(line) || b.pitch == 0 || line[i+1].pitch == 0 {
			continue
		}
		n := line[i+1]
		d := n.pitch - b.pitch
		s.pairs++
		if abs(d) <= 2 {
			s.steps++
		}
		s.hist[intervalBin(d)]++
		if n.change && !n.chord.NoChord {
			k := apOther
			switch {
			case d == 1:
				k = apChromaticBelow
			case d == -1:
				k = apChromaticAbove
			case abs(d) == 2:
				k = apStep
			case mod12(-d) == 7:
				k = apFifth
			}
			s.approach[k]++
			s.changes++
			switch mod12(b.pitch - bassPC(n.chord)) {
			case 1, 11, 2, 10, 7:
				s.toRoot++
			}
		}
	}
	return s
}

func (s *bassStats) add(t bassStats) {
	s.beat1 += t.beat1
	s.beat1CT += t.beat1CT
	s.beat1Root += t.beat1Root
	s.pairs += t.pairs
	s.steps += t.steps
	s.changes += t.changes
	s.toRoot += t.toRoot
	for i := range s.hist {
		s.hist[i] += t.hist[i]
	}
	for i := range s.approach {
		s.approach[i] += t.approach[i]
	}
	for i := range s.strong {
		s.strong[i] += t.strong[i]
	}
	s.nct += t.nct
	s.nctIn += t.nctIn
	s.nctBoth += t.nctBoth
	s.pitchSum += t.pitchSum
	s.notes += t.notes
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func (s bassStats) chordToneRate() float64 { return ratio(s.beat1CT, s.beat1) }
func (s bassStats) rootRate() float64      { return ratio(s.beat1Root, s.beat1) }
func (s bassStats) stepShare() float64     { return ratio(s.steps, s.pairs) }
func (s bassStats) nctStepIn() float64     { return ratio(s.nctIn, s.nct) }
func (s bassStats) nctStepBoth() float64   { return ratio(s.nctBoth, s.nct) }

// meanPitch is the line's mean MIDI pitch (NaN for an empty line).
func (s bassStats) meanPitch() float64 { return ratio(s.pitchSum, s.notes) }

// strongShare is the share of the strong beats on a degree.
func (s bassStats) strongShare(deg int) float64 {
	n := 0.0
	for _, x := range s.strong {
		n += x
	}
	if n == 0 {
		return math.NaN()
	}
	return s.strong[deg] / n
}

func normalized(h []float64) []float64 {
	sum := 0.0
	for _, x := range h {
		sum += x
	}
	out := make([]float64, len(h))
	for i, x := range h {
		if sum > 0 {
			out[i] = x / sum
		}
	}
	return out
}

// jsDistance is the Jensen-Shannon distance (the square root of the
// divergence, base 2: 0 for equal distributions, 1 for disjoint ones)
// between two histograms (Endres and Schindelin, IEEE Trans. Inf. Theory
// 49(7), 2003, show it is a metric).
func jsDistance(p, q []float64) float64 {
	p, q = normalized(p), normalized(q)
	kl := func(a, m []float64) float64 {
		s := 0.0
		for i := range a {
			if a[i] > 0 {
				s += a[i] * math.Log2(a[i]/m[i])
			}
		}
		return s
	}
	m := make([]float64, len(p))
	for i := range p {
		m[i] = (p[i] + q[i]) / 2
	}
	return math.Sqrt(max(0, (kl(p, m)+kl(q, m))/2))
}

// quartiles are the 25th, 50th and 75th percentiles (linear
// interpolation between order statistics, R's default type 7).
func quartiles(xs []float64) (q1, med, q3 float64) {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	sort.Float64s(v)
	at := func(p float64) float64 {
		if len(v) == 0 {
			return math.NaN()
		}
		h := p * float64(len(v)-1)
		lo := int(math.Floor(h))
		hi := min(lo+1, len(v)-1)
		return v[lo] + (h-float64(lo))*(v[hi]-v[lo])
	}
	return at(0.25), at(0.5), at(0.75)
}

// gigLine reads the bass on each beat of a gig from notes: the note whose
// attack is nearest the beat, within a quarter of a beat.
func gigLine(g *band.Gig, notes []music.Note) []beatNote {
	var out []beatNote
	j := 0
	prev := music.Ticks(-1)
	bs := beats(g)
	perBar := map[int]int{}
	for _, b := range bs {
		perBar[b.bar]++
	}
	for _, b := range bs {
		win := b.len / 4
		for j < len(notes) && notes[j].Start < b.at-win {
			j++
		}
		bn := beatNote{chord: b.span.Chord, bar: b.bar, index: b.index, downbeat: b.index == 0, strong: b.index == 0 || b.index == 2 && perBar[b.bar] == 4}
		bn.change = b.span.Start != prev && (len(out) == 0 || !out[len(out)-1].chord.Same(b.span.Chord))
		prev = b.span.Start
		best := music.Ticks(-1)
		k := j
		for ; k < len(notes) && notes[k].Start <= b.at+win; k++ {
			d := notes[k].Start - b.at
			if d < 0 {
				d = -d
			}
			if best < 0 || d < best {
				best, bn.pitch = d, int(notes[k].Pitch)
				bn.dev = float64(notes[k].Start-b.at) / float64(b.len)
				bn.dur = float64(notes[k].Duration) / float64(b.len)
			}
		}
		for ; k < len(notes) && notes[k].Start < b.at+b.len-win; k++ {
			bn.extra++
		}
		out = append(out, bn)
	}
	return out
}

// table writes rows of a Markdown table.
func table(head []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for range head {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
