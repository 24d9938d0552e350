package music

import "testing"

// A pickup leads into the form once; a short last bar that balances it
// makes it part of every chorus; a full first bar with no chord and a
// melody that starts late is a pickup too (lead sheets write it so); a
// first bar a repeat returns to is part of the form.
func TestUnrollPickup(t *testing.T) {
	quarter := Meter{Num: 1, Den: 4}
	three := Meter{Num: 3, Den: 4}
	four := Meter{Num: 4, Den: 4}
	c7 := []ChordAt{{Chord: MustParseChord("C7")}}
	f7 := []ChordAt{{Chord: MustParseChord("F7")}}
	late := []Note{{Pitch: 67, Velocity: 80, Start: 3 * PPQ, Duration: PPQ}}
	early := []Note{{Pitch: 67, Velocity: 80, Start: 0, Duration: PPQ}}
	for _, tc := range []struct {
		name   string
		bars   []Bar
		pickup bool
		want   []int // written bars of two choruses
	}{
		{"short pickup, full last bar", []Bar{{Meter: &quarter, Notes: early}, {Meter: &four, Chords: c7}, {Chords: f7}}, true, []int{0, 1, 2, 1, 2}},
		{"short pickup balanced by the last bar", []Bar{{Meter: &quarter}, {Meter: &four, Chords: c7}, {Meter: &three, Chords: f7}}, true, []int{0, 1, 2, 0, 1, 2}},
		{"full bar, no chord, melody late", []Bar{{Notes: late}, {Chords: c7}, {Chords: f7}}, true, []int{0, 1, 2, 1, 2}},
		{"full bar, no chord, melody on 1", []Bar{{Notes: early}, {Chords: c7}, {Chords: f7}}, false, []int{0, 1, 2, 0, 1, 2}},
		{"a repeat starts there", []Bar{{Meter: &quarter, RepeatStart: true}, {Meter: &four, Chords: c7}, {Chords: f7}}, false, []int{0, 1, 2, 0, 1, 2}},
		{"a chord bar", []Bar{{Chords: c7}, {Chords: f7}}, false, []int{0, 1, 0, 1}},
	} {
		c := &Chart{Bars: tc.bars}
		if got := c.Pickup(); got != tc.pickup {
			t.Errorf("%s: Pickup %v, want %v", tc.name, got, tc.pickup)
		}
		played := c.Unroll(2)
		var got []int
		var at Ticks
		for _, pb := range played {
			got = append(got, pb.Index)
			if pb.Start != at {
				t.Errorf("%s: bar %d starts at %d, want %d", tc.name, pb.Index, pb.Start, at)
			}
			at += pb.Meter.BarTicks()
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: played %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: played %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}
