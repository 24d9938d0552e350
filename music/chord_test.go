package music

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// spell writes intervals above a root as note names.
func spell(root Spelling, ivs []Interval) string {
	out := make([]string, len(ivs))
	for i, iv := range ivs {
		out[i] = root.Transpose(iv).String()
	}
	return strings.Join(out, " ")
}

func noteNames(ns []Spelling) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.String()
	}
	return strings.Join(out, " ")
}

// TestChordQualities reads the common qualities, every iReal Pro quality
// (the list in ireal-musicxml) among them, and checks the standard name,
// the spelled chord tones, the guide tones (third and seventh) and the
// available tensions (Levine, The Jazz Theory Book; Berklee's available
// tensions).
func TestChordQualities(t *testing.T) {
	for _, tc := range []struct {
		sym, name, notes, guide, tensions string
	}{
		// Triads and sixths.
		{"C", "C", "C E G", "E", "D F# A"},
		{"C-", "Cm", "C Eb G", "Eb", "D F"},
		{"Co", "Cdim", "C Eb Gb", "Eb", "D F Ab"},
		{"C+", "Caug", "C E G#", "E", "D F#"}, // lydian augmented: 9, #11
		{"Csus", "Csus4", "C F G", "F", "D"},
		{"C5", "C5", "C G", "", "D"},
		{"C2", "C(add9)", "C E G D", "E", "F# A"},
		{"Cadd9", "C(add9)", "C E G D", "E", "F# A"},
		{"C6", "C6", "C E G A", "E A", "D F#"}, // the sixth stands in for the seventh
		{"C69", "C6/9", "C E G A D", "E A", "F#"},
		{"C-6", "Cm6", "C Eb G A", "Eb A", "D F"},
		{"C-69", "Cm6/9", "C Eb G A D", "Eb A", "F"},
		{"C-b6", "Cm(b6)", "C Eb G Ab", "Eb", "D F"},
		{"C-#5", "Cm(#5)", "C Eb G#", "Eb", "D F"},
		// Major sevenths: 9, #11, 13 over them.
		{"C^", "C", "C E G", "E", "D F# A"}, // iReal's "^" alone is a major triad
		{"C^7", "Cmaj7", "C E G B", "E B", "D F# A"},
		{"C^9", "Cmaj9", "C E G B D", "E B", "F# A"},
		{"C^13", "Cmaj13", "C E G B D A", "E B", "F#"},
		{"C^7#11", "Cmaj7(#11)", "C E G B F#", "E B", "D A"},
		{"C^9#11", "Cmaj9(#11)", "C E G B D F#", "E B", "A"},
		{"C^7#5", "Cmaj7(#5)", "C E G# B", "E B", "D F#"},
		{"Bbmaj7#11", "Bbmaj7(#11)", "Bb D F A E", "D A", "C G"},
		// Minor: dorian 9 and 11; minor-major (melodic minor) adds 13.
		{"C-7", "Cm7", "C Eb G Bb", "Eb Bb", "D F"},
		{"C-9", "Cm9", "C Eb G Bb D", "Eb Bb", "F"},
		{"C-11", "Cm11", "C Eb G Bb D F", "Eb Bb", ""},
		{"C-^7", "Cm(maj7)", "C Eb G B", "Eb B", "D F A"},
		{"C-^9", "Cm(maj9)", "C Eb G B D", "Eb B", "F A"},
		// Half-diminished (locrian #2: 9, 11, b13) and diminished
		// (whole-half: 9, 11, b13, major seventh).
		{"Cm7b5", "Cm7b5", "C Eb Gb Bb", "Eb Bb", "D F Ab"},
		{"Ch", "Cm7b5", "C Eb Gb Bb", "Eb Bb", "D F Ab"},
		{"Ch7", "Cm7b5", "C Eb Gb Bb", "Eb Bb", "D F Ab"},
		{"C-7b5", "Cm7b5", "C Eb Gb Bb", "Eb Bb", "D F Ab"},
		{"Ch9", "Cm9b5", "C Eb Gb Bb D", "Eb Bb", "F Ab"},
		{"Co7", "Cdim7", "C Eb Gb Bbb", "Eb Bbb", "D F Ab B"},
		// Dominants: 9, #11, 13, or the altered tensions once one is written.
		{"C7", "C7", "C E G Bb", "E Bb", "D F# A"},
		{"C9", "C9", "C E G Bb D", "E Bb", "F# A"},
		{"C11", "C9sus4", "C F G Bb D", "F Bb", "A"}, // no major third under the 11th
		{"C13", "C13", "C E G Bb D A", "E Bb", "F#"}, // and no 11th over it
		{"C7b9", "C7(b9)", "C E G Bb Db", "E Bb", "D# F# Ab"},
		{"C7#9", "C7(#9)", "C E G Bb D#", "E Bb", "Db F# Ab"},
		{"C7#11", "C7(#11)", "C E G Bb F#", "E Bb", "D A"},
		{"C7b5", "C7(b5)", "C E Gb Bb", "E Bb", "D A"},
		{"C7#5", "C7(#5)", "C E G# Bb", "E Bb", "Db D# F#"},
		{"C9#11", "C9(#11)", "C E G Bb D F#", "E Bb", "A"},
		{"C9b5", "C9(b5)", "C E Gb Bb D", "E Bb", "A"},
		{"C9#5", "C9(#5)", "C E G# Bb D", "E Bb", "Db D# F#"},
		{"C7b13", "C7(b13)", "C E G Bb Ab", "E Bb", "Db D# F#"},
		{"C7#9#5", "C7(#5,#9)", "C E G# Bb D#", "E Bb", "Db F#"},
		{"C7#9b5", "C7(b5,#9)", "C E Gb Bb D#", "E Bb", "Db Ab"},
		{"C7#9#11", "C7(#9,#11)", "C E G Bb D# F#", "E Bb", "Db Ab"},
		{"C7b9#11", "C7(b9,#11)", "C E G Bb Db F#", "E Bb", "D# Ab"},
		{"C7b9b5", "C7(b5,b9)", "C E Gb Bb Db", "E Bb", "D# Ab"},
		{"C7b9#5", "C7(#5,b9)", "C E G# Bb Db", "E Bb", "D# F#"},
		{"C7b9#9", "C7(b9,#9)", "C E G Bb Db D#", "E Bb", "F# Ab"},
		{"C7b9b13", "C7(b9,b13)", "C E G Bb Db Ab", "E Bb", "D# F#"},
		{"C13#11", "C13(#11)", "C E G Bb D F# A", "E Bb", ""},
		{"C13b9", "C13(b9)", "C E G Bb Db A", "E Bb", "D# F#"}, // half-whole: 13, not b13
		{"C13#9", "C13(#9)", "C E G Bb D# A", "E Bb", "Db F#"},
		// alt: the altered scale's b9, #9, b5 and b13 over the guide tones.
		{"C7alt", "C7alt", "C E Gb Bb Db D# Ab", "E Bb", ""},
		{"G7alt", "G7alt", "G B Db F Ab A# Eb", "B F", ""},
		// Suspended dominants: the fourth is the guide tone.
		{"C7sus", "C7sus4", "C F G Bb", "F Bb", "D A"},
		{"C9sus", "C9sus4", "C F G Bb D", "F Bb", "A"},
		{"C13sus", "C13sus4", "C F G Bb D A", "F Bb", ""},
		{"C7b9sus", "C7sus4(b9)", "C F G Bb Db", "F Bb", "Ab"}, // phrygian
		{"C7b13sus", "C7sus4(b13)", "C F G Bb Ab", "F Bb", "Db"},
		{"C7susadd3", "C7sus4add3", "C E F G Bb", "E Bb", "D F# A"},
	} {
		c, err := ParseChord(tc.sym)
		if err != nil {
			t.Errorf("%s: %v", tc.sym, err)
			continue
		}
		if got := c.Name(); got != tc.name {
			t.Errorf("%s: Name %s, want %s", tc.sym, got, tc.name)
		}
		if got := noteNames(c.Notes()); got != tc.notes {
			t.Errorf("%s: Notes %s, want %s", tc.sym, got, tc.notes)
		}
		if got := spell(c.Root, c.GuideTones()); got != tc.guide {
			t.Errorf("%s: GuideTones %s, want %s", tc.sym, got, tc.guide)
		}
		if got := spell(c.Root, c.Tensions()); got != tc.tensions {
			t.Errorf("%s: Tensions %s, want %s", tc.sym, got, tc.tensions)
		}
	}
}

