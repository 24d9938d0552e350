// Package match reads and writes match files, the note-level alignments
// of a performance (MIDI) to its score used by the Vienna 4x22 piano
// corpus (Goebl 1999; rematched by CP/JKU) and the Magaloff and Batik
// corpora. The format is described by Foscarin, Karystinaios, Peter,
// Cancino-Chacón, Grachten and Widmer, "The match file format: encoding
// alignments between scores and performances" (Music Encoding Conference
// 2022), and implemented by the partitura Python package; this package
// follows version 1.0.0, the version of vienna4x22, and also reads the
// performed notes of older versions.
//
// A match file is a Prolog-like list of facts, one a line, each ending
// in a full stop:
//
//	info(midiClockUnits,480).
//	scoreprop(timeSignature,6/8,1:1,0,0.0000).
//	snote(n1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1,staff1])-note(n0,73,2182,2675,105,0,0).
//	snote(n8,[B,b],3,1:2,0,1/4,1.0000,2.0000,[v3,staff2])-deletion.
//	insertion-note(n50,52,11648,12619,1,0,0).
//	trill(n12)-note(n13,66,2950,3100,40,0,0).
//	sustain(4032,127).
//
// A score note (snote) gives its anchor id, spelling and octave, its bar
// and beat, its offset from that beat and its duration in whole notes,
// its onset and offset in beats (of the meter's denominator: eighths in
// 6/8) and attributes such as voice, staff, grace or staccato. A
// performed note gives its id, MIDI key, onset and offset in MIDI ticks,
// velocity, channel and track; ticks become seconds through the
// midiClockUnits (ticks a quarter) and midiClockRate (microseconds a
// quarter) info fields.
//
// Decode keeps the info fields in File.Info and every other line, in
// order, in File.Lines. Lines of kinds this package does not know are
// kept as raw text, so a newer file still reads; a line of a known kind
// that does not parse is a *ParseError. Encode writes a File back such
// that Decode gives the same File again.
package match

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"sideman/internal/quote"
)

// MaxLine is the longest line Decode reads, in bytes.
const MaxLine = 1 << 20

// MaxLines is the most lines Decode reads (and format.MaxSize the most
// bytes): the Vienna 4x22 files hold about 4,400 lines, 120 KB.
const MaxLines = 1 << 20

// ErrSyntax is wrapped by a ParseError for a line that does not parse.
var ErrSyntax = errors.New("syntax error")

