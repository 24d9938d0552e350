package music

import (
	"fmt"
	"sideman/internal/quote"
	"strconv"
	"strings"
)

// Meter is a time signature, with the grouping a player feels in it.
//
// Meter stays comparable (it is compared with == and kept in maps across
// the code), so the grouping is held in its written form rather than as a
// slice.
type Meter struct {
	Num, Den int
	// Groups is how the bar's Num units group, as written after the
	// meter: "4+3" in 7/4, "2+2+3" in 7/8, the sizes in units of the
	// denominator joined by "+", summing to Num. Empty means the meter's
	// default (DefaultGroups); readers of formats that cannot say
	// (iReal, MusicXML, MIDI) leave it empty.
	Groups string
}

// DefaultMeter is used when a chart or file gives none: 4/4.
var DefaultMeter = Meter{Num: 4, Den: 4}

// String writes "7/4", or "7/4 (4+3)" with a grouping.
func (m Meter) String() string {
	if m.Groups != "" {
		return fmt.Sprintf("%d/%d (%s)", m.Num, m.Den, m.Groups)
	}
	return fmt.Sprintf("%d/%d", m.Num, m.Den)
}

// Valid reports whether the meter can be played: 1..32 beats of a power-of-two
// note value from a whole to a 64th, and a grouping, if any, that adds up
// to the bar.
func (m Meter) Valid() bool {
	if m.Num < 1 || m.Num > 32 {
		return false
	}
	switch m.Den {
	case 1, 2, 4, 8, 16, 32, 64:
	default:
		return false
	}
	if m.Groups == "" {
		return true
	}
	g, err := parseGroups(m.Groups)
	return err == nil && groupSum(g) == m.Num && joinGroups(g) == m.Groups
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

// Grouping is the size of each group in denominator units: Groups as
// written, or DefaultGroups when none is.
func (m Meter) Grouping() []int {
	if m.Groups != "" {
		if g, err := parseGroups(m.Groups); err == nil && groupSum(g) == m.Num {
			return g
		}
	}
	return DefaultGroups(m.Num, m.Den)
}

// GroupStarts is where each group begins, in ticks from the start of the
// bar: 0 and 4 quarters in 7/4 (4+3), 0, 2 and 4 eighths in 7/8 (2+2+3).
func (m Meter) GroupStarts() []Ticks {
	g := m.Grouping()
	starts := make([]Ticks, len(g))
	at := 0
	for i, n := range g {
		starts[i] = Ticks(at) * m.UnitTicks()
		at += n
	}
	return starts
}

// GroupStart reports whether a group begins at offset (ticks from the
// start of the bar): a strong beat for a player who reads the grouping.
func (m Meter) GroupStart(offset Ticks) bool {
	for _, s := range m.GroupStarts() {
		if s == offset {
			return true
		}
	}
	return false
}

// Recount gives the same bar counted in units of 1/den, a written
// grouping scaled with it: 3/2 (2+1) is 6/4 (4+2). A bar with no grouping
// written takes the new count's default (2/2 is 4/4, 2+2). The counts
// must stay whole and the result valid; otherwise m is returned as it is.
func (m Meter) Recount(den int) Meter {
	if den == m.Den || den <= 0 || m.Num*den%m.Den != 0 {
		return m
	}
	r := Meter{Num: m.Num * den / m.Den, Den: den}
	if m.Groups != "" {
		g := m.Grouping()
		for i := range g {
			if g[i]*den%m.Den != 0 {
				return m
			}
			g[i] = g[i] * den / m.Den
		}
		r.Groups = joinGroups(g)
	}
	if !r.Valid() {
		return m
	}
	return r
}

// DefaultGroups is the grouping a player assumes when a chart writes none,
// in units of the denominator. Each rule is the reading most players
// give the meter:
//
//   - compound meters (6/8, 9/8, 12/8) are dotted-quarter beats, threes:
//     the meaning of compound time;
//   - up to three units (2/4, 3/4, 3/8) are one group: the bar is the group;
//   - an even count of quarters or halves (4/4, 6/4) pairs them: 4/4 is
//     2+2, strong 1 and 3 with the backbeat on 2 and 4, and a 6/4 bar in
//     a 4/4 tune is a 4/4 bar stretched by two beats;
//   - 5/4 is 3+2: Paul Desmond's "Take Five", the 5/4 most players know,
//     and the piano vamp Brubeck's band plays over it;
//   - 7/4 is 4+3: a 4/4 bar and a 3/4 bar, as in Pink Floyd's "Money" and
//     Peter Gabriel's "Solsbury Hill"; longer odd quarter meters go on
//     in fours, a leftover pair next and the three last (9/4 4+2+3, 11/4
//     4+4+3), so each reads as 4/4 bars closed by a 3/4;
//   - 7/8 is 2+2+3: the short-short-long of the Bulgarian rachenitsa and
//     most rock and fusion 7/8, the long group closing the bar;
//   - other eighth meters take as many threes as fit, the twos after
//     (5/8 3+2, 8/8 3+3+2, 10/8 3+3+2+2, 11/8 3+3+3+2): dotted quarters
//     with a short beat at the end, the 3+3+2 of the tresillo and the
//     11/8 of Balkan kopanitsa-style and progressive-rock writing.
func DefaultGroups(num, den int) []int {
	m := Meter{Num: num, Den: den}
	switch {
	case num < 1:
		return nil
	case m.Compound():
		return groupsOf(3, num/3)
	case num <= 3:
		return []int{num}
	case den <= 4 && num%2 == 0:
		return groupsOf(2, num/2)
	case den <= 4 && num == 5:
		return []int{3, 2}
	case den <= 4:
		// odd, seven or more: fours, a pair if one is left over, then three
		g := groupsOf(4, (num-3)/4)
		if (num-3)%4 == 2 {
			g = append(g, 2)
		}
		return append(g, 3)
	case num == 7:
		return []int{2, 2, 3}
	case num == 4:
		return []int{2, 2}
	default:
		threes := num / 3
		for (num-3*threes)%2 != 0 {
			threes--
		}
		return append(groupsOf(3, threes), groupsOf(2, (num-3*threes)/2)...)
	}
}

func groupsOf(n, times int) []int {
	g := make([]int, times)
	for i := range g {
		g[i] = n
	}
	return g
}

func groupSum(g []int) int {
	s := 0
	for _, n := range g {
		s += n
	}
	return s
}

func joinGroups(g []int) string {
	parts := make([]string, len(g))
	for i, n := range g {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "+")
}

// parseGroups reads "4+3" (spaces allowed around the signs).
func parseGroups(s string) ([]int, error) {
	var g []int
	for _, f := range strings.Split(s, "+") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 32 {
			return nil, fmt.Errorf("grouping %s: want sizes like 4+3", quote.Input(s))
		}
		g = append(g, n)
	}
	return g, nil
}