// TestChordSpellings: chord tones are spelled by degree from the root, so
// a sharp root gets sharps and a flat root flats (and doubles where the
// degree asks for them).
func TestChordSpellings(t *testing.T) {
	for _, tc := range []struct{ sym, notes string }{
		{"F#7", "F# A# C# E"},
		{"Gb7", "Gb Bb Db Fb"},
		{"Ebm7b5", "Eb Gb Bbb Db"},
		{"Bdim7", "B D F Ab"},
		{"C#7#9", "C# E# G# B D##"},
		{"Fbmaj7", "Fb Ab Cb Eb"},
		{"E#m", "E# G# B#"},
		{"Abm(maj7)", "Ab Cb Eb G"},
	} {
		if got := noteNames(MustParseChord(tc.sym).Notes()); got != tc.notes {
			t.Errorf("%s: %s, want %s", tc.sym, got, tc.notes)
		}
	}
}

func TestChordTranspose(t *testing.T) {
	for _, tc := range []struct {
		sym  string
		iv   Interval
		name string
		// notes, when given, checks the spelling of the result.
		notes string
	}{
		{"Eb7", MajorSecond, "F7", "F A C Eb"}, // A natural, not Bbb
		{"Bb7", MajorSecond, "C7", "C E G Bb"},
		{"Bb7/D", MajorSecond, "C7/E", ""},
		{"Ebm(maj7)/D", MinorThird, "Gbm(maj7)/F", "Gb Bbb Db F"},
		{"Cmaj7", Interval{-5, -7}, "Fmaj7", "F A C E"},
		{"F#m7b5", Tritone, "B#m7b5", ""}, // an augmented fourth up keeps letters
		{"F#m7b5", DimFifth, "Cm7b5", ""},
		{"N.C.", MajorSecond, "N.C.", ""},
	} {
		c := MustParseChord(tc.sym).Transpose(tc.iv)
		if got := c.Name(); got != tc.name {
			t.Errorf("%s + %v = %s, want %s", tc.sym, tc.iv, got, tc.name)
		}
		if tc.notes != "" {
			if got := noteNames(c.Notes()); got != tc.notes {
				t.Errorf("%s + %v notes %s, want %s", tc.sym, tc.iv, got, tc.notes)
			}
		}
		if c.Symbol != c.Name() {
			t.Errorf("%s + %v: Symbol %q, want the new name", tc.sym, tc.iv, c.Symbol)
		}
	}
	// Transposing copies the alterations rather than sharing them.
	a := MustParseChord("C7(b9,#11)")
	b := a.Transpose(MajorSecond)
	b.Alterations[0] = Degree(9, 1)
	if a.Alterations[0] != Degree(9, -1) {
		t.Error("Transpose shares Alterations with the original")
	}
}

