package abc

import (
	"strings"

	"sideman/music"
)

// parseChordSymbol reads the text of a chord symbol in quotes. Besides the
// names music.ParseChord reads it takes the habits of folk tune books (the
// Nottingham Music Database among them): a slash bass in lower case with
// "+" for sharp ("D/f+" is D/F#, "Gm/bb" is Gm/Bb), "d" and "a" for
// diminished and augmented ("C#d", "Fa7"), and an optional chord in
// parentheses ("(E7)"). The chord keeps the text as written in Symbol.
func parseChordSymbol(s string) (music.Chord, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return music.Chord{}, false
	}
	n := t
	if strings.HasPrefix(n, "(") && strings.HasSuffix(n, ")") {
		n = n[1 : len(n)-1]
	}
	if n == "" || n[0] < 'A' || n[0] > 'G' {
		if c, err := music.ParseChord(n); err == nil && c.NoChord {
			c.Symbol = t
			return c, true
		}
		return music.Chord{}, false
	}
	head, bass, slash := strings.Cut(n, "/")
	// Quality shorthands after the root and its accidental.
	r := 1
	if r < len(head) && (head[r] == '#' || head[r] == 'b') {
		r++
	}
	switch head[r:] {
	case "d":
		head = head[:r] + "dim"
	case "d7":
		head = head[:r] + "dim7"
	case "a":
		head = head[:r] + "aug"
	case "a7":
		head = head[:r] + "aug7"
	}
	if slash && bass != "" && bass[0] >= 'a' && bass[0] <= 'g' {
		b := []byte{bass[0] - 'a' + 'A'}
		for _, c := range []byte(bass[1:]) {
			switch c {
			case '+', '#':
				b = append(b, '#')
			case 'b', '-':
				b = append(b, 'b')
			default:
				return music.Chord{}, false
			}
		}
		bass = string(b)
	}
	if slash {
		head += "/" + bass
	}
	c, err := music.ParseChord(head)
	if err != nil {
		return music.Chord{}, false
	}
	c.Symbol = t
	return c, true
}
