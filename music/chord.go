package music

import (
	"cmp"
	"fmt"
	"sideman/internal/quote"
	"slices"
	"strconv"
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

// A quality is a word a chord symbol's quality opens with (minor,
// diminished, ...): how Name writes it and how charts spell it. One table
// serves ParseChord and Name, so that what Name writes reads back.
type quality struct {
	// name is what Name writes after the root; a 7 in it stands for the
	// chord's top extension ("m7b5", "m9b5").
	name string
	// spellings are what ParseChord reads as this quality, longer ones
	// before their prefixes.
	spellings []string
	// then completes a spelling into the quality: the major mark makes a
	// major seventh only with a 7 after it ("^" alone is a major triad).
	then string
	// The chord the quality makes.
	third, fifth, seventh int8
}

var (
	// The major-seventh mark: a 7, 9, 11 or 13 after it has a major
	// seventh ("maj9"). "Δ" alone means maj7 on lead sheets; iReal's "^"
	// alone is a major triad (its quality list has "^" beside "-" and
	// "sus", and "^7" apart; the JazzStandards export of the same charts
	// writes a triad).
	majorSeventh = quality{name: "maj7", then: "7", third: 4, fifth: 7, seventh: 11,
		spellings: []string{"maj", "Maj", "MAJ", "ma", "Ma", "M", "^", "Δ", "△", "j"}}
	minor = quality{name: "m", third: 3, fifth: 7,
		spellings: []string{"min", "mi", "m", "-"}}
	halfDiminished = quality{name: "m7b5", third: 3, fifth: 6, seventh: 10,
		spellings: []string{"ø7", "Ø7", "h7", "ø", "Ø", "h"}}
	// "0" is JazzStandards.json's diminished sign: "C07" is Cdim7 and "C0"
	// Cdim, not half-diminished (that collection writes "Cm7b5", 2,081
	// times). Evidence: the same tunes in the iReal Pro jazz playlist, which
	// writes o7 for diminished and h7 for half-diminished. Of the "X07" in
	// tunes found in both, 1,024 fall on a root that iReal writes only
	// diminished there and 3 on one it writes only half-diminished (e.g.
	// "A Ballad": Gb07 is iReal's Gbo7; "A Fine Romance": C#07 and D#07 are
	// C#o7 and D#o7); "X0" is iReal's diminished 64 times and its
	// half-diminished never. TestZeroMeansDiminished keeps the count.
	diminishedSeventh = quality{name: "dim7", third: 3, fifth: 6, seventh: 9,
		spellings: []string{"dim7", "o7", "°7", "07"}}
	diminished = quality{name: "dim", third: 3, fifth: 6,
		spellings: []string{"dim", "o", "°", "0"}}
	// An opening "+" is augmented whatever follows: "C+7" is C7#5 and "C+9"
	// C9#5 (Impro-Visor, tonal). A "+" after the seventh alters a degree
	// ("C7+9"); a final one raises the fifth ("C7+").
	augmented = quality{name: "aug", third: 4, fifth: 8,
		spellings: []string{"aug", "+"}}
)

// qualities is the table. A symbol opens with the major mark or one of
// openings, tried in order; the augmented mark may follow ("m+", "maj+7").
var (
	qualities = []*quality{&majorSeventh, &minor, &halfDiminished, &diminishedSeventh, &diminished, &augmented}
	openings  = []*quality{&minor, &halfDiminished, &diminishedSeventh, &diminished}
)

// is reports whether the chord has the quality's third, fifth and seventh.
func (c *Chord) is(q *quality) bool {
	return c.Third == q.third && c.Fifth == q.fifth && c.Seventh == q.seventh
}

// ignoreChars are read past between the words of a quality.
const ignoreChars = " (),"

// majorToken reads a major-seventh mark at the start of q, but not the
// "m" of "mi(n)", "maug", "madd" or "malt", which are minor.
func majorToken(q string) (string, bool) {
	if strings.HasPrefix(q, "mi") || strings.HasPrefix(q, "mau") || strings.HasPrefix(q, "madd") || strings.HasPrefix(q, "malt") {
		return "", false
	}
	return hasPrefixAny(q, majorSeventh.spellings)
}

// isTriangle reports whether a major mark is the lead sheet's triangle.
func isTriangle(t string) bool { return t == "Δ" || t == "△" }

func hasPrefixAny(s string, toks []string) (string, bool) {
	for _, t := range toks {
		if strings.HasPrefix(s, t) {
			return t, true
		}
	}
	return "", false
}

// qualityReader reads a chord's quality, the text after its root and
// before its slash bass, into the chord: an opening quality, then words
// (extensions, alterations, sus, add, omit) in any order.
type qualityReader struct {
	c *Chord
	q string // what is left to read
	// majorSeventh is set after a major mark: a following 7, 9, 11 or 13
	// has a major seventh.
	majorSeventh bool
	// triangle is set when the mark alone means a major seventh ("CΔ").
	triangle bool
}

func (c *Chord) parseQuality(q string) error {
	r := qualityReader{c: c, q: q}
	r.opening()
	r.minorMajor()
	if t, ok := hasPrefixAny(r.q, augmented.spellings); ok {
		r.q = r.q[len(t):]
		c.Fifth = augmented.fifth
	}
	if r.majorSeventh && r.triangle && (r.q == "" || !isDigit(r.q[0])) {
		c.Seventh = majorSeventh.seventh
	}
	for r.q != "" {
		if err := r.word(); err != nil {
			return err
		}
	}
	c.dominantEleventh()
	return nil
}

// opening reads the quality a symbol opens with: the major mark, minor,
// half-diminished or diminished.
func (r *qualityReader) opening() {
	if t, ok := majorToken(r.q); ok {
		r.q = r.q[len(t):]
		r.majorSeventh, r.triangle = true, isTriangle(t)
		return
	}
	for _, qu := range openings {
		if t, ok := hasPrefixAny(r.q, qu.spellings); ok {
			r.q = r.q[len(t):]
			r.c.Third, r.c.Fifth, r.c.Seventh = qu.third, qu.fifth, qu.seventh
			return
		}
	}
}

// minorMajor reads the major mark after a minor or diminished opening
// without a seventh: "m/maj7", "m(maj7)", "mM7", "-^7", "o^7".
func (r *qualityReader) minorMajor() {
	if r.c.Third != 3 || r.c.Seventh != 0 {
		return
	}
	q := strings.TrimPrefix(strings.TrimPrefix(r.q, "/"), "(")
	if t, ok := majorToken(q); ok {
		r.q = q[len(t):]
		// "-^" can only mean m(maj7).
		r.majorSeventh, r.triangle = true, t == "^" || isTriangle(t)
	}
}

// word reads one word after the opening.
func (r *qualityReader) word() error {
	q := r.q
	if strings.ContainsRune(ignoreChars, rune(q[0])) {
		r.q = q[1:]
		return nil
	}
	switch {
	case strings.HasPrefix(q, "alt"):
		r.c.Alt = true
		if r.c.Seventh == 0 {
			r.c.Seventh = 10
		}
		r.q = q[3:]
	case strings.HasPrefix(q, "sus"):
		r.sus()
	case strings.HasPrefix(q, "add"):
		return r.add()
	case strings.HasPrefix(q, "omit"):
		r.q = q[4:]
		return r.omit()
	case strings.HasPrefix(q, "no"):
		r.q = q[2:]
		return r.omit()
	case q == "+":
		r.c.Fifth, r.q = 8, "" // "C7+": augmented fifth
	case q[0] == 'b' || q[0] == '#' || q[0] == '+' || (q[0] == '-' && len(q) > 1 && isDigit(q[1])) ||
		strings.HasPrefix(q, "♭") || strings.HasPrefix(q, "♯"):
		return r.alteration()
	case isDigit(q[0]):
		return r.degree()
	default:
		if t, ok := majorToken(q); ok && r.c.Seventh == 9 && strings.HasPrefix(q[len(t):], "7") {
			// "o7M7": a diminished seventh chord with the major seventh
			// added (Impro-Visor, tonal).
			r.c.Alterations = append(r.c.Alterations, MajorSeventh)
			r.q = q[len(t)+1:]
			return nil
		}
		return fmt.Errorf("unknown chord quality at %s", quote.Input(q))
	}
	return nil
}

// sus reads "sus", "sus2", "sus4" and Impro-Visor's "sus24" (both the
// second and the fourth).
func (r *qualityReader) sus() {
	q := r.q[3:]
	r.c.Third, r.c.Sus = 0, 4
	switch {
	case strings.HasPrefix(q, "24") || strings.HasPrefix(q, "42"):
		r.c.Alterations = append(r.c.Alterations, MajorSecond)
		q = q[2:]
	case strings.HasPrefix(q, "2"):
		r.c.Sus, q = 2, q[1:]
	case strings.HasPrefix(q, "4"):
		q = q[1:]
	}
	r.q = q
}

// add reads an added tone: "add9", "addb13".
func (r *qualityReader) add() error {
	q := r.q[3:]
	deg, alter, m := readDegree(q)
	if m == 0 {
		return fmt.Errorf("add without a degree")
	}
	r.q = q[m:]
	if deg == 3 && r.c.Sus != 0 {
		r.c.Third = 4 // iReal's 7susadd3: the fourth and the third
		return nil
	}
	if deg == 1 || deg == 3 || deg == 5 {
		// A chord's own degrees are not added ("addb1" is no chord).
		return fmt.Errorf("cannot add degree %d", deg)
	}
	r.c.Alterations = append(r.c.Alterations, Degree(deg, alter))
	return nil
}

// omit reads the degree after "omit" or "no".
func (r *qualityReader) omit() error {
	deg, _, m := readDegree(r.q)
	if m == 0 || (deg != 3 && deg != 5 && deg != 1) {
		return fmt.Errorf("omit needs 1, 3 or 5")
	}
	r.q = r.q[m:]
	r.c.Omit = append(r.c.Omit, deg)
	return nil
}

// alteration reads an altered degree: "b9", "#11", "+5", "-13", "bb7".
func (r *qualityReader) alteration() error {
	c := r.c
	deg, alter, m := readDegree(r.q)
	if m == 0 || alter == 0 {
		return fmt.Errorf("alteration %s needs a degree", quote.Input(r.q))
	}
	r.q = r.q[m:]
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
			// seventh: "Csusb9" is C7sus4b9 (Impro-Visor's vocabulary).
			// An added one is written "add".
			c.Seventh = 10
		}
		c.Alterations = append(c.Alterations, Degree(deg, alter))
	default:
		return fmt.Errorf("cannot alter degree %d", deg)
	}
	return nil
}

