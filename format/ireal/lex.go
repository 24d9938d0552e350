package ireal

import (
	"fmt"
	"unicode/utf8"

	"sideman/internal/quote"
)

// tokenKind is the kind of one symbol of the chart text.
type tokenKind uint8

const (
	tokChord     tokenKind = iota // C^7, Bb7b9/Ab, F-7(Bb7): a chord in a cell
	tokSpace                      // an empty cell, maybe with an alternate chord above it
	tokSlash                      // p: a slash, the chord before goes on
	tokInvisible                  // W/G: the chord before, over a new bass
	tokNoChord                    // n: N.C.
	tokRepeatBar                  // x: play the previous bar again
	tokRepeat2                    // r: play the previous two bars again
	tokBarline                    // | [ ] { } Z
	tokSection                    // *A, *B, *i (intro), *v (verse)
	tokTime                       // T44, T34, T12 (12/8)
	tokEnding                     // N1, N2, N3, N0
	tokComment                    // <D.S. al Coda>
	tokSegno                      // S
	tokCoda                       // Q
	tokFermata                    // f
	tokEnd                        // U: END, where the piece stops
	tokSmall                      // s: small chords from here on (one beat each)
	tokLarge                      // l: large chords again
	tokSpacer                     // Y: vertical space between lines
	tokComma                      // , separates chords without taking a cell
)

// token is one symbol of the chart text. For chords, root is the chord
// without its bass ("C-7"), bass the slash bass ("Bb"), alt the alternate
// chord written above it ("Db7"); text is the symbol as written.
type token struct {
	kind            tokenKind
	text            string
	root, bass, alt string
	custom          string // text shown in place of the quality: "7+" in "C*7+*"
}

// Bounds on free text inside one symbol, so that a stray '*' or '(' cannot
// make the lexer scan far ahead for its partner.
const (
	maxCustom    = 32 // custom chord text between '*' ("C*7+*")
	maxAlternate = 40 // an alternate chord "(Ab7b9/C)"
)

// lex splits an expanded chart text into tokens. It fails on the first byte
// that starts no known symbol.
func lex(s string) ([]token, error) {
	toks := make([]token, 0, len(s)/2)
	for i := 0; i < len(s); {
		t, n, err := lexOne(s[i:])
		if err != nil {
			return toks, &tokenError{index: len(toks) + 1, err: err}
		}
		toks = append(toks, t)
		i += n
	}
	return toks, nil
}

// tokenError is a lexing or chart error at one token, wrapped into a
// ParseError by the caller that knows the song.
type tokenError struct {
	index int // 1-based
	err   error
}

func (e *tokenError) Error() string { return fmt.Sprintf("token %d: %v", e.index, e.err) }

func lexOne(s string) (token, int, error) {
	c := s[0]
	switch {
	case c >= 'A' && c <= 'G':
		return lexChord(s)
	case c == ' ' || c == 'W' || c == 'p':
		kind := tokSpace
		switch c {
		case 'W':
			kind = tokInvisible
		case 'p':
			kind = tokSlash
		}
		n := 1
		t := token{kind: kind}
		if b, m := lexBass(s[n:]); m > 0 {
			t.bass = b
			n += m
		}
		if a, m := lexAlternate(s[n:]); m > 0 {
			t.alt = a
			n += m
		}
		t.text = s[:n]
		return t, n, nil
	case c == 'n' || c == 'x':
		kind := tokNoChord
		if c == 'x' {
			kind = tokRepeatBar
		}
		// iReal Pro lets an alternate chord sit over N.C. and repeat signs.
		n := 1
		t := token{kind: kind}
		if a, m := lexAlternate(s[n:]); m > 0 {
			t.alt = a
			n += m
		}
		t.text = s[:n]
		return t, n, nil
	case c == '*':
		if len(s) < 2 || !isLetter(s[1]) {
			return token{}, 0, fmt.Errorf("%w %s: want a section letter after '*'", ErrSymbol, quote.Input(prefix(s)))
		}
		return token{kind: tokSection, text: s[:2]}, 2, nil
	case c == 'T':
		if len(s) < 3 || !isDigit(s[1]) || !isDigit(s[2]) {
			return token{}, 0, fmt.Errorf("%w %s: want two digits after 'T'", ErrSymbol, quote.Input(prefix(s)))
		}
		return token{kind: tokTime, text: s[:3]}, 3, nil
	case c == 'N':
		if len(s) < 2 || !isDigit(s[1]) {
			return token{}, 0, fmt.Errorf("%w %s: want an ending number after 'N'", ErrSymbol, quote.Input(prefix(s)))
		}
		return token{kind: tokEnding, text: s[:2]}, 2, nil
	case c == '<':
		for j := 1; j < len(s); j++ {
			if s[j] == '>' {
				return token{kind: tokComment, text: s[:j+1]}, j + 1, nil
			}
		}
		return token{}, 0, fmt.Errorf("%w: comment %s has no closing '>'", ErrSymbol, quote.Input(prefix(s)))
	}
	if k, ok := singles[c]; ok {
		return token{kind: k, text: s[:1]}, 1, nil
	}
	return token{}, 0, fmt.Errorf("%w %s", ErrSymbol, quote.Input(prefix(s)))
}

