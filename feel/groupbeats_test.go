package feel

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// groupBeats groups notes by role and beat whatever their order, and
// links each group to its role's next beat: the same answer for notes in
// order as for the same notes shuffled.
func TestGroupBeats(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	slots := []Slot{SlotBeat, SlotE, SlotAnd, SlotLet, OffGrid}
	for n := range 300 {
		places := make([]place, rng.IntN(40))
		roles := make([]int, len(places))
		for i := range places {
			places[i] = place{beat: rng.IntN(6), slot: slots[rng.IntN(len(slots))]}
			roles[i] = rng.IntN(3)
		}
		if n%2 == 0 { // in order of beat, as Humanize's notes come
			idx := make([]int, len(places))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return places[a].beat - places[b].beat })
			p2, r2 := make([]place, len(places)), make([]int, len(places))
			for i, j := range idx {
				p2[i], r2[i] = places[j], roles[j]
			}
			places, roles = p2, r2
		}
		at, beats := groupBeats(places, roles, 3)
		for i := range places {
			b := beats[at[i]]
			if b.role != roles[i] || b.beat != places[i].beat {
				t.Fatalf("note %d (role %d beat %d) in group %+v", i, roles[i], places[i].beat, b)
			}
			var down, other bool
			for j := range places {
				if roles[j] == roles[i] && places[j].beat == places[i].beat {
					down = down || places[j].slot == SlotBeat
					other = other || (places[j].slot != SlotBeat && !places[j].slot.Upbeat())
					if at[j] != at[i] {
						t.Fatalf("notes %d and %d share role and beat, not a group", i, j)
					}
				}
			}
			if b.down != down || b.other != other {
				t.Fatalf("group %+v: down %v other %v", b, down, other)
			}
			next := slices.IndexFunc(beats, func(g roleBeatNotes) bool { return g.role == b.role && g.beat == b.beat+1 })
			if b.next != next {
				t.Fatalf("group %+v: next %d, want %d", b, b.next, next)
			}
		}
	}
}
