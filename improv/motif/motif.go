package motif

import (
	"errors"
	"slices"

	"sideman/model"
	"sideman/music"
)

// Note is a note of a motif or of a variation, placed from the motif's
// start.
type Note struct {
	// ID is a motif note's id; a variation's notes have none until
	// Variation.Notes numbers them.
	ID       music.NoteID
	Pitch    int
	Onset    music.Ticks // from the motif's start
	Duration music.Ticks
	Velocity uint8
	// From are the motif notes this one derives from: a motif note
	// itself, an ornament the note it ornaments, a sequence's copy the
	// note copied.
	From []music.NoteID
}

// Chord is a chord under the motif, from At ticks after its start (a
// chord before the start has a negative At).
type Chord struct {
	At    music.Ticks
	Chord music.Chord
}

// Motif is a short human phrase: its notes, one at a time (monophonic),
// where it starts, the meter and key it is in, and the chords under it and
// after it when a chart is given.
type Motif struct {
	Notes []Note
	// Start is where the motif starts in its piece: the downbeat of the
	// bar of its first note, so that an onset keeps its place in the bar.
	Start music.Ticks
	Meter music.Meter
	Key   music.Key
	// HasKey is true when a chart gave the key: the scale that diatonic
	// operators follow. Without one, steps are whole tones.
	HasKey bool
	// Chords are the chart's chords in order, none without a chart.
	Chords []Chord

	// at and snd index Chords for the operators, which look a chord up
	// for every note of every variation (see index).
	at  []music.Ticks
	snd []sounding
}

// sounding is what the operators read of a chord.
type sounding struct {
	ok    bool // false for N.C.
	root  int
	pcs   uint16
	tones []music.Interval
}

// index builds at and snd from Chords; Vary and Generate call it before
// their goroutines read it.
func (m *Motif) index() {
	if len(m.at) == len(m.Chords) && len(m.snd) == len(m.Chords) {
		return
	}
	m.at, m.snd = make([]music.Ticks, len(m.Chords)), make([]sounding, len(m.Chords))
	for i, c := range m.Chords {
		m.at[i] = c.At
		if !c.Chord.NoChord {
			m.snd[i] = sounding{true, c.Chord.Root.PitchClass(), c.Chord.PitchClasses(), c.Chord.Tones()}
		}
	}
}

// sounding is the chord at t as the operators read it: from the index
// when built, else worked out.
func (m *Motif) soundingAt(t music.Ticks) sounding {
	if len(m.at) != len(m.Chords) || len(m.snd) != len(m.Chords) {
		c, ok := m.ChordAt(t)
		if !ok {
			return sounding{}
		}
		return sounding{true, c.Root.PitchClass(), c.PitchClasses(), c.Tones()}
	}
	i, _ := slices.BinarySearch(m.at, t+1)
	if i == 0 {
		return sounding{}
	}
	return m.snd[i-1]
}

// ErrEmpty is returned for a motif of fewer than two notes: nothing to
// vary.
var ErrEmpty = errors.New("a motif needs two notes or more")

// New makes a motif of notes (their starts in the ticks of a piece whose
// bars are of meter m from tick 0): of notes that start together the
// highest is kept, and each note is cut short where the next begins. The
// chart, when not nil, gives the key and the chords: its bars in written
// order from tick 0 (bar 1 of the chart is bar 1 of the piece), as
// model.FromChart reads them.
func New(notes []music.Note, m music.Meter, chart *music.Chart) (*Motif, error) {
	if !m.Valid() {
		m = music.Meter{Num: 4, Den: 4}
	}
	ns := slices.Clone(notes)
	slices.SortStableFunc(ns, func(a, b music.Note) int {
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		return int(b.Pitch) - int(a.Pitch)
	})
	mo := &Motif{Meter: m, Key: music.DefaultKey}
	for i, n := range ns {
		if i > 0 && n.Start == ns[i-1].Start {
			continue
		}
		mo.Notes = append(mo.Notes, Note{ID: n.ID, Pitch: int(n.Pitch), Onset: n.Start, Duration: max(n.Duration, 1),
			Velocity: n.Velocity, From: []music.NoteID{n.ID}})
	}
	if len(mo.Notes) < 2 {
		return nil, ErrEmpty
	}
	bar := m.BarTicks()
	mo.Start = mo.Notes[0].Onset / bar * bar
	for i := range mo.Notes {
		mo.Notes[i].Onset -= mo.Start
	}
	legato(mo.Notes)
	if chart != nil {
		mo.Key, mo.HasKey = chart.KeyOrDefault(), true
		meters := chart.BarMeters()
		var at music.Ticks
		for i := range chart.Bars {
			for _, ca := range chart.Bars[i].Chords {
				mo.Chords = append(mo.Chords, Chord{At: at + ca.Offset - mo.Start, Chord: ca.Chord})
			}
			at += meters[i].BarTicks()
		}
		slices.SortStableFunc(mo.Chords, func(a, b Chord) int { return int(a.At - b.At) })
	}
	mo.index()
	return mo, nil
}

