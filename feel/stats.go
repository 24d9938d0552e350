package feel

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sort"
	"sync"

	"sideman/internal/dsp"
)

// Wasserstein is the earth mover's (Wasserstein-1) distance between two
// samples' empirical distributions: the area between their cumulative
// distribution functions, in the samples' unit. It is NaN when either
// sample is empty. The inputs are not changed.
func Wasserstein(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	x := append([]float64(nil), a...)
	y := append([]float64(nil), b...)
	sort.Float64s(x)
	sort.Float64s(y)
	// Walk the merged sample points; between consecutive points both
	// CDFs are constant.
	var d float64
	i, j := 0, 0
	prev := math.Min(x[0], y[0])
	for i < len(x) || j < len(y) {
		var next float64
		switch {
		case j >= len(y) || (i < len(x) && x[i] <= y[j]):
			next = x[i]
		default:
			next = y[j]
		}
		fa := float64(i) / float64(len(x))
		fb := float64(j) / float64(len(y))
		d += math.Abs(fa-fb) * (next - prev)
		prev = next
		for i < len(x) && x[i] == next {
			i++
		}
		for j < len(y) && y[j] == next {
			j++
		}
	}
	return d
}

// DFA is the scaling exponent of detrended fluctuation analysis (first
// order, Peng et al. 1994) of a series: about 0.5 for independent noise,
// 1 for 1/f noise, 1.5 for a random walk. Human timing deviations measure
// between 0.5 and 1 (Hennig et al., PLoS ONE 2011). Boxes run from 4
// samples to a quarter of the series; ok is false for series shorter than
// 64 samples or without fluctuation.
func DFA(x []float64) (alpha float64, ok bool) {
	n := len(x)
	if n < 64 {
		return 0, false
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	y := make([]float64, n)
	var s float64
	for i, v := range x {
		s += v - mean
		y[i] = s
	}
	var lx, ly []float64
	last := 0
	for k := 0.0; ; k++ {
		size := int(math.Round(4 * math.Pow(2, k/4)))
		if size > n/4 {
			break
		}
		if size == last {
			continue
		}
		last = size
		f := fluctuation(y, size)
		if f <= 0 {
			return 0, false
		}
		lx = append(lx, math.Log(float64(size)))
		ly = append(ly, math.Log(f))
	}
	if len(lx) < 3 {
		return 0, false
	}
	slope, _ := lineFit(lx, ly)
	return slope, true
}

// fluctuation is the root mean square of the profile y about its linear
// trend in boxes of the given size.
func fluctuation(y []float64, size int) float64 {
	boxes := len(y) / size
	var sum float64
	xs := make([]float64, size)
	for i := range xs {
		xs[i] = float64(i)
	}
	for b := 0; b < boxes; b++ {
		seg := y[b*size : (b+1)*size]
		slope, icept := lineFit(xs, seg)
		for i, v := range seg {
			r := v - (icept + slope*float64(i))
			sum += r * r
		}
	}
	return math.Sqrt(sum / float64(boxes*size))
}

// lineFit is the least-squares line y = a x + b.
func lineFit(x, y []float64) (a, b float64) {
	var sx, sy, sxx, sxy float64
	n := float64(len(x))
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0, sy / n
	}
	a = (n*sxy - sx*sy) / den
	return a, (sy - a*sx) / n
}

// Noise draws n samples of fractional Gaussian noise with Hurst exponent h
// (0 < h < 1), zero mean and unit variance: long-range correlated for h
// above 0.5 (1/f-like near 1), independent at 0.5. It uses the exact
// circulant embedding of Davies and Harte (1987) as laid out by Wood and
// Chan (1994). Exponents outside (0.01, 0.99) are clamped.
func Noise(rng *rand.Rand, n int, h float64) []float64 {
	if n <= 0 {
		return nil
	}
	h = math.Min(math.Max(h, 0.01), 0.99)
	m := 1
	for m < n {
		m <<= 1
	}
	size := 2 * m
	scale := noiseScale(m, h)
	v := make([]complex128, size)
	v[0] = complex(scale[0]*rng.NormFloat64(), 0)
	v[m] = complex(scale[m]*rng.NormFloat64(), 0)
	for k := 1; k < m; k++ {
		s := scale[k]
		v[k] = complex(s*rng.NormFloat64(), s*rng.NormFloat64())
		v[size-k] = cmplx.Conj(v[k])
	}
	dsp.FFT(v)
	out := make([]float64, n)
	for i := range out {
		out[i] = real(v[i])
	}
	return out
}

// noiseScales caches the square roots of the circulant's eigenvalues, by
// half size and exponent: humanizing draws many series of a few sizes.
var noiseScales sync.Map

type noiseKey struct {
	m int
	h float64
}

