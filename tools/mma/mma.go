// Package mma types a chart as an input file for Musical MIDI
// Accompaniment (MMA, Bob van der Poel, https://www.mellowood.ca/mma/;
// Debian package mma), so that sideman's band can be measured against
// MMA's on the same changes: band/bass compares the walking lines, and
// its benchmark times `mma` on the same charts.
//
// The file is one line a bar: the chord on each beat ("Cm7 / F7 /"), a
// Time line where the meter changes, and the tempo and groove first. The
// chord names are MMA's (its chord table, lib/docs "Chord Names"); a
// chord MMA does not know is played as its seventh chord or triad.
package mma

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"sideman/music"
)

// Write types choruses of a chart for MMA at a tempo (felt beats a
// minute) with a groove ("SwingWalk": MMA's swing with a walking bass).
func Write(w io.Writer, c *music.Chart, choruses, tempo int, groove string) error {
	bw := bufio.NewWriter(w)
	// Seed fixes MMA's random choices (its RSkip, RTime, RVolume), so
	// that the same chart gives the same file.
	fmt.Fprintf(bw, "// %s, typed by sideman tools/mma\nRndSeed 1\nTempo %d\n", c.Title, tempo)
	bars := c.Unroll(choruses)
	spans := music.Spans(bars)
	var meter music.Meter
	k := 0
	for _, pb := range bars {
		if pb.Meter != meter {
			meter = pb.Meter
			// A groove is defined for one meter: Time first, then the
			// groove again, or MMA plays nothing.
			fmt.Fprintf(bw, "Time %d\nGroove %s\n", meter.Beats(), groove)
		}
		var slots []string
		prev := ""
		for i := 0; i < meter.Beats(); i++ {
			at := pb.Start + music.Ticks(i)*meter.BeatTicks()
			for k+1 < len(spans) && spans[k+1].Start <= at {
				k++
			}
			name := "z"
			if k < len(spans) && spans[k].Start <= at {
				name = Name(spans[k].Chord)
			}
			if i > 0 && name == prev {
				slots = append(slots, "/")
				continue
			}
			slots = append(slots, name)
			prev = name
		}
		fmt.Fprintln(bw, strings.Join(slots, " "))
	}
	return bw.Flush()
}

// Name writes a chord in MMA's chord names: the root with "b" or "#",
// a quality from MMA's table, and a slash bass. N.C. is "z" (a rest).
func Name(c music.Chord) string {
	if c.NoChord {
		return "z"
	}
	q := quality(c)
	s := c.Root.String() + q
	if c.HasBass && c.Bass.PitchClass() != c.Root.PitchClass() {
		s += "/" + c.Bass.String()
	}
	return s
}

// quality picks the nearest chord in MMA's table: the seventh chord with
// its altered fifth or ninth where MMA has one.
func quality(c music.Chord) string {
	flat9, sharp9 := false, false
	for _, a := range c.Alterations {
		if a.Number == 9 && a.Semitones == 13 {
			flat9 = true
		}
		if a.Number == 9 && a.Semitones == 15 {
			sharp9 = true
		}
	}
	switch {
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 9:
		return "dim7"
	case c.Third == 3 && c.Fifth == 6 && c.Seventh == 10:
		return "m7b5"
	case c.Third == 3 && c.Fifth == 6:
		return "dim"
	case c.Third == 3 && c.Seventh == 11:
		return "m(maj7)"
	case c.Third == 3 && c.Seventh == 10:
		return "m7"
	case c.Third == 3 && c.Sixth:
		return "m6"
	case c.Third == 3:
		return "m"
	case c.Third == 0 && c.Seventh == 10:
		return "7sus4"
	case c.Third == 0 && c.Sus != 0:
		return "sus4"
	case c.Seventh == 10 && c.Alt:
		return "7alt"
	case c.Seventh == 10 && c.Fifth == 8:
		return "7#5"
	case c.Seventh == 10 && flat9:
		return "7b9"
	case c.Seventh == 10 && sharp9:
		return "7#9"
	case c.Seventh == 10 && c.Fifth == 6:
		return "7b5"
	case c.Seventh == 10:
		return "7"
	case c.Seventh == 11:
		return "maj7"
	case c.Fifth == 8:
		return "aug"
	case c.Sixth:
		return "6"
	case c.Third == 0:
		return "5"
	}
	return ""
}
