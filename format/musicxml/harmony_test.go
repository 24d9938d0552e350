package musicxml

import (
	"bytes"
	"encoding/json"
	"os"
	"path"
	"sort"
	"strings"
	"testing"

	"sideman/examples"
	"sideman/format/chart"
	"sideman/internal/shareddata"
	"sideman/music"
)

// pitchClasses spells a chord's sound as sorted note names from C.
func pitchClasses(c music.Chord) string {
	names := []string{"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"}
	var out []string
	pcs := c.PitchClasses()
	for pc := range 12 {
		if pcs&(1<<pc) != 0 {
			out = append(out, names[pc])
		}
	}
	return strings.Join(out, " ")
}

// TestKinds reads every MusicXML 4.0 <kind> over a root and checks the
// chord's notes against the kind's definition in the MusicXML reference
// (the functional kinds against their spelling in harmony texts:
// Neapolitan Db-F-Ab, Italian sixth Ab-C-F#, French Ab-C-D-F#, German
// Ab-C-Eb-F#, the Tristan chord F-B-D#-G#).
func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		root, kind, notes string
	}{
		{"C", "major", "C E G"},
		{"C", "minor", "C Eb G"},
		{"C", "augmented", "C E Ab"},
		{"C", "diminished", "C Eb F#"},
		{"C", "dominant", "C E G Bb"},
		{"C", "major-seventh", "C E G B"},
		{"C", "minor-seventh", "C Eb G Bb"},
		{"C", "diminished-seventh", "C Eb F# A"},
		{"C", "augmented-seventh", "C E Ab Bb"},
		{"C", "half-diminished", "C Eb F# Bb"},
		{"C", "major-minor", "C Eb G B"},
		{"C", "major-sixth", "C E G A"},
		{"C", "minor-sixth", "C Eb G A"},
		{"C", "dominant-ninth", "C D E G Bb"},
		{"C", "major-ninth", "C D E G B"},
		{"C", "minor-ninth", "C D Eb G Bb"},
		// music.ParseChord plays C11 as C9sus4, without the third a minor
		// ninth below the eleventh, as iReal Pro voices it.
		{"C", "dominant-11th", "C D F G Bb"},
		{"C", "major-11th", "C D E F G B"},
		{"C", "minor-11th", "C D Eb F G Bb"},
		{"C", "dominant-13th", "C D E G A Bb"},
		{"C", "major-13th", "C D E G A B"},
		{"C", "minor-13th", "C D Eb F G A Bb"},
		{"C", "suspended-second", "C D G"},
		{"C", "suspended-fourth", "C F G"},
		{"C", "power", "C G"},
		{"C", "pedal", "C"},
		{"Db", "Neapolitan", "C# F Ab"},
		{"Ab", "Italian", "C F# Ab"},
		{"Ab", "French", "C D F# Ab"},
		{"Ab", "German", "C Eb F# Ab"},
		{"F", "Tristan", "Eb F Ab B"},
		{"C", "augmented-ninth", "C D E Ab Bb"},
		{"C", "maj69", "C D E G A"},
	} {
		c, ok := chordSymbol(tc.root, tc.kind, "", nil, "", 0)
		if !ok {
			t.Errorf("%s %s: no chord", tc.root, tc.kind)
			continue
		}
		if got := pitchClasses(c); got != tc.notes {
			t.Errorf("%s %s (%s): %s, want %s", tc.root, tc.kind, c, got, tc.notes)
		}
	}
	if c, ok := chordSymbol("C", "none", "N.C.", nil, "", 0); !ok || !c.NoChord {
		t.Errorf("none: %v", c)
	}
	if c, ok := chordSymbol("C", "other", "7alt", nil, "", 0); !ok || c.String() != "C7alt" {
		t.Errorf("other with text 7alt: %v", c)
	}
	if _, ok := chordSymbol("", "major", "", nil, "", 0); ok {
		t.Errorf("a harmony without a root gave a chord")
	}
}

// TestDegrees reads kinds with <degree> elements as OpenEWLD and other
// exporters write them.
func TestDegrees(t *testing.T) {
	add := func(v, a int) degree { return degree{v, a, "add"} }
	alter := func(v, a int) degree { return degree{v, a, "alter"} }
	sub := func(v int) degree { return degree{v, 0, "subtract"} }
	for _, tc := range []struct {
		kind  string
		degs  []degree
		sym   string
		notes string
	}{
		{"suspended-fourth", []degree{add(7, 0)}, "C7sus4", "C F G Bb"},
		{"suspended-fourth", []degree{add(7, 0), add(9, 0)}, "C7sus4(add9)", "C D F G Bb"},
		{"dominant", []degree{add(9, -1)}, "C7(b9)", "C C# E G Bb"},
		{"dominant", []degree{alter(5, -1)}, "C7(b5)", "C E F# Bb"},
		{"dominant", []degree{alter(5, 1), add(9, -1)}, "C7(#5,b9)", "C C# E Ab Bb"},
		{"minor", []degree{alter(5, 1)}, "Cm(#5)", "C Eb Ab"},
		{"major", []degree{add(9, 0)}, "C(add9)", "C D E G"},
		{"major", []degree{add(7, 1)}, "Cmaj7", "C E G B"},
		{"minor", []degree{add(7, 0)}, "Cm7", "C Eb G Bb"},
		{"major", []degree{add(9, -1)}, "C(addb9)", "C C# E G"},
		{"major", []degree{sub(3)}, "C(no3)", "C G"},
		{"dominant", []degree{sub(5)}, "C7(no5)", "C E Bb"},
		{"dominant-ninth", []degree{alter(9, 1)}, "C9(#9)", "C Eb E G Bb"},
		{"dominant-ninth", []degree{add(11, 1)}, "C9(#11)", "C D E F# G Bb"},
		{"dominant", []degree{sub(7)}, "C", "C E G"},
		{"major-sixth", []degree{add(9, 0)}, "C6(add9)", "C D E G A"},
		{"suspended-fourth", []degree{add(3, 0)}, "Csus4(add3)", "C E F G"},
		// Unknown degrees are left out rather than losing the chord.
		{"major", []degree{add(8, 0)}, "C", "C E G"},
		{"major", []degree{{3, -1, "alter"}}, "C", "C E G"},
	} {
		c, ok := chordSymbol("C", tc.kind, "", tc.degs, "", 0)
		if !ok {
			t.Errorf("%s %v: no chord", tc.kind, tc.degs)
			continue
		}
		if c.String() != tc.sym || pitchClasses(c) != tc.notes {
			t.Errorf("%s %v: %s (%s), want %s (%s)", tc.kind, tc.degs, c, pitchClasses(c), tc.sym, tc.notes)
		}
	}
}

