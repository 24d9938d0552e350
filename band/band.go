package band

import (
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"sort"

	"sideman/music"
)

// Options say how the band plays a chart.
type Options struct {
	Style *Style
	// Tempo in felt beats per minute; 0 takes the chart's, then the style's.
	Tempo int
	// Choruses of the form (at least 1); the coda is played once, at the end.
	Choruses int
	// Transpose, when set, moves the chart to this key before playing.
	Transpose *music.Key
	// Intro plays the last bars of the form first (4, or 8 for forms of 32
	// bars and more); Ending adds a tag of the last 4 bars and a final chord.
	Intro, Ending bool
	// Mute leaves roles out ("bass", "piano", "guitar", "drums"): a
	// minus-one track for practice.
	Mute map[string]bool
	// Seed makes the performance repeatable: same seed, same notes.
	Seed int64
	// Practice (practice.go). CountIn bars of hi-hat pedal, one stroke a
	// beat, start the piece; the band comes in after them (WithFeel
	// humanizes the band and leaves the count-in on the grid). Loop plays these written bars, Repeat times
	// (else Choruses), instead of the form. Ramp adds that many beats per
	// minute each chorus (each time round the loop). Levels set a role's
	// channel volume up or down in dB ("bass": -6), not its velocities.
	CountIn int
	Loop    BarRange
	Repeat  int
	Ramp    int
	Levels  map[string]float64
	// Lineup is the players the band calls on (band/lineup.Standard for
	// the rhythm section sideman has); the style picks from it.
	Lineup *Lineup
	// IDs gives the notes their ids: the project's, so that ids stay
	// unique across everything it holds (the chart's written notes
	// should have theirs from the same IDs). Nil takes ids of the
	// performance's own (music.IDsFor the chart and these options),
	// above the chart's written notes (Chart.MaxID).
	IDs *music.IDs
}

// Gig is everything a player knows about the performance: the form as
// played (intro, choruses, coda, ending), the chords with their lengths,
// the style and the tempo. Players read it and return notes.
type Gig struct {
	Chart  *music.Chart
	Bars   []music.PlayedBar
	Chords []music.ChordSpan
	Style  *Style
	Tempo  int // felt beats per minute
	Key    music.Key
	Seed   int64
}

// Rand is a player's own random stream: seeded by the gig's seed and the
// role, so muting one player does not change what the others play.
func (g *Gig) Rand(role string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(role))
	return rand.New(rand.NewPCG(uint64(g.Seed), h.Sum64()))
}

// ChordAt returns the chord sounding at tick t (N.C. before the first).
func (g *Gig) ChordAt(t music.Ticks) music.ChordSpan {
	i := sort.Search(len(g.Chords), func(i int) bool { return g.Chords[i].Start > t }) - 1
	if i < 0 {
		return music.ChordSpan{Chord: music.NC}
	}
	return g.Chords[i]
}

// General MIDI programs and channels of the band's instruments.
var (
	defaultProgram = map[string]int{"bass": 32, "piano": 0, "guitar": 26, "drums": 0}
	channel        = map[string]uint8{"piano": 0, "bass": 1, "guitar": 2, "drums": 9}
	partName       = map[string]string{"bass": "Bass", "piano": "Piano", "guitar": "Guitar", "drums": "Drums"}
)

// ErrNoChords is returned for a chart with nothing to play over.
var ErrNoChords = errors.New("the chart has no chords to play")

// Form lays out the whole performance: an optional intro (the last 4 bars
// of the form, 8 for forms of 32 bars and more), the choruses with the
// coda once at the end, and the end. Without an ending the last chorus
// resolves (see ending.go: a turnaround after the tonic becomes the tonic
// held, or a bar of the tonic follows); with one, the choruses are played
// as written, then a tag of the last 4 bars, resolved the same way, and a
// bar of the final chord. The last bar carries a fermata.
func Form(c *music.Chart, choruses int, intro, ending bool) []music.PlayedBar {
	body := c.Unroll(choruses)
	one := c.Unroll(1)
	var out []music.PlayedBar
	var at music.Ticks
	add := func(pb music.PlayedBar, bar *music.Bar) {
		pb.Start = at
		if bar != nil {
			pb.Bar = bar
		}
		out = append(out, pb)
		at += pb.Meter.BarTicks()
	}
	// relabel copies a bar with a new section label and no marks, so
	// intro and tag bars do not repeat or jump.
	relabel := func(b *music.Bar, section string) *music.Bar {
		return &music.Bar{Meter: b.Meter, Section: section, Chords: b.Chords}
	}
	if intro && len(one) > 0 {
		for i, pb := range one[len(one)-introBars(len(one)):] {
			label := ""
			if i == 0 {
				label = "Intro"
			}
			add(pb, relabel(pb.Bar, label))
		}
		// The bar after the intro carries the meter and the first chord
		// explicitly: nothing in the intro's last bar may hold over.
		if len(body) > 0 && len(body[0].Bar.Chords) == 0 {
			first := firstChord(one)
			b := *body[0].Bar
			b.Chords = []music.ChordAt{{Chord: first}}
			body[0].Bar = &b
		}
	}
	end := endingOf(c, one)
	if !ending && end.resolve {
		body, _ = resolve(body, end.chord, end.stop)
	}
	for _, pb := range body {
		add(pb, nil)
	}
	if ending && len(one) > 0 {
		n := min(4, len(one))
		tag := make([]music.PlayedBar, 0, n+1)
		for i, pb := range one[len(one)-n:] {
			label := ""
			if i == 0 {
				label = "Ending"
			}
			pb.Bar = relabel(pb.Bar, label)
			tag = append(tag, pb)
		}
		final := end.chord
		if end.resolve {
			tag, final = resolve(tag, end.chord, end.stop)
		}
		for _, pb := range tag {
			add(pb, nil)
		}
		if len(tag) == n {
			last := one[len(one)-1]
			add(last, &music.Bar{Chords: []music.ChordAt{{Chord: final}}})
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Fermata = true
	}
	return out
}

// introBars is how many bars Form's intro plays of a form of n bars: the
// last 4, or 8 of a form of 32 bars and more.
func introBars(n int) int {
	if n >= 32 {
		return 8
	}
	return min(4, n)
}

func firstChord(bars []music.PlayedBar) music.Chord {
	for _, pb := range bars {
		for _, ca := range pb.Bar.Chords {
			return ca.Chord
		}
	}
	return music.NC
}

// lastChord is the chord the form resolves to: the last chord of the
// form's last bar, or of the first bar when the form ends on a turnaround
// back to the top (most jazz tunes end on the tonic in bar 1 of the head).
func lastChord(bars []music.PlayedBar) music.Chord {
	for i := len(bars) - 1; i >= 0; i-- {
		if cs := bars[i].Bar.Chords; len(cs) > 0 {
			last := cs[len(cs)-1].Chord
			if last.Dominant() {
				return firstChord(bars)
			}
			return last
		}
	}
	return music.NC
}
