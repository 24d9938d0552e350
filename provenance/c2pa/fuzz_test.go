package c2pa

import (
	"bytes"
	"testing"
)

// FuzzRead: any file, a signed one changed anywhere included, reads
// without a panic, and a changed signed file never verifies as the
// original.
func FuzzRead(f *testing.F) {
	signed := sign(&testing.T{}, sineWAV(200), sampleInputs(), newFuzzIdentity(f))
	f.Add(signed, 0, byte(0))
	f.Add(signed, len(signed)-100, byte(1))
	f.Add(signed, len(signed)-2000, byte(0x80))
	f.Add(signed, 4, byte(0xff))
	f.Fuzz(func(t *testing.T, b []byte, at int, x byte) {
		if len(b) == 0 {
			return
		}
		b = append([]byte(nil), b...)
		at = (at%len(b) + len(b)) % len(b)
		b[at] ^= x
		_, err := Read(bytes.NewReader(b))
		if x != 0 && err == nil && len(b) == len(signed) && bytes.Equal(b[:at], signed[:at]) && bytes.Equal(b[at+1:], signed[at+1:]) {
			t.Errorf("the signed file with byte %d changed verifies", at)
		}
	})
}
