package abc

import (
	"errors"
	"math/bits"

	"sideman/music"
)

// rat is a length or position in whole notes, as an exact fraction: ABC
// lengths (triplets of dotted sixteenths and so on) need not fall on ticks.
// The denominator is positive and the fraction reduced.
type rat struct{ n, d int64 }

// maxRat bounds numerators and denominators, far beyond any real rhythm,
// so that sums and products cannot overflow.
const maxRat = 1 << 40

var errRhythm = errors.New("rhythm too complex (note lengths out of range)")

func newRat(n, d int64) (rat, error) {
	if d == 0 {
		return rat{}, errors.New("division by zero in a length")
	}
	if d < 0 {
		n, d = -n, -d
	}
	g := gcd(abs(n), d)
	if g > 1 {
		n, d = n/g, d/g
	}
	if abs(n) > maxRat || d > maxRat {
		return rat{}, errRhythm
	}
	return rat{n, d}, nil
}

func (a rat) mul(b rat) (rat, error) {
	n, ok1 := mul64(a.n, b.n)
	d, ok2 := mul64(a.d, b.d)
	if !ok1 || !ok2 {
		return rat{}, errRhythm
	}
	return newRat(n, d)
}

func (a rat) add(b rat) (rat, error) {
	g := gcd(a.d, b.d)
	bd := b.d / g
	n1, ok1 := mul64(a.n, bd)
	n2, ok2 := mul64(b.n, a.d/g)
	d, ok3 := mul64(a.d, bd)
	if !ok1 || !ok2 || !ok3 {
		return rat{}, errRhythm
	}
	return newRat(n1+n2, d)
}

// ticks rounds a length in whole notes to ticks, halves up.
func (a rat) ticks() music.Ticks {
	// a.n*4*PPQ fits: |a.n| <= 2^40 and 4*PPQ < 2^12.
	n := a.n * 4 * music.PPQ
	if n >= 0 {
		return music.Ticks((2*n + a.d) / (2 * a.d))
	}
	return -music.Ticks((-2*n + a.d) / (2 * a.d))
}

func mul64(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return 1
	}
	return a
}

func abs(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}
