// Package harmony hears the chords in a piece of played notes and writes
// them down as a chord chart, as a musician transcribing a recording
// would: bar by bar, a chord a bar or one a half bar where the harmony
// moves, named from the notes that sound longest and the bass under them.
//
// It is how a MIDI file with no chord symbols in it becomes a chart the
// band can play: the chords are a guess from the notes, written as plain
// triads and sevenths (C, Cm, C7, Cmaj7, Cm7, Cm7b5, Cdim, Cdim7). Where
// notes sound together, a seventh chord's tensions (the ninths,
// elevenths and thirteenths a pianist adds) count against it less than
// other notes, and the bass struck on the downbeat under the others
// counts for its root: a rootless voicing over a walking bass is heard
// as the chord it voices. A 4/4 bar gets two chords only where its
// halves fit them clearly better than one chord fits the bar.
//
// The bars are the file's time signatures', but a tune that starts with a
// pickup starts the chart with it, a short bar before bar 1 (Downbeat):
// the file may write it as a short bar, play it at the end of a bar of
// silence, or play it from tick 0 with the bar lines where its notes do
// not put them; then the bar lines go where the long notes fall on strong
// beats and the harmony changes (the meter-finding of Temperley and
// Sleator's "Modeling Meter and Harmony", Computer Music Journal 23(1),
// 1999, reduced to one choice: where bar 1 starts). The chart's melody is
// the top line of the part that carries the tune (MelodyPart, TopLine),
// as a lead sheet read from ABC or MusicXML carries its own.
package harmony

import (
	"errors"
	"math"
	"slices"

	"sideman/music"
)

// ErrNoNotes is a piece with no pitched notes: drums alone, or nothing.
var ErrNoNotes = errors.New("no pitched notes to hear chords in (drums alone, or no notes at all)")

// MaxBars is the most bars Chart writes; a longer piece is cut there.
const MaxBars = 2000

// quality is a chord type as pitch classes over its root, and the
// tensions a player adds to it (ninths, elevenths, thirteenths over the
// seventh chords, as a jazz pianist voices them), which count against it
// less than other notes outside it.
type quality struct {
	suffix   string
	tones    []int
	tensions []int
}

// qualities in order of preference: a simpler chord wins a tie.
var qualities = []quality{
	{"", []int{0, 4, 7}, nil},
	{"m", []int{0, 3, 7}, nil},
	{"7", []int{0, 4, 7, 10}, []int{1, 2, 3, 6, 8, 9}},
	{"m7", []int{0, 3, 7, 10}, []int{2, 5, 9}},
	{"maj7", []int{0, 4, 7, 11}, []int{2, 6, 9}},
	{"m7b5", []int{0, 3, 6, 10}, []int{5, 8}},
	{"dim", []int{0, 3, 6}, nil},
	{"dim7", []int{0, 3, 6, 9}, nil},
}

// Weights of the score: tones outside the chord count against it, each
// tone a chord adds must earn its place, and the bass on the root counts
// for it.
const (
	outside  = 0.6
	tension  = 0.2
	perTone  = 0.04
	bassRoot = 0.15
	// bassDown counts for a root the bass strikes on the window's
	// downbeat: a walking bass moves through the bar, its first note is
	// the root most of the time, and a rootless voicing leaves the root
	// to it.
	bassDown = 0.3
	// splitGain is how much better two half-bar chords must fit than one
	// chord for the bar.
	splitGain = 0.1
)

// heard is a chord named by root and quality index; q < 0 is silence.
type heard struct{ root, q int }

