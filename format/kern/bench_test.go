package kern

import (
	"testing"

	"sideman/internal/cputime"
)

// BenchmarkDecodeCorpus decodes the 370 chorales from memory, reporting
// files, notes and bytes per second of CPU time.
func BenchmarkDecodeCorpus(b *testing.B) {
	names, files := readCorpus(b)
	size := 0
	for _, d := range files {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	notes := 0
	cpu := cputime.Used()
	for b.Loop() {
		notes = 0
		for i, d := range files {
			c, err := Decoder{Source: names[i]}.DecodeBytes(d)
			if err != nil {
				b.Fatal(err)
			}
			notes += c.WrittenNotes()
		}
	}
	sec := (cputime.Used() - cpu).Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "cpu-ms/op")
	b.ReportMetric(float64(len(files))/sec, "files/cpu-s")
	b.ReportMetric(float64(notes)/sec, "notes/cpu-s")
	b.ReportMetric(float64(size)/1e6/sec, "MB/cpu-s")
}
