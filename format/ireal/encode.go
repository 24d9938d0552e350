package ireal

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// ErrUnsupported is wrapped by Encode errors for charts that an iReal Pro
// link cannot hold.
var ErrUnsupported = errors.New("not representable in iReal Pro")

// Encode writes the playlist as one irealb:// link that iReal Pro imports
// and Decode reads back to the same charts.
//
// Chords are written in iReal Pro's notation: a symbol already in it is
// kept, others are respelled with the iReal quality that sounds the same,
// or written as custom text. Chord positions are put on iReal Pro's grid of
// beats (half beats in 3/4). A bar that repeats the one before is written
// as a repeat sign. Title, composer and style may not contain '=', the
// playlist name not "==="; meters
// must be n/d with one digit each, or 12/8.
func Encode(w io.Writer, p *Playlist) error {
	var songs []string
	for i, c := range p.Charts {
		s, err := encodeSong(c)
		if err != nil {
			return fmt.Errorf("ireal: chart %d %s: %w", i+1, quote.Input(c.Title), err)
		}
		songs = append(songs, s)
	}
	text := strings.Join(songs, "===")
	if p.Name != "" || len(p.Charts) != 1 {
		if strings.Contains(p.Name, "===") {
			return fmt.Errorf("ireal: playlist name %s: %w: \"===\"", quote.Input(p.Name), ErrUnsupported)
		}
		text += "===" + p.Name
	}
	_, err := io.WriteString(w, "irealb://"+escape(text))
	return err
}

// escape percent-encodes all but letters, digits, '=' (the field
// separator, left readable as iReal Pro does) and "-._~".
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '=', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func encodeSong(c *music.Chart) (string, error) {
	for _, f := range []struct{ name, v string }{{"title", c.Title}, {"composer", c.Composer}, {"style", c.Style}} {
		if strings.Contains(f.v, "=") {
			return "", fmt.Errorf("%s %s: %w: '='", f.name, quote.Input(f.v), ErrUnsupported)
		}
	}
	text, err := chartText(c)
	if err != nil {
		return "", err
	}
	f := make([]string, nFields)
	// Two empty fields in a row would read as the "===" between songs, and
	// the unused field is always empty: an empty field is a space, which
	// Decode trims away.
	f[fTitle], f[fComposer], f[fStyle], f[fKey] = orSpace(c.Title), orSpace(c.Composer), orSpace(c.Style), " "
	if c.Key != nil {
		f[fKey] = keyText(*c.Key)
	}
	f[fTranspose] = "0"
	f[fMusic] = musicPrefix + scramble(compress(text))
	f[fTempo] = strconv.Itoa(max(c.Tempo, 0))
	f[fRepeats] = "0" // iReal Pro's default number of choruses
	return strings.Join(f, "="), nil
}

func orSpace(s string) string {
	if s == "" {
		return " "
	}
	return s
}

// keyText writes a key as iReal Pro does: "Eb", "C#-". iReal Pro knows
// major and minor keys only; modes with a minor third are written minor.
func keyText(k music.Key) string {
	switch k.Mode {
	case music.Minor, music.Dorian, music.Phrygian, music.Locrian:
		return spellingText(k.Tonic) + "-"
	}
	return spellingText(k.Tonic)
}

// spellingText writes a note name with at most one accidental, which is
// all iReal Pro's roots and basses allow.
func spellingText(s music.Spelling) string {
	if s.Alter < -1 || s.Alter > 1 {
		s = music.SpellPitchClass(s.PitchClass(), s.Alter < 0)
	}
	return s.String()
}

