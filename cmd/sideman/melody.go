package main

import (
	"errors"
	"fmt"

	"sideman/band"
	"sideman/feel"
	"sideman/load"
	"sideman/music"
)

// addMelody lays the lead sheet's melody over the band as --melody says:
// by default the head in and out when the chart has a melody, nothing
// when it has none; asked for by name on a chord chart, it is refused.
// It returns the feel to play with: with no --feel, the style's with a
// soloist for the melody (band.MelodyFeel).
func (f *bandFlags) addMelody(p *music.Piece, opt band.Options, name string, prof *feel.Profile) (*feel.Profile, error) {
	heads := band.HeadInOut
	if f.melody != "" {
		h, err := band.ParseHeads(f.melody)
		if err != nil {
			return prof, usageError{fmt.Sprintf("--melody %v", err)}
		}
		heads = h
	}
	_, err := band.WithMelody(p, opt, heads)
	switch {
	case errors.Is(err, band.ErrNoMelody) && f.melody == "":
		return prof, nil
	case errors.Is(err, band.ErrNoMelody):
		return prof, &load.InputError{Name: name, Err: fmt.Errorf("--melody %s: %q has no written melody", f.melody, p.Title)}
	case err != nil:
		return prof, err
	}
	if f.feel == "" {
		prof = band.MelodyFeel(p, prof, opt.Style)
	}
	return prof, nil
}
