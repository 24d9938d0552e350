package abc

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sideman/music"
)

// FuzzDecode feeds Decode arbitrary text, seeded with the test tunes. It
// must not panic, and whatever it reads must encode and decode again to
// the same melody (the notes played, by onset and pitch) and chords.
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.abc"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for _, t := range splitFile(data).tunes {
			var b bytes.Buffer
			for _, ln := range t.lines() {
				b.WriteString(ln.text + "\n")
			}
			f.Add(b.Bytes())
		}
	}
	for _, s := range []string{
		"X:1\nK:C\nA>B (3cde [CEG]2 z|",
		"X:1\nM:6/8\nK:G\n|:A2B-B2c|[1 d3:|[2 e3|]",
		"X:1\nY:ABA\nK:D\nP:A\nf|\nP:B\ng|",
		"X:1\nM:none\nL:1/16\nK:none\n\"Am\"^^A,,/ __b''3/2 x Z2|",
		"X:1\nK:C\n[V:1]C[V:2]D|&E|\\\n!segno!F!D.S.!|",
		"X:1\nL:1/4\nK:D exp ^f _/b\n^/A _3/2B ^3/4c y2 d| : e y/f :|g : |]",
		"X:1\nU:W=!D.S.!\nU: h = +trill+\nK:C\nS!myown!C hD +foo+E W|]",
		"X:1\nK:G\nD2-D2 [GB]z E|F4-|F2 G2|\nw:syll-a--ble_ of~the~day * \\-x|y\n+:z 50\\%\nw:verse two",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		charts, _ := Decoder{Source: "fuzz"}.DecodeBytes(data)
		if len(charts) == 0 {
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, charts); err != nil {
			t.Fatalf("Encode of what Decode read: %v", err)
		}
		back, err := Decoder{Source: "fuzz"}.DecodeBytes(buf.Bytes())
		if err != nil || len(back) != len(charts) {
			t.Fatalf("decoding what Encode wrote: %d of %d tunes, %v\n%s", len(back), len(charts), err, buf.Bytes())
		}
		for i := range charts {
			if d := sameMelody(charts[i], back[i]); d != "" {
				t.Fatalf("tune %d: %s\n%s", i+1, d, buf.Bytes())
			}
			if a, b := sungLyrics(charts[i]), sungLyrics(back[i]); a != b {
				t.Fatalf("tune %d: lyrics %q come back as %q\n%s", i+1, a, b, buf.Bytes())
			}
		}
	})
}

// sungLyrics lists the syllables sung, by onset: those of notes struck
// together in the order of their pitches.
func sungLyrics(c *music.Chart) string {
	ns := slices.Clone(c.Perform(1).Parts[0].Notes)
	slices.SortStableFunc(ns, func(a, b music.Note) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Pitch, b.Pitch))
	})
	var out []string
	for _, n := range ns {
		if n.Lyric != "" {
			out = append(out, n.Lyric)
		}
	}
	return strings.Join(out, "|")
}

// sameMelody compares what matters after a round trip of any input: the
// notes played (onset and pitch) and the chords of each bar. Lengths may
// differ where notes of one pitch overlap, which one voice cannot write.
func sameMelody(a, b *music.Chart) string {
	x, y := pitchSets(a.Perform(1).Parts[0].Notes), pitchSets(b.Perform(1).Parts[0].Notes)
	if i := firstDiff(x, y); i >= 0 {
		return "played notes differ at " + showSets(x, i) + "/ " + showSets(y, i)
	}
	xa, ya := a.Perform(1).Parts[0].Notes, b.Perform(1).Parts[0].Notes
	for i := range xa {
		if xa[i].Start != ya[i].Start {
			return "onsets differ"
		}
	}
	if len(a.Bars) != len(b.Bars) {
		return "bar counts differ"
	}
	for i := range a.Bars {
		p, q := a.Bars[i].Chords, b.Bars[i].Chords
		if len(p) != len(q) {
			return "chords differ"
		}
		for j := range p {
			if p[j].Offset != q[j].Offset || p[j].Chord.Name() != q[j].Chord.Name() {
				return "chords differ"
			}
		}
	}
	return ""
}
