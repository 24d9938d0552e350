package trade

import (
	"context"
	"slices"
	"testing"

	"sideman/music"
)

// A sketch is the answer as it would be now, and asking for one leaves
// the Trader as it was: a trader sketched at every note answers both
// turns with the very notes (ids too) of one never sketched, and its
// last sketch before the cutoff is the answer, but for the ids.
func TestSketch(t *testing.T) {
	key := func(ns []music.Note) [][5]int {
		var out [][5]int
		for _, n := range ns {
			out = append(out, [5]int{int(n.ID), int(n.Pitch), int(n.Start), int(n.Duration), int(n.Velocity)})
		}
		return out
	}
	noIDs := func(k [][5]int) [][5]int {
		out := slices.Clone(k)
		for i := range out {
			out[i][0] = 0
		}
		return out
	}
	ctx := context.Background()
	play := func(sketch bool) (answers [][][5]int, last [][5]int, sketches int) {
		tr := newTrader(t, 7)
		turn := func(notes []music.Note, cutoff music.Ticks) {
			for _, n := range notes {
				tr.Play(n)
				if !sketch {
					continue
				}
				s, err := tr.Sketch(ctx, cutoff)
				if err != nil {
					t.Fatal(err)
				}
				sketches++
				last = key(s.Notes)
			}
			a, err := tr.Answer(ctx, cutoff)
			if err != nil {
				t.Fatal(err)
			}
			answers = append(answers, key(a.Notes))
		}
		turn(phrase(200, 1), 4*bar-19)
		second := phrase(300, 1000)
		for i := range second {
			second[i].Start += 8 * bar
		}
		turn(second, 12*bar-19)
		return answers, last, sketches
	}
	plain, _, _ := play(false)
	sketched, last, n := play(true)
	if n == 0 {
		t.Fatal("no sketches made")
	}
	for i := range plain {
		if !slices.Equal(plain[i], sketched[i]) {
			t.Errorf("answer %d: sketching changed it:\n%v\n%v", i+1, plain[i], sketched[i])
		}
	}
	if len(last) == 0 || !slices.Equal(noIDs(last), noIDs(sketched[1])) {
		t.Errorf("the last sketch is not the answer:\n%v\n%v", last, sketched[1])
	}
	for _, k := range last {
		for _, a := range sketched[1] {
			if k[0] == a[0] {
				t.Fatalf("a sketch note took answer id %d", k[0])
			}
		}
	}
}
