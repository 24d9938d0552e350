package feel

import "testing"

// BenchmarkBuiltin is the cost of a built-in feel to a process that plays
// it: decoding its embedded file, once (Builtin keeps it).
func BenchmarkBuiltin(b *testing.B) {
	for _, name := range []string{"swing-rhythm", "classical-piano"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeBuiltin(name + ".feel"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
