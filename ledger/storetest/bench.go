package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"sideman/ledger"
)

// BenchmarkAppend measures appending to the store s in batches of batch
// rows of about 300 bytes (Chain's), the store growing as it goes. It
// reports records/s; making the rows is not timed.
func BenchmarkAppend(b *testing.B, s ledger.Store, batch int) {
	head, err := s.Head(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		rows := Chain(head.Seq, head.Hash, batch)
		b.StartTimer()
		if err := s.Append(b.Context(), rows); err != nil {
			b.Fatal(err)
		}
		head = rows[batch-1]
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// Fill appends rows to s until it holds n, in batches of 10,000.
func Fill(b *testing.B, s ledger.Store, n int) {
	head, err := s.Head(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	for int(head.Seq) < n {
		rows := Chain(head.Seq, head.Hash, min(10000, n-int(head.Seq)))
		if err := s.Append(b.Context(), rows); err != nil {
			b.Fatal(err)
		}
		head = rows[len(rows)-1]
	}
}

// BenchmarkReadHash measures reading every row of s back and recomputing
// each one's SHA-256 from its stored body, as a verify does (the chain's
// links are checked too: each body names the hash before it, which
// Chain's bodies do). s holds n rows (Fill). It reports rows/s.
func BenchmarkReadHash(b *testing.B, s ledger.Store, n int) {
	var buf [64]byte
	for b.Loop() {
		count := 0
		prev := ""
		for r, err := range s.Rows(b.Context(), 0) {
			if err != nil {
				b.Fatal(err)
			}
			sum := sha256.Sum256(r.Body)
			hex.Encode(buf[:], sum[:])
			if string(buf[:]) != r.Hash {
				b.Fatalf("row %d: stored hash %.16s…, body hashes to %.16s…", r.Seq, r.Hash, buf[:])
			}
			if prev != "" && !containsHash(r.Body, prev) {
				b.Fatalf("row %d does not name the hash of row %d", r.Seq, r.Seq-1)
			}
			prev = r.Hash
			count++
		}
		if count != n {
			b.Fatalf("read %d rows, want %d", count, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkHashOnly is the floor under BenchmarkReadHash: the same
// hashing and checks over n rows already in memory, no store.
func BenchmarkHashOnly(b *testing.B, n int) {
	rows := Chain(0, "", n)
	var buf [64]byte
	for b.Loop() {
		prev := ""
		for _, r := range rows {
			sum := sha256.Sum256(r.Body)
			hex.Encode(buf[:], sum[:])
			if string(buf[:]) != r.Hash || (prev != "" && !containsHash(r.Body, prev)) {
				b.Fatalf("row %d does not check", r.Seq)
			}
			prev = r.Hash
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// containsHash reports whether body names hash as "prev". A stand-in for
// the ledger's own check, which parses the record.
func containsHash(body []byte, hash string) bool {
	const key = `"prev":"`
	for i := 0; i+len(key)+len(hash) <= len(body); i++ {
		if string(body[i:i+len(key)]) == key {
			return string(body[i+len(key):i+len(key)+len(hash)]) == hash
		}
	}
	return false
}
