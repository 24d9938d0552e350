package judge

import (
	"math"
	"math/rand/v2"
	"slices"
)

// A random forest (Breiman 2001) over binned features: each tree grows on
// a bootstrap sample, each split tries a random sqrt(features) of them at
// their quantile bin edges (as LightGBM and scikit-learn's histogram trees
// do, so a split costs one pass over a node's samples), and the forest's
// answer is its trees' mean leaf share of the positive class. The classes
// are weighted to equal total weight, so that a class with more segments
// does not buy accuracy.

// ForestOptions size the forest.
type ForestOptions struct {
	Trees, Depth, MinLeaf int
	Seed                  uint64
}

func (o ForestOptions) orDefault() ForestOptions {
	if o.Trees == 0 {
		o.Trees = 100
	}
	if o.Depth == 0 {
		o.Depth = 12
	}
	if o.MinLeaf == 0 {
		o.MinLeaf = 3
	}
	return o
}

const maxBins = 32

type node struct {
	feature   int
	threshold uint8 // left when bin <= threshold
	left      int32 // 0 for a leaf
	right     int32
	p         float64 // positive share at a leaf
}

type forest struct {
	edges [][]float64 // per feature, the upper edges of its bins
	trees [][]node
}

func (f *forest) bin(j int, x float64) uint8 {
	b, _ := slices.BinarySearch(f.edges[j], x)
	return uint8(min(b, len(f.edges[j])))
}

func fitForest(x [][]float64, y []bool, o ForestOptions) *forest {
	o = o.orDefault()
	nf := len(x[0])
	f := &forest{edges: make([][]float64, nf)}
	col := make([]float64, len(x))
	for j := range nf {
		for i := range x {
			col[i] = x[i][j]
		}
		slices.Sort(col)
		var e []float64
		for b := 1; b < maxBins; b++ {
			v := col[b*len(col)/maxBins]
			if len(e) == 0 || v > e[len(e)-1] {
				e = append(e, v)
			}
		}
		f.edges[j] = e
	}
	bins := make([][]uint8, len(x))
	for i := range x {
		bins[i] = make([]uint8, nf)
		for j := range nf {
			bins[i][j] = f.bin(j, x[i][j])
		}
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	w := [2]float64{float64(len(y)) / (2 * math.Max(float64(len(y)-pos), 1)), float64(len(y)) / (2 * math.Max(float64(pos), 1))}
	mtry := max(1, int(math.Round(math.Sqrt(float64(nf)))))
	for t := range o.Trees {
		rng := rand.New(rand.NewPCG(o.Seed, uint64(t)))
		idx := make([]int, len(x))
		for i := range idx {
			idx[i] = rng.IntN(len(x))
		}
		g := grower{bins: bins, y: y, w: w, o: o, mtry: mtry, nf: nf, rng: rng}
		g.grow(idx, 0)
		f.trees = append(f.trees, g.nodes)
	}
	return f
}

type grower struct {
	bins     [][]uint8
	y        []bool
	w        [2]float64
	o        ForestOptions
	mtry, nf int
	rng      *rand.Rand
	nodes    []node
}

func (g *grower) cls(i int) int {
	if g.y[i] {
		return 1
	}
	return 0
}

func gini(a [2]float64) float64 {
	s := a[0] + a[1]
	if s == 0 {
		return 0
	}
	p := a[1] / s
	return s * 2 * p * (1 - p)
}

func (g *grower) grow(idx []int, depth int) int32 {
	var tot [2]float64
	for _, i := range idx {
		tot[g.cls(i)] += g.w[g.cls(i)]
	}
	me := int32(len(g.nodes))
	g.nodes = append(g.nodes, node{p: tot[1] / (tot[0] + tot[1])})
	if depth >= g.o.Depth || len(idx) < 2*g.o.MinLeaf || tot[0] == 0 || tot[1] == 0 {
		return me
	}
	parent := gini(tot)
	bestGain, bestF, bestT := 1e-12, -1, 0
	var hist [maxBins][2]float64
	var cnt [maxBins]int
	for _, j := range g.rng.Perm(g.nf)[:g.mtry] {
		hist, cnt = [maxBins][2]float64{}, [maxBins]int{}
		for _, i := range idx {
			b := g.bins[i][j]
			hist[b][g.cls(i)] += g.w[g.cls(i)]
			cnt[b]++
		}
		var left [2]float64
		nl := 0
		for b := 0; b < maxBins-1; b++ {
			left[0] += hist[b][0]
			left[1] += hist[b][1]
			nl += cnt[b]
			if nl < g.o.MinLeaf {
				continue
			}
			if len(idx)-nl < g.o.MinLeaf {
				break
			}
			right := [2]float64{tot[0] - left[0], tot[1] - left[1]}
			if gain := parent - gini(left) - gini(right); gain > bestGain {
				bestGain, bestF, bestT = gain, j, b
			}
		}
	}
	if bestF < 0 {
		return me
	}
	var l, r []int
	for _, i := range idx {
		if int(g.bins[i][bestF]) <= bestT {
			l = append(l, i)
		} else {
			r = append(r, i)
		}
	}
	lc := g.grow(l, depth+1)
	rc := g.grow(r, depth+1)
	g.nodes[me] = node{feature: bestF, threshold: uint8(bestT), left: lc, right: rc}
	return me
}

// predict is the forest's positive share for one sample.
func (f *forest) predict(x []float64) float64 {
	s := 0.0
	for _, t := range f.trees {
		k := int32(0)
		for t[k].left != 0 {
			if f.bin(t[k].feature, x[t[k].feature]) <= t[k].threshold {
				k = t[k].left
			} else {
				k = t[k].right
			}
		}
		s += t[k].p
	}
	return s / float64(len(f.trees))
}
