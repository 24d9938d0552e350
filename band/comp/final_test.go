package comp_test

import (
	"fmt"
	"sideman/band/lineup"
	"slices"
	"testing"

	"sideman/band"
	"sideman/music"
)

// finalChart is an eight-bar chart in a meter that ends on a turnaround
// with a change in its last bar: the band's ending resolves it.
func finalChart(tb testing.TB, meter string) *music.Chart {
	tb.Helper()
	m, err := music.ParseMeter(meter)
	if err != nil {
		tb.Fatal(err)
	}
	var bars []music.Bar
	for _, syms := range [][]string{{"Dm7"}, {"G7"}, {"Cmaj7"}, {"A7"}, {"Dm7"}, {"G7"}, {"Cmaj7"}, {"Dm7", "G7"}} {
		var b music.Bar
		for i, s := range syms {
			b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(i) * m.BarTicks() / 2, Chord: music.MustParseChord(s)})
		}
		bars = append(bars, b)
	}
	key := music.Key{Tonic: music.MustParseChord("C").Root}
	return &music.Chart{Title: "final " + meter, Meter: &m, Key: &key, Bars: bars}
}

// The performance's final chord: every comping part strikes it once, on
// the beat it lands on (not anticipated, not again on beat 5 of a 5/4
// bar), as one chord of three keys or more, and holds that voicing to the
// end of the bar: nothing else sounds at the end, nothing starts after it.
// Every style, meters 3/4, 4/4, 5/4, 6/8 and 7/4, with and without the
// ending tag.
func TestFinalChord(t *testing.T) {
	bad := 0
	for _, meter := range []string{"3/4", "4/4", "5/4", "6/8", "7/4"} {
		c := finalChart(t, meter)
		for _, st := range band.Styles() {
			for _, ending := range []bool{false, true} {
				p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 3, Ending: ending, Mute: map[string]bool{"bass": true, "drums": true}})
				if err != nil {
					t.Fatalf("%s %s: %v", meter, st.Name, err)
				}
				bars := band.Form(c, 2, false, ending)
				last := bars[len(bars)-1]
				end := last.End()
				spans := music.Spans(bars)
				final := spans[len(spans)-1]
				land := max(final.Start, last.Start)
				for _, part := range p.Parts {
					if msg := finalStroke(part.Notes, land, end); msg != "" {
						if bad < 12 {
							t.Errorf("%s %s ending=%v %s over %s: %s", meter, st.Name, ending, part.Role, final.Chord, msg)
						}
						bad++
					}
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d final chords not held as one voicing", bad)
	}
}

// finalStroke says what is wrong with a part's last chord ("" when
// nothing): it must be struck at land and held to end.
func finalStroke(notes []music.Note, land, end music.Ticks) string {
	if len(notes) == 0 {
		return "no notes"
	}
	var last music.Ticks
	for _, n := range notes {
		last = max(last, n.Start)
	}
	if last != land {
		return fmt.Sprintf("last stroke at %d, want %d (%+d ticks)", last, land, last-land)
	}
	var keys []int
	for _, n := range notes {
		if n.Start == last {
			keys = append(keys, int(n.Pitch))
			if n.Start+n.Duration != end {
				return fmt.Sprintf("key %d ends at %d, want the bar's end %d", n.Pitch, n.Start+n.Duration, end)
			}
		} else if n.Start+n.Duration > last {
			return fmt.Sprintf("key %d from %d still sounds under the final chord", n.Pitch, n.Start)
		}
	}
	slices.Sort(keys)
	if keys = slices.Compact(keys); len(keys) < 3 {
		return fmt.Sprintf("final stroke %v is no chord", keys)
	}
	return ""
}
