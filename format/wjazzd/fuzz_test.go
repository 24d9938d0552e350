package wjazzd

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzDecode feeds a melody file and a beat file (and the first also as a
// bass line, an index and a metadata table): no input may panic, every
// error must be a *ParseError, and a solo that decodes
// must give a piece and a chart with every note inside them, or a
// *ParseError for a beat track that cannot place notes.
func FuzzDecode(f *testing.F) {
	m, err := os.ReadFile("testdata/melody.csv")
	if err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile("testdata/beats.csv")
	if err != nil {
		f.Fatal(err)
	}
	bass, _ := os.ReadFile("testdata/bass.csv")
	f.Add(m, b)
	f.Add(bass, b)
	f.Add(m, []byte("bar,bass_pitch,beat,chord,chorus_id,form,onset,signature\n-1,,1,Bb7,0,A1,0.5,3/4\n-1,,2,,0,,1.0,\n"))
	checkErr := func(t *testing.T, err error) {
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v is not a *ParseError", err)
		}
	}
	f.Fuzz(func(t *testing.T, melody, beats []byte) {
		_, err := DecodeBassBytes(melody)
		checkErr(t, err)
		_, err = DecodeIndex(bytes.NewReader(melody))
		checkErr(t, err)
		_, err = DecodeMeta(bytes.NewReader(melody))
		checkErr(t, err)
		s, err := DecodeSoloBytes(melody, beats)
		checkErr(t, err)
		if err != nil {
			return
		}
		p, err := s.Piece(nil)
		checkErr(t, err)
		if err != nil {
			return
		}
		for _, n := range p.Parts[0].Notes {
			if n.Start < 0 || n.Duration < 1 {
				t.Fatalf("note %+v", n)
			}
		}
		c, err := s.Chart(nil)
		if err != nil {
			t.Fatal(err)
		}
		meter := c.MeterOrDefault()
		notes := 0
		for i, b := range c.Bars {
			if b.Meter != nil {
				meter = *b.Meter
			}
			for _, n := range b.Notes {
				if n.Start < 0 || (i < len(c.Bars)-1 && n.Start >= meter.BarTicks()) {
					t.Fatalf("bar %d: note at %d of %d", i, n.Start, meter.BarTicks())
				}
			}
			notes += len(b.Notes)
		}
		if notes != len(s.Notes) {
			t.Fatalf("chart has %d of %d notes", notes, len(s.Notes))
		}
	})
}
