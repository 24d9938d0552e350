package feel_test

import (
	"math/rand/v2"
	"testing"

	"sideman/feel"
	"sideman/internal/cputime"
	"sideman/music"
)

// benchPiece is a four-minute trio at 160 bpm: a soloist's eighths, a
// walking bass, and a ride pattern with hi-hat on 2 and 4.
func benchPiece() *music.Piece {
	const beats = 640
	p := swingEighths(beats, 160)
	bass := music.Part{Name: "Bass", Role: music.RoleBass, Channel: 1}
	drums := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9}
	id := music.NoteID(p.NoteCount())
	for b := 0; b < beats; b++ {
		at := music.Ticks(b) * music.PPQ
		id++
		bass.Notes = append(bass.Notes, music.Note{ID: id, Pitch: uint8(36 + b%12), Velocity: 80, Channel: 1, Start: at, Duration: music.PPQ})
		id++
		drums.Notes = append(drums.Notes, music.Note{ID: id, Pitch: 51, Velocity: 90, Channel: 9, Start: at, Duration: 60})
		if b%2 == 1 {
			id++
			drums.Notes = append(drums.Notes, music.Note{ID: id, Pitch: 42, Velocity: 70, Channel: 9, Start: at, Duration: 60})
			id++
			drums.Notes = append(drums.Notes, music.Note{ID: id, Pitch: 51, Velocity: 80, Channel: 9, Start: at + 2*music.PPQ/3, Duration: 60})
		}
	}
	p.Parts = append(p.Parts, bass, drums)
	return p
}

// BenchmarkHumanize measures notes humanized a second; the jitter below,
// a DAW's independent uniform humanize over the same notes, is the peer.
func BenchmarkHumanize(b *testing.B) {
	p := benchPiece()
	prof, _ := feel.Builtin("swing-rhythm")
	solo, _ := feel.Builtin("swing-soloist")
	// One profile holding the soloist and the rhythm section.
	both := &feel.Profile{Name: "trio", Roles: map[string]*feel.Role{}}
	for k, v := range prof.Roles {
		both.Roles[k] = v
	}
	both.Roles[feel.Soloist] = solo.Roles[feel.Soloist]
	b.ReportAllocs()
	var seed uint64
	cpu := cputime.Used()
	for b.Loop() {
		seed++
		feel.Humanize(p, both, feel.Options{Amount: 1, Seed: seed})
	}
	b.ReportMetric(float64(p.NoteCount())*float64(b.N)/b.Elapsed().Seconds(), "notes/s")
	// CPU time, steadier than the wall clock on a shared machine.
	b.ReportMetric(float64(p.NoteCount())*float64(b.N)/(cputime.Used()-cpu).Seconds(), "notes/cpu-s")
}

// BenchmarkJitter is uniform random jitter of ±20 ms and ±20 velocity on
// the same notes, in place on a copy: the cheapest humanize there is.
func BenchmarkJitter(b *testing.B) {
	p := benchPiece()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		out := *p
		out.Parts = make([]music.Part, len(p.Parts))
		for i, part := range p.Parts {
			notes := append([]music.Note(nil), part.Notes...)
			for j := range notes {
				n := &notes[j]
				qpm := p.Tempo.At(n.Start).BPM()
				n.Start = max(0, n.Start+music.Ticks((2*rng.Float64()-1)*0.020*qpm/60*music.PPQ))
				n.Velocity = uint8(min(max(int(n.Velocity)+rng.IntN(41)-20, 1), 127))
				n.Origin = n.Origin.Processed("humanize", "jitter", "")
			}
			music.SortNotes(notes)
			part.Notes = notes
			out.Parts[i] = part
		}
	}
	b.ReportMetric(float64(p.NoteCount())*float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}
