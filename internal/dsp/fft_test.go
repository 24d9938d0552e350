package dsp

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// The FFT agrees with the discrete Fourier transform's definition.
func TestFFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 8, 64} {
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		want := make([]complex128, n)
		for k := range want {
			for j, v := range x {
				want[k] += v * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k)/float64(n)))
			}
		}
		FFT(x)
		for k := range x {
			if cmplx.Abs(x[k]-want[k]) > 1e-9 {
				t.Fatalf("n=%d bin %d: %v, want %v", n, k, x[k], want[k])
			}
		}
	}
}
