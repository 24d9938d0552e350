// Package abc reads and writes ABC notation, the plain-text tune format of
// folk musicians (abc 2.1, https://abcnotation.com/wiki/abc:standard:v2.1),
// as music.Chart lead sheets: bars with the melody's notes and the chord
// symbols written over them.
//
// Decode reads the subset real tune books use: the header fields X, T, C,
// M, L, Q, K, R, P and U (and Y, the part order of the Nottingham Music
// Database); keys with modes and explicit accidentals (K:Ador, K:F#m,
// K:D =c, K:C ^f _b, K:D exp ^f ^c, K:none, K:HP); notes with
// accidentals (microtonal ones too, as the nearest semitone), octave
// marks and lengths; broken rhythm, tuplets, ties, chords and rests;
// chord symbols; repeats (also written apart, "| :"), volta brackets and
// parts; K:, M:, L: and P: fields in the body, on their own line or
// inline; lyrics (w:, the first verse) as the notes' syllables. It skips
// what does not change the melody: decorations (any !name! or +name+, and
// the symbols U: defines), slurs, grace notes, spacers (y, y2), comments
// and directives (but %%propagate-accidentals and %%MIDI program). Encode
// writes charts back as ABC that Decode and abc2midi read to the same
// notes and chords, with the syllables as w: lines.
//
// How a tune becomes a chart:
//
//   - One tune is one Chart with one part, "Melody" (role "melody",
//     channel 0, program 0 or the tune's %%MIDI program), notes at
//     velocity 80. Only the first voice of a tune with several (V:) is
//     read. The chart's Key and Meter are those in force at the first
//     note; K: and M: fields after it change the notes and bars, not the
//     chart's Key and Meter (a chart has one of each).
//   - The unit note length without an L: field is an eighth, or a
//     sixteenth when the header's meter is below 3/4 (abc 2.1, 3.1.7). Q:
//     becomes Tempo in felt beats (a dotted quarter in 6/8).
//   - An accidental lasts to the end of the bar for later notes of the
//     same letter in the same octave, as in printed music and as the chord
//     symbols of the Nottingham tunes bear out (see the tests);
//     "%%propagate-accidentals pitch" carries it to every octave, as
//     abc2midi does and abc 2.1 (11.3) proposes, and "not" to none.
//   - A tied note is one note in the bar where it starts, also over a
//     barline. A tie joins the next note on the same line of the staff
//     (letter and octave), so "^F-|F" is one F sharp; a tie to another
//     pitch is ignored, like a slur. A chord lasts as long as its first
//     note; each note keeps its own length.
//   - Grace notes are skipped: they take no time and are not counted as
//     notes. So are decorations, except the navigation marks !segno!,
//     !coda!, !fine!, !dacoda!, !D.C.!, !D.S.! and their "al coda" and
//     "al fine" forms, which set the bar's marks for Chart.Unroll, also
//     through a symbol (S and O, the segno and coda of abc 2.1, or a
//     letter U: defines: "U:W=!D.S.!"). Ornaments are not played (abc2midi
//     plays !trill! and ~ rolls as notes). Annotations ("^text") become
//     the bar's Comment.
//   - A microtonal accidental plays the nearest semitone, a quarter tone
//     going to the natural note ("^/c" and "_/c" are C, "_3/2c" B, "^3/4c"
//     C sharp); abc2midi bends the natural note by the fraction, which
//     rounds to the same pitch. "^2c" is two semitones up (abc2midi bends
//     it two down); alterations beyond two semitones are two.
//   - "| :" starts a repeat, as abc2midi reads it; ": |" ends one, where
//     abc2midi drops the colon and plays no repeat; a colon by no barline
//     is dropped.
//   - A w: line gives the notes of the line of music above it their
//     syllables (music.Note.Lyric, "Au-" for a syllable the word goes on
//     from), with - _ * ~ \- and | as abc 2.1 (5.1) says; each note of a
//     tie takes one, rests and grace notes none, a chord one (its first
//     note). Only the first w: line after a line of music is read.
//   - Chord symbols ("Am", "G7") become the bar's Chords at their offset;
//     a second symbol at the same place is the first one's Alt; text in
//     quotes that is not a chord is skipped. Besides music.ParseChord's
//     names, the spellings of tune books are read: a slash bass in lower
//     case with "+" for sharp ("G/b", "D/f+"), "d" and "a" for diminished
//     and augmented ("C#d", "Fa7"), an optional chord in parentheses
//     ("(E7)").
//   - A music.Bar has no length of its own. A bar whose notes do not fill the meter (a
//     pickup, the short bar that balances it at the end of a strain, a bar
//     of another length) gets a meter of its own length, and the next bar
//     the written meter back, so the played timing stays right: a pickup
//     of one quarter in 4/4 is a bar in 1/4. A length no meter can give
//     (37 32nds) is rounded up to one that can, leaving a short gap.
//   - A part label (P: in the body) or a volta bracket within a bar splits
//     the bar there. The first bar of a part has the label as its Section.
//     When the header gives a part order (P:AABB, or Y:AABB as the
//     Nottingham files do) the bars are laid out in that order, each part
//     with its own repeats, as abc2midi plays them: Y:AAB with a part A
//     that ends in ":|" plays A four times. Bars before the first part come
//     first, once; a part named in the order but never written is skipped;
//     a part written twice is its last version.
//   - A repeat sign with no start goes back to the start of the tune, of
//     its part, or the bar after the last repeat sign, or after a double
//     barline that follows a finished repeat ("|:A|[1B:|[2C||D|E:|"
//     repeats D E); where Chart.Unroll would not go there by itself, that
//     bar gets RepeatStart.
//   - Z4 is four bars of rest.
//
// Errors name the line and column (ParseError). A tune that cannot be
// read does not stop the others. Input is limited to format.MaxSize, a
// tune to MaxBars bars and MaxNotes notes after its parts are laid out.
package abc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"sideman/format"
	"sideman/music"
)

