package postgres_test

import (
	"strconv"
	"testing"

	"sideman/ledger/storetest"
	"sideman/store/postgres"
	"sideman/store/postgres/pgtest"
)

func open(b *testing.B) *postgres.Store {
	s, err := postgres.Open(b.Context(), pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// go test ./store/postgres -run '^$' -bench . -benchtime 3x (docs/benchmarks.md)
func BenchmarkAppend(b *testing.B) {
	for _, batch := range []int{1, 100, 1000, 10000} {
		b.Run(strconv.Itoa(batch), func(b *testing.B) { storetest.BenchmarkAppend(b, open(b), batch) })
	}
}

func BenchmarkReadHash(b *testing.B) {
	s := open(b)
	storetest.Fill(b, s, 1_000_000)
	b.ResetTimer()
	storetest.BenchmarkReadHash(b, s, 1_000_000)
}
