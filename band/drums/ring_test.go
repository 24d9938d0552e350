package drums

import (
	"math/rand/v2"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/music"
)

// raw is what a style's drummer plays over a chart, straight from the
// player asked for one bar at a time: before band.Band's clean-up of
// re-struck notes, so the drummer itself is tested, its look ahead at the
// strokes of the bars it has not been asked for yet included.
func raw(tb testing.TB, c *music.Chart, st *band.Style, seed int64, choruses int, intro, ending bool) []music.Note {
	tb.Helper()
	g := gig(tb, c, st, seed)
	g.Bars = band.Form(c, choruses, intro, ending)
	g.Chords = music.Spans(g.Bars)
	p := kitOf(tb, st).hire(g)
	var notes []music.Note
	for i := range g.Bars {
		notes = append(notes, p.Play(i, i+1, nil)...)
	}
	return notes
}

// kitOf is the drummer a style names.
func kitOf(tb testing.TB, st *band.Style) *kit {
	tb.Helper()
	for _, k := range kits {
		if k.name == st.Players["drums"] {
			return k
		}
	}
	tb.Fatalf("%s: no drummer %q", st.Name, st.Players["drums"])
	return nil
}

// gig is a style's gig over two choruses of a chart, with an ending.
func gig(tb testing.TB, c *music.Chart, st *band.Style, seed int64) *band.Gig {
	tb.Helper()
	g := &band.Gig{Chart: c, Style: st, Seed: seed, Key: c.KeyOrDefault(), Tempo: c.Tempo}
	if g.Tempo <= 0 {
		g.Tempo = st.Tempo
	}
	g.Bars = band.Form(c, 2, false, true)
	g.Chords = music.Spans(g.Bars)
	return g
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

// TestRestrikeAsMusic: the drummer's own clean-up of a window of strokes
// (restrike) does what music.Restrike does, on random windows with
// strokes closer than music.MinRestrikeLength, equal onsets, long rings
// and silent notes.
func TestRestrikeAsMusic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	changed := 0
	for range 3000 {
		window := make([]music.Note, 1+r.IntN(80))
		for i := range window {
			window[i] = music.Note{
				Pitch:    []uint8{kick, snare, ride, crash, closedHat}[r.IntN(5)],
				Start:    music.Ticks(r.IntN(100) * 40),
				Duration: music.Ticks([]int{0, 40, 120, 160, 960, 3840}[r.IntN(6)]),
				Velocity: 64,
			}
		}
		want := append([]music.Note(nil), window...)
		for i := range want {
			want[i].ID = music.NoteID(i + 1)
		}
		changed += music.Restrike(want)
		got := append([]music.Note(nil), window...)
		restrike(got, make([]int, len(got)))
		for _, w := range want {
			i := int(w.ID) - 1
			w.ID = 0
			if got[i] != w {
				t.Fatalf("note %d of %v: %+v, music.Restrike gives %+v", i, window, got[i], w)
			}
		}
	}
	if changed == 0 {
		t.Fatal("no note needed the clean-up: the test tests nothing")
	}
}
