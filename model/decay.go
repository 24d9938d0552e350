package model

import (
	"errors"
	"math"
	"slices"

	"sideman/music"
)

// Decay is the memory of a short-term model that forgets, as a listener
// does (PPM-Decay: Harrison, Bianco, Chait and Pearce, Cognitive Science
// 44, 2020): each time a string was seen counts with a weight, full while
// it is among the last Buffer notes, then decaying exponentially from
// full towards Floor, halving every HalfLife (notes, or seconds with
// Seconds). A context's counts, totals and escape are those of the
// weights, so an old habit yields to what the player did lately. The
// zero Decay (HalfLife 0) is no decay: every occurrence counts 1, as
// plain PPM.
type Decay struct {
	// HalfLife is how long a weight takes to halve once out of the buffer.
	HalfLife float64
	// Seconds measures HalfLife in seconds, the onsets read at Tempo
	// (quarter notes a minute, 120 when 0); else in notes.
	Seconds bool
	Tempo   float64
	// Buffer is how many of the latest notes count at full weight.
	Buffer int
	// Floor is the weight an old occurrence decays to (0 to 1): the
	// paper's asymptote, what is never quite forgotten.
	Floor float64
}

// On reports whether the decay changes anything.
func (d Decay) On() bool { return d.HalfLife > 0 }

func (d Decay) check() error {
	if d.HalfLife < 0 || d.Buffer < 0 || d.Floor < 0 || d.Floor > 1 || d.Tempo < 0 ||
		math.IsNaN(d.HalfLife) || math.IsNaN(d.Floor) || math.IsNaN(d.Tempo) || math.IsInf(d.HalfLife, 0) {
		return errors.New("model: decay: half-life, buffer and tempo must be 0 or more, the floor 0 to 1")
	}
	return nil
}

// time is when event e, the i-th of its melody, happened in the decay's unit.
func (d Decay) time(e Event, i int) float64 {
	if !d.Seconds {
		return float64(i)
	}
	tempo := d.Tempo
	if tempo <= 0 {
		tempo = 120
	}
	return float64(e.Onset) / float64(music.PPQ) * 60 / tempo
}

// decayed is what a short-term model under decay keeps besides its
// counts: when each string was seen (the events it ended at) and when
// each counted under update exclusion (a new string it is the suffix
// of, or the start of the melody), as the counts' nodes are numbered.
type decayed struct {
	seen, cont [][]int32
}

// grow keeps one list a node.
func (d *decayed) grow(n int) {
	for len(d.seen) < n {
		d.seen = append(d.seen, nil)
		d.cont = append(d.cont, nil)
	}
}

// learned records that the strings ends (as extend returned them, by
// length from 1) ended at event i, the j-th symbol of the viewpoint;
// nodes from old on are new.
func (d *decayed) learned(c *counts, ends []int32, i, j int, old int32) {
	d.grow(len(c.nodes))
	for l, n := range ends {
		d.seen[n] = append(d.seen[n], int32(i))
		if n >= old {
			if s := c.nodes[n].suffix; s > 0 {
				d.cont[s] = append(d.cont[s], int32(i))
			}
			if l == j { // the whole melody so far: it began it
				d.cont[n] = append(d.cont[n], int32(i))
			}
		}
	}
}

// weights sets w[i] to the weight of what event i showed, now that the
// event at time now comes next after len(times) events.
func (d Decay) weights(times []float64, now float64, w []float64) []float64 {
	w = slices.Grow(w[:0], len(times))[:len(times)]
	for i := range times {
		out := i + d.Buffer // the event that pushed it out of the buffer
		if out >= len(times) {
			w[i] = 1
			continue
		}
		age := max(0, now-times[out])
		if d.Buffer == 0 {
			age = max(0, now-times[i])
		}
		w[i] = d.Floor + (1-d.Floor)*math.Exp2(-age/d.HalfLife)
	}
	return w
}

func sumWeights(at []int32, w []float64) float64 {
	var s float64
	for _, i := range at {
		s += w[i]
	}
	return s
}

// distributionDecayed is distribution with each count the sum of its
// occurrences' weights w (event by event); the number of symbols seen
// (q) and seen once (q1) stay counts of symbols.
func (pr predictor) distributionDecayed(c *counts, d *decayed, w []float64, ctx ctxNodes, cand, sorted []int64, at []int32, p []float64) {
	for i := range p {
		p[i] = 1 / float64(len(p))
	}
	top := pr.topContext(c, ctx)
	wc := make([]float64, 0, 16)
	for k := 0; k <= top; k++ {
		nd := &c.nodes[ctx[k]]
		if nd.total == 0 {
			continue
		}
		full := !pr.exclusion || k+1 >= c.depth
		wc = wc[:0]
		var T float64
		q, q1 := float64(nd.types), float64(nd.once)
		if !full {
			q1 = float64(nd.conce)
		}
		for n := nd.first; n != 0; n = c.nodes[n].next {
			x := sumWeights(d.seen[n], w)
			if !full {
				x = sumWeights(d.cont[n], w)
			}
			wc = append(wc, x)
			T += x
		}
		if T <= 0 {
			continue
		}
		den, gamma, sub := pr.escapeOf(T, q, q1)
		gamma = min(gamma, 1)
		for i := range p {
			p[i] *= gamma
		}
		i := 0
		for n := nd.first; n != 0; n, i = c.nodes[n].next, i+1 {
			j, ok := slices.BinarySearch(sorted, c.nodes[n].sym)
			if ok && wc[i] > 0 {
				p[at[j]] += max(wc[i]-sub, 0) / den
			}
		}
	}
	var sum float64
	for _, x := range p {
		sum += x
	}
	for i := range p {
		p[i] /= sum
	}
}
