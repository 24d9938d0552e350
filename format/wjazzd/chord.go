package wjazzd

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// ErrChord is wrapped by the errors of ParseChord.
var ErrChord = errors.New("unknown chord")

// ParseChord reads a chord symbol of the database's syntax (Pfleiderer et
// al., Inside the Jazzomat, ch. 2): a root; "-" minor, "+" augmented, "o"
// diminished or "sus"; "6", "7" or "j7" (major seventh); tensions written
// number first ("79b" is a seventh with a flat ninth, "j7911#" a major
// seventh with a ninth and a sharp eleventh); "alt"; a slash bass. "m7b5"
// is the half-diminished chord and "NC" no chord. The symbol is kept as
// written in Chord.Symbol.
func ParseChord(sym string) (music.Chord, error) {
	s := strings.TrimSpace(sym)
	if s == "NC" || s == "N.C." {
		c := music.NC
		c.Symbol = sym
		return c, nil
	}
	if s == "" || s[0] < 'A' || s[0] > 'G' {
		return music.Chord{}, fmt.Errorf("%w %s: want a root A-G", ErrChord, quote.Input(sym))
	}
	root := 1
	if len(s) > 1 && (s[1] == '#' || s[1] == 'b') {
		root = 2
	}
	q, bass := s[root:], ""
	if i := strings.LastIndexByte(q, '/'); i >= 0 {
		q, bass = q[:i], "/"+q[i+1:]
	}
	norm, ok := normalize(q)
	if !ok {
		return music.Chord{}, fmt.Errorf("%w %s", ErrChord, quote.Input(sym))
	}
	c, err := music.ParseChord(s[:root] + norm + bass)
	if err != nil {
		return music.Chord{}, fmt.Errorf("%w %s: %v", ErrChord, quote.Input(sym), err)
	}
	c.Symbol = sym
	return c, nil
}

// normalize rewrites the quality of a chord in the standard spelling
// music.ParseChord reads: "-79b" is "m7(b9)", "j7911#" "maj7(9,#11)".
func normalize(q string) (string, bool) {
	if strings.HasPrefix(q, "m7b5") {
		q = strings.TrimPrefix(q, "m7b5")
		t, ok := tensions(q)
		return "m7b5" + t, ok
	}
	triad := ""
	for _, p := range []string{"sus", "-", "+", "o"} {
		if strings.HasPrefix(q, p) {
			triad, q = p, q[len(p):]
			break
		}
	}
	seventh := ""
	switch {
	case strings.HasPrefix(q, "j7"):
		seventh, q = "j7", q[2:]
	case strings.HasPrefix(q, "7"):
		seventh, q = "7", q[1:]
	case strings.HasPrefix(q, "6"):
		seventh, q = "6", q[1:]
	}
	alt := false
	if strings.HasSuffix(q, "alt") {
		alt, q = true, strings.TrimSuffix(q, "alt")
	}
	var base string
	switch triad + "|" + seventh {
	case "|":
		base = ""
	case "|7":
		base = "7"
	case "|j7":
		base = "maj7"
	case "|6":
		base = "6"
	case "-|":
		base = "m"
	case "-|7":
		base = "m7"
	case "-|j7":
		base = "m(maj7)"
	case "-|6":
		base = "m6"
	case "+|":
		base = "+"
	case "+|7":
		base = "7#5"
	case "+|j7":
		base = "maj7#5"
	case "o|":
		base = "o"
	case "o|7":
		base = "o7"
	case "sus|":
		base = "sus4"
	case "sus|7":
		base = "7sus4"
	default:
		return "", false
	}
	if alt {
		if seventh != "7" || q != "" {
			return "", false
		}
		return base + "alt", true
	}
	if seventh == "6" {
		// A sixth chord's ninth makes it a 6/9; other tensions are added.
		if strings.HasPrefix(q, "9") && (len(q) == 1 || q[1] != '#' && q[1] != 'b') {
			base, q = base+"/9", q[1:]
		}
		nat, altered, ok := splitTensions(q)
		if !ok || len(nat) > 0 {
			return "", false
		}
		return base + strings.Join(altered, ""), true
	}
	t, ok := tensions(q)
	if !ok || (t != "" && seventh == "" && triad != "sus") {
		// Tensions need a seventh (the database writes "79", not "9").
		return "", t == "" && ok
	}
	if t != "" && triad == "sus" && seventh == "" {
		base = "7sus4"
	}
	return base + t, true
}

// tensions rewrites "9b13" and the like as "(b9,13)": the highest natural
// tension and the altered ones.
func tensions(q string) (string, bool) {
	nat, altered, ok := splitTensions(q)
	if !ok {
		return "", false
	}
	var parts []string
	if len(nat) > 0 {
		sort.Ints(nat)
		parts = append(parts, fmt.Sprint(nat[len(nat)-1]))
	}
	parts = append(parts, altered...)
	if len(parts) == 0 {
		return "", true
	}
	return "(" + strings.Join(parts, ",") + ")", true
}

// splitTensions reads tensions written number first: 9, 11 or 13, each
// with "b" or "#" after it when altered.
func splitTensions(q string) (natural []int, altered []string, ok bool) {
	for q != "" {
		var deg int
		switch {
		case strings.HasPrefix(q, "11"):
			deg, q = 11, q[2:]
		case strings.HasPrefix(q, "13"):
			deg, q = 13, q[2:]
		case strings.HasPrefix(q, "9"):
			deg, q = 9, q[1:]
		default:
			return nil, nil, false
		}
		if q != "" && (q[0] == 'b' || q[0] == '#') {
			altered = append(altered, fmt.Sprintf("%c%d", q[0], deg))
			q = q[1:]
			continue
		}
		natural = append(natural, deg)
	}
	return natural, altered, true
}
