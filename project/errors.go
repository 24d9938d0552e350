package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"sideman/band"
	"sideman/format/midi"
	"sideman/load"
	"sideman/music"
	"sideman/render"
)

// Kind says whose the failure is, which an edge maps to an exit status or
// an HTTP status.
type Kind uint8

const (
	// Internal is a failure of sideman itself (a bug, a full disk): the
	// only kind that is not the input's.
	Internal Kind = iota
	// BadInput is input sideman cannot read or play as asked: a
	// malformed file, a chart with no chords, an option out of range.
	BadInput
	// NotFound is a file, tune, style, feel or SoundFont that is not there.
	NotFound
	// Unsupported is input read well that the operation does not apply
	// to: rendering a chord chart, transposing a MIDI file.
	Unsupported
)

var kindNames = [...]string{"internal", "bad input", "not found", "unsupported"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "internal"
}

// Error is the one error kind the operations return for the input's
// faults: Name is the input it is about (a file, a link, "soundfont";
// "" when none), Err what is wrong with it. Other errors are Internal.
type Error struct {
	Kind Kind
	Name string
	Err  error
}

// Error is the name and the first line of the cause, as one line.
func (e *Error) Error() string {
	msg := firstLine(e.Err)
	if e.Name == "" {
		return msg
	}
	return e.Name + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// OptionError is an option the input does not allow, or a value out of
// its range: Option names it as the options struct does, in the words a
// command line uses ("choruses", "role", "loop"), Value as given. Its
// kind is BadInput.
type OptionError struct {
	Option, Value string
	Err           error
}

func (e *OptionError) Error() string {
	if e.Value == "" {
		return e.Option + ": " + e.Err.Error()
	}
	return e.Option + " " + e.Value + ": " + e.Err.Error()
}

func (e *OptionError) Unwrap() error { return e.Err }

// UnknownError is a name that names nothing sideman has: a style, a feel.
// Known lists what there is; Near the names it may be a slip of. Its kind
// is NotFound.
type UnknownError struct {
	What, Name string
	Known      []string
	Near       []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown %s %q", e.What, e.Name)
}

// KindOf is the kind of an error an operation returned: an Error's, an
// OptionError is BadInput, an UnknownError NotFound, a file that is not
// there NotFound, load's errors BadInput; anything else, a cancelled
// context too, is Internal.
func KindOf(err error) Kind {
	var e *Error
	var oe *OptionError
	var ue *UnknownError
	var ie *load.InputError
	switch {
	case err == nil:
		return Internal
	case errors.As(err, &e):
		return e.Kind
	case errors.As(err, &oe):
		return BadInput
	case errors.As(err, &ue):
		return NotFound
	case errors.As(err, &ie) && errors.Is(err, fs.ErrNotExist):
		return NotFound
	case errors.As(err, &ie):
		return BadInput
	}
	return Internal
}

// firstLine keeps the first error of a joined error: one line for the user.
func firstLine(err error) string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := j.Unwrap(); len(errs) > 0 {
			s := errs[0].Error()
			if len(errs) > 1 {
				s += fmt.Sprintf(" (and %d more)", len(errs)-1)
			}
			return s
		}
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// inputError is err as the operations return it, naming the input: the
// errors that are facts of the music read rather than failures of sideman
// (too long to play or render, more parts than a MIDI file holds, a
// SoundFont that does not load) are BadInput; an Error, a load.InputError
// and a context's error pass as they are; anything else is Internal.
func inputError(name string, err error) error {
	var e *Error
	var ie *load.InputError
	var se *render.SoundFontError
	var oe *band.OptionError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e), errors.As(err, &ie), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &oe):
		return &OptionError{oe.Option, oe.Value, oe.Err}
	case errors.As(err, &se):
		// The caller loaded the SoundFont and knows its name: it is kept
		// inside for errors.As.
		return &Error{BadInput, "soundfont", se}
	case errors.Is(err, midi.ErrTooManyTracks), errors.Is(err, render.ErrTooLong), errors.Is(err, music.ErrTooLong), errors.Is(err, band.ErrNoChords):
		return &Error{BadInput, name, err}
	}
	return err
}

// bad is a BadInput Error about the named input.
func bad(name string, format string, args ...any) error {
	return &Error{BadInput, name, fmt.Errorf(format, args...)}
}

// encodeError runs an encoder writing to w and says whose its error is:
// an error of w's (a full disk, a closed pipe) is returned as it is, and
// so is a panic the encoder recovered (musicxml reports one as an
// "internal error": sideman's bug); any other is what the format cannot
// write of the music the input holds (a chord between a .chart's slots,
// a meter MusicXML has no notation for): Unsupported, naming the input.
func encodeError(name string, w io.Writer, encode func(io.Writer) error) error {
	ww := &watchedWriter{w: w}
	err := encode(ww)
	switch {
	case err == nil, ww.err != nil, strings.Contains(err.Error(), "internal error"):
		return err
	}
	if e := inputError(name, err); e != err {
		return e // a fact of the music inputError knows (too long)
	}
	return &Error{Unsupported, name, err}
}

// watchedWriter remembers the first error its writer returned.
type watchedWriter struct {
	w   io.Writer
	err error
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}
