package music

import (
	"cmp"
	"slices"
	"sync"
)

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
	s := scratch.Get().(*restrikeScratch)
	defer s.put()
	refs := s.refs[:0]
	for i := range notes {
		refs = append(refs, noteRef{note: &notes[i]})
	}
	s.refs = refs
	n := restrike(refs, s.orderFor(len(refs)))
	SortNotes(notes)
	return n
}

// restrikeScratch is Restrike's working room, kept between calls: a piece
// is cleaned after the band, after the swing and after the feel.
type restrikeScratch struct {
	refs  []noteRef
	order []int
}

var scratch = sync.Pool{New: func() any { return new(restrikeScratch) }}

func (s *restrikeScratch) orderFor(n int) []int {
	if cap(s.order) < n {
		s.order = make([]int, n)
	}
	return s.order[:n]
}

// put lets go of the notes and returns the room to the pool.
func (s *restrikeScratch) put() {
	clear(s.refs)
	s.refs = s.refs[:0]
	scratch.Put(s)
}

// Restrike is music.Restrike over every part of the piece at once, per
// channel: two parts on one channel share its note-offs. Parts whose
// notes changed are sorted again.
func (p *Piece) Restrike() int {
	s := scratch.Get().(*restrikeScratch)
	defer s.put()
	refs := slices.Grow(s.refs[:0], p.NoteCount())
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			refs = append(refs, noteRef{note: &p.Parts[i].Notes[j], part: i})
		}
	}
	s.refs = refs
	n := restrike(refs, s.orderFor(len(refs)))
	touched := make([]bool, len(p.Parts))
	for _, r := range refs {
		touched[r.part] = touched[r.part] || r.changed
	}
	for i, t := range touched {
		if t {
			SortNotes(p.Parts[i].Notes)
		}
	}
	return n
}

// noteRef is a note of a list or of a piece's part, so that the parts of
// a piece are cleaned together; changed is set when restrike changes it.
type noteRef struct {
	note    *Note
	part    int
	changed bool
}

// restrike does the work and returns how many notes it changed; order
// is room for len(refs) indices.
func restrike(refs []noteRef, order []int) int {
	// Each key (channel and pitch) in order of onset; equal onsets in id
	// order, as SortNotes has them, so the same notes give the same result.
	// The keys are bucketed first (a counting sort): a part's notes come
	// mostly in order of onset already, so each bucket sorts quickly.
	const keys = 16 * 128
	var count [keys + 1]int
	key := func(n *Note) int { return int(n.Channel&15)<<7 | int(n.Pitch&127) }
	for _, r := range refs {
		count[key(r.note)+1]++
	}
	for k := 1; k <= keys; k++ {
		count[k] += count[k-1]
	}
	next := count
	for i, r := range refs {
		k := key(r.note)
		order[next[k]] = i
		next[k]++
	}
	byOnset := func(a, b int) int {
		na, nb := refs[a].note, refs[b].note
		if c := cmp.Compare(na.Start, nb.Start); c != 0 {
			return c
		}
		return cmp.Compare(na.ID, nb.ID)
	}
	for k := range keys {
		if lo, hi := count[k], count[k+1]; hi-lo > 1 {
			slices.SortStableFunc(order[lo:hi], byOnset)
		}
	}
	changed := 0
	mark := func(r *noteRef) {
		if !r.changed {
			r.changed = true
			changed++
		}
	}
	var prev *noteRef // the last sounding note of the key
	for _, k := range order {
		r := &refs[k]
		n := r.note
		if prev != nil && key(prev.note) != key(n) {
			prev = nil
		}
		if n.Duration <= 0 {
			continue // sounds nothing, stops nothing
		}
		if prev == nil || n.Start >= prev.note.End() {
			prev = r
			continue
		}
		// n starts while prev sounds. prev may be cut no shorter than the
		// minimum (or its own length): n moves to the earliest onset that
		// allows, keeping its note-off unless that leaves it too short.
		// Earlier notes were placed the same way, so n never moves before
		// an earlier strike of its key, and the order of onsets holds.
		p := prev.note
		if earliest := p.Start + min(p.Duration, MinRestrikeLength); n.Start < earliest {
			end := n.End()
			keep := min(n.Duration, MinRestrikeLength)
			n.Start = earliest
			n.Duration = max(end-n.Start, keep)
			mark(r)
		}
		if p.End() > n.Start {
			p.Duration = n.Start - p.Start
			mark(prev)
		}
		prev = r
	}
	return changed
}
