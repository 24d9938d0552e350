package drums

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"testing"

	"sideman/band"
	"sideman/format/jazzstd"
	"sideman/internal/shareddata"
	"sideman/music"
)

// standards is every 27th JazzStandards tune: 52 tunes in all the meters,
// forms and keys the collection has.
func standards(tb testing.TB) []*music.Chart {
	tb.Helper()
	f, err := os.Open(shareddata.File(tb, "jazz-standards/JazzStandards.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cs, err := jazzstd.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []*music.Chart
	for i, c := range cs {
		if i%27 == 0 {
			out = append(out, c)
		}
	}
	return out
}

// drumStyles are the built-in styles and two that rewrite voices (a
// two-bar kick pattern, whose half follows the bar count the drummer
// carries from call to call; the clave the other way round); it fails
// when a drummer is played by none of them.
func drumStyles(tb testing.TB) []*band.Style {
	tb.Helper()
	styles := band.Styles()
	for _, v := range []struct {
		base, name string
		params     map[string]string
	}{
		{"medium-swing", "swing, written kick", map[string]string{"drums.kick": "1 2+ 4 6", "drums.fills": "off"}},
		{"afro-cuban", "afro-cuban 3-2", map[string]string{"drums.clave": "3-2"}},
	} {
		s := *style(tb, v.base)
		s.Name, s.Params = v.name, map[string]string{}
		for k, x := range style(tb, v.base).Params {
			s.Params[k] = x
		}
		for k, x := range v.params {
			s.Params[k] = x
		}
		if err := CheckStyle(&s); err != nil {
			tb.Fatal(err)
		}
		styles = append(styles, &s)
	}
	for _, k := range kits {
		if !slices.ContainsFunc(styles, func(s *band.Style) bool { return s.Players["drums"] == k.name }) {
			tb.Errorf("no style plays the %s drummer", k.name)
		}
	}
	return styles
}

// played is a note as the band plays it, without its id (which depends on
// the order the players are asked in).
type played struct {
	part       int16
	pitch, vel uint8
	start, dur music.Ticks
}

func drumNotes(tb testing.TB, notes []music.Note, part int16, generator string) []played {
	tb.Helper()
	var out []played
	for _, n := range notes {
		if n.Part != part {
			continue
		}
		if n.ID == 0 || n.Origin == nil || n.Origin.Generator != generator {
			tb.Fatalf("drum note %+v: id %d, origin %v, want %s", n, n.ID, n.Origin, generator)
		}
		out = append(out, played{n.Part, n.Pitch, n.Velocity, n.Start, n.Duration})
	}
	slices.SortFunc(out, func(a, b played) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.pitch, b.pitch))
	})
	return out
}

// firstDifference describes where two drum parts part ways, "" if nowhere.
func firstDifference(a, b []played) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("note %d: %+v against %+v", i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("%d notes against %d", len(a), len(b))
	}
	return ""
}

// TestBarByBarPlaysTheWholePiece: the drummers answer bar by bar. Over 52
// JazzStandards tunes in every style (with the whole band on every 4th,
// so that the drummer hears the bass and the piano as the band plays, the
// drums alone on the others), asked one bar at a time, four at a time or
// all at once, the drummer plays the same notes, and band.Play's drum part
// is those notes.
func TestBarByBarPlaysTheWholePiece(t *testing.T) {
	tunes := standards(t)
	if len(tunes) < 50 {
		t.Fatalf("%d tunes, want at least 50", len(tunes))
	}
	renders, notes := 0, 0
	for _, st := range drumStyles(t) {
		gen := "band/drums/" + st.Players["drums"]
		for k, c := range tunes {
			opt := band.Options{Lineup: standardLineup(), Style: st, Choruses: 2, Seed: int64(k), Intro: k%2 == 1, Ending: k%3 != 0}
			if k%4 != 0 {
				opt.Mute = drumsOnly // the whole band on every 4th tune: enough to hear it, and quicker
			}
			if k%5 == 0 {
				opt.CountIn = 1
			}
			whole, err := band.Play(c, opt)
			if err == band.ErrNoChords {
				continue
			}
			if err != nil {
				t.Fatalf("%s, %s: %v", st.Name, c.Title, err)
			}
			part := int16(slices.IndexFunc(whole.Parts, func(p music.Part) bool { return p.Role == "drums" }))
			if part < 0 {
				t.Fatalf("%s, %s: no drum part", st.Name, c.Title)
			}
			want := drumNotes(t, whole.Parts[part].Notes, part, gen)
			var first []played // what Next gave, asked a bar at a time
			for _, n := range []int{1, 4, 1 << 20} {
				b, err := band.New(c, opt)
				if err != nil {
					t.Fatal(err)
				}
				var got []music.Note
				for !b.Done() {
					got = append(got, b.Next(n, nil)...)
				}
				next := drumNotes(t, got, part, gen)
				if first == nil {
					first = next
				} else if d := firstDifference(first, next); d != "" {
					t.Errorf("%s, %s: Next(%d) plays other drums than Next(1): %s", st.Name, c.Title, n, d)
				}
				if d := firstDifference(want, drumNotes(t, b.Piece().Parts[part].Notes, part, gen)); d != "" {
					t.Errorf("%s, %s: the piece played by Next(%d) is not band.Play's: %s", st.Name, c.Title, n, d)
				}
			}
			renders++
			notes += len(want)
		}
	}
	if renders == 0 || notes == 0 {
		t.Fatal("nothing played")
	}
	t.Logf("%d performances, %d drum notes, each played bar by bar, four bars and all at once", renders, notes)
}

