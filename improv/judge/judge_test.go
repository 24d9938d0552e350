package judge

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"sideman/internal/shareddata"
	"sideman/internal/tarfs"
	"sideman/music"
)

var (
	corpusOnce sync.Once
	corpus     *Corpus
	corpusErr  error
)

// readCorpus reads WJazzD once for the package's tests.
func readCorpus(tb testing.TB) *Corpus {
	tb.Helper()
	path := shareddata.File(tb, "wjazzd/wjazzd-csv.tar.gz")
	corpusOnce.Do(func() {
		fsys, err := tarfs.Open(path, tarfs.Limits{})
		if err != nil {
			corpusErr = err
			return
		}
		defer fsys.Close()
		corpus, corpusErr = Read(context.Background(), fsys)
	})
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	return corpus
}

func TestW1(t *testing.T) {
	if d := w1([]float64{0, 1, 2}, []float64{3, 4, 5}); math.Abs(d-3) > 1e-12 {
		t.Errorf("a sample moved by 3: distance %g", d)
	}
	if d := w1([]float64{0, 0, 1, 1}, []float64{0, 1}); d != 0 {
		t.Errorf("same distribution: distance %g", d)
	}
	if d := w1([]float64{0}, []float64{0, 2}); math.Abs(d-1) > 1e-12 {
		t.Errorf("half the mass moved by 2: distance %g", d)
	}
	if d := tv([]float64{1, 0}, []float64{0, 3}); d != 1 {
		t.Errorf("disjoint histograms: total variation %g", d)
	}
}

func TestSnap(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{3.02, 3}, {3.26, 3.25}, {3.3, 1.0/3 + 3}, {3.6, 3 + 2.0/3}, {3.9, 4}, {-0.1, 0},
	} {
		if got := snap(c.in); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("snap(%g) = %g, want %g", c.in, got, c.want)
		}
	}
}

// TestCorpus checks WJazzD before anything learns from it: the solos and
// performers the database documents, notes on the beat grid, and the
// beat track mapping back to the recording's seconds.
func TestCorpus(t *testing.T) {
	c := readCorpus(t)
	ck := c.Check
	t.Logf("check: %+v", ck)
	if ck.Solos+ck.Dropped != 456 {
		t.Errorf("%d solos read and %d dropped, WJazzD has 456", ck.Solos, ck.Dropped)
	}
	if ck.Performers < 70 {
		t.Errorf("%d performers", ck.Performers)
	}
	// Most onsets lie within the beat track, and few notes overlap.
	if float64(ck.Outside) > 0.01*float64(ck.Notes) || float64(ck.Overlaps) > 0.05*float64(ck.Notes) {
		t.Errorf("%d of %d notes outside the beat track, %d overlapping", ck.Outside, ck.Notes, ck.Overlaps)
	}
	for _, s := range c.Solos[:20] {
		secs := beatSeconds(s.Beats)
		for _, b := range []float64{0.37, 5.5, float64(len(secs)) - 1.2} {
			if back := beatAt(secs, secondsAt(secs, b)); math.Abs(back-b) > 1e-9 {
				t.Fatalf("%s: beat %g -> %g s -> beat %g", s.Name, b, secondsAt(secs, b), back)
			}
		}
	}
	l := humanLine(c.Solos[0])
	if f := l.segmentFeatures(0); len(f) != len(FeatureNames) {
		t.Errorf("%d features, %d names", len(f), len(FeatureNames))
	}
}

// replay is the human solo itself, in ticks: the control the classifier
// must not tell from the human (it can know nothing but the notes).
func replay(c *Corpus) Entrant {
	byName := map[string]*Solo{}
	for _, s := range c.Solos {
		byName[s.Name] = s
	}
	return Entrant{Name: "replay", Train: Fixed(SoloistFunc(func(ctx context.Context, l Lead) ([]music.Note, error) {
		var out []music.Note
		for _, n := range byName[l.Name].Notes {
			start := music.Ticks(math.Round(n.Onset * TicksPerBeat))
			if len(out) > 0 && start <= out[len(out)-1].Start {
				continue
			}
			out = append(out, music.Note{Pitch: n.Pitch, Start: start, Duration: max(1, music.Ticks(math.Round(n.Duration*TicksPerBeat)))})
		}
		return out, nil
	}))}
}

