// Package storetest is the conformance suite every ledger.Store passes,
// as testing/fstest is for file systems: Run tests one store, Chain makes
// rows with realistic bodies, and BenchmarkAppend and BenchmarkReadHash
// measure a store the same way whatever it is.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sideman/ledger"
)

// Chain makes n rows that follow a head with sequence number after and
// hash prev ("" for an empty store): bodies shaped like the ledger's
// records (about 300 bytes of canonical JSON naming the previous hash),
// each Hash the hex SHA-256 of its Body. The same arguments make the
// same rows.
func Chain(after uint64, prev string, n int) []ledger.Row {
	rows := make([]ledger.Row, n)
	for i := range rows {
		seq := after + uint64(i) + 1
		body := Body(seq, prev)
		sum := sha256.Sum256(body)
		prev = hex.EncodeToString(sum[:])
		rows[i] = ledger.Row{Seq: seq, Hash: prev, Body: body}
	}
	return rows
}

// Body is a record body of about 300 bytes for sequence number seq: a
// machine generating four notes, the previous record's hash prev in it.
func Body(seq uint64, prev string) []byte {
	id := seq * 4
	t := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Millisecond)
	return fmt.Appendf(nil, `{"actor":"machine","generator":{"model":"9f2c41d07a8e6b35","name":"improv/solo","seed":%d},"notes":[%d,%d,%d,%d],"op":"generate","prev":%q,"seq":%d,"source":"trainedAlgorithmicMedia","time":%q}`,
		seq%1000, id, id+1, id+2, id+3, prev, seq, t.Format(time.RFC3339Nano))
}

