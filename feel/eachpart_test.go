package feel

import (
	"sync/atomic"
	"testing"

	"sideman/music"
)

// eachPart calls f once for every part, and a panic in any call comes
// back to the caller (cmd/sideman recovers there), not from a goroutine.
func TestEachPart(t *testing.T) {
	parts := make([]music.Part, 7)
	for i := range parts {
		parts[i].Notes = make([]music.Note, i%3)
	}
	var seen [7]atomic.Int32
	eachPart(parts, func(pi int) { seen[pi].Add(1) })
	for i := range seen {
		if n := seen[i].Load(); n != 1 {
			t.Errorf("part %d: called %d times", i, n)
		}
	}
	defer func() {
		if r := recover(); r != "part 5" {
			t.Errorf("recovered %v, want the part's panic", r)
		}
	}()
	eachPart(parts, func(pi int) {
		if pi == 5 {
			panic("part 5")
		}
	})
	t.Error("no panic")
}
