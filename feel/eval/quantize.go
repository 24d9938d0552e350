package eval

import (
	"math"
	"math/rand/v2"

	"sideman/feel"
	"sideman/music"
)

// Quantize returns a performance as a sequencer would hold it after
// quantizing: every note on its grid slot at the performance's mean tempo,
// every velocity the performance's mean (80 where the source has none).
// Note i+1's id is hit i's index plus one; hits off the grid are left
// out, and so is a second strike of one key on one slot.
// Drum hits form one drum part, the others one part per role.
func Quantize(p *feel.Performance) *music.Piece {
	bpm := p.Tempo
	if bpm <= 0 {
		bpm = 120
	}
	var sum, n float64
	for _, h := range p.Hits {
		if h.Velocity > 0 {
			sum += float64(h.Velocity)
			n++
		}
	}
	vel := uint8(80)
	if n > 0 {
		vel = uint8(math.Round(sum / n))
	}
	beats := p.BeatsPerBar
	if beats <= 0 {
		beats = 4
	}
	piece := &music.Piece{
		Title:  p.Name,
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: int64(math.Round(60e6 / bpm))}},
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: beats, Den: 4}}},
	}
	parts := map[string]int{}
	// A sequencer holds one strike of a key on a slot: the second hit of a
	// flam or a doubled hit quantized onto the first is left out, as hits
	// off the grid are, rather than given to humanize as a note it must
	// move off the first (music.Restrike) to be heard at all.
	type strike struct {
		ch    uint8
		pitch uint8
		at    music.Ticks
	}
	struck := map[strike]bool{}
	origin := &music.Origin{Kind: music.HumanPlayed, Who: p.Player, Source: p.Name}
	for i, h := range p.Hits {
		if h.Slot == feel.OffGrid {
			continue
		}
		role, ch := partFor(h.Role)
		start := gridTick(h)
		k := strike{ch, h.Pitch, start}
		if struck[k] {
			continue
		}
		struck[k] = true
		pi, ok := parts[role]
		if !ok {
			pi = len(piece.Parts)
			parts[role] = pi
			piece.Parts = append(piece.Parts, music.Part{Name: role, Role: role, Channel: ch, Program: -1})
		}
		piece.Parts[pi].Notes = append(piece.Parts[pi].Notes, music.Note{
			ID: music.NoteID(i + 1), Pitch: h.Pitch, Velocity: vel, Channel: ch, Part: int16(pi),
			Start: start, Duration: music.PPQ / 4, Origin: origin,
		})
	}
	for i := range piece.Parts {
		music.SortNotes(piece.Parts[i].Notes)
	}
	return piece
}

// gridTick is where a hit's grid slot falls in the quantized piece.
func gridTick(h feel.Hit) music.Ticks {
	return music.Ticks(h.Beat)*music.PPQ + music.Ticks(h.Slot)*music.PPQ/twelfths
}

// twelfths is how many slots a beat has: a feel.Slot counts twelfths of
// the beat.
const twelfths = 12

func partFor(role string) (string, uint8) {
	switch role {
	case feel.Soloist:
		return music.RoleMelody, 0
	case feel.Bass:
		return music.RoleBass, 1
	case feel.Piano:
		return music.RolePiano, 2
	}
	return music.RoleDrums, 9
}

// Replay reads a quantized performance's piece back, after whatever was
// done to its notes, as a performance against the quantized grid.
// Velocities stay unknown where the source had none.
func Replay(src *feel.Performance, piece *music.Piece) *feel.Performance {
	out := *src
	out.Hits = nil
	clock := piece.Tempo.Clock()
	beat := 60 / tempo(src)
	for _, part := range piece.Parts {
		for _, n := range part.Notes {
			i := int(n.ID) - 1
			if i < 0 || i >= len(src.Hits) {
				continue
			}
			h := src.Hits[i]
			h.Grid = clock.Seconds(gridTick(h))
			h.BeatDur = beat
			h.Time = clock.Seconds(n.Start)
			if h.Velocity > 0 {
				h.Velocity = int(n.Velocity)
			}
			out.Hits = append(out.Hits, h)
		}
	}
	out.Sort()
	return &out
}

// tempo is the performance's tempo, 120 bpm where it has none, as
// Quantize plays it.
func tempo(p *feel.Performance) float64 {
	if p.Tempo <= 0 {
		return 120
	}
	return p.Tempo
}

// Jitter is a DAW's humanize button on the quantized performance: every
// onset moved by an independent uniform draw of up to ms milliseconds
// either way, every velocity by up to vel.
func Jitter(src *feel.Performance, rng *rand.Rand, ms, vel float64) *feel.Performance {
	q := Replay(src, Quantize(src))
	for i := range q.Hits {
		h := &q.Hits[i]
		h.Time += (2*rng.Float64() - 1) * ms / 1000
		if h.Velocity > 0 {
			h.Velocity = int(math.Min(math.Max(math.Round(float64(h.Velocity)+(2*rng.Float64()-1)*vel), 1), 127))
		}
	}
	q.Sort()
	return q
}
