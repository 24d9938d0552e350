package musicxml

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"sideman/music"
)

// Encode writes a chart as a MusicXML 4.0 partwise score: a lead sheet of
// the chart's parts (the notes of its bars) with the chord symbols above
// the first part, the key, the meters, repeats, volta brackets, segno,
// coda, fine, D.C. and D.S. (as signs or words with their <sound>
// playback attributes), section names as rehearsal marks and the tempo.
//
// Notes are written at sounding pitch, spelled with flats in flat keys.
// A note that crosses a barline is split there and tied. Durations are
// written as note types with dots; durations of triplets and quintuplets
// get tuplets within their beat, and other values are tied together from
// writable ones. Overlapping notes of a part go to further voices. A bar
// whose meter holds for that bar only and is shorter than the meter around
// it (a pickup) is written as an irregular measure without a time
// signature of its own. A chart without notes (a chord chart) is written
// as one part of rhythm slashes under its chord symbols, one a beat.
//
// Lines hold four bars each (a new system at every fourth bar and at
// every section mark), as lead sheets are written; a pickup bar is not
// counted. A note's Lyric is written as a <lyric>. A part whose role is
// piano is written on a grand staff split at middle C, a guitar part in
// the treble clef an octave down, a bass part in the bass clef and a
// drum part (role drums, or the General MIDI percussion channel) on a
// percussion staff, each key of the kit an instrument of its own.
func Encode(w io.Writer, c *music.Chart) (err error) {
	if c == nil {
		return errors.New("musicxml: nil chart")
	}
	defer func() {
		// Encode is written not to panic; this turns a bug into an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("musicxml: internal error: %v", r)
		}
	}()
	e := &encoder{c: c}
	if err := e.plan(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	e.w = bw
	e.write()
	return bw.Flush()
}

type encoder struct {
	c      *music.Chart
	w      *bufio.Writer
	meters []music.Meter
	starts []music.Ticks // bar starts, with the end of the last bar
	// irregular marks bars written without a time signature of their own.
	irregular []bool
	closing   []closing
	div       int64       // divisions per quarter
	unit      music.Ticks // ticks per division
	parts     []encPart
	flats     bool
	// newSystem marks the bars that start a line.
	newSystem []bool
	cur       *encPart // the part being written
	staff     int      // the staff being written, 0 for a part of one
}

// encPart is one part to write, its notes cut into bars.
type encPart struct {
	id      string
	name    string
	channel uint8
	program int
	role    string
	bass    bool
	staves  int         // 2 for a grand staff, else 1
	perc    bool        // a percussion staff
	slashes bool        // a chord chart's part: rhythm slashes where no notes are
	keys    []uint8     // the percussion keys the part plays, sorted
	bars    [][]segment // per bar
}

// segment is the part of a note that lies in one bar.
type segment struct {
	start, end music.Ticks // from the bar start
	pitch      uint8
	velocity   uint8
	tieStart   bool // continues into the next bar
	tieStop    bool // continued from the bar before
	staff      int  // 1 or 2 on a grand staff, else 0
	lyric      string
	syllabic   string // of the lyric: single, begin, middle or end
}

