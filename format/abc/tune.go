package abc

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// evKind says what an event of a tune body is.
type evKind uint8

const (
	evNotes    evKind = iota // a note, a chord, or a rest (no notes)
	evBar                    // a barline
	evEnding                 // a volta bracket that does not follow a barline ("[2")
	evChord                  // a chord symbol
	evAnnot                  // an annotation
	evMeter                  // a meter change
	evPart                   // a part label
	evRestBars               // a multi-bar rest
	evNav                    // a navigation mark
)

// navMark is a navigation decoration.
type navMark uint8

const (
	navSegno navMark = iota + 1
	navCoda
	navToCoda
	navFine
	navJump // with the Jump in event.jump
)

// evNote is one note of a note or chord event.
type evNote struct {
	pitch uint8
	staff int16 // letter and octave (7*octave+step): ties join notes on the same staff position
	dur   rat
	tie   bool
}

// event is one thing in a tune body, in written order, with lengths and
// pitches resolved: the lexer knows the unit length, the key and the
// accidentals in force, the layout only adds up time.
type event struct {
	dur       rat          // evNotes: time to the next event
	text      string       // evChord, evAnnot, evPart
	meter     *music.Meter // evMeter (nil: free meter)
	line, col int32
	n0, n1    int32      // evNotes: its notes, tuneParser.notes[n0:n1]
	count     int32      // evRestBars
	repEnd    int8       // evBar: times played in all when it ends a repeat, else 0
	kind      evKind     //
	repStart  bool       // evBar
	double    bool       // evBar: a double or thick barline ("||", "|]", "[|")
	ending    uint8      // evBar, evEnding: passes of a volta bracket starting here
	nav       navMark    // evNav
	jump      music.Jump // evNav with navJump
}

// scratch holds the buffers of one tune, reused for the next.
type scratch struct {
	events []event
	notes  []evNote
	slots  []lyricSlot
}

// maxEvents bounds the symbols of a tune (notes, barlines, chord
// symbols...), so that one without notes cannot take all memory either.
const maxEvents = 4 * MaxNotes

// Propagation of accidentals to later notes of the bar.
const (
	propOctave = iota // same letter, same octave (printed music; our default)
	propPitch         // same letter, every octave (abc 2.1 11.3, abc2midi)
	propNot           // only the note itself
)

// tuneParser reads one tune: the header, then the body into events.
type tuneParser struct {
	origin *music.Origin
	chart  *music.Chart
	inBody bool
	xLine  int

	order     []byte // part order from the header's P: or Y:
	orderY    bool   // the order came from Y:, which wins over P:
	unit      rat
	unitSet   bool
	meter     *music.Meter // meter in force
	key       keyField
	tempo     float64 // quarter notes per minute, 0 when not given
	propagate int
	program   int
	composers []string
	// symbols are the tune's redefinable symbols (U:), by character.
	symbols map[byte]string

	// Voices: only the first is read.
	firstVoice string
	musicSeen  bool
	active     bool

	// Lexer state.
	acc        accidentals
	tupletLeft int
	tuplet     rat
	broken     rat // factor for the next note after a broken rhythm; zero when none
	lastNotes  int // index in events of the last note event, -1 when none
	barSince   bool
	events     []event
	notes      []evNote

	// Lyrics (w:): the notes of the music line a w: line is aligned
	// with, the next one to take a syllable, how many w: lines followed
	// that music line (the first is the first verse, the one read), and
	// the syllables read, in event order.
	bars      int32 // barlines so far
	slots     []lyricSlot
	slotAt    int
	verses    int
	continued bool // the last music line ended in "\"
	lastField byte // the field of the last field line, for "+:"
	lyrics    []lyricRef
}

// lyricSlot is a note event that a syllable of a w: line can go to.
type lyricSlot struct {
	ev, bar int32
}

// lyricRef is a syllable sung on a note event.
type lyricRef struct {
	ev   int32
	text string
}

// accidentals remembers the accidentals written in the current bar.
type accidentals struct {
	octave [7][11]int8 // by letter and octave -1..9, alteration+3 (0 = none)
	pitch  [7]int8     // by letter in any octave, alteration+3
}

func (a *accidentals) reset() { *a = accidentals{} }

func newTuneParser(origin *music.Origin) *tuneParser {
	return &tuneParser{
		origin:    origin,
		chart:     &music.Chart{},
		program:   0,
		active:    true,
		lastNotes: -1,
	}
}

