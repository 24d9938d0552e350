package musicxml

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"sideman/music"
)

// The goal: all corpora (Nottingham, OpenEWLD, the chorales,
// WJazzD) read in under 2 s on one core, so OpenEWLD well under 1 s. Run
// with -cpu 1. The peer is encoding/xml tokenizing the same documents
// (RawToken, the cheapest it offers: no namespace or nesting work, no
// decoding into values), in the same run.

// benchScores returns the corpus files and, for the XML peers, the
// scores inside them (inflated from .mxl).
func benchScores(b *testing.B, name string) (files, docs [][]byte, size int64) {
	c := loadCorpus(b, name)
	for _, f := range c.data {
		doc := f
		if isZip(f) {
			var err error
			if doc, err = unzipScore(f); err != nil {
				b.Fatal(err)
			}
		}
		files = append(files, f)
		docs = append(docs, doc)
		size += int64(len(doc))
	}
	return files, docs, size
}

func benchDecode(b *testing.B, name string) {
	files, docs, size := benchScores(b, name)
	var notes int
	for _, f := range files {
		c, err := Decoder{Source: "bench"}.DecodeBytes(f)
		if err != nil {
			b.Fatal(err)
		}
		notes += c.WrittenNotes()
	}
	report := func(b *testing.B) {
		s := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(float64(len(files))/s, "files/s")
		b.ReportMetric(float64(notes)/s, "notes/s")
	}
	// SetBytes counts the XML read (inflated), so MB/s compare across
	// the sub-benchmarks.
	b.Run("Decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, err := DecodeBytes(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
	if name == "openewld" {
		b.Run("unzip", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range files {
					if _, err := unzipScore(f); err != nil {
						b.Fatal(err)
					}
				}
			}
			report(b)
		})
	}
	b.Run("DecodeXML", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				if _, err := DecodeBytes(d); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
	b.Run("encoding-xml-RawToken", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range docs {
				dec := xml.NewDecoder(bytes.NewReader(d))
				for {
					if _, err := dec.RawToken(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		report(b)
	})
}

// BenchmarkDecodeOpenEWLD reads the 502 OpenEWLD lead sheets (.mxl).
func BenchmarkDecodeOpenEWLD(b *testing.B) { benchDecode(b, "openewld") }

// BenchmarkDecodeVienna reads the 4 Vienna 4x22 piano scores.
func BenchmarkDecodeVienna(b *testing.B) { benchDecode(b, "vienna") }

// BenchmarkEncodeOpenEWLD writes the OpenEWLD lead sheets as MusicXML.
func BenchmarkEncodeOpenEWLD(b *testing.B) {
	files, _, _ := benchScores(b, "openewld")
	var charts []*music.Chart
	var size int64
	for _, f := range files {
		c, err := Decoder{Source: "bench"}.DecodeBytes(f)
		if err != nil {
			b.Fatal(err)
		}
		charts = append(charts, c)
		var buf bytes.Buffer
		if err := Encode(&buf, c); err != nil {
			b.Fatal(err)
		}
		size += int64(buf.Len())
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range charts {
			if err := Encode(io.Discard, c); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(charts))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
