package musicxml

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenCharts are the charts whose encoding is kept in testdata: the
// hand-written scores as Decode reads them, and example charts that show
// navigation, meters and modes.
func goldenCharts(t *testing.T) map[string]*music.Chart {
	t.Helper()
	out := map[string]*music.Chart{}
	files, err := filepath.Glob("testdata/*.musicxml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata scores: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".musicxml")
		out[name] = decodeTestdata(t, filepath.Base(f))
	}
	for _, name := range []string{"coda-g", "shuffle-12-8", "vamp-54", "modal-d", "rhythm-changes-bb"} {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out["example-"+name] = cs[0]
	}
	return out
}

// TestEncodeGolden compares Encode's output with testdata/*.golden
// (go test -update rewrites them), and reads each back.
func TestEncodeGolden(t *testing.T) {
	for name, c := range goldenCharts(t) {
		var buf bytes.Buffer
		if err := Encode(&buf, c); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test -update)", name, err)
			continue
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: output differs from %s (run go test -update and review the diff)", name, golden)
		}
		checkRoundTrip(t, name, c)
	}
}

// TestEncodeExamples writes every bundled example chart and reads it back.
func TestEncodeExamples(t *testing.T) {
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, c := range cs {
			checkRoundTrip(t, name, c)
		}
	}
}

// TestEncodeDurations writes notes of awkward lengths and positions: the
// values written must add up exactly, tuplets must close, and the lengths
// read back must be the ones written.
func TestEncodeDurations(t *testing.T) {
	origin := &music.Origin{Kind: music.HumanEntered}
	four := music.Meter{Num: 4, Den: 4}
	bar := func(notes ...music.Note) music.Bar {
		for i := range notes {
			notes[i].Velocity, notes[i].Origin = DefaultVelocity, origin
		}
		return music.Bar{Notes: notes}
	}
	n := func(pitch uint8, start, dur music.Ticks) music.Note {
		return music.Note{Pitch: pitch, Start: start, Duration: dur}
	}
	for _, tc := range []struct {
		name  string
		bars  []music.Bar
		meter music.Meter
		has   []string // fragments the output must hold
	}{
		{"whole across a barline", []music.Bar{bar(n(60, 1920, 3840)), bar()}, four,
			[]string{"<type>half</type>", `<tie type="start"/>`, `<tie type="stop"/>`}},
		{"dotted and double dotted", []music.Bar{bar(n(60, 0, 1440), n(62, 1440, 1680), n(64, 3120, 720))}, four,
			[]string{"<dot/>\n        <dot/>"}},
		{"triplet eighths", []music.Bar{bar(n(60, 0, 320), n(62, 320, 320), n(64, 640, 320))}, four,
			[]string{"<actual-notes>3</actual-notes>", `<tuplet type="start"/>`, `<tuplet type="stop"/>`}},
		{"quarter triplets over a half", []music.Bar{bar(n(60, 0, 640), n(62, 640, 640), n(64, 1280, 640))}, four,
			[]string{"<type>quarter</type>\n        <time-modification>"}},
		{"quintuplet sixteenths", []music.Bar{bar(n(60, 0, 192), n(62, 192, 192), n(64, 384, 192), n(65, 576, 192), n(67, 768, 192))}, four,
			[]string{"<actual-notes>5</actual-notes>"}},
		{"odd length", []music.Bar{bar(n(60, 0, 1000), n(62, 1000, 137))}, four, nil},
		{"two voices", []music.Bar{bar(n(60, 0, 3840), n(64, 0, 960), n(65, 960, 960))}, four,
			[]string{"<backup>", "<voice>2</voice>"}},
		{"pickup", []music.Bar{{Meter: &music.Meter{Num: 1, Den: 4}, Notes: []music.Note{{Pitch: 67, Duration: 960, Velocity: 80}}}, {Meter: &four}}, four,
			[]string{`<measure number="0" implicit="yes">`}},
		{"5/4", []music.Bar{bar(n(60, 0, 4800))}, music.Meter{Num: 5, Den: 4},
			[]string{"<beats>5</beats>"}},
	} {
		c := &music.Chart{Meter: &tc.meter, Bars: tc.bars, Parts: []music.Part{{Name: "Test", Program: -1}}}
		var buf bytes.Buffer
		if err := Encode(&buf, c); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, h := range tc.has {
			if !strings.Contains(buf.String(), h) {
				t.Errorf("%s: no %q in\n%s", tc.name, h, buf.String())
			}
		}
		if strings.Count(buf.String(), `<tuplet type="start"/>`) != strings.Count(buf.String(), `<tuplet type="stop"/>`) {
			t.Errorf("%s: unbalanced tuplets", tc.name)
		}
		checkRoundTrip(t, tc.name, c)
	}
}

// TestEncodeErrors checks the charts Encode refuses.
func TestEncodeErrors(t *testing.T) {
	if err := Encode(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil chart encoded")
	}
	bad := &music.Chart{Bars: []music.Bar{{Meter: &music.Meter{Num: 0, Den: 4}}}}
	if err := Encode(&bytes.Buffer{}, bad); err == nil || !strings.Contains(err.Error(), "bar 1") {
		t.Errorf("meter 0/4: %v", err)
	}
	// An empty chart is one empty bar.
	var buf bytes.Buffer
	if err := Encode(&buf, &music.Chart{}); err != nil {
		t.Fatal(err)
	}
	c, err := DecodeBytes(buf.Bytes())
	if err != nil || len(c.Bars) != 1 {
		t.Errorf("empty chart: %v, %d bars", err, len(c.Bars))
	}
}
