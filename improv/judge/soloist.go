package judge

import (
	"context"
	"math"

	"sideman/music"
)

// TicksPerBeat is the resolution a soloist answers in: music's 960 a
// quarter, and every WJazzD beat is a quarter.
const TicksPerBeat = 960

// Lead is what a soloist is given to play over: one held-out solo's
// changes on its tapped beat grid, and nothing of the notes the human
// played over them.
type Lead struct {
	// Name is the held-out solo's file; Seed is the seed to play with.
	Name string
	Seed uint64
	// Beats are the tapped beats with their bars and chords; tick 0 is
	// Beats[0], and beat i starts at tick i*TicksPerBeat.
	Beats []Beat
	// Start and End are the ticks the human solo spans, from the start of
	// its first note's bar to the end of its last note's bar: a soloist
	// plays between them.
	Start, End music.Ticks
	// Tempo is the median tempo in beats a minute.
	Tempo float64
}

// Bars is the number of bars between Start and End.
func (l Lead) Bars() int {
	n, last := 0, math.MinInt
	for i := int(l.Start / TicksPerBeat); i < int(l.End/TicksPerBeat) && i < len(l.Beats); i++ {
		if l.Beats[i].Bar != last {
			n, last = n+1, l.Beats[i].Bar
		}
	}
	return n
}

// ChordAt is the chord sounding at tick t (no chord outside the beats).
func (l Lead) ChordAt(t music.Ticks) music.Chord {
	i := int(t / TicksPerBeat)
	if t < 0 || i >= len(l.Beats) {
		return music.Chord{NoChord: true, Symbol: "NC"}
	}
	return l.Beats[i].Chord
}

// LeadOf is the lead of a solo: its beats, and the bars its notes span.
func LeadOf(s *Solo, seed uint64) Lead {
	l := Lead{Name: s.Name, Seed: seed, Beats: s.Beats, Tempo: s.Tempo()}
	first, last := s.Notes[0].Onset, s.Notes[len(s.Notes)-1].End()
	l.Start = music.Ticks(barStart(s.Beats, first) * TicksPerBeat)
	l.End = music.Ticks(barEnd(s.Beats, last) * TicksPerBeat)
	return l
}

// barStart is the first beat of the bar holding beat position b.
func barStart(beats []Beat, b float64) int {
	i := min(max(int(math.Floor(b)), 0), len(beats)-1)
	for i > 0 && beats[i-1].Bar == beats[i].Bar {
		i--
	}
	return i
}

// barEnd is the beat after the bar holding beat position b.
func barEnd(beats []Beat, b float64) int {
	i := min(max(int(math.Floor(b)), 0), len(beats)-1)
	for i+1 < len(beats) && beats[i+1].Bar == beats[i].Bar {
		i++
	}
	return i + 1
}

// A Soloist plays over a lead: notes in ticks (see Lead), monophonic, in
// order of onset. The same lead and seed give the same notes. Velocity is
// not judged; every note should carry its ID and Origin as anywhere else.
type Soloist interface {
	Solo(ctx context.Context, lead Lead) ([]music.Note, error)
}

// SoloistFunc is a function as a Soloist.
type SoloistFunc func(ctx context.Context, lead Lead) ([]music.Note, error)

// Solo calls f.
func (f SoloistFunc) Solo(ctx context.Context, lead Lead) ([]music.Note, error) { return f(ctx, lead) }

// A Trainer makes a soloist from the solos of the training performers
// (never those of the solos it will play over). A soloist that learns
// nothing from WJazzD ignores them: see Fixed.
type Trainer func(ctx context.Context, train []*Solo) (Soloist, error)

// Fixed is a Trainer for a soloist that learns nothing from the corpus.
func Fixed(s Soloist) Trainer {
	return func(context.Context, []*Solo) (Soloist, error) { return s, nil }
}

// An Entrant is a named soloist to judge.
type Entrant struct {
	Name  string
	Train Trainer
}

// Chart is the lead as a chord chart, for a soloist that plays from one:
// its bars from the first beat that starts a bar, each bar's meter where it
// changes, and each chord at the beat the beat track changes it on. The
// chart's tick 0 is the lead's tick at (the second result); a bar the beat
// track ends in the middle of is as long as the beats it has.
func (l Lead) Chart() (*music.Chart, music.Ticks) {
	first := 0
	for first < len(l.Beats) && l.Beats[first].InBar != 1 {
		first++
	}
	c := &music.Chart{Tempo: int(math.Round(l.Tempo)), Title: l.Name}
	prevMeter, prevChord := 0, ""
	for i := first; i < len(l.Beats); i++ {
		b := l.Beats[i]
		if i == first || b.Bar != l.Beats[i-1].Bar {
			c.Bars = append(c.Bars, music.Bar{})
			if b.Meter != prevMeter {
				m := &music.Meter{Num: b.Meter, Den: 4}
				if i == first {
					c.Meter = m
				}
				c.Bars[len(c.Bars)-1].Meter = m
				prevMeter = b.Meter
			}
		}
		if sym := b.Chord.Symbol; sym != prevChord {
			bar := &c.Bars[len(c.Bars)-1]
			bar.Chords = append(bar.Chords, music.ChordAt{Offset: music.Ticks(b.InBar-1) * TicksPerBeat, Chord: b.Chord})
			prevChord = sym
		}
	}
	return c, music.Ticks(first) * TicksPerBeat
}
