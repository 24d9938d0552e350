package sqlite_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"sideman/ledger/storetest"
	"sideman/store/sqlite"
)

func create(b *testing.B) *sqlite.Store {
	s, err := sqlite.Create(b.Context(), filepath.Join(b.TempDir(), "ledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// go test ./store/sqlite -run '^$' -bench . -benchtime 3x (docs/benchmarks.md)
func BenchmarkAppend(b *testing.B) {
	for _, batch := range []int{1, 100, 1000, 10000} {
		b.Run(strconv.Itoa(batch), func(b *testing.B) { storetest.BenchmarkAppend(b, create(b), batch) })
	}
}

func BenchmarkReadHash(b *testing.B) {
	s := create(b)
	storetest.Fill(b, s, 1_000_000)
	b.ResetTimer()
	storetest.BenchmarkReadHash(b, s, 1_000_000)
}

func BenchmarkHashOnly(b *testing.B) { storetest.BenchmarkHashOnly(b, 1_000_000) }
