package abc

import (
	"bufio"
	"fmt"

	"sideman/music"
)

// writtenFor marks a part written for a transposing instrument
// (music.Chart.Written): an N: line for the player, saying which
// instruments read it and how far above concert pitch it is written, and
// abc2midi's "%%MIDI transpose" so that the tune plays at concert pitch.
func writtenFor(w *bufio.Writer, c *music.Chart) {
	t := c.Written
	if t == nil {
		return
	}
	fmt.Fprintf(w, "N:part for %s, written %s concert pitch\n", t, intervalWords(t.Written))
	fmt.Fprintf(w, "%%%%MIDI transpose %d\n", -t.Written.Semitones)
}

// intervalWords says an interval as a player would: "a major second
// above", "a minor third below".
func intervalWords(iv music.Interval) string {
	names := map[string]string{
		"m2": "a minor second", "M2": "a major second", "m3": "a minor third", "M3": "a major third",
		"P4": "a fourth", "P5": "a fifth", "m6": "a minor sixth", "M6": "a major sixth",
		"m7": "a minor seventh", "M7": "a major seventh", "P8": "an octave", "M9": "a major ninth",
		"m10": "a minor tenth", "M13": "a major thirteenth", "P12": "a twelfth",
	}
	s := iv.String()
	dir := "above"
	if iv.Number < 0 {
		s, dir = s[1:], "below"
	}
	if n, ok := names[s]; ok {
		s = n
	}
	return s + " " + dir
}
