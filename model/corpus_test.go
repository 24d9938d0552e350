package model

import (
	"context"
	"os"
	"strings"
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

func TestChoraleBits(t *testing.T) {
	mels := readChorales(t)
	for _, tc := range []struct {
		name      string
		cfg       Config
		ungrouped bool
	}{
		{"cpitch grouped", PitchOnly(), false},
		{"cpitch ungrouped", PitchOnly(), true},
		{"default grouped", DefaultConfig(), false},
	} {
		if os.Getenv("VP") != "" {
			tc.cfg.Viewpoints, _ = ParseViewpoints(os.Getenv("VP"))
		}
		r, err := Evaluation{Config: tc.cfg, Ungrouped: tc.ungrouped}.Run(context.Background(), mels)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v", tc.name, r)
		_ = strings.ToLower
	}
}
