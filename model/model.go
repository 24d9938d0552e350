package model

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
)

// MaxDepth bounds the contexts of an unbounded (PPM*) model: strings of
// up to MaxDepth symbols are kept, so the highest order is MaxDepth-1.
// Longer contexts are rare past a dozen notes and each order costs memory
// on every note learned.
const MaxDepth = 16

// Config says how a model predicts. The zero value is not valid: start
// from DefaultConfig or PitchOnly.
type Config struct {
	// Viewpoints predict the pitch, each from its own symbols.
	Viewpoints []Viewpoint
	// Order bounds the contexts (the highest order used); Unbounded uses
	// PPM* (Cleary and Teahan 1997) instead: the shortest context that
	// was followed by one symbol only, else the longest seen, up to
	// MaxDepth-1.
	Order     int
	Unbounded bool
	// Escape is the escape method; Exclusion counts a symbol in the
	// shorter contexts only where the longer one had not seen it.
	Escape    Escape
	Exclusion bool
	// Bias is b of the entropy-weighted geometric mean that combines the
	// viewpoints (Pearce 2005, 6.2.3): a prediction of relative entropy
	// H weighs H^-b. LTMSTMBias combines the long- and short-term models.
	Bias, LTMSTMBias float64
	// Alphabet is the pitches predicted (MIDI keys). Probabilities are
	// normalised over all of them. Empty: the pitches the model learned.
	Alphabet []int
}

// PitchOnly is the configuration of IDyOM's pitch-only system (cpitch,
// PPM*, escape C with update exclusion), the anchor of Pearce (2005),
// with the biases that did best on the chorales (docs/model.md).
func PitchOnly() Config {
	vps, _ := ParseViewpoints("cpitch")
	return Config{Viewpoints: vps, Unbounded: true, Escape: EscapeC, Exclusion: true, Bias: 1, LTMSTMBias: 0.5}
}

// DefaultViewpoints are the viewpoints of DefaultConfig.
const DefaultViewpoints = "cpitch,cpint*dur,cpintfref*cpint,cpint*posinbar,cpintfref*fib,cpintfroot*dur,chordtone*cpint"

// DefaultConfig is the configuration sideman uses: several viewpoints.
func DefaultConfig() Config {
	c := PitchOnly()
	c.Viewpoints, _ = ParseViewpoints(DefaultViewpoints)
	return c
}

func (c Config) depth() int {
	if c.Unbounded {
		return MaxDepth
	}
	return c.Order + 1
}

func (c Config) check() error {
	switch {
	case len(c.Viewpoints) == 0:
		return errors.New("model: no viewpoints")
	case !c.Unbounded && (c.Order < 0 || c.Order+1 > MaxDepth):
		return fmt.Errorf("model: order %d: not 0 to %d", c.Order, MaxDepth-1)
	case c.Bias < 0 || c.LTMSTMBias < 0 || math.IsNaN(c.Bias) || math.IsNaN(c.LTMSTMBias):
		return errors.New("model: a bias must be 0 or more")
	}
	if _, err := ParseEscape(string(c.Escape)); err != nil {
		return err
	}
	for _, v := range c.Viewpoints {
		if !v.pitched {
			return fmt.Errorf("model: viewpoint %q cannot predict pitch: %w", v.Name, ErrViewpoint)
		}
	}
	return nil
}

// Model is a long-term model: what was learned from a corpus, one set of
// counts a viewpoint. Learning and merging change it; sessions read it,
// and many may read it at once while nothing learns.
type Model struct {
	cfg    Config
	ltm    []*counts
	pitchs map[int]bool
	// Pieces and Notes learned.
	Pieces, Notes int
}

// New returns an empty model.
func New(cfg Config) (*Model, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, pitchs: map[int]bool{}}
	for range cfg.Viewpoints {
		m.ltm = append(m.ltm, newCounts(cfg.depth()))
	}
	return m, nil
}

// Config is the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// symbols is the viewpoint's symbol sequence of a melody, undefined
// events left out.
func symbols(v Viewpoint, es []Event) []int64 {
	out := make([]int64, 0, len(es))
	for i := range es {
		if s, ok := v.Symbol(es, i, es[i].Pitch); ok {
			out = append(out, s)
		}
	}
	return out
}

// Learn adds a melody to the model.
func (m *Model) Learn(mel Melody) {
	for i, v := range m.cfg.Viewpoints {
		m.ltm[i].learn(symbols(v, mel.Events))
	}
	m.learned(mel)
}

