package musicxml

import (
	"strconv"
	"strings"

	"sideman/music"
)

// kindSuffix maps a MusicXML <kind> value to the chord quality in the
// notation music.ParseChord reads. The list is MusicXML 4.0's, plus
// "augmented-ninth" and "maj69", which some exporters write.
//
// The functional kinds name chords by their sound over the given root:
// Neapolitan is a major triad (its root is the flat second degree);
// Italian, French and German augmented sixths over their lowest note (the
// flat sixth degree) sound as a dominant seventh without fifth, with a flat
// fifth, and complete; the Tristan chord (F B D# G#) as a half-diminished
// seventh; a pedal is the root alone.
var kindSuffix = map[string]string{
	"major":              "",
	"minor":              "m",
	"augmented":          "aug",
	"diminished":         "dim",
	"dominant":           "7",
	"major-seventh":      "maj7",
	"minor-seventh":      "m7",
	"diminished-seventh": "dim7",
	"augmented-seventh":  "7#5",
	"half-diminished":    "m7b5",
	"major-minor":        "m(maj7)",
	"minor-major":        "m(maj7)",
	"major-sixth":        "6",
	"minor-sixth":        "m6",
	"dominant-ninth":     "9",
	"major-ninth":        "maj9",
	"minor-ninth":        "m9",
	"dominant-11th":      "11",
	"major-11th":         "maj11",
	"minor-11th":         "m11",
	"dominant-13th":      "13",
	"major-13th":         "maj13",
	"minor-13th":         "m13",
	"suspended-second":   "sus2",
	"suspended-fourth":   "sus4",
	"Neapolitan":         "",
	"Italian":            "7(no5)",
	"French":             "7b5",
	"German":             "7",
	"pedal":              "(no3,no5)",
	"power":              "5",
	"Tristan":            "m7b5",
	"augmented-ninth":    "9#5",
	"maj69":              "6/9",
	"other":              "",
}

// withSeventh is the quality of a chord without a seventh once a seventh
// is added by a <degree>: a minor, major or diminished seventh.
var withSeventh = map[string][3]string{
	"":     {"7", "maj7", "(bb7)"},
	"m":    {"m7", "m(maj7)", "m(bb7)"},
	"aug":  {"7#5", "maj7#5", "aug(bb7)"},
	"dim":  {"m7b5", "dim(add7)", "dim7"},
	"sus4": {"7sus4", "maj7sus4", "sus4(bb7)"},
	"sus2": {"7sus2", "maj7sus2", "sus2(bb7)"},
}

// withoutSeventh undoes a seventh for a <degree> that subtracts it.
var withoutSeventh = map[string]string{
	"7": "", "m7": "m", "maj7": "", "7#5": "aug", "m7b5": "dim", "dim7": "dim", "m(maj7)": "m",
}

// degree is one <degree> of a harmony.
type degree struct {
	value, alter int
	typ          string // add, alter or subtract
}

// chordSymbol builds the chord symbol of a harmony from its root, kind,
// degrees and bass, and parses it. Parts that music.ParseChord cannot read
// are dropped one by one (degrees, then the quality) so that a harmony
// with a root always gives a chord; ok is false only without a root.
func chordSymbol(root, kind, kindText string, degs []degree, bass string, inversion int) (music.Chord, bool) {
	if kind == "none" {
		return music.NC, true
	}
	if root == "" {
		return music.Chord{}, false
	}
	suffix, known := kindSuffix[kind]
	if kind == "other" || !known {
		// The text is all there is to go on.
		if c, err := music.ParseChord(root + kindText); err == nil && kindText != "" {
			return withBass(c, bass, inversion), true
		}
	}
	var toks []string
	for _, d := range degs {
		switch d.typ {
		case "add":
			if d.value == 7 {
				if s, ok := withSeventh[suffix]; ok && d.alter >= -1 && d.alter <= 1 {
					suffix = s[[3]int{2, 0, 1}[d.alter+1]]
					continue
				}
				toks = append(toks, [3]string{"bb7", "b7", "add7"}[clamp(d.alter, -1, 1)+1])
				continue
			}
			switch d.value {
			case 9, 11, 13:
				// An altered tension on a seventh chord is written as
				// an alteration ("C7(b9)"); without a seventh "add"
				// keeps ParseChord from implying one.
				if d.alter != 0 && hasSeventh(suffix) {
					toks = append(toks, accidentals(d.alter)+strconv.Itoa(d.value))
				} else {
					toks = append(toks, "add"+accidentals(d.alter)+strconv.Itoa(d.value))
				}
			case 2, 4, 6:
				toks = append(toks, "add"+accidentals(d.alter)+strconv.Itoa(d.value))
			case 3:
				if strings.Contains(suffix, "sus") {
					toks = append(toks, "add3")
				}
			case 5:
				if d.alter != 0 {
					toks = append(toks, accidentals(d.alter)+"5")
				}
			}
		case "alter":
			if d.alter == 0 {
				continue
			}
			switch d.value {
			case 5:
				toks = append(toks, accidentals(d.alter)+"5")
			case 9, 11, 13:
				if hasSeventh(suffix) {
					toks = append(toks, accidentals(d.alter)+strconv.Itoa(d.value))
				} else {
					toks = append(toks, "add"+accidentals(d.alter)+strconv.Itoa(d.value))
				}
			}
		case "subtract":
			switch d.value {
			case 1, 3, 5:
				toks = append(toks, "no"+strconv.Itoa(d.value))
			case 7:
				if s, ok := withoutSeventh[suffix]; ok {
					suffix = s
				}
			}
		}
	}
	try := []string{root + suffix, root}
	if len(toks) > 0 {
		sym := root + suffix
		if strings.HasSuffix(sym, ")") {
			sym = sym[:len(sym)-1] + "," + strings.Join(toks, ",") + ")"
		} else {
			sym += "(" + strings.Join(toks, ",") + ")"
		}
		try = append([]string{sym}, try...)
	}
	for _, s := range try {
		if c, err := music.ParseChord(s); err == nil {
			return withBass(c, bass, inversion), true
		}
	}
	return music.Chord{}, false
}

