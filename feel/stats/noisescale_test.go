package stats

import (
	"math"
	"testing"

	"sideman/internal/dsp"
)

// scaleBefore is noiseScale as first written, three powers a lag.
func scaleBefore(m int, h float64) []float64 {
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
	return scale
}

// The noise a seed gives must not move: the scales are the same to the
// bit as the formula taken lag by lag.
func TestNoiseScaleSameAsBefore(t *testing.T) {
	for _, h := range []float64{0.01, 0.5, 0.6214832823179945, 0.6808, 0.75, 0.99} {
		for m := 1; m <= 4096; m *= 2 {
			got, want := noiseScale(m, h), scaleBefore(m, h)
			for k := range want {
				if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
					t.Fatalf("m=%d h=%v k=%d: %v, before %v", m, h, k, got[k], want[k])
				}
			}
		}
	}
}
