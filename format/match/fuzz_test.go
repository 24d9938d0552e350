package match

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode: no input may panic, every error is a *ParseError, and
// whatever decodes writes back to a file that decodes to the same File.
func FuzzDecode(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.match")
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("snote(a,[c,x],-1,0:0,1/2/3+4,5,-1e3,2.5,[])-note(b,[b,bb],9,1,2,3,4).\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := Decode(bytes.NewReader(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, x); err != nil {
			t.Fatalf("encode: %v", err)
		}
		y, err := Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("decode of encoded %q: %v", buf.Bytes(), err)
		}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("round trip differs:\n%q\n%q", in, buf.Bytes())
		}
	})
}
