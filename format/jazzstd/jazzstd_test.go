package jazzstd

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

func decodeFile(t *testing.T, name string) []*music.Chart {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	charts, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return charts
}

// played lists the chords of a chart in played order, one string per bar
// ("Am9@0 Dm7@1920"), alternates in parentheses.
func played(c *music.Chart) []string {
	var out []string
	for _, pb := range c.Unroll(1) {
		var bar []string
		for _, at := range pb.Bar.Chords {
			s := at.Chord.Symbol
			if at.Alt != nil {
				s += "(" + at.Alt.Symbol + ")"
			}
			bar = append(bar, s+"@"+itoa(int(at.Offset)))
		}
		out = append(out, strings.Join(bar, " "))
	}
	return out
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestDecodeSample(t *testing.T) {
	charts := decodeFile(t, "testdata/sample.json")
	if len(charts) != 4 {
		t.Fatalf("%d charts, want 4", len(charts))
	}
	c := charts[0]
	if c.Title != "Slots And Alternates" || c.Composer != "Sideman Tests" || c.Style != "Medium Swing" {
		t.Errorf("header %q %q %q", c.Title, c.Composer, c.Style)
	}
	if c.Key == nil || *c.Key != (music.Key{Tonic: music.Spelling{Step: music.F}, Mode: music.Major}) {
		t.Errorf("key %v, want F major", c.Key)
	}
	if c.Meter == nil || *c.Meter != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("meter %v, want 4/4", c.Meter)
	}
	// Equal slots, an empty slot holding the chord before it: "Am9,,Dm7,Em7"
	// is 2+1+1 beats; "G7,Ab7,G7," four quarters with the last G7 held.
	want := []string{
		"Am9@0 Dm7@1920 Em7@2880",
		"G7@0 Ab7@960 G7@1920",
		"Fmaj7(Am7)@0",
		"Fmaj7(D7b9)@0", // an alternate over the held Fmaj7
		"Gm7@1920",
		"Gm7@0 C7sus(Gb7)@1920",
		"", // an empty bar
		"C6@0",
	}
	if got := played(c); !reflect.DeepEqual(got, want) {
		t.Errorf("bars\n got %q\nwant %q", got, want)
	}
	if c.Bars[0].Section != "A" {
		t.Errorf("section %q, want A", c.Bars[0].Section)
	}
	// The alternate is shown, not played: the held chord keeps sounding.
	if b := c.Bars[3]; len(b.Chords) != 1 || !b.Chords[0].Chord.Same(music.MustParseChord("Fmaj7")) {
		t.Errorf("bar 4 = %+v, want Fmaj7 held under (D7b9)", b.Chords)
	}

	if k := charts[1].Key; k == nil || k.Mode != music.Minor || k.Tonic.String() != "C" {
		t.Errorf("Cmin = %v, want C minor", k)
	}
	if charts[2].Key != nil {
		t.Errorf("missing key = %v, want nil", charts[2].Key)
	}
	if charts[3].Meter != nil {
		t.Errorf("missing time signature = %v, want nil", charts[3].Meter)
	}
	if got := charts[2].Bars[0].Section; got != "Intro" {
		t.Errorf("label i = %q, want Intro", got)
	}
	// In 3/4 three slots are quarters.
	if got := played(charts[2])[0]; got != "C@0 D@960 E@1920" {
		t.Errorf("3/4 bar = %q", got)
	}
	// "07" is a diminished seventh, "0" a diminished triad.
	if got := charts[2].Bars[2].Chords[0].Chord.Name(); got != "Bdim7" {
		t.Errorf("B07 = %s, want Bdim7", got)
	}
	if got := charts[3].Bars[1].Chords[0].Chord.Name(); got != "Gdim" {
		t.Errorf("G0 = %s, want Gdim", got)
	}
}

