package ledger

import (
	"context"
	"crypto/ed25519"
	"flag"
	"syscall"
	"testing"
	"time"

	"sideman/music"
)

// benchLedger is a ledger of n records as a session writes them: batches
// of records of four notes each (generated, then humanized), each batch
// signed by a checkpoint, one record in *verifyBatchOf.
func benchLedger(b *testing.B, n int) (*MemStore, ed25519.PublicKey) {
	b.Helper()
	l, s := newLedger()
	key := testKey(b, 1)
	var id music.NoteID = 2
	per := *verifyBatchOf - 1
	batch := make([]Record, 0, per)
	for s.count() < n {
		batch = batch[:0]
		for len(batch) < min(per, n-s.count()-1) {
			r := generated(id, 4, id-1)
			if len(batch)%2 == 1 {
				r = Record{Actor: Machine, Op: Transform, Source: AlgorithmicallyEnhanced, Notes: batch[len(batch)-1].Notes,
					Before: batch[len(batch)-1].After, After: batch[len(batch)-1].After, Gen: &Generation{Generator: "feel/humanize", Seed: "1"}}
			} else {
				id += 4
			}
			batch = append(batch, r)
		}
		mustAppendSigned(b, l, key, batch...)
	}
	return s, key.Public().(ed25519.PublicKey)
}

func (m *MemStore) count() int { return len(m.shared.rows) }

// BenchmarkVerify verifies a million records in memory, recomputing every
// hash, decoding every body and checking every signature. Target (issue
// 16): under 5 s. -verify-batch sets how often a checkpoint comes (each
// costs an Ed25519 verification, the price of a record or fifty). Its
// peer in the same run, sha256-only, reads the same rows and hashes them
// and does nothing else: the floor any verification stands on.
func BenchmarkVerify(b *testing.B) {
	n := *verifyN
	s, pub := benchLedger(b, n)
	bytes := 0
	for _, r := range s.shared.rows {
		bytes += len(r.Body)
	}
	report := func(b *testing.B, cpu0 time.Duration) {
		b.ReportMetric(float64(bytes)/float64(n), "body-bytes/record")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		// The processor time, all threads: what the wall time would be
		// on one idle core, whatever else the machine runs.
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/record")
	}
	b.Run("verify", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			v, err := Verify(context.Background(), s, pub, "")
			if err != nil || v.Records != uint64(n) {
				b.Fatal(v, err)
			}
		}
		report(b, cpu0)
	})
	b.Run("sha256-only", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			k := 0
			for r, err := range s.Rows(context.Background(), 0) {
				if err != nil || HashBody(r.Body) != r.Hash {
					b.Fatal(err)
				}
				k++
			}
			if k != n {
				b.Fatal(k)
			}
		}
		report(b, cpu0)
	})
}

var (
	verifyN       = flag.Int("verify-records", 1_000_000, "records BenchmarkVerify verifies")
	verifyBatchOf = flag.Int("verify-batch", 100, "BenchmarkVerify's ledger has a checkpoint every so many records")
)

// cpuTime is the processor time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecode reads one generate record of four notes: what Verify
// does for each row, but for the hash and the links.
func BenchmarkDecode(b *testing.B) {
	r := generated(5, 4, 1, 2, 3, 4)
	r.Seq, r.Prev, r.Time = 2, HashBody(nil), time.Date(2026, 12, 6, 23, 0, 0, 1e6, time.UTC)
	body, err := Body(&r)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeBody(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHash hashes the same record's body.
func BenchmarkHash(b *testing.B) {
	r := generated(5, 4, 1, 2, 3, 4)
	r.Seq, r.Prev, r.Time = 2, HashBody(nil), time.Date(2026, 12, 6, 23, 0, 0, 1e6, time.UTC)
	body, _ := Body(&r)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		HashBody(body)
	}
}