var singles = map[byte]tokenKind{
	'|': tokBarline, '[': tokBarline, ']': tokBarline, '{': tokBarline, '}': tokBarline, 'Z': tokBarline,
	'r': tokRepeat2, 'S': tokSegno, 'Q': tokCoda, 'f': tokFermata, 'U': tokEnd,
	's': tokSmall, 'l': tokLarge, 'Y': tokSpacer, ',': tokComma,
}

// lexChord reads root, quality, custom text, bass and alternate:
// "Bb", "7b9", "*7+*", "/Ab", "(Db7)". iReal Pro writes qualities from a
// fixed alphabet: digits, + - ^ h o b #, and the words sus, alt and add.
func lexChord(s string) (token, int, error) {
	n := 1
	if n < len(s) && (s[n] == 'b' || s[n] == '#') {
		n++
	}
	n += qualityLen(s[n:])
	root, custom := s[:n], ""
	// Custom text shown in place of the quality ("C*7+*"): iReal Pro
	// prints it as written.
	if n < len(s) && s[n] == '*' {
		end := -1
		for j := n + 1; j < len(s) && j <= n+maxCustom; j++ {
			if s[j] == '*' {
				end = j
				break
			}
			if !customByte(s[j]) {
				break
			}
		}
		if end > n+1 {
			custom = s[n+1 : end]
			n = end + 1
		}
	}
	t := token{kind: tokChord, root: root, custom: custom}
	if b, m := lexBass(s[n:]); m > 0 {
		t.bass = b
		n += m
	}
	if a, m := lexAlternate(s[n:]); m > 0 {
		t.alt = a
		n += m
	}
	t.text = s[:n]
	return t, n, nil
}

// qualityLen is the length of the iReal quality at the start of s.
func qualityLen(s string) int {
	n := 0
	for n < len(s) {
		switch c := s[n]; {
		case isDigit(c) || c == '+' || c == '-' || c == '^' || c == 'h' || c == 'o' || c == 'b' || c == '#':
			n++
		case hasWord(s[n:], "sus") || hasWord(s[n:], "alt") || hasWord(s[n:], "add"):
			n += 3
		default:
			return n
		}
	}
	return n
}

func hasWord(s, w string) bool { return len(s) >= len(w) && s[:len(w)] == w }

// customByte reports whether c may appear in custom chord text.
func customByte(c byte) bool {
	switch c {
	case '|', '[', ']', '{', '}', '<', '>', ',', ' ':
		return false
	}
	return c >= ' ' && c < 0x7f
}

// lexBass reads "/Bb" and returns "Bb".
func lexBass(s string) (string, int) {
	if len(s) < 2 || s[0] != '/' || s[1] < 'A' || s[1] > 'G' {
		return "", 0
	}
	n := 2
	if n < len(s) && (s[n] == 'b' || s[n] == '#') {
		n++
	}
	return s[1:n], n
}

// lexAlternate reads "(Db7)" and returns "Db7".
func lexAlternate(s string) (string, int) {
	if len(s) < 2 || s[0] != '(' {
		return "", 0
	}
	for j := 1; j < len(s) && j <= maxAlternate; j++ {
		switch s[j] {
		case ')':
			return s[1:j], j + 1
		case '(', '|', '<', '>':
			return "", 0
		}
	}
	return "", 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// prefix is the start of s up to the next separator, for error messages.
func prefix(s string) string {
	n := 0
	for n < len(s) && n < 12 {
		switch s[n] {
		case ' ', '|', ',', '[', ']', '{', '}', '<':
			if n > 0 {
				return validPrefix(s[:n])
			}
		}
		n++
	}
	return validPrefix(s[:n])
}

func validPrefix(s string) string {
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	if s == "" {
		return "\ufffd"
	}
	return s
}
