package band

import (
	"math/rand/v2"
	"slices"
	"testing"

	"sideman/music"
)

// merge gives what SortNotes gives for notes made of sorted runs with
// rising ids, as the seats' notes come to Next.
func TestMergeSortsAsSortNotes(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 7))
	for range 300 {
		var notes []music.Note
		var ends []int
		id := music.NoteID(1)
		for range 1 + rng.IntN(10) { // more seats than merge keeps on the stack, at times
			run := make([]music.Note, rng.IntN(12))
			for i := range run {
				run[i] = music.Note{Start: music.Ticks(rng.IntN(6)) * 120, Pitch: uint8(36 + rng.IntN(3))}
			}
			music.SortNotes(run)
			for i := range run {
				run[i].ID = id
				id++
			}
			notes = append(notes, run...)
			ends = append(ends, len(notes))
		}
		want := slices.Clone(notes)
		music.SortNotes(want)
		if got := merge(notes, ends); !slices.Equal(got, want) {
			t.Fatalf("merge of %v at %v:\n%v\nwant\n%v", notes, ends, got, want)
		}
	}
}