func (m *Model) learned(mel Melody) {
	for _, e := range mel.Events {
		m.pitchs[e.Pitch] = true
	}
	m.Pieces++
	m.Notes += len(mel.Events)
}

// LearnAll adds melodies to the model, the viewpoints' counts learned in
// parallel over all cores (GOMAXPROCS): they are apart, so nothing waits
// on a lock and nothing is merged. The model is as Learn leaves it.
func (m *Model) LearnAll(mels []Melody) {
	eachViewpoint(len(m.ltm), func(i int) {
		v, c := m.cfg.Viewpoints[i], m.ltm[i]
		seqs := make([][]int64, len(mels))
		most := 0 // strings the melodies can add at most
		for j, mel := range mels {
			seqs[j] = symbols(v, mel.Events)
			for k := range seqs[j] {
				most += min(k+1, c.depth)
			}
		}
		c.reserve(most)
		for _, seq := range seqs {
			c.learn(seq)
		}
	})
	for _, mel := range mels {
		m.learned(mel)
	}
}

// eachViewpoint runs f(0)...f(n-1), as many at once as there are cores.
func eachViewpoint(n int, f func(i int)) {
	work := make(chan int, n)
	for i := range n {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range work {
				f(i)
			}
		})
	}
	wg.Wait()
}

// Merge adds what o learned to m: learning shards apart and merging them
// gives the model learned from all at once. Their configurations must
// have the same viewpoints and order. The viewpoints merge in parallel.
func (m *Model) Merge(o *Model) error {
	if len(m.ltm) != len(o.ltm) || m.cfg.depth() != o.cfg.depth() {
		return errors.New("model: merging models of different viewpoints or orders")
	}
	for i, v := range m.cfg.Viewpoints {
		if o.cfg.Viewpoints[i].Name != v.Name {
			return errors.New("model: merging models of different viewpoints")
		}
	}
	eachViewpoint(len(m.ltm), func(i int) { m.ltm[i].merge(o.ltm[i]) })
	for p := range o.pitchs {
		m.pitchs[p] = true
	}
	m.Pieces += o.Pieces
	m.Notes += o.Notes
	return nil
}

// Alphabet is the pitches the model predicts, in order.
func (m *Model) Alphabet() []int {
	if len(m.cfg.Alphabet) > 0 {
		a := slices.Clone(m.cfg.Alphabet)
		slices.Sort(a)
		return slices.Compact(a)
	}
	a := make([]int, 0, len(m.pitchs))
	for p := range m.pitchs {
		a = append(a, p)
	}
	slices.Sort(a)
	return a
}

// size is the number of strings the model's counts hold.
func (m *Model) size() int {
	n := 0
	for _, c := range m.ltm {
		n += len(c.nodes) - 1
	}
	return n
}

// PruneOrder is the highest order Prune keeps whole: the strings of up to
// PruneOrder+1 symbols are kept however rarely they were seen.
const PruneOrder = 2

// Prune returns a model without the strings of more than PruneOrder+1
// symbols (contexts of order above PruneOrder) seen fewer than least
// times: most strings of an unbounded model are long ones seen once, the
// corpus verbatim, and dropping them makes a model small enough to ship.
// A string seen least times is preceded and continued by strings seen as
// often, so what is kept is whole: every kept string's prefix and suffix
// are kept. What is derived from the counts (the counts under update
// exclusion, the totals) is rebuilt from those kept. m is unchanged. A
// pruned model no longer adds up with others to the model of the union
// of what they learned: prune after merging.
func (m *Model) Prune(least int) *Model {
	out := &Model{cfg: m.cfg, pitchs: maps.Clone(m.pitchs), Pieces: m.Pieces, Notes: m.Notes}
	out.ltm = make([]*counts, len(m.ltm))
	eachViewpoint(len(m.ltm), func(i int) { out.ltm[i] = m.ltm[i].prune(uint32(max(least, 0))) })
	return out
}

func (c *counts) prune(least uint32) *counts {
	out := newCounts(c.depth)
	at := make([]int32, len(c.nodes)) // the node of each kept string in out; 0: dropped
	depth := make([]uint8, len(c.nodes))
	for i := 1; i < len(c.nodes); i++ {
		nd := &c.nodes[i]
		depth[i] = depth[nd.parent] + 1
		if depth[i] > PruneOrder+1 && nd.count < least {
			continue
		}
		n := out.make(at[nd.parent], nd.sym, at[nd.suffix])
		at[i] = n
		out.add(n, nd.count)
		if nd.start {
			out.markStart(n)
		}
	}
	return out
}
