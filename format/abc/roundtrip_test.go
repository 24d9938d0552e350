package abc

import (
	"bytes"
	"fmt"
	"testing"

	"sideman/music"
)

// sameMusic reports how two charts differ in what is played and written
// over it: the melody as played (onset, pitch and length of every note),
// the chords of every bar, the form, key, meter, tempo and names. It
// returns "" when they do not.
func sameMusic(a, b *music.Chart) string { return sameMusicSymbols(a, b, false) }

// sameMusicSymbols is sameMusic that, when symbols is set, also wants the
// chord symbols written the same.
func sameMusicSymbols(a, b *music.Chart, symbols bool) string {
	switch {
	case a.Title != b.Title || a.Composer != b.Composer || a.Style != b.Style || a.Tempo != b.Tempo:
		return fmt.Sprintf("header %q %q %q %d, want %q %q %q %d", b.Title, b.Composer, b.Style, b.Tempo, a.Title, a.Composer, a.Style, a.Tempo)
	case (a.Key == nil) != (b.Key == nil) || a.Key != nil && *a.Key != *b.Key:
		return fmt.Sprintf("key %v, want %v", b.Key, a.Key)
	case (a.Meter == nil) != (b.Meter == nil) || a.Meter != nil && *a.Meter != *b.Meter:
		return fmt.Sprintf("meter %v, want %v", b.Meter, a.Meter)
	case len(a.Bars) != len(b.Bars):
		return fmt.Sprintf("%d bars, want %d", len(b.Bars), len(a.Bars))
	}
	am, bm := a.BarMeters(), b.BarMeters()
	for i := range a.Bars {
		x, y := &a.Bars[i], &b.Bars[i]
		// Encode may write a start repeat sign where a repeat goes back
		// to anyway: the played order is compared below.
		if am[i] != bm[i] || x.RepeatEnd != y.RepeatEnd || x.Ending != y.Ending ||
			x.Section != y.Section || x.Segno != y.Segno || x.Coda != y.Coda || x.ToCoda != y.ToCoda ||
			x.Fine != y.Fine || x.Jump != y.Jump || x.Comment != y.Comment {
			return fmt.Sprintf("bar %d: %v %+v, want %v %+v", i+1, bm[i], *y, am[i], *x)
		}
		if len(x.Chords) != len(y.Chords) {
			return fmt.Sprintf("bar %d: chords %v, want %v", i+1, y.Chords, x.Chords)
		}
		for j := range x.Chords {
			p, q := x.Chords[j], y.Chords[j]
			if p.Offset != q.Offset || p.Chord.Name() != q.Chord.Name() || !p.Chord.Same(q.Chord) ||
				symbols && p.Chord.String() != q.Chord.String() ||
				(p.Alt == nil) != (q.Alt == nil) || p.Alt != nil && p.Alt.Name() != q.Alt.Name() {
				return fmt.Sprintf("bar %d: chord %v at %d, want %v at %d", i+1, q.Chord, q.Offset, p.Chord, p.Offset)
			}
		}
	}
	ua, ub := a.Unroll(1), b.Unroll(1)
	if len(ua) != len(ub) {
		return fmt.Sprintf("%d bars played, want %d", len(ub), len(ua))
	}
	for i := range ua {
		if ua[i].Index != ub[i].Index {
			return fmt.Sprintf("played bar %d is bar %d, want %d", i+1, ub[i].Index+1, ua[i].Index+1)
		}
	}
	pa, pb := a.Perform(1), b.Perform(1)
	if len(pa.Parts) != len(pb.Parts) {
		return fmt.Sprintf("%d parts, want %d", len(pb.Parts), len(pa.Parts))
	}
	for i := range pa.Parts {
		x, y := pa.Parts[i].Notes, pb.Parts[i].Notes
		if len(x) != len(y) {
			return fmt.Sprintf("%d notes played, want %d", len(y), len(x))
		}
		for j := range x {
			if x[j].Start != y[j].Start || x[j].Pitch != y[j].Pitch || x[j].Duration != y[j].Duration {
				return fmt.Sprintf("note %d: %d at %d for %d, want %d at %d for %d", j, y[j].Pitch, y[j].Start, y[j].Duration, x[j].Pitch, x[j].Start, x[j].Duration)
			}
		}
	}
	return ""
}

// TestNottinghamRoundTrip encodes every decoded Nottingham tune and decodes
// it again: the played notes, the chords and the form are the same.
func TestNottinghamRoundTrip(t *testing.T) {
	tunes, _ := nottingham(t)
	origin := &music.Origin{Kind: music.Imported, Source: "test"}
	n := 0
	for _, ct := range tunes {
		c, err := decodeTune(ct.t, nil, origin)
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		if err := Encode(&buf, []*music.Chart{c}); err != nil {
			t.Errorf("%s: %v", ct.id(), err)
			continue
		}
		back, err := Decoder{Source: "test"}.DecodeBytes(buf.Bytes())
		if err != nil || len(back) != 1 {
			t.Errorf("%s: decoding what Encode wrote: %v\n%s", ct.id(), err, buf.Bytes())
			continue
		}
		if d := sameMusicSymbols(c, back[0], true); d != "" {
			t.Errorf("%s: after a round trip, %s\n%s", ct.id(), d, buf.Bytes())
			continue
		}
		n++
	}
	t.Logf("%d tunes come back the same", n)
}
