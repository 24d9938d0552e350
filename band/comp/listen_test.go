package comp_test

import (
	"bytes"
	"fmt"
	"os"
	"sideman/band/lineup"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

// exampleChart reads a bundled chart.
func exampleChart(tb testing.TB, name string) *music.Chart {
	tb.Helper()
	data, err := examples.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	return cs[0]
}

// pianoOnly plays a chart with every other role muted.
func pianoOnly(tb testing.TB, c *music.Chart, style string, choruses int, seed int64) *music.Piece {
	tb.Helper()
	st, ok := band.LookupStyle(style)
	if !ok {
		tb.Fatalf("no style %s", style)
	}
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: choruses, Seed: seed, Mute: map[string]bool{"bass": true, "drums": true}})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestListen prints a few bars as note names when SIDEMAN_LISTEN is set:
// for reading the voicings the way a pianist would.
func TestListen(t *testing.T) {
	name := os.Getenv("SIDEMAN_LISTEN")
	if name == "" {
		t.Skip("set SIDEMAN_LISTEN=chart[:style]")
	}
	chartName, style, _ := strings.Cut(name, ":")
	c := exampleChart(t, chartName)
	if style == "" {
		style = "medium swing"
	}
	p := pianoOnly(t, c, style, 1, 1)
	g := &band.Gig{Bars: band.Form(c, 1, false, false)}
	g.Chords = music.Spans(g.Bars)
	for _, part := range p.Parts {
		byStart := map[music.Ticks][]music.Note{}
		var starts []music.Ticks
		for _, n := range part.Notes {
			if byStart[n.Start] == nil {
				starts = append(starts, n.Start)
			}
			byStart[n.Start] = append(byStart[n.Start], n)
		}
		sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
		for _, s := range starts {
			ns := byStart[s]
			sort.Slice(ns, func(i, j int) bool { return ns[i].Pitch < ns[j].Pitch })
			var names []string
			for _, n := range ns {
				names = append(names, music.PitchFromMIDI(int(n.Pitch), true).String())
			}
			bar := s / (4 * music.PPQ)
			fmt.Printf("%s bar %2d beat %.2f  %-8s %-22s dur %4d vel %d\n", part.Role, bar+1, float64(s%(4*music.PPQ))/music.PPQ+1, g.ChordAt(s+music.PPQ/3).Chord, strings.Join(names, " "), ns[0].Duration, ns[0].Velocity)
		}
	}
}
