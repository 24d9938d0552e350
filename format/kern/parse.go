package kern

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// spine is one column of the score as it stands at a line.
type spine struct {
	part int // index into parser.parts; -1 for a spine that is not **kern
	next rat // when the spine's last note or rest ends
}

type partInfo struct {
	name, code string
}

// bar is one written bar while the score is read.
type bar struct {
	start       rat
	meter       music.Meter // the written meter in force
	section     string
	repeatStart bool
	repeatEnd   bool
	notes       []music.Note // Start is absolute here, made relative at the end
}

// tieKey finds the open tie of a pitch in a part.
type tieKey struct {
	part  int
	pitch uint8
}

type tieRef struct{ bar, note int }

type parser struct {
	src    []byte
	origin *music.Origin
	line   int

	title, titleOrig, titleAny, composer string

	spines  []spine
	parts   []partInfo
	started bool

	now        rat
	meter      music.Meter
	hasMeter   bool // a *M line was read
	firstMeter music.Meter
	key        *music.Key
	keySig     *int
	tempo      float64

	bars      []bar
	ties      map[tieKey]tieRef
	notes     int
	pending   string              // a section label for the next bar
	lists     map[string][]string // expansion lists by name ("" unnamed)
	listOrder []string
}

func (p *parser) errf(spineIdx int, format string, args ...any) error {
	return &ParseError{Line: p.line, Spine: spineIdx, Err: fmt.Errorf(format, args...)}
}

func (p *parser) err(spineIdx int, err error) error {
	return &ParseError{Line: p.line, Spine: spineIdx, Err: err}
}

func (p *parser) parse() error {
	p.meter = music.DefaultMeter
	p.ties = map[tieKey]tieRef{}
	p.bars = []bar{{meter: p.meter}}
	data := p.src
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
	}
	var fields []string
	for len(data) > 0 {
		p.line++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			continue
		}
		if line[0] == '!' {
			if bytes.HasPrefix(line, []byte("!!!")) {
				p.reference(string(line[3:]))
			}
			continue
		}
		fields = splitTabs(fields[:0], string(line))
		if !p.started {
			if !strings.HasPrefix(fields[0], "**") {
				return p.errf(0, "data before the **kern line")
			}
			if err := p.exclusive(fields); err != nil {
				return err
			}
			continue
		}
		if len(p.spines) == 0 {
			return p.errf(0, "data after every spine has ended")
		}
		if len(fields) != len(p.spines) {
			return p.err(0, fmt.Errorf("%w: %d tokens for %d spines", ErrSpines, len(fields), len(p.spines)))
		}
		var err error
		switch line[0] {
		case '*':
			err = p.interpretation(fields)
		case '=':
			err = p.barline(fields)
		default:
			err = p.dataLine(fields)
		}
		if err != nil {
			return err
		}
	}
	if !p.started {
		return &ParseError{Err: ErrNoKern}
	}
	return nil
}

