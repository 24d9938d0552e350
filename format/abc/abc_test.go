package abc

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

// pn is a played note: pitch, start and length in ticks.
type pn struct {
	p          uint8
	start, dur music.Ticks
}

func (n pn) String() string { return fmt.Sprintf("%d@%d+%d", n.p, n.start, n.dur) }

// tune wraps a body in a header (4/4, eighth notes, C major) unless it
// starts with its own X: line.
func tune(body string) string {
	if strings.HasPrefix(body, "X:") {
		return body
	}
	return "X:1\nT:t\nM:4/4\nL:1/8\nK:C\n" + body + "\n"
}

func decodeOne(t *testing.T, src string) *music.Chart {
	t.Helper()
	cs, err := Decoder{Source: "test.abc"}.DecodeBytes([]byte(tune(src)))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	if len(cs) != 1 {
		t.Fatalf("%q: %d tunes, want 1", src, len(cs))
	}
	return cs[0]
}

func playedNotes(c *music.Chart) []pn {
	var out []pn
	for _, n := range c.Perform(1).Parts[0].Notes {
		out = append(out, pn{n.Pitch, n.Start, n.Duration})
	}
	return out
}

// Ticks of note values at 960 per quarter.
const (
	w  = 3840
	h  = 1920
	q  = 960
	e  = 480
	s  = 240
	ts = 120
)

// notesAt lays out pitches of one length from tick 0.
func notesAt(d music.Ticks, pitches ...uint8) []pn {
	var out []pn
	for i, p := range pitches {
		out = append(out, pn{p, music.Ticks(i) * d, d})
	}
	return out
}

