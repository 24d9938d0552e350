package drums

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/chart"
	"sideman/music"
)

// groupedChart is sixteen bars of one chord in a meter, with the meter's
// grouping as the header writes it.
func groupedChart(tb testing.TB, meter string) *music.Chart {
	tb.Helper()
	src := fmt.Sprintf("title: Grouped\nmeter: %s\ntempo: 150\n\n[A]\n%s|\n", meter, strings.Repeat("| Am7 ", 16))
	cs, err := chart.DecodeBytes([]byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return cs[0]
}

// noFills is a built-in style with the fills off, so every bar keeps time.
func noFills(tb testing.TB, name string) *band.Style {
	s := *style(tb, name)
	s.Params = maps.Clone(s.Params)
	s.Params["drums.fills"] = "off"
	return &s
}

// kickProfile is, per beat of the bar, the share of bars with a kick on
// the beat and the kick's mean velocity over all bars (0 where none).
func kickProfile(tb testing.TB, c *music.Chart, st *band.Style) (share, vel []float64) {
	tb.Helper()
	m := c.MeterOrDefault()
	part := play(tb, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 11})
	bars := map[music.Ticks]map[int]int{} // bar start -> beat -> strongest kick
	for _, n := range part.Notes {
		if n.Pitch != kick {
			continue
		}
		bar := n.Start / m.BarTicks() * m.BarTicks()
		off := n.Start - bar
		if off%m.BeatTicks() != 0 {
			continue // off the beat: pushes and pickups
		}
		if bars[bar] == nil {
			bars[bar] = map[int]int{}
		}
		b := int(off / m.BeatTicks())
		bars[bar][b] = max(bars[bar][b], int(n.Velocity))
	}
	nbars := float64(2 * len(c.Bars))
	share, vel = make([]float64, m.Beats()), make([]float64, m.Beats())
	for _, beats := range bars {
		for b, v := range beats {
			share[b]++
			vel[b] += float64(v)
		}
	}
	for b := range share {
		share[b] /= nbars
		vel[b] /= nbars
	}
	return share, vel
}

// TestDrumsFollowTheGrouping: in 5/4, 7/4 grouped 4+3 and 3+4, and 7/8,
// every drummer who plays the kick on the groups strikes it on each
// group's first beat in nearly every bar, and harder there than on any
// beat that starts no group: the accents are where the meter's groups
// begin. 4+3 and 3+4 differ, and neither is the 3+2+2 the drummer played
// over any 7/4 before the meter carried its grouping.
func TestDrumsFollowTheGrouping(t *testing.T) {
	for _, meter := range []string{"5/4", "7/4 (4+3)", "7/4 (3+4)", "7/4", "7/8", "11/8"} {
		c := groupedChart(t, meter)
		m := c.MeterOrDefault()
		starts := map[int]bool{}
		for _, s := range m.GroupStarts() {
			starts[int(s/m.BeatTicks())] = true
		}
		for _, name := range []string{"medium-swing", "jazz-waltz", "even-8ths-pop", "rock", "funk", "blues-shuffle", "bossa-nova"} {
			share, vel := kickProfile(t, c, noFills(t, name))
			t.Logf("%-10s %-13s kick per beat: share %s, mean velocity %s", meter, name, pct(share), fmt.Sprintf("%.0f", vel))
			for b := range share {
				if starts[b] && share[b] < 0.9 {
					t.Errorf("%s, %s: kick on group start beat %d in %.0f%% of bars", meter, name, b+1, 100*share[b])
				}
			}
			for g := range starts {
				for b := range vel {
					if !starts[b] && vel[b] >= vel[g] {
						t.Errorf("%s, %s: kick on beat %d (no group starts there) as strong as on group start %d: %.1f against %.1f",
							meter, name, b+1, g+1, vel[b], vel[g])
					}
				}
			}
		}
	}
}

func pct(xs []float64) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%.0f%%", 100*x)
	}
	return "[" + strings.Join(out, " ") + "]"
}

// In meters whose groups are even the drummers keep the level time they
// always had: no beat of 4/4 or 12/8 is lifted or dropped by the grouping.
func TestEvenMetersKeepTheirPairs(t *testing.T) {
	for _, tc := range []struct {
		meter string
		waltz bool
		cells []int
	}{
		{"4/4", false, []int{0, 2}}, {"3/4", true, []int{0}}, {"6/4", true, []int{0, 3}}, {"6/4", false, []int{0, 2, 4}},
		{"12/8", false, []int{0, 2}}, {"6/8", false, []int{0}}, {"2/4", false, []int{0}},
	} {
		m, _ := music.ParseMeter(tc.meter)
		g := barGrouping(m, tc.waltz)
		var cells []int
		for b, s := range g.cell {
			if s {
				cells = append(cells, b)
			}
			if g.weight(b) != 0 {
				t.Errorf("%s: beat %d weighted %d", tc.meter, b+1, g.weight(b))
			}
		}
		if fmt.Sprint(cells) != fmt.Sprint(tc.cells) {
			t.Errorf("%s (waltz %v): cells start on beats %v, want %v", tc.meter, tc.waltz, cells, tc.cells)
		}
	}
}