func splitTabs(dst []string, s string) []string {
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

// reference reads a reference record "!!!KEY: value".
func (p *parser) reference(rec string) {
	key, val, ok := strings.Cut(rec, ":")
	if !ok {
		return
	}
	val = html.UnescapeString(strings.TrimSpace(val))
	switch {
	case key == "COM" && p.composer == "":
		p.composer = val
	case key == "OTL" && p.title == "":
		p.title = val
	case strings.HasPrefix(key, "OTL@@") && p.titleOrig == "":
		p.titleOrig = val
	case strings.HasPrefix(key, "OTL") && p.titleAny == "":
		p.titleAny = val
	}
}

// exclusive reads the line of exclusive interpretations that opens the
// spines.
func (p *parser) exclusive(fields []string) error {
	if len(fields) > MaxSpines {
		return p.errf(0, "%d spines, more than %d", len(fields), MaxSpines)
	}
	for i, f := range fields {
		if !strings.HasPrefix(f, "**") {
			return p.errf(i+1, "%s is not an exclusive interpretation", quote.Input(f))
		}
		s := spine{part: -1}
		if f == "**kern" {
			s.part = len(p.parts)
			p.parts = append(p.parts, partInfo{})
		}
		p.spines = append(p.spines, s)
	}
	if len(p.parts) == 0 {
		return &ParseError{Err: ErrNoKern}
	}
	p.started = true
	return nil
}

// interpretation reads a line of tandem interpretations and spine
// manipulators.
func (p *parser) interpretation(fields []string) error {
	global := false // a meter, key or tempo was read from this line
	manip := false
	for i, f := range fields {
		s := &p.spines[i]
		switch f {
		case "*", "*-", "*^", "*v", "*x":
			manip = manip || f != "*"
			continue
		case "*+":
			return p.err(i+1, ErrAddSpine)
		}
		if strings.HasPrefix(f, "**") {
			return p.errf(i+1, "exclusive interpretation %s without *+", quote.Input(f))
		}
		if s.part < 0 || global && !strings.HasPrefix(f, "*I") {
			continue
		}
		used, err := p.tandem(i, f)
		if err != nil {
			return err
		}
		global = global || used
	}
	if manip {
		return p.manipulate(fields)
	}
	return nil
}

// tandem reads one tandem interpretation of a **kern spine; it reports
// whether it was one that holds for all spines (meter, key, tempo,
// sections), which are then taken from the first spine only.
func (p *parser) tandem(i int, f string) (bool, error) {
	part := &p.parts[p.spines[i].part]
	switch {
	case strings.HasPrefix(f, `*I"`):
		part.name = f[3:]
	case strings.HasPrefix(f, "*I'"), strings.HasPrefix(f, "*IC"), strings.HasPrefix(f, "*IG"):
	case strings.HasPrefix(f, "*I") && len(f) > 2 && f[2] >= 'a' && f[2] <= 'z':
		part.code = f[2:]
	case strings.HasPrefix(f, "*MM"):
		v, err := strconv.ParseFloat(f[3:], 64)
		if err == nil && v > 0 && v < 10000 && p.tempo == 0 {
			p.tempo = v
		}
		return true, nil
	case strings.HasPrefix(f, "*M") && len(f) > 2 && f[2] >= '0' && f[2] <= '9':
		m, err := music.ParseMeter(f[2:])
		if err != nil {
			return false, p.err(i+1, err)
		}
		if !p.hasMeter {
			p.firstMeter = m
		}
		p.meter, p.hasMeter = m, true
		return true, nil
	case strings.HasPrefix(f, "*k["):
		if p.keySig == nil {
			n := strings.Count(f, "#") - strings.Count(f, "-")
			if n >= -7 && n <= 7 {
				p.keySig = &n
			}
		}
		return true, nil
	case strings.HasPrefix(f, "*>"):
		return true, p.section(i, f[2:])
	case strings.HasSuffix(f, ":") || strings.Contains(f, ":"):
		if k, ok := parseKey(f[1:]); ok && p.key == nil {
			p.key = &k
		}
		return true, nil
	}
	return false, nil
}

// section reads *>A (a label) or *>[A,B] and *>name[A,B] (expansion
// lists).
func (p *parser) section(i int, s string) error {
	if j := strings.IndexByte(s, '['); j >= 0 {
		if !strings.HasSuffix(s, "]") {
			return p.errf(i+1, "expansion list %s without ]", quote.Input(s))
		}
		name := s[:j]
		if p.lists == nil {
			p.lists = map[string][]string{}
		}
		if _, ok := p.lists[name]; !ok {
			p.lists[name] = strings.Split(s[j+1:len(s)-1], ",")
			p.listOrder = append(p.listOrder, name)
		}
		return nil
	}
	if s == "" {
		return nil
	}
	b := &p.bars[len(p.bars)-1]
	if len(b.notes) == 0 && !p.now.less(b.start) && !b.start.less(p.now) {
		b.section = s
	} else {
		p.pending = s
	}
	return nil
}

// parseKey reads a key designation without its "*": "G:", "g:", "B-:",
// "f#:", "g:dor".
func parseKey(s string) (music.Key, bool) {
	name, mode, ok := strings.Cut(s, ":")
	if !ok || name == "" {
		return music.Key{}, false
	}
	c := name[0]
	minor := c >= 'a' && c <= 'g'
	if !minor && (c < 'A' || c > 'G') {
		return music.Key{}, false
	}
	sp, n, err := music.ParseSpelling(strings.ReplaceAll(name, "-", "b"))
	if err != nil || n != len(name) {
		return music.Key{}, false
	}
	k := music.Key{Tonic: sp, Mode: music.Major}
	if minor {
		k.Mode = music.Minor
	}
	if mode != "" {
		m, ok := music.ParseMode(mode)
		if !ok || mode == "m" || mode == "-" {
			return music.Key{}, false
		}
		k.Mode = m
	}
	return k, true
}

// manipulate applies the spine manipulators of a line: *- ends a spine,
// *^ splits it in two, adjacent *v join into one, two adjacent *x swap.
func (p *parser) manipulate(fields []string) error {
	var out []spine
	for i := 0; i < len(fields); i++ {
		switch fields[i] {
		case "*-":
		case "*^":
			out = append(out, p.spines[i], p.spines[i])
		case "*v":
			j := i
			for j+1 < len(fields) && fields[j+1] == "*v" {
				j++
			}
			if j == i {
				return p.errf(i+1, "*v alone: a join needs two spines")
			}
			// The joined spine goes on in the first one's part; it sounds
			// until the last of them ends.
			s := p.spines[i]
			for k := i + 1; k <= j; k++ {
				if s.next.less(p.spines[k].next) {
					s.next = p.spines[k].next
				}
				if s.part < 0 {
					s.part = p.spines[k].part
				}
			}
			out = append(out, s)
			i = j
		case "*x":
			if i+1 >= len(fields) || fields[i+1] != "*x" {
				return p.errf(i+1, "*x alone: an exchange needs two spines")
			}
			out = append(out, p.spines[i+1], p.spines[i])
			i++
		default:
			out = append(out, p.spines[i])
		}
	}
	if len(out) > MaxSpines {
		return p.errf(0, "%d spines, more than %d", len(out), MaxSpines)
	}
	p.spines = out
	return nil
}

// barline reads a line of barlines: it closes the bar and opens the next.
func (p *parser) barline(fields []string) error {
	tok := fields[0]
	for i, f := range fields {
		if p.spines[i].part >= 0 {
			tok = f
			break
		}
	}
	endRepeat := strings.Contains(tok, ":|") || strings.Contains(tok, ":!")
	startRepeat := strings.Contains(tok, "|:") || strings.Contains(tok, "!:")
	cur := &p.bars[len(p.bars)-1]
	empty := len(cur.notes) == 0 && !cur.start.less(p.now)
	if empty {
		// Two barlines with nothing between (the first of the score, or
		// "=:|!" followed by "=9"): the bar before keeps the end repeat,
		// the open bar the start repeat.
		if endRepeat && len(p.bars) > 1 {
			p.bars[len(p.bars)-2].repeatEnd = true
		}
		cur.repeatStart = cur.repeatStart || startRepeat
		return nil
	}
	if len(p.bars) >= MaxBars {
		return p.err(0, ErrTooLong)
	}
	cur.repeatEnd = cur.repeatEnd || endRepeat
	p.bars = append(p.bars, bar{start: p.now, meter: p.meter, section: p.pending, repeatStart: startRepeat})
	p.pending = ""
	return nil
}

var errStillSounding = errors.New("a new note while the one before still sounds")

// dataLine reads a line of notes, rests and nulls, and moves time on to
// the next event of any spine.
func (p *parser) dataLine(fields []string) error {
	cur := &p.bars[len(p.bars)-1]
	if !cur.start.less(p.now) && len(cur.notes) == 0 {
		// A meter set before the bar's first data belongs to it.
		cur.meter = p.meter
		if p.pending != "" && cur.section == "" {
			cur.section, p.pending = p.pending, ""
		}
	}
	// A line of grace notes takes no time: the next line starts at once.
	grace, moved := false, false
	for i, f := range fields {
		s := &p.spines[i]
		if s.part < 0 || f == "." || strings.TrimSpace(f) == "" {
			continue
		}
		if p.now.less(s.next) {
			return p.err(i+1, errStillSounding)
		}
		dur, err := p.token(i, f, cur.meter)
		if err != nil {
			return err
		}
		if dur.n == 0 {
			grace = true
		} else {
			moved = true
		}
		if s.next, err = p.now.add(dur); err != nil {
			return p.err(i+1, err)
		}
	}
	if grace && !moved {
		return nil
	}
	// The next line starts when the first sounding event ends.
	next, found := rat{}, false
	for _, s := range p.spines {
		if p.now.less(s.next) && (!found || s.next.less(next)) {
			next, found = s.next, true
		}
	}
	if found {
		p.now = next
	}
	return nil
}

// token reads the notes of one data token (several when separated by
// spaces) and returns how long the token lasts.
func (p *parser) token(i int, f string, m music.Meter) (rat, error) {
	var longest rat
	for sub := range strings.FieldsSeq(f) {
		n, err := parseNote(sub)
		if err == errNoDuration && n.rest {
			// "rr" and a rest without a duration fill the bar.
			n.dur, err = rat{int64(m.Num), int64(m.Den)}, nil
		}
		if err != nil {
			return rat{}, p.err(i+1, fmt.Errorf("%s: %w", quote.Input(sub), err))
		}
		if longest.less(n.dur) {
			longest = n.dur
		}
		if n.rest || n.grace {
			continue
		}
		if err := p.addNote(i, n); err != nil {
			return rat{}, err
		}
	}
	return longest, nil
}

// addNote places a note, or lengthens the note its tie continues.
func (p *parser) addNote(i int, n note) error {
	part := p.spines[i].part
	key := tieKey{part, n.pitch}
	start := p.now.ticks()
	end, err := p.now.add(n.dur)
	if err != nil {
		return p.err(i+1, err)
	}
	if n.tieEnd || n.tieMid {
		if ref, ok := p.ties[key]; ok {
			tied := &p.bars[ref.bar].notes[ref.note]
			tied.Duration = music.Ticks(end.ticks()) - tied.Start
			if n.tieEnd {
				delete(p.ties, key)
			}
			return nil
		}
		// A tie whose start is missing: the note stands alone.
	}
	if p.notes++; p.notes > MaxNotes {
		return p.err(i+1, ErrTooLong)
	}
	b := len(p.bars) - 1
	p.bars[b].notes = append(p.bars[b].notes, music.Note{
		Pitch:    n.pitch,
		Velocity: 80,
		Part:     int16(part),
		Start:    music.Ticks(start),
		Duration: music.Ticks(end.ticks() - start),
		Origin:   p.origin,
	})
	if n.tieStart {
		p.ties[key] = tieRef{b, len(p.bars[b].notes) - 1}
	}
	return nil
}

// note is one note or rest of a token.
type note struct {
	pitch                    uint8
	dur                      rat
	rest, grace              bool
	tieStart, tieMid, tieEnd bool
}

var (
	errNoDuration = errors.New("no duration")
	errPitch      = errors.New("no pitch")
)

// parseNote reads a note or rest: a duration, a pitch, and signs in any
// order as **kern allows; signs that do not change what sounds (beams,
// stems, fermatas, articulations, editorial marks) are passed.
func parseNote(s string) (note, error) {
	var n note
	t, err := scanNote(s, &n)
	if err != nil || n.grace {
		return n, err
	}
	if n.dur, err = t.duration(); err != nil || n.rest {
		return n, err
	}
	key, err := t.key()
	if err != nil {
		return n, err
	}
	n.pitch = uint8(key)
	return n, nil
}

// noteToken is what a note token writes, as scanned.
type noteToken struct {
	letter       byte // the pitch letter: c is middle C's, C the octave below
	count, alter int  // the letter's repeats (one an octave) and sharps less flats
	recip, dots  int  // the reciprocal duration (-1 when none) and its dots
	recipDen     int64
	zeros        int // the zeros of a breve (0), long (00) or maxima (000)
}

// scanNote reads a note token's duration and pitch into a noteToken and
// its rest, grace and tie signs into n.
func scanNote(s string, n *note) (noteToken, error) {
	t := noteToken{recip: -1, recipDen: 1}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j, err := t.readDuration(s, i)
			if err != nil {
				return t, err
			}
			i = j - 1
		case c >= 'a' && c <= 'g' || c >= 'A' && c <= 'G':
			if t.letter != 0 && c != t.letter {
				return t, fmt.Errorf("two pitches")
			}
			t.letter = c
			t.count++
		case c == '#':
			t.alter++
		case c == '-':
			t.alter--
		case c == 'r':
			n.rest = true
		case c == 'q' || c == 'Q':
			n.grace = true
		case c == '[':
			n.tieStart = true
		case c == ']':
			n.tieEnd = true
		case c == '_':
			n.tieMid = true
		}
	}
	return t, nil
}

