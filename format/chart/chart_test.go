package chart

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite golden files")

// playedOrder renders the unrolled form as "section:bar" steps with chords,
// one bar a word, for readable assertions.
func playedOrder(c *music.Chart, choruses int) string {
	var parts []string
	for _, pb := range c.Unroll(choruses) {
		var ch []string
		for _, ca := range pb.Bar.Chords {
			ch = append(ch, ca.Chord.String())
		}
		parts = append(parts, strings.Join(ch, ","))
	}
	return strings.Join(parts, " ")
}

func decodeOne(t *testing.T, src string) *music.Chart {
	t.Helper()
	cs, err := DecodeBytes([]byte(src))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(cs) != 1 {
		t.Fatalf("got %d charts, want 1", len(cs))
	}
	return cs[0]
}

func TestSlotsShareTheBar(t *testing.T) {
	c := decodeOne(t, "| Am9 . Dm7 Em7 | C | 3/4 F G A |\n")
	b := c.Bars[0]
	if len(b.Chords) != 3 {
		t.Fatalf("chords = %d", len(b.Chords))
	}
	want := []music.Ticks{0, 1920, 2880}
	for i, ca := range b.Chords {
		if ca.Offset != want[i] {
			t.Errorf("chord %d at %d, want %d", i, ca.Offset, want[i])
		}
	}
	if m := c.Bars[2].Meter; m == nil || *m != (music.Meter{Num: 3, Den: 4}) {
		t.Fatalf("bar 3 meter = %v", m)
	}
	if got := c.Bars[2].Chords[1].Offset; got != music.PPQ {
		t.Errorf("3/4 second chord at %d, want %d", got, music.PPQ)
	}
	spans := music.Spans(c.Unroll(1))
	if spans[0].Duration != 2*music.PPQ || spans[3].Duration != 4*music.PPQ {
		t.Errorf("durations %d and %d, want 1920 and 3840", spans[0].Duration, spans[3].Duration)
	}
}

func TestPlayedOrder(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"repeat", "|: A | B :| C |", "A B A B C"},
		{"repeat x3", "|: A | B :|x3 C |", "A B A B A B C"},
		{"implicit start", "| A | B :| C |", "A B A B C"},
		{"endings", "|: A | B |1. C :|2. D | E |", "A B C A B D E"},
		{"three endings", "|: A |1. B :|2. C :|3. D |", "A B A C A D"},
		{"two repeats", "|: A :| |: B :|", "A A B B"},
		{"percent", "| A B | % | C |", "A,B A,B C"},
		{"ds al coda", "| A | @segno B | C @tocoda | D @ds-al-coda | @coda E |", "A B C D B C E"},
		{"dc al fine", "| A | B @fine | C @dc-al-fine |", "A B C A B"},
		{"ds al fine with repeat", "|: @segno A | B @fine :| C @ds-al-fine |", "A B A B C A B"},
		{"coda without jump", "| A | B @tocoda | C | @coda D |", "A B D"},
		{"to coda inside a repeat with endings", "|: C | D @tocoda |1. E :|2. F | @coda G |", "C D E C D G"},
		{"dc al third ending", "|: A |1. B :|x3 2. C | D @dc |3. E |", "A B A C D A E"},
		{"to coda with no coda", "| A | B @tocoda | C | D |", "A B C D"},
		// A repeat sign after the last bracket is read as closing that
		// bracket (as iReal writes a repeated second ending), not as a new repeat.
		{"repeat sign after a volta group", "|: A |1. B :|2. C | D | E :|", "A B A C D E"},
		{"two volta groups", "|: A |1. B :|2. C |: D |1. E :|2. F |", "A B A C D E D F"},
		{"volta group without start", "| A |1. B :|2. C | D |1. E :|2. F |", "A B A C D E D F"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := decodeOne(t, tc.src)
			if got := playedOrder(c, 1); got != tc.want {
				t.Errorf("played %q, want %q", got, tc.want)
			}
		})
	}
}

