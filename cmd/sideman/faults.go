package main

import (
	"errors"

	"sideman/format/midi"
	"sideman/load"
	"sideman/render"
)

// inputFault names the input file for the errors that are facts of the
// music read rather than failures of sideman: more parts than a MIDI file
// holds, longer than a render takes. They are bad input, exit 2, and the
// line says which file; other errors (nil too) pass through.
func inputFault(name string, err error) error {
	if errors.Is(err, midi.ErrTooManyTracks) || errors.Is(err, render.ErrTooLong) {
		var ie *load.InputError
		if errors.As(err, &ie) {
			return err
		}
		return &load.InputError{Name: name, Err: err}
	}
	return err
}
