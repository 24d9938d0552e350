package bass

import (
	"os"
	"sort"
	"testing"
	"time"

	"sideman/music"
)

// BenchmarkWalkingBass walks three choruses of every JazzStandards tune
// (gig layout included) and reports ns per tune. With mma installed and
// SIDEMAN_BENCH_MMA=1 it also times MMA (Python; groove JazzCombo, the
// whole run: start-up, its full band and the MIDI file) on every 70th
// tune, 20 tunes once each, and our walking bass on the same tunes, and
// reports both medians per tune and their ratio.
func BenchmarkWalkingBass(b *testing.B) {
	tunes := jazzStandards(b)
	b.ResetTimer()
	notes := 0
	for i := 0; i < b.N; i++ {
		for k, c := range tunes {
			g := gigFor(c, "medium-swing", 3, int64(k))
			notes += len(whole(Walking)(g))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tunes)), "ns/tune")
	b.ReportMetric(float64(notes)/float64(b.N*len(tunes)), "notes/tune")
	if os.Getenv("SIDEMAN_BENCH_MMA") != "1" {
		return
	}
	b.StopTimer()
	dir := b.TempDir()
	var ours, theirs []float64
	for k := 0; k < len(tunes); k += 70 {
		c := tunes[k]
		t0 := time.Now()
		for r := 0; r < 20; r++ {
			whole(Walking)(gigFor(c, "medium-swing", 3, int64(k)))
		}
		ours = append(ours, float64(time.Since(t0).Nanoseconds())/20)
		three := threeChoruses(c)
		t0 = time.Now()
		if _, ok := runMMA(b, three, 140, dir); !ok {
			b.Log("mma is not installed (apt-get install mma)")
			return
		}
		theirs = append(theirs, float64(time.Since(t0).Nanoseconds()))
	}
	o, m := median(ours), median(theirs)
	b.ReportMetric(o, "ours-median-ns/tune")
	b.ReportMetric(m, "mma-median-ns/tune")
	b.ReportMetric(m/o, "mma/ours")
}

// threeChoruses is a chart whose one pass plays the tune's form three
// times, for MMA, which is typed one pass of the chart.
func threeChoruses(c *music.Chart) *music.Chart {
	out := *c
	out.Bars = nil
	for _, pb := range c.Unroll(3) {
		b := *pb.Bar
		b.RepeatStart, b.RepeatEnd, b.Ending, b.Segno, b.ToCoda, b.Coda, b.Fine, b.Jump = false, 0, 0, false, false, false, false, music.NoJump
		m := pb.Meter
		b.Meter = &m
		out.Bars = append(out.Bars, b)
	}
	return &out
}

func median(xs []float64) float64 {
	v := append([]float64(nil), xs...)
	sort.Float64s(v)
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}
