package model

import (
	"fmt"
	"slices"
)

// Escape names a PPM escape method: how much of a context's probability
// goes to the shorter context it blends with (Cleary and Witten 1984;
// Moffat 1990; Howard 1993; Witten and Bell 1991). With T the count of the
// symbols seen after the context, c a symbol's count, q the symbols seen
// and q1 those seen once, a symbol gets α = the share below and the
// shorter context γ:
//
//	A  c/(T+1)          γ = 1/(T+1)
//	B  (c-1)/T          γ = q/T
//	C  c/(T+q)          γ = q/(T+q)
//	D  (c-1/2)/T        γ = q/(2T)
//	X  c/(T+q1+1)       γ = (q1+1)/(T+q1+1)
type Escape byte

const (
	EscapeA Escape = 'A'
	EscapeB Escape = 'B'
	EscapeC Escape = 'C'
	EscapeD Escape = 'D'
	EscapeX Escape = 'X'
)

// ParseEscape reads an escape method's letter.
func ParseEscape(s string) (Escape, error) {
	if len(s) == 1 {
		switch e := Escape(s[0] &^ 0x20); e {
		case EscapeA, EscapeB, EscapeC, EscapeD, EscapeX:
			return e, nil
		}
	}
	return 0, fmt.Errorf("model: escape method %q: not A, B, C, D or X", s)
}

// counts are the n-gram counts of symbol sequences up to a length, in a
// trie: a node is a string of symbols, its count how often the string
// was seen. The counts are all that learning writes, so two sets merge by
// addition whatever the order they were learned in; what prediction reads
// besides (the counts under update exclusion, the totals of a context)
// follows from them and is kept up to date as they grow.
//
// A node's children are a list; those of a node with more than listMax
// are also in an open-addressing table keyed by (node, symbol). Most
// nodes of an unbounded model are long strings seen once or twice, with
// one child or none: walking their short lists costs one memory access
// where a hash map costs two or three, and keeps the table small (a Go
// map here spent nine tenths of learning on its lookups).
type counts struct {
	depth int // longest string kept: the highest order is depth-1
	nodes []node
	table []slot // len a power of two; node 0 (the root) marks an empty slot
	used  int
}

// listMax is how many children a node finds by walking its list.
const listMax = 4

type slot struct {
	sym          int64
	parent, node int32
}

type node struct {
	parent, suffix int32 // the string less its last symbol, less its first
	first, next    int32 // its first child and its next sibling (0: none)
	sym            int64
	// count is how often the string was seen; cont how many distinct
	// symbols were seen before it (and one more if it began a sequence):
	// its count under update exclusion (Moffat 1990), which increments a
	// context only where the longer context saw the symbol first.
	count, cont uint32
	start       bool
	// As a context: the sum of its children's counts, how many there are
	// and how many were seen once; the same for cont.
	total, types, once uint32
	ctotal, conce      uint32
}

func newCounts(depth int) *counts {
	return &counts{depth: depth, nodes: []node{{parent: -1}}, table: make([]slot, 64)}
}

func hash(parent int32, sym int64) uint64 {
	h := uint64(sym)*0x9e3779b97f4a7c15 ^ uint64(uint32(parent))*0xc2b2ae3d27d4eb4f
	return h ^ h>>31
}

// child is the node of string n followed by sym, -1 if not seen.
func (c *counts) child(n int32, sym int64) int32 {
	if c.nodes[n].types <= listMax {
		for k := c.nodes[n].first; k != 0; k = c.nodes[k].next {
			if c.nodes[k].sym == sym {
				return k
			}
		}
		return -1
	}
	mask := uint64(len(c.table) - 1)
	for i := hash(n, sym) & mask; ; i = (i + 1) & mask {
		s := &c.table[i]
		if s.node == 0 {
			return -1
		}
		if s.parent == n && s.sym == sym {
			return s.node
		}
	}
}

func (c *counts) put(parent int32, sym int64, n int32) {
	if (c.used+1)*2 > len(c.table) {
		old := c.table
		c.table = make([]slot, 2*len(old))
		for _, s := range old {
			if s.node != 0 {
				c.place(s)
			}
		}
	}
	c.place(slot{sym, parent, n})
	c.used++
}

