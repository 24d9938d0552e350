package music

import (
	"slices"
	"testing"
)

// A grouping is read in every spelling a chart writer uses, kept in one
// canonical form (so equal meters compare equal) and written back so it
// reads again the same.
func TestMeterGroupingParse(t *testing.T) {
	for _, tc := range []struct {
		in     string
		num    int
		den    int
		groups string
	}{
		{"7/4 (4+3)", 7, 4, "4+3"},
		{"7/4(4+3)", 7, 4, "4+3"},
		{"7/4 ( 3 + 4 )", 7, 4, "3+4"},
		{"2+2+3/8", 7, 8, "2+2+3"},
		{"(3+3+2)/8", 8, 8, "3+3+2"},
		{"5/4 (5)", 5, 4, "5"},
		{"7/4", 7, 4, ""},
	} {
		m, err := ParseMeter(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if m.Num != tc.num || m.Den != tc.den || m.Groups != tc.groups {
			t.Errorf("%s: got %d/%d groups %q, want %d/%d %q", tc.in, m.Num, m.Den, m.Groups, tc.num, tc.den, tc.groups)
		}
		back, err := ParseMeter(m.String())
		if err != nil || back != m {
			t.Errorf("%s: written %q reads back as %v (%v)", tc.in, m.String(), back, err)
		}
	}
	for _, bad := range []string{"7/4 (4+4)", "7/4 (4+3", "7/4 (4+x)", "7/4 (0+7)", "8/4 (4+3)", "4+3/4 (4+3)", "7/3 (4+3)", "7/4 ()"} {
		if m, err := ParseMeter(bad); err == nil {
			t.Errorf("meter %q parsed as %v", bad, m)
		}
	}
	if (Meter{Num: 7, Den: 4, Groups: "4+4"}).Valid() || (Meter{Num: 7, Den: 4, Groups: "4 + 3"}).Valid() {
		t.Error("a grouping that does not add up, or is not written canonically, is valid")
	}
}

// The defaults are the readings named in DefaultGroups' comment; every
// default adds up to the bar, and the common meters keep the pairs the
// band has always played (4/4 as 2+2).
func TestMeterDefaultGroups(t *testing.T) {
	for _, tc := range []struct {
		meter string
		want  []int
	}{
		{"2/4", []int{2}}, {"3/4", []int{3}}, {"4/4", []int{2, 2}}, {"6/4", []int{2, 2, 2}},
		{"5/4", []int{3, 2}}, {"7/4", []int{4, 3}}, {"9/4", []int{4, 2, 3}}, {"11/4", []int{4, 4, 3}},
		{"6/8", []int{3, 3}}, {"9/8", []int{3, 3, 3}}, {"12/8", []int{3, 3, 3, 3}},
		{"5/8", []int{3, 2}}, {"7/8", []int{2, 2, 3}}, {"8/8", []int{3, 3, 2}}, {"10/8", []int{3, 3, 2, 2}},
		{"11/8", []int{3, 3, 3, 2}}, {"13/8", []int{3, 3, 3, 2, 2}}, {"3/8", []int{3}}, {"2/2", []int{2}},
	} {
		m, err := ParseMeter(tc.meter)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Grouping(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: default grouping %v, want %v", tc.meter, got, tc.want)
		}
	}
	for num := 1; num <= 32; num++ {
		for _, den := range []int{1, 2, 4, 8, 16} {
			g := DefaultGroups(num, den)
			if groupSum(g) != num {
				t.Errorf("%d/%d: default %v adds up to %d", num, den, g, groupSum(g))
			}
			if m := (Meter{Num: num, Den: den, Groups: joinGroups(g)}); !m.Valid() {
				t.Errorf("%d/%d: default %v is not a valid grouping", num, den, g)
			}
		}
	}
}

func TestMeterGroupStarts(t *testing.T) {
	for _, tc := range []struct {
		meter string
		want  []Ticks // in quarters' worth of ticks
	}{
		{"7/4 (4+3)", []Ticks{0, 4 * PPQ}},
		{"7/4 (3+4)", []Ticks{0, 3 * PPQ}},
		{"7/4", []Ticks{0, 4 * PPQ}},
		{"5/4", []Ticks{0, 3 * PPQ}},
		{"7/8", []Ticks{0, PPQ, 2 * PPQ}},
		{"6/8", []Ticks{0, 3 * PPQ / 2}},
	} {
		m, _ := ParseMeter(tc.meter)
		if got := m.GroupStarts(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: group starts %v, want %v", tc.meter, got, tc.want)
		}
		for _, s := range tc.want {
			if !m.GroupStart(s) || m.GroupStart(s+1) {
				t.Errorf("%s: GroupStart(%d) disagrees with GroupStarts", tc.meter, s)
			}
		}
	}
}

// Counting a bar in other units keeps the bar, and a written grouping in
// ticks.
func TestMeterRecount(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"3/2 (2+1)", "6/4 (4+2)"}, {"2/2", "4/4"}, {"7/8 (3+2+2)", "7/8 (3+2+2)"},
	} {
		m, _ := ParseMeter(tc.in)
		const den = 4 // 7/8 cannot be counted in whole quarters: it stays
		r := m.Recount(den)
		if r.String() != tc.want {
			t.Errorf("%s counted in 1/%d: %s, want %s", tc.in, den, r, tc.want)
		}
		if r.BarTicks() != m.BarTicks() || m.Groups != "" && !slices.Equal(r.GroupStarts(), m.GroupStarts()) {
			t.Errorf("%s counted in 1/%d moves the bar or its groups: %v against %v", tc.in, den, r.GroupStarts(), m.GroupStarts())
		}
	}
}
