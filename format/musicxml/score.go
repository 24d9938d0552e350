package musicxml

import (
	"cmp"
	"errors"
	"io"
	"math"
	"slices"

	"sideman/music"
)

// Score is a performance to write as a score for a notation program: the
// band's parts as the players wrote them (on the grid, before a feel
// moves them), and the bars they were played over.
type Score struct {
	Piece *music.Piece
	// Bars are the performance's bars as played (band.Played): they give
	// the score its bars, chord symbols and section marks. Without them
	// bars follow the piece's meter map, with no chord symbols.
	Bars []music.PlayedBar
	// Swing is the share of a beat the on-beat eighth takes in the piece
	// (band.Style.Swing): swung eighths are written straight, as jazz
	// parts write them. 0 or 0.5: straight.
	Swing float64
}

// maxScoreBars bounds a score; the band plays a few hundred bars at most.
const maxScoreBars = 1 << 14

// EncodeScore writes a performance as a MusicXML score, one part for each
// of the piece's parts (in score order: melody, guitar, piano, bass,
// drums), through Encode: the bars as played (repeats unrolled, every
// chorus written out), chord symbols above the first part, four bars a
// line. Note starts and ends are put on the nearest
// sixteenth or eighth-note triplet, swung eighths written straight, so
// that a notation program reads whole note values; a note that crosses a
// barline is tied over it. A drum hit lasts until the kit's next hit (at
// most to the end of its bar), so the kit reads as one voice.
func EncodeScore(w io.Writer, s Score) error {
	c, err := ScoreChart(s)
	if err != nil {
		return err
	}
	return Encode(w, c)
}

// ScoreChart is the chart EncodeScore writes: the performance's bars
// with the quantized notes of its parts.
func ScoreChart(s Score) (*music.Chart, error) {
	p := s.Piece
	if p == nil {
		return nil, errors.New("musicxml: nil piece")
	}
	// The end, on the grid each part is written on (swungAt), so that
	// every note starts in a bar.
	var end music.Ticks
	for i := range p.Parts {
		q := quantizer{swing: swungAt(&p.Parts[i], s.Swing)}
		for _, n := range p.Parts[i].Notes {
			if n.Duration > 0 {
				end = max(end, q.end(q.at(n.Start), n.End()), after(q.at(n.Start)))
			}
		}
	}
	c := &music.Chart{Title: p.Title}
	if p.Chart != nil {
		c.Title = cmp.Or(p.Title, p.Chart.Title)
		c.Composer, c.Style, c.Key = p.Chart.Composer, p.Chart.Style, p.Chart.Key
	}
	if len(p.Keys) > 0 {
		k := p.Keys[0].Key
		c.Key = &k
	}

	// The bars: as played where the performance says, else by the meter map.
	played := map[music.Ticks]*music.PlayedBar{}
	for i := range s.Bars {
		pb := &s.Bars[i]
		if pb.Meter.BarTicks() > 0 {
			played[pb.Start] = pb
		}
		end = max(end, pb.End())
	}
	var starts []music.Ticks
	var prev music.Meter
	t := music.Ticks(0)
	for t < end || len(starts) == 0 {
		if len(starts) >= maxScoreBars {
			return nil, errors.New("musicxml: the score is too long to write")
		}
		var b music.Bar
		m := p.Meters.At(t)
		if pb, ok := played[t]; ok {
			m = pb.Meter
			if pb.Bar != nil {
				b.Section, b.Comment = pb.Bar.Section, pb.Bar.Comment
				b.Chords = slices.Clone(pb.Bar.Chords)
			}
		}
		if m.BarTicks() <= 0 {
			m = music.DefaultMeter
		}
		if len(starts) == 0 {
			c.Meter = &m
		} else if m != prev {
			mm := m
			b.Meter = &mm
		}
		prev = m
		c.Bars = append(c.Bars, b)
		starts = append(starts, t)
		t += m.BarTicks()
	}
	// A pickup: a first bar shorter than the meter after it is in that
	// meter, written as a short bar.
	if len(c.Bars) > 1 && c.Bars[1].Meter != nil && c.Bars[1].Meter.BarTicks() > c.Meter.BarTicks() {
		c.Bars[0].Meter, c.Meter = c.Meter, c.Bars[1].Meter
	}
	// The tempo in the chart's beats, from the piece's opening tempo.
	if len(p.Tempo) > 0 && p.Tempo[0].MicrosPerQuarter > 0 {
		qpm := p.Tempo[0].BPM()
		c.Tempo = int(math.Round(qpm * music.PPQ / float64(c.MeterOrDefault().BeatTicks())))
	}

	starts = append(starts, t)
	barEnd := func(t music.Ticks) music.Ticks { return starts[max(sortSearch(starts, t), 0)+1] }
	for i, pi := range scoreOrder(p.Parts) {
		part := &p.Parts[pi]
		c.Parts = append(c.Parts, music.Part{Name: part.Name, Role: part.Role, Channel: part.Channel, Program: part.Program})
		q := quantizer{swing: swungAt(part, s.Swing)}
		for _, n := range q.part(part, barEnd) {
			bi := max(sortSearch(starts, n.Start), 0)
			n.Start -= starts[bi]
			n.Part = int16(i)
			c.Bars[bi].Notes = append(c.Bars[bi].Notes, n)
		}
	}
	for i := range c.Bars {
		music.SortNotes(c.Bars[i].Notes)
	}
	return c, nil
}