func TestChordBass(t *testing.T) {
	for _, tc := range []struct {
		sym, bass string
		slash     bool
	}{
		{"C/E", "E", true},
		{"Am7/G", "G", true},
		{"Cm/maj7", "C", false}, // maj7 is no note
		{"Cm/maj7/B", "B", true},
		{"C6/9", "C", false},
		{"Bb13b9/Eb", "Eb", true},
		{"C/Fb", "Fb", true},
	} {
		c := MustParseChord(tc.sym)
		if c.HasBass != tc.slash || c.BassNote().String() != tc.bass {
			t.Errorf("%s: bass %s (slash %v), want %s (%v)", tc.sym, c.BassNote(), c.HasBass, tc.bass, tc.slash)
		}
		if tc.slash && c.PitchClasses()&(1<<c.Bass.PitchClass()) == 0 {
			t.Errorf("%s: the bass is missing from PitchClasses", tc.sym)
		}
	}
}

func TestChordSame(t *testing.T) {
	same := [][2]string{
		{"C-7", "Cm7"}, {"C^7", "CM7"}, {"Ch7", "Cm7b5"}, {"Co7", "Cdim7"}, {"C07", "C°7"},
		{"C#7", "Db7"}, {"C7+", "C7#5"}, {"C+7", "Caug7"}, {"C6/9", "C69"}, {"C11", "C9sus4"},
		{"Cmin7", "Cm7"}, {"Csus", "Csus4"}, {"N.C.", "NC"},
	}
	for _, p := range same {
		if !MustParseChord(p[0]).Same(MustParseChord(p[1])) {
			t.Errorf("%s and %s should sound the same", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"C7", "Cmaj7"}, {"Cm7b5", "Cdim7"}, {"C/E", "C"}, {"Am7", "C6"}, {"C", "N.C."}, {"C7alt", "C7#5#9"},
	}
	for _, p := range differ {
		if MustParseChord(p[0]).Same(MustParseChord(p[1])) {
			t.Errorf("%s and %s should differ", p[0], p[1])
		}
	}
}

func TestParseChordErrors(t *testing.T) {
	for _, sym := range []string{
		"", " ", "H7", "c7", "7", "Cq", "Cadd", "C7b", "Comit7", "C7#7", "C13b11b",
		"C###", "C(add)", "Xmaj7", "C7u", "C*7+*",
	} {
		if c, err := ParseChord(sym); err == nil {
			t.Errorf("ParseChord(%q) = %s, want an error", sym, c.Name())
		}
	}
}

// chordFixtures reads testdata/chords.txt.
func chordFixtures(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/chords.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// checkChord asserts what must hold for any chord ParseChord accepts.
func checkChord(t *testing.T, sym string, c Chord) {
	t.Helper()
	name := c.Name()
	back, err := ParseChord(name)
	if err != nil || !back.Same(c) {
		t.Fatalf("%q: Name %q reads back as %q (%v)", sym, name, back.Name(), err)
	}
	if again := back.Name(); again != name {
		t.Fatalf("%q: Name %q reads back with Name %q", sym, name, again)
	}
	if c.NoChord {
		return
	}
	if len(c.Notes()) != len(c.Tones()) || c.PitchClasses()&(1<<c.Root.PitchClass()) == 0 && !omits(c, 1) {
		t.Fatalf("%q: notes %v for tones %v", sym, c.Notes(), c.Tones())
	}
	for _, ts := range c.Tensions() {
		if c.PitchClasses()&(1<<mod12(c.Root.PitchClass()+ts.Semitones)) != 0 {
			t.Fatalf("%q: tension %v is a chord tone", sym, ts)
		}
	}
}

func omits(c Chord, deg int) bool {
	for _, o := range c.Omit {
		if o == deg {
			return true
		}
	}
	return false
}

func TestChordFixtures(t *testing.T) {
	for _, sym := range chordFixtures(t) {
		c, err := ParseChord(sym)
		if err != nil {
			t.Errorf("%s: %v", sym, err)
			continue
		}
		checkChord(t, sym, c)
	}
}

// FuzzParseChord: ParseChord never panics, and whatever it reads has a
// name that reads back to the same chord.
func FuzzParseChord(f *testing.F) {
	for _, sym := range chordFixtures(f) {
		f.Add(sym)
	}
	f.Fuzz(func(t *testing.T, sym string) {
		c, err := ParseChord(sym)
		if err != nil {
			return
		}
		checkChord(t, sym, c)
		_ = c.GuideTones()
		_ = c.Transpose(MinorThird).Name()
	})
}

// TestQualityTable: every quality of the table ParseChord and Name share
// reads back from its own name, with each extension where the name has a
// seventh ("m9b5"), and every spelling of it reads as the same chord.
func TestQualityTable(t *testing.T) {
	for _, q := range qualities {
		names := []string{q.name}
		if strings.Contains(q.name, "7") {
			for _, ext := range []string{"9", "11", "13"} {
				names = append(names, strings.Replace(q.name, "7", ext, 1))
			}
		}
		for _, name := range names {
			c, err := ParseChord("C" + name)
			if err != nil {
				t.Errorf("C%s: %v", name, err)
				continue
			}
			if !c.is(q) {
				t.Errorf("C%s reads as third %d, fifth %d, seventh %d; the table says %d, %d, %d",
					name, c.Third, c.Fifth, c.Seventh, q.third, q.fifth, q.seventh)
			}
			if got := c.Name(); got != "C"+name {
				t.Errorf("C%s: Name %s", name, got)
			}
		}
		for _, sp := range q.spellings {
			sym := "C" + sp + q.then
			c, err := ParseChord(sym)
			if err != nil {
				t.Errorf("%s: %v", sym, err)
				continue
			}
			if !c.is(q) || c.Name() != "C"+q.name {
				t.Errorf("%s reads as %s (third %d, fifth %d, seventh %d), want C%s", sym, c.Name(), c.Third, c.Fifth, c.Seventh, q.name)
			}
		}
	}
}
