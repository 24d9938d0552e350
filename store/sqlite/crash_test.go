package sqlite_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sideman/ledger/storetest"
	"sideman/store/sqlite"
)

// envWriter, set to a ledger's path, makes TestMain's process a writer
// that appends batches of 100 rows until it is killed, printing each
// head it committed.
const envWriter = "SIDEMAN_TEST_SQLITE_WRITER"

func TestMain(m *testing.M) {
	if p := os.Getenv(envWriter); p != "" {
		writer(p)
		return
	}
	os.Exit(m.Run())
}

func writer(path string) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	head, err := s.Head(ctx)
	for err == nil {
		rows := storetest.Chain(head.Seq, head.Hash, 100)
		if err = s.Append(ctx, rows); err == nil {
			head = rows[len(rows)-1]
			fmt.Println(head.Seq) // committed: Append returned
		}
	}
	fmt.Println("error:", err)
	os.Exit(1)
}

// A writer killed with SIGKILL at random points, again and again, leaves
// a ledger that opens, passes SQLite's check, holds every batch whose
// Append returned and no part of a batch: whole batches, each row's hash
// its body's, each body naming the hash before it.
func TestKilledWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	s, err := sqlite.Create(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	rng := rand.New(rand.NewPCG(16, 2))
	var committed uint64
	for kill := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envWriter+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		// Kill it after a random number of commits, at a random moment
		// after the last one: inside the next batch, or its commit.
		for range 1 + rng.IntN(20) {
			if !lines.Scan() {
				t.Fatalf("kill %d: the writer stopped: %v", kill, lines.Err())
			}
			seq, err := strconv.ParseUint(lines.Text(), 10, 64)
			if err != nil {
				t.Fatalf("kill %d: the writer says %q", kill, lines.Text())
			}
			committed = seq
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		cmd.Process.Kill()
		for lines.Scan() { // what it committed before the signal landed
			if seq, err := strconv.ParseUint(lines.Text(), 10, 64); err == nil {
				committed = seq
			}
		}
		cmd.Wait()

		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("kill %d: %v", kill, err)
		}
		if err := s.Check(t.Context()); err != nil {
			t.Fatalf("kill %d: %v", kill, err)
		}
		n, prev := uint64(0), ""
		for r, err := range s.Rows(t.Context(), 0) {
			if err != nil {
				t.Fatalf("kill %d: %v", kill, err)
			}
			n++
			sum := sha256.Sum256(r.Body)
			if r.Seq != n || hex.EncodeToString(sum[:]) != r.Hash || string(r.Body) != string(storetest.Body(r.Seq, prev)) {
				t.Fatalf("kill %d: row %d (seq %d) is not the row appended", kill, n, r.Seq)
			}
			prev = r.Hash
		}
		s.Close()
		switch {
		case n%100 != 0:
			t.Fatalf("kill %d: %d rows, not whole batches of 100", kill, n)
		case n < committed:
			t.Fatalf("kill %d: %d rows, but the writer had committed %d", kill, n, committed)
		case n > committed+100:
			t.Fatalf("kill %d: %d rows, more than the %d committed and one batch", kill, n, committed)
		}
		t.Logf("kill %d: %d rows committed when killed, %d in the ledger", kill, committed, n)
		committed = n
	}
}
