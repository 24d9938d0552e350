package music

import (
	"fmt"
	"sideman/internal/quote"
	"slices"
	"sort"
	"strings"
)

// Chord is a chord symbol: a root, a quality built from stacked degrees,
// alterations, added and omitted tones, and an optional slash bass. The zero
// Chord is not valid; N.C. (no chord) is a Chord with NoChord set.
//
// The parser reads the notations found in real charts: standard ("Cmaj7",
// "Fm7b5", "Bb7(#9,b13)"), iReal Pro's ("C^7", "F-7", "Bh7", "Co7"), and
// lead-sheet symbols ("CΔ7", "Cø", "C°7", "C-7", "C7+", "C6/9").
type Chord struct {
	// Symbol is the text as written in the source.
	Symbol  string
	NoChord bool
	Root    Spelling
	// Bass is the slash bass ("/G"); HasBass is false for a root-position chord.
	Bass    Spelling
	HasBass bool

	// Third is 4 (major), 3 (minor) or 0 (none: sus or power chord).
	Third int8
	// Sus is 2 or 4 when the third is replaced by a second or fourth.
	Sus int8
	// Fifth is the fifth in semitones: 7, 6 (flat five) or 8 (augmented), 0 when omitted.
	Fifth int8
	// Seventh is 10 (minor 7th), 11 (major 7th), 9 (diminished 7th) or 0.
	Seventh int8
	// Sixth is set for 6 and 6/9 chords (a major sixth over the triad).
	Sixth bool
	// Ext is the highest stacked natural extension: 0, 9, 11 or 13.
	Ext int8
	// Alt marks "alt" (an altered dominant: b9, #9, b5, b13).
	Alt bool
	// Alterations are altered extensions or added tones (b9, #11, add9,
	// b6 in "mb6"), as degrees with their alteration.
	Alterations []Interval
	// Omit lists omitted degrees (3 or 5).
	Omit []int
}

// NC is the no-chord symbol.
var NC = Chord{Symbol: "N.C.", NoChord: true}

// ParseChord reads a chord symbol. It accepts "N.C.", "NC" and "n" for no
// chord.
func ParseChord(sym string) (Chord, error) {
	s := strings.TrimSpace(sym)
	switch s {
	case "N.C.", "NC", "N.C", "n", "N", "nc":
		c := NC
		c.Symbol = s
		return c, nil
	}
	if s == "" {
		return Chord{}, fmt.Errorf("chord: empty symbol")
	}
	root, n, err := ParseSpelling(s)
	if err != nil || (s[0] >= 'a' && s[0] <= 'g') {
		return Chord{}, fmt.Errorf("chord %s: want a root A-G", quote.Input(sym))
	}
	c := Chord{Symbol: sym, Root: root, Third: 4, Fifth: 7}
	rest := s[n:]
	// A slash bass is the last "/X" where X is a note name ("m/maj7" is not a bass).
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		if b, m, err := ParseSpelling(rest[i+1:]); err == nil && m == len(rest)-i-1 && rest[i+1] >= 'A' && rest[i+1] <= 'G' {
			c.Bass, c.HasBass = b, true
			rest = rest[:i]
		}
	}
	if err := c.parseQuality(rest); err != nil {
		return Chord{}, fmt.Errorf("chord %s: %v", quote.Input(sym), err)
	}
	return c, nil
}

// MustParseChord is ParseChord for symbols known to be good (tests, tables).
func MustParseChord(sym string) Chord {
	c, err := ParseChord(sym)
	if err != nil {
		panic(err)
	}
	return c
}

// quality tokens, longest first within each group.
var (
	majTokens = []string{"maj", "Maj", "MAJ", "ma", "Ma", "M", "^", "Δ", "△", "j"}
	minTokens = []string{"min", "mi", "m", "-"}
	// "0" is JazzStandards.json's diminished sign: "C07" is Cdim7 and "C0"
	// Cdim, not half-diminished (that collection writes "Cm7b5", 2,081
	// times). Evidence: the same tunes in the iReal Pro jazz playlist, which
	// writes o7 for diminished and h7 for half-diminished. Of the "X07" in
	// tunes found in both, 1,024 fall on a root that iReal writes only
	// diminished there and 3 on one it writes only half-diminished (e.g.
	// "A Ballad": Gb07 is iReal's Gbo7; "A Fine Romance": C#07 and D#07 are
	// C#o7 and D#o7); "X0" is iReal's diminished 64 times and its
	// half-diminished never. TestZeroMeansDiminished keeps the count.
	dimTokens   = []string{"dim", "o", "°", "0"}
	halfTokens  = []string{"ø", "Ø", "h"}
	augTokens   = []string{"aug", "+"}
	ignoreChars = " (),"
)

