package abc

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func meterPtr(n, d int) *music.Meter { return &music.Meter{Num: n, Den: d} }

func chordsAt(offsetsAndSymbols ...any) []music.ChordAt {
	var out []music.ChordAt
	for i := 0; i+1 < len(offsetsAndSymbols); i += 2 {
		out = append(out, music.ChordAt{
			Offset: music.Ticks(offsetsAndSymbols[i].(int)),
			Chord:  music.MustParseChord(offsetsAndSymbols[i+1].(string)),
		})
	}
	return out
}

// builtCharts are charts made in code, with what ABC can only say in
// roundabout ways: polyphony, notes over barlines, tuplets, odd bar
// lengths, navigation marks, and a chord chart without notes.
func builtCharts() []*music.Chart {
	fm := music.Key{Tonic: music.Spelling{Step: music.F}, Mode: music.Minor}
	o := &music.Origin{Kind: music.HumanEntered, Source: "built"}
	n := func(p uint8, start, dur music.Ticks) music.Note {
		return music.Note{Pitch: p, Start: start, Duration: dur, Velocity: 80, Origin: o}
	}
	alt := music.MustParseChord("Ab")
	lead := &music.Chart{
		Title: "Built Lead Sheet, 100% tested", Composer: "The Tests", Style: "Ballad", Tempo: 72,
		Key: &fm, Meter: meterPtr(4, 4),
		Parts: []music.Part{{Name: "Melody", Role: "melody", Program: 40}},
		Bars: []music.Bar{
			// A pickup of a quarter: two eighths.
			{Meter: meterPtr(1, 4), Notes: []music.Note{n(60, 0, e), n(63, e, e)}},
			{Meter: meterPtr(4, 4), Section: "A", RepeatStart: true, Segno: true, Chords: chordsAt(0, "Fm", 1920, "Db7"),
				// A triplet, then a half note held under two quarters, tied into the next bar.
				Notes: []music.Note{n(65, 0, 320), n(67, 320, 320), n(68, 640, 320), n(60, q, h), n(72, q, q), n(70, 2*q, q), n(72, 3*q, 2*q)}},
			{Ending: 1, RepeatEnd: 2, Chords: chordsAt(0, "Bbm7", 1920, "C7"), Comment: "softly",
				// A quintuplet of sixteenths, then a chord whose notes end apart.
				Notes: []music.Note{n(68, q, 192), n(67, q+192, 192), n(65, q+384, 192), n(64, q+576, 192), n(65, q+768, 192),
					n(60, h, h), n(64, h, q), n(67, h, e)}},
			{Ending: 2, ToCoda: true, Chords: []music.ChordAt{{Offset: 0, Chord: music.MustParseChord("Fm"), Alt: &alt}},
				Notes: []music.Note{n(65, 0, w)}},
			{Meter: meterPtr(3, 4), Section: "B", Chords: chordsAt(0, "N.C."), Notes: []music.Note{n(77, 0, q), n(73, q, q), n(72, 2*q, q)}},
			{Meter: meterPtr(4, 4), Jump: music.DSAlCoda, Chords: chordsAt(0, "C7sus4", q, "C7"), Notes: []music.Note{n(67, 0, 3*q)}},
			{Coda: true, Fine: true, Chords: chordsAt(0, "Fm6"), Notes: []music.Note{n(53, 0, w), n(65, 0, w), n(68, 0, w)}},
		},
	}
	chords := &music.Chart{
		Title: "Built Chord Chart", Key: &music.Key{Tonic: music.Spelling{Step: music.B, Alter: -1}}, Meter: meterPtr(4, 4),
		Parts: []music.Part{{Name: "Melody", Role: "melody"}},
		Bars: []music.Bar{
			{Section: "A", Chords: chordsAt(0, "Bb^7")},
			{Chords: chordsAt(0, "C-7", 1920, "F7")},
			{Chords: chordsAt(0, "Dh7", 1920, "G7b9")},
			{Chords: chordsAt(0, "C-7", 960, "F7", 1920, "Bb6", 2880, "G7alt")},
		},
	}
	return []*music.Chart{lead, chords}
}

