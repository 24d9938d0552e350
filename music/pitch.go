package music

import (
	"fmt"
	"sideman/internal/quote"
	"strings"
)

// Step is a letter name, C=0 through B=6.
type Step int8

const (
	C Step = iota
	D
	E
	F
	G
	A
	B
)

var stepLetters = "CDEFGAB"
var stepSemitones = [7]int{0, 2, 4, 5, 7, 9, 11}

func (s Step) String() string { return string(stepLetters[s]) }

// Spelling is a pitch class with its written name: a letter and an
// alteration in semitones (-2 double flat .. +2 double sharp). Eb and D# are
// different spellings of the same pitch class.
type Spelling struct {
	Step  Step
	Alter int8
}

// PitchClass is 0..11, C=0.
func (s Spelling) PitchClass() int {
	return mod12(stepSemitones[s.Step] + int(s.Alter))
}

func (s Spelling) String() string {
	var b strings.Builder
	b.WriteByte(stepLetters[s.Step])
	for i := int8(0); i < s.Alter; i++ {
		b.WriteByte('#')
	}
	for i := s.Alter; i < 0; i++ {
		b.WriteByte('b')
	}
	return b.String()
}

// Transpose spells the note an interval above s (below for negative
// intervals): C transposed by a minor third is Eb, not D#.
func (s Spelling) Transpose(iv Interval) Spelling {
	steps := iv.Steps()
	target := mod7(int(s.Step) + steps)
	want := mod12(s.PitchClass() + iv.Semitones)
	alter := want - stepSemitones[target]
	for alter > 6 {
		alter -= 12
	}
	for alter < -6 {
		alter += 12
	}
	if alter > 2 || alter < -2 {
		// An interval that no letter name can carry (a "second" of 20
		// semitones, from a broken transposition) is respelled plainly.
		return SpellPitchClass(want, alter < 0)
	}
	return Spelling{Step: Step(target), Alter: int8(alter)}
}

// Enharmonic reports whether two spellings sound the same.
func (s Spelling) Enharmonic(t Spelling) bool { return s.PitchClass() == t.PitchClass() }

// ParseSpelling reads a note name at the start of s: a letter A-G (either
// case) followed by accidentals (#, b, ♯, ♭, x for double sharp). It returns
// the spelling and the number of bytes read.
func ParseSpelling(s string) (Spelling, int, error) {
	if s == "" {
		return Spelling{}, 0, fmt.Errorf("empty note name")
	}
	c := s[0]
	if c >= 'a' && c <= 'g' {
		c -= 'a' - 'A'
	}
	i := strings.IndexByte(stepLetters, c)
	if i < 0 {
		return Spelling{}, 0, fmt.Errorf("note name %s does not start with A-G", quote.Input(s))
	}
	sp := Spelling{Step: Step(i)}
	n := 1
	for n < len(s) {
		switch {
		case s[n] == '#':
			sp.Alter++
			n++
		case s[n] == 'b':
			sp.Alter--
			n++
		case strings.HasPrefix(s[n:], "♯"):
			sp.Alter++
			n += len("♯")
		case strings.HasPrefix(s[n:], "♭"):
			sp.Alter--
			n += len("♭")
		default:
			return sp, n, nil
		}
		if sp.Alter > 2 || sp.Alter < -2 {
			return Spelling{}, 0, fmt.Errorf("note name %s has more than two accidentals", quote.Input(s))
		}
	}
	return sp, n, nil
}

// Pitch is a spelled pitch in an octave. Octave 4 holds middle C (MIDI 60).
type Pitch struct {
	Spelling
	Octave int8
}

// MIDI is the MIDI key number (may fall outside 0..127 for extreme pitches).
func (p Pitch) MIDI() int {
	return (int(p.Octave)+1)*12 + stepSemitones[p.Step] + int(p.Alter)
}

func (p Pitch) String() string { return fmt.Sprintf("%s%d", p.Spelling, p.Octave) }

// Transpose moves a pitch by an interval, keeping spelling and octave right.
func (p Pitch) Transpose(iv Interval) Pitch {
	sp := p.Spelling.Transpose(iv)
	steps := int(p.Octave)*7 + int(p.Step) + iv.Steps()
	oct := floorDiv(steps, 7)
	return Pitch{Spelling: sp, Octave: int8(oct)}
}

// ParsePitch reads scientific pitch notation: "C4", "Eb3", "F#-1".
func ParsePitch(s string) (Pitch, error) {
	sp, n, err := ParseSpelling(s)
	if err != nil {
		return Pitch{}, err
	}
	var oct int
	if _, err := fmt.Sscanf(s[n:], "%d", &oct); err != nil || fmt.Sprint(oct) != s[n:] {
		return Pitch{}, fmt.Errorf("pitch %s: want an octave number after the note name", quote.Input(s))
	}
	if oct < -1 || oct > 9 {
		return Pitch{}, fmt.Errorf("pitch %s: octave out of range -1..9", quote.Input(s))
	}
	return Pitch{Spelling: sp, Octave: int8(oct)}, nil
}

// sharpNames and flatNames spell a pitch class without context.
var sharpNames = [12]Spelling{{C, 0}, {C, 1}, {D, 0}, {D, 1}, {E, 0}, {F, 0}, {F, 1}, {G, 0}, {G, 1}, {A, 0}, {A, 1}, {B, 0}}
var flatNames = [12]Spelling{{C, 0}, {D, -1}, {D, 0}, {E, -1}, {E, 0}, {F, 0}, {G, -1}, {G, 0}, {A, -1}, {A, 0}, {B, -1}, {B, 0}}

// SpellPitchClass names a pitch class, with flats when flats is true.
func SpellPitchClass(pc int, flats bool) Spelling {
	if flats {
		return flatNames[mod12(pc)]
	}
	return sharpNames[mod12(pc)]
}

// PitchFromMIDI spells a MIDI key number, with flats when flats is true.
func PitchFromMIDI(key int, flats bool) Pitch {
	sp := SpellPitchClass(key, flats)
	oct := floorDiv(key, 12) - 1
	// B#, Cb cross octave boundaries; SpellPitchClass never returns them.
	return Pitch{Spelling: sp, Octave: int8(oct)}
}

func mod12(x int) int { return ((x % 12) + 12) % 12 }
func mod7(x int) int  { return ((x % 7) + 7) % 7 }
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