func (e *encoder) plan() error {
	c := e.c
	nbars := len(c.Bars)
	if nbars == 0 {
		nbars = 1
	}
	e.meters = make([]music.Meter, nbars)
	copy(e.meters, c.BarMeters())
	if len(c.Bars) == 0 {
		e.meters[0] = c.MeterOrDefault()
	}
	e.starts = make([]music.Ticks, nbars+1)
	for i, m := range e.meters {
		if m.BarTicks() <= 0 || m.Den <= 0 || m.Num <= 0 {
			return fmt.Errorf("musicxml: bar %d: meter %v cannot be written", i+1, m)
		}
		e.starts[i+1] = e.starts[i] + m.BarTicks()
	}
	e.irregular = make([]bool, nbars)
	nominal := c.MeterOrDefault()
	for i, m := range e.meters {
		next := nominal
		if i+1 < nbars {
			next = e.meters[i+1]
		}
		if m != nominal && next == nominal && m.BarTicks() < nominal.BarTicks() {
			e.irregular[i] = true
			continue
		}
		nominal = m
	}
	e.flats = c.KeyOrDefault().UsesFlats()
	e.closing = bracketEnds(c.Bars, nbars)

	// Parts and their notes, cut at barlines.
	names := c.Parts
	slashes := len(names) == 0
	if slashes {
		names = []music.Part{{Name: "Lead sheet", Program: -1}}
	}
	e.parts = make([]encPart, len(names))
	for i, p := range names {
		e.parts[i] = encPart{
			id: "P" + strconv.Itoa(i+1), name: p.Name, channel: p.Channel, program: p.Program,
			role: p.Role, staves: 1, slashes: slashes,
			perc: p.Role == music.RoleDrums || p.Channel == 9 && p.Role == "",
			bars: make([][]segment, nbars),
		}
		if p.Role == music.RolePiano {
			e.parts[i].staves = 2
		}
	}
	e.newSystem = systems(c.Bars, e.irregular)
	hyphen := make([]bool, len(e.parts)) // the part's last syllable goes on
	end := e.starts[nbars]
	sum := make([]int, len(e.parts))
	count := make([]int, len(e.parts))
	for bi := range c.Bars {
		for _, n := range c.Bars[bi].Notes {
			if int(n.Part) < 0 || int(n.Part) >= len(e.parts) || n.Duration <= 0 {
				continue
			}
			if n.Pitch > 127 {
				return fmt.Errorf("musicxml: bar %d: pitch %d outside the MIDI range 0..127", bi+1, n.Pitch)
			}
			start := e.starts[bi] + n.Start
			stop := start + n.Duration
			start, stop = max(start, 0), min(stop, end)
			if start >= stop {
				continue
			}
			p := &e.parts[n.Part]
			sum[n.Part] += int(n.Pitch)
			count[n.Part]++
			if p.perc && !slices.Contains(p.keys, n.Pitch) {
				p.keys = append(p.keys, n.Pitch)
				slices.Sort(p.keys)
			}
			staff := 0
			if p.staves == 2 {
				staff = 1
				if n.Pitch < 60 {
					staff = 2
				}
			}
			lyric, syllabic := syllable(n.Lyric, &hyphen[n.Part])
			for b := e.barAt(start); start < stop; b++ {
				segEnd := min(stop, e.starts[b+1])
				p.bars[b] = append(p.bars[b], segment{
					start: start - e.starts[b], end: segEnd - e.starts[b],
					pitch: n.Pitch, velocity: n.Velocity,
					tieStop: start > e.starts[bi]+n.Start, tieStart: segEnd < stop,
					staff: staff, lyric: lyric, syllabic: syllabic,
				})
				lyric, syllabic = "", ""
				start = segEnd
			}
		}
	}
	for i := range e.parts {
		p := &e.parts[i]
		p.bass = p.role == music.RoleBass || p.role == "" && count[i] > 0 && sum[i]/count[i] < 55
	}

	// Divisions: the fewest per quarter that write every length exactly.
	lcm := int64(1)
	add := func(t music.Ticks) {
		if t == 0 {
			return
		}
		if t < 0 {
			t = -t
		}
		need := int64(music.PPQ) / gcd(int64(music.PPQ), int64(t))
		lcm = lcm / gcd(lcm, need) * need
	}
	for i := range nbars {
		add(e.meters[i].BarTicks())
		add(e.meters[i].BeatTicks()) // a slash's length
		if i < len(c.Bars) {
			for _, ch := range c.Bars[i].Chords {
				add(ch.Offset)
			}
		}
		for _, p := range e.parts {
			for _, s := range p.bars[i] {
				add(s.start)
				add(s.end)
			}
		}
	}
	e.div = lcm
	e.unit = music.Ticks(int64(music.PPQ) / lcm)
	return nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// barAt is the bar that holds tick t.
func (e *encoder) barAt(t music.Ticks) int {
	i, found := slices.BinarySearch(e.starts, t)
	if found {
		return min(i, len(e.starts)-2)
	}
	return max(i-1, 0)
}

func (e *encoder) printf(format string, args ...any) { fmt.Fprintf(e.w, format, args...) }

// text escapes character data and attribute values.
// xmlChar reports whether XML 1.0 allows the character in text; those it
// does not are left out when written and when read (a malformed file that
// holds them reads as the file we would write).
func xmlChar(r rune) bool {
	return !(r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF)
}

func text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			if xmlChar(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func (e *encoder) write() {
	c := e.c
	e.printf("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
	e.printf("<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 4.0 Partwise//EN\" \"http://www.musicxml.org/dtds/partwise.dtd\">\n")
	e.printf("<score-partwise version=\"4.0\">\n")
	if c.Title != "" {
		e.printf("  <work>\n    <work-title>%s</work-title>\n  </work>\n", text(c.Title))
	}
	e.printf("  <identification>\n")
	if c.Composer != "" {
		e.printf("    <creator type=\"composer\">%s</creator>\n", text(c.Composer))
	}
	e.printf("    <encoding>\n      <software>sideman</software>\n    </encoding>\n")
	if c.Style != "" {
		e.printf("    <miscellaneous>\n      <miscellaneous-field name=\"%s\">%s</miscellaneous-field>\n    </miscellaneous>\n", styleField, text(c.Style))
	}
	e.printf("  </identification>\n")
	e.printf("  <part-list>\n")
	for _, p := range e.parts {
		e.printf("    <score-part id=\"%s\">\n", p.id)
		e.printf("      <part-name>%s</part-name>\n", text(p.name))
		if p.perc && len(p.keys) > 0 {
			e.kit(&p)
			continue
		}
		e.printf("      <score-instrument id=\"%s-I1\">\n        <instrument-name>%s</instrument-name>\n      </score-instrument>\n", p.id, text(p.name))
		e.printf("      <midi-instrument id=\"%s-I1\">\n        <midi-channel>%d</midi-channel>\n", p.id, p.channel%16+1)
		if p.program >= 0 && p.program < 128 {
			e.printf("        <midi-program>%d</midi-program>\n", p.program+1)
		}
		e.printf("      </midi-instrument>\n    </score-part>\n")
	}
	e.printf("  </part-list>\n")
	for pi := range e.parts {
		e.writePart(pi)
	}
	e.printf("</score-partwise>\n")
}

func (e *encoder) writePart(pi int) {
	p := &e.parts[pi]
	e.printf("  <part id=\"%s\">\n", p.id)
	for bi := range e.meters {
		var bar *music.Bar
		if bi < len(e.c.Bars) {
			bar = &e.c.Bars[bi]
		} else {
			bar = &music.Bar{}
		}
		number := strconv.Itoa(bi + 1)
		implicit := ""
		if bi == 0 && e.irregular[0] {
			number, implicit = "0", " implicit=\"yes\""
		} else if e.irregular[0] {
			number = strconv.Itoa(bi)
		}
		e.printf("    <measure number=\"%s\"%s>\n", number, implicit)
		if e.newSystem[bi] {
			e.printf("      <print new-system=\"yes\"/>\n")
		}
		e.writeAttributes(bi, p)
		e.leftBarline(bi, bar)
		if pi == 0 {
			e.startDirections(bi, bar)
		}
		e.writeVoices(bi, pi, bar)
		if pi == 0 {
			e.endDirections(bar)
		}
		e.rightBarline(bi, bar)
		e.printf("    </measure>\n")
	}
	e.printf("  </part>\n")
}

// writeAttributes writes divisions, key, time and clef where they start
// or change.
func (e *encoder) writeAttributes(bi int, p *encPart) {
	var time *music.Meter
	if bi == 0 {
		m := e.c.MeterOrDefault()
		if !e.irregular[0] {
			m = e.meters[0]
		}
		time = &m
	} else if !e.irregular[bi] {
		// The meter in force before this bar, irregular bars left out.
		prev := e.c.MeterOrDefault()
		for j := bi - 1; j >= 0; j-- {
			if !e.irregular[j] {
				prev = e.meters[j]
				break
			}
		}
		if e.meters[bi] != prev {
			time = &e.meters[bi]
		}
	}
	if bi > 0 && time == nil {
		return
	}
	e.printf("      <attributes>\n")
	if bi == 0 {
		e.printf("        <divisions>%d</divisions>\n", e.div)
		k := e.c.KeyOrDefault()
		e.printf("        <key>\n          <fifths>%d</fifths>\n          <mode>%s</mode>\n        </key>\n", e.fifths(), k.Mode)
	}
	if time != nil {
		e.printf("        <time>\n          <beats>%d</beats>\n          <beat-type>%d</beat-type>\n        </time>\n", time.Num, time.Den)
	}
	if bi == 0 {
		e.clefs(p)
		e.transpose()
	}
	e.printf("      </attributes>\n")
}

// fifths is the key signature: sharps (positive) or flats (negative).
func (e *encoder) fifths() int {
	f := e.c.KeyOrDefault().Fifths()
	for f > 7 {
		f -= 12
	}
	for f < -7 {
		f += 12
	}
	return f
}

// endingNumbers writes a volta bracket's passes: "1", "1, 2".
func endingNumbers(mask uint8) string {
	var ns []string
	for i := range 8 {
		if mask&(1<<i) != 0 {
			ns = append(ns, strconv.Itoa(i+1))
		}
	}
	return strings.Join(ns, ", ")
}

func (e *encoder) leftBarline(bi int, b *music.Bar) {
	if !b.RepeatStart && b.Ending == 0 {
		return
	}
	e.printf("      <barline location=\"left\">\n")
	if b.RepeatStart {
		e.printf("        <bar-style>heavy-light</bar-style>\n")
	} else {
		e.printf("        <bar-style>regular</bar-style>\n")
	}
	if b.Ending != 0 {
		e.printf("        <ending number=\"%s\" type=\"start\"/>\n", endingNumbers(b.Ending))
	}
	if b.RepeatStart {
		e.printf("        <repeat direction=\"forward\"/>\n")
	}
	e.printf("      </barline>\n")
}

// rightBarline closes repeats and volta brackets.
func (e *encoder) rightBarline(bi int, b *music.Bar) {
	cl := e.closing[bi]
	last := bi == len(e.meters)-1
	if b.RepeatEnd == 0 && cl.mask == 0 && !last {
		return
	}
	e.printf("      <barline location=\"right\">\n")
	if b.RepeatEnd > 0 || last {
		e.printf("        <bar-style>light-heavy</bar-style>\n")
	} else {
		e.printf("        <bar-style>regular</bar-style>\n")
	}
	if cl.mask != 0 {
		e.printf("        <ending number=\"%s\" type=\"%s\"/>\n", endingNumbers(cl.mask), cl.typ)
	}
	if b.RepeatEnd > 0 {
		if b.RepeatEnd != 2 {
			e.printf("        <repeat direction=\"backward\" times=\"%d\"/>\n", b.RepeatEnd)
		} else {
			e.printf("        <repeat direction=\"backward\"/>\n")
		}
	}
	e.printf("      </barline>\n")
}

// bracketEnds finds where each volta bracket ends: at the repeat sign
// before the next bracket, as music.Chart.Unroll plays it, or, for a last
// bracket without one, after its first bar.
func bracketEnds(bars []music.Bar, n int) []closing {
	out := make([]closing, n)
	for j := range bars {
		if bars[j].Ending == 0 {
			continue
		}
		end, typ := j, "discontinue"
		for k := j; k < len(bars); k++ {
			if k > j && bars[k].Ending != 0 {
				break
			}
			if bars[k].RepeatEnd > 0 {
				end, typ = k, "stop"
				break
			}
		}
		out[end] = closing{bars[j].Ending, typ}
	}
	return out
}

// closing is a volta bracket that ends at a bar.
type closing struct {
	mask uint8
	typ  string
}

// startDirections writes what belongs to the start of a bar: rehearsal
// mark, segno, coda, tempo, comment.
func (e *encoder) startDirections(bi int, b *music.Bar) {
	if b.Section != "" {
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <rehearsal>%s</rehearsal>\n        </direction-type>\n      </direction>\n", text(b.Section))
	}
	if b.Segno {
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <segno/>\n        </direction-type>\n        <sound segno=\"segno\"/>\n      </direction>\n")
	}
	if b.Coda {
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <coda/>\n        </direction-type>\n        <sound coda=\"coda\"/>\n      </direction>\n")
	}
	if bi == 0 && e.c.Tempo > 0 {
		m := e.c.MeterOrDefault()
		beat := m.BeatTicks()
		qpm := float64(e.c.Tempo) * float64(beat) / music.PPQ
		unit, dot := "quarter", false
		switch beat {
		case 1440:
			dot = true
		case 480:
			unit = "eighth"
		case 720:
			unit, dot = "eighth", true
		case 1920:
			unit = "half"
		case 2880:
			unit, dot = "half", true
		case 960:
		default:
			beat = 960
			qpm = float64(e.c.Tempo) * float64(m.BeatTicks()) / music.PPQ
		}
		per := e.c.Tempo
		if beat == 960 && m.BeatTicks() != 960 {
			per = int(math.Round(qpm))
		}
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <metronome>\n            <beat-unit>%s</beat-unit>\n", unit)
		if dot {
			e.printf("            <beat-unit-dot/>\n")
		}
		e.printf("            <per-minute>%d</per-minute>\n          </metronome>\n        </direction-type>\n        <sound tempo=\"%s\"/>\n      </direction>\n", per, strconv.FormatFloat(qpm, 'f', -1, 64))
	}
	if b.Comment != "" {
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <words>%s</words>\n        </direction-type>\n      </direction>\n", text(b.Comment))
	}
}

// endDirections writes the marks at the end of a bar: to coda, fine,
// D.C. and D.S.
func (e *encoder) endDirections(b *music.Bar) {
	words := func(w, sound string) {
		e.printf("      <direction placement=\"above\">\n        <direction-type>\n          <words>%s</words>\n        </direction-type>\n        <sound %s/>\n      </direction>\n", w, sound)
	}
	if b.ToCoda {
		words("To Coda", "tocoda=\"coda\"")
	}
	if b.Fine {
		words("Fine", "fine=\"yes\"")
	}
	if b.Jump != music.NoJump && int(b.Jump) < 7 {
		if b.Jump.ToSegno() {
			words(b.Jump.String(), "dalsegno=\"segno\"")
		} else {
			words(b.Jump.String(), "dacapo=\"yes\"")
		}
	}
}

// item is a chord of notes (or a rest, without notes) in one voice.
type item struct {
	start, end music.Ticks
	notes      []segment
}

// voices groups a bar's segments into voices: notes that start and end
// together form a chord; one that overlaps the voice's last chord goes to
// the next voice.
func voices(segs []segment) [][]item {
	segs = slices.Clone(segs)
	slices.SortStableFunc(segs, func(a, b segment) int {
		if a.start != b.start {
			return int(a.start - b.start)
		}
		if a.end != b.end {
			return int(b.end - a.end)
		}
		return int(a.pitch) - int(b.pitch)
	})
	var vs [][]item
	for _, s := range segs {
		placed := false
		for v := range vs {
			last := &vs[v][len(vs[v])-1]
			if last.start == s.start && last.end == s.end && !slices.ContainsFunc(last.notes, func(x segment) bool { return x.pitch == s.pitch }) {
				last.notes = append(last.notes, s)
				placed = true
				break
			}
			if last.end <= s.start {
				vs[v] = append(vs[v], item{start: s.start, end: s.end, notes: []segment{s}})
				placed = true
				break
			}
		}
		if !placed {
			vs = append(vs, []item{{start: s.start, end: s.end, notes: []segment{s}}})
		}
	}
	return vs
}

// writeVoices writes the notes of one part in one bar, staff after
// staff and voice after voice (voices 1-4 on the upper staff, 5-8 on the
// lower), with the chord symbols (in the first part) at their offsets in
// voice 1. A chord chart's bar without notes is rhythm slashes.
func (e *encoder) writeVoices(bi, pi int, bar *music.Bar) {
	p := &e.parts[pi]
	e.cur = p
	length := e.meters[bi].BarTicks()
	var chords []music.ChordAt
	if pi == 0 {
		chords = bar.Chords
	}
	if p.slashes && len(p.bars[bi]) == 0 {
		e.slashes(bi, chords)
		return
	}
	pos := music.Ticks(0) // where the previous voice ended
	started := false
	for staff := 1; staff <= max(p.staves, 1); staff++ {
		e.staff = 0
		segs := p.bars[bi]
		if p.staves > 1 {
			e.staff = staff
			segs = nil
			for _, s := range p.bars[bi] {
				if s.staff == staff {
					segs = append(segs, s)
				}
			}
		}
		vs := voices(segs)
		if len(vs) == 0 {
			vs = [][]item{nil}
		}
		for v, items := range vs {
			if started && pos > 0 {
				e.printf("      <backup>\n        <duration>%d</duration>\n      </backup>\n", e.dur(pos))
			}
			started = true
			pos = length
			if v > 0 && len(items) > 0 {
				pos = items[len(items)-1].end
			}
			voice := (staff-1)*4 + v + 1
			var ch []music.ChordAt
			if staff == 1 && v == 0 {
				ch = chords
			}
			// Fill the gaps: rests in a staff's first voice, forwards in
			// the others.
			var filled []item
			at := music.Ticks(0)
			for _, it := range items {
				if it.start > at {
					filled = append(filled, item{start: at, end: it.start})
				}
				filled = append(filled, it)
				at = it.end
			}
			if v == 0 && at < length {
				filled = append(filled, item{start: at, end: length})
			}
			if v == 0 && len(filled) == 1 && filled[0].notes == nil {
				// A whole-bar rest.
				e.harmonies(ch, 0, length, 0)
				e.printf("      <note>\n        <rest measure=\"yes\"/>\n        <duration>%d</duration>\n        <voice>%d</voice>\n", e.dur(length), voice)
				e.staffNumber()
				e.printf("      </note>\n")
				continue
			}
			e.writeItems(filled, voice, v == 0, length, ch)
		}
	}
	e.staff = 0
}

// staffNumber writes the note's staff on a part of several.
func (e *encoder) staffNumber() {
	if e.staff > 0 {
		e.printf("        <staff>%d</staff>\n", e.staff)
	}
}

// harmonies writes the chord symbols with offsets in [from, to), placed at
// position at.
func (e *encoder) harmonies(chords []music.ChordAt, from, to, at music.Ticks) {
	for _, ch := range chords {
		if ch.Offset < from || ch.Offset >= to {
			continue
		}
		e.harmony(ch.Chord, ch.Offset-at)
	}
}

// piece is one written note value: a part of an item.
type piece struct {
	start, end music.Ticks
	typ        string
	dots       int
	actual     int // tuplet ratio actual:normal, 0 for none
	normal     int
	tuplet     string // "start" or "stop" of the tuplet bracket
}

func (e *encoder) writeItems(items []item, voice int, rests bool, length music.Ticks, chords []music.ChordAt) {
	pieces := e.split(items, length)
	k := 0
	for ii, it := range items {
		if it.notes == nil && !rests {
			e.printf("      <forward>\n        <duration>%d</duration>\n      </forward>\n", e.dur(it.end-it.start))
			for k < len(pieces) && pieces[k].start < it.end {
				k++
			}
			continue
		}
		first := true
		for k < len(pieces) && pieces[k].start < it.end {
			pc := pieces[k]
			k++
			if chords != nil {
				// Chords from the start of this piece to the next.
				to := pc.end
				if ii == len(items)-1 && k == len(pieces) {
					to = length
				}
				e.harmonies(chords, pc.start, to, pc.start)
			}
			lastPiece := k >= len(pieces) || pieces[k].start >= it.end
			if it.notes == nil {
				e.note(nil, pc, voice, false, false, false, false)
				continue
			}
			for ni, s := range it.notes {
				tieStop := !first || s.tieStop
				tieStart := !lastPiece || s.tieStart
				e.note(&it.notes[ni], pc, voice, ni > 0, tieStop, tieStart, first)
			}
			first = false
		}
	}
}

func (e *encoder) dur(t music.Ticks) int64 { return int64(t / e.unit) }

// note writes one note value; onset is set on the first value of a
// segment, which carries its lyric.
func (e *encoder) note(s *segment, pc piece, voice int, chord, tieStop, tieStart, onset bool) {
	perc := e.cur != nil && e.cur.perc
	if s != nil && s.velocity != 0 && s.velocity != DefaultVelocity {
		e.printf("      <note dynamics=\"%s\">\n", strconv.FormatFloat(math.Round(float64(s.velocity)*10000/90)/100, 'f', -1, 64))
	} else {
		e.printf("      <note>\n")
	}
	if chord {
		e.printf("        <chord/>\n")
	}
	var drum drumNotation
	switch {
	case s == nil:
		e.printf("        <rest/>\n")
	case perc:
		drum = drumAt(s.pitch)
		e.printf("        <unpitched>\n          <display-step>%s</display-step>\n          <display-octave>%d</display-octave>\n        </unpitched>\n", drum.step, drum.octave)
	default:
		pt := e.c.KeyOrDefault().Spell(int(s.pitch))
		e.printf("        <pitch>\n          <step>%s</step>\n", pt.Step)
		if pt.Alter != 0 {
			e.printf("          <alter>%d</alter>\n", pt.Alter)
		}
		e.printf("          <octave>%d</octave>\n        </pitch>\n", pt.Octave)
	}
	e.printf("        <duration>%d</duration>\n", e.dur(pc.end-pc.start))
	if tieStop {
		e.printf("        <tie type=\"stop\"/>\n")
	}
	if tieStart {
		e.printf("        <tie type=\"start\"/>\n")
	}
	if perc && s != nil {
		e.printf("        <instrument id=\"%s-I%d\"/>\n", e.cur.id, int(s.pitch)+1)
	}
	e.printf("        <voice>%d</voice>\n", voice)
	if pc.typ != "" {
		e.printf("        <type>%s</type>\n", pc.typ)
	}
	for range pc.dots {
		e.printf("        <dot/>\n")
	}
	if pc.actual != 0 {
		e.printf("        <time-modification>\n          <actual-notes>%d</actual-notes>\n          <normal-notes>%d</normal-notes>\n        </time-modification>\n", pc.actual, pc.normal)
	}
	if drum.head != "" {
		e.printf("        <notehead>%s</notehead>\n", drum.head)
	}
	e.staffNumber()
	if tieStop || tieStart || pc.tuplet != "" {
		e.printf("        <notations>\n")
		if tieStop {
			e.printf("          <tied type=\"stop\"/>\n")
		}
		if tieStart {
			e.printf("          <tied type=\"start\"/>\n")
		}
		if pc.tuplet != "" {
			e.printf("          <tuplet type=\"%s\"/>\n", pc.tuplet)
		}
		e.printf("        </notations>\n")
	}
	if s != nil && onset && s.lyric != "" {
		e.printf("        <lyric number=\"1\">\n          <syllabic>%s</syllabic>\n          <text>%s</text>\n        </lyric>\n", s.syllabic, text(s.lyric))
	}
	e.printf("      </note>\n")
}

// noteValue is a writable duration: a note type with dots.
type noteValue struct {
	ticks music.Ticks
	typ   string
	dots  int
}

// noteValues lists the writable durations, longest first: breve to 128th,
// plain, dotted and double-dotted.
var noteValues = func() []noteValue {
	types := []struct {
		t music.Ticks
		n string
	}{{7680, "breve"}, {3840, "whole"}, {1920, "half"}, {960, "quarter"}, {480, "eighth"},
		{240, "16th"}, {120, "32nd"}, {60, "64th"}, {30, "128th"}}
	var vs []noteValue
	for _, t := range types {
		vs = append(vs, noteValue{t.t, t.n, 0})
		if t.t >= 60 {
			vs = append(vs, noteValue{t.t * 3 / 2, t.n, 1})
		}
		if t.t >= 120 {
			vs = append(vs, noteValue{t.t * 7 / 4, t.n, 2})
		}
	}
	slices.SortStableFunc(vs, func(a, b noteValue) int { return int(b.ticks - a.ticks) })
	return vs
}()

// binaryUnit is the shortest writable value, a 128th note: lengths that
// are multiples of it need no tuplet.
const binaryUnit = 30

// tupletRatios are the tuplets tried for lengths that are not binary.
// Others (septuplets) have no exact length at music.PPQ.
var tupletRatios = [][2]int{{3, 2}, {5, 4}}

// split cuts a voice's items into written note values. The bar is looked
// at a beat (a quarter) at a time: where every boundary in the beat is
// binary its values are plain, and runs of such beats are written
// together; otherwise the beat becomes a tuplet whose scaled lengths are
// binary, if one of tupletRatios does that (quarter-note triplets are
// tried over a half note first), and its values are bracketed. A length
// nothing writes keeps its exact duration under the nearest shorter type.
func (e *encoder) split(items []item, length music.Ticks) []piece {
	var bounds []music.Ticks
	for _, it := range items {
		bounds = append(bounds, it.start, it.end)
	}
	// onGrid reports whether the boundaries inside [a, b] are all on the
	// grid of ratio actual:normal (1:1 for binary).
	onGrid := func(a, b music.Ticks, actual, normal int) bool {
		for _, t := range bounds {
			if t < a || t > b {
				continue
			}
			d := int64(t-a) * int64(actual)
			if d%int64(normal) != 0 || (d/int64(normal))%binaryUnit != 0 {
				return false
			}
		}
		return true
	}
	type region struct {
		a, b           music.Ticks
		actual, normal int
	}
	var regions []region
	for a := music.Ticks(0); a < length; {
		b := min(a+music.PPQ, length)
		r := region{a, b, 1, 1}
		switch {
		case onGrid(a, b, 1, 1):
		case a%(2*music.PPQ) == 0 && a+2*music.PPQ <= length && !onGrid(a, b, 3, 2) && onGrid(a, a+2*music.PPQ, 3, 2):
			r = region{a, a + 2*music.PPQ, 3, 2}
		default:
			r.actual, r.normal = 0, 0
			for _, tr := range tupletRatios {
				if onGrid(a, b, tr[0], tr[1]) {
					r.actual, r.normal = tr[0], tr[1]
					break
				}
			}
		}
		if n := len(regions); n > 0 && r.actual == 1 && regions[n-1].actual == 1 {
			regions[n-1].b = r.b
		} else {
			regions = append(regions, r)
		}
		a = r.b
	}
	var out []piece
	for _, r := range regions {
		first := len(out)
		for _, it := range items {
			s, t := max(it.start, r.a), min(it.end, r.b)
			if s < t {
				out = e.values(out, s, t, r.actual, r.normal)
			}
		}
		switch {
		case r.actual <= 1:
		case len(out)-first > 1:
			out[first].tuplet = "start"
			out[len(out)-1].tuplet = "stop"
		case len(out) > first:
			// A lone value in a tuplet beat is written plainly, exact in
			// its duration if not in its type.
			out[first].actual, out[first].normal = 0, 0
		}
	}
	return out
}

// values appends [s, t) as tied note values under ratio actual:normal
// (1:1 plain; 0:0 when nothing fits, for a best-effort type). Every value
// is a whole number of divisions.
func (e *encoder) values(out []piece, s, t music.Ticks, actual, normal int) []piece {
	for s < t {
		left := t - s
		found := false
		if actual > 0 {
			for _, nv := range noteValues {
				real := nv.ticks * music.Ticks(normal)
				if real%music.Ticks(actual) != 0 {
					continue
				}
				real /= music.Ticks(actual)
				if real > left || real%e.unit != 0 {
					continue
				}
				pc := piece{start: s, end: s + real, typ: nv.typ, dots: nv.dots}
				if actual > 1 {
					pc.actual, pc.normal = actual, normal
				}
				out = append(out, pc)
				s += real
				found = true
				break
			}
		}
		if !found {
			// No ratio fits, or too short for any type: one value, exact
			// in duration, under the nearest shorter type.
			v := noteValues[len(noteValues)-1]
			for _, nv := range noteValues {
				if nv.ticks <= left {
					v = nv
					break
				}
			}
			return append(out, piece{start: s, end: t, typ: v.typ, dots: v.dots})
		}
	}
	return out
}

// harmony writes a chord symbol, offset ticks after the current position.
func (e *encoder) harmony(c music.Chord, offset music.Ticks) {
	e.printf("      <harmony>\n")
	step := func(tag string, sp music.Spelling) {
		e.printf("        <%s>\n          <%s-step>%s</%s-step>\n", tag, tag, sp.Step, tag)
		if sp.Alter != 0 {
			e.printf("          <%s-alter>%d</%s-alter>\n", tag, sp.Alter, tag)
		}
		e.printf("        </%s>\n", tag)
	}
	if c.NoChord {
		e.printf("        <root>\n          <root-step>C</root-step>\n        </root>\n        <kind text=\"N.C.\">none</kind>\n")
	} else {
		step("root", c.Root)
		kind, degs, ok := harmonyDegrees(c)
		if !ok {
			// No kind and degrees say it: the symbol as text, which
			// Decode reads for kind "other".
			name := c.Name()
			if c.HasBass {
				name = name[:strings.LastIndexByte(name, '/')]
			}
			e.printf("        <kind text=\"%s\">other</kind>\n", text(strings.TrimPrefix(name, c.Root.String())))
		} else if t := kindText(kind); t != "" {
			e.printf("        <kind text=\"%s\">%s</kind>\n", text(t), kind)
		} else {
			e.printf("        <kind>%s</kind>\n", kind)
		}
		if c.HasBass {
			step("bass", c.Bass)
		}
		for _, d := range degs {
			e.printf("        <degree>\n          <degree-value>%d</degree-value>\n          <degree-alter>%d</degree-alter>\n          <degree-type>%s</degree-type>\n        </degree>\n", d.value, d.alter, d.typ)
		}
	}
	if offset != 0 {
		e.printf("        <offset>%d</offset>\n", e.dur(offset))
	}
	e.printf("      </harmony>\n")
}
