package feel

import (
	"math"
	"testing"
)

func TestBeatUpbeatRatios(t *testing.T) {
	// Four beats of swung eighths at 2:1, then a beat with a sixteenth
	// between, which does not count.
	p := &Performance{}
	for b := 0; b < 4; b++ {
		p.Hits = append(p.Hits,
			Hit{Beat: b, Slot: SlotBeat, Time: float64(b)},
			Hit{Beat: b, Slot: SlotLet, Time: float64(b) + 2.0/3})
	}
	p.Hits = append(p.Hits, Hit{Beat: 4, Slot: SlotBeat, Time: 4}, Hit{Beat: 4, Slot: SlotE, Time: 4.25},
		Hit{Beat: 4, Slot: SlotAnd, Time: 4.5}, Hit{Beat: 5, Slot: SlotBeat, Time: 5})
	r := p.BeatUpbeatRatios("")
	if len(r) != 4 {
		t.Fatalf("got %d ratios, want 4: %v", len(r), r)
	}
	for _, v := range r {
		if math.Abs(v-2) > 1e-9 {
			t.Errorf("ratio %v, want 2", v)
		}
	}
}