// decodeTune reads one tune after the file header's lines.
func decodeTune(t tuneText, defaults []line, origin *music.Origin) (*music.Chart, error) {
	return decodeTuneScratch(t, defaults, origin, &scratch{})
}

// decodeTuneScratch is decodeTune with buffers to reuse; they are handed
// back in sc.
func decodeTuneScratch(t tuneText, defaults []line, origin *music.Origin, sc *scratch) (*music.Chart, error) {
	p := newTuneParser(origin)
	p.events, p.notes, p.slots = sc.events[:0], sc.notes[:0], sc.slots[:0]
	defer func() { sc.events, sc.notes, sc.slots = p.events, p.notes, p.slots }()
	p.xLine = t.first
	for _, ln := range defaults {
		if err := p.fileHeaderLine(ln); err != nil {
			return nil, err
		}
	}
	if err := t.each(p.line); err != nil {
		return nil, err
	}
	if !p.inBody {
		return nil, &ParseError{p.xLine, 1, errors.New("tune has no K: field")}
	}
	p.chart.Parts = []music.Part{{Name: "Melody", Role: "melody", Channel: 0, Program: p.program}}
	if p.tempo > 0 {
		// In felt beats of the opening meter.
		bpm := p.tempo * music.PPQ / float64(p.chart.MeterOrDefault().BeatTicks())
		if bpm >= 1 && bpm < 10000 {
			p.chart.Tempo = int(math.Round(bpm))
		}
	}
	return p.layout()
}

func (p *tuneParser) errorf(ln line, col int, format string, args ...any) error {
	return &ParseError{ln.no, col, fmt.Errorf(format, args...)}
}

// fileHeaderLine reads a line of the file header: fields that set
// defaults for every tune.
func (p *tuneParser) fileHeaderLine(ln line) error {
	s := ln.text
	if strings.HasPrefix(s, "%") {
		p.directive(s)
		return nil
	}
	switch s[0] {
	case 'M', 'L', 'Q', 'R', 'I', 'C', 'U':
		return p.headerField(ln)
	}
	return nil
}

// line reads one line of a tune.
func (p *tuneParser) line(ln line) error {
	s := ln.text
	if strings.HasPrefix(s, "%") {
		p.directive(s)
		return nil
	}
	if !p.inBody {
		if !isFieldLine(s) {
			if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "+:") {
				return nil
			}
			return p.errorf(ln, 1, "music before the K: field")
		}
		return p.headerField(ln)
	}
	if strings.HasPrefix(s, "+:") {
		// A field continued: only lyrics are read on.
		if p.lastField == 'w' && p.verses == 1 && p.active {
			p.lyricLine(stripComment(s[2:]))
		}
		return nil
	}
	if isFieldLine(s) {
		p.lastField = s[0]
		return p.bodyField(ln, s[0], stripComment(s[2:]), 3)
	}
	p.lastField = 0
	if !p.continued {
		// A new music line: a w: line after it is aligned with its notes.
		p.slots, p.slotAt, p.verses = p.slots[:0], 0, 0
	}
	t := strings.TrimRight(stripComment(s), " \t")
	p.continued = strings.HasSuffix(t, "\\")
	return p.music(ln)
}

// stripComment cuts a "%" comment off a field value.
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i == 0 || s[i-1] != '\\') {
			return s[:i]
		}
	}
	return s
}

// directive reads a "%%" line (or an I: field); only the ones that change
// the notes matter here.
func (p *tuneParser) directive(s string) {
	if !strings.HasPrefix(s, "%%") {
		return
	}
	p.instruction(s[2:])
}

func (p *tuneParser) instruction(s string) {
	w := strings.Fields(stripComment(s))
	if len(w) < 2 {
		return
	}
	switch {
	case w[0] == "propagate-accidentals":
		switch w[1] {
		case "not":
			p.propagate = propNot
		case "octave":
			p.propagate = propOctave
		case "pitch":
			p.propagate = propPitch
		}
	case w[0] == "MIDI" && w[1] == "program" && len(w) >= 3:
		// "%%MIDI program [channel] n": the last number is the program.
		n, err := strconv.Atoi(w[len(w)-1])
		if err == nil && n >= 0 && n < 128 && p.program == 0 {
			p.program = n
		}
	}
}