func TestNotation(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []pn
	}{
		{"octaves", "C, C c c' B,, b'", notesAt(e, 48, 60, 72, 84, 47, 95)},
		{"accidentals", "^C _D =E ^^F __B z3", notesAt(e, 61, 61, 64, 67, 69)},
		// An accidental lasts to the end of the bar for the same letter in
		// the same octave; the barline ends it.
		{"accidental carried", "^F F f F =F F z2|F", append(notesAt(e, 66, 66, 77, 66, 65, 65), pn{65, w, e})},
		{"accidental carried, pitch", "%%propagate-accidentals pitch\n^F F f F z4|F", append(notesAt(e, 66, 66, 78, 66), pn{65, w, e})},
		{"accidental not carried", "I:propagate-accidentals not\n^F F z6", notesAt(e, 66, 65)},
		{"lengths", "A2 A/2 A/ A3/2 A// A A3 z/", []pn{{69, 0, q}, {69, q, s}, {69, q + s, s}, {69, q + 2*s, 3 * s}, {69, 2*q + s, ts}, {69, 2*q + s + ts, e}, {69, 2760, 3 * e}}},
		{"broken rhythm", "A>B A<B A>>B c2", []pn{{69, 0, 3 * s}, {71, 3 * s, s}, {69, q, s}, {71, q + s, 3 * s}, {69, 2 * q, 7 * ts}, {71, 2*q + 7*ts, ts}, {72, 3 * q, q}}},
		{"triplet", "(3ABc d2 z4", []pn{{69, 0, 320}, {71, 320, 320}, {72, 640, 320}, {74, q, q}}},
		{"tuplet p:q:r", "(3:2:2A2B c z4", []pn{{69, 0, 640}, {71, 640, 320}, {72, q, e}}},
		{"quintuplet", "(5ABcde z4", notesAt(192, 69, 71, 72, 74, 76)},
		{"duplet in 6/8", "X:1\nM:6/8\nL:1/8\nK:C\n(2AB c|", []pn{{69, 0, 720}, {71, 720, 720}, {72, 1440, e}}},
		{"tie", "A2-A2 B4", []pn{{69, 0, h}, {71, h, h}}},
		{"tie over barline", "z4 A4-|A4 B4", []pn{{69, h, w}, {71, w + h, h}}},
		{"tie keeps the accidental", "z4 ^F4-|F2 F2 z4", []pn{{66, h, h + q}, {65, w + q, q}}},
		{"tie to another pitch", "A2-B2 z4", notesAt(q, 69, 71)},
		{"chord tie", "[CE]2-[CE]2 z4", []pn{{60, 0, h}, {64, 0, h}}},
		{"chord note tie", "[C-E]2 [CG]2 z4", []pn{{60, 0, h}, {64, 0, q}, {67, q, q}}},
		{"chord", "[CEG]2 [C2E]2 z2", []pn{{60, 0, q}, {64, 0, q}, {67, 0, q}, {60, q, 2 * q}, {64, q, q}}},
		{"grace notes", "{g}A {/fe}B z6", notesAt(e, 69, 71)},
		{"rests", "z2 A2 x2 B2", []pn{{69, q, q}, {71, 3 * q, q}}},
		{"multi-bar rest", "A8|Z2|B8", []pn{{69, 0, w}, {71, 3 * w, w}}},
		{"decorations", "!trill!A .B ~c HD Te uf vg !p!a", notesAt(e, 69, 71, 72, 62, 76, 77, 79, 81)},
		{"slurs", "(AB) (c d) z4", notesAt(e, 69, 71, 72, 74)},
		{"comments and continuations", "A B % a comment\nc d \\\ne f g a", notesAt(e, 69, 71, 72, 74, 76, 77, 79, 81)},
		{"inline key", "F [K:G] F z6", notesAt(e, 65, 66)},
		{"body key line", "F z7|\nK:D\nF c z6", []pn{{65, 0, e}, {66, w, e}, {73, w + e, e}}},
		{"unit length change", "A B z6|\nL:1/4\nA B z2", []pn{{69, 0, e}, {71, e, e}, {69, w, q}, {71, w + q, q}}},
		{"inline unit length", "A [L:1/16] A z6", []pn{{69, 0, e}, {69, e, s}}},
		{"default unit below 3/4", "X:1\nM:2/4\nK:C\nA B c z|", notesAt(s, 69, 71, 72)},
		{"voices: the first is read", "X:1\nM:4/4\nL:1/4\nV:1\nV:2\nK:C\nV:1\nC D E F|\nV:2\nc d e f|\nV:1\nG4|", []pn{{60, 0, q}, {62, q, q}, {64, 2 * q, q}, {65, 3 * q, q}, {67, w, w}}},
		{"inline voices", "X:1\nM:4/4\nL:1/4\nK:C\n[V:1] C D E F|[V:2] c d e f|[V:1] G4|", []pn{{60, 0, q}, {62, q, q}, {64, 2 * q, q}, {65, 3 * q, q}, {67, w, w}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := playedNotes(decodeOne(t, tc.src))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%q:\n got %v\nwant %v", tc.src, got, tc.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	for _, tc := range []struct {
		k    string
		key  string // Key.String(), "" for none
		want []uint8
	}{
		// The notes C D E F G A B c under each key signature.
		{"C", "C major", []uint8{60, 62, 64, 65, 67, 69, 71, 72}},
		{"G", "G major", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"Ador", "A dorian", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"A Dorian", "A dorian", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"Dmix", "D mixolydian", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"Em", "E minor", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"F#m", "F# minor", []uint8{61, 62, 64, 66, 68, 69, 71, 73}},
		{"Bb", "Bb major", []uint8{60, 62, 63, 65, 67, 69, 70, 72}},
		{"Gm", "G minor", []uint8{60, 62, 63, 65, 67, 69, 70, 72}},
		{"Ebmaj", "Eb major", []uint8{60, 62, 63, 65, 67, 68, 70, 72}},
		{"Elocrian", "E locrian", []uint8{60, 62, 64, 65, 67, 69, 70, 72}},
		{"Flyd", "F lydian", []uint8{60, 62, 64, 65, 67, 69, 71, 72}},
		{"Bphr", "B phrygian", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"D =c", "D major", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"C exp ^f _b", "C major", []uint8{60, 62, 64, 66, 67, 69, 70, 72}},
		{"G clef=bass", "G major", []uint8{60, 62, 64, 66, 67, 69, 71, 72}},
		{"none", "", []uint8{60, 62, 64, 65, 67, 69, 71, 72}},
		{"HP", "A mixolydian", []uint8{60, 62, 64, 65, 67, 69, 71, 72}},
		{"Hp", "A mixolydian", []uint8{61, 62, 64, 66, 67, 69, 71, 73}},
		// A key set again before the first note is the tune's.
		{"C\nK:Bb", "Bb major", []uint8{60, 62, 63, 65, 67, 69, 70, 72}},
	} {
		c := decodeOne(t, "X:1\nM:4/4\nL:1/8\nK:"+tc.k+"\nCDEF GABc|")
		key := ""
		if c.Key != nil {
			key = c.Key.String()
		}
		var got []uint8
		for _, n := range playedNotes(c) {
			got = append(got, n.p)
		}
		if key != tc.key || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("K:%s: key %q, notes %v; want %q, %v", tc.k, key, got, tc.key, tc.want)
		}
	}
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		src          string
		meter        string // "" for none
		tempo        int
		title, comp  string
		style        string
		firstNoteDur music.Ticks
	}{
		{"X:1\nT:Jig\nT:subtitle\nC:Trad.\nR:jig\nM:6/8\nQ:3/8=112\nK:G\nA|", "6/8", 112, "Jig", "Trad.", "jig", e},
		{"X:1\nM:6/8\nQ:1/4=90\nK:G\nA|", "6/8", 60, "", "", "", e},
		{"X:1\nM:C\nQ:120\nK:G\nA|", "4/4", 60, "", "", "", e},
		{"X:1\nM:C|\nQ:\"Allegro\" 1/2=100\nK:G\nA|", "2/2", 100, "", "", "", e},
		{"X:1\nM:none\nK:G\nA|", "", 0, "", "", "", e},
		{"X:1\nM:2+3/8\nL:1/16\nK:G\nA|", "5/8", 0, "", "", "", s},
		{"X:1\nM:3/4\nK:G\nA|", "3/4", 0, "", "", "", e},
		{"X:1\nM:3/8\nQ:Allegro\nK:G\nA|", "3/8", 0, "", "", "", s},
		{"X:1\nC:A. Smith\nC:B. Jones\nK:G\nA|", "", 0, "", "A. Smith; B. Jones", "", e},
		// A meter set after K: but before the first note is the tune's
		// (the Nottingham files write M:4/4, K:, then M:6/8).
		{"X:1\nM:4/4\nQ:3/8=100\nK:D\nM:6/8\nA|", "6/8", 100, "", "", "", e},
	} {
		c := decodeOne(t, tc.src)
		meter := ""
		if c.Meter != nil {
			meter = c.Meter.String()
		}
		d := playedNotes(c)[0].dur
		if meter != tc.meter || c.Tempo != tc.tempo || c.Title != tc.title || c.Composer != tc.comp || c.Style != tc.style || d != tc.firstNoteDur {
			t.Errorf("%q: meter %q tempo %d title %q composer %q style %q note %d; want %q %d %q %q %q %d",
				tc.src, meter, c.Tempo, c.Title, c.Composer, c.Style, d, tc.meter, tc.tempo, tc.title, tc.comp, tc.style, tc.firstNoteDur)
		}
		if p := c.Parts; len(p) != 1 || p[0].Name != "Melody" || p[0].Role != "melody" || p[0].Channel != 0 || p[0].Program != 0 {
			t.Errorf("%q: parts %+v, want one melody part", tc.src, p)
		}
	}
}

