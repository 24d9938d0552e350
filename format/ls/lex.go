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

type token struct {
	kind      tokenKind
	text      string
	off       int // byte offset of the token in the input
	line, col int
}

type lexer struct {
	src       string
	pos       int
	line      int
	lineStart int
}

func newLexer(src string) *lexer {
	l := &lexer{src: src, line: 1}
	// A byte-order mark is not part of the first token.
	if len(src) >= 3 && src[:3] == "\xef\xbb\xbf" {
		l.pos, l.lineStart = 3, 3
	}
	return l
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
		case c == '\n':
			l.pos++
			l.line++
			l.lineStart = l.pos
		case isSpace(c):
			l.pos++
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			start, line, lineStart := l.pos, l.line, l.lineStart
			l.pos += 2
			for {
				if l.pos+1 >= len(l.src) {
					l.pos, l.line, l.lineStart = start, line, lineStart
					return false
				}
				if l.src[l.pos] == '*' && l.src[l.pos+1] == '/' {
					l.pos += 2
					break
				}
				if l.src[l.pos] == '\n' {
					l.line++
					l.lineStart = l.pos + 1
				}
				l.pos++
			}
		default:
			return true
		}
	}
	return true
}

func (l *lexer) next() token {
	if !l.skip() {
		return token{kind: tokError, off: l.pos, line: l.line, col: l.pos - l.lineStart + 1}
	}
	t := token{off: l.pos, line: l.line, col: l.pos - l.lineStart + 1}
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
