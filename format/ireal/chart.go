package ireal

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// cellKind is what one cell of iReal Pro's grid holds.
type cellKind uint8

const (
	cellEmpty     cellKind = iota // a space, maybe with an alternate chord over it
	cellChord                     // a chord or N.C.
	cellSlash                     // p: the chord before goes on
	cellInvisible                 // W: the chord before, maybe over a new bass
	cellRepeat                    // x: the previous bar again
	cellRepeat2                   // r: the previous two bars again
)

// cell is one cell of a bar. Chords are kept as text and parsed when the
// bar is placed, which keeps cells small.
type cell struct {
	kind               cellKind
	small              bool  // written small: one beat
	tok                int32 // 1-based token index, for errors
	root, custom, bass string
	alt                string       // alternate chord text
	chord              *music.Chord // the chord, when known already (N.C., Encode's checks)
}

// draft is a bar as written in the grid, before chords get their offsets.
type draft struct {
	bar      music.Bar
	cells    []cell
	opened   bool // an opening barline (| [ {) started it
	content  int  // cells other than empty ones
	spaces   int  // empty cells
	meter    *music.Meter
	ending   int // N1 → 1; 0 for N0 (the ending after the one before)
	hasEnd   bool
	repeat   bool // closed by '}'
	times    int  // "3x": times the repeat is played
	codas    []bool
	comments []string
}

// real reports whether the draft is a bar and not layout: it holds chords
// or repeat signs, or it is an empty bar between barlines ("|    |", the
// bar after an 'r').
func (d *draft) real() bool { return d.content > 0 || d.opened && d.spaces > 0 }

// hasMarks reports whether a draft that is no bar carries marks that must
// not be lost.
func (d *draft) hasMarks() bool {
	b := &d.bar
	return b.Section != "" || b.RepeatStart || b.Segno || b.Fine || b.Jump != music.NoJump ||
		d.meter != nil || d.hasEnd || d.times != 0 || len(d.codas) > 0 || len(d.comments) > 0
}

// readChart decodes an expanded chart text into c.Bars.
func readChart(c *music.Chart, text string) error {
	drafts, err := layout(text)
	if err != nil {
		return err
	}
	return fill(c, drafts)
}

// noChord is the chord of every N.C. cell.
var noChord = music.NC

// layout reads the symbols of a chart text and groups them into bars and
// cells.
func layout(text string) ([]*draft, error) {
	var l layouter
	for i, ti := 0, int32(1); i < len(text); ti++ {
		t, n, err := lexOne(text[i:])
		if err != nil {
			return nil, &tokenError{index: int(ti), err: err}
		}
		i += n
		if l.cur != nil && len(l.cur.cells) >= MaxCells {
			return nil, &tokenError{index: int(ti), err: fmt.Errorf("%w: more than %d cells in a bar", format.ErrTooLarge, MaxCells)}
		}
		if err := l.symbol(t, ti); err != nil {
			return nil, err
		}
	}
	if err := l.push(); err != nil {
		return nil, err
	}
	if l.cur != nil && len(l.bars) > 0 {
		mergeMarks(l.bars[len(l.bars)-1], l.cur)
	}
	return l.bars, nil
}

// layouter groups symbols into bars: barlines open and close them, cells
// fill them, marks (sections, time signatures, endings, signs) go on them.
type layouter struct {
	bars  []*draft
	cur   *draft // the bar being read; nil between barlines
	small bool   // cells are in small print (iReal's "s" until "l")
}

// last is the last bar read, nil before the first.
func (l *layouter) last() *draft {
	if len(l.bars) == 0 {
		return nil
	}
	return l.bars[len(l.bars)-1]
}

// ensure is the bar being read, started when there is none.
func (l *layouter) ensure() *draft {
	if l.cur == nil {
		l.cur = &draft{}
	}
	return l.cur
}

