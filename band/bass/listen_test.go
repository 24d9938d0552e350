package bass

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

// exampleChart reads one of the bundled charts.
func exampleChart(tb testing.TB, name string) *music.Chart {
	tb.Helper()
	data, err := examples.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.DecodeBytes(data)
	if err != nil || len(cs) == 0 {
		tb.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

// play runs one bass player over a chart in a style and returns the gig
// and the bass notes.
func play(tb testing.TB, c *music.Chart, style string, choruses int, seed int64) (*band.Gig, []music.Note) {
	tb.Helper()
	st, ok := band.LookupStyle(style)
	if !ok {
		tb.Fatalf("no style %q", style)
	}
	p, err := band.Play(c, band.Options{Lineup: standardLineup(), Style: st, Choruses: choruses, Seed: seed, Mute: map[string]bool{"piano": true, "guitar": true, "drums": true}})
	if err != nil {
		tb.Fatal(err)
	}
	g := &band.Gig{Chart: c, Style: st, Seed: seed}
	g.Bars = band.Form(c, choruses, false, false)
	g.Chords = music.Spans(g.Bars)
	for _, part := range p.Parts {
		if part.Role == "bass" {
			return g, part.Notes
		}
	}
	tb.Fatal("no bass part")
	return nil, nil
}

// listing writes a line bar by bar as note names under the chords, the
// way a bassist reads it: "| F7: F2 A2 C3 B2 | Bb7: Bb1 ...".
func listing(g *band.Gig, notes []music.Note) string {
	var b strings.Builder
	// Flats throughout: jazz charts are read in flat keys, and a listing
	// need not spell by key to be read.
	const flats = true
	j := 0
	for i, pb := range g.Bars {
		if i%4 == 0 {
			b.WriteString("\n")
		}
		b.WriteString("| ")
		for j < len(notes) && notes[j].Start < pb.End() {
			n := notes[j]
			if s := g.ChordAt(n.Start); s.Start == n.Start {
				b.WriteString(s.Chord.String() + ": ")
			}
			name := music.PitchFromMIDI(int(n.Pitch), flats).String()
			if n.Velocity < minVelocity {
				name = "(" + name + ")"
			}
			b.WriteString(name + " ")
			j++
		}
	}
	return b.String()
}

// TestListen prints lines to read (go test -run Listen -v); with
// SIDEMAN_LISTEN=style,chart it prints that one.
func TestListen(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("prints lines to read; run with -v")
	}
	cases := [][2]string{{"medium-swing", "blues-f"}, {"medium-swing", "rhythm-changes-bb"}}
	if v := os.Getenv("SIDEMAN_LISTEN"); v != "" {
		s, c, _ := strings.Cut(v, ",")
		cases = [][2]string{{s, c}}
	}
	for _, tc := range cases {
		g, notes := play(t, exampleChart(t, tc[1]), tc[0], 2, 1)
		fmt.Printf("== %s over %s%s\n\n", tc[0], tc[1], listing(g, notes))
	}
}