// chartText writes the chart's bars as iReal Pro chart text, before
// compression and scrambling.
func chartText(c *music.Chart) (string, error) {
	var b strings.Builder
	meters := c.BarMeters()
	hasEnding := 0
	for i, bar := range c.Bars {
		// Each chord takes a cell at least (alternates and spaces more);
		// Decode refuses bars of more than MaxCells.
		if 2*len(bar.Chords) > MaxCells {
			return "", fmt.Errorf("bar %d: %d chords: %w", i+1, len(bar.Chords), ErrUnsupported)
		}
		if bar.Ending != 0 {
			hasEnding = max(hasEnding, bits.Len8(bar.Ending))
		}
	}
	prevEnding := 0
	var around []int // endingsAround, when a repeat closes
	closing := func(i int) string {
		switch {
		case c.Bars[i].RepeatEnd > 0:
			return "}"
		case i == len(c.Bars)-1:
			return "Z"
		case c.Bars[i+1].RepeatStart || c.Bars[i+1].Section != "":
			return "]"
		}
		return "|"
	}
	for i := range c.Bars {
		bar := &c.Bars[i]
		m := meters[i]
		switch {
		case bar.RepeatStart:
			b.WriteByte('{')
		case i == 0 || bar.Section != "":
			b.WriteByte('[')
		case closing(i-1) != "|":
			b.WriteByte('|')
		}
		if s := sectionText(bar.Section); s != "" {
			b.WriteString(s)
		}
		meter := bar.Meter
		if i == 0 && c.Meter != nil && meter == nil {
			meter = c.Meter
		}
		if meter != nil {
			t, err := timeText(*meter)
			if err != nil {
				return "", fmt.Errorf("bar %d: %w", i+1, err)
			}
			b.WriteString(t)
		}
		if bar.RepeatStart {
			prevEnding = 0
		}
		if bar.Ending != 0 {
			n := bits.TrailingZeros8(bar.Ending) + 1
			if n >= 4 && n == prevEnding+1 {
				b.WriteString("N0") // iReal Pro's "next ending" beyond the third
			} else {
				fmt.Fprintf(&b, "N%d", n)
			}
			prevEnding = n
		}
		if bar.Segno {
			b.WriteByte('S')
		}
		if bar.Coda {
			b.WriteByte('Q')
		}
		if bar.Section != "" && sectionText(bar.Section) == "" {
			writeComment(&b, bar.Section)
		}
		if bar.Comment != "" {
			writeComment(&b, bar.Comment)
		}
		if i > 0 && len(bar.Chords) > 0 && meters[i-1] == m && sameChords(bar.Chords, c.Bars[i-1].Chords) {
			b.WriteString(" x")
			b.WriteString(strings.Repeat(" ", max(cellCount(m)-2, 1)))
		} else {
			writeCells(&b, bar.Chords, m)
		}
		if bar.ToCoda {
			b.WriteByte('Q')
		}
		if bar.Jump != music.NoJump {
			writeComment(&b, jumpText(bar.Jump, hasEnding))
		}
		if bar.Fine {
			b.WriteString("<Fine>")
		}
		if bar.RepeatEnd > 0 && around == nil {
			around = endingsAround(c.Bars)
		}
		if bar.RepeatEnd > 0 && bar.RepeatEnd != max(2, around[i]) {
			fmt.Fprintf(&b, "<%dx>", bar.RepeatEnd)
		}
		b.WriteString(closing(i))
	}
	return b.String(), nil
}

// sectionText is iReal Pro's mark for a section name, or "" for names it
// has no mark for (those are written as comments).
func sectionText(name string) string {
	switch {
	case name == "":
		return ""
	case name == "Intro":
		return "*i"
	case name == "Verse":
		return "*v"
	case len(name) == 1 && isLetter(name[0]) && name != "i" && name != "v" && name != "V":
		return "*" + name
	}
	return ""
}

func timeText(m music.Meter) (string, error) {
	switch {
	case m.Num == 12 && m.Den == 8:
		return "T12", nil
	case m.Num >= 1 && m.Num <= 9 && m.Den >= 1 && m.Den <= 9 && m.Valid() && !(m.Num == 1 && m.Den == 2):
		return fmt.Sprintf("T%d%d", m.Num, m.Den), nil
	}
	return "", fmt.Errorf("meter %v: %w", m, ErrUnsupported)
}

// jumpText writes a jump as the text iReal Pro's player follows. A plain
// D.C. or D.S. in a chart with endings is "al" its last ending.
func jumpText(j music.Jump, endings int) string {
	if (j == music.DC || j == music.DS) && endings >= 2 && endings <= 3 {
		return j.String() + " al " + []string{"", "", "2nd", "3rd"}[endings] + " End."
	}
	return j.String()
}

