// Package jazzstd reads and writes the JazzStandards.json collection of
// chord charts (github.com/mikeoliphant/JazzStandards, 1,382 tunes decoded
// from the iReal Pro forum playlists): a JSON array of
//
//	{"Title", "Composer", "Key", "Rhythm", "TimeSignature",
//	 "Sections": [{"Label", "Repeats", "MainSegment": {"Chords"}, "Endings": [{"Chords"}]}]}
//
// A Chords string lists bars separated by "|"; a bar is split by "," into
// equal slots, and an empty slot holds the chord before it ("Am9,,Dm7,Em7"
// is 2+1+1 beats in 4/4). "(X)" after a chord is an alternate chord, shown
// and not played; "(X)" alone is an alternate over the held chord.
//
// Decode returns one music.Chart per tune. A section with endings is a
// repeat with volta brackets: its main segment opens the repeat, ending k
// is played on pass k, and every ending but the last closes with a repeat
// sign, so music.Chart.Unroll plays main+E1+main+E2(+main+E3). A section
// with "Repeats": n and no endings is played n+1 times. Keys ("Eb",
// "Cmin") and the time signature are nil when the tune gives none.
//
// The collection's own quirks are kept as they mean: a section whose main
// segment is empty continues the repeat of the section before it (its
// endings are that repeat's next brackets, as in "Alfie", or, when the
// section before has no endings, they close a repeat of it, as in "A Foggy
// Day"); "07" and "0" are diminished chords (see music.ParseChord).
package jazzstd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// Limits of the format as read here.
const (
	// maxEndings is the number of volta brackets a repeat may have
	// (music.Bar.Ending has 8 bits).
	maxEndings = 8
	// maxRepeats bounds "Repeats"; real charts use 1.
	maxRepeats = 63
	// maxSlots bounds the slots of one bar; real charts use up to 6.
	maxSlots = 64
)

// ParseError is an error in the input, with where it was found.
type ParseError struct {
	// Tune is the 1-based index of the tune in the array, 0 when the error
	// is about the whole input; Title is its title.
	Tune  int
	Title string
	// Section is the 1-based section of the tune, when the error is about a
	// section rather than a bar; Bar is the 1-based written bar of the tune.
	Section int
	Bar     int
	// Symbol is the offending text (a chord symbol, key or time signature).
	Symbol string
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("jazzstd: ")
	if e.Tune > 0 {
		fmt.Fprintf(&b, "tune %d %q: ", e.Tune, e.Title)
	}
	switch {
	case e.Bar > 0:
		fmt.Fprintf(&b, "bar %d: ", e.Bar)
	case e.Section > 0:
		fmt.Fprintf(&b, "section %d: ", e.Section)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// EncodeError is a chart Encode cannot write, with where (its fields are
// those of ParseError: the tune, bar and symbol).
type EncodeError struct{ ParseError }

// The JSON shape of the collection. Field order is the collection's, so
// Encode writes tunes the way they are published.
type tuneJSON struct {
	Title         string
	Composer      string
	Key           string        `json:",omitempty"`
	Rhythm        string        `json:",omitempty"`
	TimeSignature string        `json:",omitempty"`
	Sections      []sectionJSON `json:",omitempty"`
}

type sectionJSON struct {
	Label       string `json:",omitempty"`
	Repeats     int    `json:",omitempty"`
	MainSegment segmentJSON
	Endings     []segmentJSON `json:",omitempty"`
}

type segmentJSON struct {
	Chords string
}

// Decode reads a JSON array of tunes, at most format.MaxSize bytes.
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
	// Tunes are read one by one so that an error names its tune.
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &ParseError{Err: err}
	}
	charts := make([]*music.Chart, 0, len(raw))
	for i, m := range raw {
		var t tuneJSON
		if err := json.Unmarshal(m, &t); err != nil {
			return nil, &ParseError{Tune: i + 1, Err: err}
		}
		c, err := decodeTune(i+1, &t)
		if err != nil {
			return nil, err
		}
		charts = append(charts, c)
	}
	return charts, nil
}

// sectionName spells iReal's section letters for intro and verse, which the
// collection keeps, in words.
func sectionName(label string) string {
	switch label {
	case "i":
		return "Intro"
	case "v":
		return "Verse"
	}
	return label
}

// repeatGroup is a repeat with volta brackets, possibly spread over
// several sections.
type repeatGroup struct {
	start     int      // the bar that opens the repeat
	endings   [][2]int // first and last bar of each bracket
	repeats   int      // the largest "Repeats" of its sections
	afterMain music.Chord
}

// tuneDecoder builds one chart.
type tuneDecoder struct {
	tune     int
	title    string
	bars     []music.Bar
	barTicks music.Ticks
	// prev is the chord sounding at the end of what was read, which an
	// empty slot holds and a lone "(X)" is written over.
	prev music.Chord
}

func (d *tuneDecoder) fail(section, bar int, sym string, err error) error {
	return &ParseError{Tune: d.tune, Title: d.title, Section: section, Bar: bar, Symbol: sym, Err: err}
}

