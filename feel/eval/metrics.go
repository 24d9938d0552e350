package eval

import (
	"encoding/json"
	"math"
	"sort"

	"sideman/feel"
	"sideman/feel/stats"
)

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

// minValues is how many values a metric needs on each side, per role and
// slot or tempo band, before the two are compared: as many as a feel
// needs before it uses a statistic.
const minValues = 20

// MinDFABeats is the shortest performance whose fluctuation exponent is
// measured: shorter series do not give a stable exponent.
const MinDFABeats = 256

// Compare measures how far the performances a are from b.
func Compare(a, b []feel.Performance) Metrics {
	type key struct {
		role string
		n    int
	}
	pool := func(ps []feel.Performance) (dev, bur, vel map[key][]float64, dfa []float64) {
		dev, bur, vel = map[key][]float64{}, map[key][]float64{}, map[key][]float64{}
		for i := range ps {
			p := &ps[i]
			roles := map[string]bool{}
			for _, h := range p.Hits {
				if h.Slot == feel.OffGrid {
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
				k := key{role, feel.TempoBandOf(p.Tempo)}
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
			if len(y[k]) < minValues || len(x[k]) < minValues {
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

// Metric is one metric of a Metrics by its JSON name (NaN for a name
// not among MetricNames and "swing_median").
func (m Metrics) Metric(name string) float64 {
	if f := m.field(name); f != nil {
		return *f
	}
	return math.NaN()
}

// field is the metric of that JSON name, nil for none.
func (m *Metrics) field(name string) *float64 {
	switch name {
	case "timing_ms":
		return &m.Timing
	case "swing_ratio":
		return &m.Swing
	case "velocity":
		return &m.Velocity
	case "fluctuation_exponent":
		return &m.Fluctuation
	case "swing_median":
		return &m.SwingMedian
	}
	return nil
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
