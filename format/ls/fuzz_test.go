package ls

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that no input panics, that every error is a
// *ParseError carrying a position, and that what decodes is a chart whose
// notes and chords lie inside their bars and can be performed.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ls"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("C D | E F G / |\nc8/3 d8/3 e8/3 f2.+16 v64 r4 g#++1+2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decoder{Source: "fuzz"}.DecodeBytes(data)
		if err != nil {
			var se *ParseError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		checkChart(t, "fuzz", c)
	})
}
