package c2pa

import "testing"

func TestActions(t *testing.T) {
	for _, c := range []struct {
		name   string
		types  []string
		counts Counts
		want   []string // source types, created first
	}{
		{"band alone", []string{"algorithmicMedia"}, Counts{M: 300}, []string{AlgorithmicMedia}},
		{"a model's solo alone", []string{TrainedAlgorithmicMedia}, Counts{M: 40}, []string{TrainedAlgorithmicMedia}},
		{"played with a band and a model", []string{"digitalCapture", "algorithmicMedia", "trainedAlgorithmicMedia"}, Counts{H: 10, M: 90}, []string{CompositeWithTrainedAlgorithmicMedia}},
		{"typed with a band", []string{"digitalCreation", "algorithmicMedia"}, Counts{H: 10, M: 90}, []string{SourceTypePrefix + "compositeSynthetic"}},
		{"played and typed", []string{"digitalCapture", "digitalCreation"}, Counts{H: 20}, []string{SourceTypePrefix + "composite"}},
		{"humanized and edited", []string{"digitalCapture", "algorithmicallyEnhanced", "algorithmicMedia", "humanEdits"}, Counts{HAlg: 5, M: 50, MH: 3},
			[]string{SourceTypePrefix + "compositeSynthetic", AlgorithmicallyEnhanced, HumanEdits}},
		{"nothing known", []string{"madeUp"}, Counts{M: 1}, []string{AlgorithmicMedia}},
	} {
		got := Actions(c.types, c.counts)
		ok := len(got) == len(c.want) && got[0].Action == ActionCreated
		for i := range got {
			ok = ok && i < len(c.want) && got[i].SourceType == c.want[i] && (i == 0 || got[i].Action == ActionEdited)
		}
		if !ok {
			t.Errorf("%s: %+v, want source types %v", c.name, got, c.want)
		}
		in := sampleInputs()
		in.Actions, in.Counts = got, c.counts
		if err := in.check(); err != nil {
			t.Errorf("%s: the actions do not make valid inputs: %v", c.name, err)
		}
	}
}
