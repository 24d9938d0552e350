package abc

import (
	"strings"
	"unicode/utf8"
)

// Lyrics: a w: line under a line of music gives its notes their
// syllables (abc 2.1, 5.1). Syllables are separated by spaces; the other
// symbols are
//
//	-   ends a syllable that the word goes on from ("syll-a-ble"); after a
//	    space or another hyphen it takes a note of its own, with no syllable
//	_   the syllable before is held over one more note
//	*   one note has no syllable
//	~   a space within a syllable ("of~the~day" is sung on one note)
//	\-  a hyphen within a syllable
//	|   the next syllable goes to the first note of the next bar, unless
//	    the bar's notes all have one already
//
// Rests, grace notes and spacers take no syllable; each note of a tie
// takes one ("love_" under "A2-A2"). The syllable of a chord is sung on
// its first note. A syllable on a note that is tied from the one before
// goes to that note when it has none. Only the first w: line after a line
// of music is read (the first verse: music.Note.Lyric); syllables beyond
// the line's notes are dropped, as are w: lines of a voice that is not
// read. A "+:" line goes on with the w: line before it.
//
// music.Note.Lyric keeps the hyphen of a syllable that the word goes on
// from ("Au-", "tumn"); Encode writes the syllables back the same way.

// lyricLine aligns the syllables of a w: line (or its "+:" continuation)
// with the notes of the music line before it, from the first note that
// has none yet.
func (p *tuneParser) lyricLine(v string) {
	if !utf8.ValidString(v) {
		v = text(v)
	}
	var cur strings.Builder
	has := false
	emit := func(syl string) {
		if p.slotAt >= len(p.slots) {
			return
		}
		if syl != "-" && strings.Trim(strings.TrimSuffix(syl, "-"), " ") == "" {
			syl = "" // spaces alone are no syllable
		}
		if syl != "" {
			p.lyrics = append(p.lyrics, lyricRef{ev: p.slots[p.slotAt].ev, text: syl})
		}
		p.slotAt++
	}
	flush := func(suffix string) bool {
		if !has {
			return false
		}
		emit(cur.String() + suffix)
		cur.Reset()
		has = false
		return true
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ' ', '\t':
			flush("")
		case '-':
			if !flush("-") {
				emit("")
			}
		case '_', '*':
			flush("")
			emit("")
		case '~':
			cur.WriteByte(' ')
			has = true
		case '\\':
			// An escape: "\-" a hyphen, "\%" a percent sign, "\~" a
			// space; the symbols that move the syllables along are
			// dropped with it, and of the others (the text mnemonics of
			// abc 2.1, 2.3.5, "\'e") the characters after the backslash
			// are kept as written.
			if i+1 < len(v) {
				i++
				switch v[i] {
				case '_', '*', '|', '\\':
				case '~':
					cur.WriteByte(' ')
				default:
					cur.WriteByte(v[i])
				}
				has = true
			}
		case '|':
			flush("")
			if p.slotAt == 0 || p.slotAt >= len(p.slots) {
				break
			}
			bar := p.slots[p.slotAt-1].bar
			for p.slotAt < len(p.slots) && p.slots[p.slotAt].bar == bar {
				p.slotAt++
			}
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	flush("")
}

// lyricText writes a syllable (music.Note.Lyric) for a w: line: a hyphen
// at its end stays, one within it becomes "\-", a space "~", a percent
// sign "\%"; the symbols that would move the syllables along (_ * | and a
// backslash) are left out. It returns "" for a syllable with nothing left.
func lyricText(syl string) string {
	hyphen := len(syl) > 1 && strings.HasSuffix(syl, "-")
	if hyphen {
		syl = syl[:len(syl)-1]
	}
	var b strings.Builder
	for _, r := range syl {
		switch r {
		case ' ', '\t', '\n', '\r', '~':
			b.WriteByte('~')
		case '-':
			b.WriteString(`\-`)
		case '%':
			b.WriteString(`\%`)
		case '_', '*', '|', '\\':
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || strings.Trim(b.String(), "~") == "" {
		return ""
	}
	if hyphen {
		b.WriteByte('-')
	}
	return b.String()
}
