package project

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"sideman/ledger"
	"sideman/music"
)

// NoteChange is a person's change to one note in the studio (dragged on
// the piano roll, nudged from the keyboard): the fields given are set,
// the others kept.
type NoteChange struct {
	Pitch    *uint8
	Velocity *uint8
	Start    *music.Ticks
	Duration *music.Ticks
}

// NoteEdit is what EditNote recorded: the note's fields as they are now,
// the fields the person changed, and the note's class after it (a
// machine's note a person changed is M+h).
type NoteEdit struct {
	ID     music.NoteID
	State  ledger.NoteState
	Fields []string
	Class  ledger.Class
}

// EditNote records a person's change to one of the project's notes as
// modified, field by field (humanEdits), as Edit does for a file: the
// ledger's classes then make a machine's note M+h. A note the ledger does
// not know, or one deleted or rejected, is NotFound; a change that
// changes nothing, or a field out of range, is BadInput. Commit is the
// caller's.
func (p *Project) EditNote(ctx context.Context, id music.NoteID, ch NoteChange) (*NoteEdit, error) {
	name := "note " + strconv.FormatUint(uint64(id), 10)
	if p.Ledger == nil {
		return nil, errNoProject(name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hist, err := p.Ledger.histories(ctx)
	if err != nil {
		return nil, err
	}
	h, ok := hist[id]
	if !ok || !live(h) {
		return nil, &Error{NotFound, name, errors.New("is not one of the project's notes (or was deleted or left out)")}
	}
	after := h.State
	if ch.Pitch != nil {
		if *ch.Pitch > 127 {
			return nil, &Error{BadInput, name, fmt.Errorf("pitch %d: want 0 to 127", *ch.Pitch)}
		}
		after.Pitch = *ch.Pitch
	}
	if ch.Velocity != nil {
		if *ch.Velocity == 0 || *ch.Velocity > 127 {
			return nil, &Error{BadInput, name, fmt.Errorf("velocity %d: want 1 to 127", *ch.Velocity)}
		}
		after.Vel = *ch.Velocity
	}
	if ch.Start != nil {
		if *ch.Start < 0 {
			return nil, &Error{BadInput, name, fmt.Errorf("start %d ticks: before the first bar", *ch.Start)}
		}
		after.Tick = *ch.Start
	}
	if ch.Duration != nil {
		if *ch.Duration <= 0 {
			return nil, &Error{BadInput, name, fmt.Errorf("duration %d ticks: want more than 0", *ch.Duration)}
		}
		after.Dur = *ch.Duration
	}
	fields := h.State.Changed(after)
	if len(fields) == 0 {
		return nil, &Error{BadInput, name, errors.New("the change changes nothing")}
	}
	p.Ledger.add(ledger.Record{Actor: ledger.Human, Op: ledger.Modify, Source: ledger.HumanEdits,
		Notes: []music.NoteID{id}, Before: []ledger.NoteState{h.State}, After: []ledger.NoteState{after}})
	hist, err = p.Ledger.histories(ctx)
	if err != nil {
		return nil, err
	}
	return &NoteEdit{ID: id, State: after, Fields: fields, Class: hist[id].Class}, nil
}
