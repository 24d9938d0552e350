package c2pa

import (
	"fmt"
	"slices"
)

// Actions is the actions a file's manifest lists, from the digital source
// types of its notes' records (terms or URIs, as the ledger gives them)
// and its counts by class:
//
//   - c2pa.created with the one source type of the made notes, or a
//     composite when they mix: compositeWithTrainedAlgorithmicMedia when
//     a trained model made any, compositeSynthetic when a rule-based
//     generator did (IPTC: "at least one of which is synthetic"),
//     composite for people's notes alone (played and typed);
//   - c2pa.edited algorithmicallyEnhanced when H+alg notes were processed
//     (quantize, humanize, transpose);
//   - c2pa.edited humanEdits when M+h notes were changed by a person.
//
// humanEdits and algorithmicallyEnhanced among types are edits, not a
// way notes were made. Types that are not IPTC terms are left out; with
// none left, the file is taken as algorithmicMedia, so that a machine's
// part is never understated.
func Actions(types []string, c Counts) []Action {
	var made []string
	for _, t := range types {
		u := SourceType(t)
		if u == "" || u == HumanEdits || u == AlgorithmicallyEnhanced || slices.Contains(made, u) {
			continue
		}
		made = append(made, u)
	}
	created := AlgorithmicMedia
	switch {
	case len(made) == 1:
		created = made[0]
	case slices.Contains(made, TrainedAlgorithmicMedia) || slices.Contains(made, CompositeWithTrainedAlgorithmicMedia):
		created = CompositeWithTrainedAlgorithmicMedia
	case slices.Contains(made, AlgorithmicMedia) || slices.Contains(made, SourceTypePrefix+"compositeSynthetic"):
		created = SourceTypePrefix + "compositeSynthetic"
	case len(made) > 1:
		created = SourceTypePrefix + "composite"
	}
	out := []Action{{Action: ActionCreated, SourceType: created,
		Description: fmt.Sprintf("%d notes: %d human, %d machine", c.H+c.HAlg+c.M+c.MH, c.H+c.HAlg, c.M+c.MH)}}
	if c.HAlg > 0 {
		out = append(out, Action{Action: ActionEdited, SourceType: AlgorithmicallyEnhanced,
			Description: fmt.Sprintf("%d human notes processed by an algorithm", c.HAlg)})
	}
	if c.MH > 0 {
		out = append(out, Action{Action: ActionEdited, SourceType: HumanEdits,
			Description: fmt.Sprintf("%d machine notes changed by a person", c.MH)})
	}
	return out
}
