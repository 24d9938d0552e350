// Package kern reads Humdrum **kern scores (David Huron, The Humdrum
// Toolkit Reference Manual, 1995; https://www.humdrum.org/rep/kern/), the
// encoding of the 370 Bach chorales of Craig Sapp's edition, into a
// music.Chart with the notes of every **kern spine in its bars.
//
// A Humdrum file is lines of tab-separated spines. Lines starting with "!"
// are comments ("!!!COM:" and "!!!OTL:" give the composer and title), with
// "*" interpretations, with "=" barlines; other lines are data, one token a
// spine, "." where a spine has nothing new. How the score maps to a chart:
//
//   - Each **kern spine is a part, named by its instrument: *I"Soprano (a
//     name) or *Isoprn (Humdrum's instrument code: soprn, alto, tenor,
//     bass, ... ); parts without either are "Spine N". Spines of other
//     kinds (**dynam, **text) are read past. Spine splits *^, joins *v
//     and exchanges *x are followed: the notes of a split spine stay in
//     its part. *+ (a new spine) is refused with ErrAddSpine.
//   - A note token is a duration (Humdrum's reciprocal: 4 a quarter, 8.
//     a dotted eighth, 3 a triplet half, 0 a breve, 3%2 two thirds of a
//     whole) and a pitch (c is middle C, cc the octave above, C the one
//     below, with # and - for sharp and flat); several notes separated
//     by spaces sound together. Ties "[" ... "_" ... "]" join into one
//     note in the bar where the tie starts. Rests ("r") and grace notes
//     ("q") take no note; fermatas, beams, stems and other signs are read
//     past.
//   - Barlines "=" start bars. A bar whose notes do not fill the meter (a
//     pickup, the short bar that balances it) gets a meter of its own
//     length, as format/abc does. ":|" and "|:" in a barline are repeat
//     signs. *M3/4 sets the meter, *MM the tempo in quarter notes a minute,
//     *k[...] the key signature and *G: or *g:dor the key (only the first
//     key is kept: music.Chart has one).
//   - *>A labels the section starting there, which sets the Section of
//     its first bar. Expansion lists *>[A,A,B] and *>norep[A,B] say in
//     which order the sections are played; Decoder.Expansion chooses one.
//
// Every note shares one Origin: Imported from the source name, Who the
// composer (!!!COM). Notes have velocity 80: **kern writes no loudness.
package kern

import (
	"errors"
	"fmt"
	"io"

	"sideman/format"
	"sideman/music"
)

// Limits on one score after its sections are laid out.
const (
	MaxBars   = 1 << 16
	MaxNotes  = 1 << 21
	MaxSpines = 256
)

var (
	// ErrNoKern is wrapped for input without a **kern spine.
	ErrNoKern = errors.New("no **kern spine")
	// ErrAddSpine is wrapped for *+, which adds a spine.
	ErrAddSpine = errors.New("*+ (adding a spine) is not supported")
	// ErrSpines is wrapped when a line has not one token a spine.
	ErrSpines = errors.New("wrong number of spines")
	// ErrTooLong is wrapped for scores over MaxBars or MaxNotes.
	ErrTooLong = errors.New("too many bars or notes")
	// ErrExpansion is wrapped when an expansion list names a section
	// that is not in the score.
	ErrExpansion = errors.New("expansion list names a missing section")
)

// ParseError is an error at a line of the input and a spine of it (both
// 1-based; Spine is 0 when the error is about the whole line, Line 0 when
// it is about the whole input).
type ParseError struct {
	Line, Spine int
	Err         error
}

func (e *ParseError) Error() string {
	switch {
	case e.Line == 0:
		return "kern: " + e.Err.Error()
	case e.Spine > 0:
		return fmt.Sprintf("kern: line %d, spine %d: %v", e.Line, e.Spine, e.Err)
	}
	return fmt.Sprintf("kern: line %d: %v", e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// A Decoder reads **kern scores with options. The zero Decoder is the
// package's Decode and DecodeBytes.
type Decoder struct {
	// Source names the input in the notes' Origin; "kern" when empty.
	Source string
	// Expansion chooses the order of the sections. "" keeps the bars as
	// written, with their repeat signs, for music.Chart.Unroll to play.
	// "*" writes the sections out in the order of the score's unnamed
	// expansion list *>[A,A,B], and a name in that of the list of that
	// name ("norep" for *>norep[A,B], the order without repeats); the
	// repeat signs are then dropped, as the list has played them. A score
	// without the list asked for is read as written.
	Expansion string
}

// Decode reads a score as written, at most format.MaxSize bytes. The
// notes' Origin names the source "kern".
func Decode(r io.Reader) (*music.Chart, error) { return Decoder{}.Decode(r) }

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) (*music.Chart, error) { return Decoder{}.DecodeBytes(data) }

// Decode reads one score with d's options.
func (d Decoder) Decode(r io.Reader) (*music.Chart, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return d.DecodeBytes(data)
}

// DecodeBytes is Decode on input in memory.
func (d Decoder) DecodeBytes(data []byte) (*music.Chart, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	source := d.Source
	if source == "" {
		source = "kern"
	}
	p := &parser{src: data, origin: &music.Origin{Kind: music.Imported, Source: source}}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.chart(d.Expansion)
}
