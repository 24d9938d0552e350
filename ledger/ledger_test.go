package ledger

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"testing"
	"time"

	"sideman/music"
)

// Append fills in what the chain needs and Records reads back what was
// appended; a batch with a bad record adds nothing.
func TestAppendAndRecords(t *testing.T) {
	ctx := context.Background()
	l, s := newLedger()
	key := testKey(t, 1)
	first := mustAppendSigned(t, l, key, played(1, 3))
	second, err := l.Append(ctx, generated(4, 2, 1), Record{Actor: Human, Op: Select, Notes: []music.NoteID{4, 5}})
	if err != nil {
		t.Fatal(err)
	}
	all := append(first, second...)
	if len(all) != 4 || all[1].Op != Checkpoint {
		t.Fatalf("appended %d records", len(all))
	}
	for i, r := range all {
		if r.Seq != uint64(i+1) || r.Hash == "" || i > 0 && r.Prev != all[i-1].Hash || r.Time.Location() != time.UTC {
			t.Errorf("record %d: seq %d prev %.8s hash %.8s time %v", i+1, r.Seq, r.Prev, r.Hash, r.Time)
		}
	}
	var back []Record
	for r, err := range l.Records(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, r)
	}
	if len(back) != len(all) {
		t.Fatalf("read %d records back, appended %d", len(back), len(all))
	}
	for i := range all {
		a, _ := Body(&all[i])
		b, _ := Body(&back[i])
		if string(a) != string(b) || all[i].Hash != back[i].Hash {
			t.Errorf("record %d reads back as\n%s\nwritten\n%s", i+1, b, a)
		}
	}
	h, err := l.Head(ctx)
	if err != nil || h.Seq != 4 || h.Hash != all[3].Hash {
		t.Errorf("head %+v, %v", h, err)
	}
	// A bad record in a batch: nothing of the batch is added.
	bad := generated(10, 2)
	bad.After = bad.After[:1]
	if _, err := l.Append(ctx, played(20, 2), bad); err == nil {
		t.Error("a batch with a bad record appended")
	}
	if len(s.shared.rows) != 4 {
		t.Errorf("%d rows after a refused batch, want 4", len(s.shared.rows))
	}
	if _, err := l.Append(ctx, Record{Actor: System, Op: Checkpoint}); err == nil {
		t.Error("Append made a checkpoint")
	}
	if _, err := New(NewMemStore()).Checkpoint(ctx, key); err == nil {
		t.Error("checkpoint of an empty ledger")
	}
}

// conflicting is a store another writer appends to just before the
// first Append it sees.
type conflicting struct {
	*MemStore
	other *Ledger
	once  bool
}

func (c *conflicting) Append(ctx context.Context, rows []Row) error {
	if !c.once {
		c.once = true
		if _, err := c.other.Append(ctx, played(100, 1)); err != nil {
			return err
		}
	}
	return c.MemStore.Append(ctx, rows)
}

// When another writer appends first, Append chains its records after
// theirs: nothing lost, the chain whole.
func TestAppendAfterAnotherWriter(t *testing.T) {
	ctx := context.Background()
	mem := NewMemStore()
	s := &conflicting{MemStore: mem, other: New(mem)}
	l := New(s)
	key := testKey(t, 1)
	if _, err := l.AppendSigned(ctx, key, played(1, 2)); err != nil {
		t.Fatal(err)
	}
	var ops []Op
	for r, err := range l.Records(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, r.Op)
	}
	if !slices.Equal(ops, []Op{Capture, Capture, Checkpoint}) {
		t.Errorf("records %v, want the other writer's capture, then ours and a checkpoint", ops)
	}
	if _, err := Verify(ctx, mem, key.Public().(ed25519.PublicKey), ""); err != nil {
		t.Error(err)
	}
	// A store that refuses for another reason: the error comes back.
	mem.Close()
	if _, err := l.Append(ctx, played(5, 1)); err == nil || errors.Is(err, ErrConflict) {
		t.Errorf("append to a closed store: %v", err)
	}
}
