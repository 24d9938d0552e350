package music

import (
	"math"
	"sort"
)

// BeatGrid is where the bars and felt beats of a piece fall: read once
// from a meter map (MeterMap.Grid) or from the bars a chart is played in
// (GridOf), it answers where bar n and beat n start and where a tick
// sits (Locate). A beat is the meter's felt beat (Meter.BeatTicks: a
// dotted quarter in 6/8, an eighth in 7/8). Bars start where their meter
// starts; a meter that changes before a bar or beat is full ends it
// there, the short bar and beat counted as one (as a pickup bar is).
// Before the first meter and after the last, the first and last meter
// go on.
//
// The band, feel and the form analysis place notes on it; there is no
// other.
type BeatGrid struct {
	spans []gridSpan
}

// gridSpan is a stretch of one meter.
type gridSpan struct {
	at           Ticks
	meter        Meter
	bars, beats  int // bars and beats before the span
	barT, beatT  Ticks
	nbars, nbeat int // bars and beats in the span, set when the next one starts
}

// Grid lays the meter map's bars and beats out. An empty map is 4/4
// from the start; a map that starts after tick 0 has 4/4 before its
// first change. A change that is not a playable meter (Meter.Valid) is
// left out, the meter before it going on, and of several changes at one
// tick the last holds (as in a MIDI file).
func (m MeterMap) Grid() *BeatGrid {
	ch := make([]MeterChange, 0, len(m)+1)
	for _, c := range m {
		if c.Meter.Valid() {
			ch = append(ch, MeterChange{At: max(c.At, 0), Meter: c.Meter})
		}
	}
	sort.SliceStable(ch, func(i, j int) bool { return ch[i].At < ch[j].At })
	if len(ch) == 0 || ch[0].At > 0 {
		ch = append([]MeterChange{{At: 0, Meter: DefaultMeter}}, ch...)
	}
	g := &BeatGrid{}
	for _, c := range ch {
		g.add(c.At, c.Meter)
	}
	return g
}

// GridOf lays out the bars of a played form (Chart.Unroll, band.Form):
// each bar where it starts, in its meter. Bars that follow each other in
// one meter are one stretch; no bars is 4/4 from tick 0.
func GridOf(bars []PlayedBar) *BeatGrid {
	g := &BeatGrid{}
	for i, pb := range bars {
		if !pb.Meter.Valid() {
			continue
		}
		if n := len(g.spans); n > 0 && g.spans[n-1].meter == pb.Meter && i > 0 && bars[i-1].End() == pb.Start {
			continue
		}
		g.add(pb.Start, pb.Meter)
	}
	if len(g.spans) == 0 {
		g.add(0, DefaultMeter)
	}
	return g
}

// add starts a stretch of meter m at tick at, closing the one before.
func (g *BeatGrid) add(at Ticks, m Meter) {
	if n := len(g.spans); n > 0 {
		last := &g.spans[n-1]
		if at <= last.at { // a later change at the same tick wins
			g.spans = g.spans[:n-1]
			g.add(at, m)
			return
		}
		span := at - last.at
		last.nbars = int(ceilDiv(span, last.barT))
		last.nbeat = int(ceilDiv(span, last.beatT))
	}
	s := gridSpan{at: at, meter: m, barT: m.BarTicks(), beatT: m.BeatTicks()}
	if n := len(g.spans); n > 0 {
		prev := g.spans[n-1]
		s.bars, s.beats = prev.bars+prev.nbars, prev.beats+prev.nbeat
	}
	g.spans = append(g.spans, s)
}

// ceilDiv is a/b rounded up, for a ≥ 0 and b > 0.
func ceilDiv(a, b Ticks) Ticks { return (a + b - 1) / b }

// floorTicks is a/b rounded down (toward minus infinity), for b > 0.
func floorTicks(a, b Ticks) Ticks {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// span finds the stretch that holds tick t (the first for ticks before it).
func (g *BeatGrid) span(t Ticks) *gridSpan {
	i := sort.Search(len(g.spans), func(i int) bool { return g.spans[i].at > t }) - 1
	return &g.spans[max(i, 0)]
}

// Spot is where a tick sits on the grid.
type Spot struct {
	// Bar counts bars from the start, 0 the first; BarStart is where it
	// starts and Meter its meter.
	Bar      int
	BarStart Ticks
	Meter    Meter
	// Beat counts felt beats from the start; BarBeat is the beat's place
	// in its bar, 0 the downbeat. BeatStart is where the beat starts and
	// BeatTicks its length (a short last beat before a meter change
	// counts its full length).
	Beat, BarBeat int
	BeatStart     Ticks
	BeatTicks     Ticks
	// Offset is the tick's distance from the beat's start, 0 to
	// BeatTicks-1.
	Offset Ticks
}

// Share is the tick's place in its beat, 0 (on the beat) to under 1.
func (s Spot) Share() float64 { return float64(s.Offset) / float64(s.BeatTicks) }

// Slot reports on which of per equal parts of the beat the tick falls
// (per 2: 0 the beat, 1 the eighth upbeat in 4/4), and whether it falls
// on it exactly rather than inside it.
func (s Spot) Slot(per int) (slot int, exact bool) {
	if per <= 0 {
		return 0, s.Offset == 0
	}
	n := s.Offset * Ticks(per)
	return int(n / s.BeatTicks), n%s.BeatTicks == 0
}

// Locate is where tick t sits: its bar, its beat and its place in the beat.
func (g *BeatGrid) Locate(t Ticks) Spot {
	s := g.span(t)
	rel := t - s.at
	bar := floorTicks(rel, s.barT)
	barStart := s.at + bar*s.barT
	inBar := floorTicks(t-barStart, s.beatT)
	beat := floorTicks(rel, s.beatT)
	return Spot{
		Bar:       s.bars + int(bar),
		BarStart:  barStart,
		Meter:     s.meter,
		Beat:      s.beats + int(beat),
		BarBeat:   int(inBar),
		BeatStart: s.at + beat*s.beatT,
		BeatTicks: s.beatT,
		Offset:    rel - beat*s.beatT,
	}
}

// Beat is where felt beat n starts (n from 0; a negative n counts back
// from the start in the first meter).
func (g *BeatGrid) Beat(n int) Ticks {
	i := sort.Search(len(g.spans), func(i int) bool { return g.spans[i].beats > n }) - 1
	s := g.spans[max(i, 0)]
	return s.at + Ticks(n-s.beats)*s.beatT
}

// Bar is where bar n starts (n from 0) and its meter.
func (g *BeatGrid) Bar(n int) (Ticks, Meter) {
	i := sort.Search(len(g.spans), func(i int) bool { return g.spans[i].bars > n }) - 1
	s := g.spans[max(i, 0)]
	return s.at + Ticks(n-s.bars)*s.barT, s.meter
}

// At is where a position counted in felt beats from the start of the bar
// falls (1.5 is the upbeat of the second beat, as a score writes it), to
// the nearest tick.
func (b PlayedBar) At(beats float64) Ticks {
	return b.Start + Ticks(math.Round(beats*float64(b.Meter.BeatTicks())))
}
