package meltysynth

import (
	"fmt"
)

// sideman: this file checks what the synthesizer later indexes with, so
// a malformed SoundFont is refused when it is loaded, with an error that
// says which record is wrong, instead of making the synthesizer index
// out of range while it plays (upstream panicked, at load or at a note).

// checkBags checks a preset or instrument list against its bag and the
// bag against its generators: the zone indices of the headers (their
// terminal record included) must not decrease and must stay within the
// bag, and so must the generator indices of the bag within the
// generators. kind names the headers ("preset" or "instrument"), bag and
// gen the chunks ("pbag", "pgen" or "ibag", "igen").
func checkBags(kind, bag, gen string, names []string, starts []int32, zones []*zoneInfo, generators []generator) error {
	for i := 0; i+1 < len(starts); i++ {
		if starts[i] > starts[i+1] {
			return fmt.Errorf("%s %d (%q): its zones start at %s %d, after the next %s's %d", kind, i, names[i], bag, starts[i], kind, starts[i+1])
		}
	}
	if n := len(starts); n > 0 && int(starts[n-1]) > len(zones)-1 {
		return fmt.Errorf("the %ss' zones end at %s %d, but the %s chunk holds %d zones", kind, bag, starts[n-1], bag, max(len(zones)-1, 0))
	}
	for i := 0; i+1 < len(zones); i++ {
		if zones[i].generatorIndex > zones[i+1].generatorIndex {
			return fmt.Errorf("%s zone %d: its generators start at %s %d, after the next zone's %d", bag, i, gen, zones[i].generatorIndex, zones[i+1].generatorIndex)
		}
	}
	if n := len(zones); n > 0 && int(zones[n-1].generatorIndex) > len(generators) {
		return fmt.Errorf("the %s zones' generators end at %s %d, but the %s chunk holds %d generators", bag, gen, zones[n-1].generatorIndex, gen, len(generators))
	}
	return nil
}

// checkSamples checks every instrument region's sample against the sample
// data: its sample rate must be positive, its start and end (the sample
// header's, moved by the region's address offsets) must lie in the data
// with the start before the end, and where the region loops, so must the
// loop. The oscillator reads the point after each one it plays, so an end
// must leave one point of data after it.
func checkSamples(sf *SoundFont) error {
	n := int64(len(sf.WaveData))
	for _, inst := range sf.Instruments {
		for _, reg := range inst.Regions {
			h := reg.Sample
			where := fmt.Sprintf("sample %q", h.Name)
			if reg.GetStartAddressOffset() != 0 || reg.GetEndAddressOffset() != 0 ||
				reg.GetStartLoopAddressOffset() != 0 || reg.GetEndLoopAddressOffset() != 0 {
				where = fmt.Sprintf("instrument %q, sample %q with the zone's address offsets", inst.Name, h.Name)
			}
			if h.SampleRate <= 0 {
				return fmt.Errorf("sample %q: sample rate %d", h.Name, h.SampleRate)
			}
			// The offsets are sums of int32s: int64, so they cannot wrap.
			start := int64(h.Start) + int64(reg.GetStartAddressOffset())
			end := int64(h.End) + int64(reg.GetEndAddressOffset())
			if start < 0 || end >= n || start >= end {
				return fmt.Errorf("%s: start %d, end %d, outside the %d points of sample data", where, start, end, n)
			}
			if reg.GetSampleModes() == loop_NoLoop {
				continue
			}
			startLoop := int64(h.StartLoop) + int64(reg.GetStartLoopAddressOffset())
			endLoop := int64(h.EndLoop) + int64(reg.GetEndLoopAddressOffset())
			if startLoop < 0 || endLoop >= n || startLoop >= endLoop {
				return fmt.Errorf("%s: loop %d to %d, outside the %d points of sample data", where, startLoop, endLoop, n)
			}
		}
	}
	return nil
}
