package project

import (
	"slices"
	"strings"

	"sideman/harmony"
	"sideman/load"
	"sideman/music"
)

// heard tells a document whose tunes are heard, not written: a MIDI
// file, which carries notes and no chord symbols.
func heard(d *load.Document) bool {
	return d != nil && d.Piece != nil && len(d.Charts) == 0
}

// tuneOf is the tune sel picks of d, or c where openTune picked it
// already. A MIDI file's one tune is the chart of the chords heard in
// its notes (HeardChart), as Play and Trade play it: sel picks it by its
// index (0) or title as it picks a written one.
func tuneOf(d *load.Document, c *music.Chart, sel string) (*music.Chart, error) {
	if c != nil {
		return c, nil
	}
	if !heard(d) {
		return d.Tune(sel)
	}
	h, err := HeardChart(d)
	if err != nil {
		return nil, err
	}
	return (&load.Document{Name: d.Name, Charts: []*music.Chart{h}}).Tune(sel)
}

// heardSummary is a heard tune as Inspect shows it: what the summary of
// a written tune says, that it was heard, its pickup and its chords bar
// by bar (which no file holds to read).
func heardSummary(c *music.Chart) TuneSummary {
	s := summarizeTune(c)
	s.Heard, s.Pickup = true, c.Pickup()
	for _, pb := range c.Unroll(1) {
		var chords []string
		for _, ch := range pb.Bar.Chords {
			chords = append(chords, ch.Chord.String())
		}
		s.Changes = append(s.Changes, strings.Join(chords, " "))
	}
	return s
}

// hearable is the part of a piece harmony hears: its notes that start in
// the first harmony.MaxBars bars (and two more, for a pickup that moves
// the bar lines), the bars a heard chart is cut to. A long file (34
// minutes of eight-note chords, a million notes) costs what those bars
// hold, not a copy of all its notes (nor of those, where a part's notes
// are in order, as a file's are). Bars are counted at the meter that
// starts them, a bar at least as long as harmony lays: the cut is never
// before its last bar.
func hearable(p *music.Piece) *music.Piece {
	limit := music.Ticks(0)
	for range harmony.MaxBars + 2 {
		limit += max(p.Meters.At(limit).BarTicks(), 1)
	}
	if p.End() <= limit {
		return p
	}
	cut := *p
	cut.Parts = slices.Clone(p.Parts)
	for i, part := range p.Parts {
		if slices.IsSortedFunc(part.Notes, func(a, b music.Note) int { return int(a.Start - b.Start) }) {
			// As read from a file: the notes before the cut, not a copy.
			k, _ := slices.BinarySearchFunc(part.Notes, limit, func(n music.Note, t music.Ticks) int { return int(n.Start - t) })
			cut.Parts[i].Notes = part.Notes[:k:k]
			continue
		}
		n := 0
		for _, x := range part.Notes {
			if x.Start < limit {
				n++
			}
		}
		kept := make([]music.Note, 0, n)
		for _, x := range part.Notes {
			if x.Start < limit {
				kept = append(kept, x)
			}
		}
		cut.Parts[i].Notes = kept
	}
	return &cut
}