// withBass adds the slash bass, given as a note name or, without one, by
// the inversion (1 puts the third in the bass, 2 the fifth, 3 the seventh).
func withBass(c music.Chord, bass string, inversion int) music.Chord {
	if bass != "" {
		if sp, n, err := music.ParseSpelling(bass); err == nil && n == len(bass) {
			c.Bass, c.HasBass = sp, true
			c.Symbol += "/" + bass
		}
		return c
	}
	if inversion > 0 {
		tones := c.Tones()
		if inversion < len(tones) && tones[0] == music.Unison {
			sp := c.Root.Transpose(tones[inversion])
			c.Bass, c.HasBass = sp, true
			c.Symbol += "/" + sp.String()
		}
	}
	return c
}

func hasSeventh(suffix string) bool {
	return strings.ContainsAny(suffix, "79") || strings.Contains(suffix, "11") || strings.Contains(suffix, "13")
}

// accidentals writes an alteration as flats or sharps.
func accidentals(alter int) string {
	alter = clamp(alter, -2, 2)
	if alter < 0 {
		return strings.Repeat("b", -alter)
	}
	return strings.Repeat("#", alter)
}

func clamp(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// spellingName writes a step and an alteration as a note name ("Bb").
func spellingName(step string, alter int) string {
	return step + accidentals(alter)
}

// encodeKinds are the kinds Encode writes chords with, in order of
// preference when two need as few degrees.
var encodeKinds = []string{
	"major", "minor", "dominant", "major-seventh", "minor-seventh", "half-diminished",
	"diminished", "diminished-seventh", "augmented", "augmented-seventh", "major-minor",
	"major-sixth", "minor-sixth", "dominant-ninth", "major-ninth", "minor-ninth",
	"dominant-13th", "major-13th", "minor-13th", "dominant-11th", "major-11th", "minor-11th",
	"suspended-fourth", "suspended-second", "power",
}

// kindTones maps each of encodeKinds to its tones over C, by degree
// number, as Decode reads the kind.
var kindTones = func() map[string]map[int]int {
	m := map[string]map[int]int{}
	for _, k := range encodeKinds {
		c, ok := chordSymbol("C", k, "", nil, "", 0)
		if !ok {
			continue
		}
		m[k] = toneMap(c)
	}
	return m
}()

// toneMap is a chord's tones by degree number (1, 3, 5, 7, 9, ...).
func toneMap(c music.Chord) map[int]int {
	m := map[int]int{}
	for _, iv := range c.Tones() {
		m[iv.Number] = iv.Semitones
	}
	return m
}

// harmonyDegrees finds the kind and degrees that write a chord: the kind
// needing fewest degrees whose reading (by chordSymbol, as Decode reads it)
// sounds the same as the chord. ok is false when none does.
func harmonyDegrees(c music.Chord) (kind string, degs []degree, ok bool) {
	c.HasBass = false // the bass is written apart
	want := toneMap(c)
	root := c.Root.String()
	best := -1
	for _, k := range encodeKinds {
		have, known := kindTones[k]
		if !known {
			continue
		}
		ds, fits := degreesBetween(have, want)
		if !fits || (best >= 0 && len(ds) >= best) {
			continue
		}
		got, parsed := chordSymbol(root, k, "", ds, "", 0)
		if !parsed || got.PitchClasses() != c.PitchClasses() || got.Root.PitchClass() != c.Root.PitchClass() {
			continue
		}
		kind, degs, ok, best = k, ds, true, len(ds)
		if best == 0 {
			break
		}
	}
	return kind, degs, ok
}

// degreesBetween lists the degrees that turn the tones have into want, in
// degree order; fits is false when a difference is one Decode cannot read
// back (an altered third or seventh, a subtracted extension).
func degreesBetween(have, want map[int]int) (ds []degree, fits bool) {
	for n := 1; n <= 13; n++ {
		h, inHave := have[n]
		w, inWant := want[n]
		switch {
		case inWant && !inHave:
			natural := music.Degree(n, 0).Semitones
			if n == 7 {
				natural = 10 // MusicXML's seventh is the minor one
			}
			a := w - natural
			if a < -2 || a > 2 || n == 1 {
				return nil, false
			}
			ds = append(ds, degree{value: n, alter: a, typ: "add"})
		case inHave && !inWant:
			if n != 1 && n != 3 && n != 5 && n != 7 {
				return nil, false
			}
			ds = append(ds, degree{value: n, typ: "subtract"})
		case inHave && inWant && h != w:
			if n != 5 && n != 9 && n != 11 && n != 13 {
				return nil, false
			}
			ds = append(ds, degree{value: n, alter: w - h, typ: "alter"})
		}
	}
	return ds, true
}

// kindText is the text shown for a kind: the quality as Decode reads it.
func kindText(kind string) string {
	return kindSuffix[kind]
}
