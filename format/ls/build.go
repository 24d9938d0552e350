package ls

import (
	"fmt"
	"math"

	"sideman/music"
)

// formBar is one bar of the chord progression.
type formBar struct {
	chords  []music.ChordAt
	section bool   // a (section) or (phrase) opens here
	style   string // the style it names
}

// build lays out the chord progression and the choruses of melody.
func (d *decoder) build() (*music.Chart, error) {
	form, err := d.form()
	if err != nil {
		return nil, err
	}
	c := &d.chart
	if !d.keySet && d.partKey != nil {
		c.Key = d.partKey
	}
	if d.tempo > 0 {
		c.Tempo = int(math.Round(d.tempo * music.PPQ / float64(d.meter.BeatTicks())))
	}
	if c.Style == "" {
		for _, b := range form {
			if b.style != "" {
				c.Style = b.style
				break
			}
		}
	}
	var parts []melodyPart
	for _, p := range d.parts {
		if len(p.elems) > 0 {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		if err := d.addChorus(form, nil, nil); err != nil {
			return nil, err
		}
		return c, nil
	}
	c.Parts = []music.Part{{Name: "Melody", Role: "melody", Program: d.program}}
	origins := map[string]*music.Origin{}
	for i := range parts {
		p := &parts[i]
		o := origins[p.who]
		if o == nil {
			o = &music.Origin{Kind: music.Imported, Source: d.source, Who: p.who}
			origins[p.who] = o
		}
		if err := d.addChorus(form, p, o); err != nil {
			return nil, err
		}
	}
	var id music.NoteID
	for i := range c.Bars {
		for j := range c.Bars[i].Notes {
			id++
			c.Bars[i].Notes[j].ID = id
		}
	}
	return c, nil
}

// form splits the chord words into bars as Impro-Visor's addToChordPart
// does: a bar line first of all is dropped (there is no pickup), a missing
// last bar line is added, and a section mark after a chord of a bar opens
// the next bar.
func (d *decoder) form() ([]formBar, error) {
	items := d.chords
	if len(items) == 0 {
		return nil, nil
	}
	if items[0].kind == itemBar {
		items = items[1:]
	}
	barTicks := d.meter.BarTicks()
	barSlots := int(barTicks) / ticksPerSlot
	var bars []formBar
	var cur []chordItem
	pending := []chordItem(nil) // section marks for the next bar
	flush := func(end token) error {
		if len(bars) >= MaxBars {
			return d.errAt(end, ErrTooLong)
		}
		b := formBar{}
		marks := pending
		pending = nil
		n := 0
		for _, it := range cur {
			if it.kind == itemChord || it.kind == itemSlash {
				n++
			}
		}
		if n > 0 && (barSlots == 0 || barSlots%n != 0) {
			return d.errAt(cur[0].tok, fmt.Errorf("%w: %d chords in a bar of %s", ErrChordsPerBar, n, d.meter))
		}
		seen := 0
		for _, it := range cur {
			switch it.kind {
			case itemChord:
				b.chords = append(b.chords, music.ChordAt{Offset: barTicks * music.Ticks(seen) / music.Ticks(n), Chord: it.chord})
				seen++
			case itemSlash:
				seen++
			case itemSection:
				if seen > 0 {
					pending = append(pending, it)
				} else {
					marks = append(marks, it)
				}
			}
		}
		for _, m := range marks {
			b.section = true
			if m.style != "" {
				b.style = m.style
			}
		}
		bars = append(bars, b)
		cur = cur[:0]
		return nil
	}
	for _, it := range items {
		if it.kind == itemBar {
			if err := flush(it.tok); err != nil {
				return nil, err
			}
			continue
		}
		cur = append(cur, it)
	}
	if len(cur) > 0 {
		if err := flush(cur[len(cur)-1].tok); err != nil {
			return nil, err
		}
	}
	return bars, nil
}

// addChorus appends one chorus: the progression, with the melody part p
// (nil for none) laid over it from its first bar.
func (d *decoder) addChorus(form []formBar, p *melodyPart, origin *music.Origin) error {
	c := &d.chart
	barTicks := d.meter.BarTicks()
	first := len(c.Bars)
	section := 0
	for _, fb := range form {
		b := music.Bar{Chords: append([]music.ChordAt(nil), fb.chords...)}
		if fb.section {
			section++
			b.Section = fmt.Sprint(section)
			if fb.style != "" {
				b.Comment = "style " + fb.style
			}
		}
		c.Bars = append(c.Bars, b)
	}
	if p == nil {
		return nil
	}
	var at music.Ticks
	velocity := uint8(127)
	for _, e := range p.elems {
		if e.slots == 0 {
			velocity = uint8(max(e.volume, 1))
			continue
		}
		dur := music.Ticks(e.slots * ticksPerSlot)
		if e.pitch >= 0 {
			bar := first + int(at/barTicks)
			for len(c.Bars) <= bar {
				if len(c.Bars) >= MaxBars {
					return d.errAt(e.tok, ErrTooLong)
				}
				c.Bars = append(c.Bars, music.Bar{})
			}
			c.Bars[bar].Notes = append(c.Bars[bar].Notes, music.Note{
				Pitch:    uint8(e.pitch),
				Velocity: velocity,
				Start:    at % barTicks,
				Duration: dur,
				Origin:   origin,
			})
		}
		at += dur
	}
	// A melody that ends with rests past the progression still takes its
	// bars, so the next chorus starts after them.
	for end := first + int((at+barTicks-1)/barTicks); len(c.Bars) < end; {
		if len(c.Bars) >= MaxBars {
			return d.errAt(p.elems[len(p.elems)-1].tok, ErrTooLong)
		}
		c.Bars = append(c.Bars, music.Bar{})
	}
	return nil
}
