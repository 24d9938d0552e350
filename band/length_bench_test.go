package band_test

import (
	"bytes"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/music"
)

// BenchmarkPlayLength: what band.Play costs grows as the music does, not
// faster (issue 13): the time per chorus of a blues at 10 and at 1,000
// choruses, and 20 choruses of the blues against 20 of a form four
// times as long (the blues four times over). Tempo 840, so that 1,000
// choruses stay inside the hour sideman plays.
func BenchmarkPlayLength(b *testing.B) {
	data, err := examples.Open("blues-f")
	if err != nil {
		b.Fatal(err)
	}
	cs, err := chart.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	blues := cs[0]
	long := *blues
	long.Bars = nil
	for range 4 {
		long.Bars = append(long.Bars, blues.Bars...)
	}
	st, _ := band.LookupStyle("medium swing")
	for _, tc := range []struct {
		name     string
		c        *music.Chart
		choruses int
	}{{"choruses/10", blues, 10}, {"choruses/1000", blues, 1000}, {"form/12-bars", blues, 20}, {"form/48-bars", &long, 20}} {
		b.Run(tc.name, func(b *testing.B) {
			opt := band.Options{Lineup: lineup.Standard(), Style: st, Tempo: 840, Choruses: tc.choruses}
			for i := 0; b.Loop(); i++ {
				opt.Seed = int64(i)
				if _, err := band.Play(tc.c, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*tc.choruses), "ns/chorus")
		})
	}
}