// headerField reads a field line of the tune header.
func (p *tuneParser) headerField(ln line) error {
	s := ln.text
	v := stripComment(s[2:])
	switch s[0] {
	case 'X':
	case 'T':
		if p.chart.Title == "" {
			p.chart.Title = text(v)
		}
	case 'C':
		if c := text(v); c != "" {
			p.composers = append(p.composers, c)
			p.chart.Composer = strings.Join(p.composers, "; ")
		}
	case 'R':
		if p.chart.Style == "" {
			p.chart.Style = text(v)
		}
	case 'M':
		m, err := parseMeter(v)
		if err != nil {
			return p.errorf(ln, 3, "%v", err)
		}
		p.meter = m
		p.chart.Meter = m
	case 'L':
		u, err := parseUnit(v)
		if err != nil {
			return p.errorf(ln, 3, "%v", err)
		}
		p.unit, p.unitSet = u, true
	case 'Q':
		p.tempo = parseTempo(v, p.unitOrDefault())
	case 'P':
		if !p.orderY {
			o, err := parseOrder(v)
			if err != nil {
				return p.errorf(ln, 3, "%v", err)
			}
			p.order = o
		}
	case 'Y':
		// Not an abc 2.1 field: the Nottingham Music Database writes the
		// part order here.
		o, err := parseOrder(v)
		if err != nil {
			return p.errorf(ln, 3, "%v", err)
		}
		p.order, p.orderY = o, true
	case 'I':
		p.instruction(v)
	case 'U':
		p.userSymbol(v)
	case 'V':
		if id := voiceID(v); id != "" && p.firstVoice == "" {
			p.firstVoice = id
		}
	case 'K':
		kf, err := parseKey(v)
		if err != nil {
			return p.errorf(ln, 3, "%v", err)
		}
		p.key = kf
		p.chart.Key = kf.key
		p.startBody()
	}
	return nil
}

func (p *tuneParser) unitOrDefault() rat {
	if p.unitSet {
		return p.unit
	}
	return defaultUnit(p.meter)
}

// startBody ends the header: the unit length is known.
func (p *tuneParser) startBody() {
	p.inBody = true
	p.unit = p.unitOrDefault()
	p.unitSet = true
}

func voiceID(v string) string {
	f := strings.Fields(v)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// bodyField reads a field in the body, on its own line or inline ("[K:D]");
// col is the column of its value.
func (p *tuneParser) bodyField(ln line, name byte, v string, col int) error {
	if name == 'V' {
		p.switchVoice(voiceID(v))
		return nil
	}
	if !p.active {
		return nil
	}
	switch name {
	case 'K':
		kf, err := parseKey(v)
		if err != nil {
			return p.errorf(ln, col, "%v", err)
		}
		if strings.TrimSpace(v) == "" || onlyOptions(v) {
			return nil // a clef change: the key stays
		}
		p.key = kf
		p.acc.reset()
		if !p.musicSeen {
			// Before the first note: the tune's key after all.
			p.chart.Key = kf.key
		}
	case 'M':
		m, err := parseMeter(v)
		if err != nil {
			return p.errorf(ln, col, "%v", err)
		}
		p.meter = m
		if !p.musicSeen {
			p.chart.Meter = m
		}
		p.events = append(p.events, event{kind: evMeter, line: int32(ln.no), col: int32(col), meter: m})
	case 'L':
		u, err := parseUnit(v)
		if err != nil {
			return p.errorf(ln, col, "%v", err)
		}
		p.unit = u
	case 'P':
		p.events = append(p.events, event{kind: evPart, line: int32(ln.no), col: int32(col), text: text(v)})
	case 'I':
		p.instruction(v)
	case 'U':
		p.userSymbol(v)
	case 'w':
		p.verses++
		if p.verses == 1 {
			p.lyricLine(v)
		}
	}
	// T: (a part's title), W: (words after the tune), N:, R:, Q: (tempo changes
	// within a tune have no place in a chart) and the rest change no note.
	return nil
}

// onlyOptions reports whether a K: value names no key, only a clef or
// options ("K:bass", "K:clef=alto").
func onlyOptions(v string) bool {
	for _, w := range strings.Fields(v) {
		if !strings.Contains(w, "=") && !clefWords[strings.TrimRight(strings.ToLower(w), "+-8")] || w == "none" {
			return false
		}
	}
	return true
}

func (p *tuneParser) switchVoice(id string) {
	if p.firstVoice == "" && !p.musicSeen {
		p.firstVoice = id
	}
	p.active = id == p.firstVoice
}

// music reads a line of music.
func (p *tuneParser) music(ln line) error {
	s := ln.text
	for i := 0; i < len(s); {
		if !p.active {
			i = p.skipInactive(ln, i)
			continue
		}
		j, err := p.token(ln, i)
		if err != nil {
			return err
		}
		if len(p.events) > maxEvents {
			return p.errorf(ln, i+1, "too many symbols in one tune")
		}
		i = j
	}
	return nil
}

// skipInactive skips music of a voice that is not read, up to the next
// inline voice field.
func (p *tuneParser) skipInactive(ln line, i int) int {
	s := ln.text
	switch {
	case s[i] == '%':
		return len(s)
	case s[i] == '"':
		if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
			return i + j + 2
		}
		return len(s)
	case strings.HasPrefix(s[i:], "[V:"):
		if j := strings.IndexByte(s[i:], ']'); j >= 0 {
			p.switchVoice(voiceID(s[i+3 : i+j]))
			return i + j + 1
		}
		return len(s)
	}
	return i + 1
}

