package model

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"sideman/music"
)

// tune makes a melody from pitches, a quarter note each, in C major.
func tune(title string, pitches ...int) Melody {
	m := Melody{Title: title}
	for i, p := range pitches {
		m.Events = append(m.Events, Event{ID: music.NoteID(i + 1), Pitch: p, Onset: music.Ticks(i * music.PPQ),
			Duration: music.PPQ, Beat: i % 4, Bar: i / 4, BeatTicks: music.PPQ})
	}
	return m
}

// randomTunes are n melodies of a random walk, in n/3 titles.
func randomTunes(n int, seed uint64) []Melody {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []Melody
	for i := range n {
		p := 60 + r.IntN(12)
		ps := []int{}
		for range 20 + r.IntN(20) {
			p = max(55, min(79, p+r.IntN(7)-3))
			ps = append(ps, p)
		}
		out = append(out, tune(fmt.Sprintf("tune %d", i/3), ps...))
	}
	return out
}

// Escape C at order 0 after "a a b" over {a, b, c}: T = 3 and q = 2, so
// a gets 2/5 + 2/5 * 1/3, b 1/5 + 2/5 * 1/3 and c 2/5 * 1/3 (Cleary and
// Witten 1984, method C, blended with a uniform order -1).
func TestEscapeByHand(t *testing.T) {
	c := newCounts(1)
	c.learn([]int64{'a', 'a', 'b'})
	cand := []int64{'a', 'b', 'c'}
	want := map[Escape][]float64{
		EscapeC: {2.0/5 + 2.0/15, 1.0/5 + 2.0/15, 2.0 / 15},
		EscapeA: {2.0/4 + 1.0/12, 1.0/4 + 1.0/12, 1.0 / 12},
		EscapeB: {1.0/3 + 2.0/9, 2.0 / 9, 2.0 / 9},
		EscapeD: {1.5/3 + 1.0/9, 0.5/3 + 1.0/9, 1.0 / 9},
		EscapeX: {2.0/5 + 2.0/15, 1.0/5 + 2.0/15, 2.0 / 15}, // q1 = 1, so as C here
	}
	for esc, w := range want {
		p := make([]float64, 3)
		predictor{escape: esc}.distribution(c, ctxNodes{0}, cand, nil, nil, p, nil)
		for i := range w {
			if math.Abs(p[i]-w[i]) > 1e-12 {
				t.Errorf("escape %c: p(%c) = %v, want %v", esc, cand[i], p[i], w[i])
			}
		}
	}
}

// Update exclusion: after "a b a b c b", the order-0 count of b is the
// number of distinct symbols seen before it (a and c), not its 3.
func TestExclusionCounts(t *testing.T) {
	c := newCounts(3)
	c.learn([]int64{'a', 'b', 'a', 'b', 'c', 'b'})
	b := c.child(0, 'b')
	if got := c.nodes[b].count; got != 3 {
		t.Errorf("count of b = %d, want 3", got)
	}
	if got := c.nodes[b].cont; got != 2 {
		t.Errorf("count of b under exclusion = %d, want 2", got)
	}
	a := c.child(0, 'a') // a began the sequence and followed b once
	if got := c.nodes[a].cont; got != 2 {
		t.Errorf("count of a under exclusion = %d, want 2", got)
	}
}

// dump lists every string the counts hold with its counts, for comparing
// two sets of counts whatever order their nodes were made in.
func dump(c *counts) map[string][2]uint32 {
	out := map[string][2]uint32{}
	var path func(n int32) string
	path = func(n int32) string {
		if n == 0 {
			return ""
		}
		return path(c.nodes[n].parent) + fmt.Sprintf("%d,", c.nodes[n].sym)
	}
	for i := 1; i < len(c.nodes); i++ {
		n := &c.nodes[i]
		out[path(int32(i))] = [2]uint32{n.count, n.cont}
	}
	return out
}

// sameCounts fails unless a and b hold the same strings with the same counts.
func sameCounts(t *testing.T, name string, a, b *counts) {
	t.Helper()
	da, db := dump(a), dump(b)
	if len(da) != len(db) {
		t.Fatalf("viewpoint %s: %d strings and %d", name, len(da), len(db))
	}
	for k, x := range da {
		if db[k] != x {
			t.Fatalf("viewpoint %s: string %s: counts %v and %v", name, k, x, db[k])
		}
	}
}

// LearnAll learns the viewpoints in parallel: the counts are Learn's.
func TestLearnAllEqualsLearn(t *testing.T) {
	mels := randomTunes(30, 11)
	one, _ := New(DefaultConfig())
	for _, m := range mels {
		one.Learn(m)
	}
	all, _ := New(DefaultConfig())
	all.LearnAll(mels[:10])
	all.LearnAll(mels[10:])
	if one.Pieces != all.Pieces || one.Notes != all.Notes || !slices.Equal(one.Alphabet(), all.Alphabet()) {
		t.Fatalf("learned %d pieces, %d notes, %v; LearnAll %d, %d, %v", one.Pieces, one.Notes, one.Alphabet(), all.Pieces, all.Notes, all.Alphabet())
	}
	for v := range one.ltm {
		sameCounts(t, one.cfg.Viewpoints[v].Name, one.ltm[v], all.ltm[v])
	}
}