// soloLine is a soloist's notes in a bar: eighth notes (busy) or one
// note on the downbeat, played by a person.
func soloLine(pb music.PlayedBar, busy bool) []music.Note {
	who := &music.Origin{Kind: music.HumanPlayed, Who: "the soloist"}
	step := pb.Meter.BarTicks()
	if busy {
		step = music.PPQ / 2
	}
	var out []music.Note
	for t := pb.Start; t < pb.End(); t += step {
		out = append(out, music.Note{Pitch: 72, Velocity: 80, Start: t, Duration: step, Origin: who})
	}
	return out
}

// TestDrummerListens: a swing drummer who hears a busy soloist (eighth
// notes every bar) comps less on the snare than playing alone, and more
// when the soloist rests (one note, then silence); a pop drummer keeps
// the same time whatever it hears; notes the band played itself, heard
// again, change nothing.
func TestDrummerListens(t *testing.T) {
	tunes := standards(t)[:12]
	snares := func(st *band.Style, c *music.Chart, seed int64, solo func(i int, pb music.PlayedBar) []music.Note) (int, []played) {
		b, err := band.New(c, band.Options{Lineup: standardLineup(), Style: st, Choruses: 3, Seed: seed, Mute: drumsOnly})
		if err != nil {
			t.Fatal(err)
		}
		var out []music.Note
		for i := 0; !b.Done(); i++ {
			var heard []music.Note
			if i > 0 {
				heard = solo(i-1, b.Gig().Bars[i-1])
			}
			out = append(out, b.Next(1, heard)...)
		}
		n := 0
		for _, x := range out {
			if x.Pitch == snare {
				n++
			}
		}
		return n, drumNotes(t, out, 0, "band/drums/"+st.Players["drums"])
	}
	alone := func(int, music.PlayedBar) []music.Note { return nil }
	busy := func(_ int, pb music.PlayedBar) []music.Note { return soloLine(pb, true) }
	rests := func(i int, pb music.PlayedBar) []music.Note {
		if i == 0 {
			return soloLine(pb, false)
		}
		return nil
	}
	// The band's own notes heard again: a bar of swing from the band.
	echo := func(_ int, pb music.PlayedBar) []music.Note {
		line := soloLine(pb, true)
		for i := range line {
			line[i].Origin = &music.Origin{Kind: music.MachineGenerated, Generator: "band/piano/swing"}
		}
		return line
	}
	var a, b, r int
	for k, c := range tunes {
		na, pa := snares(style(t, "medium-swing"), c, int64(k), alone)
		nb, _ := snares(style(t, "medium-swing"), c, int64(k), busy)
		nr, _ := snares(style(t, "medium-swing"), c, int64(k), rests)
		_, pe := snares(style(t, "medium-swing"), c, int64(k), echo)
		a, b, r = a+na, b+nb, r+nr
		if d := firstDifference(pa, pe); d != "" {
			t.Errorf("%s: the band's own notes heard again change the swing drums: %s", c.Title, d)
		}
		_, pop := snares(style(t, "even-8ths-pop"), c, int64(k), alone)
		_, popBusy := snares(style(t, "even-8ths-pop"), c, int64(k), busy)
		if d := firstDifference(pop, popBusy); d != "" {
			t.Errorf("%s: the pop drummer's time moves under a soloist: %s", c.Title, d)
		}
	}
	t.Logf("swing snare strokes over %d tunes, 3 choruses: alone %d, under a busy soloist %d (%.2f), the soloist resting %d (%.2f)",
		len(tunes), a, b, float64(b)/float64(a), r, float64(r)/float64(a))
	if float64(b) > 0.8*float64(a) {
		t.Errorf("under a busy soloist the swing drummer comps %d snare strokes, alone %d: want at most 0.8 times", b, a)
	}
	if float64(r) < 1.15*float64(a) {
		t.Errorf("while the soloist rests the swing drummer comps %d snare strokes, alone %d: want at least 1.15 times", r, a)
	}
}

// TestPencilledBarsPlayedAfresh: a bar played in pencil and thrown away
// (as when what the drummer hears changes its comping) leaves no trace:
// played afresh, every bar is what it would have been from pencil, its
// place in the form and its random values the same.
func TestPencilledBarsPlayedAfresh(t *testing.T) {
	tunes := standards(t)[:6]
	pencils := 0
	for _, st := range drumStyles(t) {
		for k, c := range tunes {
			var parts [2][]music.Note
			for i, erase := range []bool{false, true} {
				g := gig(t, c, st, int64(k))
				p := kitOf(t, st).hire(g).(*drummer)
				for b := range g.Bars {
					parts[i] = append(parts[i], p.Play(b, b+1, nil)...)
					if erase {
						pencils += len(p.ahead)
						for j := range p.ahead {
							p.ahead[j].ear = -1 // the ear it will not have
						}
					}
				}
			}
			if !slices.Equal(parts[0], parts[1]) {
				t.Errorf("%s, %s: bars played afresh are not the bars pencilled", st.Name, c.Title)
			}
		}
	}
	if pencils == 0 {
		t.Fatal("no bar was pencilled: the test tests nothing")
	}
	t.Logf("%d pencilled bars thrown away and played afresh", pencils)
}
