package model

import (
	"cmp"
	"math"
	"slices"
)

// Session predicts the notes of one melody as they come, from the model
// learned (the long-term model) and from the melody so far (a short-term
// model it learns as it goes): the piece being analysed, or the player
// being listened to. A session is not safe for concurrent use; many
// sessions may share a model.
type Session struct {
	m        *Model
	alphabet []int
	events   []Event
	stm      []*counts
	ltmCtx   []ctxNodes
	stmEnds  [][]int32 // the short-term model's strings ending at the last symbol
	seen     []int     // symbols each viewpoint has had
	// decay, where on, weighs the short-term model's counts by age:
	// dec keeps when each string was seen, times when each event was.
	decay Decay
	dec   []decayed
	times []float64
	w     []float64
	// scratch, reused between predictions
	syms               []int64
	cand, sorted       []int64
	at                 []int32
	which              []int
	mult               []int
	p                  []float64
	kidsN              []int32
	ltmVP, stmVP       [][]float64
	ltmUsed, stmUsed   [][]float64
	pair               [2][]float64
	ltmOut, stmOut, bo []float64
	ctxBuf             ctxNodes
	endBuf             []int32
}

// Session starts predicting a new melody.
func (m *Model) Session() *Session {
	s := &Session{m: m, alphabet: m.Alphabet()}
	n := len(m.cfg.Viewpoints)
	s.stm = make([]*counts, n)
	s.ltmCtx = make([]ctxNodes, n)
	s.stmEnds = make([][]int32, n)
	s.seen = make([]int, n)
	for i := range s.stm {
		s.stm[i] = newCounts(m.cfg.depth())
		s.ltmCtx[i] = ctxNodes{0}
	}
	a := len(s.alphabet)
	s.ltmOut, s.stmOut, s.bo = make([]float64, a), make([]float64, a), make([]float64, a)
	for range n {
		s.ltmVP = append(s.ltmVP, make([]float64, a))
		s.stmVP = append(s.stmVP, make([]float64, a))
	}
	return s
}

// SessionDecay starts predicting a new melody with a short-term model
// that forgets as Decay says (PPM-Decay); the zero Decay is Session.
func (m *Model) SessionDecay(d Decay) (*Session, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	s := m.Session()
	if d.On() {
		s.decay = d
		s.dec = make([]decayed, len(s.stm))
	}
	return s, nil
}

// Alphabet is the pitches a Prediction gives probabilities of, in order.
func (s *Session) Alphabet() []int { return s.alphabet }

// Prediction is a distribution over the session's alphabet for the next
// pitch: from the long-term model, the short-term model and both
// combined. Its slices belong to the session and change with its next
// prediction.
type Prediction struct {
	LTM, STM, Both []float64
}

// Predict gives the distribution of the pitch of the next event e, its
// other attributes (onset, duration, chord, key) as they are: the model
// predicts what pitch comes given when it comes. e.Pitch is not read.
func (s *Session) Predict(e Event) Prediction {
	cfg := &s.m.cfg
	s.events = append(s.events, e) // e in place, taken off below: no copy
	events := s.events
	s.events = s.events[:len(s.events)-1]
	i := len(events) - 1
	pr := predictor{escape: cfg.Escape, exclusion: cfg.Exclusion, unbounded: cfg.Unbounded}
	ltm, stm := s.ltmUsed[:0], s.stmUsed[:0]
	if s.dec != nil {
		s.w = s.decay.weights(s.times, s.decay.time(e, i), s.w)
	}
	for v, vp := range cfg.Viewpoints {
		if !s.candidates(vp, events, i) {
			continue
		}
		ctx := s.stmContext(v)
		s.spread(pr, s.m.ltm[v], s.ltmCtx[v], s.ltmVP[v])
		if s.dec != nil {
			s.spreadDecayed(pr, v, ctx, s.stmVP[v])
		} else {
			s.spread(pr, s.stm[v], ctx, s.stmVP[v])
		}
		ltm, stm = append(ltm, s.ltmVP[v]), append(stm, s.stmVP[v])
	}
	combine(ltm, cfg.Bias, s.ltmOut)
	combine(stm, cfg.Bias, s.stmOut)
	s.ltmUsed, s.stmUsed = ltm, stm
	s.pair[0], s.pair[1] = s.ltmOut, s.stmOut
	combine(s.pair[:], cfg.LTMSTMBias, s.bo)
	return Prediction{LTM: s.ltmOut, STM: s.stmOut, Both: s.bo}
}

// candidates finds the symbol each pitch of the alphabet would give the
// viewpoint at event i (s.which indexes s.cand, the distinct ones, seen
// s.mult times); false where the viewpoint is undefined there.
func (s *Session) candidates(vp Viewpoint, events []Event, i int) bool {
	s.cand, s.which, s.mult = s.cand[:0], s.which[:0], s.mult[:0]
	for _, p := range s.alphabet {
		sym, ok := vp.Symbol(events, i, p)
		if !ok {
			return false
		}
		j := -1
		for k, c := range s.cand {
			if c == sym {
				j = k
				break
			}
		}
		if j < 0 {
			j = len(s.cand)
			s.cand = append(s.cand, sym)
			s.mult = append(s.mult, 0)
		}
		s.mult[j]++
		s.which = append(s.which, j)
	}
	s.sorted, s.at = append(s.sorted[:0], s.cand...), s.at[:0]
	for j := range s.cand {
		s.at = append(s.at, int32(j))
	}
	slices.SortFunc(s.at, func(a, b int32) int { return cmp.Compare(s.cand[a], s.cand[b]) })
	for i, j := range s.at {
		s.sorted[i] = s.cand[j]
	}
	return len(s.cand) > 0
}

