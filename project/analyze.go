package project

import (
	"context"
	"errors"
	"fmt"

	"sideman/band/analyze"
	"sideman/music"
)

// AnalyzeOptions say what a band's MIDI file was played over.
type AnalyzeOptions struct {
	// Chart is the chart the band played (any chart sideman reads); ""
	// is the one the MIDI file carries, when it carries one.
	Chart string
	// Tune picks one tune of the chart file.
	Tune string
	// Transpose is the key the band played the chart in.
	Transpose *music.Transposition
	// Choruses played, 1 to 256; 0 reckons them from the file's length.
	Choruses int
}

// ErrNoChart is Analyze given no chart for a MIDI file that carries none.
var ErrNoChart = errors.New("the MIDI file carries no chart: give the chords it was played over")

// Analyze measures a band in a MIDI file against its chart: the bass's
// chord tones and steps, the comping's voicings, the limits it keeps.
func (p *Project) Analyze(ctx context.Context, name string, opt AnalyzeOptions) (*analyze.Report, error) {
	if opt.Choruses < 0 || opt.Choruses > 256 {
		return nil, &OptionError{"choruses", fmt.Sprint(opt.Choruses), errors.New("want 1 to 256 (0: from the file's length)")}
	}
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	if d.Piece == nil {
		return nil, &Error{Unsupported, d.Name, errors.New("is not a MIDI file; analyze measures a band's notes")}
	}
	c := d.Piece.Chart
	if opt.Chart != "" {
		cd, err := p.open(ctx, opt.Chart)
		if err != nil {
			return nil, err
		}
		if c, err = cd.Tune(opt.Tune); err != nil {
			return nil, err
		}
	}
	if c == nil {
		return nil, &OptionError{"chart", "", ErrNoChart}
	}
	if opt.Transpose != nil {
		c = c.Transpose(*opt.Transpose)
	}
	r, err := analyze.Analyze(d.Piece, c, opt.Choruses)
	if err != nil {
		name := opt.Chart
		if name == "" {
			name = d.Name
		}
		return nil, &Error{BadInput, name, err}
	}
	return r, nil
}
