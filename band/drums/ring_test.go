package drums

import (
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/music"
)

// raw is what a style's drummer plays over a chart, straight from the
// player: before band.Play's clean-up of re-struck notes, so the drummer
// itself is tested.
func raw(tb testing.TB, c *music.Chart, st *band.Style, seed int64, choruses int, intro, ending bool) []music.Note {
	tb.Helper()
	var k *kit
	for _, x := range kits {
		if x.name == st.Players["drums"] {
			k = x
		}
	}
	if k == nil {
		tb.Fatalf("%s: no drummer %q", st.Name, st.Players["drums"])
	}
	g := &band.Gig{Chart: c, Style: st, Seed: seed, Key: c.KeyOrDefault(), Tempo: c.Tempo}
	if g.Tempo <= 0 {
		g.Tempo = st.Tempo
	}
	g.Bars = band.Form(c, choruses, intro, ending)
	g.Chords = music.Spans(g.Bars)
	return k.play(g)
}

// TestStrokesDoNotRingOverTheirNext: in every style, over every bundled
// chart and every meter, no piece of the kit is struck twice at one tick
// (the crash's kick on the time's kick was) and no stroke rings past the
// next stroke of the same piece (the ride's beat past its swung skip note
// was), so the drums need no clean-up of re-struck notes; a cymbal still
// rings up to its next stroke, or a quarter note.
func TestStrokesDoNotRingOverTheirNext(t *testing.T) {
	var charts []*music.Chart
	for _, name := range examples.Names() {
		charts = append(charts, loadChart(t, name))
	}
	for _, ms := range []string{"3/4", "5/4", "7/4", "2/2", "6/8", "12/8", "7/8"} {
		m, err := music.ParseMeter(ms)
		if err != nil {
			t.Fatal(err)
		}
		c := &music.Chart{Title: ms, Meter: &m}
		for i, ch := range []string{"C7", "F7", "C7", "G7", "Dm7", "G7", "C6", "C6"} {
			b := music.Bar{Chords: []music.ChordAt{{Chord: music.MustParseChord(ch)}}}
			if i%4 == 0 {
				b.Section = string(rune('A' + i/4))
			}
			c.Bars = append(c.Bars, b)
		}
		charts = append(charts, c)
	}
	for _, st := range band.Styles() {
		strokes, rides := 0, 0
		for i, c := range charts {
			notes := raw(t, c, st, int64(i), 3, i%2 == 0, true)
			last := map[uint8]music.Note{}
			music.SortNotes(notes)
			for _, n := range notes {
				strokes++
				p, ok := last[n.Pitch]
				last[n.Pitch] = n
				if !ok {
					continue
				}
				switch {
				case p.Start == n.Start:
					t.Errorf("%s, %s: key %d struck twice at tick %d", st.Name, c.Title, n.Pitch, n.Start)
				case p.End() > n.Start:
					t.Errorf("%s, %s: key %d at %d rings to %d, past its next stroke at %d", st.Name, c.Title, p.Pitch, p.Start, p.End(), n.Start)
				case p.Pitch == ride && p.Duration != min(cymbalTicks, n.Start-p.Start):
					t.Errorf("%s, %s: the ride at %d rings %d ticks, its next stroke %d later", st.Name, c.Title, p.Start, p.Duration, n.Start-p.Start)
				}
				if p.Pitch == ride {
					rides++
				}
			}
		}
		if strokes == 0 {
			t.Errorf("%s: no strokes", st.Name)
		}
		t.Logf("%-15s %6d strokes, %5d ride strokes checked for ring", st.Name, strokes, rides)
	}
}

// TestDoubledStrokeKeepsTheAccent: where the crash's kick falls on a
// time-keeping kick, the one stroke left is the accent's, not the
// feathered one.
func TestDoubledStrokeKeepsTheAccent(t *testing.T) {
	c := loadChart(t, "blues-f")
	st := style(t, "medium-swing")
	notes := raw(t, c, st, 1, 2, false, false)
	var first []music.Note
	for _, n := range notes {
		if n.Start == 0 && n.Pitch == kick {
			first = append(first, n)
		}
	}
	if len(first) != 1 {
		t.Fatalf("%d kicks at tick 0, want 1", len(first))
	}
	if v := first[0].Velocity; v < 90 {
		t.Errorf("the kick under the opening crash plays at %d, want the accent's (96 and up), not the feathered beat's", v)
	}
}
