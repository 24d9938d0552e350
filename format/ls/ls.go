// Package ls reads Impro-Visor leadsheets (.ls files), the chord-and-melody
// format of Impro-Visor (Robert Keller, Harvey Mudd College;
// github.com/Impro-Visor/Impro-Visor, src/imp/data/Leadsheet.java), into a
// music.Chart: the chords in Bar.Chords and the melody in Bar.Notes.
//
// A leadsheet is a sequence of S-expressions and words. Lists are
// directives: the header (title ...), (composer ...), (key n) with the
// number of sharps (negative for flats), (meter 3 4), (tempo 160.0) and
// (style name ...), and (part ...) lists that open the chord part or a
// melody part, and (section (style ...)) or (phrase ...) marks inside the
// chords. Words outside lists are chords and melody, told apart by their
// first letter as Impro-Visor does:
//
//   - "|" (or ",") ends a bar of chords. The chords of a bar (symbols
//     starting with an upper-case letter, NC for no chord) share it
//     equally, "/" holding the chord before it for one share: "C / G7 /"
//     is two beats each in 4/4. A bar with no chords continues the chord
//     before it.
//   - A word starting with a lower-case letter is a melody note or rest
//     (see parseMelody): "bb4 f+8 r8 c8/3 e2+8". Notes follow each other
//     without bar lines; a note that crosses a barline is one note in the
//     bar where it starts. "v100" sets the velocity of the notes after it
//     (127 until then, as in Impro-Visor).
//
// Impro-Visor keeps one chord progression and any number of melody parts,
// its choruses: each melody part plays over the whole progression once. The
// chart writes the choruses out one after the other, the progression
// copied for each; a chorus whose melody is longer than the progression
// gets extra bars that hold its last chord. A leadsheet without a melody is
// its progression once. The melody is one part, "Melody". Each (section)
// and (phrase) mark opens a section, labelled 1, 2, ... in each chorus;
// one that names a style puts "style <name>" in the bar's Comment.
//
// Key, meter and tempo: (key n) is a major key signature (Impro-Visor does
// not record the mode); (meter n d) with d 4 when missing; (tempo t) counts
// quarter notes per minute, made felt beats for Chart.Tempo (a dotted
// quarter in 6/8). (transpose n), which shifts everything written, is
// refused with ErrTranspose.
//
// Every note shares one Origin per performer: Imported from the source
// name, Who the melody part's (composer ...) when it names one (the soloist
// of a transcription, "Impro-Visor" for a generated chorus).
package ls

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// Limits on one leadsheet after its choruses are written out. The longest
// in Impro-Visor's collection has about 66 choruses of a 12-bar blues.
const (
	MaxBars  = 1 << 15
	MaxNotes = 1 << 19
)

var (
	// ErrTooLong is wrapped for leadsheets over MaxBars or MaxNotes.
	ErrTooLong = errors.New("too many bars or notes")
	// ErrTranspose is wrapped for a (transpose n) directive.
	ErrTranspose = errors.New("(transpose) is not supported")
	// ErrChordsPerBar is wrapped for a bar whose chords do not share it
	// in whole slots (7 chords in a 4/4 bar), which Impro-Visor refuses.
	ErrChordsPerBar = errors.New("chords do not divide the bar")
)

// ParseError is an error at a line and column of the input (both 1-based;
// the column counts bytes), or in the whole input when Line is 0.
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "ls: " + e.Err.Error()
	}
	return fmt.Sprintf("ls: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// A Decoder reads leadsheets. The zero Decoder is the package's Decode and
// DecodeBytes.
type Decoder struct {
	// Source names the input in the notes' Origin; "ls" when empty.
	Source string
}

// Decode reads one leadsheet, at most format.MaxSize bytes. The notes'
// Origin names the source "ls".
func Decode(r io.Reader) (*music.Chart, error) { return Decoder{}.Decode(r) }

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) (*music.Chart, error) { return Decoder{}.DecodeBytes(data) }