// decoLetters are the one-letter decorations of abc 2.1 (H L M O P S T u
// v) and the letters a tune may define as such with U: (H-W, h-w).
func isDecoLetter(c byte) bool { return c >= 'H' && c <= 'W' || c >= 'h' && c <= 'w' }

// token reads one token of music at s[i] and returns where the next starts.
func (p *tuneParser) token(ln line, i int) (int, error) {
	s := ln.text
	c := s[i]
	col := i + 1
	switch {
	case c == 'y':
		// A spacer, with the width abcm2ps reads after it ("y2", "y10.5",
		// "y/" as abc2midi takes it).
		j := i + 1
		for j < len(s) && (isDigit(s[j]) || s[j] == '/' || s[j] == '.' && j+1 < len(s) && isDigit(s[j+1])) {
			j++
		}
		return j, nil
	case c == ' ' || c == '\t' || c == '`' || c == '$' || c == '\\' || c == '*' || c == ';':
		// Spacing, beam breaks, line continuations and score line
		// breaks change no note.
		return i + 1, nil
	case c == '%':
		return len(s), nil
	case c == '"':
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return 0, p.errorf(ln, col, "unterminated chord symbol")
		}
		p.quoted(ln, col, s[i+1:i+1+j])
		return i + j + 2, nil
	case c == '!' || c == '+':
		j := strings.IndexByte(s[i+1:], c)
		if j < 0 {
			if c == '!' {
				return i + 1, nil // an abc 1.6 line break
			}
			return 0, p.errorf(ln, col, "unterminated decoration")
		}
		p.decoration(ln, col, s[i+1:i+1+j])
		return i + j + 2, nil
	case c == '{':
		// Grace notes take no time and are not counted as notes.
		j := strings.IndexByte(s[i+1:], '}')
		if j < 0 {
			return 0, p.errorf(ln, col, "unterminated grace notes")
		}
		return i + j + 2, nil
	case c == '(':
		if i+1 < len(s) && isDigit(s[i+1]) {
			return p.tupletStart(ln, i)
		}
		return i + 1, nil // a slur
	case c == '~' || isDecoLetter(c):
		// A redefinable symbol (abc 2.1, 4.16): its decoration.
		name, ok := p.symbols[c]
		if !ok {
			name = defaultSymbols[c]
		}
		p.decoration(ln, col, name)
		return i + 1, nil
	case c == ')' || c == '.':
		return i + 1, nil
	case c == '[':
		switch {
		case i+2 < len(s) && isLetter(s[i+1]) && s[i+2] == ':':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return 0, p.errorf(ln, col, "unterminated inline field")
			}
			if err := p.bodyField(ln, s[i+1], s[i+3:i+j], col+3); err != nil {
				return 0, err
			}
			return i + j + 1, nil
		case i+1 < len(s) && isDigit(s[i+1]):
			mask, j, err := p.endingList(ln, i+1)
			if err != nil {
				return 0, err
			}
			p.events = append(p.events, event{kind: evEnding, line: int32(ln.no), col: int32(col), ending: mask})
			return j, nil
		case i+1 < len(s) && s[i+1] == '|':
			return p.barline(ln, i)
		}
		return p.chord(ln, i)
	case c == '|' || c == ':':
		return p.barline(ln, i)
	case c == '-':
		if p.lastNotes < 0 || p.barSince {
			return 0, p.errorf(ln, col, "tie without a note before it")
		}
		ev := &p.events[p.lastNotes]
		for k := ev.n0; k < ev.n1; k++ {
			p.notes[k].tie = true
		}
		return i + 1, nil
	case c == '>' || c == '<':
		return p.brokenRhythm(ln, i)
	case c == '^' || c == '_' || c == '=' || isNoteLetter(c):
		n, j, err := p.note(ln, i)
		if err != nil {
			return 0, err
		}
		n0 := int32(len(p.notes))
		p.notes = append(p.notes, n)
		return j, p.addNotes(ln, col, n.dur, n0)
	case c == 'z' || c == 'x':
		d, j, err := p.length(ln, i+1)
		if err != nil {
			return 0, err
		}
		return j, p.addNotes(ln, col, d, int32(len(p.notes)))
	case c == 'Z' || c == 'X':
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		n := 1
		if j > i+1 {
			var err error
			if n, err = strconv.Atoi(s[i+1 : j]); err != nil || n < 1 || n > MaxBars {
				return 0, p.errorf(ln, col, "bad number of bars in a multi-bar rest")
			}
		}
		p.musicSeen = true
		p.lastNotes = -1
		p.events = append(p.events, event{kind: evRestBars, line: int32(ln.no), col: int32(col), count: int32(n)})
		return j, nil
	case c == '&':
		// A voice overlay: a second voice within the bar, not read.
		j := strings.IndexByte(s[i:], '|')
		if j < 0 {
			return len(s), nil
		}
		return i + j, nil
	}
	return 0, p.errorf(ln, col, "unexpected %q", c)
}

