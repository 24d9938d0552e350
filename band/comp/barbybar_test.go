package comp_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/music"
)

// compingStyles is every built-in style, and for each piano or guitar
// player of the lineup that no built-in style names, medium swing with
// that player in its seat: every comper is heard at least once.
func compingStyles(tb testing.TB, l *band.Lineup) []*band.Style {
	tb.Helper()
	styles := band.Styles()
	base, ok := band.LookupStyle("medium swing")
	if !ok {
		tb.Fatal("no style medium swing")
	}
	for _, role := range []string{"piano", "guitar"} {
		for _, name := range l.Names(role) {
			if slices.ContainsFunc(styles, func(s *band.Style) bool { return s.Players[role] == name }) {
				continue
			}
			s := *base
			s.Name = fmt.Sprintf("%s with %s %s", base.Name, role, name)
			s.Players = maps.Clone(base.Players)
			s.Players[role] = name
			styles = append(styles, &s)
		}
	}
	return styles
}

// played is a note as heard: everything but its id.
type played struct {
	part       int16
	start, dur music.Ticks
	pitch, vel uint8
}

func asPlayed(notes []music.Note) []played {
	out := make([]played, len(notes))
	for i, n := range notes {
		out[i] = played{n.Part, n.Start, n.Duration, n.Pitch, n.Velocity}
	}
	slices.SortFunc(out, func(a, b played) int {
		return cmp.Or(cmp.Compare(a.part, b.part), cmp.Compare(a.start, b.start), cmp.Compare(a.pitch, b.pitch),
			cmp.Compare(a.dur, b.dur), cmp.Compare(a.vel, b.vel))
	})
	return out
}

func pieceNotes(p *music.Piece) []music.Note {
	var out []music.Note
	for _, part := range p.Parts {
		out = append(out, part.Notes...)
	}
	return out
}

// sameNotes reports how two performances differ ("" when they do not).
func sameNotes(a, b []music.Note) string {
	pa, pb := asPlayed(a), asPlayed(b)
	for i := range min(len(pa), len(pb)) {
		if pa[i] != pb[i] {
			return fmt.Sprintf("note %d of %d: %+v, want %+v", i, len(pa), pa[i], pb[i])
		}
	}
	if len(pa) != len(pb) {
		return fmt.Sprintf("%d notes, want %d", len(pa), len(pb))
	}
	return ""
}

// The compers answer bar by bar: a band asked for one bar at a time, four
// at a time or everything at once plays the same notes (pitch, start,
// length, velocity, part), and the same piece as band.Play, on
// JazzStandards tunes in every style with a comper and with every comper
// of the lineup.
func TestBarByBar(t *testing.T) {
	charts := jazzStandards(t)
	step := 37
	if testing.Short() {
		step = 199
	}
	l := lineup.Standard()
	styles := compingStyles(t, l)
	tunes, renders, bad := 0, 0, 0
	for i := 0; i < len(charts); i += step {
		c := charts[i]
		tunes++
		for si, st := range styles {
			opt := band.Options{Lineup: l, Style: st, Choruses: 1 + (i+si)%2, Seed: int64(i*31 + si), Ending: (i+si)%3 == 0,
				Mute: map[string]bool{"bass": true, "drums": true}}
			whole, err := band.Play(c, opt)
			if err == band.ErrNoChords {
				continue
			}
			if err != nil {
				t.Fatalf("%s in %s: %v", c.Title, st.Name, err)
			}
			renders++
			var first []music.Note // the notes Next gave one bar at a time
			for _, chunk := range []int{1, 4, 0} {
				b, err := band.New(c, opt)
				if err != nil {
					t.Fatalf("%s in %s: %v", c.Title, st.Name, err)
				}
				n := chunk
				if n == 0 {
					n = b.Bars()
				}
				var got []music.Note
				for !b.Done() {
					got = append(got, b.Next(n, nil)...)
				}
				if len(got) == 0 {
					t.Errorf("%s in %s, %d bars a call: no notes", c.Title, st.Name, n)
				}
				if chunk == 1 {
					first = got
				} else if msg := sameNotes(got, first); msg != "" {
					bad++
					t.Errorf("%s in %s: %d bars a call against one: %s", c.Title, st.Name, n, msg)
				}
				if msg := sameNotes(pieceNotes(b.Piece()), pieceNotes(whole)); msg != "" {
					bad++
					t.Errorf("%s in %s: %d bars a call against band.Play: %s", c.Title, st.Name, n, msg)
				}
			}
			if bad > 10 {
				t.FailNow()
			}
		}
	}
	t.Logf("%d performances in %d styles, each played 1, 4 and all bars a call", renders, len(styles))
	// (A tune without a chord is refused: a few, not most.)
	if want := tunes * len(styles) * 9 / 10; renders < want {
		t.Errorf("%d performances, want at least %d", renders, want)
	}
}

// BenchmarkPlayChoruses plays a twelve-bar blues in medium swing, fast
// enough that 1,000 choruses fit the hour sideman plays, for 10 and for
// 1,000 choruses: with the whole band ("band/"), with the piano alone
// ("piano/"), and the pianist alone asked for one bar after another
// without the band around it ("pianist/"). A chorus should cost the
// same however long the performance (ns/chorus).
func BenchmarkPlayChoruses(b *testing.B) {
	c := exampleChart(b, "blues-f")
	st, ok := band.LookupStyle("medium swing")
	if !ok {
		b.Fatal("no style medium swing")
	}
	for _, who := range []string{"band", "piano"} {
		var mute map[string]bool
		if who == "piano" {
			mute = map[string]bool{"bass": true, "drums": true}
		}
		for _, choruses := range []int{10, 1000} {
			b.Run(fmt.Sprint(who, "/", choruses), func(b *testing.B) {
				opt := band.Options{Lineup: lineup.Standard(), Style: st, Tempo: 840, Choruses: choruses, Mute: mute}
				for i := 0; i < b.N; i++ {
					opt.Seed = int64(i)
					if _, err := band.Play(c, opt); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*choruses), "ns/chorus")
			})
		}
	}
	for _, choruses := range []int{10, 1000} {
		b.Run(fmt.Sprint("pianist/", choruses), func(b *testing.B) {
			l := lineup.Standard()
			opt := band.Options{Lineup: l, Style: st, Tempo: 840, Choruses: choruses, Mute: map[string]bool{"bass": true, "drums": true}}
			notes := 0
			for i := 0; i < b.N; i++ {
				opt.Seed = int64(i)
				b.StopTimer()
				s, err := band.New(c, opt)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				g := s.Gig()
				p := l.Player("piano", st.Players["piano"])(g)
				for bar := range g.Bars {
					notes += len(p.Play(bar, bar+1, nil))
				}
			}
			if notes == 0 {
				b.Fatal("the pianist played nothing")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*choruses), "ns/chorus")
		})
	}
}