// degree reads a plain degree: a power chord's 5, a sixth (6/9), an added
// 2, a 4 (sus), or a seventh and the extension stacked on it.
func (r *qualityReader) degree() error {
	c := r.c
	deg, _, m := readDegree(r.q)
	r.q = r.q[m:]
	switch deg {
	case 5:
		if c.Third == 4 && c.Seventh == 0 && !c.Sixth && c.Fifth == 7 && !r.majorSeventh {
			c.Third = 0 // power chord
		}
	case 6:
		c.Sixth = true
		if strings.HasPrefix(r.q, "9") || strings.HasPrefix(r.q, "/9") {
			r.q = strings.TrimPrefix(strings.TrimPrefix(r.q, "/"), "9")
			c.Alterations = append(c.Alterations, Degree(9, 0))
		}
	case 2:
		c.Alterations = append(c.Alterations, Degree(9, 0))
	case 4:
		c.Third, c.Sus = 0, 4
	case 7, 9, 11, 13:
		if c.Seventh == 0 || (c.Seventh == 10 && r.majorSeventh) {
			switch {
			case r.majorSeventh:
				c.Seventh = majorSeventh.seventh
			case c.Seventh == 0 && c.Fifth == 6 && c.Third == 3 && c.Symbol != "" && isDimOnly(c):
				c.Seventh = diminishedSeventh.seventh
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
	return nil
}

// dominantEleventh leaves the major third out of a dominant eleventh, a
// minor ninth below the eleventh: C11 is played as C9sus4 (Bb/C), as iReal
// Pro and tonal voice it (Levine, The Jazz Theory Book, ch. 2 on sus
// chords).
func (c *Chord) dominantEleventh() {
	if c.Ext == 11 && c.Third == 4 && c.Sus == 0 && c.Seventh == 10 && !slices.Contains(c.Omit, 3) &&
		!slices.ContainsFunc(c.Alterations, func(a Interval) bool { return a.Number == 11 }) {
		c.Third, c.Sus, c.Ext = 0, 4, 9
	}
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
	return c.appendTones(nil)
}

// appendTones appends the tones of a chord (not NoChord) to ts.
func (c Chord) appendTones(ts []Interval) []Interval {
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
	slices.SortStableFunc(ts, func(a, b Interval) int {
		if a.Number != b.Number {
			return cmp.Compare(a.Number, b.Number)
		}
		return cmp.Compare(a.Semitones, b.Semitones)
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
	if !c.NoChord {
		var buf [16]Interval // the players ask for every chord, often: no allocation
		for _, t := range c.appendTones(buf[:0]) {
			m |= 1 << c.Root.Transpose(t).PitchClass()
		}
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
	c, power := c.asNamed()
	var b strings.Builder
	b.WriteString(c.Root.String())
	// alts collects alterations, added and omitted tones, written in
	// parentheses after the quality.
	alts, sixNine := c.writeQuality(&b, power)
	alts = append(alts, c.alterationNames()...)
	// Alterations go by degree, so that the name does not depend on the
	// order they were written in.
	slices.SortStableFunc(alts, func(x, y string) int { return trailingNumber(x) - trailingNumber(y) })
	// Omitted tones come last, as ParseChord reads "no3" into Omit.
	alts = append(alts, c.omissionNames()...)
	switch {
	case sixNine && len(alts) == 1 && alts[0] == "add9" && strings.HasSuffix(b.String(), "6"):
		b.WriteString("/9") // "6/9" is written with a slash, not "6(9)"
	case len(alts) > 0:
		b.WriteString("(" + strings.Join(alts, ",") + ")")
	}
	if c.HasBass {
		b.WriteString("/" + c.Bass.String())
	}
	return b.String()
}

// asNamed is the chord in the form Name writes, which sounds the same, and
// whether it is a power chord.
func (c Chord) asNamed() (Chord, bool) {
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
	return c, power
}

// extended is a name with its 7 replaced by the chord's top extension:
// "m7b5" for a ninth chord is "m9b5".
func (c Chord) extended(name string) string {
	if c.Ext == 0 {
		return name
	}
	return strings.Replace(name, "7", strconv.Itoa(int(c.Ext)), 1)
}

// writeQuality writes the quality, from the table where the chord is one
// of its qualities, and returns the alterations the quality leaves to the
// parentheses and whether a 6/9 may follow.
func (c Chord) writeQuality(b *strings.Builder, power bool) (alts []string, sixNine bool) {
	switch {
	case c.is(&diminishedSeventh) && !c.Sixth:
		b.WriteString(c.extended(diminishedSeventh.name))
		if c.Alt {
			b.WriteString("alt")
		}
	case c.is(&halfDiminished) && !c.Sixth && c.Sus == 0 && !c.Alt:
		b.WriteString(c.extended(halfDiminished.name))
	case c.is(&diminished) && !c.Sixth && c.Sus == 0:
		b.WriteString(diminished.name)
	case power:
		b.WriteString("5")
	default:
		return c.writeComposed(b)
	}
	return nil, false
}

// writeComposed writes a quality the table does not name whole: minor,
// augmented, the sixth or seventh, alt, sus and add3, in that order.
func (c Chord) writeComposed(b *strings.Builder) (alts []string, sixNine bool) {
	if c.Third == minor.third {
		b.WriteString(minor.name)
	}
	aug := c.Fifth == augmented.fifth && c.Third == augmented.third && c.Seventh == 0 && !c.Alt
	if aug {
		b.WriteString(augmented.name)
	}
	switch {
	case c.Sixth && c.Seventh == 0:
		b.WriteString("6")
		sixNine = true
	case c.Seventh == majorSeventh.seventh && c.Third == 3:
		b.WriteString("(" + c.extended(majorSeventh.name) + ")")
	case c.Seventh == majorSeventh.seventh:
		b.WriteString(c.extended(majorSeventh.name))
	case c.Seventh == 10:
		b.WriteString(c.extended("7"))
	case c.Seventh == 9:
		alts = c.addedOverDiminishedSeventh()
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
	return alts, sixNine
}

// addedOverDiminishedSeventh spells out a diminished seventh over a chord
// that is not a diminished triad (Cm(bb7)) as an alteration, and so the
// extensions stacked over it.
func (c Chord) addedOverDiminishedSeventh() []string {
	alts := []string{"bb7"}
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
	return alts
}

// alterationNames writes the altered and added tones: "b9", "#11",
// "add9", "addb2".
func (c Chord) alterationNames() []string {
	var alts []string
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
	return alts
}

// omissionNames writes the omitted tones, a missing fifth among them:
// "no3", "no5".
func (c Chord) omissionNames() []string {
	omitted := append([]int(nil), c.Omit...)
	if c.Fifth == 0 && !slices.Contains(omitted, 5) {
		omitted = append(omitted, 5)
	}
	names := make([]string, len(omitted))
	for i, o := range omitted {
		names[i] = fmt.Sprintf("no%d", o)
	}
	return names
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
