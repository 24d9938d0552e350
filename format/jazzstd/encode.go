package jazzstd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// Encode writes charts as a JSON array of tunes in the collection's shape.
// A chart in the form Decode makes (sections, each a plain run of bars, a
// repeat, or a repeat with volta brackets) is written with its sections
// and endings, so that Decode gives it back. Any other chart (D.C. and
// D.S., codas, nested repeats) is written in played order, as
// Unroll(1) gives it. What the format cannot hold is left out: tempo,
// comments, written notes. A meter change inside a chart, a chord placed
// off every grid of up to 64 slots, or a chord symbol that cannot be
// spelled without the format's separators is an error.
func Encode(w io.Writer, charts []*music.Chart) error {
	tunes := make([]tuneJSON, 0, len(charts))
	for i, c := range charts {
		if c == nil {
			return &EncodeError{ParseError{Tune: i + 1, Err: errors.New("nil chart")}}
		}
		t, err := encodeChart(i+1, c)
		if err != nil {
			return err
		}
		tunes = append(tunes, *t)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(tunes)
}

// planSection is one section to write: bars of the chart (or of its
// played form) by index.
type planSection struct {
	label   string
	repeats int
	main    [2]int   // [first, end) of the main segment
	endings [][2]int // [first, end) of each ending
}

// tuneEncoder writes the bars of one chart.
type tuneEncoder struct {
	tune     int
	title    string
	bars     []music.Bar
	nums     []int // the written bar number of each bar, for errors
	barTicks music.Ticks
	prev     music.Chord // mirrors tuneDecoder.prev
}

func (e *tuneEncoder) fail(i int, sym string, err error) error {
	return &EncodeError{ParseError{Tune: e.tune, Title: e.title, Bar: e.nums[i], Symbol: sym, Err: err}}
}

func encodeChart(index int, c *music.Chart) (*tuneJSON, error) {
	t := &tuneJSON{Title: c.Title, Composer: c.Composer, Rhythm: c.Style}
	if c.Key != nil {
		t.Key = keyText(*c.Key)
	}
	meter := c.Meter
	if meter == nil && len(c.Bars) > 0 && c.Bars[0].Meter != nil {
		meter = c.Bars[0].Meter
	}
	if meter != nil {
		t.TimeSignature = meter.String()
	}
	m := music.DefaultMeter
	if meter != nil {
		m = *meter
	}
	for i, b := range c.Bars {
		if b.Meter != nil && (b.Meter.Num != m.Num || b.Meter.Den != m.Den) {
			return nil, &EncodeError{ParseError{Tune: index, Title: c.Title, Bar: i + 1, Symbol: b.Meter.String(),
				Err: fmt.Errorf("meter change to %v in a %v chart cannot be written", *b.Meter, m)}}
		}
	}
	e := &tuneEncoder{tune: index, title: c.Title, barTicks: m.BarTicks()}

	// As written, when Decode reads it back to the same chart.
	e.bars = c.Bars
	e.nums = make([]int, len(c.Bars))
	for i := range e.nums {
		e.nums[i] = i + 1
	}
	sections, err := e.write(planWritten(c.Bars))
	if err != nil {
		return nil, err
	}
	t.Sections = sections
	if back, err := decodeTune(index, t); err == nil && sameChart(back, c) {
		return t, nil
	}

	// Otherwise as played.
	played := c.Unroll(1)
	e.bars = make([]music.Bar, len(played))
	e.nums = make([]int, len(played))
	for i, pb := range played {
		e.bars[i] = music.Bar{Section: pb.Bar.Section, Chords: pb.Bar.Chords}
		e.nums[i] = pb.Index + 1
	}
	if t.Sections, err = e.write(planWritten(e.bars)); err != nil {
		return nil, err
	}
	return t, nil
}

// planWritten splits bars into sections the way Decode builds them: a
// section starts at a label, a repeat sign or the bar after a closing
// repeat; its endings are the volta brackets that follow it, numbered
// 1, 2, 3... An ending that carries a label starts a section with no main
// segment of its own, whose brackets continue the repeat before it.
func planWritten(bars []music.Bar) []planSection {
	var out []planSection
	plain := func(j int) bool {
		return bars[j-1].RepeatEnd == 0 && bars[j].Section == "" && !bars[j].RepeatStart && bars[j].Ending == 0
	}
	brackets := 0 // brackets of the repeat the last section ends with
	for i := 0; i < len(bars); {
		s := planSection{label: labelText(bars[i].Section), main: [2]int{i, i}}
		j := i
		if bars[i].Ending == 0 {
			for j++; j < len(bars) && plain(j); j++ {
			}
			s.main[1] = j
			brackets = 0
		}
		if j == i && brackets > 0 && bars[i].Ending == 1 {
			// A new repeat right after the brackets of another: an empty
			// section keeps Decode from reading on the old one.
			out = append(out, planSection{main: [2]int{i, i}})
			brackets = 0
		}
		// A main segment that closes its own repeat takes no brackets: any
		// that follow belong to a section of their own.
		closed := j > i && bars[j-1].RepeatEnd > 0
		for !closed && j < len(bars) && bars[j].Ending != 0 && (j == i || bars[j].Section == "") {
			if j > i && (bars[j].Ending != 1<<brackets || bars[j].RepeatStart) {
				// Not the next bracket, or one where a later repeat starts:
				// the next section starts here.
				break
			}
			end := j + 1
			for end < len(bars) && plain(end) {
				end++
			}
			s.endings = append(s.endings, [2]int{j, end})
			brackets++
			j = end
		}
		switch last := s.main[1] - 1; {
		case len(s.endings) == 0 && last >= i && bars[i].RepeatStart && bars[last].RepeatEnd > 1:
			s.repeats = bars[last].RepeatEnd - 1
		case len(s.endings) == 1 && bars[s.endings[0][1]-1].RepeatEnd > 2:
			// A lone bracket repeated more than twice.
			s.repeats = bars[s.endings[0][1]-1].RepeatEnd - 1
		}
		out = append(out, s)
		i = j
	}
	return out
}

// write spells planned sections, chord by chord, in the order Decode reads
// them.
func (e *tuneEncoder) write(plan []planSection) ([]sectionJSON, error) {
	e.prev = music.NC
	out := make([]sectionJSON, 0, len(plan))
	var afterMain music.Chord
	for k, s := range plan {
		js := sectionJSON{Label: s.label, Repeats: s.repeats}
		var err error
		if js.MainSegment.Chords, err = e.segment(s.main); err != nil {
			return nil, err
		}
		// Decode resumes every ending from the chord that ends the main
		// segment, of this section or, without one, of the repeat's
		// first section.
		if s.main[1] > s.main[0] || k == 0 || len(plan[k-1].endings) == 0 {
			afterMain = e.prev
		}
		for _, r := range s.endings {
			e.prev = afterMain
			text, err := e.segment(r)
			if err != nil {
				return nil, err
			}
			js.Endings = append(js.Endings, segmentJSON{Chords: text})
		}
		out = append(out, js)
	}
	return out, nil
}

// segment writes bars [r[0], r[1]) as a Chords string.
func (e *tuneEncoder) segment(r [2]int) (string, error) {
	parts := make([]string, 0, r[1]-r[0])
	for i := r[0]; i < r[1]; i++ {
		text, err := e.bar(i)
		if err != nil {
			return "", err
		}
		parts = append(parts, text)
	}
	if len(parts) == 1 && parts[0] == "" {
		return ",", nil // one empty bar; "" would be no bar at all
	}
	return strings.Join(parts, "|"), nil
}

// bar writes one bar: its chords in the fewest equal slots that place them
// exactly.
func (e *tuneEncoder) bar(i int) (string, error) {
	b := &e.bars[i]
	if len(b.Chords) == 0 {
		return "", nil
	}
	n, slot, err := slotsFor(b.Chords, e.barTicks)
	if err != nil {
		return "", e.fail(i, "", err)
	}
	slots := make([]string, n)
	for k, at := range b.Chords {
		text := ""
		// A lone "(X)" is an alternate over the chord that is sounding.
		if at.Alt == nil || !reflect.DeepEqual(at.Chord, e.prev) {
			if text, err = chordText(at.Chord); err != nil {
				return "", e.fail(i, at.Chord.String(), err)
			}
		}
		if at.Alt != nil {
			alt, err := chordText(*at.Alt)
			if err != nil {
				return "", e.fail(i, at.Alt.String(), err)
			}
			text += "(" + alt + ")"
		}
		slots[slot[k]] = text
		e.prev = at.Chord
	}
	return strings.Join(slots, ","), nil
}

// slotsFor finds the fewest equal slots of a bar in which Decode puts each
// chord back at its offset (slot k starts at k*barTicks/n, rounded down),
// and the slot of each chord.
func slotsFor(chords []music.ChordAt, barTicks music.Ticks) (int, []int, error) {
	for k, at := range chords {
		if at.Offset < 0 || at.Offset >= barTicks || (k > 0 && at.Offset <= chords[k-1].Offset) {
			return 0, nil, fmt.Errorf("chord at tick %d of a %d-tick bar is out of order or outside the bar", at.Offset, barTicks)
		}
	}
	slot := make([]int, len(chords))
next:
	for n := 1; n <= maxSlots && music.Ticks(n) <= barTicks; n++ {
		for k, at := range chords {
			// The first slot that starts at or after the offset.
			s := (at.Offset*music.Ticks(n) + barTicks - 1) / barTicks
			if s >= music.Ticks(n) || s*barTicks/music.Ticks(n) != at.Offset {
				continue next
			}
			slot[k] = int(s)
		}
		return n, slot, nil
	}
	return 0, nil, fmt.Errorf("chords at ticks %v fit no grid of up to %d slots", offsets(chords), maxSlots)
}

func offsets(chords []music.ChordAt) []music.Ticks {
	out := make([]music.Ticks, len(chords))
	for i, at := range chords {
		out[i] = at.Offset
	}
	return out
}

// chordText spells a chord for a Chords string: as written when the
// symbol reads back to the same chord and holds none of the separators
// "|,()", else its standard name without parentheses ("Bb7(b9,#11)" is
// written "Bb7b9#11").
func chordText(c music.Chord) (string, error) {
	writable := func(s string) bool {
		return s != "" && s == strings.TrimSpace(s) && !strings.ContainsAny(s, "|,()")
	}
	if c.NoChord {
		if writable(c.Symbol) {
			if p, err := music.ParseChord(c.Symbol); err == nil && p.NoChord {
				return c.Symbol, nil
			}
		}
		return "N.C.", nil
	}
	if writable(c.Symbol) {
		if p, err := music.ParseChord(c.Symbol); err == nil && p.Same(c) {
			return c.Symbol, nil
		}
	}
	name := c.Name()
	_, n, err := music.ParseSpelling(name)
	if err != nil {
		return "", fmt.Errorf("chord %s: %v", quote.Input(name), err)
	}
	quality := strings.NewReplacer("(", "", ")", "", ",", "").Replace(name[n:])
	if strings.HasPrefix(quality, "#") || strings.HasPrefix(quality, "b") {
		// "C(b5)" must not become "Cb5", a C-flat chord: Impro-Visor's "M"
		// (a major triad) keeps the root apart.
		quality = "M" + quality
	}
	text := name[:n] + quality
	if p, err := music.ParseChord(text); err == nil && p.Same(c) && writable(text) {
		return text, nil
	}
	return "", fmt.Errorf("chord %s cannot be written without parentheses", quote.Input(name))
}

// labelText is the inverse of sectionName.
func labelText(section string) string {
	switch section {
	case "Intro":
		return "i"
	case "Verse":
		return "v"
	}
	return section
}

// keyText writes a key as the collection does: "Eb", "Cmin".
func keyText(k music.Key) string {
	switch k.Mode {
	case music.Major:
		return k.Tonic.String()
	case music.Minor:
		return k.Tonic.String() + "min"
	}
	return k.Tonic.String() + " " + k.Mode.String()
}

// sameChart reports whether Decode's reading b of an encoded chart is the
// chart c, as far as the format can hold it: chords compare by sound, and
// tempo, comments and notes, which the format has no place for, are not
// compared.
func sameChart(b, c *music.Chart) bool {
	if b.Title != c.Title || b.Composer != c.Composer || b.Style != c.Style ||
		!reflect.DeepEqual(b.Key, c.Key) || len(b.Bars) != len(c.Bars) {
		return false
	}
	if c.Meter != nil && !reflect.DeepEqual(b.Meter, c.Meter) {
		return false
	}
	for i := range c.Bars {
		x, y := &b.Bars[i], &c.Bars[i]
		if x.Section != y.Section || x.RepeatStart != y.RepeatStart || x.RepeatEnd != y.RepeatEnd ||
			x.Ending != y.Ending || y.Segno || y.ToCoda || y.Coda || y.Fine || y.Jump != music.NoJump ||
			len(x.Chords) != len(y.Chords) {
			return false
		}
		for k := range y.Chords {
			p, q := x.Chords[k], y.Chords[k]
			if p.Offset != q.Offset || !p.Chord.Same(q.Chord) || (p.Alt == nil) != (q.Alt == nil) ||
				(p.Alt != nil && !p.Alt.Same(*q.Alt)) {
				return false
			}
		}
	}
	return true
}
