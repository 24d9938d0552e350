package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"sideman/load"
)

// inspectCollection summarises a folder or archive as summarize does the
// Document load.Open makes of it, reading one member at a time
// (load.Collection), so that inspect holds what each member adds to the
// summary rather than every member decoded. The summary is the same to
// the last bit: the members' parts of it are added up in name order, as
// Open orders them, whatever order the walk meets them in. Warnings are
// printed as open prints them, once the walk has read them all.
func inspectCollection(name string, errs io.Writer) (*load.Document, summary, error) {
	// part is what one member adds: its notes, added in the order
	// summarize adds them (each a noteTotals of one addition, so the
	// sums come out the same), and its tunes.
	type part struct {
		name  string
		midi  noteTotals
		tunes []tuneSummary
		notes []noteTotals // the tunes'
	}
	var parts []part
	s := summary{}
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
			return nil, s, err
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
		p := part{name: m.Name}
		if m.MIDI != nil {
			p.midi.addMIDI(m)
			countOrigins(&s, m.Piece)
		}
		for _, c := range m.Charts {
			ts := summarizeTune(c)
			var t noteTotals
			t.addTune(c, &ts)
			p.tunes = append(p.tunes, ts)
			p.notes = append(p.notes, t)
		}
		parts = append(parts, p)
	}
	if s.Files == 0 {
		var first error
		if len(warnings) > 0 {
			first = warnings[0]
		}
		return nil, s, load.EmptyCollection(name, first)
	}
	for i, w := range warnings {
		fmt.Fprintf(errs, "sideman: warning: skipped %s\n", oneLine(w.Error()))
		if i == 9 && skipped > 10 {
			fmt.Fprintf(errs, "sideman: warning: %d more unreadable tunes or files\n", skipped-10)
		}
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
	for _, p := range parts {
		add(p.midi)
	}
	for _, p := range parts {
		for _, n := range p.notes {
			add(n)
		}
		s.Tunes = append(s.Tunes, p.tunes...)
	}
	t.fill(&s)
	return &load.Document{Name: name, Format: s.Format}, s, nil
}