// quoted reads the text of a chord symbol or an annotation.
func (p *tuneParser) quoted(ln line, col int, t string) {
	if strings.TrimSpace(t) == "" {
		return
	}
	switch t[0] {
	case '^', '_', '<', '>', '@':
		p.events = append(p.events, event{kind: evAnnot, line: int32(ln.no), col: int32(col), text: text(t[1:])})
		return
	}
	p.events = append(p.events, event{kind: evChord, line: int32(ln.no), col: int32(col), text: text(t)})
}

// defaultSymbols are the decorations of the redefinable symbols that mark
// the form, before a U: field redefines them (abc 2.1, 4.16); the others
// (~ H L M P T u v) are ornaments and bowings, which change no note here.
var defaultSymbols = map[byte]string{'S': "segno", 'O': "coda"}

// userSymbol reads a U: field, "T=!trill!" or "T = +trill+": the
// decoration a symbol stands for in the rest of the tune. Symbols other
// than ~, H-W and h-w are not redefinable and are ignored, as abc2midi
// ignores them.
func (p *tuneParser) userSymbol(v string) {
	k, val, ok := strings.Cut(v, "=")
	k = strings.TrimSpace(k)
	if !ok || len(k) != 1 || k[0] != '~' && !isDecoLetter(k[0]) {
		return
	}
	val = strings.TrimSpace(val)
	if len(val) >= 2 && (val[0] == '!' || val[0] == '+') && val[len(val)-1] == val[0] {
		val = val[1 : len(val)-1]
	}
	if p.symbols == nil {
		p.symbols = map[byte]string{}
	}
	p.symbols[k[0]] = val
}

// navigation decorations of abc 2.1 (4.14) and their marks.
var navDecorations = map[string]struct {
	nav  navMark
	jump music.Jump
}{
	"segno": {navSegno, 0}, "coda": {navCoda, 0}, "fine": {navFine, 0},
	"dacoda": {navToCoda, 0}, "tocoda": {navToCoda, 0}, "D.C.": {navJump, music.DC}, "dacapo": {navJump, music.DC},
	"D.S.": {navJump, music.DS}, "D.C.alcoda": {navJump, music.DCAlCoda}, "D.C.alfine": {navJump, music.DCAlFine},
	"D.S.alcoda": {navJump, music.DSAlCoda}, "D.S.alfine": {navJump, music.DSAlFine},
}

func (p *tuneParser) decoration(ln line, col int, name string) {
	if d, ok := navDecorations[name]; ok {
		p.events = append(p.events, event{kind: evNav, line: int32(ln.no), col: int32(col), nav: d.nav, jump: d.jump})
	}
}

