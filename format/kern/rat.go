package kern

import (
	"errors"
	"math/bits"
)

// rat is a time or a duration in whole notes, kept exact: Humdrum
// durations such as triplets and 3%2 need not fall on a tick, and spines
// must add up to the same time line after line.
type rat struct{ n, d int64 }

// maxDen bounds denominators; scores use powers of two times small primes.
const maxDen = 1 << 40

var errFine = errors.New("durations finer than 1/2^40 of a whole note")

func gcd(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (a rat) add(b rat) (rat, error) {
	if a.d == 0 {
		a.d = 1
	}
	if b.d == 0 {
		b.d = 1
	}
	g := gcd(a.d, b.d)
	d := a.d / g * b.d
	if d > maxDen || d <= 0 {
		return rat{}, errFine
	}
	n := a.n*(d/a.d) + b.n*(d/b.d)
	if n < 0 || n > maxDen*1024 {
		return rat{}, errFine
	}
	if g := gcd(n, d); g > 1 {
		n, d = n/g, d/g
	}
	return rat{n, d}, nil
}

func (a rat) less(b rat) bool {
	if a.d == 0 {
		a.d = 1
	}
	if b.d == 0 {
		b.d = 1
	}
	// a.n/a.d < b.n/b.d as a.n*b.d < b.n*a.d, in 128 bits.
	hi1, lo1 := bits.Mul64(uint64(a.n), uint64(b.d))
	hi2, lo2 := bits.Mul64(uint64(b.n), uint64(a.d))
	return hi1 < hi2 || (hi1 == hi2 && lo1 < lo2)
}

// ticks converts a time in whole notes to the nearest tick.
func (a rat) ticks() int64 {
	if a.d == 0 {
		return 0
	}
	// a.n*3840 fits: a.n < 2^50 and 3840 < 2^12.
	return (a.n*3840 + a.d/2) / a.d
}
