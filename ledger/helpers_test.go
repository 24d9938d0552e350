package ledger

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"sideman/music"
)

// testKey is a fixed Ed25519 key, so that failures repeat.
func testKey(tb testing.TB, b byte) ed25519.PrivateKey {
	tb.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b + byte(i)
	}
	return ed25519.NewKeyFromSeed(seed)
}

// fixedClock returns a clock that starts at a fixed time and moves a
// millisecond each call.
func fixedClock() func() time.Time {
	t := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Millisecond)
		return t
	}
}

// played is a record of a person playing notes ids from first on, a
// scale up from middle C in quarter notes in part 0.
func played(first music.NoteID, n int) Record {
	r := Record{Actor: Human, Op: Capture, Source: DigitalCapture}
	for i := range n {
		r.Notes = append(r.Notes, first+music.NoteID(i))
		r.After = append(r.After, NoteState{Part: 0, Tick: music.Ticks(i) * music.PPQ, Dur: music.PPQ, Pitch: uint8(60 + i%12), Vel: 80})
	}
	return r
}

// generated is a record of the band making n bass notes in part 1,
// conditioned on the notes from.
func generated(first music.NoteID, n int, from ...music.NoteID) Record {
	r := Record{Actor: Machine, Op: Generate, Source: AlgorithmicMedia,
		Gen: &Generation{Generator: "band/walkingbass", Version: "1", Seed: "7", Params: map[string]string{"style": "swing"}, From: from}}
	for i := range n {
		r.Notes = append(r.Notes, first+music.NoteID(i))
		r.After = append(r.After, NoteState{Part: 1, Tick: music.Ticks(i) * music.PPQ, Dur: music.PPQ, Pitch: uint8(36 + i%12), Vel: 90})
	}
	return r
}

// newLedger returns a ledger in memory with a fixed clock.
func newLedger() (*Ledger, *MemStore) {
	s := NewMemStore()
	l := New(s)
	l.Clock = fixedClock()
	return l, s
}

func mustAppendSigned(tb testing.TB, l *Ledger, key ed25519.PrivateKey, recs ...Record) []Record {
	tb.Helper()
	out, err := l.AppendSigned(context.Background(), key, recs...)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
