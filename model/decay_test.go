package model

import (
	"context"
	"math"
	"slices"
	"testing"
)

// decayModel is a pitch-only model of order 2 learned from random walks,
// over the pitches 55 to 79, for sessions to learn on top of. (PPM*
// would find a longer context that tells the riffs apart here.)
func decayModel(t *testing.T) *Model {
	t.Helper()
	cfg := PitchOnly()
	cfg.Unbounded, cfg.Order = false, 2
	for p := 55; p <= 79; p++ {
		cfg.Alphabet = append(cfg.Alphabet, p)
	}
	m := must(New(cfg))
	m.LearnAll(randomTunes(30, 3))
	return m
}

// play adds the pitches of a tune to the session and predicts the note
// after them from the short-term model.
func play(s *Session, mel Melody) []float64 {
	for _, e := range mel.Events[:len(mel.Events)-1] {
		s.Add(e)
	}
	return slices.Clone(s.Predict(mel.Events[len(mel.Events)-1]).STM)
}

// A player who played 60 62 64 four times long ago and 60 62 65 twice
// lately: plain PPM, counting all alike, expects 64 after 60 62; with
// memory decay the recent 65 predicts more strongly than the old 64.
func TestDecayFavoursRecent(t *testing.T) {
	m := decayModel(t)
	var ps []int
	for range 4 {
		ps = append(ps, 60, 62, 64, 67)
	}
	for range 3 {
		ps = append(ps, 70, 72, 74, 76, 77, 79, 57)
	}
	for range 2 {
		ps = append(ps, 60, 62, 65, 67)
	}
	ps = append(ps, 60, 62, 0) // the last is predicted
	mel := tune("riff", ps...)
	idx := func(p int) int { return slices.Index(m.Alphabet(), p) }
	plain := play(m.Session(), mel)
	for _, d := range []Decay{
		{HalfLife: 8},
		{HalfLife: 4, Buffer: 4, Floor: 0.05},
		{HalfLife: 3, Seconds: true, Tempo: 120}, // 6 notes a half-life
	} {
		s := must(m.SessionDecay(d))
		p := play(s, mel)
		t.Logf("%+v: p(64) %.3f → %.3f, p(65) %.3f → %.3f", d, plain[idx(64)], p[idx(64)], plain[idx(65)], p[idx(65)])
		if plain[idx(65)] >= plain[idx(64)] {
			t.Errorf("plain PPM: p(65) %.3f ≥ p(64) %.3f: the old riff was played twice as often", plain[idx(65)], plain[idx(64)])
		}
		if p[idx(65)] <= p[idx(64)] {
			t.Errorf("%+v: p(65) %.3f ≤ p(64) %.3f: the recent riff should predict more strongly", d, p[idx(65)], p[idx(64)])
		}
	}
}

// Weights that never decay below 1 (Floor 1) give exactly the counts of
// plain PPM, for every escape and with and without exclusion: the
// record of when each string was seen and counted matches the counts.
func TestDecayFloorOneIsPlain(t *testing.T) {
	mels := randomTunes(12, 9)
	for _, esc := range []Escape{EscapeA, EscapeB, EscapeC, EscapeD, EscapeX} {
		for _, excl := range []bool{true, false} {
			cfg := DefaultConfig()
			cfg.Escape, cfg.Exclusion = esc, excl
			m := must(New(cfg))
			m.LearnAll(mels[:6])
			for _, mel := range mels[6:] {
				a, b := m.Session(), must(m.SessionDecay(Decay{HalfLife: 2, Buffer: 3, Floor: 1}))
				for _, e := range mel.Events {
					pa, pb := a.Predict(e).STM, b.Predict(e).STM
					for i := range pa {
						if math.Abs(pa[i]-pb[i]) > 1e-12 {
							t.Fatalf("escape %c exclusion %v: p[%d] %v plain, %v with floor 1", esc, excl, i, pa[i], pb[i])
						}
					}
					a.Add(e)
					b.Add(e)
				}
			}
		}
	}
}

func TestDecayRejectsBadSettings(t *testing.T) {
	m := decayModel(t)
	for _, d := range []Decay{{HalfLife: -1}, {HalfLife: 1, Floor: 2}, {HalfLife: math.NaN()}, {HalfLife: 1, Buffer: -1}} {
		if _, err := m.SessionDecay(d); err == nil {
			t.Errorf("%+v: no error", d)
		}
		if _, err := (Evaluation{Config: PitchOnly(), Decay: d, Folds: 2}).Run(context.Background(), randomTunes(6, 1)); err == nil {
			t.Errorf("evaluation with %+v: no error", d)
		}
	}
}