// Decode is the package's Decode, with the notes imported from d.Source.
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
		source = "ls"
	}
	dec := &decoder{src: string(data), source: source, program: -1}
	dec.lex = newLexer(dec.src)
	return dec.decode()
}

// chordItem is one word of the chord stream: a chord (index into
// decoder.chordVals), "/", a bar line, or a section mark (style names the
// style it sets).
type chordItem struct {
	kind  uint8
	chord int32
	off   int32
	style string
}

const (
	itemChord = iota
	itemSlash
	itemBar
	itemSection
)

// melodyPart is one chorus of melody: decoder.elems[lo:hi].
type melodyPart struct {
	who    string
	lo, hi int
}

type decoder struct {
	src    string
	source string
	lex    *lexer

	chart   music.Chart
	meter   music.Meter
	keySet  bool
	partKey *music.Key
	tempo   float64
	program int // General MIDI program of the first melody part, or -1

	chords    []chordItem
	chordVals []music.Chord
	chordSyms map[string]int32 // symbol to index in chordVals
	elems     []element
	parts     []melodyPart
	notes     int
	origins   []*music.Origin
}

func (d *decoder) errAt(off int, err error) error {
	line, col := position(d.src, off)
	return &ParseError{Line: line, Column: col, Err: err}
}

func (d *decoder) errf(off int, format string, args ...any) error {
	return d.errAt(off, fmt.Errorf(format, args...))
}

func (d *decoder) decode() (*music.Chart, error) {
	d.meter = music.DefaultMeter
	for {
		t := d.lex.next()
		switch t.kind {
		case tokEOF:
			return d.build()
		case tokError:
			return nil, d.errAt(t.off, errComment)
		case tokClose:
			return nil, d.errf(t.off, "unmatched )")
		case tokOpen:
			n, err := d.readList(t.off, 0)
			if err != nil {
				return nil, err
			}
			if err := d.directive(&n); err != nil {
				return nil, err
			}
		case tokBar:
			d.chords = append(d.chords, chordItem{kind: itemBar, off: int32(t.off)})
		case tokWord:
			if err := d.word(t); err != nil {
				return nil, err
			}
		}
	}
}

// word handles a chord, slash or melody token outside any list.
func (d *decoder) word(t token) error {
	c := t.text[0]
	switch {
	case c == '/':
		d.chords = append(d.chords, chordItem{kind: itemSlash, off: int32(t.off)})
	case c >= 'A' && c <= 'Z':
		// Tunes repeat their chords: each symbol is read once.
		i, ok := d.chordSyms[t.text]
		if !ok {
			ch, err := parseChord(t.text)
			if err != nil {
				return d.errAt(t.off, err)
			}
			if d.chordSyms == nil {
				d.chordSyms = map[string]int32{}
			}
			i = int32(len(d.chordVals))
			d.chordVals = append(d.chordVals, ch)
			d.chordSyms[t.text] = i
		}
		d.chords = append(d.chords, chordItem{kind: itemChord, chord: i, off: int32(t.off)})
	case c >= 'a' && c <= 'z':
		e, err := parseMelody(t.text)
		if err != nil {
			return d.errAt(t.off, err)
		}
		e.off = int32(t.off)
		if e.pitch >= 0 {
			if d.notes++; d.notes > MaxNotes {
				return d.errAt(t.off, ErrTooLong)
			}
		}
		// Notes before any (part) belong to a first melody part, as in
		// Impro-Visor, which starts the melody with the first word.
		if len(d.parts) == 0 {
			d.parts = append(d.parts, melodyPart{lo: len(d.elems)})
		}
		d.elems = append(d.elems, e)
		d.parts[len(d.parts)-1].hi = len(d.elems)
	default:
		// Impro-Visor ignores bare numbers; anything else it reports.
		if _, err := strconv.ParseFloat(t.text, 64); err == nil {
			return nil
		}
		return d.errf(t.off, "unexpected %s", quote.Input(t.text))
	}
	return nil
}

