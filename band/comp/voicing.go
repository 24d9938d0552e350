package comp

import (
	"slices"

	"sideman/music"
)

// Kind is the family a voicing belongs to.
type Kind uint8

const (
	// RootlessA is the rootless voicing built up from the third: 3-5-7-9,
	// with the 13th for the 5th on dominants (Levine, The Jazz Piano Book,
	// ch. 4 "Left-hand voicings", the A form).
	RootlessA Kind = iota
	// RootlessB is built up from the seventh: 7-9-3-5 (or 7-9-3-13), the
	// B form.
	RootlessB
	// Shell is the root with the third and seventh, 1-3-7 or 1-7-3 (Bud
	// Powell's left hand), with a tension on top for colour.
	Shell
	// Drop2 is a close four-note voicing with its second voice from the top
	// dropped an octave.
	Drop2
	// Quartal is stacked fourths with a third on top, the "So What" voicing
	// (Levine, ch. 11), and fourth stacks that keep the third and seventh.
	Quartal
	// Close is chord tones in close position (triads, sevenths): pop, rock
	// and funk.
	Close
	// Power is root, fifth and octave: the rock guitar's power chord.
	Power
	// Montuno is a close chord with its top note doubled an octave below.
	Montuno
)

var kindNames = [...]string{"rootless-A", "rootless-B", "shell", "drop-2", "quartal", "close", "power", "montuno"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Voicing is a chord as the hands play it: MIDI keys, lowest first.
type Voicing struct {
	Kind Kind
	Keys []int
}

// LowIntervalLimit is music.LowIntervalLimit: the Berklee low interval
// limits every voicing keeps.
func LowIntervalLimit(semitones int) int { return music.LowIntervalLimit(semitones) }

// LowIntervalViolation reports the first pair of adjacent keys (sorted
// ascending) whose interval lies below its low interval limit.
func LowIntervalViolation(keys []int) (lo, hi int, bad bool) {
	for i := 1; i < len(keys); i++ {
		d := keys[i] - keys[i-1]
		if d >= 1 && d <= 11 && keys[i-1] < music.LowIntervalLimit(d) {
			return keys[i-1], keys[i], true
		}
	}
	return 0, 0, false
}

// MinorNinth reports whether two of the keys lie a minor ninth (or a minor
// ninth plus octaves) apart: the most grating interval in a voicing,
// accepted only where the chord itself has a flat nine.
func MinorNinth(keys []int) bool {
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			d := keys[j] - keys[i]
			if d < 0 {
				d = -d
			}
			if d > 12 && d%12 == 1 {
				return true
			}
		}
	}
	return false
}

// FlatNine reports whether a chord asks for a flat ninth: written (C7b9)
// or implied by "alt".
func FlatNine(ch music.Chord) bool {
	if ch.Alt {
		return true
	}
	for _, a := range ch.Alterations {
		if a.Number == 9 && a.Semitones == 13 {
			return true
		}
	}
	return false
}

// Register windows, by kind. Upper-structure voicings (rootless, drop-2,
// quartal, close) keep their lowest note at C3 or above, where the low
// interval limits let four voices sit closely, and their top between E4
// and D6: around middle C, under a melody or soloist in the octave above,
// and clear of the walking bass below C3. Shells, power chords and
// montuno octaves carry a low note of their own and may start at E2.
const (
	upperBottom = 48 // C3
	shellBottom = 40 // E2
	topLow      = 64 // E4
	topHigh     = 86 // D6
	shellTopLow = 55 // G3: a shell's top is its third or a tension over it
)

// InRegister reports whether a voicing of a kind sits in its register
// window.
func InRegister(k Kind, keys []int) bool {
	if len(keys) == 0 {
		return false
	}
	lo, hi := keys[0], keys[len(keys)-1]
	switch k {
	case Shell, Power:
		return lo >= shellBottom && hi >= shellTopLow && hi <= topHigh
	case Montuno:
		return lo >= shellBottom && hi >= topLow && hi <= topHigh
	}
	return lo >= upperBottom && hi >= topLow && hi <= topHigh
}

// tones is a chord taken apart the way a pianist thinks of it: the notes
// that make its quality, in semitones above the root, and the colours
// written or available. -1 means absent.
type tones struct {
	root    int // pitch class
	third   int // third, or the suspended fourth or second
	seventh int // seventh, or the sixth of a 6 chord
	fifth   int
	ninths  []int // written ninths first (b9, #9), else an available 9
	upper   []int // choices for the 5th/13th slot of the rootless forms
	extra   []int // further written colours that must sound (C13#11's 13)
	written []int // the ninths and colours the chart writes: every voicing holds them
	flat9   bool  // a flat nine is written or implied: minor 9ths allowed
	triad   bool  // no seventh and no sixth written
}

