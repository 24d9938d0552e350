package music

import (
	"fmt"
	"sideman/internal/quote"
	"strings"
)

// Mode of a key.
type Mode int8

const (
	Major Mode = iota
	Minor
	Dorian
	Phrygian
	Lydian
	Mixolydian
	Locrian
)

var modeNames = [...]string{"major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian"}

// modeOffset is the distance in semitones (and letter steps) from the
// mode's tonic down to its relative major tonic.
var modeOffset = [...]struct{ semis, steps int }{{0, 0}, {9, 5}, {2, 1}, {4, 2}, {5, 3}, {7, 4}, {11, 6}}

func (m Mode) String() string { return modeNames[m] }

// Key is a tonic and a mode.
type Key struct {
	Tonic Spelling
	Mode  Mode
}

// DefaultKey is used when a chart gives none: C major. Decoders keep the
// fact that the key was missing (Chart.Key is nil) so it can be reported.
var DefaultKey = Key{Tonic: Spelling{C, 0}, Mode: Major}

// String writes the key as "Eb major", "F# minor".
func (k Key) String() string { return k.Tonic.String() + " " + k.Mode.String() }

// Short writes the key as chord-chart writers do: "Eb", "F#m", "D dorian".
func (k Key) Short() string {
	switch k.Mode {
	case Major:
		return k.Tonic.String()
	case Minor:
		return k.Tonic.String() + "m"
	}
	return k.Tonic.String() + " " + k.Mode.String()
}

// Fifths is the number of sharps (positive) or flats (negative) in the key
// signature, as in a MIDI key signature event.
func (k Key) Fifths() int {
	major := k.Tonic.Transpose(Interval{Number: -(modeOffset[k.Mode].steps + 1), Semitones: -modeOffset[k.Mode].semis})
	if modeOffset[k.Mode].steps == 0 {
		major = k.Tonic
	}
	// Position of the letter on the circle of fifths from C, then alterations.
	letterFifths := [7]int{0, 2, 4, -1, 1, 3, 5}
	return letterFifths[major.Step] + 7*int(major.Alter)
}

// KeyFromFifths is the inverse of Fifths for major and minor keys.
func KeyFromFifths(fifths int, minor bool) Key {
	// Walk the circle of fifths from C (or A for minor).
	t := Spelling{C, 0}
	if minor {
		t = Spelling{A, 0}
	}
	for i := 0; i < fifths; i++ {
		t = t.Transpose(PerfectFifth)
	}
	for i := 0; i > fifths; i-- {
		t = t.Transpose(PerfectFourth)
	}
	k := Key{Tonic: t, Mode: Major}
	if minor {
		k.Mode = Minor
	}
	return k
}

// UsesFlats reports whether notes in this key are better spelled with flats.
func (k Key) UsesFlats() bool { return k.Fifths() < 0 }

// ParseKey reads "C", "Eb", "F#m", "Bb-", "D minor", "G dorian", "Ab major".
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	sp, n, err := ParseSpelling(s)
	if err != nil {
		return Key{}, fmt.Errorf("key %s: %v", quote.Input(s), err)
	}
	if sp.Alter < -1 || sp.Alter > 1 {
		return Key{}, fmt.Errorf("key %s: double accidentals are not a key", quote.Input(s))
	}
	rest := strings.TrimSpace(s[n:])
	mode, ok := ParseMode(rest)
	if !ok {
		return Key{}, fmt.Errorf("key %s: unknown mode %s", quote.Input(s), quote.Input(rest))
	}
	k := Key{Tonic: sp, Mode: mode}
	return k, nil
}

// ParseMode reads a mode name: "" or "major", "minor" (also "m", "-",
// "min", "aeolian"), or a church mode by name or by its first three
// letters ("dor", "phr", "phry", "lyd", "mix", "loc", "ion", "aeo"),
// ignoring case.
func ParseMode(s string) (Mode, bool) {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "", "maj", "major", "ion", "ionian":
		return Major, true
	case "m", "-", "min", "minor", "aeo", "aeolian":
		return Minor, true
	case "phry":
		return Phrygian, true
	}
	for i, name := range modeNames {
		if s == name || (len(s) == 3 && strings.HasPrefix(name, s)) {
			return Mode(i), true
		}
	}
	return Major, false
}
