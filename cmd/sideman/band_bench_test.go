package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"sideman/internal/cputime"
)

// BenchmarkBandCommand runs `sideman band` in process as the command runs
// it (flags, reading the chart, the band, the feel, the MIDI file), for a
// CPU or memory profile of one tune's path. A process pays start-up and
// the built-in feel's decoding on top (feel's BenchmarkBuiltin); the
// whole process is compared with MMA in docs/benchmarks.md.
func BenchmarkBandCommand(b *testing.B) {
	chartFile := "../../examples/rhythm-changes-bb.chart"
	if f := os.Getenv("SIDEMAN_BENCH_CHART"); f != "" {
		chartFile = f
	}
	out := filepath.Join(b.TempDir(), "out.mid")
	for _, bc := range []struct{ name, feel string }{{"feel", ""}, {"feel-none", "none"}} {
		b.Run(bc.name, func(b *testing.B) {
			args := []string{"band", chartFile, "--style", "medium-swing", "--choruses", "3", "-o", out}
			if bc.feel != "" {
				args = append(args, "--feel", bc.feel)
			}
			b.ReportAllocs()
			cpu := cputime.Used()
			for b.Loop() {
				if status := run(args, io.Discard, io.Discard); status != 0 {
					b.Fatalf("status %d", status)
				}
			}
			// CPU time, all threads (the collector's too): steadier than
			// the wall clock on a shared machine.
			b.ReportMetric(float64((cputime.Used()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
