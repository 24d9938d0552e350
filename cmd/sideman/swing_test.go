package main

import (
	"testing"

	"sideman/music"
)

// TestBandSwingsOnce: the band writes its eighths straight and the feel
// plays them swung, once: on the grid (--feel none) the ride's skip
// notes sound at medium swing's 0.64 of the beat, none on the straight
// eighth; with the style's feel they stay about there, moved by the
// players' time.
func TestBandSwingsOnce(t *testing.T) {
	ride := func(p *music.Piece) (on, straight int, mean float64) {
		ups := 0
		for _, part := range p.Parts {
			for _, n := range part.Notes {
				if part.Channel != 9 || n.Pitch != 51 {
					continue
				}
				share := float64(n.Start%music.PPQ) / music.PPQ
				switch {
				case n.Start%music.PPQ == 614:
					on++
				case n.Start%music.PPQ == music.PPQ/2:
					straight++
				}
				if share > 0.4 && share < 0.85 { // the skip notes, wherever the feel put them
					mean += share
					ups++
				}
			}
		}
		return on, straight, mean / float64(max(ups, 1))
	}
	args := []string{"../../examples/blues-f.chart", "--style", "medium-swing", "--choruses", "2", "--seed", "2"}
	on, straight, _ := ride(bandPiece(t, append(args, "--feel", "none")...))
	if on < 30 || straight != 0 {
		t.Errorf("--feel none: %d ride notes at 0.64 of the beat, %d on the straight eighth; want the skip notes swung", on, straight)
	}
	_, _, mean := ride(bandPiece(t, args...))
	if mean < 0.6 || mean > 0.68 {
		t.Errorf("with the feel the ride's skip notes average %.3f of the beat, want medium swing's 0.64 give or take the feel", mean)
	}
}
