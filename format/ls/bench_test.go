package ls

import (
	"testing"

	"sideman/internal/cputime"
	"sideman/internal/shareddata"
)

// BenchmarkDecodeCorpus decodes all of Impro-Visor's leadsheets from
// memory, reporting files, notes and bytes per second of CPU time (and
// MB/s of wall time, which counts other programs on a shared machine).
func BenchmarkDecodeCorpus(b *testing.B) {
	_, data, err := shareddata.ReadTarGz(shareddata.File(b, corpusFile), shareddata.HasSuffix(".ls"))
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, d := range data {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	notes := 0
	cpu := cputime.Used()
	for b.Loop() {
		notes = 0
		for _, d := range data {
			if c, err := DecodeBytes(d); err == nil {
				notes += c.WrittenNotes()
			}
		}
	}
	sec := (cputime.Used() - cpu).Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "cpu-ms/op")
	b.ReportMetric(float64(len(data))/sec, "files/cpu-s")
	b.ReportMetric(float64(notes)/sec, "notes/cpu-s")
	b.ReportMetric(float64(size)/1e6/sec, "MB/cpu-s")
}