// analyse takes a chord apart. toMinor is set for an unaltered dominant
// that resolves to a minor chord a fifth below: it takes b9 and b13, the
// tensions of the harmonic minor (Levine, The Jazz Theory Book, ch. 3).
func analyse(ch music.Chord, toMinor bool) tones {
	t := tones{root: ch.Root.PitchClass(), third: -1, seventh: -1, fifth: -1, flat9: FlatNine(ch)}
	omit := func(d int) bool { return slices.Contains(ch.Omit, d) }
	switch {
	case ch.Third != 0 && !omit(3):
		t.third = int(ch.Third)
	case ch.Sus == 4:
		t.third = 5
	case ch.Sus == 2:
		t.third = 2
	}
	switch {
	case ch.Seventh != 0:
		t.seventh = int(ch.Seventh)
	case ch.Sixth:
		t.seventh = 9
	}
	t.triad = ch.Seventh == 0 && !ch.Sixth
	if ch.Fifth != 0 && !omit(5) {
		t.fifth = int(ch.Fifth)
	}
	// Written colours: ninths to the ninth slot, the rest to the upper slot.
	var colours []int
	for _, a := range ch.Alterations {
		s := a.Semitones % 12
		switch {
		case a.Number == 9 || a.Number == 2:
			t.ninths = appendNew(t.ninths, s)
		case a.Number == 7 && s == 11 && t.seventh != 11:
			// o7M7: the major seventh added over a diminished seventh.
			colours = appendNew(colours, s)
		case a.Number == 11 || a.Number == 13 || a.Number == 6 || a.Number == 4:
			colours = appendNew(colours, s)
		}
	}
	if ch.Alt {
		// The altered scale: b9 and #9 for the ninth, b13 above; the
		// fifth is left to the b13 (Levine, The Jazz Piano Book, ch. 4).
		t.ninths = appendNew(appendNew(t.ninths, 3), 1)
		colours = appendNew(colours, 8)
		if t.fifth == 7 {
			t.fifth = 6
		}
	}
	if ch.Ext >= 9 && len(t.ninths) == 0 {
		t.ninths = append(t.ninths, 2)
	}
	if ch.Ext >= 11 && ch.Third == 3 {
		colours = appendNew(colours, 5)
	}
	if ch.Ext >= 13 && !slices.ContainsFunc(ch.Alterations, func(a music.Interval) bool { return a.Number == 13 }) {
		colours = appendNew(colours, 9)
	}
	t.written = append(append([]int(nil), t.ninths...), colours...)
	dominant := ch.Third == 4 && ch.Seventh == 10
	plainDominant := dominant && !ch.Alt && len(ch.Alterations) == 0 && ch.Ext == 0 && ch.Fifth == 7
	if plainDominant && toMinor {
		t.ninths = append(t.ninths, 1)
		colours = append(colours, 8)
	}
	// Available tensions fill what is not written.
	tens := ch.Tensions()
	if len(t.ninths) == 0 {
		halfDim := ch.Third == 3 && ch.Fifth == 6 && ch.Seventh == 10
		for _, iv := range tens {
			// The 9th of a half-diminished chord clashes with the melody
			// in a minor key (the b9 of ii is the key's 6th), so the root
			// takes its place unless the 9 is written.
			if iv.Number == 9 && !halfDim && (iv.Semitones != 13 || t.flat9) {
				t.ninths = append(t.ninths, iv.Semitones%12)
				break
			}
		}
	}
	if len(colours) > 0 {
		t.upper = []int{colours[0]}
		t.extra = colours[1:]
	} else {
		if t.fifth >= 0 {
			t.upper = append(t.upper, t.fifth)
		}
		if t.fifth != 8 && (dominant || (ch.Third == 4 && ch.Seventh == 11)) {
			for _, iv := range tens {
				if iv.Number == 13 && iv.Semitones == 21 {
					// The 13th for the 5th: Levine's dominant A and B forms.
					t.upper = append(t.upper, 9)
				}
			}
		}
		if len(t.upper) == 0 {
			t.upper = []int{0}
		}
	}
	return t
}

