package ireal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds Decode arbitrary input, seeded from the hand-made links
// in testdata: it must not panic, and whatever decodes must encode and
// decode again to the same charts.
func FuzzDecode(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("irealbook://T=C=S=C=n=[C XyQ|x|r|W/G,n Q<3x>}")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := DecodeBytes([]byte(in))
		if err != nil {
			var se *ParseError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is no *ParseError", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, p); err != nil {
			if errors.Is(err, ErrUnsupported) {
				return // a chart iReal Pro cannot hold (a bar of hundreds of chords)
			}
			t.Fatalf("Encode: %v", err)
		}
		q, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("Decode(Encode): %v\n%s", err, buf.String())
		}
		if q.Name != p.Name || len(q.Charts) != len(p.Charts) {
			t.Fatalf("got %q with %d charts, want %q with %d", q.Name, len(q.Charts), p.Name, len(p.Charts))
		}
		for i := range p.Charts {
			if d := chartDiff(p.Charts[i], q.Charts[i]); d != "" {
				t.Fatalf("chart %d: %s\nencoded %s", i+1, d, buf.String())
			}
		}
	})
}
