package judge

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"sideman/music"
)

// TestForest: a forest tells two classes apart by the one feature that
// differs (among noise), and is at chance on labels that mean nothing.
func TestForest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sample := func(n int, signal bool) ([][]float64, []bool) {
		var x [][]float64
		var y []bool
		for i := range n {
			pos := i%3 == 0 // unequal classes: weighting must keep balance
			f := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
			if signal && pos {
				f[2] += 2.5
			}
			x, y = append(x, f), append(y, pos)
		}
		return x, y
	}
	for _, c := range []struct {
		signal   bool
		lo, hi   float64
		describe string
	}{{true, 0.85, 1, "separable by one feature"}, {false, 0.4, 0.6, "labels that mean nothing"}} {
		x, y := sample(2000, c.signal)
		f := fitForest(x, y, ForestOptions{Trees: 40, Seed: 3})
		tx, ty := sample(2000, c.signal)
		var tp, tn, p, n int
		for i := range tx {
			m := f.predict(tx[i]) > 0.5
			if ty[i] {
				p++
				if m {
					tp++
				}
			} else {
				n++
				if !m {
					tn++
				}
			}
		}
		b := (share(tp, p) + share(tn, n)) / 2
		t.Logf("%s: balanced accuracy %.3f", c.describe, b)
		if b < c.lo || b > c.hi {
			t.Errorf("%s: balanced accuracy %.3f, outside %.2f..%.2f", c.describe, b, c.lo, c.hi)
		}
	}
}

// TestBadSoloist: a soloist's notes out of order are one clear error
// naming the soloist, the lead and the note, never a panic.
func TestBadSoloist(t *testing.T) {
	c := readCorpus(t)
	bad := SoloistFunc(func(ctx context.Context, l Lead) ([]music.Note, error) {
		return []music.Note{{Pitch: 60, Start: l.Start + 960, Duration: 480}, {Pitch: 62, Start: l.Start, Duration: 480}}, nil
	})
	_, err := Run(context.Background(), c, Entrant{Name: "bad", Train: Fixed(bad)}, Options{Every: 40, Folds: 2, NoBaselines: true})
	if err == nil || !strings.Contains(err.Error(), "bad over") || !strings.Contains(err.Error(), "note 2") {
		t.Errorf("error %v", err)
	}
}