// playedPitches lists the pitches in played order.
func playedPitches(c *music.Chart) string {
	var b strings.Builder
	for i, n := range playedNotes(c) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(music.PitchFromMIDI(int(n.p), false).String())
	}
	return b.String()
}

// TestForm checks repeats, volta brackets and parts by the pitches played.
func TestForm(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"repeat", "|:C8|D8:|E8|]", "C4 D4 C4 D4 E4"},
		{"repeat from the start", "C8|D8:|E8|]", "C4 D4 C4 D4 E4"},
		{"two repeats without starts", "C8|D8:|E8|F8:|", "C4 D4 C4 D4 E4 F4 E4 F4"},
		{"double repeat", "|:C8::D8:|", "C4 C4 D4 D4"},
		{"double repeat :||:", "|:C8:||:D8:|", "C4 C4 D4 D4"},
		{"endings", "|:C8|[1 D8:|[2 E8|]", "C4 D4 C4 E4"},
		{"endings with bars", "|:C8|1 D8:|2 E8|]", "C4 D4 C4 E4"},
		{"ending for two passes", "|:C8|[1,2 D8:|[3 E8|]", "C4 D4 C4 D4 C4 E4"},
		{"ending range", "|:C8|[1-2 D8:|[3 E8|]", "C4 D4 C4 D4 C4 E4"},
		{"ending within a bar", "|:C4 [1 D4:|[2 E4|]", "C4 D4 C4 E4"},
		{"second strain after endings", "|:C8|[1 D8:|[2 E8||F8|G8:|", "C4 D4 C4 E4 F4 G4 F4 G4"},
		{"double bar after a repeat", "C8|D8:|E8||F8|G8:|", "C4 D4 C4 D4 E4 F4 G4 F4 G4"},
		{"part order", "X:1\nM:4/4\nL:1/8\nP:ABA\nK:C\nP:A\nC8|\nP:B\nD8|", "C4 D4 C4"},
		{"Y: part order", "X:1\nY:AABB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|\nP:B\nD8|", "C4 C4 D4 D4"},
		{"Y: wins over P:", "X:1\nY:BA\nP:AB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|\nP:B\nD8|", "D4 C4"},
		{"part repeats", "X:1\nY:AB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|D8:|\nP:B\nE8|", "C4 D4 C4 D4 E4"},
		{"part repeated with its repeats", "X:1\nY:AAB\nM:4/4\nL:1/8\nK:C\nP:A\nC8:|\nP:B\nE8|", "C4 C4 C4 C4 E4"},
		{"intro before parts", "X:1\nY:AA\nM:4/4\nL:1/8\nK:C\nG8|\nP:A\nC8:|", "G4 C4 C4 C4 C4"},
		{"missing part", "X:1\nY:ACB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|\nP:B\nD8|", "C4 D4"},
		{"part order syntax", "X:1\nP:(AB)2C.A\nM:4/4\nL:1/8\nK:C\nP:A\nC8|\nP:B\nD8|\nP:C\nE8|", "C4 D4 C4 D4 E4 C4"},
		{"part written twice", "X:1\nP:AB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|\nP:B\nD8|\nP:A\nE8|", "E4 D4"},
		{"part within a bar", "X:1\nY:AB\nM:4/4\nL:1/8\nK:C\nP:A\nC8|D4\nP:B\nE4|F8|", "C4 D4 E4 F4"},
		{"order without parts", "X:1\nY:AB\nM:4/4\nL:1/8\nK:C\nC8|D8|", "C4 D4"},
		{"D.C.", "C8|D8!D.C.!|", "C4 D4 C4 D4"},
		{"D.S. al fine", "C8|!segno!D8!fine!|E8!D.S.alfine!|", "C4 D4 E4 D4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := decodeOne(t, tc.src)
			if got := playedPitches(c); got != tc.want {
				t.Errorf("%q: played %s, want %s", tc.src, got, tc.want)
			}
			// The notes of these tunes fill their bars: each starts where
			// the one before ends, whatever the form.
			var at music.Ticks
			for i, n := range playedNotes(c) {
				if n.start != at {
					t.Errorf("%q: note %d starts at %d, want %d", tc.src, i+1, n.start, at)
					break
				}
				at += n.dur
			}
		})
	}
}

