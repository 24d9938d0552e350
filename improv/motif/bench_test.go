package motif

import (
	"context"
	"testing"

	"sideman/internal/cputime"
)

// BenchmarkVary100k is the target: 100,000 distinct variations of
// an 8-bar motif (a WJazzD solo's), made, each screened by the model, the
// best 256 rescored by the full model, ranked (docs/benchmarks.md).
func BenchmarkVary100k(b *testing.B) {
	m, mod := busyMotif(b, 8, 30, true)
	b.Logf("motif: %d notes", len(m.Notes))
	b.ResetTimer()
	cpu := cputime.Used()
	for b.Loop() {
		res, err := Vary(context.Background(), m, Options{N: 100000, Top: 10, Seed: 1, Model: mod})
		if err != nil {
			b.Fatal(err)
		}
		if res.Made != 100000 {
			b.Fatalf("made %d", res.Made)
		}
	}
	// The CPU time of all cores: on a shared machine the wall clock also
	// counts the time other programs held them.
	b.ReportMetric((cputime.Used()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkFullScore is the peer: one variation of the same motif scored
// by the full model (a Session over every note), as every candidate would
// be without the screen.
func BenchmarkFullScore(b *testing.B) {
	m, mod := busyMotif(b, 8, 30, true)
	vs, err := Generate(context.Background(), m, 64, 1, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		FullBits(m, mod, vs[i%len(vs)])
		i++
	}
}

// BenchmarkGenerate100k is the making alone: 100,000 distinct variations
// of the 8-bar motif, unscored.
func BenchmarkGenerate100k(b *testing.B) {
	m, mod := busyMotif(b, 8, 30, true)
	rs := NewResampler(m, mod)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Generate(context.Background(), m, 100000, 1, rs, nil); err != nil {
			b.Fatal(err)
		}
	}
}