// push ends the bar being read: a real bar joins the list; marks with no
// bar wait for the next one.
func (l *layouter) push() error {
	cur := l.cur
	if cur == nil {
		return nil
	}
	if cur.real() {
		if len(l.bars) >= MaxBars {
			return fmt.Errorf("%w: more than %d bars", format.ErrTooLarge, MaxBars)
		}
		l.bars = append(l.bars, cur)
		l.cur = nil
		return nil
	}
	cur.cells, cur.spaces = cur.cells[:0], 0
	return nil
}

// symbol reads one symbol, the ti-th of the text.
func (l *layouter) symbol(t token, ti int32) error {
	switch t.kind {
	case tokBarline:
		switch t.text {
		case "|", "[", "{":
			return l.open(t.text == "{")
		default: // ] } Z close a bar
			return l.close(t.text == "}")
		}
	case tokChord, tokNoChord, tokInvisible, tokSlash, tokRepeatBar, tokRepeat2, tokSpace:
		l.cell(t, ti)
	case tokSmall:
		l.small = true
	case tokLarge:
		l.small = false
	case tokFermata, tokSpacer, tokComma:
		// Layout and expression only: nothing iReal Pro plays differently.
	default:
		return l.mark(t, ti)
	}
	return nil
}

// open reads a barline that opens a bar ("{" a repeated one).
func (l *layouter) open(repeat bool) error {
	if err := l.push(); err != nil {
		return err
	}
	if l.cur != nil && !l.cur.opened {
		// Directions written after a closing barline belong to the bar
		// it closed.
		if last := l.last(); last != nil {
			moveDirections(last, l.cur)
		}
	}
	l.ensure().opened = true
	if repeat {
		l.cur.bar.RepeatStart = true
	}
	return nil
}

// close reads a barline that closes a bar ("}" the end of a repeat).
func (l *layouter) close(repeat bool) error {
	target := l.cur
	if l.cur == nil || !l.cur.real() {
		// "C7 |}": the closing sign belongs to the bar before.
		target = l.last()
		if l.cur != nil && target != nil {
			mergeMarks(target, l.cur)
			l.cur = nil
		}
	}
	if target == nil {
		return nil
	}
	if repeat {
		target.repeat = true
	}
	if target == l.cur {
		return l.push()
	}
	return nil
}

// cell adds a cell of the grid to the bar: a chord, N.C., an invisible
// chord (a bass or alternate alone), a slash, a repeat sign or a space.
func (l *layouter) cell(t token, ti int32) {
	d := l.ensure()
	c := cell{tok: ti}
	switch t.kind {
	case tokChord:
		c = cell{kind: cellChord, tok: ti, root: t.root, custom: t.custom, bass: t.bass, alt: t.alt, small: l.small}
	case tokNoChord:
		c = cell{kind: cellChord, tok: ti, chord: &noChord, alt: t.alt, small: l.small}
	case tokInvisible:
		c = cell{kind: cellInvisible, tok: ti, bass: t.bass, alt: t.alt, small: l.small}
	case tokSlash:
		c.kind = cellSlash
	case tokRepeatBar:
		c.kind = cellRepeat
	case tokRepeat2:
		c.kind = cellRepeat2
	case tokSpace:
		c.kind = cellEmpty
		d.spaces++
	}
	d.cells = append(d.cells, c)
	if t.kind != tokSpace {
		d.content++
	}
}

// mark reads a mark that goes on the bar: a section letter, a time
// signature, an ending, a comment, a segno, a coda or the end.
func (l *layouter) mark(t token, ti int32) error {
	switch t.kind {
	case tokSection:
		l.ensure().bar.Section = sectionName(t.text[1])
	case tokTime:
		m, err := parseTime(t.text)
		if err != nil {
			return &tokenError{index: int(ti), err: err}
		}
		l.ensure().meter = &m
	case tokEnding:
		d := l.ensure()
		d.ending, d.hasEnd = int(t.text[1]-'0'), true
	case tokComment:
		readComment(l.ensure(), t.text[1:len(t.text)-1])
	case tokSegno:
		l.ensure().bar.Segno = true
	case tokCoda:
		// At the start of its bar the sign is a coda; after chords, or
		// after the empty cells of an empty bar, a jump to it.
		d := l.ensure()
		d.codas = append(d.codas, d.content == 0 && (!d.opened || d.spaces == 0))
	case tokEnd:
		l.ensure().bar.Fine = true
	}
	return nil
}

