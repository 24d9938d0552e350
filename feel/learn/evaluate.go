package learn

import (
	"slices"

	"sideman/feel"
)

// The evaluations compare against the same pieces as played ("same") or
// against the other players' performances ("others"); see feel.Evaluate.

// EvalGroove evaluates the drum feel on the Groove MIDI Dataset's test
// split: one profile learned from the whole train split, each test groove
// humanized from its quantized self. (Profiles per style were tried and
// did worse on every metric: a style's few training grooves at one or two
// tempi do not cover the test grooves of that style.)
func EvalGroove(c Corpora, seed uint64, runs int, against string) (feel.Report, error) {
	train, err := GrooveMIDI(c.groove(), GrooveOptions{Split: "train"})
	if err != nil {
		return feel.Report{}, err
	}
	test, err := GrooveMIDI(c.groove(), GrooveOptions{Split: "test"})
	if err != nil {
		return feel.Report{}, err
	}
	prof := feel.Learn("groove-train", train)
	return feel.Evaluate("Groove MIDI test split", test, func(*feel.Performance) *feel.Profile { return prof }, seed, runs, 3, against), nil
}

// EvalWJazzD evaluates the soloist feel on the solos of the WJazzD
// performers held out from learning (HeldOut), against a profile learned
// from the others' solos.
func EvalWJazzD(c Corpora, seed uint64, runs int, against string) (feel.Report, error) {
	ps, err := WJazzD(c.wjazzd())
	if err != nil {
		return feel.Report{}, err
	}
	ps = slices.DeleteFunc(ps, func(p feel.Performance) bool {
		return len(p.Hits) == 0 || p.Hits[0].Role != feel.Soloist
	})
	var train, test []feel.Performance
	for _, p := range ps {
		if HeldOut(p.Player) {
			test = append(test, p)
		} else {
			train = append(train, p)
		}
	}
	prof := feel.Learn("wjazzd-train", train)
	return feel.Evaluate("WJazzD solos of held-out performers", test, func(*feel.Performance) *feel.Profile { return prof }, seed, runs, 2, against), nil
}