// TestEncodeGolden encodes the test tunes and the built charts, compares
// the text with the golden files, and decodes it back to the same music.
func TestEncodeGolden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "tunes.abc"))
	if err != nil {
		t.Fatal(err)
	}
	tunes, err := Decoder{Source: f.Name()}.Decode(f)
	f.Close()
	if err != nil || len(tunes) != 4 {
		t.Fatalf("testdata/tunes.abc: %d tunes, %v", len(tunes), err)
	}
	if src := tunes[0].Bars[0].Notes[0].Origin.Source; src != f.Name() {
		t.Errorf("origin source %q, want the Decoder's Source %q", src, f.Name())
	}
	for _, tc := range []struct {
		name   string
		charts []*music.Chart
	}{
		{"tunes", tunes},
		{"built", builtCharts()},
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, tc.charts); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		golden := filepath.Join("testdata", tc.name+".golden")
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: Encode wrote\n%s\nwant (%s)\n%s", tc.name, buf.Bytes(), golden, want)
		}
		back, err := Decoder{Source: "golden"}.DecodeBytes(buf.Bytes())
		if err != nil || len(back) != len(tc.charts) {
			t.Fatalf("%s: decoding what Encode wrote: %d charts, %v", tc.name, len(back), err)
		}
		for i := range back {
			if d := sameMusic(tc.charts[i], back[i]); d != "" {
				t.Errorf("%s: tune %d after a round trip: %s", tc.name, i+1, d)
			}
		}
	}
}

// TestEncodeChordChartWithoutParts: a chord chart with no parts is written
// with rests under its chords.
func TestEncodeChordChartWithoutParts(t *testing.T) {
	c := builtCharts()[1]
	c.Parts = nil
	var buf bytes.Buffer
	if err := Encode(&buf, []*music.Chart{c}); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b := back[0]
	b.Parts = nil
	if d := sameMusic(c, b); d != "" || back[0].WrittenNotes() != 0 {
		t.Errorf("%s, %d notes\n%s", d, back[0].WrittenNotes(), buf.Bytes())
	}
}

func TestEncodeErrors(t *testing.T) {
	bad := func(edit func(c *music.Chart)) *music.Chart {
		c := builtCharts()[0]
		edit(c)
		return c
	}
	for _, tc := range []struct {
		name  string
		chart *music.Chart
		want  string
	}{
		{"nil", nil, "abc: tune 1: nil chart"},
		{"meter", bad(func(c *music.Chart) { c.Bars[2].Meter = meterPtr(0, 4) }), "abc: tune 1, bar 3: meter 0/4 cannot be played"},
		{"chart meter", bad(func(c *music.Chart) { c.Meter = meterPtr(4, 3) }), "abc: tune 1: meter 4/3 cannot be played"},
		{"note outside", bad(func(c *music.Chart) { c.Bars[0].Notes[0].Start = q }), "abc: tune 1, bar 1: note at tick 960 is outside the bar"},
		{"chord outside", bad(func(c *music.Chart) { c.Bars[1].Chords[1].Offset = w }), "abc: tune 1, bar 2: chord Db7 at tick 3840 is outside the bar"},
		{"key", bad(func(c *music.Chart) { c.Key.Tonic.Alter = 2 }), "abc: tune 1: key F## minor cannot be written"},
	} {
		err := Encode(new(bytes.Buffer), []*music.Chart{tc.chart})
		var ee *EncodeError
		if !errors.As(err, &ee) || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestEncodeSpelling checks that Encode writes accidentals so that both
// ways of carrying them (Decode's, by octave; abc2midi's, by letter) read
// the same pitches.
func TestEncodeSpelling(t *testing.T) {
	g := music.Key{Tonic: music.Spelling{Step: music.G}}
	o := &music.Origin{}
	var ns []music.Note
	// F natural, then F natural an octave up, then F#, then f# again.
	for i, p := range []uint8{65, 77, 66, 78, 77} {
		ns = append(ns, music.Note{Pitch: p, Start: music.Ticks(i) * e, Duration: e, Origin: o})
	}
	c := &music.Chart{Key: &g, Meter: meterPtr(4, 4), Parts: []music.Part{{Role: "melody"}},
		Bars: []music.Bar{{Notes: ns}}}
	var buf bytes.Buffer
	if err := Encode(&buf, []*music.Chart{c}); err != nil {
		t.Fatal(err)
	}
	body := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if got, want := body[len(body)-1], "=F=f ^F^f =fz3|]"; got != want {
		t.Errorf("bar written %q, want %q", got, want)
	}
	for _, mode := range []string{"octave", "pitch"} {
		src := strings.Replace(buf.String(), "K:G", "K:G\n%%propagate-accidentals "+mode, 1)
		back, err := DecodeBytes([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if d := sameMusic(c, back[0]); d != "" {
			t.Errorf("read with %s: %s", mode, d)
		}
	}
}
