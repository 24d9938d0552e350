package model

import (
	"math"
	"slices"
	"testing"
)

// TestPitchScorerIsTheSession checks the screen against the long-term
// prediction a Session gives the same pitches: the cpitch viewpoint alone,
// over the learned alphabet (no normalising) and over a narrower one that
// leaves out pitches learned (the sum taken).
func TestPitchScorerIsTheSession(t *testing.T) {
	mels := readChorales(t)
	for _, narrow := range []bool{false, true} {
		cfg := PitchOnly()
		if narrow {
			for p := 62; p < 76; p++ {
				cfg.Alphabet = append(cfg.Alphabet, p)
			}
		}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.LearnAll(mels[:300])
		sc, err := m.PitchScorer()
		if err != nil {
			t.Fatal(err)
		}
		if sc.whole == narrow {
			t.Fatalf("narrow alphabet %v: whole %v", narrow, sc.whole)
		}
		for _, mel := range mels[300:320] {
			s := m.Session()
			var want float64
			var pitches []int
			for _, e := range mel.Events {
				i, ok := slices.BinarySearch(s.Alphabet(), e.Pitch)
				if !ok {
					break
				}
				want -= math.Log2(s.Predict(e).LTM[i])
				s.Add(e)
				pitches = append(pitches, e.Pitch)
			}
			got := sc.Bits(pitches)
			if math.Abs(got-want) > 1e-9*max(1, want) {
				t.Errorf("narrow %v: %s: scorer %.12f bits, session %.12f", narrow, mel.Title, got, want)
			}
		}
	}
}

func TestPitchScorerNeedsCpitch(t *testing.T) {
	cfg := PitchOnly()
	cfg.Viewpoints, _ = ParseViewpoints("cpint")
	m, _ := New(cfg)
	if _, err := m.PitchScorer(); err == nil {
		t.Fatal("a model without cpitch gave a pitch scorer")
	}
}