// legato cuts each note short where the next begins: a motif is one line.
func legato(ns []Note) {
	for i := 0; i+1 < len(ns); i++ {
		if ns[i].Onset+ns[i].Duration > ns[i+1].Onset {
			ns[i].Duration = ns[i+1].Onset - ns[i].Onset
		}
	}
}

// ChordAt is the chord sounding t ticks after the motif's start; false
// where there is none (no chart, before its first chord, N.C.).
func (m *Motif) ChordAt(t music.Ticks) (music.Chord, bool) {
	i, _ := slices.BinarySearchFunc(m.Chords, t+1, func(c Chord, t music.Ticks) int { return int(c.At - t) })
	if i == 0 || m.Chords[i-1].Chord.NoChord {
		return music.Chord{}, false
	}
	return m.Chords[i-1].Chord, true
}

// Events are the notes as the model reads them, placed at ticks after the
// motif's start: the meter's grid, the key, the chord under each.
func (m *Motif) Events(ns []Note, at music.Ticks) []model.Event {
	bar, beat := m.Meter.BarTicks(), m.Meter.BeatTicks()
	tonic, minor := m.Key.Tonic.PitchClass(), m.Key.Mode == music.Minor
	es := make([]model.Event, len(ns))
	for i, n := range ns {
		t := m.Start + at + n.Onset
		in := t % bar
		e := model.Event{ID: n.ID, Pitch: n.Pitch, Onset: t, Duration: n.Duration, Tonic: tonic, Minor: minor,
			Bar: int(t / bar), Beat: int(in / beat), Offset: in % beat, BeatTicks: beat}
		if c := m.soundingAt(at + n.Onset); c.ok {
			e.HasChord, e.Root, e.Tones = true, c.root, c.pcs
		}
		es[i] = e
	}
	return es
}

// scale is the pitch classes of the motif's key (major or natural minor),
// bit 0 = C.
func (m *Motif) scale() uint16 {
	steps := []int{0, 2, 4, 5, 7, 9, 11}
	if m.Key.Mode == music.Minor {
		steps = []int{0, 2, 3, 5, 7, 8, 10}
	}
	var s uint16
	for _, st := range steps {
		s |= 1 << ((m.Key.Tonic.PitchClass() + st) % 12)
	}
	return s
}

// fit moves pitch p, where a chart gives key and chords, to the nearest
// pitch of the key's scale or of the chord sounding t ticks after the
// start (searching first in direction dir, +1 up or -1 down): what a
// player keeps an expanded or inverted line inside. Without a chart p is
// kept.
func (m *Motif) fit(p int, t music.Ticks, dir int) int {
	if !m.HasKey {
		return p
	}
	ok := m.scale()
	if c := m.soundingAt(t); c.ok {
		ok |= c.pcs
	}
	if dir == 0 {
		dir = 1
	}
	for d := 0; d < 6; d++ {
		for _, q := range []int{p + dir*d, p - dir*d} {
			if ok&(1<<pc(q)) != 0 {
				return q
			}
		}
	}
	return p
}

// step moves pitch p by n steps of the key's scale (a chromatic pitch
// first goes to the scale tone below it, then comes back by as much);
// without a chart a step is a whole tone.
func (m *Motif) step(p, n int) int {
	if !m.HasKey {
		return p + 2*n
	}
	s := m.scale()
	base := p
	for s&(1<<pc(base)) == 0 {
		base--
	}
	off := p - base
	for ; n > 0; n-- {
		base++
		for s&(1<<pc(base)) == 0 {
			base++
		}
	}
	for ; n < 0; n++ {
		base--
		for s&(1<<pc(base)) == 0 {
			base--
		}
	}
	return base + off
}

func pc(p int) int { return ((p % 12) + 12) % 12 }
