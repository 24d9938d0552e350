package ireal

import "strings"

// musicPrefix starts every obfuscated chart in an irealb:// link.
const musicPrefix = "1r34LbKcu7"

// scramble reverses or applies iReal Pro's obfuscation of the chart text;
// the operation is its own inverse. The text is cut into 50-byte blocks and
// each block has bytes 0-4 swapped with 45-49 and 10-23 with 26-39; a tail
// of 51 bytes or less is left alone. (Reverse-engineered by the authors of
// ironss/accompaniser and pianosnake/ireal-reader.)
func scramble(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var block [50]byte
	for len(s) > 51 {
		copy(block[:], s[:50])
		for i := 0; i < 5; i++ {
			block[i], block[49-i] = block[49-i], block[i]
		}
		for i := 10; i < 24; i++ {
			block[i], block[49-i] = block[49-i], block[i]
		}
		b.Write(block[:])
		s = s[50:]
	}
	b.WriteString(s)
	return b.String()
}

// iReal Pro shortens three common runs of the chart text before scrambling
// it. expand undoes that; the replacements run one after the other, "Kcl"
// first, as in iReal Pro's readers. compress applies them in reverse order,
// so that expand(compress(s)) == s for any text without the letters K, L
// and X (chart symbols never use them; comments are cleaned of the runs).
func expand(s string) string {
	s = strings.ReplaceAll(s, "Kcl", "| x")
	s = strings.ReplaceAll(s, "LZ", " |")
	return strings.ReplaceAll(s, "XyQ", "   ")
}

func compress(s string) string {
	s = strings.ReplaceAll(s, "   ", "XyQ")
	s = strings.ReplaceAll(s, " |", "LZ")
	return strings.ReplaceAll(s, "| x", "Kcl")
}