// noiseScale is, for k = 0..m, the standard deviation of the k-th
// frequency's draw: sqrt(λ_k / 2m) at 0 and m, sqrt(λ_k / 4m) between.
func noiseScale(m int, h float64) []float64 {
	if s, ok := noiseScales.Load(noiseKey{m, h}); ok {
		return s.([]float64)
	}
	size := 2 * m
	gamma := func(k float64) float64 {
		return 0.5 * (math.Pow(math.Abs(k+1), 2*h) - 2*math.Pow(math.Abs(k), 2*h) + math.Pow(math.Abs(k-1), 2*h))
	}
	row := make([]complex128, size)
	for k := 0; k <= m; k++ {
		row[k] = complex(gamma(float64(k)), 0)
	}
	for k := m + 1; k < size; k++ {
		row[k] = row[size-k]
	}
	dsp.FFT(row)
	scale := make([]float64, m+1)
	for k := range scale {
		lam := math.Max(real(row[k]), 0)
		if k == 0 || k == m {
			scale[k] = math.Sqrt(lam / float64(size))
		} else {
			scale[k] = math.Sqrt(lam / (2 * float64(size)))
		}
	}
	noiseScales.Store(noiseKey{m, h}, scale)
	return scale
}

// BeatUpbeatRatios lists the performance's beat-upbeat ratios for the
// given role ("" for all roles together): for each beat with a note on
// the beat, one on the eighth-note upbeat, none between, none after the
// upbeat in the beat, and a note on the next beat, the ratio of the first
// eighth's length to the second's (Corcoran and Frieler 2021). 1 is
// straight, 2 the triplet swing.
func BeatUpbeatRatios(p *Performance, role string) []float64 {
	r, _ := BeatUpbeatPairs(p, role)
	return r
}

// BeatUpbeatPairs is BeatUpbeatRatios with the slot of each pair's upbeat.
func BeatUpbeatPairs(p *Performance, role string) ([]float64, []Slot) {
	type beat struct {
		upSlot   Slot
		down, up float64
		hasDown  bool
		hasUp    bool
		inside   bool // a note between the downbeat and the next beat other than the upbeat
	}
	beats := map[int]*beat{}
	at := func(i int) *beat {
		b := beats[i]
		if b == nil {
			b = &beat{}
			beats[i] = b
		}
		return b
	}
	for _, h := range p.Hits {
		if role != "" && h.Role != role || h.Slot == OffGrid {
			continue
		}
		b := at(h.Beat)
		switch {
		case h.Slot == SlotBeat:
			if !b.hasDown || h.Time < b.down {
				b.down, b.hasDown = h.Time, true
			}
		case h.Slot.Upbeat():
			if b.hasUp && math.Abs(h.Time-b.up) > 0.03 {
				b.inside = true
			}
			if !b.hasUp || h.Time < b.up {
				b.up, b.hasUp, b.upSlot = h.Time, true, h.Slot
			}
		default:
			b.inside = true
		}
	}
	keys := make([]int, 0, len(beats))
	for k := range beats {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []float64
	var slots []Slot
	for _, k := range keys {
		b := beats[k]
		next := beats[k+1]
		if !b.hasDown || !b.hasUp || b.inside || next == nil || !next.hasDown {
			continue
		}
		first, second := b.up-b.down, next.down-b.up
		if first <= 0 || second <= 0 {
			continue
		}
		out = append(out, first/second)
		slots = append(slots, b.upSlot)
	}
	return out, slots
}

// TimingSeries is a performance's timing fluctuation for one role ("" for
// all): the deviation from the grid averaged over each beat that has
// notes on the grid, after the mean deviation of each slot is taken out.
// It is the series the fluctuation exponent (DFA) is measured on.
func TimingSeries(p *Performance, role string) []float64 {
	var sum [slotsInBeat]float64
	var cnt [slotsInBeat]int
	for _, h := range p.Hits {
		if (role == "" || h.Role == role) && h.Slot != OffGrid {
			sum[h.Slot] += h.Dev()
			cnt[h.Slot]++
		}
	}
	var out []float64
	beat, acc, n := math.MinInt, 0.0, 0
	flush := func() {
		if n > 0 {
			out = append(out, acc/float64(n))
		}
		acc, n = 0, 0
	}
	for _, h := range p.Hits {
		if (role != "" && h.Role != role) || h.Slot == OffGrid {
			continue
		}
		if h.Beat != beat {
			flush()
			beat = h.Beat
		}
		acc += h.Dev() - sum[h.Slot]/float64(cnt[h.Slot])
		n++
	}
	flush()
	return out
}

// meanSD is the mean and standard deviation of a sample.
func meanSD(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return 0, 0
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	if len(x) > 1 {
		sd = math.Sqrt(sd / float64(len(x)-1))
	}
	return mean, sd
}

// Median is the middle of a sample (NaN when empty); x is not changed.
func Median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	if len(y)%2 == 1 {
		return y[len(y)/2]
	}
	return (y[len(y)/2-1] + y[len(y)/2]) / 2
}
