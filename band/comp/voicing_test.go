package comp

import (
	"slices"
	"testing"

	"sideman/music"
)

func pcsOf(keys []int) []int {
	var out []int
	for _, k := range keys {
		out = append(out, k%12)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func hasPC(keys []int, pc int) bool {
	return slices.ContainsFunc(keys, func(k int) bool { return k%12 == pc })
}

// The A and B forms of Levine's ii-V-I in C (The Jazz Piano Book, ch. 4):
// Dm9 F-A-C-E / C-E-F-A, G13 F-A-B-E / B-E-F-A, Cmaj9 E-G-B-D / B-D-E-G.
func TestRootlessForms(t *testing.T) {
	for _, tc := range []struct {
		chord string
		kind  Kind
		want  []int // pitch classes bottom-up
	}{
		{"Dm7", RootlessA, []int{5, 9, 0, 4}},
		{"Dm7", RootlessB, []int{0, 4, 5, 9}},
		{"G7", RootlessB, []int{5, 9, 11, 4}},
		{"G7", RootlessA, []int{11, 4, 5, 9}},
		{"Cmaj7", RootlessA, []int{4, 7, 11, 2}},
		{"Cmaj7", RootlessB, []int{11, 2, 4, 7}},
		{"C6", RootlessA, []int{4, 7, 9, 2}},
		{"Bm7b5", RootlessA, []int{2, 5, 9, 11}}, // the root for the 9th
	} {
		ch := music.MustParseChord(tc.chord)
		found := false
		for _, v := range Voicings(ch, []Kind{tc.kind}, false) {
			var got []int
			for _, k := range v.Keys {
				got = append(got, k%12)
			}
			found = found || slices.Equal(got, tc.want)
		}
		if !found {
			t.Errorf("%s %s: no voicing %v among %v", tc.chord, tc.kind, tc.want, Voicings(ch, []Kind{tc.kind}, false))
		}
	}
}

// Written extensions and alterations sound in every voicing of every kind.
func TestAlterationsHonoured(t *testing.T) {
	kinds := []Kind{RootlessA, RootlessB, Drop2, Shell, Close}
	for _, tc := range []struct {
		chord string
		want  []int // pitch classes every voicing holds
		any   []int // and one of these
	}{
		{"C7b9", []int{1, 4, 10}, nil},
		{"C7#9", []int{3, 4, 10}, nil},
		{"C7alt", []int{4, 10, 8}, []int{1, 3}},
		{"Cmaj7#11", []int{6, 4, 11}, nil},
		{"C7#11", []int{6, 4, 10}, nil},
		{"C13", []int{9, 4, 10}, nil},
		{"C7b13", []int{8, 4, 10}, nil},
		{"C7(b9,#11)", []int{1, 6, 4, 10}, nil},
		{"C9", []int{2, 4, 10}, nil},
		{"Cm11", []int{5, 3, 10}, nil},
		{"C7#5", []int{8, 4, 10}, nil},
		{"Cm7b5", []int{3, 6, 10}, nil},
	} {
		ch := music.MustParseChord(tc.chord)
		vs := Voicings(ch, kinds, false)
		if len(vs) == 0 {
			t.Errorf("%s: no voicings", tc.chord)
		}
		for _, v := range vs {
			for _, pc := range tc.want {
				if !hasPC(v.Keys, pc) {
					t.Errorf("%s %s %v lacks pitch class %d", tc.chord, v.Kind, v.Keys, pc)
				}
			}
			if tc.any != nil && !slices.ContainsFunc(tc.any, func(pc int) bool { return hasPC(v.Keys, pc) }) {
				t.Errorf("%s %s %v has none of %v", tc.chord, v.Kind, v.Keys, tc.any)
			}
		}
	}
}

// A dominant resolving to a minor chord takes b9 and b13: G7 to Cm is
// played G7(b9,b13).
func TestDominantToMinor(t *testing.T) {
	g7 := music.MustParseChord("G7")
	for _, v := range Voicings(g7, []Kind{RootlessA, RootlessB}, true) {
		if !hasPC(v.Keys, 8) || !hasPC(v.Keys, 3) {
			t.Errorf("G7 to minor: %v lacks Ab and Eb", v.Keys)
		}
	}
	for _, v := range Voicings(g7, []Kind{RootlessA, RootlessB}, false) {
		if hasPC(v.Keys, 8) {
			t.Errorf("G7 to major: %v has Ab", v.Keys)
		}
	}
}

func TestLowIntervalLimits(t *testing.T) {
	for _, tc := range []struct {
		keys []int
		bad  bool
	}{
		{[]int{52, 53}, false}, // E3-F3: a minor 2nd at its limit
		{[]int{51, 52}, true},  // Eb3-E3
		{[]int{46, 50}, false}, // Bb2-D3: major 3rd at its limit
		{[]int{45, 49}, true},  // A2-C#3
		{[]int{45, 48}, true},  // A2-C3: a minor 3rd below C3
		{[]int{34, 41}, false}, // Bb1-F2: the fifth
		{[]int{33, 40}, true},  // A1-E2
		{[]int{45, 50}, false}, // A2-D3: a fourth
		{[]int{44, 49}, true},  // Ab2-Db3
		{[]int{46, 52}, true},  // Bb2-E3: tritone below B2
		{[]int{41, 51}, false}, // F2-Eb3: minor 7th
		{[]int{40, 50}, true},  // E2-D3
		{[]int{36, 48}, false}, // an octave has no limit
		{[]int{36, 49}, false}, // nor a ninth
		{[]int{48, 52, 55, 59}, false},
		{[]int{41, 45, 48, 52}, true}, // F2-A2 mud
	} {
		_, _, bad := LowIntervalViolation(tc.keys)
		if bad != tc.bad {
			t.Errorf("%v: violation %v, want %v", tc.keys, bad, tc.bad)
		}
	}
}

func TestMinorNinth(t *testing.T) {
	if !MinorNinth([]int{48, 61}) || !MinorNinth([]int{61, 48, 70}) || MinorNinth([]int{48, 49}) || MinorNinth([]int{48, 62}) {
		t.Error("MinorNinth")
	}
	// No voicing of an unaltered chord holds one.
	for _, sym := range []string{"Cmaj7", "C7", "Cm7", "C6", "Cm(maj7)", "Cdim7", "C7sus4", "Cmaj7#11", "C13", "Cm7b5", "C", "Cm"} {
		for _, v := range Voicings(music.MustParseChord(sym), []Kind{RootlessA, RootlessB, Drop2, Shell, Close, Quartal, Montuno}, false) {
			if MinorNinth(v.Keys) {
				t.Errorf("%s %s %v has a minor ninth", sym, v.Kind, v.Keys)
			}
		}
	}
}

// The "So What" voicing of D dorian: D G C F A, three fourths and a
// major third, holding the chord's third and seventh.
func TestQuartal(t *testing.T) {
	vs := Voicings(music.MustParseChord("Dm7"), []Kind{Quartal}, false)
	found := false
	for _, v := range vs {
		if slices.Equal(v.Keys, []int{50, 55, 60, 65, 69}) || slices.Equal(v.Keys, []int{62, 67, 72, 77, 81}) {
			found = true
		}
		if !hasPC(v.Keys, 5) || !hasPC(v.Keys, 0) {
			t.Errorf("quartal %v lacks F or C", v.Keys)
		}
	}
	if !found {
		t.Errorf("no So What voicing among %v", vs)
	}
	if len(Voicings(music.MustParseChord("G7"), []Kind{Quartal}, false)) != 0 {
		t.Error("quartal voicings are for minor sevenths")
	}
}

func TestParseCells(t *testing.T) {
	cs, err := parseCells("1. 2+_ | 2+_:90 7~", 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].bars != 1 || cs[1].bars != 2 || !cs[0].hits[0].short || !cs[0].hits[1].long ||
		cs[1].hits[0].vel != 90 || !cs[1].hits[1].roll || cs[1].hits[1].pos != 6 {
		t.Errorf("cells %+v", cs)
	}
	for _, bad := range []string{"9", "1 x", "2+:300"} {
		if _, err := parseCells(bad, 4); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
