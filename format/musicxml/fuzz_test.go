package musicxml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds the decoder arbitrary input, seeded from the
// hand-written scores in testdata (plain and zipped). Decoding must not
// panic and must fail with a *ParseError; what decodes must encode, and decode
// again to a chart that plays the same notes and chords.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.musicxml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if len(files) > 0 {
		b, _ := os.ReadFile(files[0])
		f.Add(makeZip(f, `<container><rootfiles><rootfile full-path="a.xml"/></rootfiles></container>`, map[string][]byte{"a.xml": b}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decoder{Source: "fuzz"}.DecodeBytes(data)
		if err != nil {
			var e *ParseError
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not *ParseError", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, c); err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := Decoder{Source: "fuzz"}.DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("decoding what Encode wrote: %v\n%s", err, buf.Bytes())
		}
		if diff := sameChart(c, back); diff != "" {
			t.Fatalf("round trip: %s\n%s", diff, buf.Bytes())
		}
	})
}
