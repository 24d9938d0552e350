package harmony

import (
	"slices"
	"strings"

	"sideman/music"
)

// barSpan is one bar of the piece as heard: where it starts in the
// piece, its meter, and whether it is a pickup leading into bar 1.
type barSpan struct {
	at     music.Ticks
	meter  music.Meter
	pickup bool
}

// layBars lays the piece's bars out. The file's time signatures give
// them, a change within a bar ending it there. A piece that starts
// with a pickup starts with a short bar: one its time signatures write
// (a 1/4 bar before the 4/4), or one heard in its notes, when the file
// counts bars from a tick 0 that is no downbeat. Two ways of writing
// that are heard (Downbeat): the pickup played at the end of a bar of
// silence (as abc2midi writes it), the pickup kept from its first note;
// or the pickup played from tick 0, the bar lines moved to where the
// notes put the strong beats.
func layBars(meters music.MeterMap, notes []music.Note, end music.Ticks) []barSpan {
	var bars []barSpan
	at := music.Ticks(0)
	if pick, start, ok := Downbeat(meters, notes); ok {
		if m := shortMeter(pick-start, meters.At(start)); m.BarTicks() == pick-start {
			bars = append(bars, barSpan{start, m, true})
			at = pick
		}
	}
	for at < end && len(bars) < MaxBars {
		m := meters.At(at)
		length := m.BarTicks()
		if next := nextChange(meters, at); next < at+length {
			length = next - at
			m = shortMeter(length, m)
		}
		bars = append(bars, barSpan{at: at, meter: m})
		at += length
	}
	if len(bars) == 0 {
		bars = append(bars, barSpan{meter: meters.At(0)})
	}
	if !bars[0].pickup && len(bars) > 1 && bars[0].meter.BarTicks() < bars[1].meter.BarTicks() {
		bars[0].pickup = true // the file's time signatures write it
	}
	return bars
}

// Downbeat finds the pickup a piece starts with, when its file counts
// bars from tick 0 and the first meter lasts a full bar: downbeat is where
// bar 1 starts, and the pickup sounds from start to there. ok is false
// for a piece that starts on a downbeat, or whose time signatures write
// the pickup as a short bar of its own.
//
// Two ways of playing a pickup are heard. A first bar silent through its
// first beat, with more music after it, is a pickup played at the end of
// a bar (as abc2midi writes it): it starts at its first note. Music that starts at tick 0 is a pickup when
// another placing of the bar lines puts the notes on stronger beats and
// the chord changes on bar lines (metricalWeight): each note weighs its
// length on the strength of the beat it starts on (the downbeat, the
// middle of a bar of four beats, the other beats, the meter's units),
// each bar how well one chord holds it, and the bar lines move where
// that weighs clearly more than where the file puts them (a melody whose
// long notes fall on beat 3 of the file's 4/4 is half a bar off). The
// notes are sorted by start.
func Downbeat(meters music.MeterMap, notes []music.Note) (downbeat, start music.Ticks, ok bool) {
	first := meters.At(0)
	length := first.BarTicks()
	if len(notes) == 0 || !first.Valid() || nextChange(meters, 0) <= length && meters.At(length) != first {
		return 0, 0, false
	}
	step := min(music.PPQ/2, first.UnitTicks())
	if length%step != 0 {
		step = first.UnitTicks()
	}
	f := notes[0].Start
	for _, n := range notes {
		f = min(f, n.Start)
	}
	if f >= first.BeatTicks() {
		if f >= length || lastStart(notes) < length {
			return 0, 0, false
		}
		return length, f - f%step, true
	}
	if f >= step {
		return 0, 0, false
	}
	// Music from the start: where do its strong beats fall?
	var end music.Ticks
	for _, n := range notes {
		end = max(end, n.End())
	}
	if end < 4*length {
		return 0, 0, false // too little to tell
	}
	if i := slices.IndexFunc(notes, func(n music.Note) bool { return n.Start >= analysed*length }); i > 0 {
		notes = notes[:i]
	}
	best, bestScore := music.Ticks(0), metricalWeight(notes, first, 0)*(1+shiftMargin)
	for d := step; d < length; d += step {
		if s := metricalWeight(notes, first, d); s > bestScore {
			best, bestScore = d, s
		}
	}
	if best == 0 {
		return 0, 0, false
	}
	return best, 0, true
}

// shiftMargin is how much more the notes must weigh on moved bar lines
// than on the file's before they move: the file's bar lines are a fact,
// the notes' weights a guess.
const shiftMargin = 0.15

// harmonyWeight is how much a bar's fit to one chord counts against the
// notes' beats: a bar line where the harmony changes.
const harmonyWeight = 0.5

// analysed is how many bars Downbeat reads: the bar lines are found
// early, and a long file costs no more.
const analysed = 64

// metricalWeight is how strongly the notes sit on the beats of meter m
// with bar lines at d plus whole bars: each note its length in beats (a
// bar at most) times its beat's strength, and each bar how well one
// chord holds it (hear's score, by the beats heard in it), as harmony
// changes at bar lines more than within bars.
func metricalWeight(notes []music.Note, m music.Meter, d music.Ticks) float64 {
	length, beat := m.BarTicks(), m.BeatTicks()
	total := 0.0
	end := music.Ticks(0)
	for _, n := range notes {
		pos := ((n.Start-d)%length + length) % length
		total += float64(min(n.Duration, length)) / float64(beat) * strength(pos, m)
		end = max(end, n.End())
	}
	for at := d; at < end; at += length {
		_, s, t := fit(notes, at, at+length)
		total += harmonyWeight * s * t / float64(beat)
	}
	return total
}

