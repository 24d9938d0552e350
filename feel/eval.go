package feel

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"sort"

	"sideman/feel/stats"
	"sideman/music"
)

// Quantize returns a performance as a sequencer would hold it after
// quantizing: every note on its grid slot at the performance's mean tempo,
// every velocity the performance's mean (80 where the source has none).
// Note i+1's id is hit i's index plus one; hits off the grid are left
// out, and so is a second strike of one key on one slot.
// Drum hits form one drum part, the others one part per role.
func Quantize(p *Performance) *music.Piece {
	bpm := p.Tempo
	if bpm <= 0 {
		bpm = 120
	}
	var sum, n float64
	for _, h := range p.Hits {
		if h.Velocity > 0 {
			sum += float64(h.Velocity)
			n++
		}
	}
	vel := uint8(80)
	if n > 0 {
		vel = uint8(math.Round(sum / n))
	}
	beats := p.BeatsPerBar
	if beats <= 0 {
		beats = 4
	}
	piece := &music.Piece{
		Title:  p.Name,
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: int64(math.Round(60e6 / bpm))}},
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: beats, Den: 4}}},
	}
	parts := map[string]int{}
	// A sequencer holds one strike of a key on a slot: the second hit of a
	// flam or a doubled hit quantized onto the first is left out, as hits
	// off the grid are, rather than given to humanize as a note it must
	// move off the first (music.Restrike) to be heard at all.
	type strike struct {
		ch    uint8
		pitch uint8
		at    music.Ticks
	}
	struck := map[strike]bool{}
	origin := &music.Origin{Kind: music.HumanPlayed, Who: p.Player, Source: p.Name}
	for i, h := range p.Hits {
		if h.Slot == OffGrid {
			continue
		}
		role, ch := partFor(h.Role)
		start := gridTick(h)
		k := strike{ch, h.Pitch, start}
		if struck[k] {
			continue
		}
		struck[k] = true
		pi, ok := parts[role]
		if !ok {
			pi = len(piece.Parts)
			parts[role] = pi
			piece.Parts = append(piece.Parts, music.Part{Name: role, Role: role, Channel: ch, Program: -1})
		}
		piece.Parts[pi].Notes = append(piece.Parts[pi].Notes, music.Note{
			ID: music.NoteID(i + 1), Pitch: h.Pitch, Velocity: vel, Channel: ch, Part: int16(pi),
			Start: start, Duration: music.PPQ / 4, Origin: origin,
		})
	}
	for i := range piece.Parts {
		music.SortNotes(piece.Parts[i].Notes)
	}
	return piece
}

// gridTick is where a hit's grid slot falls in the quantized piece.
func gridTick(h Hit) music.Ticks {
	return music.Ticks(h.Beat)*music.PPQ + music.Ticks(h.Slot)*music.PPQ/slotsInBeat
}

func partFor(role string) (string, uint8) {
	switch role {
	case Soloist:
		return music.RoleMelody, 0
	case Bass:
		return music.RoleBass, 1
	case Piano:
		return music.RolePiano, 2
	}
	return music.RoleDrums, 9
}

// Replay reads a quantized performance's piece back, after whatever was
// done to its notes, as a performance against the quantized grid.
// Velocities stay unknown where the source had none.
func Replay(src *Performance, piece *music.Piece) *Performance {
	out := *src
	out.Hits = nil
	clock := piece.Tempo.Clock()
	beat := 60 / src.tempo()
	for _, part := range piece.Parts {
		for _, n := range part.Notes {
			i := int(n.ID) - 1
			if i < 0 || i >= len(src.Hits) {
				continue
			}
			h := src.Hits[i]
			h.Grid = clock.Seconds(gridTick(h))
			h.BeatDur = beat
			h.Time = clock.Seconds(n.Start)
			if h.Velocity > 0 {
				h.Velocity = int(n.Velocity)
			}
			out.Hits = append(out.Hits, h)
		}
	}
	out.Sort()
	return &out
}

func (p *Performance) tempo() float64 {
	if p.Tempo <= 0 {
		return 120
	}
	return p.Tempo
}

