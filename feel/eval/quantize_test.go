package eval

import (
	"testing"

	"sideman/feel"
)

// A flam quantized onto one slot is one strike in the quantized piece:
// the second hit of the key is left out, while another key on the same
// slot and the same key on the next slot stay.
func TestQuantizeOneStrikePerKeyAndSlot(t *testing.T) {
	p := &feel.Performance{Name: "flam", Tempo: 100, BeatsPerBar: 4, Hits: []feel.Hit{
		{Role: "snare", Beat: 1, Slot: 0, Pitch: 38, Velocity: 90},
		{Role: "snare", Beat: 1, Slot: 0, Pitch: 38, Velocity: 60}, // the flam's grace
		{Role: "kick", Beat: 1, Slot: 0, Pitch: 36, Velocity: 100},
		{Role: "snare", Beat: 1, Slot: 6, Pitch: 38, Velocity: 70},
	}}
	piece := Quantize(p)
	var ids []int
	for _, part := range piece.Parts {
		for _, n := range part.Notes {
			ids = append(ids, int(n.ID))
		}
	}
	if len(ids) != 3 {
		t.Fatalf("quantized notes %v, want the hits 1, 3 and 4", ids)
	}
	for _, id := range ids {
		if id == 2 {
			t.Errorf("the flam's second strike was kept: %v", ids)
		}
	}
}
