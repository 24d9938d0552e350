package feel

import (
	"testing"

	"sideman/music"
)

// idPiece is a bass line and a snare part whose note ids are neither from
// 1 nor in time order, as ids from a project's allocator are.
func idPiece() *music.Piece {
	p := &music.Piece{
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: 500000}},
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}},
	}
	bass := music.Part{Name: "Bass", Role: music.RoleBass, Channel: 1}
	snare := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9}
	for i := range 16 {
		at := music.Ticks(i) * music.PPQ
		bass.Notes = append(bass.Notes, music.Note{ID: music.NoteID(9000 - 7*i), Pitch: uint8(36 + i%5), Velocity: 80, Channel: 1, Start: at, Duration: music.PPQ})
		snare.Notes = append(snare.Notes, music.Note{ID: music.NoteID(1<<40 + 3*i), Pitch: 38, Velocity: uint8(40 + 5*i), Channel: 9, Start: at + music.PPQ/2, Duration: 60})
	}
	p.Parts = []music.Part{bass, snare}
	return p
}

// Every hit read from a piece names the note it came from: the note of
// that id has the hit's pitch and onset.
func TestFromPieceKeepsIDs(t *testing.T) {
	p := idPiece()
	notes := map[music.NoteID]music.Note{}
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			notes[n.ID] = n
		}
	}
	clock := p.Tempo.Clock()
	perf := FromPiece(p, "ids")
	seen := map[music.NoteID]bool{}
	for _, h := range perf.Hits {
		n, ok := notes[h.ID]
		if !ok {
			t.Fatalf("hit at %.3f s has id %d, no note's", h.Time, h.ID)
		}
		if n.Pitch != h.Pitch || clock.Seconds(n.Start) != h.Time {
			t.Errorf("hit id %d: pitch %d at %.3f s, its note pitch %d at %.3f s", h.ID, h.Pitch, h.Time, n.Pitch, clock.Seconds(n.Start))
		}
		seen[h.ID] = true
	}
	if len(seen) != len(notes) {
		t.Errorf("%d distinct ids among %d hits, want the %d notes'", len(seen), len(perf.Hits), len(notes))
	}
}
