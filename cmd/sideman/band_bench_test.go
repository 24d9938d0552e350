package main

import (
	"io"
	"path/filepath"
	"testing"
)

// BenchmarkBandCommand runs `sideman band` in process as the command runs
// it (flags, reading the chart, the band, the feel, the MIDI file), for a
// CPU or memory profile of one tune's path. A process pays start-up and
// the built-in feel's decoding on top (feel's BenchmarkBuiltin); the
// whole process is compared with MMA in docs/benchmarks.md.
func BenchmarkBandCommand(b *testing.B) {
	out := filepath.Join(b.TempDir(), "out.mid")
	for _, bc := range []struct{ name, feel string }{{"feel", ""}, {"feel-none", "none"}} {
		b.Run(bc.name, func(b *testing.B) {
			args := []string{"band", "../../examples/rhythm-changes-bb.chart", "--style", "medium-swing", "--choruses", "3", "-o", out}
			if bc.feel != "" {
				args = append(args, "--feel", bc.feel)
			}
			b.ReportAllocs()
			for b.Loop() {
				if status := run(args, io.Discard, io.Discard); status != 0 {
					b.Fatalf("status %d", status)
				}
			}
		})
	}
}