// Run tests the store that open opens. The first call of open in a test
// must give an empty store; later calls in the same test must open that
// same store again (a second handle, as another process would: the suite
// uses it to reopen the store and to write from two handles at once).
// open should close what it opens when the test ends (t.Cleanup); the
// suite closes some handles itself, so Close must tolerate a second call.
func Run(t *testing.T, open func(t *testing.T) ledger.Store) {
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open(t)) })
	t.Run("AppendRead", func(t *testing.T) { testAppendRead(t, open(t)) })
	t.Run("Conflict", func(t *testing.T) { testConflict(t, open(t)) })
	t.Run("Atomic", func(t *testing.T) { testAtomic(t, open(t)) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("LargeBodies", func(t *testing.T) { testLarge(t, open(t)) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("EarlyStop", func(t *testing.T) { testEarlyStop(t, open(t)) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, open(t)) })
}

// readAll is every row after after, or the first error.
func readAll(ctx context.Context, s ledger.Store, after uint64) ([]ledger.Row, error) {
	var rows []ledger.Row
	for r, err := range s.Rows(ctx, after) {
		if err != nil {
			return rows, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// mustAll is readAll failing the test on an error.
func mustAll(t *testing.T, s ledger.Store, after uint64) []ledger.Row {
	t.Helper()
	rows, err := readAll(t.Context(), s, after)
	if err != nil {
		t.Fatalf("Rows(%d): %v", after, err)
	}
	return rows
}

func mustAppend(t *testing.T, s ledger.Store, rows []ledger.Row) {
	t.Helper()
	if err := s.Append(t.Context(), rows); err != nil {
		t.Fatalf("Append(%d rows from %d): %v", len(rows), rows[0].Seq, err)
	}
}

func mustHead(t *testing.T, s ledger.Store) ledger.Row {
	t.Helper()
	h, err := s.Head(t.Context())
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	return h
}

// same reports the first difference between two row lists, "" if none.
func same(got, want []ledger.Row) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if d := sameRow(got[i], want[i]); d != "" {
			return fmt.Sprintf("row %d: %s", i, d)
		}
	}
	return ""
}

func sameRow(g, w ledger.Row) string {
	switch {
	case g.Seq != w.Seq:
		return fmt.Sprintf("seq %d, want %d", g.Seq, w.Seq)
	case g.Hash != w.Hash:
		return fmt.Sprintf("seq %d: hash %.16s…, want %.16s…", g.Seq, g.Hash, w.Hash)
	case string(g.Body) != string(w.Body):
		return fmt.Sprintf("seq %d: body of %d bytes differs from the %d appended", g.Seq, len(g.Body), len(w.Body))
	}
	return ""
}

func testEmpty(t *testing.T, s ledger.Store) {
	h := mustHead(t, s)
	if h.Seq != 0 || h.Hash != "" || h.Body != nil {
		t.Errorf("Head of an empty store = seq %d hash %q body %d bytes, want the zero Row", h.Seq, h.Hash, len(h.Body))
	}
	if rows := mustAll(t, s, 0); len(rows) != 0 {
		t.Errorf("an empty store yields %d rows", len(rows))
	}
}

func testAppendRead(t *testing.T, s ledger.Store) {
	all := Chain(0, "", 10)
	mustAppend(t, s, all[:1])
	mustAppend(t, s, all[1:4])
	mustAppend(t, s, all[4:])
	if h := mustHead(t, s); sameRow(h, all[9]) != "" {
		t.Errorf("Head: %s", sameRow(h, all[9]))
	}
	for _, after := range []uint64{0, 1, 3, 9, 10, 11, 1 << 40} {
		want := all[min(int(min(after, 10)), 10):]
		if d := same(mustAll(t, s, after), want); d != "" {
			t.Errorf("Rows(%d): %s", after, d)
		}
	}
	// The rows read are the caller's: changing one changes nothing stored.
	rows := mustAll(t, s, 0)
	rows[0].Body[0] = 'X'
	if d := same(mustAll(t, s, 0), all); d != "" {
		t.Errorf("after changing a row read, Rows(0): %s", d)
	}
}

// unchanged fails the test unless the store holds exactly want.
func unchanged(t *testing.T, s ledger.Store, want []ledger.Row, after string) {
	t.Helper()
	if d := same(mustAll(t, s, 0), want); d != "" {
		t.Errorf("after %s: %s", after, d)
	}
	h := mustHead(t, s)
	var wh ledger.Row
	if len(want) > 0 {
		wh = want[len(want)-1]
	}
	if h.Seq != wh.Seq || h.Hash != wh.Hash {
		t.Errorf("after %s: head %d, want %d", after, h.Seq, wh.Seq)
	}
}

func testConflict(t *testing.T, s ledger.Store) {
	all := Chain(0, "", 8)
	renumber := func(rows []ledger.Row, seqs ...uint64) []ledger.Row {
		rows = slices.Clone(rows)
		for i := range rows {
			rows[i].Seq = seqs[i]
		}
		return rows
	}
	try := func(what string, rows []ledger.Row, have []ledger.Row) {
		t.Helper()
		err := s.Append(t.Context(), rows)
		if !errors.Is(err, ledger.ErrConflict) {
			t.Errorf("Append %s: %v, want ErrConflict", what, err)
		}
		unchanged(t, s, have, "a refused Append ("+what+")")
	}
	try("starting at 0 on an empty store", renumber(all[:2], 0, 1), nil)
	try("starting at 2 on an empty store", renumber(all[:2], 2, 3), nil)
	mustAppend(t, s, all[:3])
	try("starting at the head (stale head)", renumber(all[3:5], 3, 4), all[:3])
	try("starting at 1 (stale head)", all[:2], all[:3])
	try("starting after a gap", renumber(all[3:5], 5, 6), all[:3])
	try("with a gap inside", renumber(all[3:6], 4, 5, 7), all[:3])
	try("with a sequence number twice", renumber(all[3:6], 4, 5, 5), all[:3])
	try("out of order", renumber(all[3:5], 5, 4), all[:3])
	mustAppend(t, s, all[3:])
	unchanged(t, s, all, "appending the rest")
}

func testAtomic(t *testing.T, s ledger.Store) {
	all := Chain(0, "", 3)
	mustAppend(t, s, all)
	// A row the store cannot hold, halfway through a batch: an empty body.
	batch := Chain(3, all[2].Hash, 1000)
	batch[500].Body = nil
	if err := s.Append(t.Context(), batch); err == nil {
		t.Errorf("Append with an empty body at row 500 succeeded")
	}
	unchanged(t, s, all, "a batch that failed at row 500")
	// A batch cancelled while it is written: all of it or nothing.
	batch = Chain(3, all[2].Hash, 20000)
	for _, d := range []time.Duration{time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		err := s.Append(ctx, batch)
		cancel()
		n := len(mustAll(t, s, 0))
		switch {
		case err == nil && n == 3+len(batch):
			return // it finished in time: all of it is there
		case err == nil:
			t.Fatalf("Append succeeded but the store holds %d rows, want %d", n, 3+len(batch))
		case n != 3:
			t.Fatalf("Append cancelled after %v (%v) left %d rows, want 3", d, err, n)
		}
	}
}

func testConcurrent(t *testing.T, open func(t *testing.T) ledger.Store) {
	a := open(t)
	b := open(t)
	base := Chain(0, "", 2)
	mustAppend(t, a, base)
	writers := []ledger.Store{a, b, a, b}
	const rounds, size = 8, 200
	head := base[1]
	for round := range rounds {
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(writers))
		batches := make([][]ledger.Row, len(writers))
		for w, s := range writers {
			// Each writer's batch is its own: its bodies name it.
			batches[w] = Chain(head.Seq, head.Hash, size)
			for i := range batches[w] {
				r := &batches[w][i]
				r.Body = fmt.Appendf(nil, "%s writer %d", r.Body, w)
			}
			wg.Go(func() {
				<-start
				errs[w] = s.Append(t.Context(), batches[w])
			})
		}
		close(start)
		wg.Wait()
		won := -1
		for w, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Fatalf("round %d: writers %d and %d both appended rows from %d", round, won, w, head.Seq+1)
			case err == nil:
				won = w
			case !errors.Is(err, ledger.ErrConflict):
				t.Fatalf("round %d: writer %d: %v, want ErrConflict", round, w, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: no writer appended (%v)", round, errs)
		}
		// Whichever handle reads, the winner's batch is there whole and
		// nothing of the others'.
		for _, s := range []ledger.Store{a, b} {
			if d := same(mustAll(t, s, head.Seq), batches[won]); d != "" {
				t.Fatalf("round %d: writer %d won; the rows after %d: %s", round, won, head.Seq, d)
			}
		}
		head = batches[won][size-1]
	}
	if h := mustHead(t, b); h.Seq != 2+rounds*size {
		t.Errorf("head %d after %d rounds, want %d", h.Seq, rounds, 2+rounds*size)
	}
}

func testLarge(t *testing.T, s ledger.Store) {
	var rows []ledger.Row
	prev := ""
	for i, n := range []int{1, 1 << 16, 4 << 20} {
		body := make([]byte, n)
		for j := range body {
			body[j] = byte(j*7 + i) // every byte value, NUL too
		}
		sum := sha256.Sum256(body)
		prev = hex.EncodeToString(sum[:])
		rows = append(rows, ledger.Row{Seq: uint64(i + 1), Hash: prev, Body: body})
	}
	mustAppend(t, s, rows[:2])
	mustAppend(t, s, rows[2:])
	rows = append(rows, Chain(3, prev, 2)...)
	mustAppend(t, s, rows[3:])
	if d := same(mustAll(t, s, 0), rows); d != "" {
		t.Errorf("large bodies read back: %s", d)
	}
	if h := mustHead(t, s); sameRow(h, rows[4]) != "" {
		t.Errorf("Head after large bodies: %s", sameRow(h, rows[4]))
	}
}

func testReopen(t *testing.T, open func(t *testing.T) ledger.Store) {
	s := open(t)
	all := Chain(0, "", 30)
	mustAppend(t, s, all[:10])
	mustAppend(t, s, all[10:20])
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = open(t)
	unchanged(t, s, all[:20], "closing and reopening")
	if err := s.Append(t.Context(), all[5:7]); !errors.Is(err, ledger.ErrConflict) {
		t.Errorf("after reopening, Append from 6: %v, want ErrConflict", err)
	}
	mustAppend(t, s, all[20:])
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	unchanged(t, open(t), all, "appending after reopening, closing and reopening again")
}

func testEarlyStop(t *testing.T, s ledger.Store) {
	all := Chain(0, "", 50)
	mustAppend(t, s, all)
	// Stopping early must release what the iteration held: a store that
	// leaked a connection or a read transaction a stop would block here
	// (pools are bounded), and the deadline turns that into a failure.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for i := range 200 {
		n := 0
		for r, err := range s.Rows(ctx, uint64(i%50)) {
			if err != nil {
				t.Fatalf("stop %d: Rows: %v", i, err)
			}
			if r.Seq != uint64(i%50+1) {
				t.Fatalf("stop %d: first row %d, want %d", i, r.Seq, i%50+1)
			}
			n++
			break
		}
		if n != 1 {
			t.Fatalf("stop %d: %d rows before the break", i, n)
		}
		_ = s.Rows(ctx, 0) // an iterator never ranged over holds nothing either
	}
	more := Chain(50, all[49].Hash, 5)
	if err := s.Append(ctx, more); err != nil {
		t.Fatalf("Append after 200 early stops: %v (a leaked connection or transaction?)", err)
	}
	rows, err := readAll(ctx, s, 0)
	if err != nil {
		t.Fatalf("Rows after 200 early stops: %v", err)
	}
	if d := same(rows, append(all, more...)); d != "" {
		t.Errorf("after early stops: %s", d)
	}
}

func testCancel(t *testing.T, s ledger.Store) {
	all := Chain(0, "", 100)
	mustAppend(t, s, all[:50])
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Append(ctx, all[50:]); !errors.Is(err, context.Canceled) {
		t.Errorf("Append with a cancelled context: %v, want context.Canceled", err)
	}
	unchanged(t, s, all[:50], "Append with a cancelled context")
	if _, err := s.Head(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Head with a cancelled context: %v, want context.Canceled", err)
	}
	if rows, err := readAll(ctx, s, 0); !errors.Is(err, context.Canceled) || len(rows) != 0 {
		t.Errorf("Rows with a cancelled context: %d rows, error %v; want none and context.Canceled", len(rows), err)
	}
	// Cancelled while iterating: the sequence ends with the error (a
	// reader must not mistake a cut-off read for the whole ledger), and
	// no row comes after it.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	var got []string
	for r, err := range s.Rows(ctx, 0) {
		if err != nil {
			got = append(got, "error: "+err.Error())
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled while iterating: %v, want context.Canceled", err)
			}
			continue
		}
		got = append(got, fmt.Sprint(r.Seq))
		if r.Seq == 10 {
			cancel()
		}
	}
	if len(got) != 11 || !strings.HasPrefix(got[10], "error: ") {
		t.Errorf("cancelled after row 10, the iteration yielded %d items (%s), want rows 1-10 then the error", len(got), strings.Join(got, ", "))
	}
}
