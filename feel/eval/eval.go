// Package eval measures how close a feel comes to people: held-out human
// performances are quantized, humanized back with a feel, and compared
// with the performances as played, next to the quantized pieces, a
// sequencer's uniform jitter, and the distance between one player and
// the others (the yardstick). docs/feel.md gives the figures.
//
// Quantize, Replay and Jitter turn a feel.Performance into a piece and
// back; Compare measures how far two sets of performances are apart
// (Metrics: Wasserstein distances of timing, swing, velocity and
// fluctuation exponent); Evaluate runs the whole comparison player by
// player.
package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"sideman/feel"
	"sideman/feel/stats"
)

// Against is what an evaluation compares each version of a player's
// performances with.
type Against uint8

const (
	// SamePieces compares with the same pieces as the player played them.
	SamePieces Against = iota
	// OtherPlayers compares with the other players' human performances,
	// as the yardstick does: the stricter test, since the content
	// differs and a feel cannot profit from matching it.
	OtherPlayers
)

// String is the name reports and the command line give the mode: "same"
// or "others".
func (a Against) String() string {
	switch a {
	case SamePieces:
		return "same"
	case OtherPlayers:
		return "others"
	}
	return fmt.Sprintf("Against(%d)", uint8(a))
}

// MarshalText writes the mode as String names it.
func (a Against) MarshalText() ([]byte, error) {
	if a > OtherPlayers {
		return nil, fmt.Errorf("eval: no mode %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText reads "same" or "others".
func (a *Against) UnmarshalText(text []byte) error {
	switch string(text) {
	case "same":
		*a = SamePieces
	case "others":
		*a = OtherPlayers
	default:
		return fmt.Errorf("eval: against %q: want same or others", text)
	}
	return nil
}

// Options control Evaluate.
type Options struct {
	// Corpus names the held-out set in the report.
	Corpus string
	// Seed picks the draws of the humanized and jittered versions; the
	// same seed gives the same report.
	Seed uint64
	// Runs is how many draws are averaged (at least 1): one draw's luck
	// can move a metric by a few percent.
	Runs int
	// MinPerformances leaves out the players with fewer held-out
	// performances.
	MinPerformances int
	// Against is what each version is compared with.
	Against Against
}

// Spread is the least, mean and greatest of one metric over groups.
type Spread struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}

// Report is an evaluation of a feel on held-out human performances.
type Report struct {
	Corpus       string `json:"corpus"`
	Performances int    `json:"performances"`
	// Runs is how many draws of the humanized and jittered versions are
	// averaged.
	Runs int `json:"runs"`
	// Groups are the players (drummers, soloists) the held-out set holds
	// enough of to compare with the others.
	Groups []string `json:"groups"`
	// Human is how far each player's performances are from the other
	// players': the human-against-human spread, the yardstick.
	Human map[string]Spread `json:"human"`
	// Humanized, Quantized and Jitter are how far each player's
	// performances, humanized by the feel from the quantized version,
	// quantized, and quantized with uniform random jitter, are from what
	// Against names; mean over players.
	Against   Against `json:"against"`
	Humanized Metrics `json:"humanized"`
	Quantized Metrics `json:"quantized"`
	Jitter    Metrics `json:"jitter"`
}

// Evaluate compares, player by player, the held-out performances as
// played by people, humanized from their quantized versions with the
// feel feelFor gives, quantized, and jittered by ±20 ms and ±20
// velocity, against what opt.Against names. The humanized and jittered
// versions are drawn opt.Runs times with seeds from opt.Seed on and their
// metrics averaged.
func Evaluate(held []feel.Performance, feelFor func(*feel.Performance) *feel.Profile, opt Options) Report {
	runs, seed := max(opt.Runs, 1), opt.Seed
	byPlayer := map[string][]int{}
	for i := range held {
		byPlayer[held[i].Player] = append(byPlayer[held[i].Player], i)
	}
	var groups []string
	for g, idx := range byPlayer {
		if len(idx) >= opt.MinPerformances {
			groups = append(groups, g)
		}
	}
	sort.Strings(groups)
	rep := Report{Corpus: opt.Corpus, Performances: len(held), Groups: groups, Runs: runs, Against: opt.Against, Human: map[string]Spread{}}
	var human, ours, quant, jit []Metrics
	rng := rand.New(rand.NewPCG(seed, 20))
	for gi, g := range groups {
		var mine, others, hum, q, j []feel.Performance
		for i := range held {
			if held[i].Player == g {
				mine = append(mine, held[i])
			} else {
				others = append(others, held[i])
			}
		}
		for i := range mine {
			q = append(q, *Replay(&mine[i], Quantize(&mine[i])))
		}
		ref := mine
		if opt.Against == OtherPlayers {
			ref = others
		}
		human = append(human, Compare(mine, others))
		quant = append(quant, Compare(q, ref))
		for run := range runs {
			hum, j = hum[:0], j[:0]
			for i := range mine {
				p := &mine[i]
				s := seed + uint64(run)*1_000_003 + uint64(gi)*1000 + uint64(i)
				h := feel.Humanize(Quantize(p), feelFor(p), feel.Options{Amount: 1, Seed: s})
				hum = append(hum, *Replay(p, h))
				j = append(j, *Jitter(p, rng, 20, 20))
			}
			ours = append(ours, Compare(hum, ref))
			jit = append(jit, Compare(j, ref))
		}
	}
	for _, name := range allMetrics {
		s := Spread{Min: math.Inf(1), Max: math.Inf(-1)}
		var vals []float64
		for _, m := range human {
			if v := m.Metric(name); !math.IsNaN(v) {
				vals = append(vals, v)
				s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		s.Mean, _ = stats.MeanSD(vals)
		rep.Human[name] = s
	}
	rep.Humanized, rep.Quantized, rep.Jitter = meanOf(ours), meanOf(quant), meanOf(jit)
	return rep
}

// meanOf is each metric's mean over the comparisons that measured it
// (NaN where none did).
func meanOf(ms []Metrics) Metrics {
	var out Metrics
	for _, name := range allMetrics {
		var vals []float64
		for _, m := range ms {
			if v := m.Metric(name); !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		v := math.NaN()
		if len(vals) > 0 {
			v, _ = stats.MeanSD(vals)
		}
		*out.field(name) = v
	}
	return out
}
