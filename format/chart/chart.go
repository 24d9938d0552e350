// Package chart reads and writes sideman's plain-text chord chart format,
// ".chart": a few "name: value" header lines and bars between barlines, easy
// to type by hand. docs/chart-format.md is the full description; in short:
//
//	title: Blues for F
//	key: F
//	meter: 4/4
//
//	[A]
//	| F7 | Bb7 | F7 | Cm7 F7 |
//	| Bb7 | Bdim7 | F7 | Am7 D7 |
//	| Gm7 | C7 | F7 D7 | Gm7 C7 |
//
// The chords of a bar share it equally; "." holds the chord before for one
// more share ("Am9 . Dm7 Em7" is 2+1+1 beats in 4/4). "%" repeats the bar
// before. "|:" and ":|" (":|x3") are repeats, "1." "2." start endings,
// "3/4" at the start of a bar changes the meter ("7/4(4+3)" with its
// grouping, as "meter: 7/4 (4+3)" in the header), and @segno, @coda,
// @tocoda, @fine, @dc, @ds, @dc-al-coda, @ds-al-coda, @dc-al-fine and
// @ds-al-fine are the navigation marks. An "ending:" header names the
// chord a performance ends on ("ending: Fmaj7") or keeps the written end
// ("ending: as written"). An "instrument: Bb" (Eb, F) header says the
// chords are written for that transposing instrument: Decode returns them
// at concert pitch. A file may hold several tunes separated by a line
// "---".
package chart

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// maxBars bounds the bars of one tune.
const maxBars = 1 << 16

// ParseError is a syntax error at a line and column (both 1-based; column
// counts bytes), or an error in the whole input when Line is 0.
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "chart: " + e.Err.Error()
	}
	return fmt.Sprintf("chart: line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Decode reads every tune in a .chart file, at most format.MaxSize bytes.
func Decode(r io.Reader) ([]*music.Chart, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return DecodeBytes(data)
}

// DecodeBytes is Decode on input in memory.
func DecodeBytes(data []byte) ([]*music.Chart, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	var charts []*music.Chart
	p := &parser{line: 1}
	c := &music.Chart{}
	inBody := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), format.MaxSize)
	for ; sc.Scan(); p.line++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "---" {
			if err := p.finish(c); err != nil {
				return nil, err
			}
			charts = append(charts, c)
			c, inBody = &music.Chart{}, false
			p.reset()
			continue
		}
		text := stripComment(line)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if !inBody {
			if name, value, ok := headerLine(text); ok {
				if err := p.header(c, name, value); err != nil {
					return nil, &ParseError{p.line, 1, err}
				}
				continue
			}
			inBody = true
		}
		if err := p.bodyLine(c, text); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Line: p.line, Column: 1, Err: err}
	}
	if err := p.finish(c); err != nil {
		return nil, err
	}
	if len(c.Bars) > 0 || c.Title != "" || len(charts) == 0 {
		charts = append(charts, c)
	}
	return charts, nil
}

// stripComment removes a "#" comment that is not inside quotes.
func stripComment(line string) string {
	inQuote := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			if inQuote {
				i++ // an escaped character inside quotes
			}
		case '"':
			inQuote = !inQuote
		case '#':
			if !inQuote && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				return line[:i]
			}
		}
	}
	return line
}

// headerLine recognises "name: value" with a lower-case word name.
func headerLine(s string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	if v := strings.TrimSpace(value); len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		// A quoted value may hold a "#": `style: "#1 groove"`.
		if u, err := strconv.Unquote(v); err == nil {
			value = u
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", "", false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && r != '-' {
			return "", "", false
		}
	}
	return name, strings.TrimSpace(value), true
}

type parser struct {
	line      int
	section   string      // label for the next bar
	pending   music.Bar   // marks collected for the bar being read
	chords    []slotItem  // slots of the bar being read
	open      bool        // a bar has been started
	repeatBar bool        // the bar is "%": a copy of the bar before
	meter     music.Meter // meter of the last bar closed
}

type slotItem struct {
	hold  bool // "." continues the chord before
	chord music.Chord
	alt   *music.Chord
}

func (p *parser) reset() { *p = parser{line: p.line} }