// spread predicts the candidate symbols from counts and spreads each
// symbol's probability evenly over the pitches that give it (Pearce
// 2005, 6.2.2).
func (s *Session) spread(pr predictor, c *counts, ctx ctxNodes, out []float64) {
	if cap(s.p) < len(s.cand) {
		s.p = make([]float64, len(s.cand))
	}
	p := s.p[:len(s.cand)]
	s.kidsN = pr.distribution(c, ctx, s.cand, s.sorted, s.at, p, s.kidsN)
	for a, j := range s.which {
		out[a] = p[j] / float64(s.mult[j])
	}
}

// spreadDecayed is spread from viewpoint v's short-term model under decay.
func (s *Session) spreadDecayed(pr predictor, v int, ctx ctxNodes, out []float64) {
	if cap(s.p) < len(s.cand) {
		s.p = make([]float64, len(s.cand))
	}
	p := s.p[:len(s.cand)]
	pr.distributionDecayed(s.stm[v], &s.dec[v], s.w, ctx, s.cand, s.sorted, s.at, p)
	for a, j := range s.which {
		out[a] = p[j] / float64(s.mult[j])
	}
}

func (s *Session) stmContext(v int) ctxNodes {
	ends := s.stmEnds[v]
	s.ctxBuf = append(s.ctxBuf[:0], 0)
	for k := 0; k < len(ends) && k+1 < s.stm[v].depth; k++ {
		s.ctxBuf = append(s.ctxBuf, ends[k])
	}
	return s.ctxBuf
}

// Add appends the event, as played, to the melody: the short-term model
// learns it and the contexts move on.
func (s *Session) Add(e Event) {
	s.events = append(s.events, e)
	i := len(s.events) - 1
	for v, vp := range s.m.cfg.Viewpoints {
		sym, ok := vp.Symbol(s.events, i, e.Pitch)
		if !ok {
			continue
		}
		s.ltmCtx[v] = s.m.ltm[v].next(s.ltmCtx[v], sym, nil)
		old := int32(len(s.stm[v].nodes))
		s.stmEnds[v] = s.stm[v].extend(s.stmEnds[v], s.seen[v], sym, nil)
		if s.dec != nil {
			s.dec[v].learned(s.stm[v], s.stmEnds[v], i, s.seen[v], old)
		}
		s.seen[v]++
	}
	if s.dec != nil {
		s.times = append(s.times, s.decay.time(e, i))
	}
}

// combine sets out to the entropy-weighted geometric mean of the
// distributions (Pearce 2005, 6.2.3): each weighs its relative entropy to
// the power -b, so a confident prediction counts more. None gives the
// uniform distribution.
func combine(ds [][]float64, b float64, out []float64) {
	if len(ds) == 0 {
		for i := range out {
			out[i] = 1 / float64(len(out))
		}
		return
	}
	if len(ds) == 1 {
		copy(out, ds[0])
		return
	}
	hmax := math.Log2(float64(len(out)))
	for i := range out {
		out[i] = 0
	}
	var wsum float64
	for _, d := range ds {
		w := 1.0
		if hmax > 0 {
			var h float64
			for _, p := range d {
				if p > 0 {
					h -= p * math.Log2(p)
				}
			}
			w = math.Pow(max(h/hmax, 1e-6), -b)
		}
		wsum += w
		for i, p := range d {
			out[i] += w * math.Log(max(p, 1e-300))
		}
	}
	var sum float64
	for i := range out {
		out[i] = math.Exp(out[i] / wsum)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
}

// Clone is an independent copy of the session: the melody so far and
// its short-term model, to predict and learn a continuation that may be
// thrown away (a sketch of an answer) without touching s. The long-term
// model is shared, read only.
func (s *Session) Clone() *Session {
	c := s.m.Session()
	c.events = slices.Clone(s.events)
	for v := range s.stm {
		c.stm[v] = s.stm[v].clone()
		c.ltmCtx[v] = slices.Clone(s.ltmCtx[v])
		c.stmEnds[v] = slices.Clone(s.stmEnds[v])
	}
	copy(c.seen, s.seen)
	c.decay = s.decay
	if s.dec != nil {
		c.dec = make([]decayed, len(s.dec))
		for v, d := range s.dec {
			c.dec[v].seen, c.dec[v].cont = cloneLists(d.seen), cloneLists(d.cont)
		}
	}
	c.times = slices.Clone(s.times)
	return c
}

func cloneLists(xs [][]int32) [][]int32 {
	if xs == nil {
		return nil
	}
	out := make([][]int32, len(xs))
	for i, x := range xs {
		out[i] = slices.Clone(x)
	}
	return out
}
