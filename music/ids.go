package music

import (
	"hash/fnv"
	"sync"
)

// IDs hands out note ids. One IDs serves everything a project holds, so
// that no two of its notes share an id; every operation that makes notes
// takes its ids from the IDs it is given and no operation reassigns an id
// a note already has (the authorship ledger keys on them).
//
// Ids are given once, by whoever holds the IDs:
//   - A decoder gives a note only the id its file records (a MIDI file
//     sideman wrote keeps its notes' ids); every other note it reads has
//     ID 0, not numbered yet. Its caller numbers them once: load numbers
//     what it reads from load.Options.IDs (Number, NumberChart).
//   - A generator takes an IDs (band.Options.IDs, band.BlockChordsWith,
//     Chart.PerformWith). Given none, one that makes a new piece from a
//     chart (band.New, band.BlockChords) takes IDsFor a key naming its
//     work, past the ids the chart holds; one that plays the notes of
//     what it is given again (Chart.PerformWith, band.WithMelody)
//     numbers above the ids those hold.
//
// Nothing numbers notes from 1 to have them renumbered later.
//
// Ids stay below 2^53, so that they survive JSON readers that hold
// numbers as doubles (JavaScript in the studio).
type IDs struct {
	mu   sync.Mutex
	next NoteID
}

// MaxID is one above the largest id an IDs hands out.
const MaxID NoteID = 1 << 53

// idSpan is the room for ids one piece of work outside a project gets:
// 2^24 notes, far above the notes a piece may hold (MaxNotes).
const idSpan = 1 << 24

// NewIDs returns ids counting up from first (1 when first is 0).
func NewIDs(first NoteID) *IDs {
	return &IDs{next: max(first, 1)}
}

// IDsFor returns ids for work done outside a project (a file made by
// one command), counting up from a base taken from key: the command's
// inputs, options and seed. The same work gets the same ids (same seed,
// same output), and files made separately land in different ranges of
// 2^24 ids out of 2^29, so that they can join a project later: two files
// share a range one time in 2^29. Nothing checks for that yet: a project
// reading two files whose ranges met would hold an id twice (Skip only
// keeps the ids it hands out next above them).
func IDsFor(key string) *IDs {
	h := fnv.New64a()
	h.Write([]byte(key))
	slot := h.Sum64() % (uint64(MaxID) / idSpan)
	return NewIDs(NoteID(slot*idSpan) + 1)
}

// Next returns a new id.
func (a *IDs) Next() NoteID {
	a.mu.Lock()
	defer a.mu.Unlock()
	id := a.next
	a.next++
	return id
}

// Skip makes sure no id handed out from now on is id or below it: a
// project that reads notes back from a file skips past their ids.
func (a *IDs) Skip(id NoteID) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if id >= a.next {
		a.next = id + 1
	}
}

// Number gives every note of the piece without an id (ID 0) a new one,
// in part order and, within a part, in the notes' order; notes that have
// an id keep it, and later ids skip past them.
func (a *IDs) Number(p *Piece) {
	a.Skip(p.MaxID())
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			if p.Parts[i].Notes[j].ID == 0 {
				p.Parts[i].Notes[j].ID = a.Next()
			}
		}
	}
}

// NumberChart gives every note written in the chart without an id (ID 0)
// a new one, bar by bar and, within a bar, in the notes' order; notes
// that have an id keep it, and later ids skip past them.
func (a *IDs) NumberChart(c *Chart) {
	a.Skip(c.MaxID())
	for i := range c.Bars {
		ns := c.Bars[i].Notes
		for j := range ns {
			if ns[j].ID == 0 {
				ns[j].ID = a.Next()
			}
		}
	}
}
