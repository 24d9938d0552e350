package chart

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// barsPerLine is how many bars the encoder writes on a line, as on a lead sheet.
const barsPerLine = 4

// maxSlots is the finest grid the encoder writes a bar in (a 32nd in 4/4).
const maxSlots = 32

// Encode writes charts in the .chart format, separated by "---" lines.
// Decode reads the result back to the same charts, except that chords are
// stored with the symbol as written and positions snap to the grid of at
// most 32 slots a bar.
func Encode(w io.Writer, charts ...*music.Chart) error {
	bw := bufio.NewWriter(w)
	for i, c := range charts {
		if i > 0 {
			bw.WriteString("---\n")
		}
		if err := encodeOne(bw, c); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func encodeOne(w *bufio.Writer, c *music.Chart) error {
	header := func(name, value string) {
		if value != "" {
			if strings.ContainsAny(value, "#\"\\\n\r\t") || strings.TrimSpace(value) != value {
				// A # would start a comment, and spaces at the ends would
				// be trimmed: quote the value to keep it as it is.
				value = strconv.Quote(value)
			}
			fmt.Fprintf(w, "%s: %s\n", name, value)
		}
	}
	header("title", c.Title)
	header("composer", c.Composer)
	if c.Key != nil {
		header("key", c.Key.Short())
	}
	if c.Meter != nil {
		header("meter", c.Meter.String())
	}
	if c.Tempo > 0 {
		header("tempo", fmt.Sprint(c.Tempo))
	}
	header("style", c.Style)
	if c.Written != nil {
		// A part for a transposing instrument: the chords and key are
		// written, and the header lets Decode return concert pitch.
		header("instrument", c.Written.Name)
	}
	if e := c.Ending; e != nil {
		if e.AsWritten {
			header("ending", "as written")
		} else if !e.Chord.NoChord {
			header("ending", symbol(e.Chord))
		}
	}
	w.WriteString("\n")
	meters := c.BarMeters()
	onLine := 0
	for i := range c.Bars {
		b := &c.Bars[i]
		if b.Section != "" {
			if onLine > 0 {
				w.WriteString("\n")
			}
			fmt.Fprintf(w, "[%s]\n", strings.ReplaceAll(b.Section, "]", ")"))
			onLine = 0
		}
		if onLine == 0 {
			w.WriteString("|")
		}
		if b.RepeatStart {
			w.WriteString(":")
		}
		body, err := barBody(b, meters[i])
		if err != nil {
			return fmt.Errorf("chart: %s bar %d: %v", quote.Input(c.Title), i+1, err)
		}
		w.WriteString(" " + body + " ")
		switch {
		case b.RepeatEnd == 2:
			w.WriteString(":|")
		case b.RepeatEnd > 2:
			fmt.Fprintf(w, ":|x%d", b.RepeatEnd)
		default:
			w.WriteString("|")
		}
		onLine++
		if onLine == barsPerLine || i == len(c.Bars)-1 {
			w.WriteString("\n")
			onLine = 0
		}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// barBody writes the marks and chords of a bar.
func barBody(b *music.Bar, m music.Meter) (string, error) {
	var parts []string
	if b.Ending != 0 {
		var ns []string
		for n := 1; n <= 8; n++ {
			if b.Ending&(1<<(n-1)) != 0 {
				ns = append(ns, fmt.Sprint(n))
			}
		}
		parts = append(parts, strings.Join(ns, ",")+".")
	}
	if b.Meter != nil {
		// "7/4(4+3)": a bar's meter is one word, its grouping attached.
		parts = append(parts, strings.ReplaceAll(b.Meter.String(), " ", ""))
	}
	for _, mk := range []struct {
		on   bool
		name string
	}{{b.Segno, "@segno"}, {b.Coda, "@coda"}} {
		if mk.on {
			parts = append(parts, mk.name)
		}
	}
	if b.Comment != "" {
		parts = append(parts, strconv.Quote(b.Comment))
	}
	slots, err := grid(b.Chords, m.BarTicks())
	if err != nil {
		return "", err
	}
	if len(b.Chords) == 0 {
		parts = append(parts, ".")
	} else {
		step := m.BarTicks() / Ticks(slots)
		cells := make([]string, slots)
		for i := range cells {
			cells[i] = "."
		}
		for _, ca := range b.Chords {
			s := symbol(ca.Chord)
			if ca.Alt != nil {
				s += "{" + symbol(*ca.Alt) + "}"
			}
			cells[ca.Offset/step] = s
		}
		parts = append(parts, cells...)
	}
	for _, mk := range []struct {
		on   bool
		name string
	}{{b.ToCoda, "@tocoda"}, {b.Fine, "@fine"}} {
		if mk.on {
			parts = append(parts, mk.name)
		}
	}
	if b.Jump != music.NoJump {
		parts = append(parts, "@"+strings.ToLower(strings.NewReplacer(".", "", " ", "-").Replace(b.Jump.String())))
	}
	return strings.Join(parts, " "), nil
}

// symbol writes a chord so that Decode reads it back: the symbol as written
// when it has no characters the format reserves, else the canonical name.
func symbol(c music.Chord) string {
	s := c.String()
	if strings.ContainsAny(s, " \t|:\"{}%") || strings.HasPrefix(s, "@") {
		return c.Name()
	}
	if _, err := music.ParseChord(s); err != nil {
		return c.Name()
	}
	return s
}

// grid finds the fewest equal slots a bar needs to place its chords.
func grid(chords []music.ChordAt, bar Ticks) (int, error) {
	for n := 1; n <= maxSlots; n++ {
		step := bar / Ticks(n)
		ok := bar%Ticks(n) == 0
		for _, ca := range chords {
			if !ok {
				break
			}
			ok = ca.Offset%step == 0 && ca.Offset >= 0 && ca.Offset < bar
		}
		if ok && distinctCells(chords, step) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("chord positions do not fit a grid of %d slots", maxSlots)
}

func distinctCells(chords []music.ChordAt, step Ticks) bool {
	for i := 1; i < len(chords); i++ {
		if chords[i].Offset/step <= chords[i-1].Offset/step {
			return false
		}
	}
	return true
}
