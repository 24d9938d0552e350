package motif

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"

	"sideman/model"
	"sideman/music"
)

// Options say how many variations to make and how to rank them.
type Options struct {
	// N is how many distinct variations to make (and score); Top how many
	// of them to keep, best first (all when 0 or more than made).
	N, Top int
	// Novelty trades likelihood for distance from the motif in the
	// ranking, 0 (the likeliest first) to 1 (the farthest first).
	Novelty float64
	// Seed draws the chains and their parameters: same seed, same
	// variations.
	Seed uint64
	// Model scores the variations and resamples notes. Its configuration
	// must have the cpitch viewpoint (the screen, model.PitchScorer).
	Model *model.Model
	// Rescore is how many of the best by the screen the full model
	// scores again before the final ranking: max(4·Top, 256) when 0.
	Rescore int
}

// Candidate is a variation, scored and placed.
type Candidate struct {
	Variation
	// ScreenBits is the information content per note, in bits, under
	// the long-term cpitch viewpoint alone (model.PitchScorer); Bits the
	// same under the full model (long- and short-term, every viewpoint,
	// the chords under the notes: model.Session's Prediction.Both), NaN
	// for those not rescored. LogLik is -Bits: the log2-likelihood per
	// note.
	ScreenBits, Bits float64
	// Distance is Distance(motif, variation), 0 to 1.
	Distance float64
	// Score is the ranking's: (1-novelty)·likelihood + novelty·distance,
	// each scaled to 0..1 over the candidates ranked with it.
	Score float64
}

// LogLik is the log2-likelihood per note under the full model.
func (c *Candidate) LogLik() float64 { return -c.Bits }

// Result is what Vary made.
type Result struct {
	// Made is how many distinct variations were made and screened:
	// fewer than Options.N when the motif does not give that many.
	Made int
	// Rescored is how many the full model scored.
	Rescored int
	// Ranked are the best, best first: Top of them or all made.
	Ranked []Candidate
}

// ErrNoModel is returned when Options give no model.
var ErrNoModel = errors.New("motif: no model to score variations by")

// chainMost is the longest chain of operators.
const chainMost = 3

// Vary makes up to opt.N distinct variations of the motif by chains of
// one to three operators, screens them all, rescores the best by the full
// model and ranks them (see the package doc).
func Vary(ctx context.Context, m *Motif, opt Options) (*Result, error) {
	if opt.Model == nil {
		return nil, ErrNoModel
	}
	m.index()
	screen, err := opt.Model.PitchScorer()
	if err != nil {
		return nil, err
	}
	rs := NewResampler(m, opt.Model)
	vars, err := Generate(ctx, m, opt.N, opt.Seed, rs, screen.Has)
	if err != nil {
		return nil, err
	}
	cands := make([]Candidate, len(vars))
	err = parallel(ctx, len(vars), func(i int) {
		v := vars[i]
		ps := make([]int, len(v.Notes))
		for j, n := range v.Notes {
			ps[j] = n.Pitch
		}
		cands[i] = Candidate{Variation: v, ScreenBits: screen.Bits(ps) / float64(len(ps)),
			Bits: math.NaN(), Distance: Distance(m.Notes, v.Notes, v.At)}
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Made: len(cands)}
	rank(cands, opt.Novelty, func(c *Candidate) float64 { return c.ScreenBits })
	top := opt.Top
	if top <= 0 || top > len(cands) {
		top = len(cands)
	}
	re := opt.Rescore
	if re <= 0 {
		re = max(4*top, 256)
	}
	re = min(re, len(cands))
	best := cands[:re]
	err = parallel(ctx, re, func(i int) {
		best[i].Bits = FullBits(m, opt.Model, best[i].Variation)
	})
	if err != nil {
		return nil, err
	}
	rank(best, opt.Novelty, func(c *Candidate) float64 { return c.Bits })
	res.Rescored = re
	res.Ranked = slices.Clone(best[:top])
	return res, nil
}

// FullBits is the variation's information content per note, in bits,
// under the whole model: a new Session (long-term model plus a short-term
// one learning the variation as it goes), every viewpoint, the events
// placed where the variation sounds with the chords under them,
// Prediction.Both of each note's pitch. A pitch outside the model's
// alphabet gives +Inf.
func FullBits(m *Motif, mod *model.Model, v Variation) float64 {
	s := mod.Session()
	alpha := s.Alphabet()
	var bits float64
	for _, e := range m.Events(v.Notes, v.At) {
		i, ok := slices.BinarySearch(alpha, e.Pitch)
		if !ok {
			return math.Inf(1)
		}
		bits -= math.Log2(s.Predict(e).Both[i])
		s.Add(e)
	}
	return bits / float64(len(v.Notes))
}

// rank scores and sorts the candidates, best first: likelihood and
// distance each scaled to 0..1 over them (min to max; all 1 when they
// are all equal), then mixed by novelty. Ties go to the shorter chain,
// then to the order made.
func rank(cs []Candidate, novelty float64, bits func(*Candidate) float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	dlo, dhi := math.Inf(1), math.Inf(-1)
	for i := range cs {
		if b := bits(&cs[i]); !math.IsInf(b, 0) {
			lo, hi = min(lo, b), max(hi, b)
		}
		dlo, dhi = min(dlo, cs[i].Distance), max(dhi, cs[i].Distance)
	}
	scale := func(x, lo, hi float64) float64 {
		if hi <= lo {
			return 1
		}
		return (x - lo) / (hi - lo)
	}
	for i := range cs {
		c := &cs[i]
		like := 0.0
		if b := bits(c); !math.IsInf(b, 0) {
			like = 1 - scale(b, lo, hi)
		}
		c.Score = (1-novelty)*like + novelty*scale(c.Distance, dlo, dhi)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Score != cs[j].Score {
			return cs[i].Score > cs[j].Score
		}
		return len(cs[i].Steps) < len(cs[j].Steps)
	})
}

