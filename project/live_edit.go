package project

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	note, err := p.Ledger.lookup(ctx)
	if err != nil {
		return nil, err
	}
	h, ok := note(id)
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
	if note, err = p.Ledger.lookup(ctx); err != nil {
		return nil, err
	}
	now, _ := note(id)
	return &NoteEdit{ID: id, State: after, Fields: fields, Class: now.Class}, nil
}

// HumanEditStep is the step an Origin names for a person's change to a
// note (the ledger's humanEdits): NoteEdit.Origin derives it, OriginClass
// reads it. Its Params list the fields changed ("start,pitch"); it names
// no generator, since no algorithm made the change.
const HumanEditStep = "humanEdits"

// Origin is the note's origin after the edit, given its origin before
// (was): the same history with the person's change as its last step, so
// that the note in a piece held in memory (the studio's last band or
// trade) says M+h as the ledger does, wherever it goes next (alternatives,
// a MIDI file's provenance record). A note edited again keeps one edit
// step, listing every field changed.
func (e *NoteEdit) Origin(was *music.Origin) *music.Origin {
	base, fields := was, e.Fields
	if isHumanEdit(was) {
		base = was.Base
		fields = slices.Clone(strings.Split(was.Params, ","))
		for _, f := range e.Fields {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	kind := music.OriginUnknown
	if base != nil {
		kind = base.Kind
	}
	return &music.Origin{Kind: kind, Source: "studio", Base: base, Step: HumanEditStep, Params: strings.Join(fields, ",")}
}

// OriginClass is the class a note's Origin tells (the ledger's classes:
// the ledger's own word is the one to trust where there is a ledger): a
// machine's note M, a machine's note a person changed since
// (HumanEditStep) M+h, a person's note H, one an algorithm processed
// since H+alg; a note of no known maker (imported, no origin) unknown.
func OriginClass(o *music.Origin) ledger.Class {
	root := o.Root()
	if root == nil || root.Kind == music.Imported || root.Kind == music.OriginUnknown {
		return ledger.ClassUnknown
	}
	edited, processed := false, false
	for s := o; s != nil && s.Base != nil; s = s.Base {
		if isHumanEdit(s) {
			edited = true
		} else {
			processed = true
		}
	}
	switch {
	case !root.Kind.Human() && edited:
		return ledger.ClassMH
	case !root.Kind.Human():
		return ledger.ClassM
	case processed:
		return ledger.ClassHAlg
	}
	return ledger.ClassH
}

// isHumanEdit reports whether an origin's last step is a person's edit.
func isHumanEdit(o *music.Origin) bool {
	return o != nil && o.Base != nil && o.Step == HumanEditStep && o.Generator == ""
}

// humanEdited reports whether a person edited a note of this origin, at
// any step.
func humanEdited(o *music.Origin) bool {
	for ; o != nil && o.Base != nil; o = o.Base {
		if isHumanEdit(o) {
			return true
		}
	}
	return false
}