// Jitter is a DAW's humanize button on the quantized performance: every
// onset moved by an independent uniform draw of up to ms milliseconds
// either way, every velocity by up to vel.
func Jitter(src *Performance, rng *rand.Rand, ms, vel float64) *Performance {
	q := Replay(src, Quantize(src))
	for i := range q.Hits {
		h := &q.Hits[i]
		h.Time += (2*rng.Float64() - 1) * ms / 1000
		if h.Velocity > 0 {
			h.Velocity = int(math.Min(math.Max(math.Round(float64(h.Velocity)+(2*rng.Float64()-1)*vel), 1), 127))
		}
	}
	q.Sort()
	return q
}

// Metrics are distances between two sets of performances; smaller is
// closer. A metric with nothing to compare is NaN.
type Metrics struct {
	// Timing is the Wasserstein distance between onset deviations (ms),
	// per role and slot, averaged with the second set's counts as weights.
	Timing float64 `json:"timing_ms"`
	// Swing is the Wasserstein distance between beat-upbeat ratios per
	// role and tempo band, averaged the same way; SwingMedian the
	// difference of their medians, for reference.
	Swing       float64 `json:"swing_ratio"`
	SwingMedian float64 `json:"swing_median"`
	// Velocity is the Wasserstein distance between velocities per role.
	Velocity float64 `json:"velocity"`
	// Fluctuation is the Wasserstein distance between the performances'
	// timing-fluctuation exponents (DFA), for performances of MinDFABeats
	// beats or more; NaN where the first set has no fluctuation at all.
	Fluctuation float64 `json:"fluctuation_exponent"`
}

// MinDFABeats is the shortest performance whose fluctuation exponent is
// measured: shorter series do not give a stable exponent.
const MinDFABeats = 256

// Compare measures how far the performances a are from b.
func Compare(a, b []Performance) Metrics {
	type key struct {
		role string
		n    int
	}
	pool := func(ps []Performance) (dev, bur, vel map[key][]float64, dfa []float64) {
		dev, bur, vel = map[key][]float64{}, map[key][]float64{}, map[key][]float64{}
		for i := range ps {
			p := &ps[i]
			roles := map[string]bool{}
			for _, h := range p.Hits {
				if h.Slot == OffGrid {
					continue
				}
				roles[h.Role] = true
				k := key{h.Role, int(h.Slot)}
				dev[k] = append(dev[k], 1000*h.Dev())
				if h.Velocity > 0 {
					vel[key{h.Role, 0}] = append(vel[key{h.Role, 0}], float64(h.Velocity))
				}
			}
			for role := range roles {
				k := key{role, TempoBandOf(p.Tempo)}
				bur[k] = append(bur[k], p.BeatUpbeatRatios(role)...)
			}
			if p.Beats >= MinDFABeats {
				if s := p.TimingSeries(""); len(s) >= MinDFABeats/2 {
					if alpha, ok := stats.DFA(s); ok {
						dfa = append(dfa, alpha)
					} else {
						dfa = append(dfa, math.NaN())
					}
				}
			}
		}
		return
	}
	weighted := func(x, y map[key][]float64, dist func(a, b []float64) float64) float64 {
		var sum, w float64
		keys := make([]key, 0, len(y))
		for k := range y {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].role != keys[j].role {
				return keys[i].role < keys[j].role
			}
			return keys[i].n < keys[j].n
		})
		for _, k := range keys {
			if len(y[k]) < minCount || len(x[k]) < minCount {
				continue
			}
			sum += dist(x[k], y[k]) * float64(len(y[k]))
			w += float64(len(y[k]))
		}
		if w == 0 {
			return math.NaN()
		}
		return sum / w
	}
	ad, ab, av, aa := pool(a)
	bd, bb, bv, ba := pool(b)
	m := Metrics{
		Timing:      weighted(ad, bd, stats.Wasserstein),
		Swing:       weighted(ab, bb, stats.Wasserstein),
		SwingMedian: weighted(ab, bb, func(x, y []float64) float64 { return math.Abs(stats.Median(x) - stats.Median(y)) }),
		Velocity:    weighted(av, bv, stats.Wasserstein),
	}
	m.Fluctuation = math.NaN()
	if len(aa) > 0 && len(ba) > 0 && !hasNaN(aa) {
		m.Fluctuation = stats.Wasserstein(aa, dropNaN(ba))
	}
	return m
}

func hasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