func TestSections(t *testing.T) {
	c := decodeOne(t, "X:1\nY:ABA\nM:4/4\nL:1/8\nK:C\nP:A\nC8|D8|\nP:B\nE8|")
	var got []string
	for _, b := range c.Bars {
		got = append(got, b.Section)
	}
	if want := "[A  B A ]"; fmt.Sprint(got) != want {
		t.Errorf("sections %q, want %s", got, want)
	}
}

// TestPickup checks that bars shorter than the meter keep their length as
// a meter of their own, so the played timing is right.
func TestPickup(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		meters    string // of each bar
		starts    []music.Ticks
	}{
		{"quarter in 4/4", "X:1\nM:4/4\nL:1/4\nK:C\nC|D4|E4|F3|", "[1/4 4/4 4/4 3/4]", []music.Ticks{0, q, 5 * q, 9 * q}},
		{"eighth in 6/8", "X:1\nM:6/8\nL:1/8\nK:C\nA|B3 c3|d5|", "[1/8 6/8 5/8]", []music.Ticks{0, e, 4 * e, 7 * e}},
		{"sixteenths in 2/4", "X:1\nM:2/4\nL:1/16\nK:C\nAB|c8|", "[1/8 2/4]", []music.Ticks{0, s, 2 * s}},
		{"triplet pickup", "X:1\nM:4/4\nL:1/8\nK:C\n(3ABc|d8|", "[1/4 4/4]", []music.Ticks{0, 320, 640, q}},
		{"no meter", "X:1\nM:none\nL:1/4\nK:C\nC D E|F G|", "[3/4 2/4]", []music.Ticks{0, q, 2 * q, 3 * q, 4 * q}},
		{"meter change", "X:1\nM:3/4\nL:1/4\nK:C\nC3|\nM:2/4\nD2|\nM:3/4\nE3|", "[3/4 2/4 3/4]", []music.Ticks{0, 3 * q, 5 * q}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := decodeOne(t, tc.src)
			if got := fmt.Sprint(c.BarMeters()); got != tc.meters {
				t.Errorf("bar meters %s, want %s", got, tc.meters)
			}
			var starts []music.Ticks
			for _, n := range playedNotes(c) {
				starts = append(starts, n.start)
			}
			if fmt.Sprint(starts) != fmt.Sprint(tc.starts) {
				t.Errorf("note starts %v, want %v", starts, tc.starts)
			}
			// A bar's Meter is set only where the length changes.
			prev := c.MeterOrDefault()
			for i, b := range c.Bars {
				m := c.BarMeters()[i]
				if (b.Meter != nil) != (m != prev) {
					t.Errorf("bar %d: Meter %v after %v", i+1, b.Meter, prev)
				}
				prev = m
			}
		})
	}
}

