package musicxml

import (
	"bytes"
	"strings"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/chart"
	"sideman/music"
)

// bandScore plays an example chart with the band in a style and returns
// the score of it as `sideman band -o x.musicxml` gives EncodeScore it:
// the band's notes as written, eighths straight.
func bandScore(t *testing.T, name, style string, choruses int) Score {
	t.Helper()
	src, err := examples.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chart.DecodeBytes(src)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := band.LookupStyle(style)
	if !ok {
		t.Fatalf("no style %q", style)
	}
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: choruses, Ending: true, Seed: 3}
	p, err := band.Play(cs[0], opt)
	if err != nil {
		t.Fatal(err)
	}
	bars, err := band.Played(p.Chart, opt)
	if err != nil {
		t.Fatal(err)
	}
	return Score{Piece: p, Bars: bars, Swing: st.Swing}
}

// TestEncodeScore writes the band's parts as a score and reads it back:
// one bar for every bar played, the played bars' chord symbols, every
// note of every part on a sixteenth or an eighth-note triplet, where the
// band played a note of that key (within half a sixteenth, or, in a swing
// style, as far as a swung eighth is from the straight one), as
// many notes read back as written (ties merged), bass in the bass clef,
// piano on a grand staff, drums on a percussion staff, four bars a line.
// The band is given as written, and in swing styles as played too
// (feel.Swing), its swung eighths written straight again.
func TestEncodeScore(t *testing.T) {
	for _, tc := range []struct {
		chart, style string
		played       bool
	}{
		{"blues-f", "medium swing", false}, {"bossa-d", "bossa nova", false}, {"waltz-f", "jazz waltz", false},
		{"shuffle-12-8", "blues shuffle", false}, {"vamp-54", "funk", false},
		{"blues-f", "medium swing", true}, {"waltz-f", "jazz waltz", true}, {"ballad-eb", "ballad", true},
	} {
		s := bandScore(t, tc.chart, tc.style, 2)
		if tc.played {
			s.Piece = feel.Swing(s.Piece)
		}
		var buf bytes.Buffer
		if err := EncodeScore(&buf, s); err != nil {
			t.Fatalf("%s: %v", tc.chart, err)
		}
		doc := buf.String()
		back, err := Decoder{Source: tc.chart}.DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: the score does not read back: %v", tc.chart, err)
		}
		if len(back.Bars) != len(s.Bars) {
			t.Errorf("%s: %d bars in the score, %d played", tc.chart, len(back.Bars), len(s.Bars))
		}
		for i := range min(len(back.Bars), len(s.Bars)) {
			if got, want := len(back.Bars[i].Chords), len(s.Bars[i].Bar.Chords); got != want {
				t.Errorf("%s bar %d: %d chord symbols, want %d", tc.chart, i+1, got, want)
			}
		}
		for _, want := range []string{"<staves>2</staves>", "<sign>percussion</sign>", "<sign>F</sign>", "<print new-system=\"yes\"/>"} {
			if !strings.Contains(doc, want) {
				t.Errorf("%s: the score has no %s", tc.chart, want)
			}
		}
		if lines := strings.Count(doc, "new-system") / len(s.Piece.Parts); lines < len(s.Bars)/4-1 {
			t.Errorf("%s: %d line breaks a part for %d bars", tc.chart, lines, len(s.Bars))
		}
		perf := back.Perform(1)
		if len(perf.Parts) != len(s.Piece.Parts) {
			t.Fatalf("%s: %d parts back, want %d", tc.chart, len(perf.Parts), len(s.Piece.Parts))
		}
		// How far a written note may be from the band's: half a
		// sixteenth, or in swing a triplet upbeat's way from the
		// straight eighth it is written as.
		tol := music.Ticks(120)
		if s.Swing > 0.5 {
			tol = music.PPQ*2/3 - music.PPQ/2 + 10
		}
		// Score order: the piano over the bass over the drums.
		var names []string
		for _, pt := range perf.Parts {
			names = append(names, pt.Name)
		}
		if got := strings.Join(names, ","); got != "Piano,Bass,Drums" && got != "Guitar,Piano,Bass,Drums" {
			t.Errorf("%s: parts in the order %s", tc.chart, got)
		}
		for _, part := range s.Piece.Parts {
			var got []music.Note
			for _, pt := range perf.Parts {
				if pt.Name == part.Name {
					got = pt.Notes
				}
			}
			// Onsets, by key: each written onset is near a band note's
			// onset of that key.
			want := map[uint8][]music.Ticks{}
			for _, n := range part.Notes {
				want[n.Pitch] = append(want[n.Pitch], n.Start)
			}
			far := 0
			for _, n := range got {
				if n.Start%music.PPQ%80 != 0 {
					t.Errorf("%s %s: a note at %d, off the grid", tc.chart, part.Name, n.Start)
				}
				if !hasNear(want[n.Pitch], n.Start, tol) {
					far++
					if far < 4 {
						t.Logf("%s %s: key %d written at %d (%d in its beat)", tc.chart, part.Name, n.Pitch, n.Start, n.Start%music.PPQ)
					}
				}
			}
			if far > 0 {
				t.Errorf("%s %s: %d of %d notes written away from where the band played them", tc.chart, part.Name, far, len(got))
			}
			// Notes struck twice on one grid place are one note.
			if len(got) < len(part.Notes)*9/10 || len(got) > len(part.Notes) {
				t.Errorf("%s %s: %d notes read back, the band played %d", tc.chart, part.Name, len(got), len(part.Notes))
			}
		}
	}
}