func (p *parser) header(c *music.Chart, name, value string) error {
	switch name {
	case "title":
		c.Title = value
	case "composer":
		c.Composer = value
	case "key":
		k, err := music.ParseKey(value)
		if err != nil {
			return err
		}
		c.Key = &k
	case "meter", "time":
		m, err := music.ParseMeter(value)
		if err != nil {
			return err
		}
		c.Meter = &m
	case "tempo":
		t, err := strconv.Atoi(value)
		if err != nil || t < 1 || t > 1000 {
			return fmt.Errorf("tempo %s: want beats per minute, 1 to 1000", quote.Input(value))
		}
		c.Tempo = t
	case "style":
		c.Style = value
	case "ending":
		if strings.EqualFold(strings.Join(strings.Fields(value), " "), "as written") {
			c.Ending = &music.Ending{AsWritten: true}
			break
		}
		ch, err := music.ParseChord(value)
		if err != nil || ch.NoChord {
			return fmt.Errorf("ending %s: want a chord (Cmaj7) or \"as written\"", quote.Input(value))
		}
		c.Ending = &music.Ending{Chord: ch}
	case "instrument":
		// The chords are written for a transposing instrument; finish
		// moves them to concert pitch.
		t, err := music.ParseTransposing(value)
		if err != nil {
			return err
		}
		c.Written = &t
	default:
		return fmt.Errorf("unknown header %s (want title, composer, key, meter, tempo, style, ending or instrument)", quote.Input(name))
	}
	return nil
}

// bodyLine reads barlines, section labels and bar contents.
func (p *parser) bodyLine(c *music.Chart, s string) error {
	errAt := func(col int, format string, args ...any) error {
		return &ParseError{p.line, col + 1, fmt.Errorf(format, args...)}
	}
	i := 0
	for i < len(s) {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r':
			i++
		case ch == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return errAt(i, "section label without ]")
			}
			label := strings.TrimSpace(s[i+1 : i+j])
			if label == "" {
				return errAt(i, "empty section label")
			}
			p.section = label
			i += j + 1
		case ch == '"':
			// Go-style escapes are read ("say \"vamp\""); a plain quoted
			// text without them is the same either way.
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return errAt(i, "comment without closing quote")
			}
			p.pending.Comment, _ = strconv.Unquote(q)
			p.open = true
			i += len(q)
		case ch == '|' || (ch == ':' && i+1 < len(s) && s[i+1] == '|'):
			n, err := p.barline(c, s[i:])
			if err != nil {
				return errAt(i, "%v", err)
			}
			i += n
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '|' && !(s[j] == ':' && j+1 < len(s) && s[j+1] == '|') && s[j] != '"' {
				j++
			}
			if err := p.word(c, s[i:j]); err != nil {
				return errAt(i, "%v", err)
			}
			i = j
		}
	}
	return nil
}

// barline reads one barline token at the start of s and returns its length.
func (p *parser) barline(c *music.Chart, s string) (int, error) {
	n := 0
	repeatEnd, repeatStart := false, false
	if strings.HasPrefix(s, ":") {
		repeatEnd, n = true, 1
	}
	for n < len(s) && s[n] == '|' {
		n++
	}
	if n < len(s) && s[n] == ']' {
		n++
	}
	if n < len(s) && s[n] == ':' {
		repeatStart = true
		n++
	}
	times := 2
	if repeatEnd && n < len(s) && s[n] == 'x' {
		j := n + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		t, err := strconv.Atoi(s[n+1 : j])
		if err != nil || t < 2 || t > 64 {
			return 0, fmt.Errorf("repeat count %s: want x2 to x64", quote.Input(s[n:j]))
		}
		times, n = t, j
	}
	if repeatEnd {
		if !p.open && len(c.Bars) > 0 && c.Bars[len(c.Bars)-1].RepeatEnd == 0 {
			// ":|" right after a "|": the repeat closes the bar before.
			c.Bars[len(c.Bars)-1].RepeatEnd = times
		} else {
			p.pending.RepeatEnd = times
		}
	}
	if err := p.closeBar(c); err != nil {
		return 0, err
	}
	if repeatStart {
		p.pending.RepeatStart = true
	}
	return n, nil
}

