package stats

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sync"

	"sideman/internal/dsp"
)

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
	var buf *[]complex128 // from spectra, nil for an array too large to keep
	var v []complex128    // every element is written below
	if size <= maxPooled {
		buf = spectra.Get().(*[]complex128)
		if cap(*buf) < size {
			*buf = make([]complex128, size)
		}
		v = (*buf)[:size]
	} else {
		v = make([]complex128, size)
	}
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
	if buf != nil {
		spectra.Put(buf)
	}
	return out
}

// spectra keeps Noise's working arrays: humanizing a piece draws a few
// dozen series, each through an array of twice its length. Arrays past
// maxPooled (2 MB: the beats of a piece longer than 64 choruses of 32
// bars) are left to the collector, not kept for the next piece.
var spectra = sync.Pool{New: func() any { return new([]complex128) }}

const maxPooled = 1 << 17

// noiseScales keeps the square roots of the circulant's eigenvalues for
// the last few half sizes and exponents: a humanize call draws several
// series of one size with each of its few exponents, so a handful hit,
// and a bound keeps a long-running server that humanizes with ever new
// profiles (each exponent learned) from holding them all.
var noiseScales struct {
	sync.Mutex
	recent []noiseEntry // most recently used first
}

// noiseCacheSize is how many noiseScales keeps: the four roles' exponents
// and the beat's, with room to spare.
const noiseCacheSize = 8

type noiseEntry struct {
	m     int
	h     float64
	scale []float64
}

// cachedScale returns the scale of m and h if noiseScales holds it,
// moving it to the front.
func cachedScale(m int, h float64) ([]float64, bool) {
	c := &noiseScales
	c.Lock()
	defer c.Unlock()
	for i, e := range c.recent {
		if e.m == m && e.h == h {
			copy(c.recent[1:i+1], c.recent[:i])
			c.recent[0] = e
			return e.scale, true
		}
	}
	return nil, false
}

// keepScale puts a scale at the front of noiseScales, dropping the least
// recently used beyond noiseCacheSize.
func keepScale(m int, h float64, scale []float64) {
	c := &noiseScales
	c.Lock()
	defer c.Unlock()
	if len(c.recent) < noiseCacheSize {
		c.recent = append(c.recent, noiseEntry{})
	}
	copy(c.recent[1:], c.recent[:len(c.recent)-1])
	c.recent[0] = noiseEntry{m, h, scale}
}

// noiseScale is, for k = 0..m, the standard deviation of the k-th
// frequency's draw: sqrt(λ_k / 2m) at 0 and m, sqrt(λ_k / 4m) between.
func noiseScale(m int, h float64) []float64 {
	if s, ok := cachedScale(m, h); ok {
		return s
	}
	size := 2 * m
	// The autocovariance at lag k is 0.5 (|k+1|^2h - 2|k|^2h + |k-1|^2h):
	// each power is taken once, not once for each of the three lags that
	// use it (the same numbers, a third of the calls to Pow).
	pow := make([]float64, m+2)
	for j := range pow {
		pow[j] = math.Pow(float64(j), 2*h)
	}
	row := make([]complex128, size)
	for k := 0; k <= m; k++ {
		row[k] = complex(0.5*(pow[k+1]-2*pow[k]+pow[max(k-1, 1-k)]), 0)
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
	keepScale(m, h, scale)
	return scale
}