// tupletStart reads "(p", "(p:q" or "(p:q:r" at s[i].
func (p *tuneParser) tupletStart(ln line, i int) (int, error) {
	s := ln.text
	var nums [3]int
	j := i + 1
	for k := 0; k < 3; k++ {
		if k > 0 {
			if j >= len(s) || s[j] != ':' {
				break
			}
			j++
		}
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j > st {
			n, err := strconv.Atoi(s[st:j])
			if err != nil || n < 1 || n > 64 {
				return 0, p.errorf(ln, i+1, "bad tuplet %s", quote.Input(s[i:j]))
			}
			nums[k] = n
		}
	}
	n, q, r := nums[0], nums[1], nums[2]
	if n == 0 {
		return 0, p.errorf(ln, i+1, "bad tuplet")
	}
	if q == 0 {
		switch n {
		case 2, 4, 8:
			q = 3
		case 3, 6:
			q = 2
		default:
			q = 2
			if p.meter != nil && p.meter.Compound() {
				q = 3
			}
		}
	}
	if r == 0 {
		r = n
	}
	f, err := newRat(int64(q), int64(n))
	if err != nil {
		return 0, p.errorf(ln, i+1, "%v", err)
	}
	p.tuplet, p.tupletLeft = f, r
	return j, nil
}

// endingList reads the passes of a volta bracket at s[i]: "1", "2", "1,2",
// "1-3", "1.". It returns a mask of passes 1 to 8.
func (p *tuneParser) endingList(ln line, i int) (uint8, int, error) {
	s := ln.text
	var mask uint8
	j := i
	for {
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		a, err := strconv.Atoi(s[st:j])
		if err != nil || a < 1 || a > 8 {
			return 0, 0, p.errorf(ln, st+1, "volta bracket %s: want passes 1 to 8", quote.Input(s[i:j]))
		}
		b := a
		if j+1 < len(s) && s[j] == '-' && isDigit(s[j+1]) {
			st = j + 1
			j++
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			b, err = strconv.Atoi(s[st:j])
			if err != nil || b < a || b > 8 {
				return 0, 0, p.errorf(ln, st+1, "volta bracket %s: want passes 1 to 8", quote.Input(s[i:j]))
			}
		}
		for k := a; k <= b; k++ {
			mask |= 1 << (k - 1)
		}
		if j+1 < len(s) && s[j] == ',' && isDigit(s[j+1]) {
			j++
			continue
		}
		if j < len(s) && s[j] == '.' {
			j++
		}
		return mask, j, nil
	}
}

// barline reads a barline at s[i]: "|", "||", "|]", "[|", "|:", ":|",
// "::", ":|:", ":||:", with a volta bracket right after ("|1", ":|2").
func (p *tuneParser) barline(ln line, i int) (int, error) {
	s := ln.text
	j := i
	for j < len(s) {
		c := s[j]
		if c == ':' || c == '|' || c == '[' && j+1 < len(s) && s[j+1] == '|' || c == ']' && j > i && s[j-1] == '|' {
			j++
			continue
		}
		break
	}
	run := s[i:j]
	switch {
	case run == ":":
		// A colon apart from a barline: ": |" ends a repeat, as its writer
		// means (abc2midi plays no repeat); any other is dropped, as
		// abc2midi drops it.
		k := skipSpace(s, j)
		if k == len(s) || s[k] != '|' && !strings.HasPrefix(s[k:], "[|") {
			return j, nil
		}
		end, err := p.barline(ln, k)
		if err == nil {
			if ev := &p.events[len(p.events)-1]; ev.repEnd == 0 {
				ev.repEnd = 2
			}
		}
		return end, err
	case strings.HasSuffix(run, "|") || strings.HasSuffix(run, "]"):
		// "| :" starts a repeat, as abc2midi reads it.
		if k := skipSpace(s, j); k > j && k < len(s) && s[k] == ':' && (k+1 == len(s) || s[k+1] != '|' && s[k+1] != ':') {
			run, j = run+":", k+1
		}
	}
	ev := event{kind: evBar, line: int32(ln.no), col: int32(i + 1)}
	ev.double = strings.Count(run, "|") > 1 || strings.ContainsAny(run, "[]")
	if strings.Trim(run, ":") == "" {
		if len(run) < 2 {
			return 0, p.errorf(ln, i+1, "unexpected ':'")
		}
		ev.repEnd, ev.repStart = 2, true
	} else {
		lead := len(run) - len(strings.TrimLeft(run, ":"))
		trail := len(run) - len(strings.TrimRight(run, ":"))
		if lead > 0 {
			ev.repEnd = int8(min(lead+1, 9))
		}
		ev.repStart = trail > 0
	}
	if j < len(s) && isDigit(s[j]) {
		mask, k, err := p.endingList(ln, j)
		if err != nil {
			return 0, err
		}
		ev.ending, j = mask, k
	}
	p.events = append(p.events, ev)
	p.acc.reset()
	p.bars++
	p.barSince = true
	p.broken = rat{}
	return j, nil
}

