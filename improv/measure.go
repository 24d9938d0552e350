package improv

// Figures are what a solo measures, the same way for a human solo of
// WJazzD and for the soloist's (Soloist.Figures), so the two compare. A
// set of solos pools its notes, phrases and time; Range is the mean over
// solos.
type Figures struct {
	// StrongChordTones is the share of the notes struck on beats 1 and 3
	// over a chord whose pitch class is one of the chord's.
	StrongChordTones float64 `json:"strong_chord_tones"`
	// NotesPerBar over the bars from the first note to the last.
	NotesPerBar float64 `json:"notes_per_bar"`
	// PhraseNotes and PhraseBeats are the mean notes of a phrase and the
	// mean beats from its first onset to its last.
	PhraseNotes float64 `json:"phrase_notes"`
	PhraseBeats float64 `json:"phrase_beats"`
	// RestShare is the share of the solo's time between phrases: from a
	// beat after a phrase's last onset (the last note's sound) to the
	// next phrase.
	RestShare float64 `json:"rest_share"`
	// Offbeat is the share of notes struck off the beat.
	Offbeat float64 `json:"offbeat"`
	// Range is the semitones from the lowest note to the highest.
	Range float64 `json:"range"`
}

type figureSum struct {
	strong, strongCT     float64
	notes, bars, offbeat float64
	phrases, phraseE8    float64
	rest, span           float64
	ranges, solos        float64
}

// add adds a solo, its notes on the eighth grid in phrases.
func (f *figureSum) add(solo []gridNote, phrases [][]gridNote) {
	if len(solo) == 0 {
		return
	}
	lo, hi := solo[0].pitch, solo[0].pitch
	for _, n := range solo {
		lo, hi = min(lo, n.pitch), max(hi, n.pitch)
		if parity(n.e8) != 0 {
			f.offbeat++
		}
		if pos := ((n.e8 % 8) + 8) % 8; (pos == 0 || pos == 4) && n.tones != 0 {
			f.strong++
			if n.tones&(1<<(n.pitch%12)) != 0 {
				f.strongCT++
			}
		}
	}
	f.notes += float64(len(solo))
	span := float64(solo[len(solo)-1].e8-solo[0].e8) + 2
	f.span += span
	f.bars += span / 8
	for i, ph := range phrases {
		f.phrases++
		f.phraseE8 += float64(ph[len(ph)-1].e8 - ph[0].e8)
		if i+1 < len(phrases) {
			f.rest += max(0, float64(phrases[i+1][0].e8-ph[len(ph)-1].e8-2))
		}
	}
	f.ranges += float64(hi - lo)
	f.solos++
}

func (f *figureSum) figures() Figures {
	div := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return round4(a / b)
	}
	return Figures{
		StrongChordTones: div(f.strongCT, f.strong),
		NotesPerBar:      div(f.notes, f.bars),
		PhraseNotes:      div(f.notes, f.phrases),
		PhraseBeats:      div(f.phraseE8/2, f.phrases),
		RestShare:        div(f.rest, f.span),
		Offbeat:          div(f.offbeat, f.notes),
		Range:            div(f.ranges, f.solos),
	}
}

// Repeats measures how a line copies itself: of its pitches, the share
// that lie inside a verbatim repeat of min notes or more of something
// played earlier in it (the same pitches in the same order; a motif
// transposed is no copy), and the longest such repeat. A player returns
// to a motif and develops it; a line that replays a ten-note run five
// times in twelve bars loops.
func Repeats(pitches []int, min int) (share float64, longest int) {
	if len(pitches) == 0 {
		return 0, 0
	}
	in := make([]bool, len(pitches))
	// suf[j] is the length of the common suffix of pitches[:j] and
	// pitches[:i], for j < i, kept as i goes on.
	suf := make([]int, len(pitches)+1)
	for i, p := range pitches {
		l := 0
		for j := i; j >= 1; j-- {
			if pitches[j-1] == p {
				suf[j] = suf[j-1] + 1
			} else {
				suf[j] = 0
			}
			l = max(l, suf[j])
		}
		suf[0] = 0
		// a copy ends here l notes long, its source ending before i
		if l >= min {
			for k := i - l + 1; k <= i; k++ {
				in[k] = true
			}
		}
		longest = max(longest, l)
	}
	n := 0
	for _, b := range in {
		if b {
			n++
		}
	}
	return float64(n) / float64(len(pitches)), longest
}
