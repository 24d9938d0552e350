package feel

import (
	"math/rand/v2"
	"slices"
	"testing"

	"sideman/music"
)

// nextOnsets answers the same for notes in order (its one pass) as for
// the same notes shuffled (its search).
func TestNextOnsetsSortedOrNot(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for range 200 {
		notes := make([]music.Note, rng.IntN(30))
		for i := range notes {
			notes[i] = music.Note{ID: music.NoteID(i + 1), Start: music.Ticks(rng.IntN(8)) * 240}
		}
		music.SortNotes(notes)
		sorted := nextOnsets(notes)
		shuffled := slices.Clone(notes)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if len(shuffled) > 1 && shuffled[0].Start <= shuffled[len(shuffled)-1].Start {
			slices.Reverse(shuffled) // out of order whenever two starts differ
		}
		got := nextOnsets(shuffled)
		for i, n := range shuffled {
			k := slices.IndexFunc(notes, func(m music.Note) bool { return m.ID == n.ID })
			if got[i] != sorted[k] {
				t.Fatalf("note at %d: next onset %d shuffled, %d in order", n.Start, got[i], sorted[k])
			}
		}
		for i, n := range notes {
			want := music.Ticks(0)
			for _, m := range notes {
				if m.Start > n.Start && (want == 0 || m.Start < want) {
					want = m.Start
				}
			}
			if sorted[i] != want {
				t.Fatalf("note at %d: next onset %d, want %d", n.Start, sorted[i], want)
			}
		}
	}
}
