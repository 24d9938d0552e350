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
// (`sideman band song.chart --choruses 3 -o out.mid`, with the style's
// feel and with --feel none), and reports the medians and their ratios,
// in wall time and (mma/ours-cpu) in CPU time.
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
	build := exec.Command("go", "build", "-o", sideman, "sideman/cmd/sideman")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // as make build builds bin/sideman
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	// Each sampled tune as a command three ways, one after the other so
	// that the machine's other load falls on all three: ours with the
	// style's feel, ours on the grid (--feel none), MMA. Wall and CPU
	// time (user and system, the child's rusage) of each.
	var ours, grid, theirs, oursCPU, theirsCPU []float64
	run := func(c *exec.Cmd, wall, cpu *[]float64) {
		t0 := time.Now()
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", c, err, out)
		}
		*wall = append(*wall, float64(time.Since(t0).Nanoseconds()))
		if cpu != nil {
			*cpu = append(*cpu, float64((c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Nanoseconds()))
		}
	}
	for k := 0; k < len(tunes); k += 70 {
		c := tunes[k]
		src := filepath.Join(dir, "song.chart")
		var buf bytes.Buffer
		if err := chart.Encode(&buf, c); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(src, buf.Bytes(), 0o644)
		run(exec.Command(sideman, "band", src, "--style", "medium-swing", "--choruses", "3", "-o", filepath.Join(dir, "ours.mid")), &ours, &oursCPU)
		run(exec.Command(sideman, "band", src, "--style", "medium-swing", "--choruses", "3", "--feel", "none", "-o", filepath.Join(dir, "grid.mid")), &grid, nil)

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
		run(exec.Command(bin, "-f", filepath.Join(dir, "mma.mid"), mmaSrc), &theirs, &theirsCPU)
	}
	o, g, m := median(ours), median(grid), median(theirs)
	b.ReportMetric(o, "cli-median-ns/tune")
	b.ReportMetric(g, "cli-nofeel-median-ns/tune")
	b.ReportMetric(m, "mma-median-ns/tune")
	b.ReportMetric(m/o, "mma/ours")
	b.ReportMetric(m/g, "mma/ours-nofeel")
	b.ReportMetric(median(theirsCPU)/median(oursCPU), "mma/ours-cpu")
}

// Every built-in style names registered players and parameters they read.
func TestBuiltinStylesCheck(t *testing.T) {
	for _, s := range band.Styles() {
		if err := lineup.Standard().Check(s); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}
