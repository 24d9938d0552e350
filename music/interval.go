package music

import "fmt"

// Interval is a spelled interval: a generic size (1 = unison, 3 = third,
// 9 = ninth; negative for descending) and the number of semitones. A minor
// third (3, 3) and an augmented second (2, 3) sound alike but are spelled
// differently.
type Interval struct {
	Number    int
	Semitones int
}

// Steps is the number of letter-name steps the interval spans (a third spans 2).
func (iv Interval) Steps() int {
	if iv.Number < 0 {
		return iv.Number + 1
	}
	return iv.Number - 1
}

// Common intervals, ascending.
var (
	Unison        = Interval{1, 0}
	MinorSecond   = Interval{2, 1}
	MajorSecond   = Interval{2, 2}
	MinorThird    = Interval{3, 3}
	MajorThird    = Interval{3, 4}
	PerfectFourth = Interval{4, 5}
	Tritone       = Interval{4, 6} // augmented fourth
	DimFifth      = Interval{5, 6}
	PerfectFifth  = Interval{5, 7}
	AugFifth      = Interval{5, 8}
	MinorSixth    = Interval{6, 8}
	MajorSixth    = Interval{6, 9}
	DimSeventh    = Interval{7, 9}
	MinorSeventh  = Interval{7, 10}
	MajorSeventh  = Interval{7, 11}
	Octave        = Interval{8, 12}
)

// perfectClass reports whether the simple interval of this number is perfect (1, 4, 5).
func perfectClass(number int) bool {
	n := (abs(number)-1)%7 + 1
	return n == 1 || n == 4 || n == 5
}

// majorOrPerfect is the semitone size of the major or perfect interval of a number.
func majorOrPerfect(number int) int {
	n := abs(number) - 1
	return (n/7)*12 + stepSemitones[n%7]
}

// Degree builds the interval of a chord or scale degree with an alteration:
// Degree(9, -1) is a flat ninth, Degree(5, +1) an augmented fifth,
// Degree(7, -1) a minor seventh.
func Degree(number, alter int) Interval {
	return Interval{Number: number, Semitones: majorOrPerfect(number) + alter}
}

// Quality names the interval's quality: P, M, m, A, d (AA, dd beyond).
func (iv Interval) Quality() string {
	d := abs(iv.Semitones) - majorOrPerfect(iv.Number)
	if perfectClass(iv.Number) {
		switch {
		case d == 0:
			return "P"
		case d > 0:
			return repeat("A", d)
		default:
			return repeat("d", -d)
		}
	}
	switch {
	case d == 0:
		return "M"
	case d == -1:
		return "m"
	case d > 0:
		return repeat("A", d)
	default:
		return repeat("d", -d-1)
	}
}

// String is the interval in the usual short form: m3, P5, A4, M9, -m2.
func (iv Interval) String() string {
	sign := ""
	if iv.Number < 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%s%d", sign, iv.Quality(), abs(iv.Number))
}

// Between is the ascending spelled interval from a up to b (within an octave
// when b's octave is the same or next).
func Between(a, b Pitch) Interval {
	steps := (int(b.Octave)*7 + int(b.Step)) - (int(a.Octave)*7 + int(a.Step))
	semis := b.MIDI() - a.MIDI()
	if steps < 0 {
		return Interval{Number: steps - 1, Semitones: semis}
	}
	return Interval{Number: steps + 1, Semitones: semis}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

// lowIntervalLimits is the table behind LowIntervalLimit, by semitones.
var lowIntervalLimits = [12]int{1: 52, 2: 51, 3: 48, 4: 46, 5: 45, 6: 47, 7: 34, 8: 43, 9: 41, 10: 41, 11: 41}

// LowIntervalLimit returns the lowest MIDI key the lower note of an
// interval of 1 to 11 semitones may sit on before the interval turns to
// mud; 0 for other sizes. The table is the "low interval limits" taught in
// Berklee harmony (as given in Pilhofer & Day, Music Theory for Dummies,
// and in Berklee's arranging texts): minor 2nd E3, major 2nd Eb3, minor
// 3rd C3, major 3rd Bb2, perfect 4th A2, tritone B2, perfect 5th Bb1,
// minor 6th G2, major 6th F2, minor and major 7th F2. Unisons, octaves and
// compound intervals have no limit in the table.
func LowIntervalLimit(semitones int) int {
	if semitones < 1 || semitones > 11 {
		return 0
	}
	return lowIntervalLimits[semitones]
}