// parallel runs f(i) for i below n over all cores, stopping early when
// ctx is done.
func parallel(ctx context.Context, n int, f func(i int)) error {
	return parallelChunks(ctx, n, 256, f)
}

// parallelChunks is parallel handing the workers chunk indices at a time.
func parallelChunks(ctx context.Context, n, chunk int, f func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for lo := range next {
				for i := lo; i < min(lo+chunk, n); i++ {
					f(i)
				}
			}
		})
	}
	var err error
	for lo := 0; lo < n; lo += chunk {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- lo
	}
	close(next)
	wg.Wait()
	return err
}

// Generate makes up to n distinct variations of the motif: chains of one
// to three operators (Operators, and rs's Resample when rs is not nil),
// each drawn with its parameters, kept when new by their canonical form
// (Canonical), not the motif's notes (wherever they sound), a line (onsets rising, none before
// the motif's start) and every pitch allowed by has (nil: MIDI's 0 to
// 127). A short motif gives fewer than n: it stops when a round of draws
// (drawBatch a core, twice over) finds fewer than 1 in 100 new, or after
// 50·n draws.
//
// The draws come in batches of drawBatch, batch b drawn by a generator
// seeded by (seed, b), the batches drawn in parallel and kept in batch
// order: same seed, same variations, however many cores.
func Generate(ctx context.Context, m *Motif, n int, seed uint64, rs *Resampler, has func(int) bool) ([]Variation, error) {
	m.index()
	ops := slices.Clone(Operators)
	if rs != nil {
		ops = append(ops, Operator{"resample", rs.Resample})
	}
	seen := map[uint64]bool{Canonical(Of(m)): true}
	var out []Variation
	round := 2 * runtime.GOMAXPROCS(0)
	type drawn struct {
		v   Variation
		key uint64
	}
	batches := make([][]drawn, round)
	for first := uint64(0); len(out) < n && int(first)*drawBatch < 50*n; first += uint64(round) {
		err := parallelChunks(ctx, round, 1, func(i int) {
			rng := rand.New(rand.NewPCG(seed, first+uint64(i)))
			bs := batches[i][:0]
			for range drawBatch {
				v := draw(m, ops, rng)
				if len(v.Steps) == 0 || !valid(v, has) || sameNotes(v.Notes, m.Notes) {
					continue
				}
				bs = append(bs, drawn{v, Canonical(v)})
			}
			batches[i] = bs
		})
		if err != nil {
			return nil, err
		}
		was := len(out)
		for _, bs := range batches {
			for _, d := range bs {
				if len(out) < n && !seen[d.key] {
					seen[d.key] = true
					out = append(out, d.v)
				}
			}
		}
		if len(out) < n && (len(out)-was)*100 < round*drawBatch {
			break // fewer than 1 draw in 100 new: the motif has given what it has
		}
	}
	return out, nil
}