// directive handles a list outside any other.
func (d *decoder) directive(n *node) error {
	switch n.head() {
	case "title":
		d.chart.Title = clean(n.text())
	case "composer":
		d.chart.Composer = clean(n.text())
	case "key":
		k, err := d.key(n)
		if err != nil {
			return err
		}
		if k != nil {
			d.chart.Key, d.keySet = k, true
		}
	case "meter":
		num, ok := n.arg(0)
		if !ok {
			return nil
		}
		den, ok := n.arg(1)
		if !ok {
			den = "4"
		}
		a, err1 := strconv.Atoi(num)
		b, err2 := strconv.Atoi(den)
		m := music.Meter{Num: a, Den: b}
		if err1 != nil || err2 != nil || !m.Valid() {
			return d.errf(n.off, "meter %s %s: want 1-32 beats over 1, 2, 4, 8, 16, 32 or 64", num, den)
		}
		d.meter = m
		d.chart.Meter = &m
	case "tempo":
		s, ok := n.arg(0)
		if !ok {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 || v > 1000 || math.IsNaN(v) {
			return d.errf(n.off, "tempo %s: want beats per minute", quote.Input(s))
		}
		d.tempo = v
	case "style":
		if s, ok := n.arg(0); ok && d.chart.Style == "" {
			d.chart.Style = s
		}
	case "transpose":
		if s, _ := n.arg(0); s != "0" && s != "" {
			return d.errAt(n.off, ErrTranspose)
		}
	case "section", "phrase":
		style := ""
		for i := range n.kids {
			if st := &n.kids[i]; st.list && st.head() == "style" {
				style, _ = st.arg(0)
			}
		}
		d.chords = append(d.chords, chordItem{kind: itemSection, style: style, off: int32(n.off)})
	case "part":
		return d.part(n)
	}
	// Everything else sets up Impro-Visor's playback (volumes,
	// instruments, layout, breakpoint): not music.
	return nil
}

// key reads (key n): n sharps, or -n flats.
func (d *decoder) key(n *node) (*music.Key, error) {
	s, ok := n.arg(0)
	if !ok {
		return nil, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < -7 || v > 7 {
		return nil, d.errf(n.off, "key %s: want -7..7 sharps", quote.Input(s))
	}
	k := music.KeyFromFifths(v, false)
	return &k, nil
}

// part handles (part (type chords|melody) (title ...) (composer ...) ...).
// A melody part opens a new chorus once the one before has notes, as in
// Impro-Visor; a part without a type is a melody part.
func (d *decoder) part(n *node) error {
	typ := "melody"
	if t := n.find("type"); t != nil {
		typ, _ = t.arg(0)
	}
	if k := n.find("key"); k != nil {
		key, err := d.key(k)
		if err != nil {
			return err
		}
		if key != nil && d.partKey == nil {
			d.partKey = key
		}
	}
	if typ != "melody" {
		return nil
	}
	if in := n.find("instrument"); in != nil && d.program < 0 {
		if s, ok := in.arg(0); ok {
			if v, err := strconv.Atoi(s); err == nil && v >= 0 && v <= 127 {
				d.program = v
			}
		}
	}
	who := ""
	if c := n.find("composer"); c != nil {
		who = clean(c.text())
	}
	if len(d.parts) == 0 || d.parts[len(d.parts)-1].hi > d.parts[len(d.parts)-1].lo {
		d.parts = append(d.parts, melodyPart{who: who, lo: len(d.elems), hi: len(d.elems)})
	} else {
		d.parts[len(d.parts)-1].who = who
	}
	return nil
}

// clean makes free text valid UTF-8 (Latin-1 bytes are read as Latin-1).
func clean(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = rune(s[i])
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
