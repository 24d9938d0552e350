package bass

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"sideman/band"
	"sideman/music"
)

// TestBarByBar: a band asked for its bars one at a time, four at a time
// or all at once plays the same bass, note for note (pitch, start,
// duration, velocity, part), as band.Play does, over every 13th
// JazzStandards tune (107 tunes) in every built-in style, so every bass
// player; with an intro on every other tune, an ending on every third
// and a count-in on every fifth. The players keep their place between
// calls, and draw their random numbers in the same order however they
// are asked.
func TestBarByBar(t *testing.T) {
	tunes := jazzStandards(t)
	mute := map[string]bool{"piano": true, "guitar": true, "drums": true}
	played, compared := 0, 0
	for _, st := range band.Styles() {
		for k := 0; k < len(tunes); k += 13 {
			c := tunes[k]
			opt := band.Options{Lineup: standardLineup(), Style: st, Choruses: 3, Seed: int64(k), Mute: mute,
				Intro: k%2 == 0, Ending: k%3 == 0}
			if k%5 == 0 {
				opt.CountIn = 1
			}
			whole, err := band.Play(c, opt)
			if errors.Is(err, band.ErrNoChords) {
				continue
			}
			if err != nil {
				t.Fatalf("%s, %s: %v", c.Title, st.Name, err)
			}
			want := noteKeys(whole.Parts)
			var first []string // the notes Next gave, one bar at a time
			for _, n := range []int{1, 4, 0} {
				b, err := band.New(c, opt)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					n = b.Bars() // everything at once
				}
				var next []music.Note
				for !b.Done() {
					next = append(next, b.Next(n, nil)...)
				}
				what := fmt.Sprintf("%s, %s, %d bars a call", c.Title, st.Name, n)
				if d := firstDifference(noteKeys(b.Piece().Parts), want); d != "" {
					t.Fatalf("%s: the piece differs from band.Play's: %s", what, d)
				}
				got := noteKeys([]music.Part{{Notes: next}})
				if first == nil {
					first = got
				} else if d := firstDifference(got, first); d != "" {
					t.Fatalf("%s: the notes Next gave differ from one bar a call: %s", what, d)
				}
				if len(got) == 0 {
					t.Fatalf("%s: no notes", what)
				}
			}
			played++
			compared += len(want)
		}
	}
	t.Logf("%d performances, %d notes each played three ways", played, compared)
	if played < 12*100 {
		t.Errorf("%d performances compared, want every style over at least 100 tunes", played)
	}
}

// noteKeys lists the parts' notes as text, sorted, without ids.
func noteKeys(parts []music.Part) []string {
	var out []string
	for _, p := range parts {
		for _, n := range p.Notes {
			out = append(out, fmt.Sprintf("part %d: pitch %d at %d for %d, velocity %d", n.Part, n.Pitch, n.Start, n.Duration, n.Velocity))
		}
	}
	slices.Sort(out)
	return out
}

// firstDifference names the first note one list has and the other lacks,
// or their lengths when those differ; "" when they are the same.
func firstDifference(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("%s, want %s", got[i], want[i])
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d notes, want %d", len(got), len(want))
	}
	return ""
}
