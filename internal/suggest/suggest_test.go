package suggest

import (
	"slices"
	"strconv"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "band", 4},
		{"band", "band", 0},
		{"BAND", "band", 0},      // case does not count
		{"bnad", "band", 1},      // one swap of adjacent letters
		{"bnda", "band", 2},      // two swaps
		{"ban", "band", 1},       // a letter missing
		{"bandd", "band", 1},     // a letter doubled
		{"bend", "band", 1},      // a letter wrong
		{"kitten", "sitting", 3}, // the Levenshtein textbook pair
		{"ca", "abc", 3},         // optimal string alignment, not unrestricted Damerau (2): no letter edited twice
		{"Autum Leaves", "Autumn Leaves", 1},
		{"autunm leaves", "Autumn Leaves", 1},
		{"Bossa", "Bosa nova", 5},
		{"Señorita", "senorita", 1}, // runes, not bytes
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	commands := []string{"analyze", "band", "charts", "convert", "demo", "feel", "help", "humanize", "inspect", "render", "styles", "version"}
	styles := []string{"medium swing", "up swing", "ballad", "bossa", "latin", "funk", "waltz"}
	tunes := []string{"All The Things You Are", "Autumn Leaves", "Autumn In New York", "Blue Bossa", "Body And Soul", "Autumn Leaves"}
	for _, tc := range []struct {
		word  string
		names []string
		want  []string
	}{
		{"bnad", commands, []string{"band"}},
		{"stlyes", commands, []string{"styles"}},
		{"inpsect", commands, []string{"inspect"}},
		{"humanise", commands, []string{"humanize"}},
		{"x", commands, nil},    // one letter is too short to guess from
		{"play", commands, nil}, // not a slip of any command
		{"rendr", commands, []string{"render"}},
		{"dem", commands, []string{"demo"}},
		{"den", commands, nil}, // two edits from demo: too far for three letters
		{"medium swnig", styles, []string{"medium swing"}},
		{"Waltz", styles, []string{"waltz"}}, // only case differs
		{"balad", styles, []string{"ballad"}},
		{"samba", styles, nil},
		{"Autum Leaves", tunes, []string{"Autumn Leaves"}}, // the repeated title once
		{"autumn leafs", tunes, []string{"Autumn Leaves"}},
		{"Blue Bosa", tunes, []string{"Blue Bossa"}},
		{"Giant Steps", tunes, nil},
		{"", tunes, nil},
		{"fun", []string{"funk", "fund", "fun2", "fan", "fin"}, []string{"funk", "fund", "fun2"}}, // at most three, in order
		{"chorus", []string{"tempo", "choruses", "tune"}, []string{"choruses"}},                   // two edits away, but it begins the name
		{"trans", []string{"tune", "transpose", "tempo"}, []string{"transpose"}},
		{"Autumn", tunes, []string{"Autumn Leaves", "Autumn In New York"}},
		{"hu", commands, nil}, // too short to begin a name with
		{"Bodi And Soul", []string{"Bodx And Soul", "Body And Soul  "}, []string{"Bodx And Soul", "Body And Soul  "}}, // spaces around a name are not edits
	} {
		if got := Closest(tc.word, tc.names); !slices.Equal(got, tc.want) {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestPhrase(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"band"}, `did you mean "band"?`},
		{[]string{"a", "b"}, `did you mean "a" or "b"?`},
		{[]string{"a", "b", "c"}, `did you mean "a", "b" or "c"?`},
	} {
		if got := Phrase(tc.names, strconv.Quote); got != tc.want {
			t.Errorf("Phrase(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
