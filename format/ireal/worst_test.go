package ireal

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The cost of the largest links: charts of MaxBars bars built to make a
// scan from every bar quadratic, decoded and encoded, each compared with
// a plain chart's time a byte. Ratios of runs on one machine, not limits
// on the clock.

// plainLink is a link of one chart of MaxBars bars of chords.
func plainLink() []byte {
	return []byte(link("Plain", "C", "{*AT44"+strings.Repeat("C7 |F7 |G-7 C7 |F^7 |", MaxBars/4)+"}"))
}

var worstLinks = map[string]string{
	// Every bar a first ending closing a repeat: each closing sign
	// looked for the repeat's highest ending from its bar, decoding and
	// encoding (31 and 14 times a plain chart's time).
	"4,096 endings closing repeats": "{*AT44" + strings.Repeat("N1C7 }", MaxBars),
	// The link: a bar and 4,095 repeat signs (x).
	"4,096 bars of x": "{*AT44C7 |" + strings.Repeat("x |", MaxBars-1) + "Z",
	// Every bar a repeat of its own.
	"4,096 repeats": "T44" + strings.Repeat("{C7 }", MaxBars),
}

func leastTime(f func()) time.Duration {
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		f()
		best = min(best, time.Since(start))
	}
	return best
}

// TestWorstLinksCostLikePlain decodes and encodes each worst chart: within
// 10 times a plain chart's time a byte.
func TestWorstLinksCostLikePlain(t *testing.T) {
	cost := func(data []byte) (decode, encode float64) {
		p, err := DecodeBytes(data)
		if err != nil || len(p.Charts) != 1 {
			t.Fatalf("%v, %d charts", err, len(p.Charts))
		}
		var out bytes.Buffer
		d := leastTime(func() { DecodeBytes(data) })
		e := leastTime(func() {
			out.Reset()
			if err := Encode(&out, p); err != nil {
				t.Fatal(err)
			}
		})
		return float64(d) / float64(len(data)), float64(e) / float64(len(p.Charts[0].Bars))
	}
	baseDecode, baseEncode := cost(plainLink())
	for name, text := range worstLinks {
		data := []byte(link("Worst", "C", text))
		d, e := cost(data)
		for _, r := range []struct {
			what  string
			ratio float64
		}{{"decoding, a byte", d / baseDecode}, {"encoding, a bar", e / baseEncode}} {
			if r.ratio > 10 {
				t.Errorf("%s: %s takes %.0f times a plain chart's time", name, r.what, r.ratio)
			} else {
				t.Logf("%s: %s takes %.1f times a plain chart's time", name, r.what, r.ratio)
			}
		}
	}
}
