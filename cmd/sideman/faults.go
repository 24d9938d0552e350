package main

import (
	"errors"
	"fmt"
	"io"

	"sideman/format/midi"
	"sideman/internal/quote"
	"sideman/load"
	"sideman/music"
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

// warnCut says on errs, naming the file, when the chart's form asks for
// more than music.MaxPlayedBars bars (a D.S. that loops, a thousand
// repeats): what is played stops there, and a listener should know why.
func warnCut(errs io.Writer, name string, c *music.Chart, choruses int) {
	if _, cut := c.UnrollCut(choruses); cut {
		fmt.Fprintf(errs, "sideman: %s: warning: %s plays more than %d bars (its repeats or jumps); only the first %d are played\n",
			name, quote.Input(c.Title), music.MaxPlayedBars, music.MaxPlayedBars)
	}
}
