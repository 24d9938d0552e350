package model

import (
	"math"
	"slices"
	"testing"
)

// idyomRules are the settings of IDyOM's ppm-star that sideman's Config
// does not have (ppm-star.lisp: get-distribution, compute-mixture): with
// exclusion (IDyOM's default for both models) a context's token count
// leaves out the symbols the context above it predicted while their own
// counts still add, the order -1 share is spread over the symbols the
// order 0 context has not seen, and the mixture is normalised at the end;
// update exclusion is off for the context PPM* selected; only the
// symbols of the alphabet predicted are counted.
type idyomRules struct {
	escape          Escape
	updateExclusion bool
	exclusion       bool
	// sideman keeps update exclusion at the context PPM* selected too
	// (set this for sideman's blending, to check the harness).
	selectedUE bool
	// IDyOM counts only the symbols of the alphabet it predicts (for a
	// derived viewpoint, those the candidate pitches give); sideman
	// counts every symbol and normalises over the candidates.
	alphabetOnly bool
	alphabetSize int
}

// distribution sets p (indexed as cand) after context ctx of c, as IDyOM
// blends: mixtures on, PPM* (unbounded).
func (r idyomRules) distribution(c *counts, ctx ctxNodes, cand []int64, p []float64) {
	for i := range p {
		p[i] = 0
	}
	top := -1
	for k := len(ctx) - 1; k >= 0; k-- {
		if c.nodes[ctx[k]].total > 0 {
			top = k
			break
		}
	}
	start, selected := top, false
	for k := 0; k <= top; k++ {
		if c.nodes[ctx[k]].types == 1 {
			start, selected = k, k != top
			break
		}
	}
	inAlphabet := make(map[int64]bool, len(cand))
	for _, s := range cand {
		inAlphabet[s] = true
	}
	if !r.alphabetOnly {
		for n := c.nodes[0].first; n != 0; n = c.nodes[n].next {
			inAlphabet[c.nodes[n].sym] = true
		}
	}
	escape := 1.0
	var excluded map[int64]bool
	for k := start; k >= 0; k-- {
		ue := r.updateExclusion && (r.selectedUE || !(k == start && selected))
		full := !ue || k+1 >= c.depth
		counts := map[int64]float64{}
		for n := c.nodes[ctx[k]].first; n != 0; n = c.nodes[n].next {
			if !inAlphabet[c.nodes[n].sym] {
				continue
			}
			cnt := float64(c.nodes[n].count)
			if !full {
				cnt = float64(c.nodes[n].cont)
			}
			if cnt > 0 {
				counts[c.nodes[n].sym] = cnt
			}
		}
		types := float64(len(counts))
		if r.escape == EscapeX {
			types = 1
			for _, v := range counts {
				if v == 1 {
					types++
				}
			}
		}
		var state float64
		for s, v := range counts {
			if !(r.exclusion && excluded[s]) {
				state += v
			}
		}
		den := state + types
		if r.escape == EscapeA {
			den = state + 1
		}
		weight := 0.0
		if den > 0 {
			weight = state / den
		}
		for i, s := range cand {
			if state > 0 {
				p[i] += escape * weight * counts[s] / state
			}
		}
		excluded = map[int64]bool{}
		for s := range counts {
			excluded[s] = true
		}
		escape *= 1 - weight
	}
	seen0 := 1.0
	if r.exclusion {
		seen0 = 0
		for n := c.nodes[0].first; n != 0; n = c.nodes[n].next {
			if inAlphabet[c.nodes[n].sym] {
				seen0++
			}
		}
	}
	om1 := 1 / (1 + float64(r.alphabetSize) - seen0)
	var sum float64
	for i := range p {
		p[i] += escape * om1
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// evalIDyOMPitch cross-validates pitch alone (e's folds) with IDyOM's
// blending: ltm and stm rules, LTM+STM bias b, and with plus the
// long-term model learns each test melody once predicted (both+).
func evalIDyOMPitch(tb testing.TB, e Evaluation, mels []Melody, ltmR, stmR idyomRules, b float64, plus bool) (ltm, stm, both float64) {
	tb.Helper()
	fold := e.folds(mels)
	var alphabet []int
	for _, m := range mels {
		for _, ev := range m.Events {
			if !slices.Contains(alphabet, ev.Pitch) {
				alphabet = append(alphabet, ev.Pitch)
			}
		}
	}
	slices.Sort(alphabet)
	cand := make([]int64, len(alphabet))
	ltmR.alphabetSize, stmR.alphabetSize = len(alphabet), len(alphabet)
	cfg := PitchOnly()
	cfg.Alphabet = alphabet
	pl, ps, out := make([]float64, len(cand)), make([]float64, len(cand)), make([]float64, len(cand))
	notes := 0
	for f := range 10 {
		m := must(New(cfg))
		for i, mel := range mels {
			if fold[i] != f {
				m.Learn(mel)
			}
		}
		lc := m.ltm[0]
		for i, mel := range mels {
			if fold[i] != f {
				continue
			}
			sc := newCounts(cfg.depth())
			lctx := ctxNodes{0}
			var ends []int32
			vp := cfg.Viewpoints[0]
			for j, ev := range mel.Events {
				for i, p := range alphabet {
					cand[i], _ = vp.Symbol(mel.Events, j, p)
				}
				sctx := ctxNodes{0}
				for k := 0; k < len(ends) && k+1 < sc.depth; k++ {
					sctx = append(sctx, ends[k])
				}
				ltmR.distribution(lc, lctx, cand, pl)
				stmR.distribution(sc, sctx, cand, ps)
				combine([][]float64{pl, ps}, b, out)
				a, _ := slices.BinarySearch(alphabet, ev.Pitch)
				ltm -= math.Log2(pl[a])
				stm -= math.Log2(ps[a])
				both -= math.Log2(out[a])
				notes++
				sym, _ := vp.Symbol(mel.Events, j, ev.Pitch)
				lctx = lc.next(lctx, sym, nil)
				ends = sc.extend(ends, j, sym, nil)
			}
			if plus {
				m.Learn(mel)
			}
		}
	}
	n := float64(notes)
	return ltm / n, stm / n, both / n
}

// TestPearceIDyOMRules measures pitch alone on Pearce's chorales,
// ungrouped, with IDyOM's blending (docs/model.md).
func TestPearceIDyOMRules(t *testing.T) {
	figures(t)
	mels, _ := readPearceChorales(t)
	e := Evaluation{Config: PitchOnly(), Ungrouped: true}
	ours := idyomRules{escape: EscapeC, updateExclusion: true, selectedUE: true}
	stmD := idyomRules{escape: EscapeX, updateExclusion: true, exclusion: true, alphabetOnly: true}
	for _, c := range []struct {
		name     string
		ltm, stm idyomRules
	}{
		{"sideman's (C, update exclusion) for both", ours, ours},
		{"LTM without update exclusion; STM sideman's", idyomRules{escape: EscapeC}, ours},
		{"LTM with exclusion; STM sideman's", idyomRules{escape: EscapeC, updateExclusion: true, exclusion: true, alphabetOnly: true}, ours},
		{"LTM with exclusion, without update exclusion (IDyOM's); STM sideman's", idyomRules{escape: EscapeC, exclusion: true, alphabetOnly: true}, ours},
		{"LTM IDyOM's; STM IDyOM's (X, update exclusion, exclusion)", idyomRules{escape: EscapeC, exclusion: true, alphabetOnly: true}, stmD},
	} {
		for _, b := range []float64{0.5, 1, 2, 7} {
			for _, plus := range []bool{false, true} {
				ltm, stm, both := evalIDyOMPitch(t, e, mels, c.ltm, c.stm, b, plus)
				t.Logf("%s, bias %g, both+ %v: ltm %.3f stm %.3f both %.3f", c.name, b, plus, ltm, stm, both)
			}
		}
	}
	// The 370, grouped by title (docs/model.md's first table), with
	// IDyOM's blending.
	all := readChorales(t)
	ltmI := idyomRules{escape: EscapeC, exclusion: true, alphabetOnly: true}
	for _, b := range []float64{0.5, 2} {
		for _, ungrouped := range []bool{false, true} {
			ltm, stm, both := evalIDyOMPitch(t, Evaluation{Config: PitchOnly(), Ungrouped: ungrouped}, all, ltmI, stmD, b, false)
			t.Logf("370 chorales, ungrouped %v, IDyOM's blending, bias %g: ltm %.3f stm %.3f both %.3f", ungrouped, b, ltm, stm, both)
		}
	}
}

// evalIDyOM cross-validates any configuration (e's folds, e.Config's
// viewpoints and biases) as a Session predicts, each viewpoint's
// distributions blended by IDyOM's rules (ltmR, stmR) instead of
// sideman's; with plus the long-term model learns each test melody once
// predicted (both+).
func evalIDyOM(tb testing.TB, e Evaluation, mels []Melody, ltmR, stmR idyomRules, plus bool) (ltm, stm, both float64) {
	tb.Helper()
	fold := e.folds(mels)
	cfg := e.Config
	for _, m := range mels {
		for _, ev := range m.Events {
			if !slices.Contains(cfg.Alphabet, ev.Pitch) {
				cfg.Alphabet = append(cfg.Alphabet, ev.Pitch)
			}
		}
	}
	notes := 0
	for f := range 10 {
		m := must(New(cfg))
		for i, mel := range mels {
			if fold[i] != f {
				m.Learn(mel)
			}
		}
		for i, mel := range mels {
			if fold[i] != f {
				continue
			}
			s := m.Session()
			a := len(s.alphabet)
			idx := map[int]int{}
			for k, p := range s.alphabet {
				idx[p] = k
			}
			lo, so, bo := make([]float64, a), make([]float64, a), make([]float64, a)
			for j, ev := range mel.Events {
				events := append(s.events, ev)
				var ls, ss [][]float64
				for v, vp := range cfg.Viewpoints {
					if !s.candidates(vp, events, j) {
						continue
					}
					p := make([]float64, len(s.cand))
					lv, sv := make([]float64, a), make([]float64, a)
					ltmR.alphabetSize, stmR.alphabetSize = len(s.cand), len(s.cand)
					ltmR.distribution(m.ltm[v], s.ltmCtx[v], s.cand, p)
					for k, c := range s.which {
						lv[k] = p[c] / float64(s.mult[c])
					}
					stmR.distribution(s.stm[v], s.stmContext(v), s.cand, p)
					for k, c := range s.which {
						sv[k] = p[c] / float64(s.mult[c])
					}
					ls, ss = append(ls, lv), append(ss, sv)
				}
				combine(ls, cfg.Bias, lo)
				combine(ss, cfg.Bias, so)
				combine([][]float64{lo, so}, cfg.LTMSTMBias, bo)
				k := idx[ev.Pitch]
				ltm -= math.Log2(lo[k])
				stm -= math.Log2(so[k])
				both -= math.Log2(bo[k])
				notes++
				s.Add(ev)
			}
			if plus {
				m.Learn(mel)
			}
		}
	}
	n := float64(notes)
	return ltm / n, stm / n, both / n
}

// TestPearceIDyOMViewpoints gives the default and selected viewpoint sets
// on Pearce's chorales, ungrouped, blended by IDyOM's rules, against
// IDyOM's 1.911 (docs/model.md).
func TestPearceIDyOMViewpoints(t *testing.T) {
	figures(t)
	mels, _ := readPearceChorales(t)
	ours := idyomRules{escape: EscapeC, updateExclusion: true, selectedUE: true}
	ltmI := idyomRules{escape: EscapeC, exclusion: true, alphabetOnly: true}
	stmI := idyomRules{escape: EscapeX, updateExclusion: true, exclusion: true, alphabetOnly: true}
	sel := DefaultConfig()
	sel.Viewpoints = must(ParseViewpoints(selectedViewpoints))
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"cpitch", PitchOnly()}, {"default", DefaultConfig()}, {"selected", sel}} {
		ltm, stm, both := evalIDyOM(t, Evaluation{Config: c.cfg, Ungrouped: true}, mels, ours, ours, false)
		t.Logf("%s, sideman's blending: ltm %.3f stm %.3f both %.3f", c.name, ltm, stm, both)
		for _, bias := range [][2]float64{{1, 0.5}, {1, 2}, {2, 2}, {2, 7}} {
			cfg := c.cfg
			cfg.Bias, cfg.LTMSTMBias = bias[0], bias[1]
			for _, plus := range []bool{false, true} {
				ltm, stm, both := evalIDyOM(t, Evaluation{Config: cfg, Ungrouped: true}, mels, ltmI, stmI, plus)
				t.Logf("%s, IDyOM's blending, viewpoint bias %g, LTM+STM bias %g, both+ %v: ltm %.3f stm %.3f both %.3f", c.name, bias[0], bias[1], plus, ltm, stm, both)
			}
		}
	}
}
