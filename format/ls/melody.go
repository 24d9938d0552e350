package ls

import (
	"errors"
	"fmt"

	"sideman/internal/quote"
)

// Impro-Visor counts time in slots, 480 to a whole note; a sideman tick is
// an eighth of a slot. Durations are worked out in slots with Impro-Visor's
// integer arithmetic, so notes fall where Impro-Visor puts them even for
// tuplets that do not divide a slot (a septuplet eighth is 51 slots there).
const (
	slotsPerWhole = 480
	ticksPerSlot  = 8
	// defaultSlots is the length of a note written without one: an eighth.
	defaultSlots = 60
)

var (
	errZeroLength = errors.New("note of zero length")
	errDuration   = errors.New("bad duration")
)

// element is one melody token: a note (pitch 0..127), a rest (pitch -1) or
// a volume change (pitch -2, the volume in slots). Leadsheets hold many
// thousands of them, so they are kept small.
type element struct {
	pitch int16
	slots int32
	off   int32 // of the token in the input
}

const (
	restPitch   = -1
	volumePitch = -2
)

// pitchSemis are the semitones of the letters a..g above c.
var pitchSemis = [7]int{9, 11, 0, 2, 4, 5, 7}

// parseMelody reads a note or rest ("bb4", "f+8", "r8", "c8/3", "e-2.",
// "g#+4+8") or a volume change ("v90").
//
// A note is a letter a-g; then "#", "b" or "s" (sharp) for one accidental;
// then "+" or "u" for each octave up and "-" for each octave down from the
// octave of middle C (c is MIDI 60, b is 71); then a duration. The pitch
// is Impro-Visor's: the pitch class in 0..11 plus the octave, so "b#" is
// middle C and "cb" the B above it, as Impro-Visor writes them.
func parseMelody(s string) (element, error) {
	e := element{pitch: restPitch}
	c := lower(s[0])
	i := 1
	switch {
	case c == 'v':
		v, n := digits(s[1:])
		if n == 0 || 1+n != len(s) {
			return e, fmt.Errorf("volume %s: want v and a number", quote.Input(s))
		}
		e.pitch, e.slots = volumePitch, int32(max(min(v, 127), 1))
		return e, nil
	case c == 'r':
	case c >= 'a' && c <= 'g':
		semis := pitchSemis[c-'a']
		if i < len(s) {
			switch lower(s[i]) {
			case '#', 's':
				semis++
				i++
			case 'b':
				semis--
				i++
			}
		}
		semis = (semis + 12) % 12
		oct := 0
	octave:
		for ; i < len(s); i++ {
			switch lower(s[i]) {
			case '+', 'u':
				oct++
			case '-':
				oct--
			default:
				break octave
			}
		}
		p := 60 + 12*oct + semis
		if p < 0 || p > 127 {
			return e, fmt.Errorf("note %s: pitch %d is outside MIDI 0..127", quote.Input(s), p)
		}
		e.pitch = int16(p)
	default:
		return e, fmt.Errorf("%s is not a note, rest or volume", quote.Input(s))
	}
	slots, err := parseDuration(s[i:])
	if err != nil {
		return e, fmt.Errorf("note %s: %w", quote.Input(s), err)
	}
	e.slots = int32(slots)
	return e, nil
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// maxNumber bounds the numbers of a duration so the arithmetic cannot
// overflow; real durations use 1 to 480.
const maxNumber = 1 << 20

// digits reads a decimal number at the start of s, returning its value and
// length; values over maxNumber read as maxNumber+1.
func digits(s string) (v, n int) {
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		if v <= maxNumber {
			v = v*10 + int(s[n]-'0')
		}
		n++
	}
	return v, n
}

// parseDuration reads a duration in slots as Impro-Visor's
// Duration.getDuration does: terms joined by "+" (or "u"), each a note
// value (1 whole, 2 half, 4 quarter, ... 480 a slot; none means 8), an
// optional tuplet "/n" that fits n notes into the time of n-1, and dots.
// "2.+8/3+32" is a dotted half, an eighth-note triplet and a 32nd. No
// duration at all is an eighth. Impro-Visor ignores what it cannot read
// after a duration; here that is an error, so typing mistakes show.
func parseDuration(s string) (int, error) {
	if s == "" {
		return defaultSlots, nil
	}
	if s[0] < '0' || s[0] > '9' {
		return 0, fmt.Errorf("%w %s", errDuration, quote.Input(s))
	}
	if v, n := digits(s); n == len(s) && v == 0 {
		return 0, errZeroLength
	}
	total := 0
	for i, first := 0, true; i < len(s); first = false {
		if !first {
			if s[i] != '+' && s[i] != 'u' {
				return 0, fmt.Errorf("%w %s: unexpected %s", errDuration, quote.Input(s), quote.Input(s[i:]))
			}
			i++
		}
		num, n := digits(s[i:])
		i += n
		if n == 0 {
			num = 8
		}
		if num == 0 || num > maxNumber {
			return 0, fmt.Errorf("%w %s: note value %d", errDuration, quote.Input(s), num)
		}
		slots, den := slotsPerWhole, 1
		if i < len(s) && s[i] == '/' {
			i++
			d, n := digits(s[i:])
			if n == 0 || d == 0 || d > maxNumber {
				return 0, fmt.Errorf("%w %s: want a tuplet number after /", errDuration, quote.Input(s))
			}
			i += n
			den = d
		}
		if den > 1 {
			slots *= den - 1
		}
		term := slots / (num * den)
		for inc := term; i < len(s) && s[i] == '.'; i++ {
			inc /= 2
			term += inc
		}
		total += term
		if total > maxNumber {
			return 0, fmt.Errorf("%w %s: too long", errDuration, quote.Input(s))
		}
	}
	if total <= 0 {
		// Impro-Visor's rule for values shorter than a slot ("c960").
		total = defaultSlots
	}
	return total, nil
}