func decodeTune(index int, t *tuneJSON) (*music.Chart, error) {
	c := &music.Chart{Title: t.Title, Composer: t.Composer, Style: t.Rhythm}
	d := &tuneDecoder{tune: index, title: t.Title, prev: music.NC}
	if t.Key != "" {
		k, err := music.ParseKey(t.Key)
		if err != nil {
			return nil, d.fail(0, 0, t.Key, err)
		}
		c.Key = &k
	}
	if t.TimeSignature != "" {
		m, err := music.ParseMeter(t.TimeSignature)
		if err != nil {
			return nil, d.fail(0, 0, t.TimeSignature, err)
		}
		c.Meter = &m
	}
	d.barTicks = c.MeterOrDefault().BarTicks()

	var group *repeatGroup // the repeat of the section just read, if it had endings
	lastStart := -1        // first bar of the last section that had bars
	for si := range t.Sections {
		s := &t.Sections[si]
		first := len(d.bars)
		if s.Repeats < 0 || s.Repeats > maxRepeats {
			return nil, d.fail(si+1, 0, "", fmt.Errorf("repeats %d out of range 0..%d", s.Repeats, maxRepeats))
		}
		if err := d.segment(s.MainSegment.Chords); err != nil {
			return nil, err
		}
		mainEnd := len(d.bars)
		if len(s.Endings) == 0 {
			if s.Repeats > 0 && mainEnd > first {
				d.bars[first].RepeatStart = true
				d.bars[mainEnd-1].RepeatEnd = s.Repeats + 1
			}
			group = nil
		} else {
			switch {
			case mainEnd == first && group != nil:
				// The brackets go on from the section before.
			case mainEnd == first:
				// No main segment: the repeat goes back to the section before.
				start := first
				if lastStart >= 0 {
					start = lastStart
				}
				group = &repeatGroup{start: start, afterMain: d.prev}
			default:
				group = &repeatGroup{start: first, afterMain: d.prev}
			}
			group.repeats = max(group.repeats, s.Repeats)
			for ei, e := range s.Endings {
				// An ending follows the main segment in playing, whatever
				// ending was written before it.
				d.prev = group.afterMain
				start := len(d.bars)
				if err := d.segment(e.Chords); err != nil {
					return nil, err
				}
				if len(d.bars) == start {
					return nil, d.fail(si+1, 0, "", fmt.Errorf("ending %d has no bars", ei+1))
				}
				if len(group.endings) == maxEndings {
					return nil, d.fail(si+1, 0, "", fmt.Errorf("more than %d endings", maxEndings))
				}
				d.bars[start].Ending = 1 << len(group.endings)
				group.endings = append(group.endings, [2]int{start, len(d.bars) - 1})
			}
			d.bars[group.start].RepeatStart = true
			// Every bracket but the last ends with a repeat sign that
			// sends the player back for the next pass. A lone first
			// ending is followed by the rest of the tune on the last pass.
			n := len(group.endings)
			for j, e := range group.endings {
				d.bars[e[1]].RepeatEnd = 0
				if j < n-1 {
					d.bars[e[1]].RepeatEnd = n
				}
			}
			if n == 1 {
				d.bars[group.endings[0][1]].RepeatEnd = max(2, group.repeats+1)
			}
		}
		if len(d.bars) > first {
			if s.Label != "" {
				d.bars[first].Section = sectionName(s.Label)
			}
			lastStart = first
		}
	}
	c.Bars = d.bars
	return c, nil
}

// segment reads one Chords string and appends its bars.
func (d *tuneDecoder) segment(chords string) error {
	if chords == "" {
		return nil
	}
	for _, text := range strings.Split(chords, "|") {
		var bar music.Bar
		slots := strings.Split(text, ",")
		barNo := len(d.bars) + 1
		if len(slots) > maxSlots || music.Ticks(len(slots)) > d.barTicks {
			return d.fail(0, barNo, text, fmt.Errorf("%d slots in a bar, at most %d", len(slots), min(maxSlots, int(d.barTicks))))
		}
		for k, slot := range slots {
			slot = strings.TrimSpace(slot)
			if slot == "" {
				continue // the chord before goes on
			}
			main, alt, err := splitSlot(slot)
			if err != nil {
				return d.fail(0, barNo, slot, err)
			}
			at := music.ChordAt{Offset: music.Ticks(k) * d.barTicks / music.Ticks(len(slots)), Chord: d.prev}
			if main != "" {
				if at.Chord, err = music.ParseChord(main); err != nil {
					return d.fail(0, barNo, main, err)
				}
			}
			if alt != "" {
				a, err := music.ParseChord(alt)
				if err != nil {
					return d.fail(0, barNo, alt, err)
				}
				at.Alt = &a
			}
			bar.Chords = append(bar.Chords, at)
			d.prev = at.Chord
		}
		d.bars = append(d.bars, bar)
	}
	return nil
}

// splitSlot splits "Ab7sus(Ebm7)" into the chord and its alternate. Either
// may be empty, not both; no other parentheses are allowed.
func splitSlot(slot string) (main, alt string, err error) {
	i := strings.IndexByte(slot, '(')
	if i < 0 {
		if strings.ContainsRune(slot, ')') {
			return "", "", fmt.Errorf("chord %s: ')' without '('", quote.Input(slot))
		}
		return slot, "", nil
	}
	main, alt = strings.TrimSpace(slot[:i]), slot[i+1:]
	if !strings.HasSuffix(alt, ")") {
		return "", "", fmt.Errorf("chord %s: '(' without ')' at the end", quote.Input(slot))
	}
	alt = strings.TrimSpace(alt[:len(alt)-1])
	if alt == "" || strings.ContainsAny(alt, "()") || strings.ContainsRune(main, ')') {
		return "", "", fmt.Errorf("chord %s: want chord(alternate)", quote.Input(slot))
	}
	return main, alt, nil
}