func TestChordSymbols(t *testing.T) {
	c := decodeOne(t, `"Am"A2 "G7"B2 "^rit." "Em""G"c2 "D/f+"d "(E7)"e|"Gm/bb"z "Cd"z "Fa7"z "N.C."z "_below"z "x"z "H7"z " "z|`)
	var got []string
	for _, b := range c.Bars {
		var cs []string
		for _, ca := range b.Chords {
			s := fmt.Sprintf("%s@%d=%s", ca.Chord.Symbol, ca.Offset, ca.Chord.Name())
			if ca.Alt != nil {
				s += "/alt " + ca.Alt.Name()
			}
			cs = append(cs, s)
		}
		got = append(got, strings.Join(cs, " ")+" | "+b.Comment)
	}
	want := []string{
		"Am@0=Am G7@960=G7 Em@1920=Em/alt G D/f+@2880=D/F# (E7)@3360=E7 | rit.",
		"Gm/bb@0=Gm/Bb Cd@480=Cdim Fa7@960=Caug7 N.C.@1440=N.C. | below",
	}
	want[1] = strings.Replace(want[1], "Caug7", music.MustParseChord("Faug7").Name(), 1)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("chords:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProgram(t *testing.T) {
	for _, src := range []string{"X:1\n%%MIDI program 73\nK:C\nA|", "X:1\nK:C\n%%MIDI program 1 73\nA|", "X:1\nI:MIDI program 73\nK:C\nA|"} {
		if p := decodeOne(t, src).Parts[0].Program; p != 73 {
			t.Errorf("%q: program %d, want 73", src, p)
		}
	}
}

func TestMultipleTunes(t *testing.T) {
	src := "%abc-2.1\nL:1/4\n%%propagate-accidentals pitch\n\nSome free text.\n\nX:1\nT:One\nK:C\n^F f|\n\nX:2\nT:Two\nL:1/8\nK:G\nF|\nX:3\nT:Three\nK:D\nc|"
	cs, err := Decoder{Source: "two.abc"}.DecodeBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, fmt.Sprint(c.Title, playedNotes(c)))
	}
	// The file header's L: and directive hold for every tune.
	want := "[One[66@0+960 78@960+960] Two[66@0+480] Three[73@0+960]]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if o := cs[0].Bars[0].Notes[0].Origin; o.Kind != music.Imported || o.Source != "two.abc" || o != cs[2].Bars[0].Notes[0].Origin {
		t.Errorf("origin %+v, want one shared imported origin", o)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		src        string
		line, col  int
		wantSubstr string
	}{
		{"A B \"Am c|", 6, 5, "unterminated chord symbol"},
		{"A [CE B|", 6, 8, "in a chord"},
		{"A B c |\nd e ^|", 7, 5, "accidental without a note"},
		{"c''''''|", 6, 1, "out of range"},
		{"-A|", 6, 1, "tie without a note"},
		{"A | >B", 6, 5, "broken rhythm without a note"},
		{"A (0B|", 6, 3, "bad tuplet"},
		{"A [9 B|", 6, 4, "volta bracket"},
		{"A B/0|", 6, 5, "bad note length"},
		{"A 1 B|", 6, 3, "unexpected '1'"},
		{"A{g B|", 6, 2, "unterminated grace notes"},
		{"[M:7/5]A|", 6, 4, "M:7/5"},
		{"A2 A/4096|", 6, 4, "shorter than a tick"},
		{"A300|", 6, 5, "longer than 32 whole notes"},
		{"X:1\nT:no key\nM:4/4\n", 1, 1, "no K: field"},
		{"X:1\nM:4/4\nabc|\nK:C\n", 3, 1, "music before the K: field"},
		{"X:1\nK:Hx\nA|", 2, 3, "K:Hx"},
		{"X:1\nL:1/0\nK:C\nA|", 2, 3, "L:1/0"},
		{"X:1\nM:3/4\nK:C\n^3/|", 4, 1, "accidental without a note"},
		{"X:1\nM:none\nK:C\nZ4|", 4, 1, "multi-bar rest without a meter"},
	} {
		_, err := DecodeBytes([]byte(tune(tc.src)))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want a ParseError", tc.src, err)
			continue
		}
		prefix := fmt.Sprintf("abc: line %d, column %d: ", tc.line, tc.col)
		if pe.Line != tc.line || pe.Column != tc.col || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.wantSubstr) {
			t.Errorf("%q: error %q, want %q...%q", tc.src, err, prefix, tc.wantSubstr)
		}
		if errors.Unwrap(pe) == nil {
			t.Errorf("%q: ParseError wraps nothing", tc.src)
		}
	}
}