func appendNew(s []int, x int) []int {
	if slices.Contains(s, x) {
		return s
	}
	return append(s, x)
}

// template is a voicing's pitch classes from the bottom up, in semitones
// above the root; each stacks on the one before within an octave.
type template struct {
	kind Kind
	degs []int
}

// shape is what every kind of voicing of a chord builds on: the chord
// taken apart (tones), with the gaps a voicing cannot leave filled.
type shape struct {
	ch music.Chord
	t  tones
	// third is the third, or the root standing in for a missing one
	// (C7(no3)); seventh the seventh, else the sixth (a major triad in a
	// jazz chart is played as a 6 chord), else the root.
	third, seventh int
	// ninths are the ninths to choose from (the root where none).
	ninths []int
	// power is a chord of root and fifth alone: no third, no suspension,
	// no seventh or sixth.
	power bool
}

func shapeOf(ch music.Chord, t tones) shape {
	s := shape{ch: ch, t: t, third: t.third, seventh: t.seventh, ninths: t.ninths}
	if s.third < 0 {
		s.third = 0
	}
	if s.seventh < 0 {
		s.seventh = 0
		if ch.Third == 4 && ch.Fifth == 7 && !ch.Sixth {
			s.seventh = 9
		}
	}
	if len(s.ninths) == 0 {
		s.ninths = []int{0}
	}
	s.power = ch.Third == 0 && ch.Sus == 0 && ch.Seventh == 0 && !ch.Sixth
	return s
}

// shapes gives, by kind, the templates of that kind for a chord.
var shapes = [...]func(s *shape, k Kind) []template{
	RootlessA: rootlessShapes,
	RootlessB: rootlessShapes,
	Shell:     shellShapes,
	Drop2:     drop2Shapes,
	Quartal:   quartalShapes,
	Close:     closeShapes,
	Power:     func(*shape, Kind) []template { return []template{{Power, []int{0, 7, 0}}} },
	Montuno:   montunoShapes,
}

// templates lists the voicing shapes of a chord for the kinds asked.
func templates(ch music.Chord, t tones, kinds []Kind) []template {
	s := shapeOf(ch, t)
	var out []template
	for _, k := range kinds {
		if int(k) < len(shapes) {
			out = append(out, shapes[k](&s, k)...)
		}
	}
	return out
}

// rootlessShapes are Levine's A form (3-5-7-9) and B form (7-9-3-5),
// one for each choice of the upper tone and of the ninth, with what else
// the chart writes on top.
func rootlessShapes(s *shape, k Kind) []template {
	if s.power {
		return nil
	}
	var out []template
	for _, up := range s.t.upper {
		for ni, nine := range s.ninths {
			if ni > 0 && len(s.t.ninths) == 0 {
				break
			}
			var extra []int
			extra = append(extra, s.t.extra...)
			// A second written ninth (b9 and #9) sounds on top.
			for _, n := range s.t.ninths {
				if n != nine {
					extra = append(extra, n)
				}
			}
			if k == RootlessA {
				out = append(out, template{k, dedupe(append([]int{s.third, up, s.seventh, nine}, extra...))})
			} else {
				out = append(out, template{k, dedupe(append([]int{s.seventh, nine, s.third, up}, extra...))})
			}
		}
	}
	return out
}

// shellShapes are 1-3-7 and 1-7-3 and, above them, what the chart
// writes, else one tension for colour (the 13th or the 9th).
func shellShapes(s *shape, k Kind) []template {
	if s.power {
		return nil
	}
	tops := s.t.written
	if len(tops) == 0 {
		tops = []int{s.ninths[0]}
		if up := s.t.upper[len(s.t.upper)-1]; up != 0 {
			tops = []int{up}
		}
	}
	return []template{
		{k, dedupe(append([]int{0, s.third, s.seventh}, tops...))},
		{k, dedupe(append([]int{0, s.seventh, s.third}, tops...))},
	}
}

// drop2Shapes are every inversion of the close 3-5-7-9 (the 5th or 13th
// for the upper tone); Voicings drops the second voice from the top.
func drop2Shapes(s *shape, k Kind) []template {
	if s.power {
		return nil
	}
	var out []template
	for _, up := range s.t.upper {
		closed := dedupe(append([]int{s.third, up, s.seventh, s.ninths[0]}, s.t.extra...))
		for r := range closed {
			out = append(out, template{k, rotate(closed, r)})
		}
	}
	return out
}