// scoreRank is the order of a jazz score's staves, top to bottom: the
// melody, then the rhythm section; the chord symbols go over the first.
var scoreRank = map[string]int{music.RoleMelody: 0, "": 1, music.RoleGuitar: 2, music.RolePiano: 3, music.RoleBass: 4, music.RoleDrums: 5}

// scoreOrder lists the parts' indexes in score order, the band's order
// kept among equals.
func scoreOrder(parts []music.Part) []int {
	idx := make([]int, len(parts))
	for i := range idx {
		idx[i] = i
	}
	rank := func(i int) int {
		if r, ok := scoreRank[parts[i].Role]; ok {
			return r
		}
		return 1
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rank(a) - rank(b) })
	return idx
}

// sortSearch is the index of the last start at or before t.
func sortSearch(starts []music.Ticks, t music.Ticks) int {
	i, found := slices.BinarySearch(starts, t)
	if found {
		return i
	}
	return i - 1
}

// swungAt is the swing a part plays with: the style's, when more of its
// notes fall on the swung upbeat than on the straight one (a lead sheet's
// melody, added to the band as written, is straight), else none.
func swungAt(p *music.Part, swing float64) float64 {
	if swing <= 0.5 {
		return 0
	}
	on := music.Ticks(math.Round(swing * music.PPQ))
	swung, straight := 0, 0
	for _, n := range p.Notes {
		pos := n.Start % music.PPQ
		switch {
		case pos >= on-20 && pos <= on+20:
			swung++
		case pos >= music.PPQ/2-20 && pos <= music.PPQ/2+20:
			straight++
		}
	}
	if swung < straight {
		return 0
	}
	return swing
}

// quantizer puts notes on the written grid.
type quantizer struct{ swing float64 }

// scoreGrid are the places in a quarter note a score writes a note on:
// sixteenths and eighth-note triplets.
var scoreGrid = []music.Ticks{0, 240, 320, 480, 640, 720, 960}

// at is the nearest grid place to t, a swung upbeat taken back to the
// straight eighth.
func (q quantizer) at(t music.Ticks) music.Ticks {
	beat, pos := q.straight(t)
	return beat + nearest(scoreGrid, pos)
}