func TestMergeEqualsLearningAtOnce(t *testing.T) {
	mels := randomTunes(30, 7)
	for _, cfg := range []Config{PitchOnly(), DefaultConfig()} {
		whole, _ := New(cfg)
		for _, m := range mels {
			whole.Learn(m)
		}
		// three shards, merged in another order than learned
		var shards [3]*Model
		for i := range shards {
			shards[i], _ = New(cfg)
		}
		for i, m := range mels {
			shards[(i*7)%3].Learn(m)
		}
		merged, _ := New(cfg)
		for _, i := range []int{2, 0, 1} {
			if err := merged.Merge(shards[i]); err != nil {
				t.Fatal(err)
			}
		}
		for v := range whole.ltm {
			a, b := dump(whole.ltm[v]), dump(merged.ltm[v])
			if len(a) != len(b) {
				t.Fatalf("viewpoint %s: %d strings learned at once, %d merged", cfg.Viewpoints[v].Name, len(a), len(b))
			}
			for k, x := range a {
				if b[k] != x {
					t.Fatalf("viewpoint %s: string %s: counts %v at once, %v merged", cfg.Viewpoints[v].Name, k, x, b[k])
				}
			}
		}
		probe := tune("probe", 60, 62, 64, 65, 67, 65, 64, 62)
		sa, sb := whole.Session(), merged.Session()
		for _, e := range probe.Events {
			pa, pb := sa.Predict(e), sb.Predict(e)
			if !slices.Equal(pa.Both, pb.Both) {
				t.Fatalf("predictions differ: %v and %v", pa.Both, pb.Both)
			}
			sa.Add(e)
			sb.Add(e)
		}
	}
}

func TestPredictionsSumToOne(t *testing.T) {
	mels := randomTunes(20, 3)
	for _, cfg := range []Config{PitchOnly(), DefaultConfig(), {Viewpoints: must(ParseViewpoints("cpint,contour*dur")), Order: 3, Escape: EscapeX}} {
		cfg.Alphabet = []int{50, 55, 57, 60, 61, 62, 64, 65, 67, 69, 71, 72, 74, 76, 79, 84}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, mel := range mels {
			m.Learn(mel)
		}
		s := m.Session()
		for _, e := range tune("t", 60, 62, 84, 50, 61, 62, 64, 64, 64).Events {
			p := s.Predict(e)
			for name, d := range map[string][]float64{"ltm": p.LTM, "stm": p.STM, "both": p.Both} {
				if len(d) != len(cfg.Alphabet) {
					t.Fatalf("%s: %d probabilities for an alphabet of %d", name, len(d), len(cfg.Alphabet))
				}
				sum := 0.0
				for _, x := range d {
					if !(x > 0) {
						t.Fatalf("%s: a pitch has probability %v: every pitch of the alphabet must be possible", name, x)
					}
					sum += x
				}
				if math.Abs(sum-1) > 1e-9 {
					t.Errorf("%s: probabilities sum to %v", name, sum)
				}
			}
			s.Add(e)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestFoldsKeepTitlesApart(t *testing.T) {
	mels := randomTunes(60, 5) // 20 titles, three melodies each
	e := Evaluation{Folds: 10, Seed: 1}
	fold := e.folds(mels)
	at := map[string]int{}
	sizes := make([]int, 10)
	for i, m := range mels {
		if f, ok := at[m.Title]; ok && f != fold[i] {
			t.Errorf("title %q in folds %d and %d: learned and predicted in one fold", m.Title, f, fold[i])
		}
		at[m.Title] = fold[i]
		sizes[fold[i]]++
	}
	for f, n := range sizes {
		if n != 6 {
			t.Errorf("fold %d has %d melodies, want 6", f, n)
		}
	}
	e.Ungrouped = true
	fold = e.folds(mels)
	split := false
	for i := range mels {
		for j := range mels {
			split = split || (mels[i].Title == mels[j].Title && fold[i] != fold[j])
		}
	}
	if !split {
		t.Error("ungrouped folds kept every title together")
	}
}

func TestEvaluationDeterministic(t *testing.T) {
	mels := randomTunes(30, 9)
	e := Evaluation{Config: PitchOnly(), Folds: 5, Seed: 3}
	a, err := e.Run(context.Background(), mels)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := e.Run(context.Background(), mels)
	if a != b {
		t.Errorf("same seed, two results: %+v and %+v", a, b)
	}
	if a.Notes == 0 || a.Bits.Both <= 0 || a.Bits.Both > math.Log2(25) {
		t.Errorf("result %+v: not a cost between 0 and log2 of the alphabet", a)
	}
	if _, err := (Evaluation{Config: PitchOnly(), Folds: 10}).Run(context.Background(), mels[:9]); err == nil {
		t.Error("10 folds of 3 titles: no error")
	}
}

func TestParseViewpoint(t *testing.T) {
	for _, bad := range []string{"pitch", "dur", "dur*ioi", "cpint*dur*ioi*fib", ""} {
		if _, err := ParseViewpoints(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	v := must(ParseViewpoint("cpint*dur"))
	es := tune("t", 60, 64).Events
	a, _ := v.Symbol(es, 1, 64)
	b, _ := v.Symbol(es, 1, 65)
	if a == b {
		t.Error("cpint*dur gives one symbol to two intervals")
	}
	if _, ok := v.Symbol(es, 0, 60); ok {
		t.Error("cpint*dur defined on the first note")
	}
}
