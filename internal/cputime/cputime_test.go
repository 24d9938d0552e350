package cputime_test

import (
	"crypto/sha256"
	"runtime"
	"testing"
	"time"

	"sideman/internal/cputime"
)

// TestUsed: computing takes CPU time, and no more of it than the cores
// could give in the wall time it took (a unit mixed up, microseconds
// read as nanoseconds or the other way, breaks one bound or the other).
func TestUsed(t *testing.T) {
	buf := make([]byte, 1<<20)
	wall := time.Now()
	before := cputime.Used()
	var sum [32]byte
	for range 64 { // 64 MB through SHA-256: tens of milliseconds
		sum = sha256.Sum256(append(buf[:0:0], buf...))
		buf[0] = sum[0]
	}
	d := cputime.Used() - before
	elapsed := time.Since(wall)
	if d <= 0 {
		t.Fatalf("hashing 64 MB used %v of CPU time, want more than none", d)
	}
	// The garbage collector may run on the other cores meanwhile.
	if limit := elapsed*time.Duration(runtime.NumCPU()) + 10*time.Millisecond; d > limit {
		t.Errorf("%v of CPU time in %v of wall time on %d cores", d, elapsed, runtime.NumCPU())
	}
}