// moveDirections moves the directions that end a bar (jumps, Fine, repeat
// counts) from a draft that is no bar to the bar before it.
func moveDirections(to, from *draft) {
	if from.bar.Jump != music.NoJump && to.bar.Jump == music.NoJump {
		to.bar.Jump, from.bar.Jump = from.bar.Jump, music.NoJump
	}
	if from.bar.Fine {
		to.bar.Fine, from.bar.Fine = true, false
	}
	if from.times != 0 && to.times == 0 {
		to.times, from.times = from.times, 0
	}
}

// mergeMarks moves the marks of a draft that is no bar onto a bar.
func mergeMarks(to, from *draft) {
	moveDirections(to, from)
	if to.bar.Section == "" {
		to.bar.Section = from.bar.Section
	}
	to.bar.Segno = to.bar.Segno || from.bar.Segno
	if len(from.codas) > 0 {
		// A coda sign after the last bar can only be the jump from it.
		to.codas = append(to.codas, false)
	}
	to.comments = append(to.comments, from.comments...)
}

// fill places the chords of every draft bar and resolves repeat signs,
// endings and coda signs into c.Bars.
func fill(c *music.Chart, drafts []*draft) error {
	bars := make([]music.Bar, len(drafts))
	meter := music.DefaultMeter
	var prev *music.Chord // the last chord written, for W and leading slashes
	repeatNext := false   // the bar after an 'r' plays the bar before the 'r'
	for i, d := range drafts {
		b := d.bar
		if d.meter != nil {
			if i == 0 {
				m := *d.meter
				c.Meter = &m
			} else if *d.meter != meter {
				m := *d.meter
				b.Meter = &m
			}
			meter = *d.meter
		}
		b.Comment = strings.Join(d.comments, "; ")
		kind := barKind(d)
		switch {
		case kind == cellRepeat && i >= 1:
			b.Chords = copyChords(bars[i-1].Chords, meter)
		case kind == cellRepeat2 && i >= 2:
			b.Chords = copyChords(bars[i-2].Chords, meter)
		case kind == cellRepeat2 && i == 1:
			b.Chords = copyChords(bars[0].Chords, meter)
		case repeatNext && kind == cellEmpty && i >= 2:
			b.Chords = copyChords(bars[i-2].Chords, meter)
		default:
			var err error
			if b.Chords, err = place(d.cells, meter, prev); err != nil {
				return err
			}
		}
		repeatNext = kind == cellRepeat2
		if n := len(b.Chords); n > 0 {
			prev = &b.Chords[n-1].Chord
		}
		bars[i] = b
	}
	setEndings(bars, drafts)
	setCodas(bars, drafts)
	c.Bars = bars
	return nil
}

// barKind says how a bar is filled: by chords in cells (cellChord), by a
// repeat sign (cellRepeat, cellRepeat2), or not at all (cellEmpty).
func barKind(d *draft) cellKind {
	rep := cellEmpty
	for _, c := range d.cells {
		switch c.kind {
		case cellChord, cellInvisible, cellSlash:
			return cellChord
		case cellRepeat, cellRepeat2:
			rep = c.kind
		}
	}
	return rep
}

// copyChords copies a bar's chords into a bar of the given meter, leaving
// out chords that would fall beyond its end.
func copyChords(cs []music.ChordAt, m music.Meter) []music.ChordAt {
	out := make([]music.ChordAt, 0, len(cs))
	for _, c := range cs {
		if c.Offset < m.BarTicks() {
			out = append(out, c)
		}
	}
	return out
}

// grid is iReal Pro's rhythmic grid for a bar of meter m: the length of
// one cell, and how many cells a small chord lasts (one beat). A cell is
// the meter's note value, with two exceptions from ireal-musicxml's model
// of the player: in 3/4 and 3/2 a cell is half a beat, so that two chords
// written in the usual four cells share the bar evenly; in 12/8 a cell is a
// dotted quarter, the bar's four cells its four beats.
func grid(m music.Meter) (cell music.Ticks, small int) {
	switch {
	case m.Num == 3 && (m.Den == 4 || m.Den == 2):
		return m.UnitTicks() / 2, 2
	case m.Num == 12 && m.Den == 8:
		return m.BeatTicks(), 1
	}
	return m.UnitTicks(), 1
}

