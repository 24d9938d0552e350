package model

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sideman/music"
)

// Event is one note of a melody with the attributes the viewpoints read.
type Event struct {
	// ID is the note's id in the source, so a prediction can name it.
	ID music.NoteID
	// Pitch is the MIDI key (chromatic pitch, cpitch).
	Pitch int
	// Onset and Duration in ticks from the start of the melody.
	Onset, Duration music.Ticks
	// Tonic is the key's tonic pitch class (0 = C) and Minor its mode.
	Tonic int
	Minor bool
	// Chord is the chord sounding at the onset: HasChord is false where the
	// source has none (the chorales) or says N.C.
	HasChord bool
	Root     int    // pitch class of the chord root
	Tones    uint16 // the chord's pitch classes, bit 0 = C
	// Bar, Beat (in the bar, 0 the downbeat) and Offset (ticks into the
	// beat) place the onset on the meter's grid; BeatTicks is the beat's
	// length.
	Bar, Beat int
	Offset    music.Ticks
	BeatTicks music.Ticks
}

// Melody is one voice of one piece as a sequence of events.
type Melody struct {
	// Title groups the pieces in cross-validation: two melodies with one
	// title (a chorale harmonised twice) never fall in training and test
	// of one fold.
	Title  string
	Events []Event
}

// ErrNoVoice is wrapped when a piece has no part the voice names.
var ErrNoVoice = errors.New("no such voice")

// Voice chooses the part of a score to read a melody from: "" or "top"
// (the part marked melody, a chorale's *Isoprn soprano; else the part
// highest on average), "bottom" (lowest on average), a number (the part's
// index from 0) or a part's name ("Soprano", case not minded).
type Voice string

// choose returns the index of the part v names among parts, given each
// part's notes.
func (v Voice) choose(parts []music.Part, notes [][]music.Note) (int, error) {
	s := strings.TrimSpace(string(v))
	mean := func(i int) float64 {
		if len(notes[i]) == 0 {
			return 0
		}
		var sum float64
		for _, n := range notes[i] {
			sum += float64(n.Pitch)
		}
		return sum / float64(len(notes[i]))
	}
	best := -1
	switch s {
	case "", "top":
		for i, p := range parts {
			if p.Role == music.RoleMelody && len(notes[i]) > 0 {
				return i, nil
			}
		}
		for i := range parts {
			if len(notes[i]) > 0 && (best < 0 || mean(i) > mean(best)) {
				best = i
			}
		}
	case "bottom":
		for i := range parts {
			if len(notes[i]) > 0 && (best < 0 || mean(i) < mean(best)) {
				best = i
			}
		}
	default:
		if n, err := strconv.Atoi(s); err == nil {
			if n >= 0 && n < len(parts) {
				return n, nil
			}
			return 0, fmt.Errorf("model: voice %d of %d parts: %w", n, len(parts), ErrNoVoice)
		}
		for i, p := range parts {
			if strings.EqualFold(p.Name, s) {
				return i, nil
			}
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("model: voice %q: %w", s, ErrNoVoice)
	}
	return best, nil
}

// FromChart reads a voice of a lead sheet or score as a melody: the
// notes written in its bars, bar after bar as written (repeats are not
// played again: decode a chorale with its *>norep list), rests skipped
// (they are no notes), tied notes one note (as the decoders give them),
// and of notes that start together the highest.
func FromChart(c *music.Chart, v Voice) (Melody, error) {
	m := Melody{Title: c.Title}
	meters := c.BarMeters()
	played := make([]music.PlayedBar, len(c.Bars))
	var at music.Ticks
	for i := range c.Bars {
		played[i] = music.PlayedBar{Index: i, Start: at, Meter: meters[i], Bar: &c.Bars[i]}
		at += meters[i].BarTicks()
	}
	parts := c.Parts
	if len(parts) == 0 {
		parts = []music.Part{{Name: "melody", Role: music.RoleMelody}}
	}
	notes := make([][]music.Note, len(parts))
	for _, pb := range played {
		for _, n := range pb.Bar.Notes {
			p := int(n.Part)
			if p < 0 || p >= len(parts) {
				p = 0
			}
			n.Start += pb.Start
			notes[p] = append(notes[p], n)
		}
	}
	if !hasNotes(notes) {
		return m, nil
	}
	pi, err := v.choose(parts, notes)
	if err != nil {
		return m, err
	}
	var chords []chordAt
	for _, pb := range played {
		for _, ca := range pb.Bar.Chords {
			chords = append(chords, chordAt{pb.Start + ca.Offset, ca.Chord})
		}
	}
	key := c.KeyOrDefault()
	m.Events = events(notes[pi], music.GridOf(played), chords, []music.KeyChange{{Key: key}})
	return m, nil
}

// FromPiece reads a voice of a piece (a MIDI file) as FromChart does a
// chart's; chords come from the piece's chart when it has one written
// bar for bar in the piece's time, else there are none.
func FromPiece(p *music.Piece, v Voice) (Melody, error) {
	m := Melody{Title: p.Title}
	notes := make([][]music.Note, len(p.Parts))
	for i := range p.Parts {
		notes[i] = p.Parts[i].Notes
	}
	if !hasNotes(notes) {
		return m, nil
	}
	pi, err := v.choose(p.Parts, notes)
	if err != nil {
		return m, err
	}
	keys := p.Keys
	if len(keys) == 0 {
		keys = []music.KeyChange{{Key: music.DefaultKey}}
	}
	m.Events = events(notes[pi], p.Meters.Grid(), nil, keys)
	return m, nil
}

func hasNotes(notes [][]music.Note) bool {
	for _, ns := range notes {
		if len(ns) > 0 {
			return true
		}
	}
	return false
}

type chordAt struct {
	at    music.Ticks
	chord music.Chord
}

// events turns one part's notes into a monophonic line: of the notes
// that start together the highest, in onset order.
func events(ns []music.Note, g *music.BeatGrid, chords []chordAt, keys []music.KeyChange) []Event {
	ns = append([]music.Note(nil), ns...)
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].Start != ns[j].Start {
			return ns[i].Start < ns[j].Start
		}
		return ns[i].Pitch > ns[j].Pitch
	})
	sort.SliceStable(chords, func(i, j int) bool { return chords[i].at < chords[j].at })
	out := make([]Event, 0, len(ns))
	ci, ki := -1, 0
	for i, n := range ns {
		if i > 0 && n.Start == ns[i-1].Start {
			continue
		}
		for ci+1 < len(chords) && chords[ci+1].at <= n.Start {
			ci++
		}
		for ki+1 < len(keys) && keys[ki+1].At <= n.Start {
			ki++
		}
		k := keys[ki].Key
		e := Event{ID: n.ID, Pitch: int(n.Pitch), Onset: n.Start, Duration: n.Duration,
			Tonic: k.Tonic.PitchClass(), Minor: k.Mode == music.Minor}
		if ci >= 0 && !chords[ci].chord.NoChord {
			ch := chords[ci].chord
			e.HasChord, e.Root, e.Tones = true, ch.Root.PitchClass(), ch.PitchClasses()
		}
		s := g.Locate(n.Start)
		e.Bar, e.Beat, e.Offset, e.BeatTicks = s.Bar, s.BarBeat, s.Offset, s.BeatTicks
		out = append(out, e)
	}
	return out
}
