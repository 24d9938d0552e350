package feel

import (
	"math"
	"sort"

	"sideman/feel/stats"
)

// The measures of a performance that profiles are learned from and the
// evaluation compares (feel/eval): the numbers on samples they lead to
// are package feel/stats.

// BeatUpbeatRatios lists the performance's beat-upbeat ratios for the
// given role ("" for all roles together): for each beat with a note on
// the beat, one on the eighth-note upbeat, none between, none after the
// upbeat in the beat, and a note on the next beat, the ratio of the first
// eighth's length to the second's (Corcoran and Frieler 2021). 1 is
// straight, 2 the triplet swing.
func (p *Performance) BeatUpbeatRatios(role string) []float64 {
	r, _ := p.beatUpbeatPairs(role)
	return r
}

// beatUpbeatPairs is BeatUpbeatRatios with the slot of each pair's
// upbeat: Learn keeps pairs written straight and as triplets apart.
func (p *Performance) beatUpbeatPairs(role string) ([]float64, []Slot) {
	type beat struct {
		upSlot   Slot
		down, up float64
		hasDown  bool
		hasUp    bool
		inside   bool // a note between the downbeat and the next beat other than the upbeat
	}
	beats := map[int]*beat{}
	at := func(i int) *beat {
		b := beats[i]
		if b == nil {
			b = &beat{}
			beats[i] = b
		}
		return b
	}
	for _, h := range p.Hits {
		if role != "" && h.Role != role || h.Slot == OffGrid {
			continue
		}
		b := at(h.Beat)
		switch {
		case h.Slot == SlotBeat:
			if !b.hasDown || h.Time < b.down {
				b.down, b.hasDown = h.Time, true
			}
		case h.Slot.Upbeat():
			if b.hasUp && math.Abs(h.Time-b.up) > 0.03 {
				b.inside = true
			}
			if !b.hasUp || h.Time < b.up {
				b.up, b.hasUp, b.upSlot = h.Time, true, h.Slot
			}
		default:
			b.inside = true
		}
	}
	keys := make([]int, 0, len(beats))
	for k := range beats {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []float64
	var slots []Slot
	for _, k := range keys {
		b := beats[k]
		next := beats[k+1]
		if !b.hasDown || !b.hasUp || b.inside || next == nil || !next.hasDown {
			continue
		}
		first, second := b.up-b.down, next.down-b.up
		if first <= 0 || second <= 0 {
			continue
		}
		out = append(out, first/second)
		slots = append(slots, b.upSlot)
	}
	return out, slots
}

// TimingSeries is a performance's timing fluctuation for one role ("" for
// all): the deviation from the grid averaged over each beat that has
// notes on the grid, after the mean deviation of each slot is taken out.
// It is the series the fluctuation exponent (DFA) is measured on.
func (p *Performance) TimingSeries(role string) []float64 {
	var sum [slotsInBeat]float64
	var cnt [slotsInBeat]int
	for _, h := range p.Hits {
		if (role == "" || h.Role == role) && h.Slot != OffGrid {
			sum[h.Slot] += h.Dev()
			cnt[h.Slot]++
		}
	}
	var out []float64
	beat, acc, n := math.MinInt, 0.0, 0
	flush := func() {
		if n > 0 {
			out = append(out, acc/float64(n))
		}
		acc, n = 0, 0
	}
	for _, h := range p.Hits {
		if (role != "" && h.Role != role) || h.Slot == OffGrid {
			continue
		}
		if h.Beat != beat {
			flush()
			beat = h.Beat
		}
		acc += h.Dev() - sum[h.Slot]/float64(cnt[h.Slot])
		n++
	}
	flush()
	return out
}

// VelocityResiduals lists, per role, the natural log of each note's
// velocity over the median velocity of the role's notes at the same
// position (bar beat and slot) in the performance, for positions with
// four notes or more: how far a player strays from the dynamic they play
// there, the dynamics they mean taken out. A kit piece's notes are
// compared with those of the same key only: an open hi-hat or a rim shot
// is another sound, played at a level of its own.
func (p *Performance) VelocityResiduals() map[string][]float64 {
	type key struct {
		role  string
		pitch uint8
		pos   int // Position's place in the four-beat cycle
	}
	at := map[key][]float64{}
	var order []key
	for _, h := range p.Hits {
		if h.Slot == OffGrid || h.Velocity <= 0 {
			continue
		}
		k := key{role: h.Role, pos: h.BarBeat%4*slotsInBeat + int(h.Slot)}
		if h.Role != Soloist && h.Role != Bass && h.Role != Piano {
			k.pitch = h.Pitch
		}
		if at[k] == nil {
			order = append(order, k)
		}
		at[k] = append(at[k], float64(h.Velocity))
	}
	out := map[string][]float64{}
	for _, k := range order {
		v := at[k]
		if len(v) < 4 {
			continue
		}
		m := stats.Median(v)
		for _, x := range v {
			out[k.role] = append(out[k.role], math.Log(x/m))
		}
	}
	return out
}