// TestBaselinesSpotted is the protocol on every 6th solo: the classifier
// spots the Markov soloist and the quantized human at least 95% of the
// time (balanced accuracy), and does not tell the human solos replayed
// from themselves.
func TestBaselinesSpotted(t *testing.T) {
	c := readCorpus(t)
	r, err := Run(context.Background(), c, replay(c), Options{Every: 6, Folds: 4, Seed: 1, Forest: ForestOptions{Trees: 60}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r)
	for _, b := range r.Baselines {
		if b.Classifier.Balanced < Spotted {
			t.Errorf("%s spotted at %.3f balanced accuracy, under %.2f", b.Name, b.Classifier.Balanced, Spotted)
		}
	}
	if !r.Counts {
		t.Error("the classifier's figure does not count")
	}
	if b := r.Soloist.Classifier.Balanced; b > 0.6 {
		t.Errorf("the human replayed told from itself at %.3f balanced accuracy", b)
	}
	// The replayed human is as near the other performers as the human.
	for _, d := range r.Soloist.Distances {
		if math.Abs(d.Soloist-d.Human) > 0.05*d.Human+1e-3 {
			t.Errorf("%s: replayed %.4f, human %.4f", d.Name, d.Soloist, d.Human)
		}
	}
}

// jittered is the quantized human with every onset moved by a normal
// deviation of sd milliseconds (durations kept): a soloist with the
// human's notes and rhythm but a machine's idea of feel, which tells how
// far the classifier reads micro-timing beyond the grid.
func jittered(c *Corpus, sd float64) Entrant {
	q := Quantized(c)
	byName := map[string]*Solo{}
	for _, s := range c.Solos {
		byName[s.Name] = s
	}
	return Entrant{Name: fmt.Sprintf("jitter%.0fms", sd), Train: Fixed(SoloistFunc(func(ctx context.Context, l Lead) ([]music.Note, error) {
		s, _ := q.Train(ctx, nil)
		notes, err := s.Solo(ctx, l)
		rng := rand.New(rand.NewPCG(l.Seed, 3))
		secs := beatSeconds(byName[l.Name].Beats)
		for i := range notes {
			b := float64(notes[i].Start) / TicksPerBeat
			moved := beatAt(secs, secondsAt(secs, b)+rng.NormFloat64()*sd/1000)
			notes[i].Start = max(0, music.Ticks(math.Round(moved*TicksPerBeat)))
			if i > 0 && notes[i].Start <= notes[i-1].Start {
				notes[i].Start = notes[i-1].Start + 1
			}
		}
		return notes, err
	}))}
}

// TestFigures is the full protocol of docs/model.md ("Judging a solo") on
// the whole corpus; SIDEMAN_MODEL_FIGURES=1 runs it.
func TestFigures(t *testing.T) {
	if os.Getenv("SIDEMAN_MODEL_FIGURES") != "1" {
		t.Skip("measurement only: set SIDEMAN_MODEL_FIGURES=1 (docs/model.md)")
	}
	c := readCorpus(t)
	t.Logf("corpus check: %+v", c.Check)
	r, err := Run(context.Background(), c, replay(c), Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r)
	r, err = Run(context.Background(), c, jittered(c, 20), Options{Seed: 1, NoBaselines: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r)
}

// TestLeadChart checks the lead's chart against its beats: every chord
// the chart writes sounds at its tick in the lead, and the bars hold the
// beat track's beats.
func TestLeadChart(t *testing.T) {
	c := readCorpus(t)
	for _, s := range c.Solos[:40] {
		l := LeadOf(s, 1)
		ch, start := l.Chart()
		at, beats := start, 0
		meter := 4
		for i, b := range ch.Bars {
			if b.Meter != nil {
				meter = b.Meter.Num
			}
			for _, x := range b.Chords {
				if got := l.ChordAt(at + x.Offset); got.Symbol != x.Chord.Symbol {
					t.Fatalf("%s: bar %d: chart %s, lead %s", s.Name, i+1, x.Chord.Symbol, got.Symbol)
				}
			}
			at += music.Ticks(meter) * TicksPerBeat
			beats += meter
		}
		if n := len(s.Beats) - int(start/TicksPerBeat); beats < n || beats >= n+meter {
			t.Errorf("%s: chart bars hold %d beats, the beat track %d from the first bar", s.Name, beats, n)
		}
	}
}