func hasNear(ts []music.Ticks, t, tol music.Ticks) bool {
	for _, x := range ts {
		if x-t <= tol && t-x <= tol {
			return true
		}
	}
	return false
}

// TestQuantizerSwing checks the grid: a swung upbeat (at 0.64 of the
// beat) is written as the straight eighth, a triplet as a triplet, a
// sixteenth as a sixteenth.
func TestQuantizerSwing(t *testing.T) {
	q := quantizer{swing: 0.64}
	for _, tc := range []struct{ in, want music.Ticks }{
		{614, 480}, {960 + 614, 1440}, {0, 0}, {2 * 960, 1920},
	} {
		if got := q.at(tc.in); got != tc.want {
			t.Errorf("swing 0.64: %d written at %d, want %d", tc.in, got, tc.want)
		}
	}
	// Ends: a walking bass's quarter held 864 ticks is a quarter; a
	// comping chord on the swung upbeat held 432 is an eighth.
	for _, tc := range []struct{ start, end, want music.Ticks }{{0, 864, 960}, {480, 614 + 432, 960}} {
		if got := q.end(tc.start, tc.end); got != tc.want {
			t.Errorf("swing 0.64: a note from %d ending at %d written to end at %d, want %d", tc.start, tc.end, got, tc.want)
		}
	}
	straight := quantizer{}
	for _, tc := range []struct{ in, want music.Ticks }{{640, 640}, {330, 320}, {250, 240}, {719, 720}, {100, 0}} {
		if got := straight.at(tc.in); got != tc.want {
			t.Errorf("straight: %d written at %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := straight.end(0, 230); got != 240 {
		t.Errorf("straight: a sixteenth held 230 ticks written to end at %d, want 240", got)
	}
}

// A part written straight under a swing style is sized on its own grid:
// its last note, 850 ticks into a beat, is written on the next beat (the
// swung grid that sized the score put it before, and the note fell past
// the last bar: index out of range).
func TestScoreChartStraightPartUnderSwing(t *testing.T) {
	var ns []music.Note
	for b := 0; b < 3; b++ {
		ns = append(ns, music.Note{Pitch: 60, Velocity: 80, Start: music.Ticks(b*960 + 480), Duration: 240})
	}
	ns = append(ns, music.Note{Pitch: 62, Velocity: 80, Start: 3*960 + 850, Duration: 10})
	p := &music.Piece{Title: "x", Parts: []music.Part{{Name: "Melody", Role: music.RoleMelody, Notes: ns}}}
	c, err := ScoreChart(Score{Piece: p, Swing: 2.0 / 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Bars) != 2 || len(c.Bars[1].Notes) != 1 || c.Bars[1].Notes[0].Start != 0 {
		t.Fatalf("want the last note on the second bar's downbeat; got %d bars: %+v", len(c.Bars), c.Bars)
	}
}
