package jazzstd

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"testing"

	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite testdata/encode.golden.json")

// goldenCharts are the charts of the Encode golden file: the sample, which
// is in Decode's form, and two charts built by hand that are not.
func goldenCharts(t *testing.T) []*music.Chart {
	t.Helper()
	charts := decodeFile(t, "testdata/sample.json")
	ch := music.MustParseChord
	at := func(off music.Ticks, sym string) music.ChordAt { return music.ChordAt{Offset: off, Chord: ch(sym)} }
	dorian := music.Key{Tonic: music.Spelling{Step: music.D}, Mode: music.Dorian}
	// A D.C. al Fine form is written out in played order: A B A.
	dcAlFine := &music.Chart{
		Title: "Da Capo", Composer: "Sideman Tests", Style: "Even 8ths", Key: &dorian, Tempo: 140,
		Bars: []music.Bar{
			{Section: "A", Chords: []music.ChordAt{at(0, "Dm7"), at(1440, "G7(b9,#11)")}, Comment: "dropped"},
			{Chords: []music.ChordAt{at(0, "Cm(maj7)"), {Offset: 2880, Chord: ch("C6/9"), Alt: ptr(ch("Am7"))}}, Fine: true},
			{Section: "B", Chords: []music.ChordAt{at(0, "N.C.")}},
			{Chords: []music.ChordAt{at(0, "A7alt")}, Jump: music.DCAlFine},
		},
	}
	// Six-eight, written with a bar meter rather than a chart meter.
	sixEight := music.Meter{Num: 6, Den: 8}
	compound := &music.Chart{
		Title: "Six Eight", Composer: "Sideman Tests",
		Bars: []music.Bar{
			{Meter: &sixEight, Chords: []music.ChordAt{at(0, "Bb^7"), at(1440, "Eb-7")}},
			{Chords: []music.ChordAt{at(0, "F7sus"), at(480, "F7"), at(960, "F7b9")}},
		},
	}
	return append(charts, dcAlFine, compound)
}

func ptr[T any](v T) *T { return &v }

func TestEncodeGolden(t *testing.T) {
	charts := goldenCharts(t)
	var buf bytes.Buffer
	if err := Encode(&buf, charts); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/encode.golden.json"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Encode differs from %s (run go test -update and review the diff):\n%s", golden, buf.Bytes())
	}

	back, err := Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	// The sample comes back as it was.
	if !reflect.DeepEqual(back[:4], charts[:4]) {
		t.Error("sample charts do not read back the same")
	}
	// The D.C. al Fine chart comes back written out, playing the same
	// chords: A B A, stopping at Fine.
	if got, want := played(back[4]), played(charts[4]); len(got) != 6 || !sameSounds(back[4], charts[4]) {
		t.Errorf("D.C. al Fine read back as\n%q\nwant the sounds of\n%q", got, want)
	}
	if back[4].Key == nil || back[4].Key.Mode != music.Dorian {
		t.Errorf("dorian key read back as %v", back[4].Key)
	}
	// The bar meter became the chart's, and eighths in 6/8 are 480 ticks.
	if m := back[5].Meter; m == nil || *m != (music.Meter{Num: 6, Den: 8}) {
		t.Errorf("6/8 read back as %v", m)
	}
	if !sameSounds(back[5], charts[5]) {
		t.Errorf("6/8 chords read back as %q", played(back[5]))
	}
}

// sameSounds reports whether two charts play the same chords at the same
// times with the same alternates, however the symbols are spelled.
func sameSounds(a, b *music.Chart) bool {
	pa, pb := a.Unroll(1), b.Unroll(1)
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		x, y := pa[i].Bar.Chords, pb[i].Bar.Chords
		if len(x) != len(y) || pa[i].Start != pb[i].Start {
			return false
		}
		for k := range x {
			if x[k].Offset != y[k].Offset || !x[k].Chord.Same(y[k].Chord) || (x[k].Alt == nil) != (y[k].Alt == nil) ||
				(x[k].Alt != nil && !x[k].Alt.Same(*y[k].Alt)) {
				return false
			}
		}
	}
	return true
}
