package ledger

import (
	"iter"
	"slices"

	"sideman/music"
)

// Class says who made a note, as the ledger tells it.
type Class string

const (
	// ClassH: a person played or wrote the note.
	ClassH Class = "H"
	// ClassHAlg: a person's note, processed by an algorithm since
	// (quantized, humanized, transposed).
	ClassHAlg Class = "H+alg"
	// ClassM: a machine made the note.
	ClassM Class = "M"
	// ClassMH: a machine made the note and a person changed it since
	// (NoteHistory.HumanFields says which fields).
	ClassMH Class = "M+h"
	// ClassUnknown: imported with no word of who made it, or named by a
	// record before any record made it.
	ClassUnknown Class = "unknown"
)

// NoteHistory is a note as the ledger tells it.
type NoteHistory struct {
	ID    music.NoteID
	Class Class
	// State is the note's fields after the last record that set them.
	State NoteState
	// Source is the digital source type of the record that made the
	// note (digitalCapture: played; digitalCreation: written;
	// trainedAlgorithmicMedia: a model's; ...), and Generator the
	// machine part that made it, if one did.
	Source    SourceType
	Generator string
	// HumanFields are the fields a person changed on a machine's note,
	// in the order of NoteState.Changed.
	HumanFields []string
	// Steps are the operations of the algorithms that processed the
	// note (by generator where the record names one).
	Steps []string
	// Selected and Arranged count a person's acts of selection (choosing
	// the note's candidate among a machine's) and arrangement (placing
	// it): possible authorship on their own, counted apart from the class.
	Selected, Arranged int
	// Deleted and Rejected notes are out of the piece; their history
	// stays.
	Deleted, Rejected bool
	// Records are the sequence numbers of the records about the note.
	Records []uint64
}

var fieldOrder = []string{"part", "start", "duration", "pitch", "velocity"}

// Notes reads records, in order, and yields every note they tell of with
// its class and history, by id. It reads them all before it yields; an
// error from recs, or a record that makes a note twice, ends it.
func Notes(recs iter.Seq2[Record, error]) iter.Seq2[NoteHistory, error] {
	return func(yield func(NoteHistory, error) bool) {
		h := NewHistories()
		for r, err := range recs {
			if err == nil {
				err = h.Add(&r)
			}
			if err != nil {
				yield(NoteHistory{}, err)
				return
			}
		}
		for n := range h.sorted() {
			if !yield(n, nil) {
				return
			}
		}
	}
}

// madeBy is the class of the notes a record makes: by its digital source
// type, or its actor where it states none.
func madeBy(r *Record) Class {
	switch r.Source {
	case DigitalCapture, DigitalCreation:
		return ClassH
	case AlgorithmicMedia, TrainedAlgorithmicMedia, CompositeWithTrainedAlgorithmicMedia:
		return ClassM
	}
	switch {
	case r.Actor == Human:
		return ClassH
	case r.Actor == Machine:
		return ClassM
	}
	return ClassUnknown
}

func mergeFields(have, add []string) []string {
	var out []string
	for _, f := range fieldOrder {
		if slices.Contains(have, f) || slices.Contains(add, f) {
			out = append(out, f)
		}
	}
	return out
}

// Counts tallies notes by class, and a person's acts of selection and
// arrangement apart; notes deleted or rejected are left out.
type Counts struct {
	H       int `json:"H"`
	HAlg    int `json:"H+alg"`
	M       int `json:"M"`
	MH      int `json:"M+h"`
	Unknown int `json:"unknown"`
	// Selected and Arranged count the notes a person selected or
	// arranged (at least once), whatever their class.
	Selected int `json:"selected"`
	Arranged int `json:"arranged"`
}

// Add counts a note.
func (c *Counts) Add(n *NoteHistory) {
	if n.Deleted || n.Rejected {
		return
	}
	switch n.Class {
	case ClassH:
		c.H++
	case ClassHAlg:
		c.HAlg++
	case ClassM:
		c.M++
	case ClassMH:
		c.MH++
	default:
		c.Unknown++
	}
	if n.Selected > 0 {
		c.Selected++
	}
	if n.Arranged > 0 {
		c.Arranged++
	}
}