// strength is how strong a place in the bar is: the downbeat, the middle
// of a bar of an even four beats or more, another beat, a unit of the
// meter (an eighth in 6/8), anything else.
func strength(pos music.Ticks, m music.Meter) float64 {
	beat := m.BeatTicks()
	switch {
	case pos == 0:
		return 1
	case pos%beat == 0:
		if n := m.Beats(); n >= 4 && n%2 == 0 && int(pos/beat) == n/2 {
			return 0.5
		}
		return 0.25
	case pos%m.UnitTicks() == 0:
		return 0.1
	}
	return 0
}

// lineAlone reports whether what starts from a to b is a line alone:
// never more than two notes at once. The notes are sorted by start.
func lineAlone(notes []music.Note, a, b music.Ticks) bool {
	for i, n := range notes {
		if n.Start < a || n.Start >= b {
			continue
		}
		at := 0
		for j, o := range notes {
			if o.Start > n.Start {
				break // sorted by start
			}
			if j != i && o.End() > n.Start {
				at++
			}
		}
		if at >= 2 {
			return false
		}
	}
	return true
}

func lastStart(notes []music.Note) music.Ticks {
	var t music.Ticks
	for _, n := range notes {
		t = max(t, n.Start)
	}
	return t
}

// nextChange is where the meter next changes after tick t, or a tick
// past any piece when it does not.
func nextChange(meters music.MeterMap, t music.Ticks) music.Ticks {
	cur := meters.At(t)
	for _, c := range meters {
		if c.At > t && c.Meter != cur {
			return c.At
		}
	}
	return 1 << 62
}

// shortMeter is the meter of a bar of length ticks cut short from m, in
// m's note value when it can be (a quarter's pickup in 4/4 is 1/4, an
// eighth's in 6/8 1/8), in finer ones when it must. A length no meter
// can give keeps m.
func shortMeter(length music.Ticks, m music.Meter) music.Meter {
	const whole = 4 * music.PPQ
	if length <= 0 || length == m.BarTicks() {
		return m
	}
	for den := max(m.Den, 1); den <= 64; den *= 2 {
		unit := music.Ticks(whole / den)
		if length%unit == 0 {
			if s := (music.Meter{Num: int(length / unit), Den: den}); s.Valid() {
				return s
			}
		}
	}
	return m
}

// MelodyPart is the index in p.Parts of the part that carries the tune:
// the one named or cast as the melody (melody, lead, vocal, voice, tune,
// solo), else the one with the most notes in a melody's range (G3 to C7);
// -1 for a piece with no pitched part.
func MelodyPart(p *music.Piece) int {
	best, most := -1, 0
	for i, part := range p.Parts {
		if drums(part) || len(part.Notes) == 0 {
			continue
		}
		if part.Role == music.RoleMelody || namedMelody(part.Name) {
			return i
		}
		in := 0
		for _, n := range part.Notes {
			if n.Pitch >= 55 && n.Pitch <= 96 {
				in++
			}
		}
		if in > most || best < 0 {
			best, most = i, in
		}
	}
	return best
}

// TopLine is a part's highest voice, as a listener hears the tune over
// its harmony: at each onset the highest note, unless a higher note
// already sounds on over it; each note ends where the next one starts.
// The notes keep their ids and origins.
func TopLine(notes []music.Note) []music.Note {
	ns := notes
	if !slices.IsSortedFunc(notes, func(a, b music.Note) int { return int(a.Start - b.Start) }) {
		ns = slices.Clone(notes)
		slices.SortStableFunc(ns, func(a, b music.Note) int { return int(a.Start - b.Start) })
	}
	// Notes in onset order, as a file's are, are read where they are (a
	// long file's part is not copied): at each onset the first of the
	// highest, the one a stable sort by pitch puts first.
	const overlap = music.PPQ / 8 // a legato overlap is not a held note
	var line []music.Note
	for i := 0; i < len(ns); {
		j, hi := i+1, i
		for ; j < len(ns) && ns[j].Start == ns[i].Start; j++ {
			if ns[j].Pitch > ns[hi].Pitch {
				hi = j
			}
		}
		n := ns[hi]
		i = j
		if n.Duration <= 0 {
			continue
		}
		if k := len(line); k > 0 {
			prev := &line[k-1]
			if prev.Pitch > n.Pitch && prev.End() > n.Start+overlap {
				continue // under a higher note held over it
			}
			if prev.End() > n.Start {
				prev.Duration = n.Start - prev.Start
			}
		}
		line = append(line, n)
	}
	return line
}

// writeMelody gives c the top line of p's melody part as its one part,
// the notes in the bars where they start.
func writeMelody(c *music.Chart, p *music.Piece, bars []barSpan) {
	i := MelodyPart(p)
	if i < 0 {
		return
	}
	src := p.Parts[i]
	name := src.Name
	if name == "" {
		name = "Melody"
	}
	c.Parts = []music.Part{{Name: name, Role: music.RoleMelody, Channel: src.Channel, Program: src.Program, Volume: src.Volume, Pan: src.Pan}}
	for _, n := range TopLine(src.Notes) {
		b, found := slices.BinarySearchFunc(bars, n.Start, func(s barSpan, t music.Ticks) int { return int(s.at - t) })
		if !found {
			b--
		}
		if b < 0 || b >= len(c.Bars) {
			continue
		}
		n.Start -= bars[b].at
		n.Part = 0
		c.Bars[b].Notes = append(c.Bars[b].Notes, n)
	}
}

func namedMelody(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"melody", "lead", "vocal", "voice", "tune", "solo"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
