package ireal

import (
	"bytes"
	"testing"
)

// BenchmarkDecode decodes the jazz playlist (1,460 songs).
func BenchmarkDecode(b *testing.B) {
	data := corpus(b)["jazz1460.txt"]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	songs := 0
	for b.Loop() {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		songs += len(p.Charts)
	}
	b.ReportMetric(float64(songs)/b.Elapsed().Seconds(), "tunes/s")
}

// BenchmarkEncode encodes the decoded jazz playlist.
func BenchmarkEncode(b *testing.B) {
	p, err := DecodeBytes(corpus(b)["jazz1460.txt"])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, p); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportMetric(float64(len(p.Charts)*b.N)/b.Elapsed().Seconds(), "tunes/s")
}
