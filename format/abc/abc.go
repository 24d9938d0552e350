// Package abc reads and writes ABC notation, the plain-text tune format of
// folk musicians (abc 2.1, https://abcnotation.com/wiki/abc:standard:v2.1),
// as music.Chart lead sheets: bars with the melody's notes and the chord
// symbols written above them.
//
// Decode reads the subset real tune books use: the header fields X, T, C, M,
// L, Q, K, R and P (plus Y, the part order of the Nottingham Music
// Database); key signatures with modes and explicit accidentals; notes with
// accidentals, octave marks and lengths; broken rhythm, tuplets, ties,
// chords, rests and multi-bar rests; chord symbols; repeats, numbered endings
// and parts; fields changing key, meter or unit length in the body; and it
// skips what does not change the melody (decorations, slurs, grace notes,
// lyrics, comments and formatting directives). Encode writes charts back as
// ABC that Decode and abc2midi read to the same notes and chords.
//
// How ABC maps to a chart:
//
//   - One tune is one Chart with one part, "Melody". Only the first voice of
//     a tune with several (V:) is read.
//   - Notes are laid out as written. Accidentals last to the end of the bar
//     for notes of the same letter in the same octave, as in printed music;
//     "%%propagate-accidentals pitch" (every octave, abc2midi's default) or
//     "not" change that.
//   - A tied note is one note in the bar where it starts, also over
//     barlines. A tie joins the next note on the same line of the staff
//     (letter and octave), so "^F-|F" is one F sharp; a tie to another
//     pitch is ignored, like a slur.
//   - Grace notes are skipped: they take no time in the bar and are not
//     counted as notes. Decorations are skipped too, except the navigation
//     marks (!segno!, !coda!, !fine!, !D.C.!, !D.S.!, !dacoda! and the "al
//     coda/al fine" forms), which set the bar's marks so Chart.Unroll plays
//     them.
//   - A bar whose notes do not fill the meter (a pickup, the short last bar
//     that balances it, a bar of a different length) gets a meter of its
//     own length, and the next bar the written meter back: music.Bar has no
//     length, and this keeps the played timing right. A pickup of one
//     quarter in 4/4 is a bar in 1/4. A bar that no meter of at most
//     32 64ths... 32 whole notes can hold, or whose length is not a whole
//     number of 64ths, is rounded up to the next 64th.
//   - Chord symbols ("Am", "G7/b") become the bar's chords at their offset;
//     a second symbol at the same place is the chord's Alt. Annotations
//     ("^text") become the bar's Comment. A symbol that is not a chord is
//     skipped.
//   - P: fields in the body label parts; their first bar gets the label as
//     its Section. When the header gives a part order (P:AABB, or Y:AABB as
//     the Nottingham files do) the bars are laid out in that order, each
//     part with its own repeats, as abc2midi plays them: Y:AAB with a part
//     A that ends in ":|" plays A four times. Bars before the first part
//     are played once, first; a part named in the order but never written
//     is skipped; a part written twice is the last one written.
//   - A multi-bar rest Z4 is four empty bars.
package abc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"sideman/music"
)

// MaxSize is the largest input Decode reads.
const MaxSize = 64 << 20

// Limits on one tune, after its parts are laid out. Real tunes have a few
// hundred bars; the limits keep hostile input from taking all memory.
const (
	MaxBars  = 1 << 14
	MaxNotes = 1 << 18
)

// ParseError is an error in a tune at a line and column (both 1-based; the
// column counts bytes).
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("abc: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

var (
	// ErrTooLarge is returned for input over MaxSize.
	ErrTooLarge = errors.New("abc: input larger than 64 MiB")
	// ErrNoTunes is returned for input without a tune (no X: field).
	ErrNoTunes = errors.New("abc: no tune (no X: field)")
	// ErrTooManyBars and ErrTooManyNotes are wrapped in a ParseError for
	// tunes over MaxBars or MaxNotes.
	ErrTooManyBars  = errors.New("too many bars")
	ErrTooManyNotes = errors.New("too many notes")
)

// Decode reads every tune of an ABC file. The notes of all tunes share one
// Origin: imported from the name of r when it has one (an *os.File), else
// from "abc".
//
// A tune that cannot be read does not stop the others: Decode returns the
// tunes it read, in file order, and an error joining one *ParseError for
// each tune it skipped (errors.As finds the first).
func Decode(r io.Reader) ([]*music.Chart, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	source := "abc"
	if n, ok := r.(interface{ Name() string }); ok && n.Name() != "" {
		source = n.Name()
	}
	return DecodeBytes(data, source)
}

// DecodeBytes is Decode on a byte slice; source names the file in the
// notes' Origin.
func DecodeBytes(data []byte, source string) ([]*music.Chart, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	f := splitFile(data)
	if len(f.tunes) == 0 {
		return nil, ErrNoTunes
	}
	origin := &music.Origin{Kind: music.Imported, Source: source}
	var charts []*music.Chart
	var errs []error
	for _, t := range f.tunes {
		c, err := decodeTune(t, f.defaults, origin)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		charts = append(charts, c)
	}
	return charts, errors.Join(errs...)
}

// line is one line of input without its end of line.
type line struct {
	no   int
	text string
}

// tuneText is the text of one tune: its X: line up to the blank line or
// the next X: line.
type tuneText struct {
	x     string // the X: value, as written
	lines []line
}

// file is an ABC file cut into tunes.
type file struct {
	defaults []line // field and directive lines of the file header
	tunes    []tuneText
	// ignored counts the non-blank lines outside tunes that are not part
	// of the file header: free text between tunes.
	ignored int
}

// splitFile cuts a file into tunes. A tune starts at an X: line and ends at
// a blank line or at the next X: line; the lines before the first tune are
// the file header, whose fields apply to every tune.
func splitFile(data []byte) file {
	var f file
	var cur *tuneText
	header := true
	no := 0
	for len(data) > 0 {
		no++
		var text []byte
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			text = data[:i]
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		} else {
			text, data = data, nil
		}
		s := string(text)
		if strings.HasPrefix(s, "X:") {
			f.tunes = append(f.tunes, tuneText{x: strings.TrimSpace(s[2:])})
			cur = &f.tunes[len(f.tunes)-1]
			header = false
			cur.lines = append(cur.lines, line{no, s})
			continue
		}
		blank := strings.TrimSpace(s) == ""
		switch {
		case cur != nil && blank:
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, line{no, s})
		case blank:
			// A blank line ends the file header too; what follows up to
			// the first X: is free text.
			if len(f.defaults) > 0 {
				header = false
			}
		case header && (isFieldLine(s) || strings.HasPrefix(s, "%")):
			f.defaults = append(f.defaults, line{no, s})
		case strings.HasPrefix(s, "%"):
		default:
			header = false
			f.ignored++
		}
	}
	return f
}

// isFieldLine reports whether s is an information field line ("K:G").
func isFieldLine(s string) bool {
	return len(s) >= 2 && s[1] == ':' && isLetter(s[0])
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// text cleans a free-text field value: it trims it and reads bytes that
// are not UTF-8 as Latin-1, the character set of older ABC files.
func text(s string) string {
	s = strings.TrimSpace(s)
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}