func dropNaN(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
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
	// quantized, and quantized with uniform random jitter, are from the
	// same pieces as the player played them (Against "same"), or from the
	// other players' human performances (Against "others": the stricter
	// test, the content differs as it does for the yardstick); mean over
	// players.
	Against   string  `json:"against"`
	Humanized Metrics `json:"humanized"`
	Quantized Metrics `json:"quantized"`
	Jitter    Metrics `json:"jitter"`
}

// Evaluate compares, player by player, the held-out performances as
// played by people, humanized from their quantized versions with the
// profile profileFor gives, quantized, and jittered by ±20 ms and ±20
// velocity, against the same pieces as played (against "same") or against
// the other players' human performances (against "others"). Players with
// fewer than minPerfs performances are left out. The humanized and
// jittered versions are drawn runs times with seeds from seed on and their
// metrics averaged: one draw's luck can move a metric by a few percent.
func Evaluate(corpus string, held []Performance, profileFor func(*Performance) *Profile, seed uint64, runs, minPerfs int, against string) Report {
	runs = max(runs, 1)
	if against != "others" {
		against = "same"
	}
	byPlayer := map[string][]int{}
	for i := range held {
		byPlayer[held[i].Player] = append(byPlayer[held[i].Player], i)
	}
	var groups []string
	for g, idx := range byPlayer {
		if len(idx) >= minPerfs {
			groups = append(groups, g)
		}
	}
	sort.Strings(groups)
	rep := Report{Corpus: corpus, Performances: len(held), Groups: groups, Runs: runs, Against: against, Human: map[string]Spread{}}
	var human, ours, quant, jit []Metrics
	rng := rand.New(rand.NewPCG(seed, 20))
	for gi, g := range groups {
		var mine, others, hum, q, j []Performance
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
		if against == "others" {
			ref = others
		}
		human = append(human, Compare(mine, others))
		quant = append(quant, Compare(q, ref))
		for run := range runs {
			hum, j = hum[:0], j[:0]
			for i := range mine {
				p := &mine[i]
				s := seed + uint64(run)*1_000_003 + uint64(gi)*1000 + uint64(i)
				h := Humanize(Quantize(p), profileFor(p), Options{Amount: 1, Seed: s})
				hum = append(hum, *Replay(p, h))
				j = append(j, *Jitter(p, rng, 20, 20))
			}
			ours = append(ours, Compare(hum, ref))
			jit = append(jit, Compare(j, ref))
		}
	}
	field := func(m Metrics, i int) float64 {
		return m.Metric(allMetrics[i])
	}
	mean := func(ms []Metrics) Metrics {
		var out [5]float64
		for i := range out {
			var vals []float64
			for _, m := range ms {
				if v := field(m, i); !math.IsNaN(v) {
					vals = append(vals, v)
				}
			}
			out[i] = math.NaN()
			if len(vals) > 0 {
				out[i], _ = stats.MeanSD(vals)
			}
		}
		return Metrics{Timing: out[0], Swing: out[1], Velocity: out[2], Fluctuation: out[3], SwingMedian: out[4]}
	}
	for i, name := range allMetrics {
		s := Spread{Min: math.Inf(1), Max: math.Inf(-1)}
		var vals []float64
		for _, m := range human {
			if v := field(m, i); !math.IsNaN(v) {
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
	rep.Humanized, rep.Quantized, rep.Jitter = mean(ours), mean(quant), mean(jit)
	return rep
}

// Metric is one metric of a Metrics by its JSON name.
func (m Metrics) Metric(name string) float64 {
	switch name {
	case "timing_ms":
		return m.Timing
	case "swing_ratio":
		return m.Swing
	case "velocity":
		return m.Velocity
	case "fluctuation_exponent":
		return m.Fluctuation
	case "swing_median":
		return m.SwingMedian
	}
	return math.NaN()
}

// MetricNames are the JSON names of the four metrics, in order.
var MetricNames = []string{"timing_ms", "swing_ratio", "velocity", "fluctuation_exponent"}

// allMetrics are the four and the reference median swing difference.
var allMetrics = append(MetricNames[:4:4], "swing_median")

// MarshalJSON writes a metric with nothing to compare (NaN) as null.
func (m Metrics) MarshalJSON() ([]byte, error) {
	out := map[string]*float64{}
	for _, name := range allMetrics {
		v := m.Metric(name)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[name] = nil
		} else {
			out[name] = &v
		}
	}
	return json.Marshal(out)
}