// skipSpace returns the index of the first byte from i on that is not a
// space or a tab.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// brokenRhythm reads ">", ">>", "<" ...: the note before is lengthened by
// a dot (two, three dots) and the note after shortened to match.
func (p *tuneParser) brokenRhythm(ln line, i int) (int, error) {
	s := ln.text
	c := s[i]
	j := i
	for j < len(s) && s[j] == c {
		j++
	}
	n := j - i
	if n > 3 {
		return 0, p.errorf(ln, i+1, "broken rhythm with more than three %q", c)
	}
	if p.lastNotes < 0 || p.barSince {
		return 0, p.errorf(ln, i+1, "broken rhythm without a note before it")
	}
	short := rat{1, 1 << n}
	long := rat{(1 << (n + 1)) - 1, 1 << n}
	if c == '<' {
		short, long = long, short
	}
	ev := &p.events[p.lastNotes]
	var err error
	if ev.dur, err = ev.dur.mul(long); err != nil {
		return 0, p.errorf(ln, i+1, "%v", err)
	}
	for k := ev.n0; k < ev.n1; k++ {
		if p.notes[k].dur, err = p.notes[k].dur.mul(long); err != nil {
			return 0, p.errorf(ln, i+1, "%v", err)
		}
	}
	p.broken = short
	return j, nil
}

// minLength is the shortest note: one tick.
var minLength = rat{1, 4 * music.PPQ}

// addNotes appends a note event for the notes from n0 on (none for a
// rest) lasting d, after tuplets and broken rhythm.
func (p *tuneParser) addNotes(ln line, col int, d rat, n0 int32) error {
	var f rat = rat{1, 1}
	var err error
	if p.tupletLeft > 0 {
		f = p.tuplet
		p.tupletLeft--
	}
	if p.broken.n != 0 {
		if f, err = f.mul(p.broken); err != nil {
			return p.errorf(ln, col, "%v", err)
		}
		p.broken = rat{}
	}
	if d, err = d.mul(f); err != nil {
		return p.errorf(ln, col, "%v", err)
	}
	for k := n0; k < int32(len(p.notes)); k++ {
		if p.notes[k].dur, err = p.notes[k].dur.mul(f); err != nil {
			return p.errorf(ln, col, "%v", err)
		}
		if tooShort(p.notes[k].dur) {
			return p.errorf(ln, col, "note shorter than a tick (1/%d of a whole note)", 4*music.PPQ)
		}
	}
	if tooShort(d) {
		return p.errorf(ln, col, "note shorter than a tick (1/%d of a whole note)", 4*music.PPQ)
	}
	if len(p.notes) > MaxNotes {
		return p.errorf(ln, col, "%w", ErrTooManyNotes)
	}
	p.musicSeen = true
	p.barSince = false
	p.lastNotes = len(p.events)
	if n0 < int32(len(p.notes)) && len(p.slots) < maxEvents {
		p.slots = append(p.slots, lyricSlot{ev: int32(len(p.events)), bar: p.bars})
	}
	p.events = append(p.events, event{kind: evNotes, line: int32(ln.no), col: int32(col), dur: d, n0: n0, n1: int32(len(p.notes))})
	return nil
}

func tooShort(d rat) bool { return d.n*4*music.PPQ < d.d }

// note reads a note at s[i]: accidental, letter, octave marks and length.
func (p *tuneParser) note(ln line, i int) (evNote, int, error) {
	s := ln.text
	alter, n := accidental(s[i:])
	explicit := n > 0
	j := i + n
	if j >= len(s) || !isNoteLetter(s[j]) {
		return evNote{}, 0, p.errorf(ln, i+1, "accidental without a note")
	}
	step := letterStep(s[j])
	oct := 4
	if s[j] >= 'a' {
		oct = 5
	}
	j++
	for j < len(s) && (s[j] == '\'' || s[j] == ',') {
		if s[j] == '\'' {
			oct++
		} else {
			oct--
		}
		j++
	}
	if oct < -1 || oct > 9 {
		return evNote{}, 0, p.errorf(ln, i+1, "note out of range")
	}
	if explicit {
		switch p.propagate {
		case propOctave:
			p.acc.octave[step][oct+1] = alter + 3
		case propPitch:
			p.acc.pitch[step] = alter + 3
		}
	} else {
		alter = p.key.sig[step]
		switch {
		case p.propagate == propOctave && p.acc.octave[step][oct+1] != 0:
			alter = p.acc.octave[step][oct+1] - 3
		case p.propagate == propPitch && p.acc.pitch[step] != 0:
			alter = p.acc.pitch[step] - 3
		}
	}
	midi := (oct+1)*12 + []int{0, 2, 4, 5, 7, 9, 11}[step] + int(alter)
	if midi < 0 || midi > 127 {
		return evNote{}, 0, p.errorf(ln, i+1, "note out of the MIDI range")
	}
	d, j, err := p.length(ln, j)
	if err != nil {
		return evNote{}, 0, err
	}
	return evNote{pitch: uint8(midi), staff: int16(7*oct + int(step)), dur: d}, j, nil
}

