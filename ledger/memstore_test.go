package ledger

import (
	"context"
	"errors"
	"testing"
)

// The in-memory store keeps the Store contract: batches follow the head
// or add nothing, rows read are copies, a closed handle fails while the
// store's other handles go on. (ledger/storetest runs the whole suite.)
func TestMemStore(t *testing.T) {
	ctx := context.Background()
	a := NewMemStore()
	row := func(seq uint64, body string) Row {
		return Row{Seq: seq, Hash: HashBody([]byte(body)), Body: []byte(body)}
	}
	if err := a.Append(ctx, []Row{row(1, "one"), row(2, "two")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Append(ctx, []Row{row(3, "three"), row(5, "five")}); !errors.Is(err, ErrConflict) {
		t.Errorf("a gap: %v, want ErrConflict", err)
	}
	if err := a.Append(ctx, []Row{row(3, "")}); err == nil || errors.Is(err, ErrConflict) {
		t.Errorf("an empty body: %v, want a refusal", err)
	}
	b := a.Open()
	a.Close()
	if _, err := a.Head(ctx); err == nil {
		t.Error("a closed handle answers")
	}
	h, err := b.Head(ctx)
	if err != nil || h.Seq != 2 || string(h.Body) != "two" {
		t.Errorf("the other handle's head: %+v, %v", h, err)
	}
	for r, err := range b.Rows(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		r.Body[0] = 'X'
	}
	if h, _ := b.Head(ctx); string(h.Body) != "two" {
		t.Errorf("changing a row read changed the store: %q", h.Body)
	}
}
