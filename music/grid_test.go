package music

import (
	"testing"
)

// The grid places ticks as a musician counts them: by bar and felt beat,
// through meter changes, compound meters and pickup bars.
func TestBeatGridLocate(t *testing.T) {
	m := func(num, den int) Meter { return Meter{Num: num, Den: den} }
	q := Ticks(PPQ)
	for _, tc := range []struct {
		name   string
		meters MeterMap
		at     Ticks
		want   Spot
	}{
		{"no meters: 4/4", nil, 5*q + 480,
			Spot{Bar: 1, BarStart: 4 * q, Meter: m(4, 4), Beat: 5, BarBeat: 1, BeatStart: 5 * q, BeatTicks: q, Offset: 480}},
		{"6/8: dotted-quarter beats", MeterMap{{0, m(6, 8)}}, 3*q + 480,
			Spot{Bar: 1, BarStart: 3 * q, Meter: m(6, 8), Beat: 2, BarBeat: 0, BeatStart: 3 * q, BeatTicks: 3 * q / 2, Offset: 480}},
		{"12/8: the fourth beat", MeterMap{{0, m(12, 8)}}, 5*q - 1,
			Spot{Bar: 0, BarStart: 0, Meter: m(12, 8), Beat: 3, BarBeat: 3, BeatStart: 9 * q / 2, BeatTicks: 3 * q / 2, Offset: q/2 - 1}},
		{"7/8: eighth beats", MeterMap{{0, m(7, 8)}}, 7*q/2 + 240,
			Spot{Bar: 1, BarStart: 7 * q / 2, Meter: m(7, 8), Beat: 7, BarBeat: 0, BeatStart: 7 * q / 2, BeatTicks: q / 2, Offset: 240}},
		{"pickup of one beat, then 4/4", MeterMap{{0, m(1, 4)}, {q, m(4, 4)}}, q + 2*q,
			Spot{Bar: 1, BarStart: q, Meter: m(4, 4), Beat: 3, BarBeat: 2, BeatStart: 3 * q, BeatTicks: q, Offset: 0}},
		{"4/4 then 3/4 then 6/8", MeterMap{{0, m(4, 4)}, {8 * q, m(3, 4)}, {11 * q, m(6, 8)}}, 11*q + 3*q + 1,
			Spot{Bar: 4, BarStart: 14 * q, Meter: m(6, 8), Beat: 13, BarBeat: 0, BeatStart: 14 * q, BeatTicks: 3 * q / 2, Offset: 1}},
		{"a map that starts late has 4/4 before it", MeterMap{{4 * q, m(3, 4)}}, 4*q + 3*q + q,
			Spot{Bar: 2, BarStart: 7 * q, Meter: m(3, 4), Beat: 8, BarBeat: 1, BeatStart: 8 * q, BeatTicks: q, Offset: 0}},
		{"a change in mid-bar ends the bar and the beat there", MeterMap{{0, m(4, 4)}, {q + q/2, m(3, 4)}}, q + q/2,
			Spot{Bar: 1, BarStart: q + q/2, Meter: m(3, 4), Beat: 2, BarBeat: 0, BeatStart: q + q/2, BeatTicks: q, Offset: 0}},
		{"of two changes at one tick the last holds", MeterMap{{0, m(4, 4)}, {4 * q, m(5, 4)}, {4 * q, m(3, 4)}}, 7 * q,
			Spot{Bar: 2, BarStart: 7 * q, Meter: m(3, 4), Beat: 7, BarBeat: 0, BeatStart: 7 * q, BeatTicks: q, Offset: 0}},
		{"an unplayable meter is left out", MeterMap{{0, m(3, 4)}, {3 * q, m(0, 4)}}, 4 * q,
			Spot{Bar: 1, BarStart: 3 * q, Meter: m(3, 4), Beat: 4, BarBeat: 1, BeatStart: 4 * q, BeatTicks: q, Offset: 0}},
	} {
		g := tc.meters.Grid()
		got := g.Locate(tc.at)
		if got != tc.want {
			t.Errorf("%s: Locate(%d) = %+v, want %+v", tc.name, tc.at, got, tc.want)
			continue
		}
		if b := g.Beat(got.Beat); b != got.BeatStart {
			t.Errorf("%s: Beat(%d) = %d, want %d", tc.name, got.Beat, b, got.BeatStart)
		}
		if at, mt := g.Bar(got.Bar); at != got.BarStart || mt != got.Meter {
			t.Errorf("%s: Bar(%d) = %d %v, want %d %v", tc.name, got.Bar, at, mt, got.BarStart, got.Meter)
		}
	}
}