// drawBatch is how many chains one batch of Generate draws.
const drawBatch = 1024

// draw is one chain of one to chainMost operators on the motif.
func draw(m *Motif, ops []Operator, rng *rand.Rand) Variation {
	v := Of(m)
	k := 1 + rng.IntN(chainMost)
	for len(v.Steps) < k {
		applied := false
		for range 8 { // an operator that does not apply: draw another
			op := ops[rng.IntN(len(ops))]
			if nv, ok := op.Apply(m, v, rng); ok {
				v, applied = nv, true
				break
			}
		}
		if !applied {
			break
		}
	}
	return v
}

// sameNotes reports whether a variation plays the motif's notes as they
// are, wherever it sounds (re-pitched a chorus on, onto the same chords):
// no variation.
func sameNotes(a, b []Note) bool {
	return slices.EqualFunc(a, b, func(x, y Note) bool {
		return x.Pitch == y.Pitch && x.Onset == y.Onset && x.Duration == y.Duration
	})
}

func valid(v Variation, has func(int) bool) bool {
	for i, n := range v.Notes {
		if n.Pitch < 0 || n.Pitch > 127 || (has != nil && !has(n.Pitch)) || n.Duration <= 0 || v.At+n.Onset < 0 {
			return false
		}
		if i > 0 && n.Onset <= v.Notes[i-1].Onset {
			return false
		}
	}
	return true
}

var canonSeed = maphash.MakeSeed()

// Canonical is a variation's canonical form, hashed: its notes' pitches,
// onsets (from the motif's start) and durations, in order. Two chains
// that reach the same notes are one variation; how they got there, which
// motif notes each derives from, and where the line sounds (the same line
// re-pitched a chorus on, over the same chords) do not count.
func Canonical(v Variation) uint64 {
	var h maphash.Hash
	h.SetSeed(canonSeed)
	var b [24]byte
	for _, n := range v.Notes {
		binary.LittleEndian.PutUint64(b[0:], uint64(n.Pitch))
		binary.LittleEndian.PutUint64(b[8:], uint64(n.Onset))
		binary.LittleEndian.PutUint64(b[16:], uint64(n.Duration))
		h.Write(b[:])
	}
	return h.Sum64()
}

// NewResampler reads the model's predictions at each of the motif's
// notes, given the motif before it (one Session over the motif): what
// Resample draws from.
func NewResampler(m *Motif, mod *model.Model) *Resampler {
	s := mod.Session()
	r := &Resampler{dist: map[music.NoteID][]float64{}, alphabet: s.Alphabet()}
	for _, e := range m.Events(m.Notes, 0) {
		r.dist[e.ID] = slices.Clone(s.Predict(e).Both)
		s.Add(e)
	}
	return r
}

// MusicNotes are the variation's notes as music: placed where they sound in
// the motif's piece, numbered from ids, each with an Origin naming the
// generator, params and the motif notes it derives from. params is what
// the Origin says besides the chain (seed, model, its hash).
func (v Variation) MusicNotes(m *Motif, ids *music.IDs, params string) []music.Note {
	chain := ""
	for i, s := range v.Steps {
		if i > 0 {
			chain += "+"
		}
		chain += s.String()
	}
	p := "ops=" + chain
	if params != "" {
		p += " " + params
	}
	out := make([]music.Note, len(v.Notes))
	for i, n := range v.Notes {
		out[i] = music.Note{ID: ids.Next(), Pitch: uint8(n.Pitch), Velocity: max(n.Velocity, 1),
			Start: m.Start + v.At + n.Onset, Duration: n.Duration,
			Origin: music.Derived(Generator, p, n.From...)}
	}
	return out
}

// Generator is the name variations' Origins give.
const Generator = "improv/vary"