// word reads a chord, a hold, a repeat-bar sign, an ending, a meter change or a mark.
func (p *parser) word(c *music.Chart, w string) error {
	p.open = true
	switch {
	case w == "." || w == "/":
		if p.repeatBar {
			return fmt.Errorf("%% must stand alone in its bar")
		}
		p.chords = append(p.chords, slotItem{hold: true})
	case w == "%":
		if len(c.Bars) == 0 {
			return fmt.Errorf("%% with no bar before it")
		}
		if len(p.chords) > 0 || p.repeatBar {
			return fmt.Errorf("%% must stand alone in its bar")
		}
		p.repeatBar = true
	case w[0] == '@':
		return p.mark(strings.ToLower(w[1:]))
	case w[0] >= '0' && w[0] <= '9':
		if strings.HasSuffix(w, ".") {
			var mask uint8
			for _, f := range strings.Split(strings.TrimSuffix(w, "."), ",") {
				n, err := strconv.Atoi(f)
				if err != nil || n < 1 || n > 8 {
					return fmt.Errorf("ending %s: want 1. to 8. (or 1,2.)", quote.Input(w))
				}
				mask |= 1 << (n - 1)
			}
			p.pending.Ending = mask
			return nil
		}
		m, err := music.ParseMeter(w)
		if err != nil && strings.Contains(w, "(") {
			return err // a grouped meter says what is wrong with it
		} else if err != nil {
			return fmt.Errorf("%s is neither an ending (1.) nor a meter (3/4, 7/4(4+3))", quote.Input(w))
		}
		p.pending.Meter = &m
	default:
		sym, alt := w, ""
		if i := strings.IndexByte(w, '{'); i > 0 && strings.HasSuffix(w, "}") {
			sym, alt = w[:i], w[i+1:len(w)-1]
		}
		ch, err := music.ParseChord(sym)
		if err != nil {
			return err
		}
		item := slotItem{chord: ch}
		if alt != "" {
			a, err := music.ParseChord(alt)
			if err != nil {
				return fmt.Errorf("alternate: %v", err)
			}
			item.alt = &a
		}
		if p.repeatBar {
			return fmt.Errorf("%% must stand alone in its bar")
		}
		p.chords = append(p.chords, item)
	}
	return nil
}

var marks = map[string]func(b *music.Bar){
	"segno":      func(b *music.Bar) { b.Segno = true },
	"coda":       func(b *music.Bar) { b.Coda = true },
	"tocoda":     func(b *music.Bar) { b.ToCoda = true },
	"fine":       func(b *music.Bar) { b.Fine = true },
	"dc":         func(b *music.Bar) { b.Jump = music.DC },
	"ds":         func(b *music.Bar) { b.Jump = music.DS },
	"dc-al-coda": func(b *music.Bar) { b.Jump = music.DCAlCoda },
	"ds-al-coda": func(b *music.Bar) { b.Jump = music.DSAlCoda },
	"dc-al-fine": func(b *music.Bar) { b.Jump = music.DCAlFine },
	"ds-al-fine": func(b *music.Bar) { b.Jump = music.DSAlFine },
}

func (p *parser) mark(name string) error {
	f, ok := marks[name]
	if !ok {
		return fmt.Errorf("unknown mark @%s (want @segno, @coda, @tocoda, @fine, @dc, @ds, @dc-al-coda, @ds-al-coda, @dc-al-fine or @ds-al-fine)", name)
	}
	f(&p.pending)
	return nil
}

// closeBar ends the bar being read, if any.
func (p *parser) closeBar(c *music.Chart) error {
	if !p.open {
		return nil
	}
	if len(c.Bars) >= maxBars {
		return fmt.Errorf("more than %d bars", maxBars)
	}
	b := p.pending
	if p.section != "" {
		b.Section, p.section = p.section, ""
	}
	if len(c.Bars) == 0 {
		p.meter = c.MeterOrDefault()
	}
	if b.Meter != nil {
		p.meter = *b.Meter
	}
	if p.repeatBar {
		b.Chords = append([]music.ChordAt(nil), c.Bars[len(c.Bars)-1].Chords...)
	}
	n := Ticks(len(p.chords))
	for i, it := range p.chords {
		if !it.hold {
			b.Chords = append(b.Chords, music.ChordAt{Offset: p.meter.BarTicks() * Ticks(i) / n, Chord: it.chord, Alt: it.alt})
		}
	}
	c.Bars = append(c.Bars, b)
	p.pending, p.chords, p.open, p.repeatBar = music.Bar{}, nil, false, false
	return nil
}

// Ticks is music.Ticks, shortened for the arithmetic above.
type Ticks = music.Ticks

// finish closes a tune: a bar left open without a final barline still counts.
func (p *parser) finish(c *music.Chart) error {
	if err := p.closeBar(c); err != nil {
		return &ParseError{p.line, 1, err}
	}
	if p.section != "" {
		return &ParseError{p.line, 1, fmt.Errorf("section [%s] has no bars", p.section)}
	}
	if c.Written != nil {
		*c = *c.Concert()
	}
	return nil
}