// iReal Pro plays the coda once, after the last chorus; earlier choruses
// end at the to-coda sign (after the D.S. when there is one).
func TestChorusesPlayCodaOnce(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"no jump", "| A | B @tocoda | C | @coda D |", "A B C A B C A B D"},
		{"ds al coda", "| @segno A | B @tocoda | C @ds-al-coda | @coda D |", "A B C A B A B C A B A B C A B D"},
		{"coda without sign", "| A | B | @coda D |", "A B A B A B D"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := decodeOne(t, tc.src)
			if got := playedOrder(c, 3); got != tc.want {
				t.Errorf("played %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorsHavePositions(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"title: x\n\n| C | Xq7 |\n", "line 3, column 7"},
		{"| C |\n| D | 1x. E |", "line 2, column 7"},
		{"tempo: fast\n| C |", "line 1, column 1"},
		{"colour: red\n| C |", "unknown header"},
		{"| C | @sengo |", "unknown mark"},
		{"| C |: D :|x99 |", "repeat count"},
		{"[A", "section label without ]"},
		{"| D | % C |", "stand alone"},
		{"| % |", "no bar before"},
	} {
		_, err := DecodeBytes([]byte(tc.src))
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want a ParseError containing %q", tc.src, err, tc.want)
		}
	}
}

func TestMissingKeyAndMeterDefault(t *testing.T) {
	c := decodeOne(t, "| C | G7 |")
	if c.Key != nil || c.Meter != nil {
		t.Fatalf("key %v meter %v, want both missing", c.Key, c.Meter)
	}
	if c.KeyOrDefault() != music.DefaultKey || c.MeterOrDefault() != music.DefaultMeter {
		t.Fatal("defaults are not C major and 4/4")
	}
}

