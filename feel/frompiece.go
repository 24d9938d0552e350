package feel

import (
	"sideman/music"
)

// FromPiece reads a piece recorded against a click (a MIDI file played to
// its own tempo map, as a sequencer records) as a performance: the grid
// is the file's beats, each note placed on the nearest slot within a
// twelfth of a beat, farther ones OffGrid (their Grid is their Time).
// Roles come from RoleOf; each hit keeps its note's id; the tempo is the
// notes' mean (without notes, the tempo at the start).
func FromPiece(p *music.Piece, name string) Performance {
	g := newGrid(p)
	perf := Performance{Name: name, Player: name, BeatsPerBar: p.Meters.At(0).Beats()}
	var sumBPM float64
	for pi := range p.Parts {
		part := &p.Parts[pi]
		for i := range part.Notes {
			n := &part.Notes[i]
			pl := g.placeTol(n.Start, 1.0/12)
			perf.Hits = append(perf.Hits, Hit{
				Role: RoleOf(part, n), Beat: pl.beat, BarBeat: pl.barBeat, Slot: pl.slot,
				Time: g.clock.Seconds(n.Start), Grid: g.clock.Seconds(pl.grid), BeatDur: 60 / pl.bpm,
				Velocity: int(n.Velocity), Pitch: n.Pitch, ID: n.ID,
			})
			perf.Beats = max(perf.Beats, pl.beat+1)
			sumBPM += pl.bpm
		}
	}
	if len(perf.Hits) > 0 {
		perf.Tempo = sumBPM / float64(len(perf.Hits))
	} else {
		// No notes: the tempo the file starts at, not 0 bpm.
		perf.Tempo = g.placeTol(0, 1.0/12).bpm
	}
	perf.Sort()
	return perf
}