// Chart writes the chords heard in p as a chart: its title, meter (and
// meter changes), tempo and key; the key from the piece's key signature,
// or reckoned from its notes when it has none. Drum parts are not heard.
// A bar where nothing sounds keeps the chord before it.
//
// A piece that starts with a pickup starts the chart with it, a short
// bar with no chord (Chart.Pickup), and bar 1 on the first full bar
// (Downbeat). The chart's melody (its one part, and the bars' Notes) is
// the top line of the part that carries the tune (MelodyPart), its
// notes keeping their ids and origins.
func Chart(p *music.Piece) (*music.Chart, error) {
	notes, end := heardNotes(p)
	if len(notes) == 0 {
		return nil, ErrNoNotes
	}

	key := keyOf(p, notes)
	fifths := key.Fifths()
	bars := layBars(p.Meters, notes, end)
	first := bars[0].meter
	if bars[0].pickup && len(bars) > 1 {
		first = bars[1].meter
	}
	c := &music.Chart{Title: p.Title, Key: &key, Meter: &first}
	if len(p.Tempo) > 0 && p.Tempo[0].MicrosPerQuarter > 0 {
		quarterBPM := 60e6 / float64(p.Tempo[0].MicrosPerQuarter)
		c.Tempo = int(math.Round(quarterBPM * music.PPQ / float64(first.BeatTicks())))
	}

	// The windows heard, bar by bar: a bar of four felt beats or more
	// may change chord half way. A pickup of a line alone has no chord:
	// it leads into the first one; the band's chord in a pickup is heard.
	type window struct {
		bar int
		at  music.Ticks // from the start of the bar
		h   heard
	}
	var ws []window
	meter := first
	for i, b := range bars {
		bar := music.Bar{}
		if b.meter != meter || i == 0 && b.pickup {
			mm := b.meter
			bar.Meter = &mm
			meter = b.meter
		}
		c.Bars = append(c.Bars, bar)
		length := b.meter.BarTicks()
		if b.pickup && lineAlone(notes, b.at, b.at+length) {
			continue
		}
		whole, sw, _ := fit(notes, b.at, b.at+length)
		if n := b.meter.Beats(); n >= 4 && n%2 == 0 {
			// Two chords where the halves fit them clearly better than one
			// chord fits the bar: a walking bass moves through the bar, and
			// its third beat is seldom the root.
			h1, s1, _ := fit(notes, b.at, b.at+length/2)
			h2, s2, _ := fit(notes, b.at+length/2, b.at+length)
			if h1 != h2 && (s1+s2)/2 > sw+splitGain {
				ws = append(ws, window{i, 0, h1}, window{i, length / 2, h2})
				continue
			}
		}
		ws = append(ws, window{i, 0, whole})
	}
	// A silent window keeps the chord before it; a silent opening takes
	// the first chord heard.
	prev := heard{q: -1}
	for _, w := range ws {
		if w.h.q >= 0 {
			prev = w.h
			break
		}
	}
	for i, w := range ws {
		h := w.h
		if h.q < 0 && i > 0 || i > 0 && h == prev {
			continue
		}
		if h.q >= 0 {
			prev = h
		}
		if prev.q < 0 {
			continue
		}
		c.Bars[w.bar].Chords = append(c.Bars[w.bar].Chords, music.ChordAt{Offset: w.at, Chord: name(prev, fifths)})
	}
	writeMelody(c, p, bars)
	return c, nil
}

func drums(part music.Part) bool {
	return part.Role == music.RoleDrums || part.Channel == 9
}

// hear names the chord sounding from a to b: each pitch class weighs the
// time it sounds there, and the bass is the lowest note sounding a
// quarter of that time or more.
func hear(notes []music.Note, a, b music.Ticks) heard {
	h, _, _ := fit(notes, a, b)
	return h
}

// fit is hear's chord with its score (how much of the sounding time
// it holds, less what it leaves out) and the time heard.
func fit(notes []music.Note, a, b music.Ticks) (heard, float64, float64) {
	var w [12]float64
	total := 0.0
	bass, down := -1, -1
	// poly: notes sound together here (a chord, or a line over a bass);
	// only then are a chord's tensions heard as its own.
	poly, lastEnd := false, music.Ticks(math.MinInt64)
	for _, n := range notes {
		if n.Start >= b {
			break
		}
		lo, hi := max(n.Start, a), min(n.End(), b)
		if hi <= lo {
			continue
		}
		poly, lastEnd = poly || n.Start < lastEnd, max(lastEnd, n.End())
		// The bass on the downbeat: the lowest note struck there (up to
		// a 32nd either side: a feel's early or late one).
		if n.Start <= a+music.PPQ/8 && n.Start >= a-music.PPQ/8 && (down < 0 || int(n.Pitch) < down) {
			down = int(n.Pitch)
		}
		d := float64(hi - lo)
		w[n.Pitch%12] += d
		total += d
		// The bass: the lowest pitch that sounds at least a quarter of
		// the window.
		if 4*(hi-lo) >= b-a && (bass < 0 || int(n.Pitch) < bass) {
			bass = int(n.Pitch)
		}
	}
	if total == 0 {
		return heard{q: -1}, 0, 0
	}
	for i := range w {
		w[i] /= total
	}
	best, bestScore := heard{q: -1}, math.Inf(-1)
	for root := 0; root < 12; root++ {
		if w[root] == 0 {
			continue
		}
		for qi, q := range qualities {
			in := 0.0
			var weight [12]float64 // of a note outside the chord
			for pc := range weight {
				weight[pc] = outside
			}
			if poly {
				for _, t := range q.tensions {
					weight[(root+t)%12] = tension
				}
			}
			for _, t := range q.tones {
				pc := (root + t) % 12
				weight[pc] = 0
				in += w[pc]
			}
			out := 0.0
			for pc := range w {
				out += weight[pc] * w[pc]
			}
			s := in - out - perTone*float64(len(q.tones))
			if bass >= 0 && bass%12 == root {
				s += bassRoot
			}
			if poly && down >= 0 && down%12 == root { // a line alone has no bass under it
				s += bassDown
			}
			if s > bestScore+1e-9 {
				best, bestScore = heard{root, qi}, s
			}
		}
	}
	return best, bestScore, total
}

