package kern

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// barNotes writes a bar's notes as "part:pitch@start+duration".
func barNotes(b music.Bar) string {
	var s []string
	for _, n := range b.Notes {
		s = append(s, fmt.Sprintf("%d:%d@%d+%d", n.Part, n.Pitch, n.Start, n.Duration))
	}
	return strings.Join(s, " ")
}

func TestDorian(t *testing.T) {
	c, err := Decoder{Source: "dorian.krn"}.DecodeBytes(readTestdata(t, "dorian.krn"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Fröhlicher Test" || c.Composer != "Tester, Ada" {
		t.Errorf("title %q (the original-language OTL, entities decoded), composer %q", c.Title, c.Composer)
	}
	if c.Key == nil || c.Key.String() != "D dorian" || c.Meter == nil || c.Meter.String() != "3/4" || c.Tempo != 90 {
		t.Errorf("key %v meter %v tempo %d", c.Key, c.Meter, c.Tempo)
	}
	if len(c.Parts) != 2 || c.Parts[0].Name != "Lower" || c.Parts[0].Role != "bass" || c.Parts[1].Name != "Soprano" || c.Parts[1].Role != "melody" {
		t.Errorf("parts %+v: the **dynam spine is no part; *I\" names beat *I codes", c.Parts)
	}
	want := []struct {
		meter   string
		section string
		notes   string
	}{
		// A quarter-note pickup is a bar of 1/4.
		{"1/4", "A", "0:50@0+960 1:69@0+960"},
		// [2dd 4cc] is a tie to another pitch: two notes.
		{"3/4", "", "0:53@0+1920 1:74@0+1920 0:57@1920+960 1:72@1920+960"},
		// The grace note 8qee takes no time and makes no note.
		{"", "", "0:50@0+2880 1:74@0+480 1:72@480+480 1:70@960+960 1:69@1920+960"},
		// "2.A; 2.c#" is a chord.
		{"", "A1", "0:57@0+2880 0:61@0+2880 1:64@0+2880"},
		{"", "A2", "0:50@0+2880 1:62@0+2880"},
		// *M2/4, then a split soprano spine with triplets (12) and a
		// rest in the bass.
		{"2/4", "B", "0:55@0+960 1:67@0+480 1:71@0+480 1:65@480+480 1:69@480+480 1:64@960+960 1:69@960+320 1:67@1280+320 1:65@1600+320"},
		// After the join: a bar rest "rr" in the bass.
		{"", "", "1:62@0+1920"},
	}
	if len(c.Bars) != len(want) {
		t.Fatalf("%d bars, want %d", len(c.Bars), len(want))
	}
	for i, w := range want {
		b := c.Bars[i]
		m := ""
		if b.Meter != nil {
			m = b.Meter.String()
		}
		if m != w.meter || b.Section != w.section || barNotes(b) != w.notes {
			t.Errorf("bar %d: meter %q section %q notes %s\nwant meter %q section %q notes %s", i, m, b.Section, barNotes(b), w.meter, w.section, w.notes)
		}
	}
	// The end repeat closes A1; A1 and A2 are the endings of A, which
	// gets the start repeat the score leaves out.
	if !c.Bars[0].RepeatStart || c.Bars[3].RepeatEnd != 2 || c.Bars[3].Ending != 1 || c.Bars[4].Ending != 2 {
		t.Errorf("repeats: start %v, end %d, endings %d %d", c.Bars[0].RepeatStart, c.Bars[3].RepeatEnd, c.Bars[3].Ending, c.Bars[4].Ending)
	}
	o := c.Bars[0].Notes[0].Origin
	if o == nil || o.Kind != music.Imported || o.Who != "Tester, Ada" || o.Source != "dorian.krn" {
		t.Errorf("origin %+v", o)
	}
	// The score records no ids: the notes have none (0) for the caller
	// to give (music.IDs).
	for _, b := range c.Bars {
		for _, n := range b.Notes {
			if n.Origin != o || n.ID != 0 || n.Velocity == 0 {
				t.Fatalf("note %+v: want the shared origin and no ID", n)
			}
		}
	}
}

// sections lists the bars' section labels, "-" for none.
func sections(c *music.Chart) string {
	var s []string
	for _, b := range c.Bars {
		if b.Section == "" {
			s = append(s, "-")
		} else {
			s = append(s, b.Section)
		}
	}
	return strings.Join(s, " ")
}

func TestExpansion(t *testing.T) {
	data := readTestdata(t, "dorian.krn")
	for _, tc := range []struct {
		expansion, sections string
	}{
		{"", "A - - A1 A2 B -"},
		{"*", "A - - A1 A - - A2 B -"},
		{"norep", "A - - A2 B -"},
		// A list the score does not have: as written.
		{"nonesuch", "A - - A1 A2 B -"},
	} {
		d := Decoder{Expansion: tc.expansion}
		c, err := d.DecodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := sections(c); got != tc.sections {
			t.Errorf("expansion %q: sections %s, want %s", tc.expansion, got, tc.sections)
		}
		if tc.expansion == "*" || tc.expansion == "norep" {
			for i, b := range c.Bars {
				if b.RepeatStart || b.RepeatEnd != 0 || b.Ending != 0 {
					t.Errorf("expansion %q: bar %d keeps repeat signs", tc.expansion, i)
				}
			}
		}
	}
	// The score as written, unrolled, plays what its expansion list says.
	c, _ := DecodeBytes(data)
	e, _ := Decoder{Expansion: "*"}.DecodeBytes(data)
	if a, b := performed(c), performed(e); a != b {
		t.Errorf("unrolled:\n%s\nexpanded:\n%s", a, b)
	}
}

// performed writes the notes of a chart's performance in order.
func performed(c *music.Chart) string {
	var s []string
	for _, p := range c.Perform(1).Parts {
		for _, n := range p.Notes {
			s = append(s, fmt.Sprintf("%d@%d+%d", n.Pitch, n.Start, n.Duration))
		}
		s = append(s, "|")
	}
	return strings.Join(s, " ")
}

func TestParseNote(t *testing.T) {
	for _, tc := range []struct {
		in    string
		pitch int
		dur   rat
	}{
		{"4c", 60, rat{1, 4}}, {"4cc", 72, rat{1, 4}}, {"4C", 48, rat{1, 4}}, {"4CC", 36, rat{1, 4}},
		{"4GG", 43, rat{1, 4}}, {"8cL", 60, rat{1, 8}}, {"4.b", 71, rat{3, 8}}, {"2..f#", 66, rat{7, 8}},
		{"4e-", 63, rat{1, 4}}, {"4B--", 57, rat{1, 4}}, {"4c##", 62, rat{1, 4}}, {"16ddd", 86, rat{1, 16}},
		{"3a", 69, rat{1, 3}}, {"0c", 60, rat{2, 1}}, {"00c", 60, rat{4, 1}}, {"3%2c", 60, rat{2, 3}},
		{"[4c", 60, rat{1, 4}}, {"4c]", 60, rat{1, 4}}, {"4c_", 60, rat{1, 4}}, {"4cnX;", 60, rat{1, 4}},
		{"c4", 60, rat{1, 4}}, // the order of signs is free
	} {
		n, err := parseNote(tc.in)
		if err != nil || int(n.pitch) != tc.pitch || n.dur != tc.dur {
			t.Errorf("parseNote(%q) = pitch %d dur %v, %v; want %d %v", tc.in, n.pitch, n.dur, err, tc.pitch, tc.dur)
		}
	}
	for _, in := range []string{"c", "4", "4cd", "4c4", "4c###", "4cccccccc", "4CCCCCC", "3%0c", "99999999c", "7700c", "4000%1c"} {
		if n, err := parseNote(in); err == nil {
			t.Errorf("parseNote(%q) = %+v, want an error", in, n)
		}
	}
	if n, err := parseNote("8qc"); err != nil || !n.grace {
		t.Errorf("grace note: %+v %v", n, err)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		src         string
		line, spine int
		is          error
		text        string
	}{
		{"**kern\t**kern\n4c\t4d\t4e\n", 2, 0, ErrSpines, "3 tokens for 2 spines"},
		{"**kern\t**kern\n4c\t4x\n", 2, 2, errPitch, "no pitch"},
		{"**kern\n4c\n*+\n", 3, 1, ErrAddSpine, "*+"},
		{"**kern\t**kern\n2c\t4d\n4c\t4e\n", 3, 1, errStillSounding, "still sounds"},
		{"**kern\n*M4/3\n", 2, 1, nil, "meter"},
		{"4c\n", 1, 0, nil, "before the **kern"},
		{"**kern\n*v\n", 2, 1, nil, "*v alone"},
		{"**kern\n*>norep[A,B\n", 2, 1, nil, "without ]"},
		{"**kern\n*-\n4c\n", 3, 0, nil, "after every spine has ended"},
	} {
		_, err := Decoder{Source: "t"}.DecodeBytes([]byte(tc.src))
		var se *ParseError
		if !errors.As(err, &se) {
			t.Errorf("%q: %v, want a *ParseError", tc.src, err)
			continue
		}
		if se.Line != tc.line || se.Spine != tc.spine || !strings.Contains(err.Error(), tc.text) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%q: %v, want line %d, spine %d, %q", tc.src, err, tc.line, tc.spine, tc.text)
		}
	}
	want := "kern: line 40, spine 2: no pitch"
	if got := (&ParseError{Line: 40, Spine: 2, Err: errPitch}).Error(); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if _, err := DecodeBytes([]byte("**dynam\np\n")); !errors.Is(err, ErrNoKern) {
		t.Errorf("no **kern: %v", err)
	}
	d := Decoder{Expansion: "*"}
	if _, err := d.DecodeBytes([]byte("**kern\n*>[A,Z]\n*>A\n4c\n")); !errors.Is(err, ErrExpansion) {
		t.Errorf("missing section: %v", err)
	}
	if _, err := DecodeBytes(make([]byte, format.MaxSize+1)); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}

func TestTieAcrossBarline(t *testing.T) {
	c, err := Decoder{Source: "t"}.DecodeBytes([]byte("**kern\n*M2/4\n=1\n4c\n[4e\n=2\n4e_\n4e]\n=3\n2g\n==\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := barNotes(c.Bars[0]); got != "0:60@0+960 0:64@960+2880" || len(c.Bars[1].Notes) != 0 {
		t.Errorf("bar 1 %s, bar 2 %s: a tied note is one note in the bar where it starts", got, barNotes(c.Bars[1]))
	}
}
