package music

import (
	"fmt"
	"strings"
	"testing"
)

// Key signatures as printed in any theory book, by the conventional name
// of each key: the reference the transposition is checked against.
var (
	majorSignatures = map[string]int{"C": 0, "Db": -5, "D": 2, "Eb": -3, "E": 4, "F": -1, "Gb": -6, "G": 1, "Ab": -4, "A": 3, "Bb": -2, "B": 5}
	minorSignatures = map[string]int{"C": -3, "C#": 4, "D": -1, "Eb": -6, "E": 1, "F": -4, "F#": 3, "G": -2, "G#": 5, "A": 0, "Bb": -5, "B": 2}
)

// testTune builds a chart from bars of chord symbols and a melody of
// MIDI pitches, one a beat across the bars, in key.
func testTune(t *testing.T, key string, bars []string, melody []uint8) *Chart {
	t.Helper()
	k, err := ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	c := &Chart{Title: "test", Key: &k, Parts: []Part{{Name: "melody", Role: RoleMelody}}}
	origin := &Origin{Kind: HumanEntered}
	for i, bar := range bars {
		var b Bar
		for j, sym := range strings.Fields(bar) {
			ch, err := ParseChord(sym)
			if err != nil {
				t.Fatal(err)
			}
			b.Chords = append(b.Chords, ChordAt{Offset: Ticks(j) * 2 * PPQ, Chord: ch})
		}
		for beat := 0; beat < 4 && 4*i+beat < len(melody); beat++ {
			b.Notes = append(b.Notes, Note{ID: NoteID(4*i + beat + 1), Pitch: melody[4*i+beat], Velocity: 80, Start: Ticks(beat) * PPQ, Duration: PPQ, Origin: origin})
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// A major tune with secondary dominants, a tritone substitute (bII7, which
// moved to Gb would be spelled Abb) and chromatic melody notes; a minor
// tune in G minor (Autumn Leaves' changes).
func majorTune(t *testing.T) *Chart {
	return testTune(t, "C", []string{"Cmaj7 A7", "Dm7 G7", "Em7 Ebdim7", "Dm7 Db7", "F#m7b5 B7", "Em7 E7/G#", "Fmaj7 Fm6", "Cmaj7"},
		[]uint8{60, 64, 67, 69, 62, 65, 71, 67, 64, 63, 62, 61, 66, 69, 71, 63, 64, 68, 71, 76, 65, 69, 68, 72, 72, 67, 64, 60})
}

func minorTune(t *testing.T) *Chart {
	return testTune(t, "Gm", []string{"Cm7 F7", "Bbmaj7 Ebmaj7", "Am7b5 D7b9", "Gm6 Gm/F", "Ebmaj7 D7#5", "Gm"},
		[]uint8{67, 69, 70, 75, 74, 72, 70, 69, 69, 66, 72, 74, 67, 70, 65, 62, 63, 67, 66, 62, 67, 67, 67, 67})
}

// degree is the letter steps and semitones from the tonic to a note.
func degree(tonic, s Spelling) [2]int {
	return [2]int{mod7(int(s.Step) - int(tonic.Step)), mod12(s.PitchClass() - tonic.PitchClass())}
}

// checkTransposed checks a moved chart against the original, as a
// musician reads it: the key signature of the new key, the mode kept,
// every chord on the same degree with the same quality and no double
// accidentals, every melody note on the same degree and, where the
// original was in the key, written without an accidental.
func checkTransposed(t *testing.T, name string, from, to *Chart, wantFifths int, wantMode Mode) {
	t.Helper()
	fk, tk := from.KeyOrDefault(), to.KeyOrDefault()
	if tk.Mode != wantMode || tk.Fifths() != wantFifths {
		t.Errorf("%s: key %v (%d fifths), want %v with %d fifths", name, tk, tk.Fifths(), wantMode, wantFifths)
		return
	}
	shift := mod12(tk.Tonic.PitchClass() - fk.Tonic.PitchClass())
	fsig, tsig := fk.Signature(), tk.Signature()
	for i := range from.Bars {
		fb, tb := &from.Bars[i], &to.Bars[i]
		for j, fc := range fb.Chords {
			tc := tb.Chords[j].Chord
			if tc.Root.Alter > 1 || tc.Root.Alter < -1 || tc.HasBass && (tc.Bass.Alter > 1 || tc.Bass.Alter < -1) {
				t.Errorf("%s: bar %d: %s is spelled with a double accidental", name, i+1, tc)
			}
			if tc.PitchClasses() != fc.Chord.PitchClasses()<<shift&0xfff|fc.Chord.PitchClasses()>>(12-shift) {
				t.Errorf("%s: bar %d: %s is not %s moved %d semitones", name, i+1, tc, fc.Chord, shift)
			}
			// Same degree, letter and all, unless the original degree
			// would need a double accidental here.
			want := Spelling.Transpose(tk.Tonic, Interval{Number: degree(fk.Tonic, fc.Chord.Root)[0] + 1, Semitones: degree(fk.Tonic, fc.Chord.Root)[1]})
			if want.Alter >= -1 && want.Alter <= 1 && tc.Root != want {
				t.Errorf("%s: bar %d: %s is spelled %s, want %s (the degree of %s in %s)", name, i+1, tc, tc.Root, want, fc.Chord, fk)
			}
			if !strings.HasPrefix(tc.Symbol, tc.Root.String()) {
				t.Errorf("%s: bar %d: symbol %q does not start with its root %s", name, i+1, tc.Symbol, tc.Root)
			}
		}
		for j, fn := range fb.Notes {
			tn := tb.Notes[j]
			if d := mod12(int(tn.Pitch) - int(fn.Pitch)); d != shift {
				t.Errorf("%s: bar %d: note %d moved %d semitones, want %d", name, i+1, fn.Pitch, d, shift)
			}
			fp, tp := fk.Spell(int(fn.Pitch)), tk.Spell(int(tn.Pitch))
			if tp.MIDI() != int(tn.Pitch) {
				t.Errorf("%s: Spell(%d) = %v sounds %d", name, tn.Pitch, tp, tp.MIDI())
			}
			if fp.Alter == fsig[fp.Step] {
				// In the key before: in the key after, on the same degree.
				if tp.Alter != tsig[tp.Step] || degree(tk.Tonic, tp.Spelling)[0] != degree(fk.Tonic, fp.Spelling)[0] {
					t.Errorf("%s: bar %d: %v in %v is written %v in %v", name, i+1, fp, fk, tp, tk)
				}
			}
			if tn.Origin == nil || tn.Origin.Step != "transpose" || tn.Origin.Base != fn.Origin {
				t.Errorf("%s: bar %d: note origin %+v does not record the transposition", name, i+1, tn.Origin)
			}
		}
	}
}

// TestTransposeEveryKey moves a major and a minor tune to each of the 24
// keys, by name and by semitones, and checks the key signature and the
// spelling of every chord and note.
func TestTransposeEveryKey(t *testing.T) {
	for _, tc := range []struct {
		tune  *Chart
		mode  Mode
		table map[string]int
	}{{majorTune(t), Major, majorSignatures}, {minorTune(t), Minor, minorSignatures}} {
		from := tc.tune.KeyOrDefault()
		for name, fifths := range tc.table {
			tr, err := ParseTransposition(name)
			if err != nil {
				t.Fatal(err)
			}
			to := tc.tune.Transpose(tr)
			checkTransposed(t, fmt.Sprintf("%v to %s", from, name), tc.tune, to, fifths, tc.mode)
			// A key moves the melody the shorter way, by a tritone at most.
			if d := int(to.Bars[0].Notes[0].Pitch) - int(tc.tune.Bars[0].Notes[0].Pitch); d > 6 || d < -6 {
				t.Errorf("%v to %s: the melody moved %d semitones", from, name, d)
			}
			// The same key asked for with the other mode's suffix: the
			// tune keeps its own mode.
			other := name + "m"
			if tc.mode == Minor {
				other = name + " major"
			}
			tr, _ = ParseTransposition(other)
			if k := tc.tune.Transpose(tr).KeyOrDefault(); k.Mode != tc.mode || k.Fifths() != fifths {
				t.Errorf("%v --transpose %s: %v, want %s in %v", from, other, k, name, tc.mode)
			}
		}
		// By semitones: every shift lands on the conventional key.
		for n := -11; n <= 11; n++ {
			tr, err := ParseTransposition(fmt.Sprintf("%+d", n))
			if err != nil {
				t.Fatal(err)
			}
			to := tc.tune.Transpose(tr)
			k := to.KeyOrDefault()
			if mod12(k.Tonic.PitchClass()-from.Tonic.PitchClass()) != mod12(n) {
				t.Errorf("%v %+d: %v", from, n, k)
				continue
			}
			fifths, ok := tc.table[k.Tonic.String()]
			if !ok {
				t.Errorf("%v %+d: %v is not the conventional spelling", from, n, k)
				continue
			}
			checkTransposed(t, fmt.Sprintf("%v %+d", from, n), tc.tune, to, fifths, tc.mode)
			// The melody moves as far as asked, up or down.
			if d := int(to.Bars[0].Notes[0].Pitch) - int(tc.tune.Bars[0].Notes[0].Pitch); d != n {
				t.Errorf("%v %+d: the melody moved %d semitones", from, n, d)
			}
		}
	}
}

// TestTransposeMinorKeySignature is the case: --transpose Bb on a
// G minor tune is in B♭ minor, five flats, not B♭ major.
func TestTransposeMinorKeySignature(t *testing.T) {
	tr, err := ParseTransposition("Bb")
	if err != nil {
		t.Fatal(err)
	}
	k := minorTune(t).Transpose(tr).KeyOrDefault()
	if k.Short() != "Bbm" || k.Fifths() != -5 {
		t.Errorf("G minor to Bb: %v (%d fifths), want Bbm (-5)", k, k.Fifths())
	}
}

func TestConventionalSpelling(t *testing.T) {
	for _, tc := range []struct {
		from string
		by   string
		want string
	}{
		{"C", "+1", "Db"}, {"C", "-1", "B"}, {"C", "+6", "Gb"}, {"Am", "+1", "Bbm"}, {"Cm", "+1", "C#m"},
		{"Cm", "+3", "Ebm"}, {"Em", "+4", "G#m"}, {"F", "+1", "Gb"}, {"D dorian", "+2", "E dorian"},
		// A named key beyond seven accidentals is respelled.
		{"C", "D#", "Eb"}, {"Am", "Gb", "F#m"}, {"C", "A#", "Bb"}, {"Am", "A#", "A#m"}, {"C", "C#", "C#"},
	} {
		k, _ := ParseKey(tc.from)
		tr, err := ParseTransposition(tc.by)
		if err != nil {
			t.Fatal(err)
		}
		if got := tr.Target(k).Short(); got != tc.want {
			t.Errorf("%s transposed %s: %s, want %s", tc.from, tc.by, got, tc.want)
		}
	}
}

func TestParseTranspositionErrors(t *testing.T) {
	for _, s := range []string{"", "+12", "-12", "H", "+2x", "Bb lydianish", "Bbb"} {
		if tr, err := ParseTransposition(s); err == nil {
			t.Errorf("ParseTransposition(%q) = %v, want an error", s, tr)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseTransposition(%q): error over lines: %q", s, err)
		}
	}
}

// TestWrittenFor checks the parts for transposing instruments: the
// interval written above concert pitch, the octave kept in the range the
// player reads, and the written key.
func TestWrittenFor(t *testing.T) {
	for _, tc := range []struct {
		tune     *Chart
		inst     string
		key      string // written key
		semis    int    // written minus sounding
		interval string
	}{
		{majorTune(t), "Bb", "D", 2, "M2"},
		{majorTune(t), "Eb", "A", 9, "M6"},
		{majorTune(t), "F", "G", 7, "P5"},
		{minorTune(t), "Bb", "Am", 2, "M2"},
		{minorTune(t), "Eb", "Em", 9, "M6"},
		{minorTune(t), "F", "Dm", 7, "P5"},
	} {
		in, err := ParseTransposing(tc.inst)
		if err != nil {
			t.Fatal(err)
		}
		w := tc.tune.WrittenFor(in)
		if w.Written == nil || w.Written.Written.String() != tc.interval || w.Written.Written.Semitones != tc.semis {
			t.Errorf("%v for %s: written %+v, want %s", tc.tune.Key, tc.inst, w.Written, tc.interval)
			continue
		}
		if got := w.KeyOrDefault().Short(); got != tc.key {
			t.Errorf("%v for %s: written in %s, want %s", tc.tune.Key, tc.inst, got, tc.key)
		}
		for i := range w.Bars {
			for j, n := range w.Bars[i].Notes {
				if d := int(n.Pitch) - int(tc.tune.Bars[i].Notes[j].Pitch); d != tc.semis {
					t.Errorf("%s part: a note written %d above concert, want %d", tc.inst, d, tc.semis)
				}
				if int(n.Pitch) < in.Low || int(n.Pitch) > in.High {
					t.Errorf("%s part: written %d is outside the range %d-%d", tc.inst, n.Pitch, in.Low, in.High)
				}
			}
		}
		if tc.tune.Written != nil {
			t.Error("WrittenFor changed the concert chart")
		}
	}
	// A high concert line for an Eb alto is written a minor third below
	// rather than a sixth above, which would climb out of the range.
	high := testTune(t, "C", []string{"C", "G7"}, []uint8{84, 86, 88, 86, 84, 83, 81, 79})
	w := high.WrittenFor(EbInstrument)
	if w.Written.Written.String() != "-m3" || w.KeyOrDefault().Short() != "A" {
		t.Errorf("high tune for Eb: written %v in %v, want -m3 in A", w.Written.Written, w.KeyOrDefault())
	}
	// A key written beyond seven sharps is respelled: C# major concert
	// is Eb major for Bb instruments, not D# major.
	cs := testTune(t, "C#", []string{"C#"}, []uint8{61, 65, 68, 73})
	if k := cs.WrittenFor(BbInstrument).KeyOrDefault(); k.Short() != "Eb" {
		t.Errorf("C# for Bb: written in %v, want Eb", k)
	}
}