// writeComment writes text as an iReal Pro comment, keeping out what the
// chart text would read differently: '>', the compressed runs, and a
// leading "*nn" (a vertical offset).
func writeComment(b *strings.Builder, text string) {
	text = strings.NewReplacer(">", ")", "XyQ", "Xy Q", "LZ", "L Z", "Kcl", "Kc l").Replace(text)
	if len(text) >= 3 && text[0] == '*' && isDigit(text[1]) && isDigit(text[2]) {
		text = "*00" + text
	}
	b.WriteString("<" + text + ">")
}

// cellCount is the number of grid cells in a bar of meter m.
func cellCount(m music.Meter) int {
	unit, _ := grid(m)
	return int(m.BarTicks() / unit)
}

func sameChords(a, b []music.ChordAt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Offset != b[i].Offset || a[i].Chord.Symbol != b[i].Chord.Symbol || !a[i].Chord.Same(b[i].Chord) {
			return false
		}
		if (a[i].Alt == nil) != (b[i].Alt == nil) || a[i].Alt != nil && (a[i].Alt.Symbol != b[i].Alt.Symbol || !a[i].Alt.Same(*b[i].Alt)) {
			return false
		}
	}
	return true
}

// writeCells writes a bar's chords into grid cells so that place reads
// them back at their offsets: each chord in the cell of its offset,
// followed by empty cells up to the next, with slashes before the first
// when it does not start the bar. Chords too many for the grid are written
// in a row (after slashes, when the first starts late), which iReal Pro
// shares out evenly over the bar. Offsets that fit neither are rounded to
// the grid.
func writeCells(b *strings.Builder, chords []music.ChordAt, m music.Meter) {
	unit, _ := grid(m)
	n := cellCount(m)
	if len(chords) == 0 {
		b.WriteString(strings.Repeat(" ", n))
		return
	}
	texts := make([]string, len(chords))
	for i, c := range chords {
		texts[i] = chordText(c.Chord)
		if c.Alt != nil {
			texts[i] += "(" + chordText(*c.Alt) + ")"
		}
	}
	// On the grid: cells rounded and kept in order.
	pos := make([]int, len(chords))
	onGrid := true
	for i, c := range chords {
		k := int((c.Offset + unit/2) / unit)
		if i > 0 && k <= pos[i-1] {
			k = pos[i-1] + 1
		}
		pos[i] = k
		onGrid = onGrid && k < n
	}
	if onGrid {
		cells := make([]cell, 0, n)
		var out strings.Builder
		for k, j := 0, 0; k < n; k++ {
			switch {
			case j < len(chords) && pos[j] == k:
				cells = append(cells, cell{kind: cellChord, chord: &chords[j].Chord})
				out.WriteString(texts[j])
				j++
				if j < len(chords) && pos[j] == k+1 {
					out.WriteByte(',')
				}
			case j == 0:
				cells = append(cells, cell{kind: cellSlash})
				out.WriteByte('p')
			default:
				cells = append(cells, cell{kind: cellEmpty})
				out.WriteByte(' ')
			}
		}
		if readsBack(cells, m, chords) || !rowReadsBack(chords, m) {
			b.WriteString(out.String())
			return
		}
	}
	k, _ := rowSlashes(chords, m)
	b.WriteString(strings.Repeat("p", k))
	b.WriteString(strings.Join(texts, ","))
	b.WriteByte(' ')
}

// maxRowSlashes bounds the slashes tried before a row of chords.
const maxRowSlashes = 16

// rowSlashes finds how many slashes before the chords, written in a row,
// make place share the bar out to their offsets.
func rowSlashes(chords []music.ChordAt, m music.Meter) (int, bool) {
	for k := 0; k <= maxRowSlashes; k++ {
		cells := make([]cell, 0, k+len(chords))
		for range k {
			cells = append(cells, cell{kind: cellSlash})
		}
		for i := range chords {
			cells = append(cells, cell{kind: cellChord, chord: &chords[i].Chord})
		}
		if readsBack(cells, m, chords) {
			return k, true
		}
	}
	return 0, false
}

