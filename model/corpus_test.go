package model

import (
	"context"
	"math"
	"os"
	"sync"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
)

var chorales struct {
	once sync.Once
	mels []Melody
	err  error
}

// readChorales reads the soprano of the 370 Bach chorales by the
// protocol of docs/model.md: the *Isoprn spine, as written (no repeats
// played again), rests skipped, ties merged, titles from !!!OTL.
func readChorales(tb testing.TB) []Melody {
	tb.Helper()
	path := shareddata.File(tb, "bach-chorales/bach-370-chorales-kern.tar.gz")
	chorales.once.Do(func() {
		for doc, err := range load.Collection(path) {
			if err != nil {
				chorales.err = err
				return
			}
			for _, c := range doc.Charts {
				m, err := FromChart(c, "")
				if err != nil {
					chorales.err = err
					return
				}
				chorales.mels = append(chorales.mels, m)
			}
		}
	})
	if chorales.err != nil {
		tb.Fatal(chorales.err)
	}
	return chorales.mels
}

func TestChoraleSoprano(t *testing.T) {
	mels := readChorales(t)
	if len(mels) != 370 {
		t.Fatalf("%d chorales, want 370", len(mels))
	}
	titles := map[string]int{}
	notes := 0
	for _, m := range mels {
		titles[m.Title]++
		notes += len(m.Events)
		for i, e := range m.Events {
			if e.Pitch < 55 || e.Pitch > 84 {
				t.Errorf("%s: note %d: pitch %d is out of a soprano's range", m.Title, i, e.Pitch)
			}
			if i > 0 && e.Onset <= m.Events[i-1].Onset {
				t.Errorf("%s: note %d does not start after the one before", m.Title, i)
			}
		}
	}
	t.Logf("%d chorales, %d titles, %d notes", len(mels), len(titles), notes)
}

// EnvFull names the environment variable that runs the chorale
// evaluation on all 370 chorales (about half a minute on two cores)
// rather than the first SubsetChorales.
const EnvFull = "SIDEMAN_MODEL_FULL"

const subsetChorales = 120

// TestChoraleBits is Pearce's protocol on the Bach chorales' soprano
// (docs/model.md). The bounds of the full run are the targets;
// those of the subset are the figures it gave when the full run met them,
// with 0.03 bits to spare.
func TestChoraleBits(t *testing.T) {
	mels := readChorales(t)
	full := os.Getenv(EnvFull) == "1"
	if !full {
		mels = mels[:subsetChorales]
	}
	for _, tc := range []struct {
		name      string
		cfg       Config
		ungrouped bool
		bound     float64 // on the full set
		subset    float64 // on the subset
		// pinned are the figures (LTM, STM, both) of docs/model.md, on
		// the full set to its three decimals, on the subset to nine:
		// making the model faster or its file smaller must not move them.
		pinned, pinnedSubset [3]float64
	}{
		{"cpitch grouped", PitchOnly(), false, 2.38, 2.42,
			[3]float64{2.643, 3.165, 2.347}, [3]float64{2.728908937, 3.130457336, 2.393764316}},
		{"cpitch ungrouped", PitchOnly(), true, 2.347, 2.45,
			[3]float64{2.289, 3.165, 2.137}, [3]float64{}},
		{"default grouped", DefaultConfig(), false, 2.00, 1.93,
			[3]float64{1.859, 3.076, 1.809}, [3]float64{1.943207099, 3.010876752, 1.901013613}},
		{"default ungrouped", DefaultConfig(), true, 1.911, 1.90,
			[3]float64{1.433, 3.076, 1.476}, [3]float64{}},
	} {
		if !full && tc.ungrouped {
			continue
		}
		r, err := Evaluation{Config: tc.cfg, Ungrouped: tc.ungrouped}.Run(context.Background(), mels)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d chorales, %d notes: bits per note ltm %.9f stm %.9f both %.9f", tc.name, r.Pieces, r.Notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
		bound, pinned, tol := tc.subset, tc.pinnedSubset, 5e-9
		if full {
			bound, pinned, tol = tc.bound, tc.pinned, 5e-4
		}
		got := [3]float64{r.Bits.LTM, r.Bits.STM, r.Bits.Both}
		for i, name := range []string{"ltm", "stm", "both"} {
			if math.Abs(got[i]-pinned[i]) > tol {
				t.Errorf("%s: %s %.9f bits per note, pinned at %.9f", tc.name, name, got[i], pinned[i])
			}
		}
		if r.Bits.Both > bound {
			t.Errorf("%s: %.3f bits per note, more than %.3f", tc.name, r.Bits.Both, bound)
		}
	}
}

// TestJazzAndFolkBits is Pearce's protocol on every 20th WJazzD solo
// (folds grouped by performer) and every 20th Nottingham tune (grouped
// by title): the bounds are the figures these subsets gave when
// docs/model.md's full figures were measured, with 0.03 bits to spare.
func TestJazzAndFolkBits(t *testing.T) {
	for _, c := range []struct {
		name   string
		read   func(testing.TB) []Melody
		bounds [3]float64 // both, for corpusConfigs' configurations
	}{
		{"wjazzd", readSolos, [3]float64{3.546, 3.664, 3.582}},
		{"nottingham", readTunes, [3]float64{2.387, 2.048, 1.973}},
	} {
		mels := everyNth(c.read(t), 20)
		for i, cfg := range corpusConfigs() {
			r, err := Evaluation{Config: cfg.cfg}.Run(context.Background(), mels)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d pieces, %d groups, %d notes: ltm %.3f stm %.3f both %.3f", c.name, cfg.name, r.Pieces, groups(mels), r.Notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
			if r.Bits.Both > c.bounds[i] {
				t.Errorf("%s %s: %.3f bits per note, more than %.3f", c.name, cfg.name, r.Bits.Both, c.bounds[i])
			}
		}
	}
}
