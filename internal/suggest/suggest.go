// Package suggest finds what a mistyped name was probably meant to be: a
// command, a flag, a style or a tune title typed with a letter missing,
// doubled, wrong or two letters swapped ("bnad" for band, "Autum Leaves"
// for Autumn Leaves).
//
// Closeness is the optimal string alignment distance, the restricted
// Damerau-Levenshtein distance (Damerau 1964, "A technique for computer
// detection and correction of spelling errors"): the fewest insertions,
// deletions, substitutions and swaps of two adjacent letters that turn one
// name into the other, each letter edited once. Damerau found about 80% of
// misspellings are one such edit. Names compare without case.
package suggest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Distance is the optimal string alignment distance between a and b,
// counted in runes, ignoring case.
func Distance(a, b string) int {
	s := []rune(strings.ToLower(a))
	t := []rune(strings.ToLower(b))
	// Three rows of the dynamic-programming table: two back for a swap.
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

// MaxDistance is the most edits a word of n runes may be from a name and
// still be suggested: one for short words, about one in four letters for
// longer ones, so that "x" suggests nothing and a tune title with two
// slips still finds its tune.
func MaxDistance(n int) int {
	return max(1, (n+1)/4)
}

// Closest returns the names nearest to word, at most three, in the order
// given, when the nearest is within MaxDistance of word; else the names
// that word of three letters or more begins (--chorus for --choruses);
// nil when none is. A name equal to word (ignoring case) is returned
// alone. Names repeated are returned once.
func Closest(word string, names []string) []string {
	word = strings.TrimSpace(word)
	if word == "" {
		return nil
	}
	if out := nearest(word, names); out != nil {
		return out
	}
	if utf8.RuneCountInString(word) < 3 {
		return nil
	}
	var out []string
	lower := strings.ToLower(word)
	for _, n := range names {
		if len(out) < 3 && strings.HasPrefix(strings.ToLower(n), lower) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// nearest is Closest by edit distance alone.
func nearest(word string, names []string) []string {
	limit := MaxDistance(utf8.RuneCountInString(word))
	best := limit + 1
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] {
			continue
		}
		// The distance is at least the difference in length: skip the
		// table for names that cannot be close.
		trimmed := strings.TrimSpace(n)
		if abs(utf8.RuneCountInString(trimmed)-utf8.RuneCountInString(word)) > min(best, limit) {
			continue
		}
		d := Distance(word, trimmed)
		switch {
		case d > limit:
		case d < best:
			best, out = d, []string{n}
			seen = map[string]bool{n: true}
		case d == best:
			seen[n] = true
			if len(out) < 3 {
				out = append(out, n)
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Phrase writes names as a question for an error message: `did you mean
// "a"?`, `did you mean "a" or "b"?`; "" for no names. Quote formats each
// name (strconv.Quote, or one that adds dashes to a flag).
func Phrase(names []string, quote func(string) string) string {
	if len(names) == 0 {
		return ""
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	switch len(q) {
	case 1:
		return "did you mean " + q[0] + "?"
	case 2:
		return "did you mean " + q[0] + " or " + q[1] + "?"
	}
	return "did you mean " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1] + "?"
}