func rowReadsBack(chords []music.ChordAt, m music.Meter) bool {
	_, ok := rowSlashes(chords, m)
	return ok
}

// readsBack reports whether place puts the chords of cells at the offsets
// of want.
func readsBack(cells []cell, m music.Meter, want []music.ChordAt) bool {
	got, err := place(cells, m, nil)
	if err != nil || len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Offset != want[i].Offset {
			return false
		}
	}
	return true
}

// chordText writes a chord in iReal Pro's notation.
func chordText(c music.Chord) string {
	if c.NoChord {
		return "n"
	}
	bass := ""
	if c.HasBass {
		bass = "/" + spellingText(c.Bass)
	}
	// The symbol as written, when it is already iReal Pro notation.
	if sym := c.Symbol; irealSymbol(sym) {
		if d, err := music.ParseChord(sym); err == nil && d.Same(c) {
			return sym
		}
	}
	// An iReal quality with the same tones, or else the same sound.
	root := spellingText(c.Root)
	var same string
	for _, q := range qualities {
		d, err := music.ParseChord(root + q + bass)
		if err != nil || !d.Same(c) {
			continue
		}
		if slices.Equal(d.Tones(), c.Tones()) {
			return root + q + bass
		}
		if same == "" {
			same = root + q + bass
		}
	}
	if same != "" {
		return same
	}
	// Custom text: the standard name's quality, which Decode reads back.
	name := c.Name()
	q := strings.TrimPrefix(name, c.Root.String())
	if c.HasBass {
		q = strings.TrimSuffix(q, "/"+c.Bass.String())
	}
	q = strings.NewReplacer("(", "", ")", "", ",", "", " ", "").Replace(q)
	if q != "" && len(q) <= maxCustom {
		sym := root + "*" + q + "*" + bass
		if d, err := music.ParseChord(withQuality(root, q) + bass); err == nil && d.Same(c) {
			return sym
		}
	}
	return root + nearestQuality(c, root, bass) + bass
}

// nearestQuality is the iReal quality that shares most tones with c.
func nearestQuality(c music.Chord, root, bass string) string {
	best, bestScore := "", -1
	want := c.PitchClasses()
	for _, q := range append([]string{""}, qualities...) {
		d, err := music.ParseChord(root + q + bass)
		if err != nil {
			continue
		}
		have := d.PitchClasses()
		score := 2*bits.OnesCount16(have&want) - bits.OnesCount16(have^want)
		if score > bestScore {
			best, bestScore = q, score
		}
	}
	return best
}

// irealSymbol reports whether sym is a chord in iReal Pro's notation: a
// root, one of its qualities and an optional bass.
func irealSymbol(sym string) bool {
	if sym == "" || sym[0] < 'A' || sym[0] > 'G' {
		return false
	}
	t, n, err := lexChord(sym)
	if err != nil || n != len(sym) || t.custom != "" || t.alt != "" {
		return false
	}
	q := t.root[1:]
	if q != "" && (q[0] == 'b' || q[0] == '#') {
		q = q[1:]
	}
	return qualitySet[q]
}

var qualitySet = func() map[string]bool {
	m := map[string]bool{}
	for _, q := range qualities {
		m[q] = true
	}
	return m
}()

// qualities are iReal Pro's chord qualities, in its editor's order.
var qualities = []string{
	"", "^7", "-7", "7", "7sus", "^", "-", "7alt", "sus", "6", "-6", "o7", "h7",
	"^9", "^13", "69", "-69", "-^7", "-^9", "-9", "-11", "-b6", "-#5", "^7#11", "^9#11", "^7#5",
	"add9", "-7b5", "h9", "2", "5", "+", "o", "h",
	"9", "13", "11", "9sus", "13sus", "7b9sus", "7b13sus", "7susadd3",
	"7b9", "7#9", "7b5", "7#5", "7b13", "7#11", "9#11", "9b5", "9#5",
	"13#11", "13b9", "13#9", "7b9b13", "7b9#5", "7b9b5", "7b9#9", "7#9#5", "7#9b5", "7#9#11", "7b9#11",
	"o^7",
}
