package ls

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

func decodeFile(t *testing.T, name string) *music.Chart {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decoder{Source: name}.DecodeBytes(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// chordNames lists each bar's chords as "offset:symbol".
func chordNames(b music.Bar) string {
	var s []string
	for _, c := range b.Chords {
		s = append(s, fmt.Sprintf("%d:%s", c.Offset, c.Chord.Symbol))
	}
	return strings.Join(s, " ")
}

func TestBlues(t *testing.T) {
	c := decodeFile(t, "blues.ls")
	if c.Title != "Blues for Testing" || c.Composer != "Sideman Tests" {
		t.Errorf("title %q composer %q", c.Title, c.Composer)
	}
	if c.Key == nil || c.Key.String() != "F major" {
		t.Errorf("key %v, want F major for (key -1)", c.Key)
	}
	if c.Meter == nil || *c.Meter != (music.Meter{Num: 4, Den: 4}) || c.Tempo != 160 || c.Style != "swing" {
		t.Errorf("meter %v tempo %d style %q", c.Meter, c.Tempo, c.Style)
	}
	if len(c.Bars) != 12 {
		t.Fatalf("%d bars, want the 12 of the progression", len(c.Bars))
	}
	want := []string{"0:F7", "0:Bb7", "0:F7", "0:Cm7 1920:F7", "0:Bb7", "0:Bo7", "0:F7", "0:D7#9",
		"0:Gm7", "0:C7", "0:F7 1920:D7", "0:Gm7 1920:C7"}
	for i, b := range c.Bars {
		if got := chordNames(b); got != want[i] {
			t.Errorf("bar %d chords %q, want %q", i+1, got, want[i])
		}
	}
	if c.Bars[0].Section != "1" || c.Bars[0].Comment != "style swing" || c.Bars[8].Section != "2" || c.Bars[8].Comment != "" {
		t.Errorf("sections: bar 1 %q %q, bar 9 %q %q", c.Bars[0].Section, c.Bars[0].Comment, c.Bars[8].Section, c.Bars[8].Comment)
	}
	if len(c.Parts) != 1 || c.Parts[0].Name != "Melody" || c.Parts[0].Program != 11 {
		t.Errorf("parts %+v", c.Parts)
	}
	// f4 a8.+16 c+8/3 d+8/3 eb+8/3 f+2+4: F4 a quarter, A4 a dotted eighth
	// and a sixteenth, a C5 D5 Eb5 eighth triplet, F5 a half and a
	// quarter, over the barline.
	type note struct {
		pitch           uint8
		start, duration music.Ticks
	}
	wantNotes := []note{{65, 0, 960}, {69, 960, 960}, {72, 1920, 320}, {74, 2240, 320}, {75, 2560, 320}, {77, 2880, 2880}}
	if c.WrittenNotes() != len(wantNotes) || len(c.Bars[0].Notes) != len(wantNotes) {
		t.Fatalf("%d notes, bar 1 %d, want %d", c.WrittenNotes(), len(c.Bars[0].Notes), len(wantNotes))
	}
	origin := c.Bars[0].Notes[0].Origin
	if origin == nil || origin.Kind != music.Imported || origin.Source != "blues.ls" || origin.Who != "Sideman Tests" {
		t.Errorf("origin %+v", origin)
	}
	for i, n := range c.Bars[0].Notes {
		if (note{n.Pitch, n.Start, n.Duration}) != wantNotes[i] || n.Origin != origin || n.Velocity != 127 || n.ID != 0 { // no id: the caller's to give
			t.Errorf("note %d: %+v, want %+v", i, n, wantNotes[i])
		}
	}
}

func TestChoruses(t *testing.T) {
	c := decodeFile(t, "choruses.ls")
	if c.Key == nil || c.Key.String() != "D major" || *c.Meter != (music.Meter{Num: 3, Den: 4}) {
		t.Errorf("key %v meter %v", c.Key, c.Meter)
	}
	// Chorus 1 fills the four bars; chorus 2 is one bar longer than the
	// progression and gets a fifth bar that holds the last chord.
	if len(c.Bars) != 9 {
		t.Fatalf("%d bars, want 4+5", len(c.Bars))
	}
	for i, want := range []string{"0:D", "0:A7 1920:D", "0:Em7", "0:A7", "0:D", "0:A7 1920:D", "0:Em7", "0:A7", ""} {
		if got := chordNames(c.Bars[i]); got != want {
			t.Errorf("bar %d chords %q, want %q", i+1, got, want)
		}
	}
	p := c.Perform(1)
	notes := p.Parts[0].Notes
	var pitches []int
	for _, n := range notes {
		pitches = append(pitches, int(n.Pitch))
	}
	if got, want := pitches, []int{62, 64, 66, 67, 69, 81, 81, 83}; !equalInts(got, want) {
		t.Errorf("pitches %v, want %v", got, want)
	}
	bar := music.Meter{Num: 3, Den: 4}.BarTicks()
	if notes[5].Start != 4*bar || notes[7].Start != 8*bar {
		t.Errorf("chorus 2 starts at %d and ends with a note at %d, want %d and %d", notes[5].Start, notes[7].Start, 4*bar, 8*bar)
	}
	if notes[0].Origin.Who != "Player One" || notes[5].Origin.Who != "Impro-Visor" || notes[0].Velocity != 127 || notes[5].Velocity != 90 {
		t.Errorf("chorus origins %v / %v, velocities %d / %d", notes[0].Origin, notes[5].Origin, notes[0].Velocity, notes[5].Velocity)
	}
	if notes[1].Origin != notes[0].Origin || notes[6].Origin != notes[5].Origin {
		t.Error("notes of one performer do not share an Origin")
	}
}

func TestChangesOnly(t *testing.T) {
	c := decodeFile(t, "nomelody.ls")
	if c.Key != nil || c.Tempo != 120 || c.Parts != nil || c.WrittenNotes() != 0 {
		t.Errorf("key %v tempo %d (180 quarters a minute in 6/8 is 120 dotted quarters) parts %v", c.Key, c.Tempo, c.Parts)
	}
	// 6/8 is 2880 ticks: two chords take 1440 each, four 720.
	want := []string{"0:Dm7 1440:G7", "0:CM7 2160:A7b9", "0:NC", `0:Dm7\G`, "0:Bbm6/c", "0:Fm7/bb", "0:CMajor 1440:Cminor7", "0:Ch7 1440:C7_"}
	if len(c.Bars) != len(want) {
		t.Fatalf("%d bars, want %d (the bar line first of all opens no bar)", len(c.Bars), len(want))
	}
	for i, b := range c.Bars {
		if got := chordNames(b); got != want[i] {
			t.Errorf("bar %d chords %q, want %q", i+1, got, want[i])
		}
	}
	same := []struct {
		bar, i int
		as     string
	}{{2, 0, "NC"}, {3, 0, "Dm7/G"}, {4, 0, "Bbm6/C"}, {5, 0, "Fm7/Bb"}, {6, 0, "C"}, {6, 1, "Cm7"}, {7, 0, "Cm7b5"}, {7, 1, "C7"}}
	for _, s := range same {
		got := c.Bars[s.bar].Chords[s.i].Chord
		want := music.MustParseChord(s.as)
		if got.NoChord != want.NoChord || (!got.NoChord && (!got.Same(want) || got.HasBass != want.HasBass || got.Bass != want.Bass)) {
			t.Errorf("bar %d chord %q reads as %s, want %s", s.bar+1, got.Symbol, got.Name(), want.Name())
		}
	}
}

func TestBareBody(t *testing.T) {
	// A leadsheet may be only chords and melody, without a header.
	c := decodeFile(t, "bare.ls")
	if c.Meter != nil || c.Key != nil || len(c.Bars) != 4 || c.WrittenNotes() != 10 {
		t.Fatalf("meter %v key %v bars %d notes %d", c.Meter, c.Key, len(c.Bars), c.WrittenNotes())
	}
	if n := c.Bars[3].Notes[0]; n.Pitch != 67 || n.Start != 0 || n.Duration != 3840 || n.Origin.Who != "" {
		t.Errorf("last note %+v", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		in    string
		slots int
	}{
		{"", 60}, {"1", 480}, {"2", 240}, {"4", 120}, {"8", 60}, {"16", 30}, {"32", 15},
		{"2.", 360}, {"4.", 180}, {"2..", 420},
		{"8/3", 40}, {"4/3", 80}, {"16/3", 20}, {"16/5", 24}, {"8/5", 48},
		// Impro-Visor's integer slots: a septuplet eighth is 51, not 51.43.
		{"8/7", 51},
		{"4+8", 180}, {"2/3+16/3", 180}, {"4+32+120+480", 140}, {"1+1+1+1", 1920}, {"4u8", 180},
		// A term without a number is an eighth; a value below a slot is
		// the default eighth, as in Impro-Visor.
		{"8+", 120}, {"960", 60},
	} {
		got, err := parseDuration(tc.in)
		if err != nil || got != tc.slots {
			t.Errorf("parseDuration(%q) = %d, %v; want %d", tc.in, got, err, tc.slots)
		}
	}
	for _, in := range []string{"0", "4x", "4/", "4/0", "4+0", "x", "4.4", "99999999999"} {
		if got, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %d, want an error", in, got)
		}
	}
}

func TestPitch(t *testing.T) {
	for _, tc := range []struct {
		in    string
		pitch int
	}{
		{"c", 60}, {"c+", 72}, {"c-", 48}, {"c--", 36}, {"cu", 72}, {"d#", 63}, {"ds", 63}, {"bb", 70}, {"b", 71},
		{"f#++", 90}, {"g-4", 55}, {"eb+8/3", 75},
		// Impro-Visor's pitch is the pitch class plus the octave of c.
		{"b#", 60}, {"cb", 71},
		{"r4", -1}, {"r", -1},
	} {
		e, err := parseMelody(tc.in)
		if err != nil || int(e.pitch) != tc.pitch {
			t.Errorf("parseMelody(%q) pitch %d, %v; want %d", tc.in, e.pitch, err, tc.pitch)
		}
	}
	for _, in := range []string{"h4", "c++++++", "c-------", "v", "vx", "c4x"} {
		if _, err := parseMelody(in); err == nil {
			t.Errorf("parseMelody(%q): want an error", in)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
		is        error
		text      string
	}{
		{"(title x", 1, 1, nil, "unclosed ("},
		{"C | D )", 1, 7, nil, "unmatched )"},
		{"C |\n  D7 Xm7 |", 2, 6, ErrChord, `"Xm7"`},
		{"C |\nC/H |", 2, 1, ErrChord, `bass "H"`},
		{"(meter 4 4)\nC D E F G A B |", 2, 1, ErrChordsPerBar, "7 chords"},
		{"(meter 4 3)", 1, 1, nil, "meter 4 3"},
		{"(key 9)", 1, 1, nil, "key \"9\""},
		{"(tempo fast)", 1, 1, nil, "tempo"},
		{"(transpose 2)\nC |", 1, 1, ErrTranspose, "transpose"},
		{"C |\n c4 d0", 2, 5, errZeroLength, "zero length"},
		{"C |\n c4 h4", 2, 5, nil, "not a note"},
		{"C |\n c4 *", 2, 5, nil, `unexpected "*"`},
		{"C | /* open", 1, 5, nil, "unclosed /*"},
		{"c+++++++++++4", 1, 1, nil, "outside MIDI"},
		{strings.Repeat("(", 300), 1, 202, nil, "nested too deep"},
	} {
		_, err := Decoder{Source: "t"}.DecodeBytes([]byte(tc.src))
		var se *ParseError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a *ParseError", tc.src, err)
			continue
		}
		if se.Line != tc.line || se.Column != tc.col || !strings.Contains(err.Error(), tc.text) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%q: %v, want line %d, column %d, %q", tc.src, err, tc.line, tc.col, tc.text)
		}
		if !strings.HasPrefix(err.Error(), "ls: line ") {
			t.Errorf("%q: %v does not start with the package and position", tc.src, err)
		}
	}
	if _, err := DecodeBytes(make([]byte, format.MaxSize+1)); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("oversized input: %v", err)
	}
}

