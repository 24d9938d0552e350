package kern

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that no input panics, that errors are *ParseErrors
// with a line (or the package's sentinel errors), and that decoded charts
// hold their notes inside their bars, as written and expanded.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.krn"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("**kern\t**kern\n*M3/8\n*^\t*\n8c\t8d\t8e\n*v\t*v\t*\n=\t=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ex := range []string{"", "*"} {
			c, err := Decoder{Expansion: ex}.DecodeBytes(data)
			if err != nil {
				var se *ParseError
				if !errors.As(err, &se) && !errors.Is(err, ErrNoKern) {
					t.Fatalf("error %v is not a *ParseError", err)
				}
				if se != nil && se.Line < 1 {
					t.Fatalf("error without a line: %v", err)
				}
				return
			}
			meter := c.MeterOrDefault()
			for i, b := range c.Bars {
				if b.Meter != nil {
					meter = *b.Meter
				}
				if !meter.Valid() {
					t.Fatalf("bar %d: meter %v", i, meter)
				}
				for _, n := range b.Notes {
					if n.Start < 0 || n.Start >= meter.BarTicks() || n.Duration < 0 || n.Pitch > 127 || int(n.Part) >= len(c.Parts) {
						t.Fatalf("bar %d (%v): note %+v", i, meter, n)
					}
				}
			}
			c.Perform(1)
		}
	})
}