// majorToken reads a major-seventh token at the start of q, but not the
// "m" of "mi(n)", "maug" or "madd", which are minor.
func majorToken(q string) (string, bool) {
	if strings.HasPrefix(q, "mi") || strings.HasPrefix(q, "mau") || strings.HasPrefix(q, "madd") {
		return "", false
	}
	return hasPrefixAny(q, majTokens)
}

func hasPrefixAny(s string, toks []string) (string, bool) {
	for _, t := range toks {
		if strings.HasPrefix(s, t) {
			return t, true
		}
	}
	return "", false
}

func (c *Chord) parseQuality(q string) error {
	// The opening quality: minor, diminished, half-diminished, augmented.
	majSeventh := false // "maj" or "^" seen: a following 7/9/11/13 has a major 7th
	// "Δ" alone means maj7 on lead sheets; iReal's "^" alone is a major
	// triad (its quality list has "^" beside "-" and "sus", and "^7" apart;
	// the JazzStandards export of the same charts writes a triad).
	triangle := false
	if t, ok := majorToken(q); ok {
		q = q[len(t):]
		majSeventh = true
		triangle = t == "Δ" || t == "△"
	} else if t, ok := hasPrefixAny(q, minTokens); ok && !strings.HasPrefix(q, "maj") {
		q = q[len(t):]
		c.Third = 3
	} else if t, ok := hasPrefixAny(q, halfTokens); ok {
		q = q[len(t):]
		c.Third, c.Fifth, c.Seventh = 3, 6, 10
		q = strings.TrimPrefix(q, "7")
	} else if t, ok := hasPrefixAny(q, dimTokens); ok {
		q = q[len(t):]
		c.Third, c.Fifth = 3, 6
		if strings.HasPrefix(q, "7") {
			c.Seventh = 9
			q = q[1:]
		}
	}
	if c.Third == 3 && c.Seventh == 0 {
		// minor-major and diminished-major: "m/maj7", "m(maj7)", "mM7", "-^7", "o^7"
		r := strings.TrimPrefix(strings.TrimPrefix(q, "/"), "(")
		if t, ok := majorToken(r); ok {
			q = r[len(t):]
			majSeventh = true
			triangle = t == "^" || t == "Δ" || t == "△" // "-^" can only mean m(maj7)
		}
	}
	// An opening "+" is augmented whatever follows: "C+7" is C7#5 and "C+9"
	// C9#5 (Impro-Visor, tonal). A "+" after the seventh alters a degree
	// ("C7+9"); a final one raises the fifth ("C7+").
	if t, ok := hasPrefixAny(q, augTokens); ok {
		q = q[len(t):]
		c.Fifth = 8
	}
	if majSeventh && triangle && (q == "" || !isDigit(q[0])) {
		c.Seventh = 11
	}
	for q != "" {
		if strings.ContainsRune(ignoreChars, rune(q[0])) {
			q = q[1:]
			continue
		}
		switch {
		case strings.HasPrefix(q, "alt"):
			c.Alt = true
			if c.Seventh == 0 {
				c.Seventh = 10
			}
			q = q[3:]
		case strings.HasPrefix(q, "sus"):
			q = q[3:]
			c.Third, c.Sus = 0, 4
			switch {
			case strings.HasPrefix(q, "24") || strings.HasPrefix(q, "42"):
				// Impro-Visor's "sus24": both the second and the fourth.
				c.Alterations = append(c.Alterations, MajorSecond)
				q = q[2:]
			case strings.HasPrefix(q, "2"):
				c.Sus, q = 2, q[1:]
			case strings.HasPrefix(q, "4"):
				q = q[1:]
			}
		case strings.HasPrefix(q, "add"):
			q = q[3:]
			deg, alter, m := readDegree(q)
			if m == 0 {
				return fmt.Errorf("add without a degree")
			}
			q = q[m:]
			if deg == 3 && c.Sus != 0 {
				c.Third = 4 // iReal's 7susadd3: the fourth and the third
				continue
			}
			if deg == 1 || deg == 3 || deg == 5 {
				// A chord's own degrees are not added ("addb1" is no chord).
				return fmt.Errorf("cannot add degree %d", deg)
			}
			c.Alterations = append(c.Alterations, Degree(deg, alter))
		case strings.HasPrefix(q, "omit") || strings.HasPrefix(q, "no"):
			if q[0] == 'o' {
				q = q[4:]
			} else {
				q = q[2:]
			}
			deg, _, m := readDegree(q)
			if m == 0 || (deg != 3 && deg != 5 && deg != 1) {
				return fmt.Errorf("omit needs 1, 3 or 5")
			}
			q = q[m:]
			c.Omit = append(c.Omit, deg)
		case q == "+":
			c.Fifth, q = 8, "" // "C7+": augmented fifth
		case q[0] == 'b' || q[0] == '#' || q[0] == '+' || (q[0] == '-' && len(q) > 1 && isDigit(q[1])) ||
			strings.HasPrefix(q, "♭") || strings.HasPrefix(q, "♯"):
			deg, alter, m := readDegree(q)
			if m == 0 || alter == 0 {
				return fmt.Errorf("alteration %s needs a degree", quote.Input(q))
			}
			q = q[m:]
			switch deg {
			case 5:
				if alter < -1 || alter > 1 {
					return fmt.Errorf("cannot alter the fifth by %d", alter)
				}
				c.Fifth = int8(7 + alter)
			case 7:
				// "bb7": a diminished seventh written as an alteration.
				if alter < -2 || alter > -1 {
					return fmt.Errorf("cannot alter the seventh by %d", alter)
				}
				c.Seventh = int8(11 + alter)
			case 9, 11, 13, 6:
				if (deg == 9 || deg == 13) && c.Seventh == 0 && c.Ext == 0 && !c.Sixth && c.Third != 3 {
					// An altered ninth or thirteenth implies the dominant
					// seventh: "Csusb9" is C7sus4b9 (Impro-Visor's
					// vocabulary). An added one is written "add".
					c.Seventh = 10
				}
				c.Alterations = append(c.Alterations, Degree(deg, alter))
			default:
				return fmt.Errorf("cannot alter degree %d", deg)
			}
		case isDigit(q[0]):
			deg, _, m := readDegree(q)
			q = q[m:]
			switch deg {
			case 5:
				if c.Third == 4 && c.Seventh == 0 && !c.Sixth && c.Fifth == 7 && !majSeventh {
					c.Third = 0 // power chord
				}
			case 6:
				c.Sixth = true
				if strings.HasPrefix(q, "9") || strings.HasPrefix(q, "/9") {
					q = strings.TrimPrefix(strings.TrimPrefix(q, "/"), "9")
					c.Alterations = append(c.Alterations, Degree(9, 0))
				}
			case 2:
				c.Alterations = append(c.Alterations, Degree(9, 0))
			case 4:
				c.Third, c.Sus = 0, 4
			case 7, 9, 11, 13:
				if c.Seventh == 0 || (c.Seventh == 10 && majSeventh) {
					switch {
					case majSeventh:
						c.Seventh = 11
					case c.Seventh == 0 && c.Fifth == 6 && c.Third == 3 && c.Symbol != "" && isDimOnly(c):
						c.Seventh = 9
					default:
						c.Seventh = 10
					}
				}
				if deg > 7 {
					if c.Ext != 0 && int(c.Ext) != deg {
						return fmt.Errorf("two extensions %d and %d", c.Ext, deg)
					}
					c.Ext = int8(deg)
				}
			default:
				return fmt.Errorf("unknown degree %d", deg)
			}
		default:
			if t, ok := majorToken(q); ok && c.Seventh == 9 && strings.HasPrefix(q[len(t):], "7") {
				// "o7M7": a diminished seventh chord with the major
				// seventh added (Impro-Visor, tonal).
				c.Alterations = append(c.Alterations, MajorSeventh)
				q = q[len(t)+1:]
				continue
			}
			return fmt.Errorf("unknown chord quality at %s", quote.Input(q))
		}
	}
	if c.Ext == 11 && c.Third == 4 && c.Sus == 0 && c.Seventh == 10 && !slices.Contains(c.Omit, 3) &&
		!slices.ContainsFunc(c.Alterations, func(a Interval) bool { return a.Number == 11 }) {
		// A dominant eleventh leaves out the major third, a minor ninth
		// below the eleventh: C11 is played as C9sus4 (Bb/C), as iReal Pro
		// and tonal voice it (Levine, The Jazz Theory Book, ch. 2 on sus
		// chords).
		c.Third, c.Sus, c.Ext = 0, 4, 9
	}
	return nil
}