// name writes a heard chord as a symbol, its root spelled as the key
// would: of the sharp and the flat name, the one nearer the key on the
// circle of fifths (Bb in G major, G# in E major).
func name(h heard, fifths int) music.Chord {
	root := music.SpellPitchClass(h.root, false)
	if flat := music.SpellPitchClass(h.root, true); flat != root {
		center := fifths + 1
		if abs(lineOfFifths(flat)-center) < abs(lineOfFifths(root)-center) {
			root = flat
		}
	}
	return music.MustParseChord(root.String() + qualities[h.q].suffix)
}

// lineOfFifths is a spelling's place on the line of fifths: C 0, G 1,
// F -1, F# 6, Bb -2.
func lineOfFifths(s music.Spelling) int {
	return lofSteps[s.Step] + 7*int(s.Alter)
}

// lofSteps are the natural letters' places, by music.Step (C D E F G A B).
var lofSteps = [7]int{0, 2, 4, -1, 1, 3, 5}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Krumhansl-Kessler key profiles, from the tonic up.
var (
	majorProfile = [12]float64{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88}
	minorProfile = [12]float64{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}
)

// keyOf is the piece's first key signature, or the key whose profile its
// notes' durations fit best (Krumhansl-Schmuckler).
func keyOf(p *music.Piece, notes []music.Note) music.Key {
	if len(p.Keys) > 0 {
		return p.Keys[0].Key
	}
	var w [12]float64
	for _, n := range notes {
		w[n.Pitch%12] += float64(n.Duration)
	}
	bestPC, bestMode, best := 0, music.Major, math.Inf(-1)
	for tonic := 0; tonic < 12; tonic++ {
		for _, mode := range []music.Mode{music.Major, music.Minor} {
			prof := majorProfile
			if mode == music.Minor {
				prof = minorProfile
			}
			var x, y [12]float64
			for i := range 12 {
				x[i], y[i] = w[(tonic+i)%12], prof[i]
			}
			if r := correlation(x, y); r > best+1e-12 {
				bestPC, bestMode, best = tonic, mode, r
			}
		}
	}
	return music.ConventionalKey(bestPC, bestMode)
}

func correlation(x, y [12]float64) float64 {
	var mx, my float64
	for i := range 12 {
		mx += x[i] / 12
		my += y[i] / 12
	}
	var sxy, sxx, syy float64
	for i := range 12 {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// heardNotes are a piece's pitched notes that sound, in onset order, and
// where the last ends. They are read only: a piece of one pitched part
// in order, as a file's is, is heard where its notes are; others are
// copied once, sized (grown note by note, a long piece's copy allocates
// five times its size on the way).
func heardNotes(p *music.Piece) ([]music.Note, music.Ticks) {
	size, parts := 0, 0
	var only []music.Note
	for _, part := range p.Parts {
		if !drums(part) && len(part.Notes) > 0 {
			size, parts, only = size+len(part.Notes), parts+1, part.Notes
		}
	}
	end := music.Ticks(0)
	byStart := func(a, b music.Note) int { return int(a.Start - b.Start) }
	if parts == 1 && slices.IsSortedFunc(only, byStart) && !slices.ContainsFunc(only, func(n music.Note) bool { return n.Duration <= 0 }) {
		for _, n := range only {
			end = max(end, n.End())
		}
		return only, end
	}
	notes := make([]music.Note, 0, size)
	for _, part := range p.Parts {
		if drums(part) {
			continue
		}
		for _, n := range part.Notes {
			if n.Duration <= 0 {
				continue
			}
			notes = append(notes, n)
			end = max(end, n.End())
		}
	}
	slices.SortFunc(notes, byStart)
	return notes, end
}