// item is a chord and the cells it holds in a bar.
type item struct {
	at    music.ChordAt
	cells int
	small bool
	shown bool // false for the chord carried over from the bar before ("pp" at the start)
}

// place gives the chords of a bar their offsets, following ireal-musicxml's
// model of iReal Pro's player: a chord holds its cell and the empty cells
// and slashes after it; a small chord holds one beat. If the chords then
// hold more than the bar, cells are taken back one at a time from the
// chords holding more than one, first chord first, round after round; if
// they hold less, cells are handed out one at a time to the large chords,
// first chord first. Empty cells before the first chord are layout;
// slashes there carry the previous chord on. A bar with more chords than
// beats is shared out evenly.
func place(cells []cell, m music.Meter, prev *music.Chord) ([]music.ChordAt, error) {
	var items []item
	for _, c := range cells {
		switch c.kind {
		case cellChord, cellInvisible:
			var ch music.Chord
			switch {
			case c.chord != nil:
				ch = *c.chord
			case c.kind == cellChord:
				var err error
				if ch, err = parseChord(c.root, c.custom, c.bass); err != nil {
					return nil, &tokenError{index: int(c.tok), err: err}
				}
			}
			if c.kind == cellInvisible {
				if prev == nil {
					// W with no chord before it shows nothing to play.
					if len(items) > 0 {
						items[len(items)-1].cells++
					}
					continue
				}
				ch = withBass(*prev, c.bass)
			}
			at := music.ChordAt{Chord: ch}
			if c.alt != "" {
				alt, err := parseAlternate(c.alt, ch)
				if err != nil {
					return nil, &tokenError{index: int(c.tok), err: err}
				}
				at.Alt = &alt
			}
			items = append(items, item{at: at, cells: 1, small: c.small, shown: true})
			p := ch
			prev = &p
		case cellSlash:
			if len(items) == 0 {
				items = append(items, item{cells: 1})
				continue
			}
			items[len(items)-1].cells++
		default:
			if len(items) > 0 {
				items[len(items)-1].cells++
			}
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	unit, smallCells := grid(m)
	total := int(m.BarTicks() / unit)
	d := make([]int, len(items))
	if len(items) <= m.Num && fit(d, items, total, smallCells) {
		out := make([]music.ChordAt, 0, len(items))
		var at music.Ticks
		for i, it := range items {
			if it.shown {
				it.at.Offset = at
				out = append(out, it.at)
			}
			at += music.Ticks(d[i]) * unit
		}
		return out, nil
	}
	out := make([]music.ChordAt, 0, len(items))
	for i, it := range items {
		if it.shown {
			it.at.Offset = music.Ticks(i) * m.BarTicks() / music.Ticks(len(items))
			out = append(out, it.at)
		}
	}
	return out, nil
}

// fit sets d[i] to the cells item i lasts so that they add up to total
// (see place). It reports false when the chords cannot be fitted.
func fit(d []int, items []item, total, smallCells int) bool {
	sum := 0
	for i, it := range items {
		d[i] = it.cells
		if it.small {
			d[i] = smallCells
		}
		sum += d[i]
	}
	for sum > total {
		taken := false
		for i := range d {
			if sum > total && !items[i].small && d[i] > 1 {
				d[i]--
				sum--
				taken = true
			}
		}
		if !taken {
			return false
		}
	}
	for sum < total {
		given := false
		for i := range d {
			if sum < total && !items[i].small {
				d[i]++
				sum++
				given = true
			}
		}
		if !given {
			// Only small chords: the last one holds the rest of the bar.
			d[len(d)-1] += total - sum
			sum = total
		}
	}
	return true
}

// withQuality appends custom quality text to a root, keeping a leading
// flat apart from a bare root: "A" and "b5add9" is A(b5,add9), not Ab.
func withQuality(root, q string) string {
	if q != "" && (q[0] == 'b' || q[0] == '#') && len(root) <= 2 {
		if _, n, err := music.ParseSpelling(root); err == nil && n == len(root) {
			return root + " " + q
		}
	}
	return root + q
}

// parseChord reads an iReal chord from its root and quality, custom text
// and bass. Custom text is read as part of the quality when it makes a
// chord ("C" and "7+"); other custom text ("B" and "......") is taken for
// a caption, and the chord is read without it.
func parseChord(root, custom, bass string) (music.Chord, error) {
	if bass != "" {
		bass = "/" + bass
	}
	if custom != "" {
		if ch, err := music.ParseChord(withQuality(root, custom) + bass); err == nil {
			return ch, nil
		}
	}
	ch, err := music.ParseChord(root + bass)
	if err != nil {
		return music.Chord{}, fmt.Errorf("%w %s: %v", ErrChord, quote.Input(root+bass), err)
	}
	return ch, nil
}

// parseAlternate reads the chord in "(...)" after a chord; "W/D" there is
// the chord below it over D.
func parseAlternate(text string, below music.Chord) (music.Chord, error) {
	if strings.HasPrefix(text, "W") {
		if below.NoChord {
			return music.Chord{}, fmt.Errorf("%w %s: no chord below it", ErrChord, quote.Input(text))
		}
		return withBass(below, strings.TrimPrefix(text[1:], "/")), nil
	}
	t, n, err := lexChord(text)
	if err != nil || n != len(text) || t.alt != "" {
		return music.Chord{}, fmt.Errorf("%w %s", ErrChord, quote.Input(text))
	}
	return parseChord(t.root, t.custom, t.bass)
}

// withBass is chord c over a new bass note (iReal Pro's "W/G"): the same
// symbol with its slash bass replaced. An empty bass gives c in root position.
func withBass(c music.Chord, bass string) music.Chord {
	sym := c.Symbol
	if c.HasBass {
		if i := strings.LastIndexByte(sym, '/'); i >= 0 {
			sym = sym[:i]
		}
	}
	if c.NoChord {
		return c
	}
	if bass != "" {
		sym += "/" + bass
	}
	if ch, err := music.ParseChord(sym); err == nil {
		return ch
	}
	return c
}

// sectionName names iReal Pro's section marks: letters, intro and verse.
func sectionName(c byte) string {
	switch c {
	case 'i':
		return "Intro"
	case 'v', 'V':
		return "Verse"
	}
	return string(c)
}

// parseTime reads "T44" (4/4), "T68" (6/8) and "T12" (12/8).
func parseTime(s string) (music.Meter, error) {
	m := music.Meter{Num: int(s[1] - '0'), Den: int(s[2] - '0')}
	if s == "T12" {
		m = music.Meter{Num: 12, Den: 8}
	}
	if !m.Valid() {
		return m, fmt.Errorf("%w %s: not a time signature", ErrSymbol, quote.Input(s))
	}
	return m, nil
}

// readComment reads the directions iReal Pro's player follows from a
// comment and keeps the rest as text. A "*74" prefix moves the comment up
// or down on the page; it is layout.
func readComment(d *draft, text string) {
	if len(text) >= 3 && text[0] == '*' && isDigit(text[1]) && isDigit(text[2]) {
		text = text[3:]
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	switch j := parseJump(text); {
	case j != music.NoJump:
		d.bar.Jump = j
	case strings.EqualFold(text, "Fine"):
		d.bar.Fine = true
	case repeatTimes(text) > 0:
		d.times = repeatTimes(text)
	default:
		d.comments = append(d.comments, text)
	}
}

// parseJump recognizes the D.C. and D.S. directions iReal Pro plays. "D.C.
// al 2nd End." goes back and plays through to the last ending: a D.C.
func parseJump(text string) music.Jump {
	t := strings.ToLower(strings.Join(strings.Fields(text), " "))
	var dc bool
	switch {
	case strings.HasPrefix(t, "d.c."):
		dc = true
	case strings.HasPrefix(t, "d.s."):
	default:
		return music.NoJump
	}
	rest := strings.TrimSpace(t[4:])
	switch {
	case rest == "" && dc:
		return music.DC
	case rest == "":
		return music.DS
	case rest == "al coda" && dc:
		return music.DCAlCoda
	case rest == "al coda":
		return music.DSAlCoda
	case rest == "al fine" && dc:
		return music.DCAlFine
	case rest == "al fine":
		return music.DSAlFine
	case strings.HasPrefix(rest, "al ") && strings.Contains(rest, "end"):
		if dc {
			return music.DC
		}
		return music.DS
	}
	return music.NoJump
}

// repeatTimes reads "3x" (play the repeat three times in all); 0 if the
// text is not a repeat count.
func repeatTimes(text string) int {
	if len(text) < 2 || len(text) > 3 || text[len(text)-1] != 'x' {
		return 0
	}
	n, err := strconv.Atoi(text[:len(text)-1])
	if err != nil || n < 2 || n > 99 {
		return 0
	}
	return n
}

// setEndings turns N1, N2, N3 (and N0, "the next ending") into volta
// brackets and sets how often each closing repeat is taken: twice, or as
// often as a "3x" comment says, or as many times as the repeat has endings.
func setEndings(bars []music.Bar, drafts []*draft) {
	prevEnding := 0
	for i, d := range drafts {
		if d.bar.RepeatStart {
			prevEnding = 0
		}
		if !d.hasEnd {
			continue
		}
		n := d.ending
		if n == 0 {
			n = prevEnding + 1
		}
		if n >= 1 && n <= 8 {
			bars[i].Ending = 1 << (n - 1)
			prevEnding = n
		}
	}
	// "N1 ... ] N2": iReal Pro charts often close a first ending with a
	// plain double bar; the next ending still means the bars are repeated,
	// unless a D.C. or D.S. on the way leads back ("D.C. al 3rd ending").
	for i := range bars {
		if bars[i].Ending == 0 {
			continue
		}
		closed := false
		for k := i; k < len(bars); k++ {
			closed = closed || drafts[k].repeat || bars[k].Jump != music.NoJump
			if k > i && bars[k].RepeatStart {
				break
			}
			if k > i && bars[k].Ending != 0 {
				if !closed && bars[k].Ending > bars[i].Ending {
					drafts[k-1].repeat = true
				}
				break
			}
		}
	}
	var around []int
	for i, d := range drafts {
		if !d.repeat {
			continue
		}
		if around == nil {
			around = endingsAround(bars)
		}
		times := max(2, d.times, around[i])
		bars[i].RepeatEnd = times
	}
}

// endingsAround is, for each bar, the highest ending number in the
// repeat it belongs to: from the last repeat start at or before it to the
// next one after it. One pass over each repeat, rather than a scan from
// every closing sign: 4,096 bars each closing a repeat took 0.1 s.
func endingsAround(bars []music.Bar) []int {
	out := make([]int, len(bars))
	for from := 0; from < len(bars); {
		to := from + 1
		for to < len(bars) && !bars[to].RepeatStart {
			to++
		}
		hi := 0
		for j := from; j < to; j++ {
			if e := bars[j].Ending; e != 0 {
				hi = max(hi, 8-bits.LeadingZeros8(e))
			}
		}
		for j := from; j < to; j++ {
			out[j] = hi
		}
		from = to
	}
	return out
}

// setCodas reads iReal Pro's coda signs. The same sign Q marks the jump
// ("to coda", at the end of a bar) and the coda itself (at the start of
// its first bar). With two or more signs the last is the coda, the others
// jumps; a single sign is read by its place in the bar.
func setCodas(bars []music.Bar, drafts []*draft) {
	type sign struct {
		bar     int
		atStart bool
	}
	var signs []sign
	for i, d := range drafts {
		for _, s := range d.codas {
			signs = append(signs, sign{i, s})
		}
	}
	for k, s := range signs {
		coda := k == len(signs)-1 && (len(signs) > 1 || s.atStart)
		if coda {
			bars[s.bar].Coda = true
		} else {
			bars[s.bar].ToCoda = true
		}
	}
}