// The bars a chart is played in lay out the same grid as the meter map a
// piece played from them carries.
func TestGridOfPlayedBars(t *testing.T) {
	quarter, four, three := Meter{Num: 1, Den: 4}, Meter{Num: 4, Den: 4}, Meter{Num: 3, Den: 4}
	c := &Chart{Bars: []Bar{{Meter: &quarter}, {Meter: &four, Chords: []ChordAt{{Chord: MustParseChord("C7")}}}, {}, {Meter: &three}, {}}}
	played := c.Unroll(2)
	fromBars, fromMap := GridOf(played), c.Layout(played, 120).Meters.Grid()
	for i, pb := range played {
		for _, g := range []*BeatGrid{fromBars, fromMap} {
			if at, m := g.Bar(i); at != pb.Start || m != pb.Meter {
				t.Fatalf("bar %d: grid says %d %v, played at %d %v", i, at, m, pb.Start, pb.Meter)
			}
		}
	}
	end := played[len(played)-1].End()
	for at := Ticks(0); at < end; at += 37 {
		if a, b := fromBars.Locate(at), fromMap.Locate(at); a != b {
			t.Fatalf("tick %d: from the bars %+v, from the meter map %+v", at, a, b)
		}
	}
}

func TestSpotSlot(t *testing.T) {
	s := Spot{BeatTicks: PPQ}
	for _, tc := range []struct {
		offset Ticks
		per    int
		slot   int
		exact  bool
	}{
		{0, 2, 0, true}, {480, 2, 1, true}, {614, 2, 1, false}, {320, 3, 1, true}, {700, 3, 2, false}, {720, 4, 3, true},
	} {
		s.Offset = tc.offset
		if slot, exact := s.Slot(tc.per); slot != tc.slot || exact != tc.exact {
			t.Errorf("offset %d in %d: slot %d %v, want %d %v", tc.offset, tc.per, slot, exact, tc.slot, tc.exact)
		}
	}
}

// FuzzBeatGrid checks the grid against counting the beats one by one,
// for any meter map.
func FuzzBeatGrid(f *testing.F) {
	f.Add([]byte{4, 4, 0, 3, 4, 8, 6, 8, 4}, uint32(20000))
	f.Add([]byte{1, 4, 0, 4, 4, 1}, uint32(5000))
	f.Add([]byte{7, 8, 0, 12, 8, 3, 5, 4, 200}, uint32(99999))
	f.Fuzz(func(t *testing.T, spec []byte, at uint32) {
		// Each change is three bytes: numerator, denominator (as a
		// power of two), and the eighths since the last change.
		var mm MeterMap
		var pos Ticks
		for i := 0; i+2 < len(spec) && len(mm) < 16; i += 3 {
			pos += Ticks(spec[i+2]) * PPQ / 2
			mm = append(mm, MeterChange{At: pos, Meter: Meter{Num: int(spec[i]), Den: 1 << (spec[i+1] % 8)}})
		}
		g := mm.Grid()
		tick := Ticks(at % 400000)
		got := g.Locate(tick)
		want := countBeats(mm, tick)
		if got != want {
			t.Fatalf("%v: Locate(%d) = %+v, counted %+v", mm, tick, got, want)
		}
		if b := g.Beat(got.Beat); b != got.BeatStart {
			t.Fatalf("%v: Beat(%d) = %d, want %d", mm, got.Beat, b, got.BeatStart)
		}
		if at, m := g.Bar(got.Bar); at != got.BarStart || m != got.Meter {
			t.Fatalf("%v: Bar(%d) = %d %v, want %d %v", mm, got.Bar, at, m, got.BarStart, got.Meter)
		}
	})
}

// countBeats walks the meter map bar by bar and beat by beat up to t,
// the slow way the grid must agree with.
func countBeats(mm MeterMap, t Ticks) Spot {
	meterAt := func(at Ticks) (Meter, Ticks) { // the meter at a tick and where the next change is
		cur, next := DefaultMeter, Ticks(1<<62)
		for _, c := range mm {
			if !c.Meter.Valid() {
				continue
			}
			if c.At <= at {
				cur = c.Meter
			} else if c.At < next {
				next = c.At
			}
		}
		return cur, next
	}
	s := Spot{}
	bar, beat := Ticks(0), Ticks(0)
	barNo, beatNo := 0, 0
	for {
		m, next := meterAt(bar)
		s.Meter = m
		beat = bar
		for b := 0; b < m.Beats(); b++ {
			end := min(beat+m.BeatTicks(), next)
			if t < end {
				return Spot{Bar: barNo, BarStart: bar, Meter: m, Beat: beatNo, BarBeat: b, BeatStart: beat, BeatTicks: m.BeatTicks(), Offset: t - beat}
			}
			beat, beatNo = end, beatNo+1
			if end == next {
				break
			}
		}
		bar, barNo = beat, barNo+1
	}
}
