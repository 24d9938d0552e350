package trade

// This file is a stand-in: the contour and rhythm 3-grams and the interval
// edit distance below are the trade's own, small and stated, until
// improv/motif's replace them at merge (the coordinator swaps these
// functions for motif's; the measurement of measure_test.go then reads
// motif's definitions).

import "sideman/music"

// Contour classes an interval as the Jazzomat's fuzzy intervals do
// (Frieler, Pfleiderer et al., Inside the Jazzomat, 2017): 0 a repeat,
// ±1 a step (1 or 2 semitones), ±2 a leap (3 or 4), ±3 a jump (5 to 7),
// ±4 a large jump (8 or more); the sign is the direction.
func Contour(semitones int) int {
	a := semitones
	if a < 0 {
		a = -a
	}
	c := 0
	switch {
	case a == 0:
		return 0
	case a <= 2:
		c = 1
	case a <= 4:
		c = 2
	case a <= 7:
		c = 3
	default:
		c = 4
	}
	if semitones < 0 {
		return -c
	}
	return c
}

// RhythmGrid is the grid inter-onset intervals are quantised to for the
// rhythm 3-grams: a twelfth of a quarter note (80 ticks), which holds the
// sixteenth and the eighth-note triplet both.
const RhythmGrid = music.PPQ / 12

// gram is three successive symbols.
type gram [3]int

// contourGrams are the 3-grams of successive fuzzy intervals of a line
// (four notes make one).
func contourGrams(pitches []int) map[gram]bool {
	out := map[gram]bool{}
	for i := 3; i < len(pitches); i++ {
		out[gram{Contour(pitches[i-2] - pitches[i-3]), Contour(pitches[i-1] - pitches[i-2]), Contour(pitches[i] - pitches[i-1])}] = true
	}
	return out
}

// rhythmGrams are the 3-grams of successive inter-onset intervals of a
// line, each rounded to RhythmGrid (four notes make one).
func rhythmGrams(onsets []music.Ticks) map[gram]bool {
	q := func(d music.Ticks) int { return int((d + RhythmGrid/2) / RhythmGrid) }
	out := map[gram]bool{}
	for i := 3; i < len(onsets); i++ {
		out[gram{q(onsets[i-2] - onsets[i-3]), q(onsets[i-1] - onsets[i-2]), q(onsets[i] - onsets[i-1])}] = true
	}
	return out
}

func shares(a, b map[gram]bool) bool {
	for g := range a {
		if b[g] {
			return true
		}
	}
	return false
}

// SharesGram reports whether two lines share a contour 3-gram or a
// rhythm 3-gram, and which.
func SharesGram(a, b []music.Note) (contour, rhythm bool) {
	pa, oa := line(a)
	pb, ob := line(b)
	return shares(contourGrams(pa), contourGrams(pb)), shares(rhythmGrams(oa), rhythmGrams(ob))
}

// IntervalDistance is the edit distance (Levenshtein: insertions,
// deletions and substitutions, each 1) between the interval sequences of
// two lines in semitones: 0 for a transposed copy.
func IntervalDistance(a, b []music.Note) int {
	pa, _ := line(a)
	pb, _ := line(b)
	return editDistance(intervals(pa), intervals(pb))
}

func intervals(p []int) []int {
	if len(p) < 2 {
		return nil
	}
	out := make([]int, len(p)-1)
	for i := range out {
		out[i] = p[i+1] - p[i]
	}
	return out
}

func editDistance(a, b []int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// line is the top line of notes: of those that start together the
// highest, in onset order (notes sorted by Start, as a Part holds them).
func line(ns []music.Note) ([]int, []music.Ticks) {
	var ps []int
	var os []music.Ticks
	for _, n := range ns {
		if k := len(os) - 1; k >= 0 && os[k] == n.Start {
			ps[k] = max(ps[k], int(n.Pitch))
			continue
		}
		ps, os = append(ps, int(n.Pitch)), append(os, n.Start)
	}
	return ps, os
}
