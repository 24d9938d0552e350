// Package dsp holds the signal processing several packages need: the
// fast Fourier transform for the feel's correlated noise and the audio
// tests' spectra.
package dsp

import (
	"math"
	"math/cmplx"
)

// FFT is an in-place radix-2 discrete Fourier transform (Cooley and Tukey,
// decimation in time); len(x) must be a power of two.
func FFT(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				a, b := x[start+k], x[start+k+size/2]*wk
				x[start+k], x[start+k+size/2] = a+b, a-b
				wk *= w
			}
		}
	}
}