func (c *counts) place(s slot) {
	mask := uint64(len(c.table) - 1)
	i := hash(s.parent, s.sym) & mask
	for c.table[i].node != 0 {
		i = (i + 1) & mask
	}
	c.table[i] = s
}

func (c *counts) make(parent int32, sym int64, suffix int32) int32 {
	if i := c.child(parent, sym); i >= 0 {
		return i
	}
	return c.newChild(parent, sym, suffix)
}

// newChild makes the node of string parent followed by sym, not yet seen.
func (c *counts) newChild(parent int32, sym int64, suffix int32) int32 {
	i := int32(len(c.nodes))
	c.nodes = append(c.nodes, node{parent: parent, suffix: suffix, sym: sym, next: c.nodes[parent].first})
	p := &c.nodes[parent]
	p.types++
	p.first = i
	switch {
	case p.types == listMax+1: // its list grew too long: index it all
		for k := i; k != 0; k = c.nodes[k].next {
			c.put(parent, c.nodes[k].sym, k)
		}
	case p.types > listMax+1:
		c.put(parent, sym, i)
	}
	return i
}

// add counts string n k more times.
func (c *counts) add(n int32, k uint32) {
	nd := &c.nodes[n]
	was := nd.count
	nd.count += k
	p := &c.nodes[nd.parent]
	p.total += k
	if was == 1 {
		p.once--
	}
	if nd.count == 1 {
		p.once++
	}
	if was == 0 && nd.suffix > 0 {
		c.addCont(nd.suffix)
	}
}

func (c *counts) addCont(n int32) {
	nd := &c.nodes[n]
	nd.cont++
	p := &c.nodes[nd.parent]
	p.ctotal++
	switch nd.cont {
	case 1:
		p.conce++
	case 2:
		p.conce--
	}
}

func (c *counts) markStart(n int32) {
	if !c.nodes[n].start {
		c.nodes[n].start = true
		c.addCont(n)
	}
}

// reserve makes room for n more nodes at once: growing a slice of
// millions by doubling spent more time copying it than learning.
func (c *counts) reserve(n int) {
	if cap(c.nodes)-len(c.nodes) < n {
		c.nodes = slices.Grow(c.nodes, n)
	}
}

// learn counts every string of up to depth symbols in seq.
func (c *counts) learn(seq []int64) {
	var ends, buf []int32
	for j, s := range seq {
		ends, buf = c.extend(ends, j, s, buf), ends
	}
}

// extend counts the strings that symbol s, the j-th of its sequence (from
// 0), ends, given ends, the nodes of the strings that ended at the symbol
// before (by length, from 1). It returns those that end at s, in buf.
func (c *counts) extend(ends []int32, j int, s int64, buf []int32) []int32 {
	buf = buf[:0]
	for l := 1; l <= c.depth && l <= j+1; l++ {
		parent, suffix := int32(0), int32(0)
		if l > 1 {
			parent, suffix = ends[l-2], buf[l-2]
		}
		n := c.make(parent, s, suffix)
		c.add(n, 1)
		if l == j+1 {
			c.markStart(n)
		}
		buf = append(buf, n)
	}
	return buf
}

// merge adds o's counts to c's. Both must keep strings of one length.
func (c *counts) merge(o *counts) {
	c.reserve(len(o.nodes))
	at := make([]int32, len(o.nodes))
	for i := 1; i < len(o.nodes); i++ {
		on := &o.nodes[i]
		n := c.make(at[on.parent], on.sym, at[on.suffix])
		at[i] = n
		c.add(n, on.count)
		if on.start {
			c.markStart(n)
		}
	}
}

// ctxNodes is where a sequence stands in the counts: the nodes of its
// last 0, 1, 2... symbols, as far as the counts have seen them.
type ctxNodes []int32

