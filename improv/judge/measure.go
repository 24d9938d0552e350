package judge

import (
	"math"
	"slices"

	"sideman/music"
)

// PhraseRest is the rest, in beats, that ends a phrase.
const PhraseRest = 1.0

// line is a solo to measure: its notes on its beat grid and the beat track.
type line struct {
	name, performer string
	notes           []Note
	beats           []Beat
	secs            []float64
	tempo           float64
}

func humanLine(s *Solo) *line {
	l := &line{name: s.Name, performer: s.Performer, notes: s.Notes, beats: s.Beats, tempo: s.Tempo()}
	l.secs = beatSeconds(s.Beats)
	return l
}

func beatSeconds(beats []Beat) []float64 {
	secs := make([]float64, len(beats))
	for i, b := range beats {
		secs[i] = b.Seconds
	}
	return secs
}

// playedLine is a soloist's answer to the lead of s as a line on s's grid.
func playedLine(s *Solo, lead Lead, notes []music.Note) *line {
	l := &line{name: s.Name, performer: s.Performer, beats: s.Beats, tempo: lead.Tempo, secs: beatSeconds(s.Beats)}
	for _, n := range notes {
		l.notes = append(l.notes, Note{Onset: float64(n.Start) / TicksPerBeat, Duration: float64(n.Duration) / TicksPerBeat, Pitch: n.Pitch})
	}
	slices.SortStableFunc(l.notes, func(a, b Note) int { return cmpFloat(a.Onset, b.Onset) })
	return l
}

// strongBeat reports whether beat position b falls on a strong beat (the
// first of the bar, and the third in 4/4) within an eighth-triplet's half.
func (l *line) strongBeat(b float64) bool {
	k := int(math.Round(b))
	if math.Abs(b-float64(k)) > 1.0/6 || k < 0 || k >= len(l.beats) {
		return false
	}
	bt := l.beats[k]
	return bt.InBar == 1 || (bt.Meter == 4 && bt.InBar == 3)
}

func (l *line) chordAt(b float64) music.Chord {
	k := int(math.Floor(b + 1.0/6)) // a note anticipating the beat plays its chord
	if k < 0 || k >= len(l.beats) {
		return music.Chord{NoChord: true}
	}
	return l.beats[k].Chord
}

func chordTone(c music.Chord, p uint8) bool { return c.PitchClasses()&(1<<(p%12)) != 0 }

// phrases splits notes at rests of PhraseRest beats or more.
func phrases(ns []Note) [][]Note {
	var out [][]Note
	start := 0
	for i := 1; i <= len(ns); i++ {
		if i == len(ns) || ns[i].Onset-ns[i-1].End() >= PhraseRest {
			out = append(out, ns[start:i])
			start = i
		}
	}
	return out
}

// beatUpbeat lists log2 beat-upbeat ratios: three notes in a row, the first
// on a beat, the third on the next beat (each within a sixth of a beat), the
// second between them; the ratio is the first IOI over the second (Benadon
// 2006; Corcoran and Frieler 2021 measure WJazzD's swing so).
func beatUpbeat(ns []Note) []float64 {
	var out []float64
	for i := 0; i+2 < len(ns); i++ {
		a, b, c := ns[i].Onset, ns[i+1].Onset, ns[i+2].Onset
		ka := math.Round(a)
		if math.Abs(a-ka) > 1.0/6 || math.Abs(c-(ka+1)) > 1.0/6 || b <= a || c <= b {
			continue
		}
		out = append(out, math.Log2((b-a)/(c-b)))
	}
	return out
}

// timing lists the deviations, in milliseconds, of the onsets that fall
// within a sixth of a tapped beat from that beat (late is positive).
func (l *line) timing() []float64 {
	var out []float64
	for _, n := range l.notes {
		k := math.Round(n.Onset)
		if math.Abs(n.Onset-k) > 1.0/6 {
			continue
		}
		out = append(out, 1000*(secondsAt(l.secs, n.Onset)-secondsAt(l.secs, k)))
	}
	return out
}

// Intervals of the histogram: -12..+12 semitones, wider leaps in the end bins.
const intervalBins = 27

func intervalBin(d int) int { return min(max(d, -13), 13) + 13 }

// measures are a solo's distributions the Distances compare.
type measures struct {
	pitch, ambitus, phraseNotes, phraseBeats, rests, bur, timing []float64
	chordTones                                                   []float64 // one share a solo
	intervals                                                    [intervalBins]float64
}

func (l *line) measure() *measures {
	m := &measures{}
	strong, tones := 0, 0
	for _, n := range l.notes {
		m.pitch = append(m.pitch, float64(n.Pitch))
		if l.strongBeat(n.Onset) {
			if c := l.chordAt(n.Onset); !c.NoChord {
				strong++
				if chordTone(c, n.Pitch) {
					tones++
				}
			}
		}
	}
	if strong > 0 {
		m.chordTones = []float64{float64(tones) / float64(strong)}
	}
	ph := phrases(l.notes)
	for i, p := range ph {
		lo, hi := 127, 0
		for j, n := range p {
			lo, hi = min(lo, int(n.Pitch)), max(hi, int(n.Pitch))
			if j > 0 {
				m.intervals[intervalBin(int(n.Pitch)-int(p[j-1].Pitch))]++
			}
		}
		m.ambitus = append(m.ambitus, float64(hi-lo))
		m.phraseNotes = append(m.phraseNotes, float64(len(p)))
		m.phraseBeats = append(m.phraseBeats, p[len(p)-1].End()-p[0].Onset)
		if i > 0 {
			m.rests = append(m.rests, p[0].Onset-ph[i-1][len(ph[i-1])-1].End())
		}
	}
	m.bur = beatUpbeat(l.notes)
	m.timing = l.timing()
	return m
}
