package motif

import "sideman/music"

// Gram is three successive symbols of a phrase: a contour 3-gram or a
// rhythm 3-gram.
type Gram [3]int

// RhythmGrid is the grid inter-onset intervals are read on: a twelfth of
// a quarter note (80 ticks), which holds eighths, sixteenths and triplets
// of both.
const RhythmGrid = music.PPQ / 12

// Intervals are the phrase's successive intervals in semitones (n-1 of
// them for n notes).
func Intervals(ns []Note) []int {
	if len(ns) < 2 {
		return nil
	}
	out := make([]int, len(ns)-1)
	for i := 1; i < len(ns); i++ {
		out[i-1] = ns[i].Pitch - ns[i-1].Pitch
	}
	return out
}

// Contour is the sign of each successive interval: +1 up, -1 down, 0 a
// repeated pitch.
func Contour(ns []Note) []int {
	iv := Intervals(ns)
	for i, x := range iv {
		iv[i] = max(-1, min(1, x))
	}
	return iv
}

// IOIs are the successive inter-onset intervals in beats of a quarter
// note, counted on RhythmGrid (so 12 is a quarter, 6 an eighth, 4 a
// triplet eighth), rounded to the nearest.
func IOIs(ns []Note) []int {
	if len(ns) < 2 {
		return nil
	}
	out := make([]int, len(ns)-1)
	for i := 1; i < len(ns); i++ {
		out[i-1] = quantise(ns[i].Onset - ns[i-1].Onset)
	}
	return out
}

func quantise(t music.Ticks) int {
	if t < 0 {
		return -quantise(-t)
	}
	return int((t + RhythmGrid/2) / RhythmGrid)
}

// grams are the 3-grams of a sequence: its windows of three.
func grams(s []int) []Gram {
	var out []Gram
	for i := 0; i+3 <= len(s); i++ {
		out = append(out, Gram{s[i], s[i+1], s[i+2]})
	}
	return out
}

// ContourGrams are the contour 3-grams of a phrase: each three successive
// contour signs (so four successive notes), in order.
func ContourGrams(ns []Note) []Gram { return grams(Contour(ns)) }

// RhythmGrams are the rhythm 3-grams of a phrase: each three successive
// inter-onset intervals on RhythmGrid (four successive onsets), in order.
func RhythmGrams(ns []Note) []Gram { return grams(IOIs(ns)) }

// SharesGram reports whether two phrases have a contour 3-gram in common,
// and whether they have a rhythm 3-gram in common: the test of a trade
// answer that develops the phrase it answers.
func SharesGram(a, b []Note) (contour, rhythm bool) {
	return common(ContourGrams(a), ContourGrams(b)), common(RhythmGrams(a), RhythmGrams(b))
}

func common(a, b []Gram) bool {
	set := make(map[Gram]bool, len(a))
	for _, g := range a {
		set[g] = true
	}
	for _, g := range b {
		if set[g] {
			return true
		}
	}
	return false
}

// IntervalDistance is the edit distance (Levenshtein: insertions,
// deletions and substitutions of one interval, each costing 1) between
// the interval sequences of two phrases. A transposed copy is at 0; a
// trade answer must be at 3 or more.
func IntervalDistance(a, b []Note) int { return levenshtein(Intervals(a), Intervals(b)) }

func levenshtein(a, b []int) int {
	var pb, cb [64]int
	prev, cur := pb[:0], cb[:0]
	if len(b)+1 > len(pb) {
		prev, cur = make([]int, 0, len(b)+1), make([]int, 0, len(b)+1)
	}
	prev, cur = prev[:len(b)+1], cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Distance is how far a variation is from its motif, 0 to 1: the edit
// distance of their interval sequences plus that of their rhythm
// sequences (where the first note falls, on RhythmGrid from the motif's
// start, then the IOIs), over the longest those two could be. A
// transposed copy is at 0, a displaced one at one rhythm edit.
func Distance(motif, v []Note, vAt music.Ticks) float64 {
	r := func(ns []Note, at music.Ticks) []int {
		if len(ns) == 0 {
			return nil
		}
		return append([]int{quantise(at + ns[0].Onset)}, IOIs(ns)...)
	}
	di := levenshtein(Intervals(motif), Intervals(v))
	dr := levenshtein(r(motif, 0), r(v, vAt))
	n := max(len(motif), len(v))
	if n == 0 {
		return 0
	}
	return float64(di+dr) / float64(2*n-1)
}