// length reads a note length at s[i] ("", "2", "3/2", "/", "//", "/4") and
// returns it in whole notes.
func (p *tuneParser) length(ln line, i int) (rat, int, error) {
	s := ln.text
	num, den := int64(1), int64(1)
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j > i {
		n, err := strconv.Atoi(s[i:j])
		// Encode writes long tied-over lengths in fine units: up to
		// 32 whole notes in 256ths of an eighth.
		if err != nil || n < 1 || n > 1<<20 {
			return rat{}, 0, p.errorf(ln, i+1, "bad note length %s", quote.Input(s[i:j]))
		}
		num = int64(n)
	}
	for j < len(s) && s[j] == '/' {
		j++
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		d := 2
		if j > st {
			var err error
			if d, err = strconv.Atoi(s[st:j]); err != nil || d < 1 || d > 1<<12 {
				return rat{}, 0, p.errorf(ln, st+1, "bad note length %s", quote.Input(s[i:j]))
			}
		}
		den *= int64(d)
		if den > 1<<12 {
			return rat{}, 0, p.errorf(ln, i+1, "bad note length %s", quote.Input(s[i:j]))
		}
	}
	r, err := newRat(num, den)
	if err == nil {
		r, err = r.mul(p.unit)
	}
	if err != nil {
		return rat{}, 0, p.errorf(ln, i+1, "%v", err)
	}
	return r, j, nil
}

// chord reads "[CEG]" with a length after it; each note may have its own
// length and tie. The chord lasts as long as its first note.
func (p *tuneParser) chord(ln line, i int) (int, error) {
	s := ln.text
	n0 := int32(len(p.notes))
	j := i + 1
	for {
		if j >= len(s) {
			return 0, p.errorf(ln, i+1, "unterminated chord")
		}
		c := s[j]
		switch {
		case c == ']':
			j++
		case c == '^' || c == '_' || c == '=' || isNoteLetter(c):
			n, k, err := p.note(ln, j)
			if err != nil {
				return 0, err
			}
			if k < len(s) && s[k] == '-' {
				n.tie = true
				k++
			}
			// The same note twice in a chord sounds once.
			dup := false
			for m := range p.notes[n0:] {
				if q := &p.notes[int(n0)+m]; q.pitch == n.pitch {
					q.tie, dup = q.tie || n.tie, true
				}
			}
			if !dup {
				p.notes = append(p.notes, n)
			}
			j = k
			continue
		case c == ' ' || c == '.' || c == '~' || c == ')' || c == '(' || isDecoLetter(c):
			j++
			continue
		case c == '!' || c == '+':
			k := strings.IndexByte(s[j+1:], c)
			if k < 0 || k > strings.IndexByte(s[j+1:], ']') {
				j++ // a stray mark, as in "[+GB]" (abc 1.6 chords)
				continue
			}
			j += k + 2
			continue
		default:
			return 0, p.errorf(ln, j+1, "unexpected %q in a chord", c)
		}
		break
	}
	if int32(len(p.notes)) == n0 {
		return 0, p.errorf(ln, i+1, "chord without notes")
	}
	// The length after the chord multiplies its notes' lengths.
	save := p.unit
	p.unit = rat{1, 1}
	mult, j, err := p.length(ln, j)
	p.unit = save
	if err != nil {
		return 0, err
	}
	for k := n0; k < int32(len(p.notes)); k++ {
		if p.notes[k].dur, err = p.notes[k].dur.mul(mult); err != nil {
			return 0, p.errorf(ln, i+1, "%v", err)
		}
	}
	return j, p.addNotes(ln, i+1, p.notes[n0].dur, n0)
}
