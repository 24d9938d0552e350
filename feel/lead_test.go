package feel_test

import (
	"testing"

	"sideman/feel"
	"sideman/music"
)

// A role a profile lacks takes another's timing, not the chord lead of
// its own pianists: two hi-hat strokes at once played with the
// classical-piano feel (a piano, leading its chords' tops) are played,
// and the pianist's lead is not theirs. It used to index a lead series
// drawn only for the profile's own roles: a panic.
func TestFallbackRoleTakesNoLead(t *testing.T) {
	prof, ok := feel.Builtin("classical-piano")
	if !ok {
		t.Fatal("no classical-piano")
	}
	if r := prof.Roles[feel.Piano]; r == nil || r.Lead.N < 20 {
		t.Fatal("classical-piano has no learned lead: the test needs one")
	}
	p := &music.Piece{Tempo: music.TempoMap{{MicrosPerQuarter: 500000}}, Meters: music.MeterMap{{Meter: music.Meter{Num: 4, Den: 4}}}}
	drums := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9}
	id := music.NoteID(0)
	for b := range 64 {
		for _, key := range []uint8{42, 44} { // closed and pedal hi-hat: one piece, struck together
			id++
			drums.Notes = append(drums.Notes, music.Note{ID: id, Pitch: key, Velocity: 80, Channel: 9, Start: music.Ticks(b) * music.PPQ, Duration: 60})
		}
	}
	p.Parts = []music.Part{drums}
	out := feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	if got := out.NoteCount(); got != len(drums.Notes) {
		t.Fatalf("%d notes, want %d", got, len(drums.Notes))
	}
}