func TestCommentsAndSeparators(t *testing.T) {
	// Comments end words; "," is a bar line; "/*...*/" spans lines; bare
	// numbers are ignored as Impro-Visor ignores them.
	src := "(title A // not a comment inside a list? it is)\n)\nC7//comment\n, F7 /* two\nlines */ 42 |\nc4//x\nd4"
	c, err := Decoder{Source: "t"}.DecodeBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "A" || len(c.Bars) != 2 || chordNames(c.Bars[0]) != "0:C7" || chordNames(c.Bars[1]) != "0:F7" || c.WrittenNotes() != 2 {
		t.Errorf("title %q bars %d notes %d", c.Title, len(c.Bars), c.WrittenNotes())
	}
}

func TestSectionAfterChord(t *testing.T) {
	// A section mark after a chord of a bar opens the next bar, as in
	// Impro-Visor's addToChordPart.
	c, err := Decoder{Source: "t"}.DecodeBytes([]byte("C (section (style bossa)) | D | (phrase) E |"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bars[0].Section != "" || c.Bars[1].Section != "1" || c.Bars[1].Comment != "style bossa" || c.Bars[2].Section != "2" || c.Style != "bossa" {
		t.Errorf("sections %q %q %q, style %q", c.Bars[0].Section, c.Bars[1].Section, c.Bars[2].Section, c.Style)
	}
}
