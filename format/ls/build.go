package ls

import (
	"fmt"
	"math"

	"sideman/music"
)

// formBar is one bar of the chord progression: chords[lo:hi] of form's
// chord list.
type formBar struct {
	lo, hi  int
	section bool   // a (section) or (phrase) opens here
	style   string // the style it names
}

// build lays out the chord progression and the choruses of melody.
func (d *decoder) build() (*music.Chart, error) {
	form, chords, err := d.form()
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
		if p.hi > p.lo {
			parts = append(parts, p)
		}
	}
	// Each chorus takes the progression's bars, or more when its melody
	// runs longer; bars, chords and notes are allocated once for all.
	barTicks := d.meter.BarTicks()
	lengths := make([]int, max(len(parts), 1))
	total := 0
	for i := range lengths {
		n := len(form)
		if i < len(parts) {
			var at int64
			for _, e := range d.elems[parts[i].lo:parts[i].hi] {
				if e.pitch != volumePitch {
					at += int64(e.slots) * ticksPerSlot
				}
			}
			n = max(n, int((at+int64(barTicks)-1)/int64(barTicks)))
		}
		lengths[i] = n
		if total += n; total > MaxBars {
			return nil, d.errAt(0, ErrTooLong)
		}
	}
	c.Bars = make([]music.Bar, 0, total)
	for i, n := range lengths {
		first := len(c.Bars)
		section := 0
		// Every chorus gets chords of its own, so changing one bar's
		// chords cannot change another's.
		all := chords
		if i > 0 {
			all = append([]music.ChordAt(nil), chords...)
		}
		for _, fb := range form {
			b := music.Bar{}
			if fb.hi > fb.lo {
				b.Chords = all[fb.lo:fb.hi:fb.hi]
			}
			if fb.section {
				section++
				b.Section = fmt.Sprint(section)
				if fb.style != "" {
					b.Comment = "style " + fb.style
				}
			}
			c.Bars = append(c.Bars, b)
		}
		c.Bars = c.Bars[:first+n]
		if i < len(parts) {
			d.layMelody(c.Bars[first:first+n], parts[i])
		}
	}
	if d.notes > 0 {
		c.Parts = []music.Part{{Name: "Melody", Role: "melody", Program: d.program}}
	}
	return c, nil
}

// layMelody puts the notes of one chorus into its bars. Notes follow in
// time, so each bar's notes are a run of one slice.
func (d *decoder) layMelody(bars []music.Bar, p melodyPart) {
	barTicks := d.meter.BarTicks()
	origin := d.origin(p.who)
	n := 0
	for _, e := range d.elems[p.lo:p.hi] {
		if e.pitch >= 0 {
			n++
		}
	}
	notes := make([]music.Note, 0, n)
	var at music.Ticks
	velocity := uint8(127)
	bar, lo := 0, 0
	for _, e := range d.elems[p.lo:p.hi] {
		if e.pitch == volumePitch {
			velocity = uint8(e.slots)
			continue
		}
		dur := music.Ticks(e.slots) * ticksPerSlot
		if e.pitch >= 0 {
			if b := int(at / barTicks); b != bar {
				bars[bar].Notes = notes[lo:len(notes):len(notes)]
				bar, lo = b, len(notes)
			}
			notes = append(notes, music.Note{ // ID 0: the caller numbers it (music.IDs)
				Pitch:    uint8(e.pitch),
				Velocity: velocity,
				Start:    at % barTicks,
				Duration: dur,
				Origin:   origin,
			})
		}
		at += dur
	}
	if lo < len(notes) {
		bars[bar].Notes = notes[lo:len(notes):len(notes)]
	}
}

// origin is the Origin shared by the notes of one performer.
func (d *decoder) origin(who string) *music.Origin {
	for _, o := range d.origins {
		if o.Who == who {
			return o
		}
	}
	o := &music.Origin{Kind: music.Imported, Source: d.source, Who: who}
	d.origins = append(d.origins, o)
	return o
}

// form splits the chord words into bars as Impro-Visor's addToChordPart
// does: a bar line first of all is dropped (there is no pickup), a missing
// last bar line is added, and a section mark after a chord of a bar opens
// the next bar. It returns the bars and the chords they index.
func (d *decoder) form() ([]formBar, []music.ChordAt, error) {
	items := d.chords
	if len(items) == 0 {
		return nil, nil, nil
	}
	if items[0].kind == itemBar {
		items = items[1:]
	}
	barTicks := d.meter.BarTicks()
	barSlots := int(barTicks) / ticksPerSlot
	nb, nc := 1, 0
	for _, it := range items {
		switch it.kind {
		case itemBar:
			nb++
		case itemChord:
			nc++
		}
	}
	bars := make([]formBar, 0, nb)
	chords := make([]music.ChordAt, 0, nc)
	pending := false // a section mark for the next bar
	pendingStyle := ""
	start := 0
	flush := func(end int) error {
		if len(bars) >= MaxBars {
			return d.errAt(int(items[start].off), ErrTooLong)
		}
		cur := items[start:end]
		n := 0
		for _, it := range cur {
			if it.kind == itemChord || it.kind == itemSlash {
				n++
			}
		}
		if n > 0 && barSlots%n != 0 {
			return d.errAt(int(cur[0].off), fmt.Errorf("%w: %d chords in a bar of %s", ErrChordsPerBar, n, d.meter))
		}
		b := formBar{lo: len(chords), section: pending, style: pendingStyle}
		pending, pendingStyle = false, ""
		seen := 0
		for _, it := range cur {
			switch it.kind {
			case itemChord:
				chords = append(chords, music.ChordAt{Offset: barTicks * music.Ticks(seen) / music.Ticks(n), Chord: d.chordVals[it.chord]})
				seen++
			case itemSlash:
				seen++
			case itemSection:
				if seen > 0 {
					pending = true
					if it.style != "" {
						pendingStyle = it.style
					}
				} else {
					b.section = true
					if it.style != "" {
						b.style = it.style
					}
				}
			}
		}
		b.hi = len(chords)
		bars = append(bars, b)
		return nil
	}
	for i, it := range items {
		if it.kind == itemBar {
			if err := flush(i); err != nil {
				return nil, nil, err
			}
			start = i + 1
		}
	}
	if start < len(items) {
		if err := flush(len(items)); err != nil {
			return nil, nil, err
		}
	}
	return bars, chords, nil
}
