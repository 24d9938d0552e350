package learn

import (
	"slices"

	"sideman/feel"
	"sideman/feel/eval"
)

// EvalGroove evaluates the drum feel on the Groove MIDI Dataset's test
// split: one profile learned from the whole train split, each test groove
// humanized from its quantized self. (Profiles per style were tried and
// did worse on every metric: a style's few training grooves at one or two
// tempi do not cover the test grooves of that style.) opt gives the seed,
// the draws and what to compare against; a Corpus or MinPerformances it
// leaves empty are the evaluation's own (drummers with 3 test grooves or
// more).
func EvalGroove(c Corpora, opt eval.Options) (eval.Report, error) {
	train, err := GrooveMIDI(c.groove(), GrooveOptions{Split: "train"})
	if err != nil {
		return eval.Report{}, err
	}
	test, err := GrooveMIDI(c.groove(), GrooveOptions{Split: "test"})
	if err != nil {
		return eval.Report{}, err
	}
	prof := feel.Learn("groove-train", train)
	return eval.Evaluate(test, one(prof), defaults(opt, "Groove MIDI test split", 3)), nil
}

// EvalWJazzD evaluates the soloist feel on the solos of the WJazzD
// performers held out from learning (HeldOut), against a profile learned
// from the others' solos; players with 2 held-out solos or more, unless
// opt says otherwise.
func EvalWJazzD(c Corpora, opt eval.Options) (eval.Report, error) {
	ps, err := WJazzD(c.wjazzd())
	if err != nil {
		return eval.Report{}, err
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
	return eval.Evaluate(test, one(prof), defaults(opt, "WJazzD solos of held-out performers", 2)), nil
}

// one is the same feel for every performance.
func one(p *feel.Profile) func(*feel.Performance) *feel.Profile {
	return func(*feel.Performance) *feel.Profile { return p }
}

// defaults fills in the corpus's name and the fewest performances a
// player needs where opt leaves them empty.
func defaults(opt eval.Options, corpus string, minPerfs int) eval.Options {
	if opt.Corpus == "" {
		opt.Corpus = corpus
	}
	if opt.MinPerformances == 0 {
		opt.MinPerformances = minPerfs
	}
	return opt
}