// TestTuneErrorsKeepOthers: one bad tune does not lose the others.
func TestTuneErrorsKeepOthers(t *testing.T) {
	src := "X:1\nT:good\nK:C\nA|\n\nX:2\nT:bad\nK:C\nA \"B|\n\nX:3\nT:also good\nK:C\nB|\n"
	cs, err := DecodeBytes([]byte(src))
	var pe *ParseError
	if len(cs) != 2 || cs[0].Title != "good" || cs[1].Title != "also good" || !errors.As(err, &pe) || pe.Line != 9 {
		t.Errorf("got %d tunes, error %v; want the two good ones and a ParseError on line 9", len(cs), err)
	}
	if _, err := DecodeBytes([]byte("just text\n")); !errors.Is(err, ErrNoTunes) {
		t.Errorf("text without tunes: error %v, want ErrNoTunes", err)
	}
}

func TestLimits(t *testing.T) {
	if _, err := Decode(strings.NewReader(strings.Repeat("%", format.MaxSize+1))); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("input over format.MaxSize: %v, want format.ErrTooLarge", err)
	}
	bars := tune(strings.Repeat("A|", MaxBars+1))
	if _, err := DecodeBytes([]byte(bars)); !errors.Is(err, ErrTooManyBars) {
		t.Errorf("%d bars: %v, want ErrTooManyBars", MaxBars+1, err)
	}
	// A part order can multiply the bars of a short tune.
	order := "X:1\nP:" + strings.Repeat("A", maxOrder) + "\nK:C\nP:A\n" + strings.Repeat("A|", 20) + "\n"
	if _, err := DecodeBytes([]byte(order)); !errors.Is(err, ErrTooManyBars) {
		t.Errorf("long part order: %v, want ErrTooManyBars", err)
	}
	if _, err := DecodeBytes([]byte(strings.Repeat("X:1\nK:C\n", MaxTunes+1))); !errors.Is(err, ErrTooManyTunes) {
		t.Errorf("%d tunes: %v, want ErrTooManyTunes", MaxTunes+1, err)
	}
	var pe *ParseError
	if _, err := DecodeBytes([]byte(tune(strings.Repeat("| ", maxEvents+1)))); !errors.As(err, &pe) || !strings.Contains(err.Error(), "too many symbols") {
		t.Errorf("%d barlines: %v, want too many symbols", maxEvents+1, err)
	}
	notes := tune(strings.Repeat("[CEGc]/", MaxNotes/4+4))
	if _, err := DecodeBytes([]byte(notes)); !errors.Is(err, ErrTooManyNotes) {
		t.Errorf("%d notes: %v, want ErrTooManyNotes", MaxNotes+16, err)
	}
}

func TestLineEndingsAndText(t *testing.T) {
	lf := "X:1\nT:Caf\xe9 \\% Bar\nK:G\n|:\"G\"GAB \"D\"A2F:|\n"
	want := playedPitches(decodeOne(t, lf))
	for _, eol := range []string{"\r\n", "\r"} {
		c := decodeOne(t, strings.ReplaceAll(lf, "\n", eol))
		if got := playedPitches(c); got != want || c.Title != "Café % Bar" {
			t.Errorf("lines ending in %q: title %q, played %s; want %q, %s", eol, c.Title, got, "Café % Bar", want)
		}
	}
}