// isDimOnly reports whether the chord so far is a plain diminished triad.
func isDimOnly(c *Chord) bool { return c.Third == 3 && c.Fifth == 6 && c.Seventh == 0 && !c.Sixth }

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// readDegree reads an optional accidental and a degree number: "b9", "#11", "13", "+5".
func readDegree(s string) (deg, alter, n int) {
	for n < len(s) {
		switch {
		case s[n] == 'b' || s[n] == '-':
			alter--
			n++
			continue
		case s[n] == '#' || s[n] == '+':
			alter++
			n++
			continue
		case strings.HasPrefix(s[n:], "♭"):
			alter--
			n += len("♭")
			continue
		case strings.HasPrefix(s[n:], "♯"):
			alter++
			n += len("♯")
			continue
		}
		break
	}
	start := n
	for n < len(s) && isDigit(s[n]) && n-start < 2 {
		n++
	}
	if n == start {
		return 0, 0, 0
	}
	for _, c := range s[start:n] {
		deg = deg*10 + int(c-'0')
	}
	if deg != 2 && deg != 3 && deg != 4 && deg != 5 && deg != 6 && deg != 7 && deg != 9 && deg != 11 && deg != 13 && deg != 1 {
		// "69" written without a slash: read only the 6.
		if s[start] == '6' {
			return 6, alter, start + 1
		}
		return 0, 0, 0
	}
	return deg, alter, n
}

