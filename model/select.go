package model

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// Candidates are the viewpoints SelectViewpoints tries by default: the
// basic pitched ones and the links of Pearce (2005, table 7.1) that fit
// the attributes of an Event, chord ones included.
const Candidates = "cpitch,cpint,cpcint,contour,cpintfref,cpintfip,cpintfroot,chordtone," +
	"cpint*dur,cpint*ioi,cpint*posinbar,cpint*fib,cpintfref*cpint,cpintfref*fib,cpintfref*dur," +
	"cpintfref*posinbar,cpitch*dur,contour*ioi,cpintfip*fib,cpintfroot*dur,cpintfroot*cpint,chordtone*cpint"

// Step is one step of a viewpoint selection: the set after it and its
// cross-validated bits per note (long- and short-term models together).
type Step struct {
	Viewpoints string
	Bits       float64
}

// SelectViewpoints chooses viewpoints by forward stepwise selection
// (Pearce 2005, 7.3): from none, each step tries adding each candidate
// not chosen and dropping each chosen one, cross-validates every set so
// made by e (its Config's viewpoints replaced), and keeps the set of
// fewest bits per note; it stops when no step lowers them. The steps
// taken come back in order, the last the set chosen; step, if not nil,
// is told each. Candidates that do not depend on pitch are refused.
func SelectViewpoints(ctx context.Context, e Evaluation, mels []Melody, candidates []Viewpoint, step func(Step)) ([]Step, error) {
	if len(candidates) == 0 {
		return nil, errors.New("model: no candidate viewpoints")
	}
	var steps []Step
	var chosen []Viewpoint
	best := -1.0
	cache := map[string]float64{}
	eval := func(vs []Viewpoint) (float64, error) {
		key := names(vs)
		if b, ok := cache[key]; ok {
			return b, nil
		}
		ev := e
		ev.Config.Viewpoints = vs
		r, err := ev.Run(ctx, mels)
		if err != nil {
			return 0, err
		}
		cache[key] = r.Bits.Both
		return r.Bits.Both, nil
	}
	for {
		var next []Viewpoint
		nextBits := best
		try := func(vs []Viewpoint) error {
			b, err := eval(vs)
			if err != nil {
				return err
			}
			// Ties go to the set tried first: fewer viewpoints, in the
			// candidates' order, so the result does not depend on a map.
			if nextBits < 0 || b < nextBits {
				next, nextBits = vs, b
			}
			return nil
		}
		for _, c := range candidates {
			if slices.ContainsFunc(chosen, func(v Viewpoint) bool { return v.Name == c.Name }) {
				continue
			}
			if err := try(append(slices.Clone(chosen), c)); err != nil {
				return steps, err
			}
		}
		for i := range chosen {
			if len(chosen) > 1 {
				if err := try(slices.Delete(slices.Clone(chosen), i, i+1)); err != nil {
					return steps, err
				}
			}
		}
		if next == nil {
			return steps, nil
		}
		chosen, best = next, nextBits
		s := Step{Viewpoints: names(chosen), Bits: best}
		steps = append(steps, s)
		if step != nil {
			step(s)
		}
	}
}

func names(vs []Viewpoint) string {
	ns := make([]string, len(vs))
	for i, v := range vs {
		ns[i] = v.Name
	}
	return strings.Join(ns, ",")
}
