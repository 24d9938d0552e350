package ls

// The tokens of a leadsheet, as Impro-Visor's polya.Tokenizer splits them:
// "(", ")", "[", "]", "|" and "," are tokens of their own wherever they
// stand; any other run of characters up to white space or one of them is a
// word. "//" starts a comment that runs to the end of the line and "/*" one
// that runs to "*/", also in the middle of a word (a comment ends the word).

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokOpen
	tokClose
	tokBar   // "|" or ","
	tokWord  // anything else, including "[" and "]"
	tokError // an unterminated block comment
)

// token is one token; its line and column are worked out from off only
// when an error needs them.
type token struct {
	kind tokenKind
	text string
	off  int // byte offset in the input
}

type lexer struct {
	src string
	pos int
}

func newLexer(src string) *lexer {
	l := &lexer{src: src}
	// A byte-order mark is not part of the first token.
	if len(src) >= 3 && src[:3] == "\xef\xbb\xbf" {
		l.pos = 3
	}
	return l
}

// position returns the 1-based line and byte column of offset off.
func position(src string, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, off - start + 1
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// isSingle reports whether c is a token by itself.
func isSingle(c byte) bool {
	return c == '(' || c == ')' || c == '|' || c == ',' || c == '[' || c == ']'
}

// skip passes white space and comments. It reports false for a block
// comment that is never closed, leaving the position at its start.
func (l *lexer) skip() bool {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			end := indexFrom(l.src, "*/", l.pos+2)
			if end < 0 {
				return false
			}
			l.pos = end + 2
		default:
			return true
		}
	}
	return true
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func (l *lexer) next() token {
	if !l.skip() {
		return token{kind: tokError, off: l.pos}
	}
	t := token{off: l.pos}
	if l.pos >= len(l.src) {
		t.kind = tokEOF
		return t
	}
	c := l.src[l.pos]
	if isSingle(c) {
		l.pos++
		t.text = l.src[t.off:l.pos]
		switch c {
		case '(':
			t.kind = tokOpen
		case ')':
			t.kind = tokClose
		case '|', ',':
			t.kind = tokBar
		default:
			t.kind = tokWord
		}
		return t
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if isSpace(c) || isSingle(c) || (c == '/' && l.pos+1 < len(l.src) && (l.src[l.pos+1] == '/' || l.src[l.pos+1] == '*')) {
			break
		}
		l.pos++
	}
	t.kind = tokWord
	t.text = l.src[t.off:l.pos]
	return t
}