// Tones are the chord's degrees above the root, in degree order: root,
// third (or suspension), fifth, sixth, seventh, then extensions.
func (c Chord) Tones() []Interval {
	if c.NoChord {
		return nil
	}
	var ts []Interval
	omitted := func(d int) bool {
		for _, o := range c.Omit {
			if o == d {
				return true
			}
		}
		return false
	}
	if !omitted(1) {
		ts = append(ts, Unison)
	}
	switch c.Sus {
	case 2:
		ts = append(ts, MajorSecond)
	case 4:
		ts = append(ts, PerfectFourth)
	}
	if c.Third != 0 && !omitted(3) {
		ts = append(ts, Interval{3, int(c.Third)})
	}
	if c.Fifth != 0 && !omitted(5) {
		ts = append(ts, Interval{5, int(c.Fifth)})
	}
	if c.Sixth {
		ts = append(ts, MajorSixth)
	}
	if c.Seventh != 0 {
		ts = append(ts, Interval{7, int(c.Seventh)})
	}
	hasAltered := func(deg int) bool {
		for _, a := range c.Alterations {
			if a.Number == deg {
				return true
			}
		}
		return false
	}
	if c.Alt {
		ts = append(ts, Degree(9, -1), Degree(9, +1), Degree(13, -1))
		// The altered fifth is the flat five unless one is written.
		if c.Fifth == 7 {
			ts[2] = DimFifth
		}
	}
	if c.Ext >= 9 && !hasAltered(9) && !c.Alt {
		ts = append(ts, Degree(9, 0))
	}
	// A dominant or major 13th leaves out the 11th (it clashes with the
	// major third); minor chords keep it, and in a sus4 chord it is the
	// fourth already.
	if c.Ext >= 11 && !hasAltered(11) && (c.Ext == 11 || c.Third == 3) && c.Sus != 4 {
		ts = append(ts, Degree(11, 0))
	}
	if c.Ext >= 13 && !hasAltered(13) {
		ts = append(ts, Degree(13, 0))
	}
	ts = append(ts, c.Alterations...)
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Number != ts[j].Number {
			return ts[i].Number < ts[j].Number
		}
		return ts[i].Semitones < ts[j].Semitones
	})
	// Drop duplicates (C7b9 with "alt" written too).
	out := ts[:0]
	for i, t := range ts {
		if i > 0 && t == ts[i-1] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// Notes spells the chord tones from the root: Cm7b5 gives C Eb Gb Bb.
func (c Chord) Notes() []Spelling {
	ts := c.Tones()
	out := make([]Spelling, len(ts))
	for i, t := range ts {
		out[i] = c.Root.Transpose(t)
	}
	return out
}

// PitchClasses is the set of sounding pitch classes as a 12-bit mask (bit 0 = C),
// including the slash bass.
func (c Chord) PitchClasses() uint16 {
	var m uint16
	for _, s := range c.Notes() {
		m |= 1 << s.PitchClass()
	}
	if c.HasBass {
		m |= 1 << c.Bass.PitchClass()
	}
	return m
}

// BassNote is the lowest note the chord asks for: the slash bass or the root.
func (c Chord) BassNote() Spelling {
	if c.HasBass {
		return c.Bass
	}
	return c.Root
}

// GuideTones are the tones that define the chord's quality: the third (the
// fourth of a sus chord) and the seventh (the sixth of a 6 chord). Power
// chords and triads without sixth or seventh return only the third.
func (c Chord) GuideTones() []Interval {
	if c.NoChord {
		return nil
	}
	var g []Interval
	switch {
	case c.Third != 0:
		g = append(g, Interval{3, int(c.Third)})
	case c.Sus == 4:
		g = append(g, PerfectFourth)
	case c.Sus == 2:
		g = append(g, MajorSecond)
	}
	switch {
	case c.Seventh != 0:
		g = append(g, Interval{7, int(c.Seventh)})
	case c.Sixth:
		g = append(g, MajorSixth)
	}
	return g
}

// Dominant reports whether the chord has a major third and a minor seventh.
func (c Chord) Dominant() bool { return c.Third == 4 && c.Seventh == 10 }

// Tensions are the extensions an improviser or a comping pianist may add
// over the chord without clashing, following chord-scale practice
// (Levine, The Jazz Theory Book, ch. 3; Berklee "available tensions"):
// major 9, #11, 13; dominant 9, #11, 13 or, when altered tones are written,
// b9, #9, #11, b13 (b9, #9, #11, 13 over a written 13th: the half-whole
// diminished scale); minor 9, 11 (13 with a sixth or minor-major seventh);
// half-diminished 9, 11, b13; diminished seventh 9, 11, b13, major seventh.
// Tones already in the chord are left out.
func (c Chord) Tensions() []Interval {
	if c.NoChord {
		return nil
	}
	var cand []Interval
	n9, f9, s9 := Degree(9, 0), Degree(9, -1), Degree(9, 1)
	n11, s11 := Degree(11, 0), Degree(11, 1)
	n13, f13 := Degree(13, 0), Degree(13, -1)
	altered := c.Alt || c.Fifth == 8
	for _, a := range c.Alterations {
		if (a.Number == 9 && a.Semitones != 14) || (a.Number == 13 && a.Semitones == 20) {
			altered = true
		}
	}
	switch {
	case c.Third == 4 && c.Seventh == 10:
		switch {
		case altered && c.PitchClasses()&(1<<mod12(c.Root.PitchClass()+9)) != 0:
			// An altered ninth over a natural 13th (C13b9) is the
			// half-whole diminished scale: b9, #9, #11 and 13, no b13.
			cand = []Interval{f9, s9, s11, n13}
		case altered:
			cand = []Interval{f9, s9, s11, f13}
		default:
			cand = []Interval{n9, s11, n13}
		}
	case c.Third == 0 && c.Seventh == 10:
		cand = []Interval{n9, n13}
		if altered {
			cand = []Interval{f9, f13}
		}
	case c.Third == 4 && c.Fifth == 8:
		cand = []Interval{n9, s11}
	case c.Third == 4:
		cand = []Interval{n9, s11, n13}
	case c.Third == 3 && c.Seventh == 9:
		cand = []Interval{n9, n11, f13, Degree(14, 0)}
	case c.Third == 3 && c.Fifth == 6:
		cand = []Interval{n9, n11, f13}
	case c.Third == 3 && (c.Sixth || c.Seventh == 11):
		cand = []Interval{n9, n11, n13}
	case c.Third == 3:
		cand = []Interval{n9, n11}
	default:
		cand = []Interval{n9}
	}
	have := c.PitchClasses()
	var out []Interval
	for _, t := range cand {
		if t.Number == 14 {
			t = Interval{7, 11} // the major seventh over a diminished chord
		}
		if have&(1<<mod12(c.Root.PitchClass()+t.Semitones)) == 0 {
			out = append(out, t)
		}
	}
	return out
}

// Transpose moves the chord (and its bass) by an interval, keeping the
// quality and respelling the root: Transpose(Bb7, M2) is C7.
func (c Chord) Transpose(iv Interval) Chord {
	if c.NoChord {
		return c
	}
	c.Root = c.Root.Transpose(iv)
	if c.HasBass {
		c.Bass = c.Bass.Transpose(iv)
	}
	c.Alterations = append([]Interval(nil), c.Alterations...)
	c.Omit = append([]int(nil), c.Omit...)
	c.Symbol = c.Name()
	return c
}

// Same reports whether two chords sound the same: same root pitch class,
// same tones and same bass pitch class, however they are spelled or written.
func (c Chord) Same(d Chord) bool {
	if c.NoChord || d.NoChord {
		return c.NoChord == d.NoChord
	}
	return c.Root.PitchClass() == d.Root.PitchClass() && c.PitchClasses() == d.PitchClasses() &&
		c.BassNote().PitchClass() == d.BassNote().PitchClass()
}

// String is the symbol as written, or the canonical name when there is none.
func (c Chord) String() string {
	if c.Symbol != "" {
		return c.Symbol
	}
	return c.Name()
}

// Name writes the chord in standard notation: "Cmaj7", "F#m7b5",
// "Bb7(b9,#11)", "Ebm(maj7)/D", "G7sus4", "N.C.". ParseChord reads every
// name back to the same chord.
func (c Chord) Name() string {
	if c.NoChord {
		return "N.C."
	}
	if c.Sixth && c.Seventh != 0 {
		// A sixth over a seventh is an added 13th, and named so, the way
		// "C7(add13)" reads.
		c.Sixth = false
		c.Alterations = append(append([]Interval(nil), c.Alterations...), Degree(13, 0))
	}
	power := c.Third == 0 && c.Sus == 0 && c.Seventh == 0 && !c.Sixth && len(c.Alterations) == 0 &&
		c.Fifth == 7 && len(c.Omit) == 0
	if c.Third == 0 && c.Sus == 0 && !power {
		// No third and no suspension, beyond a power chord: named as the
		// chord with its third left out, the way "C7(no3)" reads.
		c.Third = 4
		if !slices.Contains(c.Omit, 3) {
			c.Omit = append([]int{3}, c.Omit...)
		}
	}
	if c.Sus == 4 && c.Ext == 11 {
		c.Ext = 9 // the 11th of a sus4 chord is its fourth: C11sus4 is C9sus4
	}
	var b strings.Builder
	b.WriteString(c.Root.String())
	ext := func(seventh string) {
		if c.Ext != 0 {
			fmt.Fprintf(&b, "%s%d", strings.TrimSuffix(seventh, "7"), c.Ext)
		} else {
			b.WriteString(seventh)
		}
	}
	// alts collects alterations, added and omitted tones, written in
	// parentheses after the quality.
	var alts []string
	sixNine := false // "6/9" is written with a slash, not "6(9)"
	switch {
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 9 && !c.Sixth:
		ext("dim7")
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 10 && !c.Sixth && c.Sus == 0 && !c.Alt:
		ext("m7")
		b.WriteString("b5")
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 0 && !c.Sixth && c.Sus == 0:
		b.WriteString("dim")
	case power:
		b.WriteString("5")
	default:
		if c.Third == 3 {
			b.WriteString("m")
		}
		aug := c.Fifth == 8 && c.Third == 4 && c.Seventh == 0 && !c.Alt
		if aug {
			b.WriteString("aug")
		}
		switch {
		case c.Sixth && c.Seventh == 0:
			b.WriteString("6")
			sixNine = true
		case c.Seventh == 11 && c.Third == 3:
			b.WriteString("(maj")
			ext("7")
			b.WriteString(")")
		case c.Seventh == 11:
			b.WriteString("maj")
			ext("7")
		case c.Seventh == 10:
			ext("7")
		case c.Seventh == 9:
			// A diminished seventh over a chord that is not a diminished
			// triad (Cm(bb7)): spelled out as an alteration, and so are
			// the extensions stacked over it.
			alts = append(alts, "bb7")
			altered := func(deg int) bool {
				return slices.ContainsFunc(c.Alterations, func(a Interval) bool { return a.Number == deg })
			}
			if c.Ext >= 9 && !altered(9) && !c.Alt {
				alts = append(alts, "add9")
			}
			if c.Ext >= 11 && !altered(11) && (c.Ext == 11 || c.Third == 3) && c.Sus != 4 {
				alts = append(alts, "add11")
			}
			if c.Ext >= 13 && !altered(13) {
				alts = append(alts, "add13")
			}
		}
		if c.Alt {
			b.WriteString("alt")
		}
		if c.Sus == 4 {
			b.WriteString("sus4")
		} else if c.Sus == 2 {
			b.WriteString("sus2")
		}
		if c.Sus != 0 && c.Third != 0 {
			b.WriteString("add3")
		}
		if c.Fifth == 6 {
			alts = append(alts, "b5")
		}
		if c.Fifth == 8 && !aug {
			alts = append(alts, "#5")
		}
	}
	for _, a := range c.Alterations {
		d := a.Semitones - majorOrPerfect(a.Number)
		add := ""
		switch a.Number {
		case 9, 13:
			if c.Seventh == 0 {
				add = "add" // a bare altered ninth or thirteenth would imply the seventh
			}
		case 6, 11:
		default:
			// Only 6, 9, 11 and 13 are altered bare: an added "b2" is
			// written "addb2", as ParseChord reads it.
			add = "add"
		}
		switch {
		case d == 0:
			alts = append(alts, fmt.Sprintf("add%d", a.Number))
		case d < 0:
			alts = append(alts, fmt.Sprintf("%s%sb%d", add, strings.Repeat("b", -d-1), a.Number))
		default:
			alts = append(alts, fmt.Sprintf("%s%s#%d", add, strings.Repeat("#", d-1), a.Number))
		}
	}
	// Alterations go by degree, so that the name does not depend on the
	// order they were written in; omitted tones come last.
	slices.SortStableFunc(alts, func(x, y string) int { return trailingNumber(x) - trailingNumber(y) })
	// Omitted tones come last, as ParseChord reads "no3" into Omit.
	omitted := append([]int(nil), c.Omit...)
	if c.Fifth == 0 && !slices.Contains(omitted, 5) {
		omitted = append(omitted, 5)
	}
	for _, o := range omitted {
		alts = append(alts, fmt.Sprintf("no%d", o))
	}
	switch {
	case sixNine && len(alts) == 1 && alts[0] == "add9" && strings.HasSuffix(b.String(), "6"):
		b.WriteString("/9")
	case len(alts) > 0:
		b.WriteString("(" + strings.Join(alts, ",") + ")")
	}
	if c.HasBass {
		b.WriteString("/" + c.Bass.String())
	}
	return b.String()
}

// trailingNumber is the degree at the end of an alteration ("#11" is 11).
func trailingNumber(s string) int {
	i := len(s)
	for i > 0 && isDigit(s[i-1]) {
		i--
	}
	n := 0
	for _, c := range s[i:] {
		n = n*10 + int(c-'0')
	}
	return n
}
