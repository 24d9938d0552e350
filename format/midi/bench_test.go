package midi

import (
	"bytes"
	"testing"
)

// benchFiles loads POP909 and the Groove MIDI Dataset, the corpora the
// performance goals in docs/benchmarks.md are stated over.
func benchFiles(b *testing.B) ([][]byte, int64) {
	var files [][]byte
	var total int64
	for _, name := range []string{"pop909", "groove"} {
		c := loadCorpus(b, name)
		files = append(files, c.data...)
		total += c.bytes
	}
	return files, total
}

func report(b *testing.B, files int) {
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkDecode measures the raw decoder (with a reused Decoder, and
// with a fresh one per file as DecodeBytes does), DecodePiece, and
// gomidi's reader (smf.ReadFrom) over the same files in one run, so
// their ratios come from one machine state.
func BenchmarkDecode(b *testing.B) {
	files, total := benchFiles(b)
	b.Run("events", func(b *testing.B) {
		var d Decoder
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := d.DecodeBytes(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b, len(files))
	})
	b.Run("events-fresh", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := DecodeBytes(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b, len(files))
	})
	b.Run("piece", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := DecodePiece(bytes.NewReader(f)); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b, len(files))
	})
	b.Run("gomidi", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := gomidiRead(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b, len(files))
	})
}