// ParseError is an error at a line (1-based; 0 when the error is about the
// whole input) and, where known, a column (1-based byte offset in the
// line, 0 when unknown).
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "match: " + e.Err.Error()
	}
	if e.Column > 0 {
		return fmt.Sprintf("match: line %d: column %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("match: line %d: %v", e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// File is one match file.
type File struct {
	// Info holds the info(Key,Value) lines in file order.
	Info []Info
	// Lines holds every other line in file order.
	Lines []Line
}

// Info is one info(Key,Value) line; Value is the text after the first
// comma, as written.
type Info struct{ Key, Value string }

// Get returns the value of the first info field named key.
func (f *File) Get(key string) (string, bool) {
	for _, in := range f.Info {
		if in.Key == key {
			return in.Value, true
		}
	}
	return "", false
}

// SecondsPerTick is the length of a MIDI tick in seconds from the
// midiClockUnits (ticks a quarter) and midiClockRate (microseconds a
// quarter) info fields; files without them get the MIDI defaults of 480
// ticks and 500000 microseconds (120 beats a minute) a quarter.
func (f *File) SecondsPerTick() (float64, error) {
	units, rate := 480.0, 500000.0
	if v, ok := f.Get("midiClockUnits"); ok {
		u, err := strconv.ParseFloat(v, 64)
		if err != nil || !(u > 0) || math.IsInf(u, 0) {
			return 0, fmt.Errorf("match: midiClockUnits %s", quote.Input(v))
		}
		units = u
	}
	if v, ok := f.Get("midiClockRate"); ok {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || !(r > 0) || math.IsInf(r, 0) {
			return 0, fmt.Errorf("match: midiClockRate %s", quote.Input(v))
		}
		rate = r
	}
	return rate / 1e6 / units, nil
}

// Kind says what a Line records.
type Kind uint8

// The line kinds.
const (
	// Raw is a line of a kind this package does not know, kept as text.
	Raw Kind = iota
	// Matched pairs a score note with the performed note that plays it.
	Matched
	// Deleted is a score note nobody played.
	Deleted
	// Inserted is a performed note with no score note.
	Inserted
	// Trill and Ornament are performed notes that belong to the
	// ornament of the score note with id Anchor.
	Trill
	Ornament
	// HammerBounce is a performed note from a key bouncing back.
	HammerBounce
	// TrailingPlayed and TrailingScore are notes past the end of the
	// alignment, performed or written.
	TrailingPlayed
	TrailingScore
	// Pedal is a sustain or soft pedal controller value.
	Pedal
	// Property is a scoreprop line: a key or time signature at a
	// score position.
	Property
)

var kindNames = [...]string{"raw", "matched", "deleted", "inserted", "trill", "ornament",
	"hammer_bounce", "trailing_played", "trailing_score", "pedal", "property"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Line is one line of a match file other than info. Which fields are
// set depends on Kind: Score for Matched, Deleted and TrailingScore;
// Performed for Matched, Inserted, Trill, Ornament, HammerBounce and
// TrailingPlayed; Anchor for Trill and Ornament; PedalEvent for Pedal;
// Prop for Property; Text for Raw.
type Line struct {
	Kind       Kind
	Score      *ScoreNote
	Performed  *PerformedNote
	Anchor     string
	PedalEvent *PedalEvent
	Prop       *ScoreProp
	Text       string
}

// ScoreNote is a note of the score (an snote).
type ScoreNote struct {
	ID string
	// Step is the letter name, A to G; Alter the accidental in
	// semitones (-2 to 2; "n" is 0); Octave the scientific octave
	// (middle C is C4).
	Step   string
	Alter  int
	Octave int
	// Bar and Beat are the bar number and the beat in the bar, as the
	// file writes them.
	Bar, Beat int
	// Offset is the onset's distance from Beat and Duration the written
	// length, both in whole notes (3/16 is a dotted eighth).
	Offset, Duration Rational
	// Onset and OffsetBeats are the onset and the end in beats of the
	// meter's denominator from the start of bar 1.
	Onset, OffsetBeats float64
	// Attributes are the bracketed attributes: voice (v1), staff
	// (staff1), grace, staccato, accent...
	Attributes []string
}

var stepSemitones = map[string]int{"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

// Pitch is the MIDI key of the written note.
func (n *ScoreNote) Pitch() int {
	return (n.Octave+1)*12 + stepSemitones[n.Step] + n.Alter
}

// Has reports whether the note carries the attribute a.
func (n *ScoreNote) Has(a string) bool {
	for _, x := range n.Attributes {
		if x == a {
			return true
		}
	}
	return false
}

// PerformedNote is a note as played (a note).
type PerformedNote struct {
	ID string
	// Pitch is the MIDI key.
	Pitch int
	// Onset and Offset are the key press and release in MIDI ticks.
	Onset, Offset int
	// AdjOffset is the offset prolonged by the sustain pedal, as files
	// before version 1.0 write it; version 1 files have none, and it
	// is Offset.
	AdjOffset int
	Velocity  int
	// Channel and Track are the MIDI channel and track (version 1).
	Channel, Track int
	// Spelled marks a note in the format before version 1:
	// note(Id,[Step,Alter],Octave,Onset,Offset,AdjOffset,Velocity),
	// which spells the key (Step, Alter, Octave) and has no channel or
	// track.
	Spelled bool
	Step    string
	Alter   int
	Octave  int
}

// PedalEvent is a controller value at a time: Name is "sustain" or
// "soft", Time in MIDI ticks, Value 0 to 127 (64 and over is down).
type PedalEvent struct {
	Name        string
	Time, Value int
}

// ScoreProp is a score property (scoreprop) such as keySignature (E, Fm)
// or timeSignature (6/8) from a score position on.
type ScoreProp struct {
	Attribute, Value string
	Bar, Beat        int
	Offset           Rational
	Onset            float64
}

// Rational is a fraction Num/Den with Den > 0, kept as written (2/8 is
// not reduced) so that a file writes back as it was read.
type Rational struct{ Num, Den int }

// Float is the fraction's value.
func (r Rational) Float() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

func (r Rational) String() string {
	if r.Den == 1 {
		return strconv.Itoa(r.Num)
	}
	return strconv.Itoa(r.Num) + "/" + strconv.Itoa(r.Den)
}

// maxRational bounds numerators and denominators so that sums and
// products of a few of them stay exact in an int.
const maxRational = 1 << 30

func ratFits(x *big.Rat) bool {
	lim := big.NewInt(maxRational)
	return new(big.Int).Abs(x.Num()).Cmp(lim) <= 0 && x.Denom().Cmp(lim) <= 0
}
