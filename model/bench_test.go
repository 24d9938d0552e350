package model

import (
	"bytes"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/load"
)

// readSolos reads the 456 WJazzD solos as melodies with their chords,
// titled by performer (the grouping docs/model.md uses for jazz).
func readSolos(tb testing.TB) []Melody {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	ms, data, err := shareddata.ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	melody, beats := map[string][]byte{}, map[string][]byte{}
	for i, m := range ms {
		switch {
		case strings.Contains(m.Name, "csv_melody/"):
			melody[path.Base(m.Name)] = data[i]
		case strings.Contains(m.Name, "csv_beats/"):
			beats[path.Base(m.Name)] = data[i]
		}
	}
	names := make([]string, 0, len(melody))
	for n := range melody {
		names = append(names, n)
	}
	slices.Sort(names)
	var out []Melody
	for _, n := range names {
		s, err := wjazzd.DecodeSoloBytes(melody[n], beats[n])
		if err != nil {
			tb.Fatal(err)
		}
		s.Name = n
		c, err := s.Chart(nil)
		if err != nil {
			tb.Fatal(err)
		}
		m, err := FromChart(c, "")
		if err != nil {
			tb.Fatal(err)
		}
		m.Title, _, _ = strings.Cut(n, "_")
		out = append(out, m)
	}
	return out
}

// readTunes reads the Nottingham folk tunes' melodies.
func readTunes(tb testing.TB) []Melody {
	tb.Helper()
	var out []Melody
	for doc, err := range load.Collection(filepath.Join(shareddata.Dir(tb, "nottingham"), "ABC_cleaned")) {
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range doc.Charts {
			if m, err := FromChart(c, ""); err == nil && len(m.Events) > 0 {
				out = append(out, m)
			}
		}
	}
	return out
}

// learnParallel learns melodies in one shard a core and merges them.
func learnParallel(cfg Config, mels []Melody) *Model {
	n := runtime.GOMAXPROCS(0)
	shards := make([]*Model, n)
	var wg sync.WaitGroup
	for i := range shards {
		shards[i], _ = New(cfg)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i; j < len(mels); j += n {
				shards[i].Learn(mels[j])
			}
		}()
	}
	wg.Wait()
	for _, s := range shards[1:] {
		shards[0].Merge(s)
	}
	return shards[0]
}

// learnAll learns melodies with LearnAll, the viewpoints in parallel.
func learnAll(cfg Config, mels []Melody) *Model {
	m, _ := New(cfg)
	m.LearnAll(mels)
	return m
}

// BenchmarkLearn learns WJazzD, Nottingham and the chorales (read
// beforehand) with the default viewpoints over all cores: the
// viewpoints in parallel (LearnAll), or one shard a core, merged.
func BenchmarkLearn(b *testing.B) {
	mels := append(append(readSolos(b), readTunes(b)...), readChorales(b)...)
	notes := 0
	for _, m := range mels {
		notes += len(m.Events)
	}
	for _, bc := range []struct {
		name  string
		learn func(Config, []Melody) *Model
	}{{"viewpoints", learnAll}, {"shards", learnParallel}} {
		b.Run(bc.name, func(b *testing.B) {
			var m *Model
			for b.Loop() {
				m = bc.learn(DefaultConfig(), mels)
			}
			b.ReportMetric(float64(len(mels)), "pieces")
			b.ReportMetric(float64(notes), "notes")
			b.ReportMetric(float64(m.size()), "nodes")
		})
	}
}

// BenchmarkPredict64Bars predicts the next pitch of a jazz solo from a
// model learned from the other WJazzD solos and a session holding the
// solo's 64 bars before it, over the whole alphabet with the default
// viewpoints (chord ones included). It reports the 99th percentile.
func BenchmarkPredict64Bars(b *testing.B) {
	mels := readSolos(b)
	const held = 16 // solos whose notes after bar 64 are predicted
	var long []int
	for i, m := range mels {
		if len(m.Events) > 0 && m.Events[len(m.Events)-1].Bar > 80 {
			long = append(long, i)
		}
	}
	long = long[:min(held, len(long))]
	var learn []Melody
	for i, m := range mels {
		if !slices.Contains(long, i) {
			learn = append(learn, m)
		}
	}
	m := learnAll(DefaultConfig(), learn)
	type probe struct {
		s *Session
		e Event
	}
	var probes []probe
	for _, i := range long {
		es := mels[i].Events
		k := 0
		for k < len(es) && es[k].Bar < 64 {
			k++
		}
		start := k - 1
		for start > 0 && es[start-1].Bar >= es[k].Bar-64 {
			start--
		}
		s := m.Session()
		for _, e := range es[start:k] {
			s.Add(e)
		}
		probes = append(probes, probe{s, es[k]})
	}
	// Wall time and, where the system gives it, the thread's CPU time:
	// on a shared machine the wall clock's tail is other processes'.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	times := make([]time.Duration, 0, b.N)
	cpus := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := probes[i%len(probes)]
		c0, cpu := threadCPU()
		t0 := time.Now()
		p.s.Predict(p.e)
		times = append(times, time.Since(t0))
		if c1, _ := threadCPU(); cpu {
			cpus = append(cpus, c1-c0)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	if len(cpus) > 0 {
		slices.Sort(cpus)
		var sum time.Duration
		for _, c := range cpus {
			sum += c
		}
		b.ReportMetric(float64(sum.Microseconds())/float64(len(cpus)), "cpu-mean-µs")
		b.ReportMetric(float64(cpus[len(cpus)*99/100].Microseconds()), "cpu-p99-µs")
	}
	b.ReportMetric(float64(len(m.Alphabet())), "pitches")
}

// BenchmarkModelFile writes and reads the model file of each corpus and
// of the three together (default viewpoints), reporting its size.
func BenchmarkModelFile(b *testing.B) {
	solos, tunes, chorales := readSolos(b), readTunes(b), readChorales(b)
	order5 := DefaultConfig() // the setting for a model to ship (docs/model.md)
	order5.Unbounded, order5.Order = false, 5
	for _, bc := range []struct {
		name string
		mels []Melody
		cfg  Config
	}{
		{"wjazzd", solos, DefaultConfig()}, {"wjazzd-order5", solos, order5},
		{"nottingham", tunes, DefaultConfig()}, {"chorales", chorales, DefaultConfig()},
		{"all", slices.Concat(solos, tunes, chorales), DefaultConfig()},
	} {
		if f := os.Getenv("SIDEMAN_MODEL_FILE"); f != "" && f != bc.name {
			continue
		}
		m := learnAll(bc.cfg, bc.mels)
		var buf bytes.Buffer
		if err := Encode(&buf, m); err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name+"/encode", func(b *testing.B) {
			for b.Loop() {
				Encode(io.Discard, m)
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
			b.ReportMetric(float64(buf.Len())/float64(m.size()), "bytes/string")
		})
		b.Run(bc.name+"/decode", func(b *testing.B) {
			for b.Loop() {
				if _, err := DecodeBytes(buf.Bytes()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}
