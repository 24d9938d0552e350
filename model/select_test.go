package model

import (
	"context"
	"strings"
	"testing"
)

func TestSelectViewpoints(t *testing.T) {
	mels := randomTunes(24, 5)
	cands := must(ParseViewpoints("cpitch,cpint,contour,cpint*dur,cpintfip"))
	e := Evaluation{Config: PitchOnly(), Folds: 4}
	var told []Step
	steps, err := SelectViewpoints(context.Background(), e, mels, cands, func(s Step) { told = append(told, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 || len(told) != len(steps) {
		t.Fatalf("%d steps, %d told", len(steps), len(told))
	}
	t.Logf("%+v", steps)
	for i := 1; i < len(steps); i++ {
		if steps[i].Bits >= steps[i-1].Bits {
			t.Errorf("step %d: %.4f bits, not fewer than %.4f before", i, steps[i].Bits, steps[i-1].Bits)
		}
	}
	last := steps[len(steps)-1]
	// The set chosen does at least as well as any candidate alone, and
	// its figure is what evaluating it gives.
	for _, c := range cands {
		e1 := e
		e1.Config.Viewpoints = []Viewpoint{c}
		r := must(e1.Run(context.Background(), mels))
		if r.Bits.Both < last.Bits {
			t.Errorf("%s alone: %.4f bits, fewer than the selection's %.4f", c.Name, r.Bits.Both, last.Bits)
		}
	}
	e.Config.Viewpoints = must(ParseViewpoints(last.Viewpoints))
	if r := must(e.Run(context.Background(), mels)); r.Bits.Both != last.Bits {
		t.Errorf("%s: %.6f bits evaluated again, %.6f in the selection", last.Viewpoints, r.Bits.Both, last.Bits)
	}
	again, _ := SelectViewpoints(context.Background(), Evaluation{Config: PitchOnly(), Folds: 4}, mels, cands, nil)
	if again[len(again)-1] != last {
		t.Errorf("selected %+v, then %+v", last, again[len(again)-1])
	}
	if _, err := SelectViewpoints(context.Background(), e, mels, nil, nil); err == nil {
		t.Error("no candidates: no error")
	}
}

// TestSelectChoraleViewpoints runs the selection of docs/model.md on the
// 370 chorales (grouped folds) over Candidates less the chord ones
// (undefined on the chorales).
func TestSelectChoraleViewpoints(t *testing.T) {
	figures(t)
	mels := readChorales(t)
	var cands []Viewpoint
	for _, v := range must(ParseViewpoints(Candidates)) {
		if !strings.Contains(v.Name, "froot") && !strings.Contains(v.Name, "chordtone") {
			cands = append(cands, v)
		}
	}
	steps, err := SelectViewpoints(context.Background(), Evaluation{Config: DefaultConfig()}, mels, cands, func(s Step) {
		t.Logf("%.4f bits: %s", s.Bits, s.Viewpoints)
	})
	if err != nil {
		t.Fatal(err)
	}
	last := steps[len(steps)-1]
	r := must(Evaluation{Config: DefaultConfig()}.Run(context.Background(), mels))
	t.Logf("chosen %s: %.3f bits; default set %.3f", last.Viewpoints, last.Bits, r.Bits.Both)
}
