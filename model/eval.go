package model

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Evaluation says how to cross-validate a model on a corpus (Pearce 2005,
// 7.2): the melodies are split into Folds; each fold is predicted, note by
// note, by a model learned from the others, and the cost of each note is
// -log2 of the probability given to its pitch.
type Evaluation struct {
	Config Config
	// Folds is k of k-fold cross-validation (10 when 0).
	Folds int
	// Ungrouped puts melodies into folds one by one, as IDyOM does. By
	// default melodies of one title go into one fold together, so the
	// same tune, harmonised or transposed again, is never both learned
	// and predicted.
	Ungrouped bool
	// Decay is the short-term model's memory decay (PPM-Decay); the
	// zero value is none.
	Decay Decay
	// Prune, above 1, prunes each fold's long-term model (Model.Prune)
	// before it predicts: the cost of shipping a smaller model.
	Prune int
	// Seed shuffles the melodies (or titles) before they are dealt into
	// folds: same seed, same folds.
	Seed uint64
}

// Result is the mean information content of the notes predicted, in bits
// per note, by the long-term model (learned from the other folds), the
// short-term model (learned from the melody so far) and both.
type Result struct {
	Pieces int `json:"pieces"`
	Notes  int `json:"notes"`
	Folds  int `json:"folds"`
	Bits   struct {
		LTM  float64 `json:"ltm"`
		STM  float64 `json:"stm"`
		Both float64 `json:"both"`
	} `json:"bits_per_note"`
}

// Folds deals the melodies into k folds: Fold[i] is the fold of
// melodies[i].
func (e Evaluation) folds(mels []Melody) []int {
	k := e.Folds
	if k <= 0 {
		k = 10
	}
	group := make([]int, len(mels)) // each melody's group, numbered as first seen
	ids := map[string]int{}
	for i, m := range mels {
		if e.Ungrouped {
			group[i] = i
			continue
		}
		g, ok := ids[m.Title]
		if !ok {
			g = len(ids)
			ids[m.Title] = g
		}
		group[i] = g
	}
	n := slices.Max(append(group, -1)) + 1
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	r := rand.New(rand.NewPCG(e.Seed, 0x5eed))
	r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	foldOf := make([]int, n)
	for pos, g := range order {
		foldOf[g] = pos % k
	}
	out := make([]int, len(mels))
	for i, g := range group {
		out[i] = foldOf[g]
	}
	return out
}

// ErrTooFew is returned when there are fewer melodies (or titles) than folds.
var ErrTooFew = errors.New("model: fewer melodies than folds")

// Run cross-validates. The alphabet, when the configuration gives none,
// is every pitch of the corpus (as IDyOM's): no fold meets a pitch it
// cannot name. Folds run in parallel; the result does not depend on it.
func (e Evaluation) Run(ctx context.Context, mels []Melody) (Result, error) {
	var res Result
	k := e.Folds
	if k <= 0 {
		k = 10
	}
	fold := e.folds(mels)
	if n := slices.Max(append(slices.Clone(fold), -1)) + 1; n < k {
		return res, ErrTooFew
	}
	cfg := e.Config
	if len(cfg.Alphabet) == 0 {
		seen := map[int]bool{}
		for _, m := range mels {
			for _, ev := range m.Events {
				if !seen[ev.Pitch] {
					seen[ev.Pitch] = true
					cfg.Alphabet = append(cfg.Alphabet, ev.Pitch)
				}
			}
		}
	}
	if err := cfg.check(); err != nil {
		return res, err
	}
	if err := e.Decay.check(); err != nil {
		return res, err
	}
	type sums struct {
		ltm, stm, both float64
		notes          int
	}
	out := make([]sums, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for f := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			m, err := New(cfg)
			if err != nil {
				errs[f] = err
				return
			}
			for i, mel := range mels {
				if fold[i] != f {
					m.Learn(mel)
				}
			}
			if e.Prune > 1 {
				m = m.Prune(e.Prune)
			}
			for i, mel := range mels {
				if fold[i] != f {
					continue
				}
				if err := ctx.Err(); err != nil {
					errs[f] = err
					return
				}
				s, _ := m.SessionDecay(e.Decay) // checked above
				idx := make(map[int]int, len(s.alphabet))
				for a, p := range s.alphabet {
					idx[p] = a
				}
				for _, ev := range mel.Events {
					p := s.Predict(ev)
					a := idx[ev.Pitch]
					out[f].ltm -= math.Log2(p.LTM[a])
					out[f].stm -= math.Log2(p.STM[a])
					out[f].both -= math.Log2(p.Both[a])
					out[f].notes++
					s.Add(ev)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	var tot sums
	for _, s := range out {
		tot.ltm += s.ltm
		tot.stm += s.stm
		tot.both += s.both
		tot.notes += s.notes
	}
	res.Pieces, res.Notes, res.Folds = len(mels), tot.notes, k
	if tot.notes > 0 {
		n := float64(tot.notes)
		res.Bits.LTM, res.Bits.STM, res.Bits.Both = tot.ltm/n, tot.stm/n, tot.both/n
	}
	return res, nil
}