// quartalShapes, on minor seventh chords: the "So What" voicing from the
// root (1-11-b7-b3-5: D G C F A, Bill Evans on "So What") and the fourth
// stacks that keep the third and seventh (b7-b3-13-9: C F B E;
// 11-b7-b3-13: G C F B).
func quartalShapes(s *shape, k Kind) []template {
	if s.ch.Third != 3 || s.ch.Seventh != 10 || s.t.fifth != 7 {
		return nil
	}
	return []template{
		{k, []int{0, 5, 10, 3, 7}},
		{k, []int{10, 3, 9, 2}},
		{k, []int{5, 10, 3, 9}},
		{k, []int{10, 3, 9, 2, 7}},
	}
}

// closeShapes are the chord tones in every inversion, with what the
// chart writes in place of the root (a ninth: C9 is E G Bb D) and of the
// fifth (a 13th, 11th or altered tone: C7b13 is C E Ab Bb); a power chord
// is played as one.
func closeShapes(s *shape, k Kind) []template {
	if s.power {
		return []template{{Power, []int{0, 7, 0}}}
	}
	t := s.t
	root, fifth := 0, t.fifth
	var more []int
	for _, w := range t.written {
		switch {
		case (w == 1 || w == 2 || w == 3) && root == 0 && t.third != 2:
			root = w
		case w != 1 && w != 2 && w != 3 && fifth == t.fifth:
			fifth = w
		default:
			more = append(more, w)
		}
	}
	tones := []int{root, s.third}
	if fifth >= 0 {
		tones = append(tones, fifth)
	}
	if !t.triad {
		tones = append(tones, s.seventh)
	}
	tones = dedupe(append(tones, more...))
	out := make([]template, 0, len(tones))
	for r := range tones {
		out = append(out, template{k, rotate(tones, r)})
	}
	return out
}

// montunoShapes are the close chord in every inversion (Voicings doubles
// its top an octave below).
func montunoShapes(s *shape, k Kind) []template {
	tri := []int{0, s.third}
	if s.t.fifth >= 0 {
		tri = append(tri, s.t.fifth)
	}
	if !s.t.triad {
		tri = append(tri, s.seventh)
	}
	tri = dedupe(tri)
	out := make([]template, 0, len(tri))
	for r := range tri {
		out = append(out, template{k, rotate(tri, r)})
	}
	return out
}

func rotate(s []int, r int) []int {
	out := make([]int, 0, len(s))
	out = append(out, s[r:]...)
	return append(out, s[:r]...)
}

func dedupe(s []int) []int {
	out := s[:0:0]
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// stack places a template with its bottom note on the given key, each
// further note the nearest above the one before (a repeated 0 at the end
// is the octave of a power chord).
func stack(root, bottom int, degs []int) []int {
	keys := make([]int, len(degs))
	keys[0] = bottom
	for i := 1; i < len(degs); i++ {
		pc := mod12(root + degs[i])
		k := keys[i-1] + 1
		k += mod12(pc - k)
		keys[i] = k
	}
	return keys
}

func mod12(x int) int { return ((x % 12) + 12) % 12 }

// Voicings lists every voicing of the chord of the given kinds that keeps
// the rules: in its register window, no interval under its low limit, no
// minor ninth unless the chord has a flat nine. toMinor marks a dominant
// resolving to a minor chord (it takes b9 and b13). A slash chord is
// voiced over its own root; the bass plays the slash.
func Voicings(ch music.Chord, kinds []Kind, toMinor bool) []Voicing {
	if ch.NoChord {
		return nil
	}
	t := analyse(ch, toMinor)
	var out []Voicing
	for _, tp := range templates(ch, t, kinds) {
		lo := upperBottom
		if tp.kind == Shell || tp.kind == Power || tp.kind == Montuno {
			lo = shellBottom
		}
		first := lo + mod12(t.root+tp.degs[0]-lo)
		for b := first; b <= topHigh; b += 12 {
			keys := stack(t.root, b, tp.degs)
			if tp.kind == Drop2 && len(keys) >= 4 {
				keys[len(keys)-2] -= 12
				slices.Sort(keys)
			}
			if tp.kind == Montuno {
				keys = append([]int{keys[len(keys)-1] - 12}, keys...)
			}
			if !InRegister(tp.kind, keys) {
				continue
			}
			if _, _, bad := LowIntervalViolation(keys); bad {
				continue
			}
			if !t.flat9 && MinorNinth(keys) {
				continue
			}
			out = append(out, Voicing{tp.kind, keys})
		}
	}
	return out
}