// next is the context after symbol s.
func (c *counts) next(ctx ctxNodes, s int64, buf ctxNodes) ctxNodes {
	buf = append(buf[:0], 0)
	for k := 0; k < len(ctx) && k+1 < c.depth; k++ {
		n := c.child(ctx[k], s)
		if n < 0 {
			break
		}
		buf = append(buf, n)
	}
	return buf
}

// predictor reads distributions from counts with one configuration.
type predictor struct {
	escape    Escape
	exclusion bool
	unbounded bool // PPM*: start from the shortest deterministic context
}

// distribution sets p to the probabilities of the candidate symbols after
// context ctx, blending the orders from the highest used down to a
// uniform order -1, and normalised over the candidates. kids is scratch.
// sorted and at index the candidates by symbol (sorted[i] is cand[at[i]]),
// for reading the few children of a long context rather than looking
// every candidate up.
func (pr predictor) distribution(c *counts, ctx ctxNodes, cand []int64, sorted []int64, at []int32, p []float64, kids []int32) []int32 {
	for i := range p {
		p[i] = 1 / float64(len(p))
	}
	top := pr.topContext(c, ctx)
	for k := 0; k <= top; k++ {
		nd := &c.nodes[ctx[k]]
		if nd.total == 0 {
			continue
		}
		full := !pr.exclusion || k+1 >= c.depth
		T, q, q1 := float64(nd.total), float64(nd.types), float64(nd.once)
		if !full {
			T, q1 = float64(nd.ctotal), float64(nd.conce)
		}
		den, gamma, sub := pr.escapeOf(T, q, q1)
		if int(nd.types) <= len(cand)/2 && sorted != nil {
			for i := range p {
				p[i] *= gamma
			}
			for n := nd.first; n != 0; n = c.nodes[n].next {
				j, ok := slices.BinarySearch(sorted, c.nodes[n].sym)
				if !ok {
					continue
				}
				cnt := float64(c.nodes[n].count)
				if !full {
					cnt = float64(c.nodes[n].cont)
				}
				if cnt > 0 {
					p[at[j]] += (cnt - sub) / den
				}
			}
			continue
		}
		kids = kids[:0]
		for _, s := range cand {
			kids = append(kids, c.child(ctx[k], s))
		}
		for i, n := range kids {
			a := 0.0
			if n >= 0 {
				cnt := float64(c.nodes[n].count)
				if !full {
					cnt = float64(c.nodes[n].cont)
				}
				if cnt > 0 {
					a = (cnt - sub) / den
				}
			}
			p[i] = a + gamma*p[i]
		}
	}
	var sum float64
	for _, x := range p {
		sum += x
	}
	for i := range p {
		p[i] /= sum
	}
	return kids
}

// topContext is the index in ctx of the longest context a prediction
// starts from: the longest seen, or with PPM* the shortest of those seen
// that is deterministic (one symbol followed it), when there is one.
func (pr predictor) topContext(c *counts, ctx ctxNodes) int {
	top := -1
	for k := len(ctx) - 1; k >= 0; k-- {
		if c.nodes[ctx[k]].total > 0 {
			top = k
			break
		}
	}
	if pr.unbounded {
		for k := 0; k <= top; k++ {
			if c.nodes[ctx[k]].types == 1 {
				return k
			}
		}
	}
	return top
}

// escapeOf is the escape method's share for a context seen T times, with
// q symbols seen after it and q1 seen once: a seen symbol of count n
// gets (n-sub)/den, and gamma goes to the shorter contexts (Cleary and
// Witten's A, Moffat's C, and B, D, X as IDyOM has them).
func (pr predictor) escapeOf(T, q, q1 float64) (den, gamma, sub float64) {
	switch pr.escape {
	case EscapeA:
		return T + 1, 1 / (T + 1), 0
	case EscapeB:
		return T, q / T, 1
	case EscapeD:
		return T, q / (2 * T), 0.5
	case EscapeX:
		return T + q1 + 1, (q1 + 1) / (T + q1 + 1), 0
	}
	return T + q, q / (T + q), 0
}

// clone is an independent copy of c.
func (c *counts) clone() *counts {
	return &counts{depth: c.depth, nodes: slices.Clone(c.nodes), table: slices.Clone(c.table), used: c.used}
}
