package ls

import (
	"errors"
	"fmt"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// ErrChord is wrapped by the errors for chord symbols that are not chords.
var ErrChord = errors.New("unknown chord")

// ivAliases are the chord types of Impro-Visor's vocabulary (vocab/My.voc)
// that music.ParseChord does not read, with a spelling it does.
var ivAliases = map[string]string{
	"Major":           "",
	"minor":           "m",
	"minor7":          "m7",
	"Dominant":        "7",
	"augmented":       "+",
	"diminished":      "o7",
	"half-diminished": "m7b5",
	// A bass note or a single note alone: the root, no third or fifth.
	"Bass": "(no3,no5)",
	"Note": "(no3,no5)",
	// Written in a few "changes" sheets: #4 is the #11, aug after the
	// seventh the raised fifth.
	"7#4":  "7#11",
	"7aug": "7#5",
}

// parseChord reads an Impro-Visor chord symbol: a root letter with at most
// one accidental, a type from Impro-Visor's vocabulary, and a slash bass
// ("Cm7/Bb", the bass also in lower case as Impro-Visor allows) or a
// polychord ("D\C", D major over C major). music.Chord has no polychords:
// the lower chord's root becomes the bass, so D\C plays as D/C. A trailing
// "_" (in some sheets of leadsheets/changes) is dropped.
func parseChord(sym string) (music.Chord, error) {
	if sym == "NC" {
		c := music.NC
		c.Symbol = sym
		return c, nil
	}
	s := sym
	bass := ""
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		lower, err := parseChord(s[i+1:])
		if err != nil || lower.NoChord {
			return music.Chord{}, fmt.Errorf("%w %s: the lower chord of a polychord", ErrChord, quote.Input(sym))
		}
		s, bass = s[:i], lower.Root.String()
	} else if i := strings.IndexByte(s, '/'); i >= 0 {
		s, bass = s[:i], s[i+1:]
		sp, n, err := music.ParseSpelling(bass)
		if err != nil || n != len(bass) || sp.Alter < -1 || sp.Alter > 1 {
			return music.Chord{}, fmt.Errorf("%w %s: bass %s is not a note", ErrChord, quote.Input(sym), quote.Input(bass))
		}
		bass = sp.String()
	}
	s = strings.TrimSuffix(s, "_")
	root := 1
	if len(s) > 1 && (s[1] == '#' || s[1] == 'b') {
		root = 2
	}
	if len(s) == 0 || s[0] < 'A' || s[0] > 'G' {
		return music.Chord{}, fmt.Errorf("%w %s: want a root A-G", ErrChord, quote.Input(sym))
	}
	typ := s[root:]
	if a, ok := ivAliases[typ]; ok {
		typ = a
	}
	norm := s[:root] + typ
	if bass != "" {
		norm += "/" + bass
	}
	c, err := music.ParseChord(norm)
	if err != nil {
		return music.Chord{}, fmt.Errorf("%w %s: %v", ErrChord, quote.Input(sym), err)
	}
	c.Symbol = sym
	return c, nil
}
