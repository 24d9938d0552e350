package judge

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"sideman/music"
)

// The two baselines the classifier must spot before its figure counts.

// Markov is the first-order Markov soloist: pitch follows pitch by the
// training performers' pitch-to-pitch transitions, and a note's rhythm
// (its inter-onset interval and duration in twelfths of a beat, the grid
// that holds both sixteenths and eighth triplets) follows the note
// before's by their rhythm transitions. The two chains run independently
// and know nothing of the chords, as in Frieler and Zaddach's Markov
// baseline.
func Markov() Entrant {
	return Entrant{Name: "markov", Train: func(ctx context.Context, train []*Solo) (Soloist, error) {
		return learnMarkov(train)
	}}
}

type markov struct {
	pitch, rhythm         map[int][]int // state → next states, one entry per observed transition
	firstPitch, rhythmAll []int
}

// rhythm tokens: ioi*maxTwelfths + dur, each in twelfths of a beat.
const maxTwelfths = 8 * 12

func twelfths(beats float64) int {
	return min(max(int(math.Round(beats*12)), 1), maxTwelfths-1)
}

func learnMarkov(train []*Solo) (*markov, error) {
	m := &markov{pitch: map[int][]int{}, rhythm: map[int][]int{}}
	for _, s := range train {
		prevTok := -1
		for i, n := range s.Notes {
			if i == 0 {
				m.firstPitch = append(m.firstPitch, int(n.Pitch))
			} else {
				prev := int(s.Notes[i-1].Pitch)
				m.pitch[prev] = append(m.pitch[prev], int(n.Pitch))
			}
			if i+1 == len(s.Notes) {
				break
			}
			tok := twelfths(s.Notes[i+1].Onset-n.Onset)*maxTwelfths + twelfths(n.Duration)
			m.rhythmAll = append(m.rhythmAll, tok)
			if prevTok >= 0 {
				m.rhythm[prevTok] = append(m.rhythm[prevTok], tok)
			}
			prevTok = tok
		}
	}
	if len(m.firstPitch) == 0 || len(m.rhythmAll) == 0 {
		return nil, fmt.Errorf("judge: markov: no training notes")
	}
	return m, nil
}

func (m *markov) Solo(ctx context.Context, l Lead) ([]music.Note, error) {
	rng := rand.New(rand.NewPCG(l.Seed, 0x6d61726b6f76))
	pick := func(xs []int) int { return xs[rng.IntN(len(xs))] }
	ids := music.IDsFor(fmt.Sprintf("judge/markov %s seed=%d", l.Name, l.Seed))
	origin := music.Derived("improv/judge/markov", fmt.Sprintf("seed=%d", l.Seed))
	var out []music.Note
	p, tok := pick(m.firstPitch), pick(m.rhythmAll)
	for t := l.Start; t < l.End; {
		ioi, dur := tok/maxTwelfths, tok%maxTwelfths
		out = append(out, music.Note{ID: ids.Next(), Pitch: uint8(p), Velocity: 90, Start: t,
			Duration: music.Ticks(dur * TicksPerBeat / 12), Origin: origin})
		t += music.Ticks(ioi * TicksPerBeat / 12)
		if next := m.pitch[p]; len(next) > 0 {
			p = pick(next)
		} else {
			p = pick(m.firstPitch)
		}
		if next := m.rhythm[tok]; len(next) > 0 {
			tok = pick(next)
		} else {
			tok = pick(m.rhythmAll)
		}
	}
	return out, ctx.Err()
}

// Quantized is the quantized human: the held-out solo itself with every
// onset and note end snapped to the nearest sixteenth or eighth triplet
// of its beat (0, 1/4, 1/3, 1/2, 2/3, 3/4), durations at least a twelfth
// of a beat; a note snapped onto the onset of the note before is dropped.
// It plays the corpus's solos, looked up by the lead's name.
func Quantized(c *Corpus) Entrant {
	byName := map[string]*Solo{}
	for _, s := range c.Solos {
		byName[s.Name] = s
	}
	return Entrant{Name: "quantized", Train: Fixed(SoloistFunc(func(ctx context.Context, l Lead) ([]music.Note, error) {
		s := byName[l.Name]
		if s == nil {
			return nil, fmt.Errorf("judge: quantized: no solo %s", l.Name)
		}
		ids := music.IDsFor("judge/quantized " + l.Name)
		origin := &music.Origin{Kind: music.Imported, Source: s.Name, Who: s.Performer}
		origin = origin.Processed("quantized", "improv/judge/quantized", "grid=16th+8th-triplet")
		var out []music.Note
		for _, n := range s.Notes {
			on, end := snap(n.Onset), snap(n.End())
			start := music.Ticks(math.Round(on * TicksPerBeat))
			d := max(music.Ticks(math.Round((end-on)*TicksPerBeat)), TicksPerBeat/12)
			if len(out) > 0 && out[len(out)-1].Start >= start {
				continue
			}
			out = append(out, music.Note{ID: ids.Next(), Pitch: n.Pitch, Velocity: 90, Start: start, Duration: d, Origin: origin})
		}
		return out, ctx.Err()
	}))}
}

var grid = []float64{0, 1.0 / 4, 1.0 / 3, 1.0 / 2, 2.0 / 3, 3.0 / 4, 1}

// snap moves a beat position to the nearest sixteenth or eighth triplet.
func snap(b float64) float64 {
	f := math.Floor(b)
	return f + grid[nearest(b-f)]
}

func nearest(frac float64) int {
	best := 0
	for i, g := range grid {
		if math.Abs(frac-g) < math.Abs(frac-grid[best]) {
			best = i
		}
	}
	return best
}
