package wjazzd

import (
	"testing"
	"time"

	"sideman/internal/cputime"
)

// BenchmarkDecodeCorpus reads the whole CSV export from memory: every
// solo's melody and beat files, and the 40 bass lines. It reports files,
// notes and bytes per second of CPU time.
func BenchmarkDecodeCorpus(b *testing.B) {
	c := readCorpus(b)
	b.SetBytes(int64(c.size))
	b.ReportAllocs()
	files, notes := 0, 0
	cpu := cputime.Used()
	for b.Loop() {
		files, notes = 0, 0
		for _, e := range c.index {
			s, err := Decoder{Source: e.CSVName}.DecodeSoloBytes(c.melody[e.CSVName], c.beats[e.CSVName])
			if err != nil {
				b.Fatal(err)
			}
			files += 2
			notes += len(s.Notes)
		}
		for name, data := range c.bass {
			ns, err := Decoder{Source: name}.DecodeBassBytes(data)
			if err != nil {
				b.Fatal(err)
			}
			files++
			notes += len(ns)
		}
	}
	report(b, cpu, files, notes, c.size)
}

// BenchmarkPieces places every solo on the tick grid and builds its
// chart, from decoded solos.
func BenchmarkPieces(b *testing.B) {
	c := readCorpus(b)
	var solos []*Solo
	var metas []*Meta
	notes := 0
	for _, e := range c.index {
		s, err := Decoder{Source: e.CSVName}.DecodeSoloBytes(c.melody[e.CSVName], c.beats[e.CSVName])
		if err != nil {
			b.Fatal(err)
		}
		solos = append(solos, s)
		metas = append(metas, c.meta[e.WJDID])
		notes += len(s.Notes)
	}
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		for i, s := range solos {
			if _, err := s.Piece(metas[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	report(b, cpu, len(solos), notes, 0)
}

func report(b *testing.B, cpu0 time.Duration, files, notes, size int) {
	sec := (cputime.Used() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "cpu-ms/op")
	b.ReportMetric(float64(files)/sec, "files/cpu-s")
	b.ReportMetric(float64(notes)/sec, "notes/cpu-s")
	if size > 0 {
		b.ReportMetric(float64(size)/1e6/sec, "MB/cpu-s")
	}
}