// chordVocabulary collects chord symbols to write: a list of common and
// rare ones, the chords of the bundled example charts, and, when the
// shared data is there, every symbol of the JazzStandards collection and
// of the OpenEWLD lead sheets.
func chordVocabulary(t *testing.T) map[string]music.Chord {
	vocab := map[string]music.Chord{}
	addSym := func(s string) {
		s = strings.Trim(strings.TrimSpace(s), "()")
		if s == "" {
			return
		}
		if c, err := music.ParseChord(s); err == nil {
			vocab[s] = c
		}
	}
	for _, s := range strings.Fields(`C Cm Caug Cdim C7 Cmaj7 Cm7 Cdim7 C7#5 Cm7b5 Cm(maj7) C6 Cm6 C9 Cmaj9 Cm9 C11
		Cmaj11 Cm11 C13 Cmaj13 Cm13 Csus2 Csus4 C5 C7sus4 C9sus4 C7(b9) C7(#9) C7(#11) C7(b13) C7alt C13(b9)
		C7(b5,b9) C7(#5,#9) Cmaj7(#11) C6/9 Cm6/9 C(add9) Cm(add9) C(add2) C(add4) Cmaj7#5 Cdim(maj7) Co7M7
		C7/E C/G Cm7/Bb Bb7(#11)/D F#m7b5 Gb13 Ebm(maj9) Ab7sus4(b9) Dbmaj7(#5) E7(no5) C(no3) Cm(no5)
		C7sus4add3 C7(add13) Cmaj7(add13) C(b5) Csus24 C+ C+7 Cm#5 C(#5) Cm(b6) N.C.`) {
		addSym(s)
	}
	for _, name := range examples.Names() {
		src, _ := examples.Open(name)
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			for _, b := range c.Bars {
				for _, ch := range b.Chords {
					vocab[ch.Chord.String()] = ch.Chord
				}
			}
		}
	}
	if haveData(t, "jazz-standards/JazzStandards.json") {
		root, _ := shareddata.Root()
		if b, err := os.ReadFile(path.Join(root, "jazz-standards/JazzStandards.json")); err == nil {
			var tunes []struct {
				Sections []struct {
					MainSegment struct{ Chords string }
					Endings     []struct{ Chords string }
				}
			}
			if err := json.Unmarshal(b, &tunes); err != nil {
				t.Fatal(err)
			}
			for _, tune := range tunes {
				for _, s := range tune.Sections {
					all := s.MainSegment.Chords
					for _, e := range s.Endings {
						all += "|" + e.Chords
					}
					for _, f := range strings.FieldsFunc(all, func(r rune) bool { return r == '|' || r == ',' }) {
						main, _, _ := strings.Cut(f, "(")
						addSym(main)
					}
				}
			}
		}
		if haveData(t, "openewld/OpenEWLD.tar.gz") {
			c := loadCorpus(t, "openewld")
			for _, data := range c.data {
				ch, err := DecodeBytes(data)
				if err != nil {
					continue
				}
				for _, b := range ch.Bars {
					for _, ca := range b.Chords {
						vocab[ca.Chord.String()] = ca.Chord
					}
				}
			}
		}
	}
	return vocab
}

// TestHarmonyRoundTrip writes every chord of the vocabulary as a
// <harmony> and reads it back: it must sound the same (root, pitch
// classes, bass). Most are written as a kind with degrees; the rest as
// kind "other" with the symbol as text.
func TestHarmonyRoundTrip(t *testing.T) {
	vocab := chordVocabulary(t)
	var syms []string
	for s := range vocab {
		syms = append(syms, s)
	}
	sort.Strings(syms)
	var other []string
	for _, s := range syms {
		c := vocab[s]
		if _, _, ok := harmonyDegrees(c); !ok && !c.NoChord {
			other = append(other, s)
		}
		ch := &music.Chart{Bars: []music.Bar{{Chords: []music.ChordAt{{Chord: c}}}}}
		var buf bytes.Buffer
		if err := Encode(&buf, ch); err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		back, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if len(back.Bars) != 1 || len(back.Bars[0].Chords) != 1 {
			t.Errorf("%s: read back %d bars", s, len(back.Bars))
			continue
		}
		got := back.Bars[0].Chords[0].Chord
		if !sameSound(c, got) {
			t.Errorf("%s (%s) came back as %s (%s)", s, pitchClasses(c), got, pitchClasses(got))
		}
	}
	t.Logf("%d chord symbols written and read back; %d as kind other: %s", len(syms), len(other), strings.Join(other, " "))
	if len(other) > len(syms)/20 {
		t.Errorf("%d of %d chords need kind other", len(other), len(syms))
	}
}
