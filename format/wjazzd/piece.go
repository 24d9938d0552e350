package wjazzd

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"sideman/music"
)

// grid maps the recording's seconds to ticks through the beat track.
type grid struct {
	secs  []float64     // beat onsets
	ticks []music.Ticks // their ticks
	// bars are the bars of the beat track: the first bar's number, and
	// each bar's start tick and meter.
	firstBar  int
	barStarts []music.Ticks
	meters    []music.Meter
}

// maxBars bounds the bars of a beat track; solos have a few hundred.
const maxBars = 1 << 16

// newGrid lays the beats out: bar by bar in their signatures, each beat one
// unit of the signature (a quarter in 4/4), the first bar starting at tick
// 0. Bars before the first signature take the first one.
func (s *Solo) newGrid() (*grid, error) {
	bs := s.Beats
	if len(bs) < 2 {
		return nil, &ParseError{File: s.Name, Err: fmt.Errorf("%w: %d beats", ErrBeats, len(bs))}
	}
	g := &grid{firstBar: bs[0].Bar}
	last := bs[len(bs)-1].Bar
	if last < g.firstBar || last-g.firstBar >= maxBars {
		return nil, &ParseError{File: s.Name, Err: fmt.Errorf("%w: bars %d to %d", ErrBeats, g.firstBar, last)}
	}
	n := last - g.firstBar + 1
	g.meters = make([]music.Meter, n)
	g.barStarts = make([]music.Ticks, n+1)
	filled := make([]bool, n)
	for _, b := range bs {
		i := b.Bar - g.firstBar
		if i < 0 || i >= n {
			return nil, &ParseError{File: s.Name, Err: fmt.Errorf("%w: bar %d out of order", ErrBeats, b.Bar)}
		}
		if !filled[i] {
			m, err := music.ParseMeter(b.Signature)
			if b.Signature == "" {
				m, err = music.DefaultMeter, nil
			}
			if err != nil {
				return nil, &ParseError{File: s.Name, Err: fmt.Errorf("bar %d: %v", b.Bar, err)}
			}
			g.meters[i], filled[i] = m, true
		}
	}
	for i := range g.meters {
		if !filled[i] {
			// A bar no beat falls in holds the meter before it.
			g.meters[i] = music.DefaultMeter
			if i > 0 {
				g.meters[i] = g.meters[i-1]
			}
		}
		g.barStarts[i+1] = g.barStarts[i] + g.meters[i].BarTicks()
	}
	g.secs = make([]float64, len(bs))
	g.ticks = make([]music.Ticks, len(bs))
	for k, b := range bs {
		i := b.Bar - g.firstBar
		m := g.meters[i]
		if b.Beat < 1 || b.Beat > m.Num {
			return nil, &ParseError{File: s.Name, Err: fmt.Errorf("%w: beat %d of bar %d in %s", ErrBeats, b.Beat, b.Bar, m)}
		}
		g.secs[k] = b.Onset
		g.ticks[k] = g.barStarts[i] + music.Ticks(b.Beat-1)*m.UnitTicks()
		if k > 0 && g.ticks[k] <= g.ticks[k-1] {
			return nil, &ParseError{File: s.Name, Err: fmt.Errorf("%w: bar %d beat %d comes before the beat it follows", ErrBeats, b.Bar, b.Beat)}
		}
	}
	return g, nil
}

// tick is the tick of a time in seconds: between two beats in proportion,
// before the first and after the last at the nearest beats' pace.
func (g *grid) tick(sec float64) music.Ticks {
	k := sort.SearchFloat64s(g.secs, sec) // first beat at or after sec
	switch {
	case k == 0:
		k = 1
	case k >= len(g.secs):
		k = len(g.secs) - 1
	}
	s0, s1 := g.secs[k-1], g.secs[k]
	t0, t1 := float64(g.ticks[k-1]), float64(g.ticks[k])
	t := t0 + (sec-s0)/(s1-s0)*(t1-t0)
	if t < 0 || math.IsNaN(t) {
		return 0
	}
	if t > math.MaxInt32 {
		return math.MaxInt32
	}
	return music.Ticks(math.Round(t))
}

// tempo is the tempo map that takes ticks back to the recording's
// seconds, counted from the first bar's start: one change a beat.
func (g *grid) tempo() music.TempoMap {
	m := make(music.TempoMap, 0, len(g.secs))
	add := func(at music.Ticks, k int) {
		us := int64(math.Round((g.secs[k+1] - g.secs[k]) * 1e6 * music.PPQ / float64(g.ticks[k+1]-g.ticks[k])))
		if us < 1 {
			us = 1
		}
		if n := len(m); n > 0 && m[n-1].MicrosPerQuarter == us {
			return
		}
		m = append(m, music.TempoChange{At: at, MicrosPerQuarter: us})
	}
	add(0, 0)
	for k := 1; k+1 < len(g.secs); k++ {
		add(g.ticks[k], k)
	}
	return m
}

// Offset is the time in the recording, in seconds, of the first bar's
// start: tick 0 of Piece and Chart.
func (s *Solo) Offset() (float64, error) {
	g, err := s.newGrid()
	if err != nil {
		return 0, err
	}
	return g.secs[0] - float64(g.ticks[0])/float64(g.ticks[1]-g.ticks[0])*(g.secs[1]-g.secs[0]), nil
}

// instruments maps the database's instrument codes to a part name and a
// General MIDI program.
var instruments = map[string]struct {
	name    string
	program int
}{
	"ts": {"Tenor Saxophone", 66}, "as": {"Alto Saxophone", 65}, "ss": {"Soprano Saxophone", 64},
	"bs": {"Baritone Saxophone", 67}, "ts-c": {"C-Melody Saxophone", 66}, "tp": {"Trumpet", 56},
	"cor": {"Cornet", 56}, "tb": {"Trombone", 57}, "cl": {"Clarinet", 71}, "bcl": {"Bass Clarinet", 71},
	"vib": {"Vibraphone", 11}, "p": {"Piano", 0}, "g": {"Guitar", 26},
}

