package project

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"sideman/load"
)

// SummarizeCollection summarises a folder or archive as Summarize does
// the Document Open makes of it, reading one member at a time
// (load.Collection), so that it holds what each member adds to the
// summary rather than every member decoded. The summary is the same to
// the last bit: the members' parts of it are added up in name order, as
// Open orders them, whatever order the walk meets them in. The members
// that could not be read are reported once the walk has read them all:
// the first ten, and how many more.
func (p *Project) SummarizeCollection(ctx context.Context, name string) (Summary, error) {
	// part is what one member adds: its notes, added in the order
	// summarize adds them (each a noteTotals of one addition, so the
	// sums come out the same), and its tunes.
	type part struct {
		name  string
		midi  noteTotals
		tunes []TuneSummary
		notes []noteTotals // the tunes'
	}
	var parts []part
	s := Summary{}
	var warnings []error
	skipped := 0
	warn := func(ws []error) {
		for _, w := range ws {
			if len(warnings) < 10 {
				warnings = append(warnings, w)
			}
			skipped++
		}
	}
	for m, err := range load.Collection(name) {
		if err != nil {
			return s, inputError(name, err)
		}
		if err := ctx.Err(); err != nil {
			return s, err
		}
		if m.Format == "" { // a file that could not be read
			warn(m.Warnings)
			continue
		}
		warn(m.Warnings)
		switch {
		case s.Files == 0:
			s.Format = m.Format
		case m.Format != s.Format:
			s.Format = load.FormatCollection
		}
		s.Files++
		pt := part{name: m.Name}
		if m.MIDI != nil {
			pt.midi.addMIDI(m)
			countOrigins(&s, m.Piece)
		}
		for _, c := range m.Charts {
			ts := summarizeTune(c)
			var t noteTotals
			t.addTune(c, &ts)
			pt.tunes = append(pt.tunes, ts)
			pt.notes = append(pt.notes, t)
		}
		parts = append(parts, pt)
	}
	if s.Files == 0 {
		var first error
		if len(warnings) > 0 {
			first = warnings[0]
		}
		return s, inputError(name, load.EmptyCollection(name, first))
	}
	if skipped > 0 {
		p.warn(Warning{Name: name, Err: fmt.Errorf("%d tunes or files could not be read", skipped), Skipped: warnings, More: skipped - len(warnings)})
	}
	s.Skipped = skipped
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(a.name, b.name) })
	// summarize adds every MIDI file's notes, then every tune's.
	var t noteTotals
	add := func(n noteTotals) {
		if n.any {
			t.addPPQ(n.ppq)
			t.tracks += n.tracks
			t.notes += n.notes
			t.writ += n.writ
			t.seconds += n.seconds
		}
	}
	for _, pt := range parts {
		add(pt.midi)
	}
	for _, pt := range parts {
		for _, n := range pt.notes {
			add(n)
		}
		s.Tunes = append(s.Tunes, pt.tunes...)
	}
	t.fill(&s)
	return s, nil
}
