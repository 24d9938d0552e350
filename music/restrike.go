package music

import "sort"

// MinRestrikeLength is the shortest a note is cut to when the same key
// is struck again on its channel: a 32nd note (120 ticks; 47 ms at 160
// bpm, 94 ms at 80). The band never writes one pitch again sooner than a
// sixteenth (funk ghost notes, the samba's ganzá), so a 32nd is half the
// tightest written spacing, and it is as long as the drummers hold a
// struck note: a note that short still speaks on a piano or a bass, where
// a shorter one is a click.
const MinRestrikeLength Ticks = PPQ / 8

// Restrike makes a list of notes free of re-struck notes that go silent.
// MIDI has one note-off per key and channel, so when a note starts while
// an earlier note of the same pitch and channel still sounds, the earlier
// note-off stops both (a synthesizer cannot tell which is meant): the
// second note is cut short or lost. Restrike ends each such earlier note
// where the next strike begins. No note is dropped and no note is cut
// below MinRestrikeLength (nor below its own length, when that is
// shorter): a strike that comes sooner than that after the last is moved
// later, to the earliest onset the minimum allows, its note-off kept
// where it was unless that too would leave it shorter than the minimum.
// Notes that do not overlap are left as they are; ids, pitches,
// velocities and origins are never changed. Notes are compared within
// one channel only, whatever part they belong to. Restrike reports how
// many notes it changed and leaves the list sorted as SortNotes does.
func Restrike(notes []Note) int {
	ps := make([]*Note, len(notes))
	for i := range notes {
		ps[i] = &notes[i]
	}
	n := len(restrike(ps))
	SortNotes(notes)
	return n
}

// Restrike is music.Restrike over every part of the piece at once, per
// channel: two parts on one channel share its note-offs. Parts whose
// notes changed are sorted again.
func (p *Piece) Restrike() int {
	var ps []*Note
	part := map[*Note]int{}
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			n := &p.Parts[i].Notes[j]
			ps = append(ps, n)
			part[n] = i
		}
	}
	changed := restrike(ps)
	touched := map[int]bool{}
	for n := range changed {
		touched[part[n]] = true
	}
	for i := range touched {
		SortNotes(p.Parts[i].Notes)
	}
	return len(changed)
}

// restrike does the work on pointers, so that a piece's parts can be
// cleaned together, and returns the notes it changed.
func restrike(ps []*Note) map[*Note]bool {
	// Each key (channel and pitch) in order of onset; equal onsets in id
	// order, as SortNotes has them, so the same notes give the same result.
	sorted := append([]*Note(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Channel != b.Channel {
			return a.Channel < b.Channel
		}
		if a.Pitch != b.Pitch {
			return a.Pitch < b.Pitch
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.ID < b.ID
	})
	changed := map[*Note]bool{}
	var prev *Note // the last sounding note of the key
	for _, n := range sorted {
		if prev != nil && (prev.Channel != n.Channel || prev.Pitch != n.Pitch) {
			prev = nil
		}
		if n.Duration <= 0 {
			continue // sounds nothing, stops nothing
		}
		if prev == nil || n.Start >= prev.End() {
			prev = n
			continue
		}
		// n starts while prev sounds. prev may be cut no shorter than the
		// minimum (or its own length): n moves to the earliest onset that
		// allows, keeping its note-off unless that leaves it too short.
		// Earlier notes were placed the same way, so n never moves before
		// an earlier strike of its key, and the order of onsets holds.
		moved := false
		if earliest := prev.Start + min(prev.Duration, MinRestrikeLength); n.Start < earliest {
			end := n.End()
			keep := min(n.Duration, MinRestrikeLength)
			n.Start = earliest
			n.Duration = max(end-n.Start, keep)
			moved = true
		}
		if prev.End() > n.Start {
			prev.Duration = n.Start - prev.Start
			changed[prev] = true
		}
		if moved {
			changed[n] = true
		}
		prev = n
	}
	return changed
}
