// Package quote quotes a user's input inside one-line error messages.
// An error names what it could not read, but a 4 MB chord symbol or the
// first line of a file that is not music must not become a 4 MB "one
// line": Input quotes at most MaxInput bytes of it, and Line keeps a whole
// message under MaxLine characters.
package quote

import (
	"strconv"
	"unicode/utf8"
)

// MaxInput is the most bytes of input an error quotes.
const MaxInput = 40

// MaxLine is the longest error message Line keeps, in bytes: with the
// command's prefix ("sideman: ", "sideman humanize: ") a printed line
// stays under 300.
const MaxLine = 280

// Ellipsis marks input or a line that was cut.
const Ellipsis = "…"

// Input is s quoted as %q quotes it, cut to its first MaxInput bytes (at
// a character boundary) with an ellipsis after the closing quote when it
// is longer.
func Input(s string) string {
	if len(s) <= MaxInput {
		return strconv.Quote(s)
	}
	return strconv.Quote(cut(s, MaxInput)) + Ellipsis
}

// Line is s cut to at most MaxLine bytes, an ellipsis ending it when it
// was cut.
func Line(s string) string {
	if len(s) <= MaxLine {
		return s
	}
	return cut(s, MaxLine-len(Ellipsis)) + Ellipsis
}

// cut is the longest prefix of s of at most n bytes that ends at a
// character boundary (invalid UTF-8 counts a byte a character).
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && i > n-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	if !utf8.RuneStart(s[i]) {
		i = n
	}
	return s[:i]
}