// readDuration reads the duration starting at s[i]: a reciprocal ("8"),
// a ratio ("3%2") and dots. It returns the index after it.
func (t *noteToken) readDuration(s string, i int) (int, error) {
	if t.recip >= 0 {
		return 0, fmt.Errorf("two durations")
	}
	j := i
	v := int64(0)
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		if v < 1<<20 {
			v = v*10 + int64(s[j]-'0')
		}
		j++
	}
	if v >= 1<<20 {
		return 0, fmt.Errorf("duration %s too short", s[i:j])
	}
	if v == 0 {
		t.zeros = j - i // 0 a breve, 00 a long, 000 a maxima
	}
	if j < len(s) && s[j] == '%' {
		k := j + 1
		d := int64(0)
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			if d < 1<<20 {
				d = d*10 + int64(s[k]-'0')
			}
			k++
		}
		if k == j+1 || d == 0 || d >= 1<<20 || v == 0 {
			return 0, fmt.Errorf("bad duration %s", s[i:k])
		}
		t.recipDen = d
		j = k
	}
	t.recip = int(v)
	for j < len(s) && s[j] == '.' {
		t.dots++
		j++
	}
	return j, nil
}

// duration is the token's length in whole notes: 1/recip (recipDen/recip
// for n%d), a breve 2, and each dot half the value before.
func (t noteToken) duration() (rat, error) {
	if t.recip < 0 {
		return rat{}, errNoDuration
	}
	base := rat{t.recipDen, int64(t.recip)}
	if t.recip == 0 {
		base = rat{int64(1) << min(t.zeros, 3), 1}
	}
	if t.dots > 0 {
		dots := min(t.dots, 8)
		base = rat{base.n * (int64(2)<<dots - 1), base.d << dots}
	}
	dur, err := (rat{}).add(base)
	if err != nil {
		return dur, err
	}
	// Shorter than a tick, a note could not keep its place in the bar.
	if dur.less(rat{1, 4 * music.PPQ}) {
		return dur, fmt.Errorf("duration shorter than a tick (a %d-th of a whole note)", 4*music.PPQ)
	}
	return dur, nil
}

// key is the token's MIDI key: c is middle C (60), cc the octave above, C
// the octave below, with its sharps and flats.
func (t noteToken) key() (int, error) {
	if t.letter == 0 {
		return 0, errPitch
	}
	if t.alter < -2 || t.alter > 2 {
		return 0, fmt.Errorf("%d accidentals", t.alter)
	}
	steps := [7]int{9, 11, 0, 2, 4, 5, 7}
	var key int
	if t.letter >= 'a' {
		key = 60 + 12*(t.count-1) + steps[t.letter-'a']
	} else {
		key = 48 - 12*(t.count-1) + steps[t.letter-'A']
	}
	key += t.alter
	if key < 0 || key > 127 {
		return 0, fmt.Errorf("pitch %d outside MIDI 0..127", key)
	}
	return key, nil
}