// Limits on a file and on one tune, after its parts are laid out. Real
// tunes have a few hundred bars and tune books a few thousand tunes; the
// limits keep hostile input from taking all memory.
const (
	MaxTunes = 1 << 16
	MaxBars  = 1 << 14
	MaxNotes = 1 << 18
)

// ParseError is an error in a tune at a line and column (both 1-based; the
// column counts bytes), or in the whole input when Line is 0.
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "abc: " + e.Err.Error()
	}
	return fmt.Sprintf("abc: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

var (
	// ErrNoTunes is wrapped for input without a tune (no X: field).
	ErrNoTunes = errors.New("no tune (no X: field)")
	// ErrTooManyTunes is wrapped for a file of more than MaxTunes tunes.
	ErrTooManyTunes = errors.New("more than 65536 tunes")
	// ErrTooManyBars and ErrTooManyNotes are wrapped for tunes over
	// MaxBars or MaxNotes.
	ErrTooManyBars  = errors.New("too many bars")
	ErrTooManyNotes = errors.New("too many notes")
)

// A Decoder reads ABC files. The zero Decoder is the package's Decode and
// DecodeBytes.
type Decoder struct {
	// Source names the input in the notes' Origin; "abc" when empty.
	Source string
}

// Decode reads every tune of an ABC file, at most format.MaxSize bytes.
// The notes of all tunes share one Origin: imported from "abc".
//
// A tune that cannot be read does not stop the others: Decode returns the
// tunes it read, in file order, and an error joining one *ParseError for
// each tune it skipped (errors.As finds the first).
func Decode(r io.Reader) ([]*music.Chart, error) { return Decoder{}.Decode(r) }

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) ([]*music.Chart, error) { return Decoder{}.DecodeBytes(data) }

// Decode is the package's Decode, with the notes imported from d.Source.
func (d Decoder) Decode(r io.Reader) ([]*music.Chart, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return d.DecodeBytes(data)
}

// DecodeBytes is Decode on input in memory.
func (d Decoder) DecodeBytes(data []byte) ([]*music.Chart, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	f := splitFile(data)
	if len(f.tunes) == 0 {
		return nil, &ParseError{Err: ErrNoTunes}
	}
	if len(f.tunes) > MaxTunes {
		return nil, &ParseError{Err: ErrTooManyTunes}
	}
	origin := &music.Origin{Kind: music.Imported, Source: d.source()}
	var charts []*music.Chart
	var errs []error
	var sc scratch
	for _, t := range f.tunes {
		c, err := decodeTuneScratch(t, f.defaults, origin, &sc)
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
// the next X: line. Its lines are cut when it is read, so that a file of
// many short lines takes no more memory than its bytes.
type tuneText struct {
	x     string // the X: value, as written
	first int    // the line number of the X: line
	data  []byte
}

// each calls fn for each line of the tune and stops at its first error.
func (t tuneText) each(fn func(line) error) error {
	for no, data := t.first, t.data; len(data) > 0; no++ {
		var text []byte
		text, data = cutLine(data)
		if err := fn(line{no, string(text)}); err != nil {
			return err
		}
	}
	return nil
}

// lines returns the lines of the tune.
func (t tuneText) lines() []line {
	var out []line
	t.each(func(ln line) error { out = append(out, ln); return nil })
	return out
}

// cutLine cuts the first line off data; a line ends at "\n", "\r\n" or "\r".
func cutLine(data []byte) (text, rest []byte) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		return data, nil
	}
	text, rest = data[:i], data[i+1:]
	if data[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	return text, rest
}

// maxDefaults bounds the lines of the file header that are kept.
const maxDefaults = 1 << 10

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
	cur := -1 // the tune being read, an index into f.tunes
	header := true
	all := data
	for no := 1; len(data) > 0; no++ {
		at := len(all) - len(data)
		var text []byte
		text, data = cutLine(data)
		end := len(all) - len(data)
		if bytes.HasPrefix(text, []byte("X:")) {
			if len(f.tunes) > MaxTunes {
				break // Decode fails with ErrTooManyTunes
			}
			f.tunes = append(f.tunes, tuneText{x: string(bytes.TrimSpace(text[2:])), first: no, data: all[at:end]})
			cur, header = len(f.tunes)-1, false
			continue
		}
		blank := len(bytes.TrimSpace(text)) == 0
		switch {
		case cur >= 0 && blank:
			cur = -1
		case cur >= 0:
			t := &f.tunes[cur]
			t.data = all[at-len(t.data) : end]
		case blank:
			// A blank line ends the file header too; what follows up to
			// the first X: is free text.
			if len(f.defaults) > 0 {
				header = false
			}
		case header && (isFieldLine(string(text)) || text[0] == '%') && len(f.defaults) < maxDefaults:
			f.defaults = append(f.defaults, line{no, string(text)})
		case text[0] == '%':
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

// text cleans a free-text field value: it trims it, reads "\%" as a
// percent sign, and reads bytes that are not UTF-8 as Latin-1, the
// character set of older ABC files.
func text(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, `\%`, "%"))
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// source is the name the notes' Origin gives their file: d.Source, else
// "abc".
func (d Decoder) source() string {
	if d.Source == "" {
		return "abc"
	}
	return d.Source
}
