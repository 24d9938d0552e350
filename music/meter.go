package music

import (
	"fmt"
	"strconv"
	"strings"
)

// Meter is a time signature.
type Meter struct {
	Num, Den int
}

// DefaultMeter is used when a chart or file gives none: 4/4.
var DefaultMeter = Meter{4, 4}

func (m Meter) String() string { return fmt.Sprintf("%d/%d", m.Num, m.Den) }

// Valid reports whether the meter can be played: 1..32 beats of a power-of-two
// note value from a whole to a 64th.
func (m Meter) Valid() bool {
	if m.Num < 1 || m.Num > 32 {
		return false
	}
	switch m.Den {
	case 1, 2, 4, 8, 16, 32, 64:
		return true
	}
	return false
}

// Compound reports whether the meter groups its beats in threes (6/8, 9/8, 12/8).
func (m Meter) Compound() bool { return m.Den >= 8 && m.Num > 3 && m.Num%3 == 0 }

// UnitTicks is the length of one denominator unit (an eighth in 6/8).
func (m Meter) UnitTicks() Ticks { return Ticks(4*PPQ) / Ticks(m.Den) }

// BarTicks is the length of a bar.
func (m Meter) BarTicks() Ticks { return Ticks(m.Num) * m.UnitTicks() }

// Beats is the number of felt beats a bar: 4 in 4/4, 2 in 6/8, 4 in 12/8, 5 in 5/4.
func (m Meter) Beats() int {
	if m.Compound() {
		return m.Num / 3
	}
	return m.Num
}

// BeatTicks is the length of a felt beat: a dotted quarter in 6/8.
func (m Meter) BeatTicks() Ticks { return m.BarTicks() / Ticks(m.Beats()) }

// ParseMeter reads "3/4", "6/8", "C" (common time) or "C|" (cut time).
func ParseMeter(s string) (Meter, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "C":
		return Meter{4, 4}, nil
	case "C|":
		return Meter{2, 2}, nil
	}
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return Meter{}, fmt.Errorf("meter %q: want N/D", s)
	}
	n, err1 := strconv.Atoi(strings.TrimSpace(num))
	d, err2 := strconv.Atoi(strings.TrimSpace(den))
	m := Meter{n, d}
	if err1 != nil || err2 != nil || !m.Valid() {
		return Meter{}, fmt.Errorf("meter %q: want 1-32 beats over 1, 2, 4, 8, 16, 32 or 64", s)
	}
	return m, nil
}
