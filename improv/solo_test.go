package improv

import (
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/format/chart"
	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/model"
	"sideman/model/builtin"
	"sideman/music"
)

var jazz struct {
	once sync.Once
	m    *model.Model
	err  error
}

// jazzModel is the default model learned from every second WJazzD
// solo, once a test binary.
func jazzModel(tb testing.TB) *model.Model {
	tb.Helper()
	jazz.once.Do(func() { jazz.m, jazz.err = learnJazz(tb, 2) })
	if jazz.err != nil {
		tb.Fatal(jazz.err)
	}
	return jazz.m
}

// learnJazz learns the default model from every n-th WJazzD solo.
func learnJazz(tb testing.TB, every int) (*model.Model, error) {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	jazz := &struct {
		m   *model.Model
		err error
	}{}
	func() {
		ms, data, err := shareddata.ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
		if err != nil {
			jazz.err = err
			return
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
		var names []string
		for n := range melody {
			names = append(names, n)
		}
		slices.Sort(names)
		var mels []model.Melody
		for i, n := range names {
			if i%every != 0 {
				continue
			}
			s, err := wjazzd.DecodeSoloBytes(melody[n], beats[n])
			if err != nil {
				jazz.err = err
				return
			}
			c, err := s.Chart(nil)
			if err != nil {
				jazz.err = err
				return
			}
			m, err := model.FromChart(c, "")
			if err != nil {
				jazz.err = err
				return
			}
			mels = append(mels, m)
		}
		jazz.m, jazz.err = model.New(model.DefaultConfig())
		if jazz.err == nil {
			jazz.m.LearnAll(mels)
		}
	}()
	return jazz.m, jazz.err
}

// TestWriteJazzModel writes the model of all WJazzD solos to the file
// SIDEMAN_WRITE_MODEL names, for listening to sideman solo (sideman
// model learn does not read the WJazzD CSV yet).
func TestWriteJazzModel(t *testing.T) {
	out := os.Getenv("SIDEMAN_WRITE_MODEL")
	if out == "" {
		t.Skip("SIDEMAN_WRITE_MODEL names no file")
	}
	m, err := learnJazz(t, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := model.Encode(f, m); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// gig sets up a band to play an example chart and returns its gig.
func gig(tb testing.TB, name string, choruses int, seed int64) *band.Gig {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.DecodeBytes(data)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := band.New(cs[0], band.Options{Lineup: lineup.Standard(), Seed: seed, Choruses: choruses})
	if err != nil {
		tb.Fatal(err)
	}
	return b.Gig()
}

func solo(tb testing.TB, g *band.Gig, opt Options) (*Soloist, []music.Note) {
	tb.Helper()
	opt.Model = jazzModel(tb)
	opt.ModelName, opt.ModelHash = "wjazzd-half", "0123"
	if opt.Density == 0 {
		opt.Density = 0.5
	}
	if opt.Adventure == 0 {
		opt.Adventure = 0.5
	}
	s, err := New(g, opt)
	if err != nil {
		tb.Fatal(err)
	}
	var out []music.Note
	for bar := range g.Bars {
		out = append(out, s.Play(bar, bar+1, nil)...)
	}
	return s, out
}

// Same seed, same solo; another seed, another.
func TestSameSeedSameSolo(t *testing.T) {
	_, a := solo(t, gig(t, "blues-f.chart", 2, 7), Options{})
	_, b := solo(t, gig(t, "blues-f.chart", 2, 7), Options{})
	_, c := solo(t, gig(t, "blues-f.chart", 2, 8), Options{})
	if !slices.EqualFunc(a, b, func(x, y music.Note) bool {
		return x.ID == y.ID && x.Pitch == y.Pitch && x.Start == y.Start && x.Duration == y.Duration
	}) {
		t.Error("the same seed played two solos")
	}
	if slices.EqualFunc(a, c, func(x, y music.Note) bool { return x.Pitch == y.Pitch && x.Start == y.Start }) {
		t.Error("seeds 7 and 8 played one solo")
	}
}

// Every note has an id of its own and the soloist's Origin, naming the
// model, its hash and the seed.
func TestSoloOrigin(t *testing.T) {
	_, notes := solo(t, gig(t, "rhythm-changes-bb.chart", 1, 3), Options{})
	ids := map[music.NoteID]bool{}
	for _, n := range notes {
		if n.ID == 0 || ids[n.ID] {
			t.Fatalf("note at %d: id %d is none or taken", n.Start, n.ID)
		}
		ids[n.ID] = true
		o := n.Origin
		if o == nil || o.Kind != music.MachineGenerated || o.Generator != Generator || o.Version != Version ||
			!strings.Contains(o.Params, `model="wjazzd-half" model-sha256=0123`) || !strings.Contains(o.Params, "seed=3") || len(o.DerivedFrom) != 0 {
			t.Fatalf("note at %d: origin %+v", n.Start, o)
		}
	}
}

// The solo breathes and speaks jazz: phrases with rests between them,
// in range, chord tones on strong beats about as often as WJazzD's
// soloists play them, motifs that come back.
func TestSoloFigures(t *testing.T) {
	human := Builtin().Human
	var all []Figures
	for _, c := range []string{"blues-f.chart", "rhythm-changes-bb.chart", "minor-blues-c.chart", "ballad-eb.chart"} {
		s, notes := solo(t, gig(t, c, 3, 1), Options{Low: 58, High: 86})
		f := s.Figures()
		all = append(all, f)
		t.Logf("%s: %d notes, %d phrases, %.0f%% develop an earlier one: %+v", c, len(notes), len(s.Phrases()), 100*s.Developed(), f)
		for _, n := range notes {
			if n.Pitch < 58 || n.Pitch > 86 {
				t.Fatalf("%s: pitch %d out of range", c, n.Pitch)
			}
		}
		if f.RestShare < 0.05 {
			t.Errorf("%s: %.0f%% of the time between phrases: no breaths", c, 100*f.RestShare)
		}
		if s.Developed() == 0 {
			t.Errorf("%s: no phrase develops an earlier one", c)
		}
	}
	var ct, npb float64
	for _, f := range all {
		ct += f.StrongChordTones / float64(len(all))
		npb += f.NotesPerBar / float64(len(all))
	}
	t.Logf("mean: strong-beat chord tones %.3f (WJazzD %.3f), notes a bar %.2f (WJazzD %.2f)", ct, human.StrongChordTones, npb, human.NotesPerBar)
	if d := ct - human.StrongChordTones; d < -0.1 || d > 0.15 {
		t.Errorf("strong-beat chord tones %.3f, WJazzD's soloists %.3f", ct, human.StrongChordTones)
	}
	if npb < human.NotesPerBar/2 || npb > human.NotesPerBar*1.5 {
		t.Errorf("%.2f notes a bar, WJazzD's soloists %.2f", npb, human.NotesPerBar)
	}
}

// A solo is a line: every note after the one before, sounding, on the
// beat's sixteenth or triplet grid (the fills' places), phrases starting
// on the eighth grid.
func TestSoloIsALine(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		for _, c := range []string{"blues-f.chart", "rhythm-changes-bb.chart", "ballad-eb.chart"} {
			s, notes := solo(t, gig(t, c, 3, seed), Options{})
			for i, n := range notes {
				if n.Duration <= 0 || n.Start%80 != 0 || (i > 0 && n.Start <= notes[i-1].Start) {
					t.Fatalf("%s, seed %d: note %d at %d (%d long), the one before at %d", c, seed, i, n.Start, n.Duration, notes[max(i-1, 0)].Start)
				}
			}
			for _, p := range s.Phrases() {
				if p.Start%480 != 0 {
					t.Fatalf("%s, seed %d: a phrase starts at %d, off the eighth grid", c, seed, p.Start)
				}
			}
		}
	}
}

// Phrase develops a human's motif: its notes name the motif's, and it
// starts with the motif's rhythm.
func TestPhraseDevelopsMotif(t *testing.T) {
	g := gig(t, "blues-f.chart", 1, 5)
	s, err := New(g, Options{Model: jazzModel(t), Adventure: 0.5, Density: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	human := &music.Origin{Kind: music.HumanPlayed}
	var heard []music.Note
	for i, p := range []int{65, 67, 69, 72, 69, 67} { // F G A C A G in eighths from bar 1
		heard = append(heard, music.Note{ID: music.NoteID(1000 + i), Pitch: uint8(p), Velocity: 90, Start: g.Bars[0].Start + music.Ticks(i)*480, Duration: 480, Origin: human})
	}
	s.Hear(heard)
	m := MotifOf(heard)
	out := s.Phrase(4, 8, &m, Sequence)
	if len(out) < len(heard) {
		t.Fatalf("an answer of %d notes", len(out))
	}
	for i := range heard {
		if got, want := out[i].Start-out[0].Start, heard[i].Start-heard[0].Start; got != want {
			t.Errorf("note %d at %d from the answer's start, the motif's at %d", i, got, want)
		}
		if !slices.Equal(out[i].Origin.DerivedFrom, m.IDs) {
			t.Errorf("note %d derives from %v", i, out[i].Origin.DerivedFrom)
		}
	}
	if out[0].Start != g.Bars[4].Start {
		t.Errorf("the answer starts at %d, bar 5 at %d", out[0].Start, g.Bars[4].Start)
	}
	if last := out[len(out)-1]; last.Start >= g.Bars[7].End()-480 {
		t.Errorf("the answer's last note at %d, in the other player's last eighth", last.Start)
	}
}

// BenchmarkPhrase4Bars is a trade's answer: a 4-bar phrase from a
// soloist whose short-term model already holds 64 bars.
func BenchmarkPhrase4Bars(b *testing.B) {
	g := gig(b, "blues-f.chart", 8, 1) // 96 bars
	s, err := New(g, Options{Model: jazzModel(b), Adventure: 0.5, Density: 0.5})
	if err != nil {
		b.Fatal(err)
	}
	for bar := range 64 {
		s.Play(bar, bar+1, nil)
	}
	b.ResetTimer()
	notes := 0
	var took, cpuTook []time.Duration
	runtime.LockOSThread() // the thread's CPU time is the phrase's
	defer runtime.UnlockOSThread()
	for i := range b.N {
		from := 64 + 4*(i%8)
		if i%8 == 0 && i > 0 {
			b.StopTimer()
			s, _ = New(g, Options{Model: jazzModel(b), Adventure: 0.5, Density: 0.5})
			for bar := range 64 {
				s.Play(bar, bar+1, nil)
			}
			b.StartTimer()
		}
		t0 := time.Now()
		c0, cpu := threadCPU()
		notes += len(s.Phrase(from, from+4, nil, ""))
		took = append(took, time.Since(t0))
		if c1, _ := threadCPU(); cpu {
			cpuTook = append(cpuTook, c1-c0)
		}
	}
	b.ReportMetric(float64(notes)/float64(b.N), "notes/phrase")
	b.ReportMetric(p99(took), "p99-µs")
	if len(cpuTook) > 0 {
		b.ReportMetric(p99(cpuTook), "cpu-p99-µs")
	}
}

// p99 is the 99th percentile of ds in microseconds.
func p99(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)*99/100].Microseconds())
}

// A line does not lock into copying itself: the short-term model learns
// it as it goes, so a phrase once played would become the likeliest
// continuation. With the built-in model (the one `sideman solo` plays,
// whose short-term model pulls hardest), over four charts and eight seeds,
// the share of notes inside a verbatim repeat of 8 notes or more of
// earlier material stays near WJazzD's (5.1% over the first 290 notes of
// each solo, measured by the same Repeats; before the guard 58%, the
// longest copy 487 notes), and no copy runs past 16 notes (WJazzD's
// median longest is 8). Motifs still return: phrases develop earlier ones.
func TestSoloDoesNotLoop(t *testing.T) {
	b, ok := builtin.Find("jazz")
	if !ok {
		t.Fatal("no built-in jazz model")
	}
	m, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	var share, developed float64
	var runs int
	for seed := int64(1); seed <= 8; seed++ {
		for _, c := range []string{"blues-f.chart", "rhythm-changes-bb.chart", "minor-blues-c.chart", "ballad-eb.chart"} {
			g := gig(t, c, 2, seed)
			s, err := New(g, Options{Model: m, Adventure: 0.5, Density: 0.5})
			if err != nil {
				t.Fatal(err)
			}
			var ps []int
			for bar := range g.Bars {
				for _, n := range s.Play(bar, bar+1, nil) {
					ps = append(ps, int(n.Pitch))
				}
			}
			f, longest := Repeats(ps, 8)
			if longest > 16 {
				t.Errorf("%s, seed %d: a verbatim copy of %d notes", c, seed, longest)
			}
			share += f
			developed += s.Developed()
			runs++
		}
	}
	share, developed = share/float64(runs), developed/float64(runs)
	t.Logf("%.1f%% of the notes in verbatim repeats of 8 or more (WJazzD 5.1%%); %.0f%% of the phrases develop an earlier one", 100*share, 100*developed)
	if share > 0.10 {
		t.Errorf("%.1f%% of the notes copy earlier material verbatim, WJazzD's soloists 5.1%%", 100*share)
	}
	if developed < 0.15 {
		t.Errorf("%.0f%% of the phrases develop an earlier one", 100*developed)
	}
}

// Repeats finds a line's verbatim copies of itself.
func TestRepeats(t *testing.T) {
	for _, c := range []struct {
		ps      []int
		share   float64
		longest int
	}{
		{[]int{60, 62, 64, 65, 67}, 0, 0},
		{[]int{60, 62, 64, 60, 62, 64}, 0, 3},
		{[]int{60, 62, 64, 65, 67, 69, 71, 72, 1, 60, 62, 64, 65, 67, 69, 71, 72}, 8.0 / 17, 8},
		{[]int{60, 62, 64, 65, 67, 69, 71, 72, 1, 62, 64, 66, 67, 69, 71, 73, 74}, 0, 3}, // transposed: no copy but the three notes it shares
		{[]int{67, 68, 69, 67, 68, 69, 67, 68, 69, 67, 68}, 8.0 / 11, 8},
	} {
		share, longest := Repeats(c.ps, 8)
		if math.Abs(share-c.share) > 1e-9 || longest != c.longest {
			t.Errorf("Repeats(%v) = %.3f, %d; want %.3f, %d", c.ps, share, longest, c.share, c.longest)
		}
	}
}
