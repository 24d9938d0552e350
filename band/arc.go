package band

import (
	"math"
	"sort"

	"sideman/music"
)

// The band's dynamic arc. A rhythm section does not play every chorus at
// one level: it starts under the soloist, builds through the choruses and,
// inside each, toward the climax of the form (the end of the bridge, the
// bar before the last section), eases off for the last section, and comes
// down for the ending. The drummers build by themselves (band/drums); the
// arc gives the bass and the comping the same shape, once, here, as one
// velocity scale a bar, so that what each player wrote (a ghost under a
// walking note, the top voice of a chord over the others, an accent) keeps
// its place: notes are scaled, never set to a level.

// Levels of the arc, in units of Style.Arc: where the first chorus starts
// and the ending lands, and how far each chorus climbs to its climax.
const (
	arcStart = -0.75 // the intro, the top of the first chorus, the ending
	arcClimb = 0.5   // from a chorus's top to its climax
)

// arc is the velocity scale of each played bar.
type arc struct {
	starts []music.Ticks
	scale  []float64
}

// newArc shapes the dynamics of the bars with depth a: intro bars come
// first (intro of them), then the choruses (numbered by PlayedBar.Chorus,
// of which there are choruses), then from the bar labelled "Ending" on,
// when ending is set, the ending, which comes down to where the first
// chorus began. Without an ending the last section of the last chorus
// comes down instead.
func newArc(bars []music.PlayedBar, a float64, intro, choruses int, ending bool) *arc {
	r := &arc{starts: make([]music.Ticks, len(bars)), scale: make([]float64, len(bars))}
	end := len(bars)
	if ending {
		for i := len(bars) - 1; i >= intro; i-- {
			if bars[i].Bar.Section == "Ending" {
				end = i
				break
			}
		}
	}
	level := make([]float64, len(bars))
	for i := range bars {
		level[i] = arcStart
	}
	// down falls from a level to arcStart over bars from to to, reaching
	// it on the last.
	down := func(from, to int, at float64) {
		for i := from; i < to; i++ {
			level[i] = at + (arcStart-at)*float64(i-from+1)/float64(to-from)
		}
	}
	// Each chorus: a run of body bars with the same Chorus number, from
	// its base level (the choruses climb from -1/2 to 1/2; a single chorus
	// sits at 0) up to its climax and back down for the last section.
	settle := arcStart
	for from := min(intro, end); from < end; {
		to := from + 1
		for to < end && bars[to].Chorus == bars[from].Chorus {
			to++
		}
		k := bars[from].Chorus
		base := 0.0
		if choruses > 1 {
			base = float64(k-1)/float64(choruses-1) - 0.5
		}
		settle = base - arcClimb/2
		last := lastSection(bars[from:to])
		for i := from; i < to; i++ {
			level[i] = settle
			if i-from < last {
				level[i] += arcClimb * float64(i-from) / float64(last)
			}
		}
		if k >= choruses && !ending {
			down(from+last, to, settle)
		}
		from = to
	}
	if end < len(bars) {
		down(end, len(bars), settle)
	}
	for i, pb := range bars {
		r.starts[i] = pb.Start
		r.scale[i] = 1 + a*level[i]
	}
	return r
}

// lastSection is where the last section of a chorus starts, as a bar
// index: the last section label after the first bar (the last A of an
// AABA tune), else the last quarter of the form (the last three bars of a
// blues).
func lastSection(bars []music.PlayedBar) int {
	for i := len(bars) - 1; i > 0; i-- {
		if bars[i].Bar.Section != "" {
			return i
		}
	}
	return max(len(bars)-len(bars)/4, 1)
}

// apply scales the velocity of each note by its bar's level, rounding,
// within 1 to 127.
func (r *arc) apply(notes []music.Note) {
	for i := range notes {
		b := sort.Search(len(r.starts), func(j int) bool { return r.starts[j] > notes[i].Start }) - 1
		if b < 0 {
			continue
		}
		v := math.Round(float64(notes[i].Velocity) * r.scale[b])
		notes[i].Velocity = uint8(min(max(v, 1), 127))
	}
}