// ParseMeter reads "3/4", "6/8", "C" (common time) or "C|" (cut time),
// with a grouping after the meter in parentheses, "7/4 (4+3)" or
// "7/8(2+2+3)", or as an additive numerator, "2+2+3/8" or "(2+2+3)/8".
func ParseMeter(s string) (Meter, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "C":
		return Meter{Num: 4, Den: 4}, nil
	case "C|":
		return Meter{Num: 2, Den: 2}, nil
	}
	bad := func() (Meter, error) {
		return Meter{}, fmt.Errorf("meter %s: want 1-32 beats over 1, 2, 4, 8, 16, 32 or 64, grouped like 7/4 (4+3)", quote.Input(s))
	}
	body, groups := s, ""
	if i := strings.IndexByte(s, '('); i > 0 {
		if !strings.HasSuffix(s, ")") || strings.TrimSpace(s[i+1:len(s)-1]) == "" {
			return bad()
		}
		body, groups = strings.TrimSpace(s[:i]), s[i+1:len(s)-1]
	}
	num, den, ok := strings.Cut(body, "/")
	if !ok {
		return Meter{}, fmt.Errorf("meter %s: want N/D", quote.Input(s))
	}
	num = strings.TrimSpace(num)
	if strings.HasPrefix(num, "(") && strings.HasSuffix(num, ")") {
		num = num[1 : len(num)-1]
	}
	if strings.Contains(num, "+") {
		if groups != "" {
			return bad()
		}
		groups = num
	}
	d, err := strconv.Atoi(strings.TrimSpace(den))
	if err != nil {
		return bad()
	}
	m := Meter{Den: d}
	if groups != "" {
		g, err := parseGroups(groups)
		if err != nil {
			return bad()
		}
		m.Num, m.Groups = groupSum(g), joinGroups(g)
		if num != groups {
			if n, err := strconv.Atoi(num); err != nil || n != m.Num {
				return Meter{}, fmt.Errorf("meter %s: the groups add up to %d, not %s", quote.Input(s), m.Num, num)
			}
		}
	} else if m.Num, err = strconv.Atoi(num); err != nil {
		return bad()
	}
	if !m.Valid() {
		return bad()
	}
	return m, nil
}