// TestUnrollForms checks that the repeats Decode writes play as the
// collection means them, through music.Chart.Unroll.
func TestUnrollForms(t *testing.T) {
	charts := decodeFile(t, "testdata/sample.json")
	for _, tc := range []struct {
		chart int
		want  []string // first chord of each played bar
	}{
		// Two endings: main+E1+main+E2; then "Repeats": 1 plays B twice.
		{1, []string{"Cm7", "Dm7b5", "Cm7", "Dm7b5", "Cm7", "Dm7b5", "Cm6", "Cm6", "Ebm7", "Dbmaj7", "Ebm7", "Dbmaj7"}},
		// Three endings: main+E1+main+E2+main+E3.
		{2, []string{"C", "C6", "B07", "Dm7", "G7", "C6", "B07", "Em7", "A7", "C6", "B07", "Fmaj7"}},
		// A lone first ending, then a section with no main segment whose
		// bracket is the second ending (Alfie); then a section with no main
		// segment after a plain one closes a repeat of that one (A Foggy Day).
		{3, []string{"Bb6", "G0", "Bbmaj7", "F7sus", "F7sus", "F7", "Bbmaj7", "F7sus", "Am7", "Bbm/C",
			"Ebmaj7", "Ebm6", "Dm7", "G7", "Ebmaj7", "Ebm6", "Cm7", "Bb6"}},
	} {
		var got []string
		for _, pb := range charts[tc.chart].Unroll(1) {
			if len(pb.Bar.Chords) > 0 {
				got = append(got, pb.Bar.Chords[0].Chord.Symbol)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s played\n got %q\nwant %q", charts[tc.chart].Title, got, tc.want)
		}
	}
	// The marks themselves: with three endings the first two close with a
	// repeat sign played three times in all.
	b := charts[2].Bars
	if !b[1].RepeatStart || b[3].Ending != 1 || b[4].RepeatEnd != 3 || b[5].Ending != 2 || b[6].RepeatEnd != 3 ||
		b[7].Ending != 4 || b[7].RepeatEnd != 0 {
		t.Errorf("three endings marked %+v", b)
	}
}

func TestDecodeErrors(t *testing.T) {
	tune := func(fields string) string {
		return `[{"Title": "Fine", "Sections": []}, {"Title": "Bad", ` + fields + `}]`
	}
	main := func(chords string) string {
		return tune(`"Sections": [{"MainSegment": {"Chords": "` + chords + `"}}]`)
	}
	for _, tc := range []struct {
		name, in string
		want     string // the whole message
		tune     int
		bar      int
		symbol   string
	}{
		{"bad chord", main("C|D7|Xq7"), `jazzstd: tune 2 "Bad": bar 3: chord "Xq7": want a root A-G`, 2, 3, "Xq7"},
		{"bad quality", main("C|Cmaj7,Cqq"), `jazzstd: tune 2 "Bad": bar 2: chord "Cqq": unknown chord quality at "qq"`, 2, 2, "Cqq"},
		{"bad alternate", main("C(H7)"), `jazzstd: tune 2 "Bad": bar 1: chord "H7": want a root A-G`, 2, 1, "H7"},
		{"open parenthesis", main("C(D7"), `jazzstd: tune 2 "Bad": bar 1: chord "C(D7": '(' without ')' at the end`, 2, 1, "C(D7"},
		{"stray parenthesis", main("C)"), `jazzstd: tune 2 "Bad": bar 1: chord "C)": ')' without '('`, 2, 1, "C)"},
		{"empty alternate", main("C()"), `jazzstd: tune 2 "Bad": bar 1: chord "C()": want chord(alternate)`, 2, 1, "C()"},
		{"nested alternate", main("C(D(E))"), `jazzstd: tune 2 "Bad": bar 1: chord "C(D(E))": want chord(alternate)`, 2, 1, "C(D(E))"},
		{"bad key", tune(`"Key": "H"`), `jazzstd: tune 2 "Bad": key "H": note name "H" does not start with A-G`, 2, 0, "H"},
		{"bad meter", tune(`"TimeSignature": "4/5"`), `jazzstd: tune 2 "Bad": meter "4/5": want 1-32 beats over 1, 2, 4, 8, 16, 32 or 64, grouped like 7/4 (4+3)`, 2, 0, "4/5"},
		{"too many slots", main(strings.Repeat(",", 64) + "C"), `jazzstd: tune 2 "Bad": bar 1: 65 slots in a bar, at most 64`, 2, 1, strings.Repeat(",", 64) + "C"},
		{"slots finer than ticks", tune(`"TimeSignature": "1/64", "Sections": [{"MainSegment": {"Chords": "C` + strings.Repeat(",", 60) + `"}}]`),
			`jazzstd: tune 2 "Bad": bar 1: 61 slots in a bar, at most 60`, 2, 1, "C" + strings.Repeat(",", 60)},
		{"empty ending", tune(`"Sections": [{"MainSegment": {"Chords": "C"}, "Endings": [{"Chords": "D"}, {"Chords": ""}]}]`),
			`jazzstd: tune 2 "Bad": section 1: ending 2 has no bars`, 2, 0, ""},
		{"nine endings", tune(`"Sections": [{"MainSegment": {"Chords": "C"}, "Endings": [` + strings.Repeat(`{"Chords": "D"},`, 8) + `{"Chords": "E"}]}]`),
			`jazzstd: tune 2 "Bad": section 1: more than 8 endings`, 2, 0, ""},
		{"negative repeats", tune(`"Sections": [{"Repeats": -1, "MainSegment": {"Chords": "C"}}]`),
			`jazzstd: tune 2 "Bad": section 1: repeats -1 out of range 0..63`, 2, 0, ""},
		{"wrong type", `[{"Title": "Fine"}, {"Title": 7}]`, `jazzstd: tune 2 "": json: cannot unmarshal number into Go struct field tuneJSON.Title of type string`, 2, 0, ""},
		{"not an array", `{"Title": "X"}`, `jazzstd: json: cannot unmarshal object into Go value of type []json.RawMessage`, 0, 0, ""},
		{"syntax", `[{"Title": }]`, `jazzstd: invalid character '}' looking for beginning of value`, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in))
			var e *ParseError
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *ParseError", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
			if e.Tune != tc.tune || e.Bar != tc.bar || e.Symbol != tc.symbol {
				t.Errorf("position tune %d bar %d symbol %q, want %d %d %q", e.Tune, e.Bar, e.Symbol, tc.tune, tc.bar, tc.symbol)
			}
			if e.Unwrap() == nil {
				t.Error("Unwrap is nil")
			}
		})
	}
}