func TestSeveralTunes(t *testing.T) {
	cs, err := DecodeBytes([]byte("title: One\n| C |\n---\ntitle: Two\n| D | E |\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Title != "One" || cs[1].Title != "Two" || len(cs[1].Bars) != 2 {
		t.Fatalf("got %d charts", len(cs))
	}
}

// sameCharts compares what a musician would play from two charts.
func sameCharts(a, b *music.Chart) error {
	if a.Title != b.Title || a.Composer != b.Composer || a.Tempo != b.Tempo || a.Style != b.Style {
		return fmt.Errorf("headers differ: %q/%q", a.Title, b.Title)
	}
	if (a.Key == nil) != (b.Key == nil) || (a.Key != nil && *a.Key != *b.Key) {
		return fmt.Errorf("key %v vs %v", a.Key, b.Key)
	}
	if (a.Meter == nil) != (b.Meter == nil) || (a.Meter != nil && *a.Meter != *b.Meter) {
		return fmt.Errorf("meter %v vs %v", a.Meter, b.Meter)
	}
	if (a.Ending == nil) != (b.Ending == nil) || (a.Ending != nil && (a.Ending.AsWritten != b.Ending.AsWritten || !a.Ending.Chord.Same(b.Ending.Chord))) {
		return fmt.Errorf("ending %+v vs %+v", a.Ending, b.Ending)
	}
	if len(a.Bars) != len(b.Bars) {
		return fmt.Errorf("%d bars vs %d", len(a.Bars), len(b.Bars))
	}
	for i := range a.Bars {
		x, y := a.Bars[i], b.Bars[i]
		if x.Section != y.Section || x.RepeatStart != y.RepeatStart || x.RepeatEnd != y.RepeatEnd ||
			x.Ending != y.Ending || x.Segno != y.Segno || x.ToCoda != y.ToCoda || x.Coda != y.Coda ||
			x.Fine != y.Fine || x.Jump != y.Jump || x.Comment != y.Comment ||
			(x.Meter == nil) != (y.Meter == nil) || (x.Meter != nil && *x.Meter != *y.Meter) {
			return fmt.Errorf("bar %d marks differ: %+v vs %+v", i+1, x, y)
		}
		if len(x.Chords) != len(y.Chords) {
			return fmt.Errorf("bar %d: %d chords vs %d", i+1, len(x.Chords), len(y.Chords))
		}
		for j := range x.Chords {
			p, q := x.Chords[j], y.Chords[j]
			if p.Offset != q.Offset || !p.Chord.Same(q.Chord) || (p.Alt == nil) != (q.Alt == nil) ||
				(p.Alt != nil && !p.Alt.Same(*q.Alt)) {
				return fmt.Errorf("bar %d chord %d: %v@%d vs %v@%d", i+1, j+1, p.Chord, p.Offset, q.Chord, q.Offset)
			}
		}
	}
	return nil
}

// TestEndingHeader: "ending:" names the final chord or keeps the written
// end, survives the encoder, and anything else is an error at its line.
func TestEndingHeader(t *testing.T) {
	for _, tc := range []struct {
		value     string
		asWritten bool
		chord     string
	}{
		{"Fmaj7", false, "Fmaj7"},
		{"Eb-6", false, "Ebm6"},
		{"as written", true, ""},
		{"As  Written", true, ""},
	} {
		c := decodeOne(t, "title: T\nkey: F\nending: "+tc.value+"\n\n| Gm7 | C7 |\n")
		if c.Ending == nil || c.Ending.AsWritten != tc.asWritten {
			t.Fatalf("ending: %s read as %+v", tc.value, c.Ending)
		}
		if tc.chord != "" && !c.Ending.Chord.Same(music.MustParseChord(tc.chord)) {
			t.Errorf("ending: %s read as %v, want %s", tc.value, c.Ending.Chord, tc.chord)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, c); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "\nending: ") {
			t.Errorf("ending: %s not written:\n%s", tc.value, buf.String())
		}
		if err := sameCharts(c, decodeOne(t, buf.String())); err != nil {
			t.Errorf("ending: %s round trip: %v\n%s", tc.value, err, buf.String())
		}
	}
	if c := decodeOne(t, "key: F\n| F6 |\n"); c.Ending != nil {
		t.Errorf("no ending header read as %+v", c.Ending)
	}
	for _, bad := range []string{"ending: somehow", "ending: N.C.", "ending:"} {
		_, err := DecodeBytes([]byte("title: T\n" + bad + "\n| C |\n"))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 {
			t.Errorf("%q: error %v, want a ParseError on line 2", bad, err)
		}
	}
}

// TestExamplesRoundTrip reads every bundled example, writes it back and
// compares with the golden file and with the original.
func TestExamplesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.chart")
	if len(files) < 8 {
		t.Fatalf("found %d example charts, want at least 8", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := DecodeBytes(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, cs...); err != nil {
			t.Fatalf("%s: encode: %v", f, err)
		}
		golden := filepath.Join("testdata", strings.TrimSuffix(filepath.Base(f), ".chart")+".golden")
		if *update {
			os.WriteFile(golden, buf.Bytes(), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: encoding differs from %s:\n%s", f, golden, buf.String())
		}
		back, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: decode encoded: %v\n%s", f, err, buf.String())
		}
		for i := range cs {
			if err := sameCharts(cs[i], back[i]); err != nil {
				t.Errorf("%s: round trip: %v", f, err)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../../examples/*.chart")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte("|: A |1. B :|2. C | @segno D @ds-al-coda | @coda E |"))
	f.Add([]byte("key: F\nending: Fmaj7\n| Gm7 C7 |"))
	f.Add([]byte("ending: as written\n| D9sus | F9sus |"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := DecodeBytes(data)
		if err != nil {
			return
		}
		for _, c := range cs {
			c.Unroll(2)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, cs...); err != nil {
			return // positions off any 32-slot grid cannot be written
		}
		back, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, buf.String())
		}
		if len(back) != len(cs) {
			t.Fatalf("%d charts became %d\n%s", len(cs), len(back), buf.String())
		}
		for i := range cs {
			if err := sameCharts(cs[i], back[i]); err != nil {
				t.Fatalf("round trip: %v\n%s", err, buf.String())
			}
		}
	})
}
