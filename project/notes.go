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
	// pickup's), the bars laid out by the piece's meter map
	// (music.MeterMap.Grid: 4/4 before its first change, a short bar
	// before a change counted as one); a note before the first bar
	// (humanized early) is in bar 0. Beat counts the meter's felt beats
	// from 1 (dotted quarters in 6/8), to a thousandth.
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
	grid := p.Meters.Grid() // the one beat grid: where the band and the feel put notes
	for pi := range p.Parts {
		for _, n := range p.Parts[pi].Notes {
			at := grid.Locate(n.Start)
			beat := 1 + float64(n.Start-at.BarStart)/float64(at.BeatTicks)
			l := NoteLine{ID: n.ID, Part: pi, Bar: at.Bar + 1, Beat: thousandth(beat), Pitch: int(n.Pitch),
				Duration: thousandth(float64(n.Duration) / float64(at.BeatTicks)), Velocity: int(n.Velocity)}
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