// soloPart is the part the solo's notes go in.
func soloPart(meta *Meta) music.Part {
	p := music.Part{Name: "Solo", Role: "melody", Program: -1}
	if meta != nil {
		if in, ok := instruments[meta.Instrument]; ok {
			p.Name, p.Program = in.name, in.program
		}
	}
	return p
}

// soloVelocity is the velocity of every note: the export has no loudness.
const soloVelocity = 90

// Piece places the solo's notes on the tick grid of its beat track (see
// the package comment), with a tempo map back to the recording's seconds,
// the meters of the beat track, the key and title from meta (nil when not
// known), form parts as markers, and the changes as its Chart. The notes
// share one Origin: Imported from the solo's file, Who the performer.
func (s *Solo) Piece(meta *Meta) (*music.Piece, error) {
	g, err := s.newGrid()
	if err != nil {
		return nil, err
	}
	c, err := s.chart(g, meta)
	if err != nil {
		return nil, err
	}
	p := &music.Piece{Title: c.Title, Chart: c, Tempo: g.tempo()}
	prev := music.Meter{}
	for i, m := range g.meters {
		if m != prev {
			p.Meters = append(p.Meters, music.MeterChange{At: g.barStarts[i], Meter: m})
			prev = m
		}
	}
	if c.Key != nil {
		p.Keys = []music.KeyChange{{At: 0, Key: *c.Key}}
	}
	for i, b := range c.Bars {
		if b.Section != "" {
			p.Markers = append(p.Markers, music.Marker{At: g.barStarts[i], Text: b.Section})
		}
	}
	part := soloPart(meta)
	part.Notes = s.notes(g, s.origin(meta))
	p.Parts = []music.Part{part}
	return p, nil
}

func (s *Solo) origin(meta *Meta) *music.Origin {
	o := &music.Origin{Kind: music.Imported, Source: s.Name}
	if meta != nil {
		o.Who = meta.Performer
	}
	return o
}

// notes places the solo's notes. The export records no ids: each is 0,
// for the caller to number (music.IDs).
func (s *Solo) notes(g *grid, origin *music.Origin) []music.Note {
	out := make([]music.Note, len(s.Notes))
	for i, n := range s.Notes {
		start := g.tick(n.Onset)
		end := g.tick(n.Onset + n.Duration)
		out[i] = music.Note{
			Pitch:    n.Pitch,
			Velocity: soloVelocity,
			Start:    start,
			Duration: max(end-start, 1),
			Origin:   origin,
		}
	}
	music.SortNotes(out)
	return out
}

// Chart is the solo's changes as a chart: the bars of the beat track with
// their meters, each chord at the beat where the beat track names it,
// form parts ("A1", "B1") as sections, the solo's notes in their bars, and
// title, composer, key, tempo (the table's average) and rhythm feel as
// Style from meta (nil when not known).
func (s *Solo) Chart(meta *Meta) (*music.Chart, error) {
	g, err := s.newGrid()
	if err != nil {
		return nil, err
	}
	return s.chart(g, meta)
}

func (s *Solo) chart(g *grid, meta *Meta) (*music.Chart, error) {
	c := &music.Chart{Title: strings.TrimSuffix(strings.TrimSuffix(s.Name, ".csv"), "_Solo")}
	if meta != nil {
		c.Title, c.Composer = meta.Title, meta.Composer
		if k, ok := meta.KeyOf(); ok {
			c.Key = &k
		}
		c.Tempo = int(math.Round(meta.AvgTempo))
		c.Style = feel(meta.RhythmFeel)
	}
	first := g.meters[0]
	c.Meter = &first
	c.Bars = make([]music.Bar, len(g.meters))
	for i := range c.Bars {
		if i > 0 && g.meters[i] != g.meters[i-1] {
			m := g.meters[i]
			c.Bars[i].Meter = &m
		}
	}
	chords := map[string]music.Chord{}
	for k, b := range s.Beats {
		bar := &c.Bars[b.Bar-g.firstBar]
		if b.FormStart && bar.Section == "" {
			bar.Section = b.Form
		}
		if !b.Changed {
			continue
		}
		ch, ok := chords[b.Chord]
		if !ok {
			var err error
			if ch, err = ParseChord(b.Chord); err != nil {
				return nil, &ParseError{File: s.Name, Err: fmt.Errorf("bar %d beat %d: %w", b.Bar, b.Beat, err)}
			}
			chords[b.Chord] = ch
		}
		bar.Chords = append(bar.Chords, music.ChordAt{Offset: g.ticks[k] - g.barStarts[b.Bar-g.firstBar], Chord: ch})
	}
	part := soloPart(meta)
	c.Parts = []music.Part{{Name: part.Name, Role: part.Role, Program: part.Program}}
	notes := s.notes(g, s.origin(meta))
	// Notes are in time order: each bar's notes are a run of the slice.
	j := 0
	for i := range c.Bars {
		lo := j
		for j < len(notes) && (i == len(c.Bars)-1 || notes[j].Start < g.barStarts[i+1]) {
			notes[j].Start -= g.barStarts[i]
			j++
		}
		if j > lo {
			c.Bars[i].Notes = notes[lo:j:j]
		}
	}
	return c, nil
}

// feel names a rhythm feel of the table as a style ("SWING" is "Swing",
// "LATIN/FUNK" "Latin/Funk").
func feel(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == ':' || c == ' '
	}
	return string(b)
}