// straight is the beat that holds t and t's place in it, a swung
// upbeat taken back to the straight eighth.
func (q quantizer) straight(t music.Ticks) (beat music.Ticks, pos float64) {
	if t < 0 {
		return 0, 0
	}
	beat = t - t%music.PPQ
	pos = float64(t - beat)
	if q.swing > 0.5 && q.swing < 0.9 {
		on := q.swing * music.PPQ
		if pos < on {
			pos = pos * music.PPQ / 2 / on
		} else {
			pos = music.PPQ/2 + (pos-on)*(music.PPQ/2)/(music.PPQ-on)
		}
	}
	return beat, pos
}

func nearest(grid []music.Ticks, pos float64) music.Ticks {
	best := grid[0]
	for _, g := range grid {
		if math.Abs(float64(g)-pos) < math.Abs(float64(best)-pos) {
			best = g
		}
	}
	return best
}

// endSlack is how far from a sixteenth (or a triplet eighth, for a note
// that starts on one) a note's end may be and still be read as written
// there; ends further off are a player's articulation (a walking bass's
// quarter held 90%, a swung eighth held short), written to the nearest
// eighth or triplet eighth.
const endSlack = 40

var (
	sixteenths     = []music.Ticks{0, 240, 480, 720, 960}
	eighths        = []music.Ticks{0, 480, 960}
	tripletEighths = []music.Ticks{0, 320, 640, 960}
)

// end is where a note that starts at start (on the grid) and ends at t
// is written to end.
func (q quantizer) end(start, t music.Ticks) music.Ticks {
	beat, pos := q.straight(t)
	fine, coarse := sixteenths, eighths
	if s := start % music.PPQ; s == 320 || s == 640 {
		fine, coarse = tripletEighths, tripletEighths
	}
	if f := nearest(fine, pos); math.Abs(float64(f)-pos) <= endSlack {
		return beat + f
	}
	return beat + nearest(coarse, pos)
}

// after is the first grid place after t (on the grid).
func after(t music.Ticks) music.Ticks {
	beat := t - t%music.PPQ
	for _, g := range scoreGrid {
		if beat+g > t {
			return beat + g
		}
	}
	return beat + music.PPQ
}

// part quantizes a part's notes: starts and ends on the grid, a note no
// longer than the next strike of its key, drum hits until the next hit.
func (q quantizer) part(p *music.Part, barEnd func(music.Ticks) music.Ticks) []music.Note {
	ns := make([]music.Note, 0, len(p.Notes))
	for _, n := range p.Notes {
		if n.Duration <= 0 {
			continue
		}
		s := q.at(n.Start)
		e := q.end(s, n.End())
		if e <= s {
			e = after(s)
		}
		n.Start, n.Duration = s, e-s
		ns = append(ns, n)
	}
	music.SortNotes(ns)
	if p.Role == music.RoleDrums || p.Channel == 9 && p.Role == "" {
		for i := range ns {
			next := barEnd(ns[i].Start)
			for j := i + 1; j < len(ns); j++ {
				if ns[j].Start > ns[i].Start {
					next = min(next, ns[j].Start)
					break
				}
			}
			ns[i].Duration = next - ns[i].Start
		}
		return dedupe(ns)
	}
	// A note sounds until its key is struck again.
	last := map[uint8]int{}
	for i := range ns {
		if j, ok := last[ns[i].Pitch]; ok && ns[j].End() > ns[i].Start {
			ns[j].Duration = ns[i].Start - ns[j].Start
		}
		last[ns[i].Pitch] = i
	}
	return dedupe(ns)
}

// dedupe leaves out notes of no length and a second strike of one key at
// one place.
func dedupe(ns []music.Note) []music.Note {
	out := ns[:0]
	for _, n := range ns {
		if n.Duration <= 0 {
			continue
		}
		if k := len(out); k > 0 && out[k-1].Start == n.Start && out[k-1].Pitch == n.Pitch {
			continue
		}
		out = append(out, n)
	}
	return out
}