// endless is an input that never ends: "[" and then spaces.
type endless struct{ started bool }

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	if !r.started && len(p) > 0 {
		p[0], r.started = '[', true
	}
	return len(p), nil
}

func TestDecodeTooLarge(t *testing.T) {
	_, err := Decode(&endless{})
	if !errors.Is(err, format.ErrTooLarge) {
		t.Fatalf("error %v, want format.ErrTooLarge", err)
	}
	// Exactly format.MaxSize bytes is fine.
	in := io.MultiReader(strings.NewReader("["), io.LimitReader(&endless{started: true}, format.MaxSize-2), strings.NewReader("]"))
	if charts, err := Decode(in); err != nil || len(charts) != 0 {
		t.Fatalf("format.MaxSize input: %d charts, %v", len(charts), err)
	}
}

func TestRoundTripSample(t *testing.T) {
	charts := decodeFile(t, "testdata/sample.json")
	var buf bytes.Buffer
	if err := Encode(&buf, charts); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, charts) {
		t.Errorf("decode(encode(decode(sample))) differs from decode(sample)")
	}
}

func TestEncodeErrors(t *testing.T) {
	c7 := music.MustParseChord("C7")
	for _, tc := range []struct {
		name  string
		chart *music.Chart
		want  string
	}{
		{"meter change", &music.Chart{Title: "M", Bars: []music.Bar{{}, {Meter: &music.Meter{Num: 3, Den: 4}}}},
			`jazzstd: tune 1 "M": bar 2: meter change to 3/4 in a 4/4 chart cannot be written`},
		{"off the grid", &music.Chart{Title: "G", Bars: []music.Bar{{Chords: []music.ChordAt{{Offset: 0, Chord: c7}, {Offset: 7, Chord: c7}}}}},
			`jazzstd: tune 1 "G": bar 1: chords at ticks [0 7] fit no grid of up to 64 slots`},
		{"out of the bar", &music.Chart{Title: "O", Bars: []music.Bar{{Chords: []music.ChordAt{{Offset: 3840, Chord: c7}}}}},
			`jazzstd: tune 1 "O": bar 1: chord at tick 3840 of a 3840-tick bar is out of order or outside the bar`},
		{"nil chart", nil, `jazzstd: tune 1 "": nil chart`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Encode(io.Discard, []*music.Chart{tc.chart})
			var e *EncodeError
			if !errors.As(err, &e) || err.Error() != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
}

func TestChordText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Cmaj7", "Cmaj7"},          // as written
		{"C-7", "C-7"},              // iReal's spelling reads back the same
		{"Bb7(b9,#11)", "Bb7b9#11"}, // no parentheses in a Chords string
		{"Ebm(maj7)/D", "Ebmmaj7/D"},
		{"C(b5)", "CMb5"}, // not "Cb5", a C-flat chord
		{"N.C.", "N.C."},
	} {
		c := music.MustParseChord(tc.in)
		got, err := chordText(c)
		if err != nil || got != tc.want {
			t.Errorf("chordText(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
			continue
		}
		if back := music.MustParseChord(got); !back.Same(c) {
			t.Errorf("%s written %s reads back as %s", tc.in, got, back.Name())
		}
	}
}
