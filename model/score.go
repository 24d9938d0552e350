package model

import (
	"fmt"
	"math"
	"slices"
)

// PitchScorer gives the probability of a melody's actual pitches under a
// model's long-term cpitch viewpoint alone, without the distribution over
// the whole alphabet a Session works out for every note: a screen cheap
// enough to score a hundred thousand candidate melodies (improv/motif),
// whose best are then scored by a full Session.
//
// For the actual pitch x after a context it blends the orders from the
// one PPM* starts from down to the uniform order -1 exactly as a Session
// does (same escape method, update exclusion and PPM* choice of context),
// so p(x) equals the cpitch viewpoint's long-term prediction of x. A
// Session normalises that blend over the alphabet; when the alphabet
// holds every pitch the viewpoint learned (the default: the learned
// pitches), the blend already sums to one over it and the division is
// skipped; otherwise the sum is taken, at the cost of the alphabet's size.
//
// A PitchScorer reads the model and writes nothing: many goroutines may
// share one.
type PitchScorer struct {
	c        *counts
	vp       Viewpoint
	pr       predictor
	in       []bool // in[pitch]: the pitch is in the alphabet
	alphabet []int
	whole    bool // the alphabet holds every pitch learned: no normalising
}

// PitchScorer returns the scorer of m's cpitch viewpoint; a model without
// one has none.
func (m *Model) PitchScorer() (*PitchScorer, error) {
	v := slices.IndexFunc(m.cfg.Viewpoints, func(v Viewpoint) bool { return v.Name == "cpitch" })
	if v < 0 {
		return nil, fmt.Errorf("model: no cpitch viewpoint to score pitches by: %w", ErrViewpoint)
	}
	s := &PitchScorer{c: m.ltm[v], vp: m.cfg.Viewpoints[v], alphabet: m.Alphabet(), whole: true,
		pr: predictor{escape: m.cfg.Escape, exclusion: m.cfg.Exclusion, unbounded: m.cfg.Unbounded}}
	s.in = make([]bool, 128)
	for _, p := range s.alphabet {
		if p >= 0 && p < 128 {
			s.in[p] = true
		}
	}
	inSym := map[int64]bool{}
	for _, p := range s.alphabet {
		inSym[s.sym(p)] = true
	}
	for k := s.c.nodes[0].first; k != 0; k = s.c.nodes[k].next {
		if !inSym[s.c.nodes[k].sym] {
			s.whole = false
		}
	}
	return s, nil
}

// Has reports whether pitch is in the alphabet: a pitch outside it has
// probability 0.
func (s *PitchScorer) Has(pitch int) bool { return pitch >= 0 && pitch < 128 && s.in[pitch] }

// Bits is the information content of the pitches, in bits: the sum of
// -log2 p of each given the ones before, from the start of a melody. A
// pitch outside the alphabet gives +Inf.
func (s *PitchScorer) Bits(pitches []int) float64 {
	var ctx, buf [MaxDepth + 1]int32
	cur := ctxNodes(ctx[:1])
	var bits float64
	for _, p := range pitches {
		if !s.Has(p) {
			return math.Inf(1)
		}
		sym := s.sym(p)
		q := s.blend(cur, sym)
		if !s.whole {
			var z float64
			for _, a := range s.alphabet {
				z += s.blend(cur, s.sym(a))
			}
			q /= z
		}
		bits -= math.Log2(q)
		next := s.c.next(cur, sym, ctxNodes(buf[:0]))
		n := copy(ctx[:], next)
		cur = ctxNodes(ctx[:n])
	}
	return bits
}

// blend is the probability of sym after ctx before normalising: what
// predictor.distribution gives the one candidate.
func (s *PitchScorer) blend(ctx ctxNodes, sym int64) float64 {
	c := s.c
	p := 1 / float64(len(s.alphabet))
	top := s.pr.topContext(c, ctx)
	for k := 0; k <= top; k++ {
		nd := &c.nodes[ctx[k]]
		if nd.total == 0 {
			continue
		}
		full := !s.pr.exclusion || k+1 >= c.depth
		T, q, q1 := float64(nd.total), float64(nd.types), float64(nd.once)
		if !full {
			T, q1 = float64(nd.ctotal), float64(nd.conce)
		}
		den, gamma, sub := s.pr.escapeOf(T, q, q1)
		a := 0.0
		if n := c.child(ctx[k], sym); n >= 0 {
			cnt := float64(c.nodes[n].count)
			if !full {
				cnt = float64(c.nodes[n].cont)
			}
			if cnt > 0 {
				a = (cnt - sub) / den
			}
		}
		p = a + gamma*p
	}
	return p
}

// sym is the cpitch viewpoint's symbol of a pitch (which reads no other
// event).
func (s *PitchScorer) sym(p int) int64 {
	x, _ := s.vp.Symbol(nil, 0, p)
	return x
}
