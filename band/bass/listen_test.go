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

// play runs the bass of a style over a chart through the band, a bar a
// call as a live band is asked, and returns the gig as the band laid it
// out and the bass notes.
func play(tb testing.TB, c *music.Chart, style string, choruses int, seed int64) (*band.Gig, []music.Note) {
	tb.Helper()
	st, ok := band.LookupStyle(style)
	if !ok {
		tb.Fatalf("no style %q", style)
	}
	b, err := band.New(c, band.Options{Lineup: standardLineup(), Style: st, Choruses: choruses, Seed: seed, Mute: map[string]bool{"piano": true, "guitar": true, "drums": true}})
	if err != nil {
		tb.Fatal(err)
	}
	for !b.Done() {
		b.Next(1, nil)
	}
	for _, part := range b.Piece().Parts {
		if part.Role == "bass" {
			return b.Gig(), part.Notes
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

// TestListen prints walking lines to read (go test -run Listen -v; with
// SIDEMAN_LISTEN=style,chart that one) and checks that they read as a
// walking bassist's part: in every bar but the last one note a beat
// (the ghost of a skip aside, in brackets), every chord that starts on a
// beat named there, since a note is struck on every change, and the
// final chord alone in the last bar.
func TestListen(t *testing.T) {
	cases := [][2]string{{"medium-swing", "blues-f"}, {"medium-swing", "rhythm-changes-bb"}, {"up-tempo-swing", "vamp-54"}, {"medium-swing", "waltz-f"}}
	if v := os.Getenv("SIDEMAN_LISTEN"); v != "" {
		s, c, _ := strings.Cut(v, ",")
		cases = [][2]string{{s, c}}
	}
	for _, tc := range cases {
		g, notes := play(t, exampleChart(t, tc[1]), tc[0], 2, 1)
		text := listing(g, notes)
		if testing.Verbose() {
			fmt.Printf("== %s over %s%s\n\n", tc[0], tc[1], text)
		}
		if g.Style.Players["bass"] != "walking" {
			continue
		}
		onBeat := map[music.Ticks]bool{}
		for _, b := range beats(g) {
			onBeat[b.at] = true
		}
		bars := strings.Split(strings.TrimPrefix(strings.TrimSpace(text), "|"), "|")
		if len(bars) != len(g.Bars) {
			t.Fatalf("%s over %s: %d bars listed, want %d", tc[0], tc[1], len(bars), len(g.Bars))
		}
		for i, bar := range bars {
			struck, named := 0, 0
			for _, w := range strings.Fields(bar) {
				switch {
				case strings.HasSuffix(w, ":"):
					named++
				case !strings.HasPrefix(w, "("):
					struck++
				}
			}
			pb := g.Bars[i]
			want := pb.Meter.Beats()
			if i == len(g.Bars)-1 {
				want = 1 // the final chord, held
			}
			changes := 0 // on a beat: one between beats is walked from the next
			for _, s := range g.Chords {
				if s.Start >= pb.Start && s.Start < pb.End() && !s.Chord.NoChord && onBeat[s.Start] {
					changes++
				}
			}
			if struck != want || named != changes {
				t.Errorf("%s over %s, bar %d: %d notes struck and %d chords named, want %d and %d:%s", tc[0], tc[1], i+1, struck, named, want, changes, bar)
			}
		}
	}
}
