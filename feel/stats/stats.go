// Package stats holds the statistics a feel is measured and drawn with,
// on plain samples and series, knowing nothing of notes: the distance
// between two samples' distributions (Wasserstein, the evaluation's
// yardstick), the fluctuation exponent of a timing series (DFA, Peng et
// al. 1994), the long-range correlated noise humanize draws from (Noise,
// fractional Gaussian noise after Davies and Harte 1987), and the
// median, mean and standard deviation every learner takes.
//
// What is measured on a performance (beat-upbeat ratios, the timing
// series, velocity residuals) is a method of feel.Performance; how close
// a feel comes to people is package feel/eval.
package stats

import (
	"math"
	"sort"
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

// MeanSD is the mean and the sample standard deviation (n-1) of a
// sample: 0, 0 when it is empty, SD 0 for one value.
func MeanSD(x []float64) (mean, sd float64) {
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
