package ledger

import (
	"fmt"
	"iter"
	"maps"
	"slices"

	"sideman/music"
)

// Histories is every note's history as records tell it, built one record
// at a time: what Notes yields, kept in memory and brought up to date as
// records are appended, so that a question about one note costs a map
// look-up, not a read of the ledger.
//
// An overlay (Over) adds records on top of a Histories without changing
// it: a command's records not yet appended. The zero Histories is not
// usable; make one with NewHistories.
type Histories struct {
	base  *Histories
	notes map[music.NoteID]*noteEntry
	// records is how many records were added (those of the base
	// included).
	records int
}

// noteEntry is a note's history with what Notes keeps beside it: whether
// a record made it (and which), and the hash of the last record that set
// its fields.
type noteEntry struct {
	NoteHistory
	made    bool
	madeSeq uint64
	// madeAs is the note's fields as the record that made it gave them.
	madeAs NoteState
	last   string
}

// NewHistories returns an empty Histories.
func NewHistories() *Histories {
	return &Histories{notes: map[music.NoteID]*noteEntry{}}
}

// Over returns an overlay of h: records added to it change it alone. h
// must not change while the overlay is used.
func (h *Histories) Over() *Histories {
	return &Histories{base: h, notes: map[music.NoteID]*noteEntry{}, records: h.records}
}

// Records is how many records were added.
func (h *Histories) Records() int { return h.records }

// entry finds a note's entry, in h or its bases.
func (h *Histories) entry(id music.NoteID) *noteEntry {
	for x := h; x != nil; x = x.base {
		if e := x.notes[id]; e != nil {
			return e
		}
	}
	return nil
}

// get is the entry of a note that a record about to be added tells of:
// h's own (a copy of its base's, for an overlay), or a new one.
func (h *Histories) get(id music.NoteID) *noteEntry {
	if e := h.notes[id]; e != nil {
		return e
	}
	e := &noteEntry{NoteHistory: NoteHistory{ID: id, Class: ClassUnknown}}
	if h.base != nil {
		if b := h.base.entry(id); b != nil {
			c := *b
			c.HumanFields = slices.Clone(b.HumanFields)
			c.Steps = slices.Clone(b.Steps)
			c.Records = slices.Clone(b.Records)
			e = &c
		}
	}
	h.notes[id] = e
	return e
}

// Add adds a record, the next in the chain, as Notes reads it. A record
// that makes a note made before is an error; the Histories is then left
// part-way and should be dropped.
func (h *Histories) Add(r *Record) error {
	h.records++
	for i, id := range r.Notes {
		var n *noteEntry
		switch r.Op {
		case Capture, Enter, Import, Generate:
			if e := h.entry(id); e != nil && e.made {
				return fmt.Errorf("ledger: record %d: note %d made again (first by record %d)", r.Seq, id, e.madeSeq)
			}
			n = h.get(id)
			n.made, n.madeSeq, n.madeAs = true, r.Seq, r.After[i]
			n.Class = madeBy(r)
			n.State = r.After[i]
			n.Source = r.Source
			if r.Gen != nil {
				n.Generator = r.Gen.Generator
			}
		case Transform, Modify:
			n = h.get(id)
			after := r.After[i]
			changed := r.Before[i].Changed(after)
			if r.Op == Modify && r.Actor == Human {
				switch n.Class {
				case ClassM, ClassMH:
					if len(changed) > 0 {
						n.Class = ClassMH
						n.HumanFields = mergeFields(n.HumanFields, changed)
					}
				}
			} else {
				if n.Class == ClassH {
					n.Class = ClassHAlg
				}
				step := string(r.Op)
				if r.Gen != nil {
					step = r.Gen.Generator
				}
				if len(n.Steps) == 0 || n.Steps[len(n.Steps)-1] != step {
					n.Steps = append(n.Steps, step)
				}
			}
			n.State = after
		case Select:
			n = h.get(id)
			if r.Actor == Human {
				n.Selected++
			}
		case Arrange:
			n = h.get(id)
			if r.Actor == Human {
				n.Arranged++
			}
			if len(r.After) > 0 {
				n.State = r.After[i]
			}
		case Reject:
			n = h.get(id)
			n.Rejected = true
		case Delete:
			n = h.get(id)
			n.Deleted = true
		default: // export
			n = h.get(id)
		}
		n.Records = append(n.Records, r.Seq)
		if i < len(r.After) {
			n.last = r.Hash
		}
	}
	return nil
}

// Note is the history of the note with id, false when no record tells of
// it. Its slices are shared with h: read them, do not change them.
func (h *Histories) Note(id music.NoteID) (NoteHistory, bool) {
	if e := h.entry(id); e != nil {
		return e.NoteHistory, true
	}
	return NoteHistory{}, false
}

// Made is the note's fields as the record that made it gave them, false
// when no record made it (a note only named, by a selection say).
func (h *Histories) Made(id music.NoteID) (NoteState, bool) {
	if e := h.entry(id); e != nil && e.made {
		return e.madeAs, true
	}
	return NoteState{}, false
}

// LastHash is the hash of the last record that set the fields of the note
// with id ("" when none did, or the record was added without its hash).
func (h *Histories) LastHash(id music.NoteID) string {
	if e := h.entry(id); e != nil {
		return e.last
	}
	return ""
}

// Len is how many notes the records tell of.
func (h *Histories) Len() int {
	n := len(h.notes)
	if h.base != nil {
		for id := range h.notes {
			if h.base.entry(id) != nil {
				n--
			}
		}
		n += h.base.Len()
	}
	return n
}

// All yields every note's history, by id in no set order. Its slices are
// shared with h.
func (h *Histories) All() iter.Seq2[music.NoteID, NoteHistory] {
	return func(yield func(music.NoteID, NoteHistory) bool) {
		for x := h; x != nil; x = x.base {
			for id, e := range x.notes {
				if x != h && h.shadowed(x, id) {
					continue
				}
				if !yield(id, e.NoteHistory) {
					return
				}
			}
		}
	}
}

// shadowed says whether an overlay between h and x (x excluded) holds id.
func (h *Histories) shadowed(x *Histories, id music.NoteID) bool {
	for y := h; y != x; y = y.base {
		if y.notes[id] != nil {
			return true
		}
	}
	return false
}

// Map is every note's history by id, a map of its own.
func (h *Histories) Map() map[music.NoteID]NoteHistory {
	out := make(map[music.NoteID]NoteHistory, h.Len())
	for id, n := range h.All() {
		out[id] = n
	}
	return out
}

// sorted yields every note's history by id.
func (h *Histories) sorted() iter.Seq[NoteHistory] {
	return func(yield func(NoteHistory) bool) {
		m := h.Map()
		for _, id := range slices.Sorted(maps.Keys(m)) {
			if !yield(m[id]) {
				return
			}
		}
	}
}
