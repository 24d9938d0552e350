package chart

import (
	"bytes"
	"strings"
	"testing"

	"sideman/music"
)

// A grouping written in the header and on a bar's meter change is read,
// written back in the same form and read again the same; a meter with no
// grouping stays without one (the default), so charts written before
// groupings existed encode as they did.
func TestMeterGroupingRoundTrip(t *testing.T) {
	src := `title: Seven
meter: 7/4 (4+3)

| Am7 . . . D7 . . | 7/4(3+4) Am7 . . D7 . . . | 2+2+3/8 G | 6/8 C | 7/4 F |
`
	cs, err := DecodeBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	want := []string{"7/4 (4+3)", "7/4 (3+4)", "7/8 (2+2+3)", "6/8", "7/4"}
	ms := c.BarMeters()
	for i, w := range want {
		if ms[i].String() != w {
			t.Errorf("bar %d: meter %v, want %s", i+1, ms[i], w)
		}
	}
	// The chords of a grouped bar still share it by its units.
	if off := c.Bars[1].Chords[1].Offset; off != 3*music.PPQ {
		t.Errorf("bar 2: D7 at %d ticks, want %d", off, 3*music.PPQ)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, c); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{"meter: 7/4 (4+3)", "7/4(3+4)", "7/8(2+2+3)", "| 7/4 F"} {
		if !strings.Contains(out, w) {
			t.Errorf("encoding lacks %q:\n%s", w, out)
		}
	}
	back, err := DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("decode encoded: %v\n%s", err, out)
	}
	if err := sameCharts(c, back[0]); err != nil {
		t.Errorf("round trip: %v\n%s", err, out)
	}
}

func TestMeterGroupingErrors(t *testing.T) {
	for _, src := range []string{
		"meter: 7/4 (4+4)\n| C |\n",
		"| 7/4(3+3) C |\n",
		"| 7/4(4+3 C |\n",
	} {
		if _, err := DecodeBytes([]byte(src)); err == nil {
			t.Errorf("%q read without error", src)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error of several lines: %v", src, err)
		}
	}
}
