package analyze

import (
	"sort"
	"strings"

	"sideman/band"
	"sideman/music"
)

// formBar is one bar of the analysed form placed on the piece's ticks.
type formBar struct {
	start, end music.Ticks
	beat       music.Ticks // a felt beat of the bar's meter
	segment    int         // 0 intro, 1.. the choruses (coda in the last), -1 the ending
}

// span is a chord of the form on the piece's ticks, with the pitch-class
// sets the metrics test against, computed once.
type span struct {
	start, end music.Ticks
	chord      music.Chord
	nc         bool
	root, bass int    // pitch classes
	tones      uint16 // chord tones (and the slash bass)
	avail      uint16 // chord tones and available tensions
	guide      uint16 // guide tones (music.Chord.GuideTones)
	b9         bool   // a minor ninth over the root is in the chord
}

func newSpan(start, end music.Ticks, c music.Chord) span {
	s := span{start: start, end: end, chord: c, nc: c.NoChord}
	if c.NoChord {
		return s
	}
	s.root, s.bass = c.Root.PitchClass(), c.BassNote().PitchClass()
	s.tones = c.PitchClasses()
	s.avail = s.tones
	for _, t := range c.Tensions() {
		s.avail |= 1 << mod12(s.root+t.Semitones)
	}
	for _, g := range c.GuideTones() {
		s.guide |= 1 << mod12(s.root+g.Semitones)
	}
	s.b9 = s.tones&(1<<mod12(s.root+1)) != 0
	return s
}

// form is the chart's played form laid over the piece.
type form struct {
	bars     []formBar
	spans    []span
	choruses int
}

// layout unrolls the chart for the piece: the choruses (detected from the
// piece's length when choruses < 1), an intro and an ending when the
// piece's markers say band.Play made them, and every bar moved to where
// the piece's meter map puts it.
func layout(p *music.Piece, c *music.Chart, choruses int) form {
	intro, ending := false, false
	for _, m := range p.Markers {
		switch strings.ToLower(strings.TrimSpace(m.Text)) {
		case "intro":
			intro = intro || m.At == 0
		case "ending":
			ending = true
		}
	}
	if choruses < 1 {
		choruses = detectChoruses(p, c, intro, ending)
	}
	played := band.Form(c, choruses, intro, ending)
	introBars := 0
	if intro {
		introBars = len(band.Form(c, 1, true, false)) - len(c.Unroll(1))
	}
	bodyBars := len(c.Unroll(choruses))

	// Where the piece has a meter map, its bars are the truth: a chart bar
	// is stretched onto the piece's bar of the same index (they agree
	// whenever the piece was played from this chart).
	grid := music.GridOf(played)
	if len(p.Meters) > 0 {
		grid = p.Meters.Grid()
	}
	starts := make([]music.Ticks, len(played)+1)
	meters := make([]music.Meter, len(played))
	for i := range played {
		starts[i], meters[i] = grid.Bar(i)
	}
	starts[len(played)], _ = grid.Bar(len(played))
	f := form{choruses: choruses, bars: make([]formBar, len(played))}
	for i, pb := range played {
		seg := pb.Chorus
		switch {
		case i < introBars:
			seg = 0
		case i >= introBars+bodyBars:
			seg = -1
		}
		f.bars[i] = formBar{start: starts[i], end: starts[i+1], beat: meters[i].BeatTicks(), segment: seg}
	}
	// move maps a tick of the unrolled chart to the piece.
	move := func(t music.Ticks) music.Ticks {
		i := sort.Search(len(played), func(i int) bool { return played[i].End() > t })
		if i == len(played) {
			return starts[len(played)]
		}
		pb := played[i]
		if pb.Meter.BarTicks() <= 0 {
			return starts[i]
		}
		return starts[i] + (t-pb.Start)*(starts[i+1]-starts[i])/pb.Meter.BarTicks()
	}
	for _, s := range music.Spans(played) {
		f.spans = append(f.spans, newSpan(move(s.Start), move(s.Start+s.Duration), s.Chord))
	}
	return f
}

// detectChoruses finds the number of choruses whose form is closest in
// length to the piece (its last note's end).
func detectChoruses(p *music.Piece, c *music.Chart, intro, ending bool) int {
	length := func(k int) music.Ticks {
		f := band.Form(c, k, intro, ending)
		if len(f) == 0 {
			return 0
		}
		return f[len(f)-1].End()
	}
	one, two := length(1), length(2)
	per := two - one
	if per <= 0 {
		return 1
	}
	end := p.End()
	k := int((end - (one - per) + per/2) / per)
	return min(max(k, 1), 256)
}

func mod12(x int) int { return ((x % 12) + 12) % 12 }
