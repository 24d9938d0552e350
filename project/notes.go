package project

import (
	"context"
	"errors"
	"math"
	"sort"

	"sideman/music"
)

// NoteLine is one note as a musician reads it in a list (sideman inspect
// --notes): its id, its part, where it starts in bars and beats, its key,
// length and loudness, and who made it.
type NoteLine struct {
	ID   music.NoteID `json:"id"`
	Part int          `json:"part"` // the part's index in the piece
	// Bar counts from 1 at the piece's first bar (a count-in's, a
	// pickup's); Beat counts the meter's felt beats from 1 (dotted
	// quarters in 6/8), to a thousandth.
	Bar  int     `json:"bar"`
	Beat float64 `json:"beat"`
	// Pitch is the MIDI key number (60 is middle C).
	Pitch int `json:"pitch"`
	// Duration is in felt beats of the meter where the note starts, to a
	// thousandth.
	Duration float64    `json:"duration"`
	Velocity int        `json:"velocity"`
	Origin   NoteOrigin `json:"origin"`
}

// NoteOrigin is who made a note: the kind of its Origin (a humanized
// note keeps its maker's kind) and the generator that first made it
// ("band/bass/walking"; "" for a person's or a file's notes).
type NoteOrigin struct {
	Kind      string `json:"kind"`
	Generator string `json:"generator"`
}

// Notes lists the notes of a MIDI file, or of a lead sheet played once
// through (tune picks one of several), by start, then part, then key.
func (p *Project) Notes(ctx context.Context, name, tune string) ([]NoteLine, error) {
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	piece := d.Piece
	if piece == nil {
		c, err := d.Tune(tune)
		if err != nil {
			return nil, err
		}
		if c.WrittenNotes() == 0 {
			return nil, &Error{Unsupported, d.Name, errors.New("holds chords, no notes")}
		}
		piece = c.PerformWith(1, p.ids("notes", []string{name, tune}, nil))
	}
	return NoteLines(piece), nil
}

// NoteLines lists the notes of a piece, by start, then part, then key.
func NoteLines(p *music.Piece) []NoteLine {
	var out []NoteLine
	bars := newBarClock(p.Meters)
	for pi := range p.Parts {
		for _, n := range p.Parts[pi].Notes {
			bar, beat, m := bars.at(n.Start)
			l := NoteLine{ID: n.ID, Part: pi, Bar: bar, Beat: thousandth(beat), Pitch: int(n.Pitch),
				Duration: thousandth(float64(n.Duration) / float64(m.BeatTicks())), Velocity: int(n.Velocity)}
			if n.Origin != nil {
				l.Origin = NoteOrigin{Kind: n.Origin.Kind.String(), Generator: n.Origin.Root().Generator}
			} else {
				l.Origin.Kind = music.OriginUnknown.String()
			}
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Bar != b.Bar || a.Beat != b.Beat {
			return a.Bar < b.Bar || a.Bar == b.Bar && a.Beat < b.Beat
		}
		if a.Part != b.Part {
			return a.Part < b.Part
		}
		return a.Pitch < b.Pitch
	})
	return out
}

func thousandth(x float64) float64 { return math.Round(x*1000) / 1000 }

// barClock finds the bar and beat of a tick through a meter map: bars
// start at tick 0 and at every meter change, and run in the meter in
// force.
type barClock struct {
	changes  []music.MeterChange // with one at tick 0
	firstBar []int               // the bar number at each change
}

func newBarClock(m music.MeterMap) *barClock {
	c := &barClock{}
	if len(m) == 0 || m[0].At > 0 {
		first := music.DefaultMeter
		if len(m) > 0 {
			first = m[0].Meter
		}
		c.changes = append(c.changes, music.MeterChange{At: 0, Meter: first})
	}
	for _, ch := range m {
		if ch.At >= 0 && ch.Meter.Valid() {
			c.changes = append(c.changes, ch)
		}
	}
	bar := 1
	for i, ch := range c.changes {
		if i > 0 {
			prev := c.changes[i-1]
			// A change inside a bar starts a new one: round up.
			span := ch.At - prev.At
			bt := prev.Meter.BarTicks()
			bar += int((span + bt - 1) / bt)
		}
		c.firstBar = append(c.firstBar, bar)
	}
	return c
}

// at is the bar (from 1), the beat in it (from 1, fractional) and the
// meter of tick t. A tick before 0 (a note humanized early) falls in
// the first bar, before its beat 1.
func (c *barClock) at(t music.Ticks) (int, float64, music.Meter) {
	i := sort.Search(len(c.changes), func(i int) bool { return c.changes[i].At > t }) - 1
	i = max(i, 0)
	ch := c.changes[i]
	bt := ch.Meter.BarTicks()
	off := t - ch.At
	bars := music.Ticks(0)
	if off > 0 {
		bars = off / bt
	}
	off -= bars * bt
	return c.firstBar[i] + int(bars), 1 + float64(off)/float64(ch.Meter.BeatTicks()), ch.Meter
}
