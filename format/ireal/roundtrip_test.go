package ireal

import (
	"bytes"
	"fmt"
	"testing"

	"sideman/music"
)

// chartDiff describes the first difference between two charts, or "".
// Chords compare by offset and sound, and by symbol when a is written in
// iReal Pro's notation (Encode respells others); alternates likewise.
func chartDiff(a, b *music.Chart) string {
	if a.Title != b.Title || a.Composer != b.Composer || a.Style != b.Style || a.Tempo != b.Tempo {
		return fmt.Sprintf("header %q/%q/%q/%d vs %q/%q/%q/%d", a.Title, a.Composer, a.Style, a.Tempo, b.Title, b.Composer, b.Style, b.Tempo)
	}
	if (a.Key == nil) != (b.Key == nil) || a.Key != nil && *a.Key != *b.Key {
		return fmt.Sprintf("key %v vs %v", a.Key, b.Key)
	}
	if a.MeterOrDefault() != b.MeterOrDefault() {
		return fmt.Sprintf("meter %v vs %v", a.Meter, b.Meter)
	}
	if len(a.Bars) != len(b.Bars) {
		return fmt.Sprintf("%d bars vs %d", len(a.Bars), len(b.Bars))
	}
	for i := range a.Bars {
		x, y := &a.Bars[i], &b.Bars[i]
		if (x.Meter == nil) != (y.Meter == nil) || x.Meter != nil && *x.Meter != *y.Meter {
			return fmt.Sprintf("bar %d: meter %v vs %v", i+1, x.Meter, y.Meter)
		}
		mx := fmt.Sprintf("%q %v %d %d %v %v %v %v %v %q", x.Section, x.RepeatStart, x.RepeatEnd, x.Ending, x.Segno, x.ToCoda, x.Coda, x.Fine, x.Jump, x.Comment)
		my := fmt.Sprintf("%q %v %d %d %v %v %v %v %v %q", y.Section, y.RepeatStart, y.RepeatEnd, y.Ending, y.Segno, y.ToCoda, y.Coda, y.Fine, y.Jump, y.Comment)
		if mx != my {
			return fmt.Sprintf("bar %d: marks %s vs %s", i+1, mx, my)
		}
		if len(x.Chords) != len(y.Chords) {
			return fmt.Sprintf("bar %d: chords %v vs %v", i+1, x.Chords, y.Chords)
		}
		for j := range x.Chords {
			p, q := x.Chords[j], y.Chords[j]
			if p.Offset != q.Offset || !sameChord(p.Chord, q.Chord) || (p.Alt == nil) != (q.Alt == nil) || p.Alt != nil && !sameChord(*p.Alt, *q.Alt) {
				return fmt.Sprintf("bar %d chord %d: %v@%d vs %v@%d", i+1, j+1, p.Chord, p.Offset, q.Chord, q.Offset)
			}
		}
	}
	pa, pb := music.Spans(a.Unroll(2)), music.Spans(b.Unroll(2))
	if len(pa) != len(pb) {
		return fmt.Sprintf("unrolled %d spans vs %d", len(pa), len(pb))
	}
	for i := range pa {
		if pa[i].Start != pb[i].Start || pa[i].Duration != pb[i].Duration || !pa[i].Chord.Same(pb[i].Chord) {
			return fmt.Sprintf("span %d: %v vs %v", i, pa[i], pb[i])
		}
	}
	return ""
}

func sameChord(a, b music.Chord) bool {
	return a.Same(b) && (!irealSymbol(a.Symbol) || a.Symbol == b.Symbol)
}

// reencode encodes a playlist and decodes it again.
func reencode(t testing.TB, p *Playlist) *Playlist {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, p); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	q, err := Decode(&buf)
	if err != nil {
		t.Fatalf("Decode(Encode): %v\n%s", err, buf.String())
	}
	return q
}

func TestRoundTripCorpus(t *testing.T) {
	for _, pl := range playlists {
		t.Run(pl.file, func(t *testing.T) {
			p := decodeCorpus(t, pl.file)
			q := reencode(t, p)
			if q.Name != p.Name || len(q.Charts) != len(p.Charts) {
				t.Fatalf("got %q with %d charts, want %q with %d", q.Name, len(q.Charts), p.Name, len(p.Charts))
			}
			bad := 0
			for i := range p.Charts {
				if d := chartDiff(p.Charts[i], q.Charts[i]); d != "" {
					bad++
					if bad <= 10 {
						t.Errorf("%q: %s", p.Charts[i].Title, d)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d charts differ after a round trip", bad, len(p.Charts))
			}
		})
	}
}
