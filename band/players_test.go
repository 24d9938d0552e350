package band_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/format/chart"
	"sideman/format/jazzstd"
	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/tools/mma"
)

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
	return cs
}

func median(xs []float64) float64 {
	v := append([]float64(nil), xs...)
	sort.Float64s(v)
	if len(v) == 0 {
		return 0
	}
	return v[len(v)/2]
}

// BenchmarkBand plays three choruses of every JazzStandards tune with the
// whole medium-swing band (bass, piano, drums) and reports the median time
// per tune. With mma installed it also times, on every 70th tune (20
// tunes), MMA's whole run (`mma -f out.mid song.mma`, groove JazzCombo:
// start-up, its band, the MIDI file) against ours done the same way: the
// sideman binary reading the chart and writing the MIDI file
// (`sideman band song.chart --choruses 3 -o out.mid`), and reports both
// medians and their ratio.
func BenchmarkBand(b *testing.B) {
	tunes := standards(b)
	st, _ := band.LookupStyle("medium-swing")
	var per []float64
	for b.Loop() {
		per = per[:0]
		for k, c := range tunes {
			t0 := time.Now()
			p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 3, Seed: int64(k)})
			if err != nil {
				b.Fatalf("%s: %v", c.Title, err)
			}
			if err := midi.EncodePiece(&bytes.Buffer{}, p); err != nil {
				b.Fatal(err)
			}
			per = append(per, float64(time.Since(t0).Nanoseconds()))
		}
	}
	b.ReportMetric(median(per), "median-ns/tune")
	bin, err := exec.LookPath("mma")
	if err != nil {
		b.Log("mma is not installed (apt-get install mma): no ratio")
		return
	}
	b.StopTimer()
	dir := b.TempDir()
	sideman := filepath.Join(dir, "sideman")
	if out, err := exec.Command("go", "build", "-o", sideman, "sideman/cmd/sideman").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var ours, theirs []float64
	for k := 0; k < len(tunes); k += 70 {
		c := tunes[k]
		src := filepath.Join(dir, "song.chart")
		var buf bytes.Buffer
		if err := chart.Encode(&buf, c); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(src, buf.Bytes(), 0o644)
		t0 := time.Now()
		if out, err := exec.Command(sideman, "band", src, "--style", "medium-swing", "--choruses", "3", "-o", filepath.Join(dir, "ours.mid")).CombinedOutput(); err != nil {
			b.Fatalf("sideman band %s: %v\n%s", c.Title, err, out)
		}
		ours = append(ours, float64(time.Since(t0).Nanoseconds()))

		buf.Reset()
		groove := "JazzCombo"
		if c.MeterOrDefault().Beats() == 3 {
			groove = "JazzWaltz"
		}
		if err := mma.Write(&buf, c, 3, 140, groove); err != nil {
			b.Fatal(err)
		}
		mmaSrc := filepath.Join(dir, "song.mma")
		os.WriteFile(mmaSrc, buf.Bytes(), 0o644)
		t0 = time.Now()
		if out, err := exec.Command(bin, "-f", filepath.Join(dir, "mma.mid"), mmaSrc).CombinedOutput(); err != nil {
			b.Fatalf("mma %s: %v\n%s", c.Title, err, out)
		}
		theirs = append(theirs, float64(time.Since(t0).Nanoseconds()))
	}
	o, m := median(ours), median(theirs)
	b.ReportMetric(o, "cli-median-ns/tune")
	b.ReportMetric(m, "mma-median-ns/tune")
	b.ReportMetric(m/o, "mma/ours")
}

// Every built-in style names registered players and parameters they read.
func TestBuiltinStylesCheck(t *testing.T) {
	for _, s := range band.Styles() {
		if err := lineup.Standard().Check(s); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}
