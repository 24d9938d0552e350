package musicxml

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"sideman/format"
	"sideman/internal/quote"
	"sideman/music"
)

// ErrNotMusicXML is wrapped for a document that is not a MusicXML score.
var ErrNotMusicXML = errors.New("not a MusicXML score (want <score-partwise> or <score-timewise>)")

// Limits on a score besides format.MaxSize bytes and the scanner's
// elements, checked as the parts and measures are read; past one, the
// error wraps format.ErrTooLarge. Real scores hold a few dozen parts and
// a few thousand measures.
const (
	// MaxParts is the most parts a score holds: music.Note.Part counts them.
	MaxParts = math.MaxInt16
	// MaxMeasures is the most measures of one part: a chart plays at most
	// music.MaxPlayedBars bars.
	MaxMeasures = music.MaxPlayedBars
)

// ParseError is an error in a MusicXML document, with where it was found.
type ParseError struct {
	// Line is the 1-based line of the document (of the score inside an
	// .mxl archive), 0 when the error is not about one place.
	Line int
	// Part is the part's id ("P1") and Measure the measure's number as
	// written ("12", "X1"), when the error is inside one.
	Part    string
	Measure string
	Err     error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("musicxml: ")
	if e.Part != "" {
		b.WriteString("part " + e.Part)
		if e.Measure != "" {
			b.WriteString(", measure " + e.Measure)
		}
		if e.Line > 0 {
			fmt.Fprintf(&b, " (line %d)", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// A Decoder reads MusicXML scores. The zero Decoder is the package's
// Decode, DecodeMXL and DecodeBytes.
type Decoder struct {
	// Source names the input in the notes' Origin; "musicxml" when empty.
	Source string
}

// Decode reads a MusicXML score, plain (.musicxml, .xml) or compressed
// (.mxl, recognised by its zip signature), at most format.MaxSize bytes
// (also after inflating), and returns it as a chart: a lead sheet whose
// bars hold the chord symbols and the notes of every part. The notes'
// Origin names the source "musicxml".
func Decode(r io.Reader) (*music.Chart, error) { return Decoder{}.Decode(r) }

// DecodeMXL reads a compressed MusicXML (.mxl) archive: a zip file whose
// META-INF/container.xml names the score.
func DecodeMXL(r io.Reader) (*music.Chart, error) { return Decoder{}.DecodeMXL(r) }

// DecodeBytes is Decode for a document in memory.
func DecodeBytes(data []byte) (*music.Chart, error) { return Decoder{}.DecodeBytes(data) }

// Decode is the package's Decode, with the notes imported from d.Source.
func (d Decoder) Decode(r io.Reader) (*music.Chart, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	return d.DecodeBytes(data)
}

// DecodeMXL is the package's DecodeMXL, with the notes imported from
// d.Source.
func (d Decoder) DecodeMXL(r io.Reader) (*music.Chart, error) {
	data, err := format.ReadAll(r)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	if !isZip(data) {
		return nil, &ParseError{Err: ErrNotMXL}
	}
	return d.DecodeBytes(data)
}

// DecodeBytes is Decode for a document in memory.
func (d Decoder) DecodeBytes(data []byte) (*music.Chart, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	if isZip(data) {
		var err error
		if data, err = unzipScore(data); err != nil {
			return nil, err
		}
	}
	source := d.Source
	if source == "" {
		source = "musicxml"
	}
	dec := decoders.Get().(*decoder)
	defer decoders.Put(dec)
	return dec.decode(data, source)
}

// decoders keeps the scratch memory of decoding (the element tree, raw
// notes) from one document to the next.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// DefaultVelocity is the velocity of notes without a dynamics marking
// (mezzo-forte, as MuseScore plays them).
const DefaultVelocity = 80

// part is what the part list says about a part.
type part struct {
	id      string
	name    string
	program int // 0-127, -1 when not given
	channel int // 0-15, -1 when not given
	// unpitched maps a score-instrument id to its percussion key.
	unpitched map[string]int
	pitched   bool // has pitched notes
	perc      bool // has unpitched notes
	// measures are the part's <measure> elements (for a timewise score,
	// its <part> element inside each measure) and their numbers' holders.
	measures []measureRef
}

type measureRef struct {
	content int32 // element holding the measure's content
	number  int32 // element holding the number attribute
}

// measure is one measure of one part as read.
type measure struct {
	number string
	start  int32 // byte offset, for errors
	// length is how far the content reaches (0 for an empty measure).
	length music.Ticks
	meter  music.Meter // the time signature in force
	timed  bool        // a time signature is in force
	// Barline and navigation marks.
	repeatStart bool
	repeatEnd   int
	ending      uint8
	segno, fine bool
	coda        []codaSign
	toCoda      bool
	jump        jumpMark
	section     string
	chords      []music.ChordAt
}

// codaSign is a coda sign in a measure; explicit when a <sound coda>
// says it is the coda itself rather than the jump to it.
type codaSign struct{ explicit bool }

// jumpMark is a D.C. or D.S. before it is told apart by what the piece
// holds (al Fine, al Coda).
type jumpMark struct {
	segno  bool // D.S., else D.C.
	set    bool
	suffix music.Jump // from the words, NoJump when they say nothing
}

// rawNote is a note as read, before ties are merged.
type rawNote struct {
	part       int16
	voice      int16
	measure    int32
	start, end music.Ticks // from the measure start
	pitch      uint8
	velocity   uint8
	tieStart   bool
	tieStop    bool
	lyric      string // music.Note.Lyric
}

type decoder struct {
	t        tree
	parts    []part
	partAt   map[string]int // index in parts by id, the first part of an id
	measures [][]measure
	notes    []rawNote
	chart    *music.Chart
	// earliest key and tempo found: measure index, then part order.
	keyAt, tempoAt int
	tempo          float64 // quarter notes a minute from <sound tempo>
	metronome      float64 // the same from a metronome mark
	metronomeAt    int
}

func (d *decoder) decode(data []byte, source string) (c *music.Chart, err error) {
	defer func() {
		// The decoder is written not to panic; this turns a bug into an
		// error rather than a crash of the caller.
		if r := recover(); r != nil {
			c, err = nil, &ParseError{Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	doc, err := toUTF8(data)
	if err != nil {
		return nil, &ParseError{Err: err}
	}
	t := &d.t
	if err := t.parse(doc); err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return nil, &ParseError{Line: t.line(se.off), Err: errors.New(se.msg)}
		}
		return nil, &ParseError{Err: err}
	}
	d.parts = d.parts[:0]
	if d.partAt == nil {
		d.partAt = map[string]int{}
	}
	clear(d.partAt)
	d.measures = d.measures[:0]
	d.notes = d.notes[:0]
	d.keyAt, d.tempoAt, d.metronomeAt = math.MaxInt, math.MaxInt, math.MaxInt
	d.tempo, d.metronome = 0, 0
	d.chart = &music.Chart{}
	root := int32(0)
	var timewise bool
	switch t.name(root) {
	case "score-partwise":
	case "score-timewise":
		timewise = true
	default:
		return nil, &ParseError{Line: 1, Err: ErrNotMusicXML}
	}
	if err := d.header(root); err != nil {
		return nil, err
	}
	if err := d.collectParts(root, timewise); err != nil {
		return nil, err
	}
	for i := range d.parts {
		if err := d.readPart(i); err != nil {
			return nil, err
		}
	}
	origin := &music.Origin{Kind: music.Imported, Source: source}
	d.assemble(origin)
	c = d.chart
	// The pooled decoder must not keep the document or the chart alive.
	d.chart, d.t.doc = nil, nil
	return c, nil
}

// header reads the title, composer and part list.
func (d *decoder) header(root int32) error {
	t := &d.t
	var work, movement string
	var composers []string
	for c := t.nodes[root].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "work":
			work = t.text(t.child(c, "work-title"))
		case "movement-title":
			movement = t.text(c)
		case "identification":
			for e := t.nodes[c].child; e >= 0; e = t.nodes[e].next {
				switch t.name(e) {
				case "creator":
					if typ, _ := t.attr(e, "type"); typ == "composer" {
						if s := t.text(e); s != "" {
							composers = append(composers, s)
						}
					}
				case "miscellaneous":
					for f := t.nodes[e].child; f >= 0; f = t.nodes[f].next {
						if n, _ := t.attr(f, "name"); n == styleField {
							d.chart.Style = t.text(f)
						}
					}
				}
			}
		case "part-list":
			for e := t.nodes[c].child; e >= 0; e = t.nodes[e].next {
				if t.is(e, "score-part") {
					if err := d.scorePart(e); err != nil {
						return err
					}
				}
			}
		}
	}
	d.chart.Title = oneLine(work)
	if d.chart.Title == "" {
		d.chart.Title = oneLine(movement)
	}
	d.chart.Composer = oneLine(strings.Join(composers, ", "))
	return nil
}

// styleField names the identification field that keeps Chart.Style.
const styleField = "sideman-style"

func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func (d *decoder) scorePart(e int32) error {
	t := &d.t
	id, _ := t.attr(e, "id")
	if _, err := d.addPart(e, id); err != nil {
		return err
	}
	p := part{id: id, program: -1, channel: -1}
	var instrName string
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "part-name":
			p.name = oneLine(t.text(c))
		case "score-instrument":
			if instrName == "" {
				instrName = oneLine(t.text(t.child(c, "instrument-name")))
			}
		case "midi-instrument":
			iid, _ := t.attr(c, "id")
			if v, ok := intText(t, t.child(c, "midi-channel")); ok && v >= 1 && v <= 16 && p.channel < 0 {
				p.channel = int(v - 1)
			}
			if v, ok := intText(t, t.child(c, "midi-program")); ok && v >= 1 && v <= 128 && p.program < 0 {
				p.program = int(v - 1)
			}
			if v, ok := intText(t, t.child(c, "midi-unpitched")); ok && v >= 1 && v <= 128 {
				if p.unpitched == nil {
					p.unpitched = map[string]int{}
				}
				p.unpitched[iid] = int(v - 1)
			}
		}
	}
	if p.name == "" {
		p.name = instrName
	}
	d.parts[len(d.parts)-1] = p
	return nil
}

// addPart adds a part for the element e with the given id, refusing one
// past MaxParts, and returns its index. Parts are found by id in a map:
// looking through the list for every <part> made a score of 100,000 parts
// quadratic (55 s before it was refused).
func (d *decoder) addPart(e int32, id string) (int, error) {
	if len(d.parts) >= MaxParts {
		t := &d.t
		return 0, &ParseError{Line: t.line(int(t.nodes[e].start)), Err: fmt.Errorf("%w: more than %d parts", format.ErrTooLarge, MaxParts)}
	}
	d.parts = append(d.parts, part{id: id, program: -1, channel: -1})
	i := len(d.parts) - 1
	if _, ok := d.partAt[id]; !ok {
		d.partAt[id] = i
	}
	return i, nil
}

// collectParts finds the measures of every part. Parts missing from the
// part list are added in the order they appear.
func (d *decoder) collectParts(root int32, timewise bool) error {
	t := &d.t
	find := func(e int32) (int, error) {
		id, _ := t.attr(e, "id")
		if i, ok := d.partAt[id]; ok {
			return i, nil
		}
		return d.addPart(e, id)
	}
	add := func(p int, ref measureRef) error {
		pp := &d.parts[p]
		if len(pp.measures) >= MaxMeasures {
			return &ParseError{Line: t.line(int(t.nodes[ref.content].start)), Part: pp.id,
				Err: fmt.Errorf("%w: more than %d measures", format.ErrTooLarge, MaxMeasures)}
		}
		pp.measures = append(pp.measures, ref)
		return nil
	}
	for c := t.nodes[root].child; c >= 0; c = t.nodes[c].next {
		switch {
		case !timewise && t.is(c, "part"):
			p, err := find(c)
			if err != nil {
				return err
			}
			for m := t.nodes[c].child; m >= 0; m = t.nodes[m].next {
				if t.is(m, "measure") {
					if err := add(p, measureRef{m, m}); err != nil {
						return err
					}
				}
			}
		case timewise && t.is(c, "measure"):
			for pe := t.nodes[c].child; pe >= 0; pe = t.nodes[pe].next {
				if t.is(pe, "part") {
					p, err := find(pe)
					if err != nil {
						return err
					}
					if err := add(p, measureRef{pe, c}); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// partReader holds the state of reading one part.
type partReader struct {
	d      *decoder
	pi     int
	div    int64 // divisions per quarter note
	meter  music.Meter
	timed  bool
	trans  transposition
	vel    uint8
	m      *measure
	mi     int
	pos    int64 // position in the measure, in 1/div ticks
	maxPos int64
	last   int64 // start of the last note, for <chord/>
}

// transposition is a part's <transpose>: written pitch plus chromatic
// (and octave-change) gives the sounding pitch; diatonic spells it.
type transposition struct {
	chromatic, diatonic, octave int
}

func (tr transposition) semitones() int { return tr.chromatic + 12*tr.octave }

// interval is the transposition as a spelled interval, for keys and chord
// symbols (octaves left out).
func (tr transposition) interval() music.Interval {
	n := tr.diatonic
	if n >= 0 {
		n++
	} else {
		n--
	}
	return music.Interval{Number: n, Semitones: tr.chromatic}
}

func (p *partReader) fail(e int32, format string, args ...any) error {
	t := &p.d.t
	err := &ParseError{Part: p.d.parts[p.pi].id, Err: fmt.Errorf(format, args...)}
	if p.m != nil {
		err.Measure = p.m.number
	}
	if e >= 0 {
		err.Line = t.line(int(t.nodes[e].start))
	}
	return err
}

// maxBar is the longest bar a music.Meter holds: 32 whole notes.
const maxBar = 32 * 4 * music.PPQ

// maxPosition bounds positions (in 1/div ticks) so that sums cannot overflow.
const maxPosition = 1 << 52

func (d *decoder) readPart(pi int) error {
	t := &d.t
	p := &partReader{d: d, pi: pi, meter: music.DefaultMeter, vel: DefaultVelocity}
	refs := d.parts[pi].measures
	ms := make([]measure, len(refs))
	d.measures = append(d.measures, ms)
	for mi, ref := range refs {
		m := &ms[mi]
		m.number, _ = t.attr(ref.number, "number")
		m.start = t.nodes[ref.number].start
		p.m, p.mi = m, mi
		p.pos, p.maxPos, p.last = 0, 0, 0
		for c := t.nodes[ref.content].child; c >= 0; c = t.nodes[c].next {
			var err error
			switch t.name(c) {
			case "attributes":
				err = p.attributes(c)
			case "note":
				err = p.note(c)
			case "backup":
				var v int64
				if v, err = p.duration(c); err == nil {
					p.pos -= v
					if p.pos < 0 {
						p.pos = 0
					}
				}
			case "forward":
				var v int64
				if v, err = p.duration(c); err == nil {
					p.advance(v)
				}
			case "harmony":
				err = p.harmony(c)
			case "direction":
				p.direction(c)
			case "sound":
				p.sound(c, len(p.m.coda))
			case "barline":
				p.barline(c)
			}
			if err != nil {
				return err
			}
		}
		m.meter, m.timed = p.meter, p.timed
		if p.div > 0 {
			m.length = p.ticks(p.maxPos)
		}
		if m.length > maxBar {
			return p.fail(ref.number, "measure of %d quarter notes: longer than any meter (32 whole notes)", m.length/music.PPQ)
		}
	}
	return nil
}

func (p *partReader) advance(v int64) {
	p.pos += v
	if p.pos > p.maxPos {
		p.maxPos = p.pos
	}
}

// ticks converts a position in 1/div ticks to ticks, rounding half up.
func (p *partReader) ticks(pos int64) music.Ticks {
	return music.Ticks((pos + p.div/2) / p.div)
}

// duration reads the <duration> child of e in 1/div ticks.
func (p *partReader) duration(e int32) (int64, error) {
	t := &p.d.t
	de := t.child(e, "duration")
	if de < 0 {
		return 0, p.fail(e, "<%s> without <duration>", t.name(e))
	}
	return p.divisionsValue(de)
}

// divisionsValue reads a length in divisions (an integer or a decimal)
// and returns it in 1/div ticks.
func (p *partReader) divisionsValue(e int32) (int64, error) {
	t := &p.d.t
	if p.div <= 0 {
		return 0, p.fail(e, "<%s> before <divisions>", t.name(e))
	}
	b, ok := t.rawText(e)
	if ok {
		if v, ok := parseInt(b); ok {
			if v < -maxPosition/music.PPQ || v > maxPosition/music.PPQ {
				return 0, p.fail(e, "<%s> %d out of range", t.name(e), v)
			}
			return v * music.PPQ, nil
		}
	}
	s := t.text(e)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxPosition/music.PPQ {
		return 0, p.fail(e, "<%s> %s is not a number of divisions", t.name(e), quote.Input(s))
	}
	return int64(math.Round(f * music.PPQ)), nil
}

func (p *partReader) attributes(e int32) error {
	t := &p.d.t
	// The transposition comes after the key in <attributes> but applies
	// to it.
	if c := t.child(e, "transpose"); c >= 0 {
		p.transpose(c)
	}
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "divisions":
			b, _ := t.rawText(c)
			v, ok := parseInt(b)
			if !ok {
				// Divisions may be written as a decimal ("4.0").
				f, err := strconv.ParseFloat(t.text(c), 64)
				if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
					return p.fail(c, "divisions %s is not a whole number", quote.Input(t.text(c)))
				}
				v, ok = int64(f), true
			}
			if v <= 0 || v > 1<<24 {
				return p.fail(c, "divisions %d out of range 1..%d", v, 1<<24)
			}
			if p.div > 0 && v != p.div {
				// Keep the position in the measure: rescale to the new unit.
				p.pos = p.pos * v / p.div
				p.maxPos = p.maxPos * v / p.div
				p.last = p.last * v / p.div
			}
			p.div = v
		case "key":
			p.key(c)
		case "time":
			p.time(c)
		}
	}
	return nil
}

// transpose reads a part's <transpose> (the first staff's, when each
// staff has one).
func (p *partReader) transpose(c int32) {
	t := &p.d.t
	var tr transposition
	if v, ok := intText(t, t.child(c, "chromatic")); ok && v >= -48 && v <= 48 {
		tr.chromatic = int(v)
	}
	if v, ok := intText(t, t.child(c, "diatonic")); ok && v >= -28 && v <= 28 {
		tr.diatonic = int(v)
	}
	if v, ok := intText(t, t.child(c, "octave-change")); ok && v >= -4 && v <= 4 {
		tr.octave = int(v)
	}
	if t.child(c, "double") >= 0 {
		tr.octave--
	}
	if n, ok := t.attr(c, "number"); !ok || n == "1" {
		p.trans = tr
	}
}

var modes = map[string]music.Mode{
	"major": music.Major, "minor": music.Minor, "dorian": music.Dorian, "phrygian": music.Phrygian,
	"lydian": music.Lydian, "mixolydian": music.Mixolydian, "locrian": music.Locrian,
	"ionian": music.Major, "aeolian": music.Minor, "none": music.Major,
}

// modeAbove is the interval from the major tonic of a key signature up to
// the tonic of each mode.
var modeAbove = map[music.Mode]music.Interval{
	music.Major: music.Unison, music.Minor: music.MajorSixth, music.Dorian: music.MajorSecond,
	music.Phrygian: music.MajorThird, music.Lydian: music.PerfectFourth,
	music.Mixolydian: music.PerfectFifth, music.Locrian: music.MajorSeventh,
}

// key reads a traditional key signature; the piece's key is the first one,
// at concert pitch.
func (p *partReader) key(e int32) {
	d := p.d
	if p.mi >= d.keyAt {
		return
	}
	t := &d.t
	fifths, ok := intText(t, t.child(e, "fifths"))
	if !ok || fifths < -7 || fifths > 7 {
		return
	}
	mode := music.Major
	if me := t.child(e, "mode"); me >= 0 {
		if m, ok := modes[t.text(me)]; ok {
			mode = m
		}
	}
	k := music.KeyFromFifths(int(fifths), false)
	k.Tonic = k.Tonic.Transpose(modeAbove[mode])
	k.Mode = mode
	if p.trans.chromatic != 0 {
		k.Tonic = k.Tonic.Transpose(p.trans.interval())
	}
	d.chart.Key = &k
	d.keyAt = p.mi
}

// time reads a time signature. Composite signatures ("3+2", or several
// beats and beat-type pairs) are added up; one that music.Meter cannot
// hold is left out, and the measures' lengths then give their meters.
func (p *partReader) time(e int32) {
	t := &p.d.t
	if t.child(e, "senza-misura") >= 0 {
		p.timed = false
		return
	}
	num, den := 0, 0
	var beats []int
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "beats":
			beats = beats[:0]
			for _, f := range strings.FieldsFunc(t.text(c), func(r rune) bool { return r == '+' || r == ' ' }) {
				v, err := strconv.Atoi(f)
				if err != nil || v <= 0 || v > 1000 {
					return
				}
				beats = append(beats, v)
			}
		case "beat-type":
			bt, err := strconv.Atoi(t.text(c))
			if err != nil || bt <= 0 || bt > 64 || bt&(bt-1) != 0 {
				return
			}
			sum := 0
			for _, b := range beats {
				sum += b
			}
			if den == 0 {
				num, den = sum, bt
			} else {
				for den < bt {
					num, den = num*2, den*2
				}
				for bt < den {
					sum, bt = sum*2, bt*2
				}
				num += sum
			}
		}
	}
	m := music.Meter{Num: num, Den: den}
	if m.Valid() {
		p.meter, p.timed = m, true
	}
}

// note reads a <note>. Grace notes take no time in MusicXML and are left
// out; cue notes take time but do not sound.
func (p *partReader) note(e int32) error {
	t := &p.d.t
	var (
		grace, cue, chord, rest bool
		durEl                   int32 = -1
		pitchEl, unpitchedEl    int32 = -1, -1
		instrument              string
		voice                   int64
		tieStart, tieStop       bool
		slash                   bool
		lyric                   string
	)
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "grace":
			grace = true
		case "cue":
			cue = true
		case "chord":
			chord = true
		case "rest":
			rest = true
		case "pitch":
			pitchEl = c
		case "unpitched":
			unpitchedEl = c
		case "duration":
			durEl = c
		case "voice":
			voice, _ = intText(t, c)
		case "instrument":
			instrument, _ = t.attr(c, "id")
		case "notehead":
			// Rhythm slashes show the beat under chord symbols; they are
			// not a melody.
			slash = strings.TrimSpace(t.text(c)) == "slash"
		case "lyric":
			if n, ok := t.attr(c, "number"); lyric == "" && (!ok || n == "1") {
				lyric = lyricSyllable(t, c)
			}
		case "tie":
			switch typ, _ := t.rawAttr(c, "type"); string(typ) {
			case "start":
				tieStart = true
			case "stop":
				tieStop = true
			}
		case "notations":
			for n := t.nodes[c].child; n >= 0; n = t.nodes[n].next {
				if t.is(n, "tied") {
					switch typ, _ := t.rawAttr(n, "type"); string(typ) {
					case "start", "continue":
						tieStart = true
					case "stop":
						tieStop = true
					}
				}
			}
		}
	}
	if grace {
		return nil
	}
	if durEl < 0 {
		return p.fail(e, "note without <duration>")
	}
	dur, err := p.divisionsValue(durEl)
	if err != nil {
		return err
	}
	if dur < 0 {
		return p.fail(durEl, "negative duration")
	}
	start := p.pos
	if chord {
		start = p.last
		if end := start + dur; end > p.maxPos {
			p.maxPos = end
		}
	} else {
		p.last = p.pos
		p.advance(dur)
	}
	if p.pos > maxPosition || p.maxPos > maxPosition {
		return p.fail(e, "measure too long")
	}
	if rest || cue || slash || (pitchEl < 0 && unpitchedEl < 0) {
		return nil
	}
	var key int
	pp := &p.d.parts[p.pi]
	if pitchEl >= 0 {
		key, err = p.pitch(pitchEl, "step", "alter", "octave")
		if err != nil {
			return err
		}
		key += p.trans.semitones()
		pp.pitched = true
	} else {
		if k, ok := pp.unpitched[instrument]; ok {
			key = k
		} else if key, err = p.pitch(unpitchedEl, "display-step", "", "display-octave"); err != nil {
			return err
		}
		pp.perc = true
	}
	if key < 0 || key > 127 {
		return p.fail(e, "pitch %d outside the MIDI range 0..127", key)
	}
	vel := p.vel
	if v, ok := t.attr(e, "dynamics"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) {
			vel = velocity(f)
		}
	}
	if len(p.d.notes) >= maxNodes {
		return p.fail(e, "too many notes")
	}
	s, en := p.ticks(start), p.ticks(start+dur)
	p.d.notes = append(p.d.notes, rawNote{
		part: int16(p.pi), voice: int16(voice), measure: int32(p.mi),
		start: s, end: en, pitch: uint8(key), velocity: vel,
		tieStart: tieStart, tieStop: tieStop, lyric: lyric,
	})
	return nil
}

// lyricSyllable reads a <lyric> as music.Note.Lyric: its text, with a
// "-" after a syllable a word goes on from (syllabic begin or middle).
func lyricSyllable(t *tree, e int32) string {
	var text, syllabic string
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "text":
			if text == "" {
				text = oneLine(t.text(c))
			}
		case "syllabic":
			if syllabic == "" {
				syllabic = strings.TrimSpace(t.text(c))
			}
		}
	}
	if text == "" {
		return ""
	}
	if syllabic == "begin" || syllabic == "middle" {
		text += "-"
	}
	return text
}

// velocity converts MusicXML dynamics, a percentage of a forte of 90, to a
// MIDI velocity.
func velocity(dyn float64) uint8 {
	v := math.Round(dyn * 90 / 100)
	if !(v >= 1) { // also NaN
		return 1
	}
	if v > 127 {
		return 127
	}
	return uint8(v)
}

var stepSemitones = [7]int{9, 11, 0, 2, 4, 5, 7} // A B C D E F G

// pitch reads a step, alteration and octave as a MIDI key. Microtonal
// alterations are rounded to the nearest semitone.
func (p *partReader) pitch(e int32, stepName, alterName, octName string) (int, error) {
	t := &p.d.t
	var step byte
	alter, octave := 0.0, -100
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case stepName:
			b, ok := t.rawText(c)
			if !ok {
				b = []byte(t.text(c))
			}
			if len(b) == 1 {
				step = b[0]
			}
		case alterName:
			b, ok := t.rawText(c)
			if v, iok := parseInt(b); ok && iok {
				alter = float64(v)
			} else if f, err := strconv.ParseFloat(t.text(c), 64); err == nil && math.Abs(f) <= 12 {
				alter = f
			} else {
				return 0, p.fail(c, "alter %s is not a number", quote.Input(t.text(c)))
			}
		case octName:
			v, ok := intText(t, c)
			if !ok || v < 0 || v > 9 {
				return 0, p.fail(c, "octave %s out of range 0..9", quote.Input(t.text(c)))
			}
			octave = int(v)
		}
	}
	if step < 'A' || step > 'G' {
		return 0, p.fail(e, "<%s> without a step A-G", t.name(e))
	}
	if octave < 0 {
		return 0, p.fail(e, "<%s> without an octave", t.name(e))
	}
	return (octave+1)*12 + stepSemitones[step-'A'] + int(math.Round(alter)), nil
}

// harmony reads a chord symbol at the current position (plus its offset).
func (p *partReader) harmony(e int32) error {
	t := &p.d.t
	var root, bass, kind, kindText string
	rootAlter, bassAlter, inversion := 0, 0, 0
	var degs []degree
	offset := int64(0)
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "root":
			if root != "" {
				break // a polychord: the first chord is kept
			}
			root = t.text(t.child(c, "root-step"))
			if v, ok := intText(t, t.child(c, "root-alter")); ok {
				rootAlter = int(v)
			}
		case "kind":
			if kind == "" {
				kind = t.text(c)
				kindText, _ = t.attr(c, "text")
			}
		case "inversion":
			if v, ok := intText(t, c); ok {
				inversion = int(v)
			}
		case "bass":
			bass = t.text(t.child(c, "bass-step"))
			if v, ok := intText(t, t.child(c, "bass-alter")); ok {
				bassAlter = int(v)
			}
		case "degree":
			var dg degree
			dg.value = int(intOr(t, t.child(c, "degree-value"), 0))
			dg.alter = int(intOr(t, t.child(c, "degree-alter"), 0))
			dg.typ = t.text(t.child(c, "degree-type"))
			degs = append(degs, dg)
		case "offset":
			if p.div > 0 {
				v, err := p.divisionsValue(c)
				if err != nil {
					return err
				}
				offset = v
			}
		}
	}
	if len(root) != 1 || root[0] < 'A' || root[0] > 'G' {
		if kind != "none" {
			return nil // a function (Roman numeral) or an empty harmony
		}
		root = "C"
	}
	if bass != "" && (len(bass) != 1 || bass[0] < 'A' || bass[0] > 'G') {
		bass = ""
	} else if bass != "" {
		bass = spellingName(bass, bassAlter)
	}
	ch, ok := chordSymbol(spellingName(root, rootAlter), kind, kindText, degs, bass, inversion)
	if !ok {
		return nil
	}
	if p.trans.chromatic != 0 && !ch.NoChord {
		ch = ch.Transpose(p.trans.interval())
	}
	at := p.pos + offset
	if at < 0 {
		at = 0
	}
	var off music.Ticks
	if p.div > 0 {
		off = p.ticks(at)
	}
	p.m.chords = append(p.m.chords, music.ChordAt{Offset: off, Chord: ch})
	return nil
}

// direction reads the marks of a <direction>: segno, coda, rehearsal
// marks, D.C./D.S./Fine/To Coda written as words, tempo, dynamics.
func (p *partReader) direction(e int32) {
	t := &p.d.t
	signs := len(p.m.coda)
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "direction-type":
			for dt := t.nodes[c].child; dt >= 0; dt = t.nodes[dt].next {
				switch t.name(dt) {
				case "segno":
					p.m.segno = true
				case "coda":
					if len(p.m.coda) == signs {
						p.m.coda = append(p.m.coda, codaSign{})
					}
				case "rehearsal":
					if s := oneLine(t.text(dt)); s != "" && p.m.section == "" {
						p.m.section = s
					}
				case "words":
					p.words(t.text(dt))
				case "metronome":
					p.metronome(dt)
				}
			}
		case "sound":
			p.sound(c, signs)
		}
	}
}

// words recognises navigation written as text, as MuseScore does.
func (p *partReader) words(s string) {
	w := strings.ToLower(oneLine(s))
	w = strings.TrimRight(w, ".!: ")
	switch {
	case w == "":
	case strings.HasPrefix(w, "d.c") || strings.HasPrefix(w, "d. c") || strings.HasPrefix(w, "da capo"):
		p.m.jump.set = true
		p.m.jump.segno = false
		p.m.jump.suffix = jumpSuffix(w, music.DCAlFine, music.DCAlCoda, music.DC)
	case strings.HasPrefix(w, "d.s") || strings.HasPrefix(w, "d. s") || strings.HasPrefix(w, "dal segno"):
		p.m.jump.set = true
		p.m.jump.segno = true
		p.m.jump.suffix = jumpSuffix(w, music.DSAlFine, music.DSAlCoda, music.DS)
	case w == "fine":
		p.m.fine = true
	case w == "to coda" || strings.HasPrefix(w, "to coda "):
		p.m.toCoda = true
	}
}

// jumpSuffix tells a D.C. or D.S. al Fine, al Coda, or plain (the bare
// "D.C." or "Da Capo"); NoJump leaves it to what the piece holds.
func jumpSuffix(w string, alFine, alCoda, plain music.Jump) music.Jump {
	switch {
	case strings.Contains(w, "fine"):
		return alFine
	case strings.Contains(w, "coda"):
		return alCoda
	case w == "d.c" || w == "d.s" || w == "da capo" || w == "dal segno" || w == "d. c" || w == "d. s":
		return plain
	}
	return music.NoJump
}

// sound reads the playback attributes of a <sound>.
//
// A coda sign and a <sound coda> in one direction are one sign; signs is
// how many the measure had before the direction (len of its signs for a
// <sound> of its own).
func (p *partReader) sound(e int32, signs int) {
	t := &p.d.t
	nd := &t.nodes[e]
	if nd.attrEnd == nd.nameEnd {
		return
	}
	if v, ok := t.attr(e, "tempo"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 10000 && p.mi < p.d.tempoAt {
			p.d.tempoAt, p.d.tempo = p.mi, f
		}
	}
	if v, ok := t.attr(e, "dynamics"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) {
			p.vel = velocity(f)
		}
	}
	if _, ok := t.attr(e, "segno"); ok {
		p.m.segno = true
	}
	if _, ok := t.attr(e, "coda"); ok {
		if len(p.m.coda) > signs {
			p.m.coda[signs].explicit = true
		} else {
			p.m.coda = append(p.m.coda, codaSign{explicit: true})
		}
	}
	if _, ok := t.attr(e, "tocoda"); ok {
		p.m.toCoda = true
	}
	if _, ok := t.attr(e, "fine"); ok {
		p.m.fine = true
	}
	if v, ok := t.attr(e, "dacapo"); ok && v == "yes" {
		p.m.jump.set, p.m.jump.segno = true, false
	}
	if _, ok := t.attr(e, "dalsegno"); ok {
		p.m.jump.set, p.m.jump.segno = true, true
	}
}

// metronome reads a metronome mark as a tempo, used when no <sound tempo>
// gives one.
func (p *partReader) metronome(e int32) {
	t := &p.d.t
	unit := t.text(t.child(e, "beat-unit"))
	per, err := strconv.ParseFloat(t.text(t.child(e, "per-minute")), 64)
	q, ok := noteTypeQuarters[unit]
	if err != nil || !ok || !(per > 0 && per <= 10000) || p.mi >= p.d.metronomeAt { // NaN too
		return
	}
	if t.child(e, "beat-unit-dot") >= 0 {
		q *= 1.5
	}
	p.d.metronomeAt = p.mi
	p.d.metronome = per * q
}

// noteTypeQuarters is the length of each MusicXML note type in quarters.
var noteTypeQuarters = map[string]float64{
	"maxima": 32, "long": 16, "breve": 8, "whole": 4, "half": 2, "quarter": 1, "eighth": 0.5,
	"16th": 0.25, "32nd": 0.125, "64th": 1.0 / 16, "128th": 1.0 / 32, "256th": 1.0 / 64,
	"512th": 1.0 / 128, "1024th": 1.0 / 256,
}

// barline reads repeats, volta brackets and signs on a barline.
func (p *partReader) barline(e int32) {
	t := &p.d.t
	for c := t.nodes[e].child; c >= 0; c = t.nodes[c].next {
		switch t.name(c) {
		case "repeat":
			switch dir, _ := t.attr(c, "direction"); dir {
			case "forward":
				p.m.repeatStart = true
			case "backward":
				times := 2
				if v, ok := t.attr(c, "times"); ok {
					if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= 64 {
						times = n
					}
				}
				p.m.repeatEnd = times
			}
		case "ending":
			typ, _ := t.attr(c, "type")
			if typ != "start" {
				continue
			}
			num, _ := t.attr(c, "number")
			p.m.ending |= endingMask(num)
		case "segno":
			p.m.segno = true
		case "coda":
			p.m.coda = append(p.m.coda, codaSign{})
		}
	}
}

// endingMask reads a volta bracket's numbers ("1", "1, 2", "1 2", "1-3")
// as a bit mask of passes 1..8.
func endingMask(s string) uint8 {
	var mask uint8
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '.' || r == '\t' }) {
		lo, hi, rng := strings.Cut(f, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if rng {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		for n := max(a, 1); n <= min(b, 8); n++ {
			mask |= 1 << (n - 1)
		}
	}
	return mask
}

// parseInt reads a decimal integer with an optional sign, without
// allocating; ok is false for anything else.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg, b = true, b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// intText reads an element's content as an integer (a decimal with a zero
// fraction counts).
func intText(t *tree, e int32) (int64, bool) {
	if e < 0 {
		return 0, false
	}
	if b, ok := t.rawText(e); ok {
		if v, ok := parseInt(b); ok {
			return v, true
		}
	}
	f, err := strconv.ParseFloat(t.text(e), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func intOr(t *tree, e int32, def int64) int64 {
	if v, ok := intText(t, e); ok {
		return v
	}
	return def
}

// assemble builds the chart from the parts read: one bar per measure,
// each as long as its longest part, notes with ties merged.
func (d *decoder) assemble(origin *music.Origin) {
	starts, lengths := d.barMeters()
	codas, hasToCoda := d.marksAndChords(lengths)
	hasToCoda = placeCodas(d.chart.Bars, codas, hasToCoda)
	repairEndings(d.chart.Bars)
	d.jumps(hasToCoda)
	d.setTempo()
	d.parts2chart()
	d.placeNotes(origin, starts)
}

// barMeters makes the chart's bars, one per measure of the longest part,
// and sets their meters: the written meter of the first part that has the
// bar, or a meter of the bar's length where the longest part's measure is
// longer or shorter than written. It returns each bar's start and length.
func (d *decoder) barMeters() (starts, lengths []music.Ticks) {
	c := d.chart
	nbars := 0
	for _, ms := range d.measures {
		nbars = max(nbars, len(ms))
	}
	c.Bars = make([]music.Bar, nbars)
	nominal := make([]music.Meter, nbars)
	lengths = make([]music.Ticks, nbars)
	// Part by part, not bar by bar over every part: a score of one long
	// part and many short ones was bars times parts.
	found := make([]bool, nbars) // the bar's nominal meter is set
	timed := make([]bool, nbars) // and written
	for _, ms := range d.measures {
		for i := range ms {
			m := &ms[i]
			if !found[i] {
				nominal[i], found[i], timed[i] = m.meter, true, m.timed
			}
			lengths[i] = max(lengths[i], m.length)
		}
	}
	if i := slices.Index(timed, true); i >= 0 {
		mt := nominal[i]
		c.Meter = &mt
	}
	prev := c.MeterOrDefault()
	starts = make([]music.Ticks, nbars+1)
	for i := range nbars {
		mt := nominal[i]
		if lengths[i] != 0 && lengths[i] != mt.BarTicks() {
			mt = meterFor(lengths[i], mt.Den)
		}
		if mt != prev {
			m := mt
			c.Bars[i].Meter = &m
		}
		prev = mt
		starts[i+1] = starts[i] + mt.BarTicks()
		lengths[i] = mt.BarTicks()
	}
	return starts, lengths
}

// barSign is a coda sign of a bar.
type barSign struct {
	bar  int
	sign codaSign
}

// marksAndChords puts the marks and chords of all parts together on the
// bars: a chord at the same offset in a later part is left out, and coda
// signs come from the first part that has any in a bar. It returns the
// coda signs, in bar order, and whether a bar has a To Coda.
func (d *decoder) marksAndChords(lengths []music.Ticks) (codas []barSign, hasToCoda bool) {
	c := d.chart
	codaFrom := make([]int, len(c.Bars))
	for i := range codaFrom {
		codaFrom[i] = -1
	}
	for pi, ms := range d.measures {
		for i := range ms {
			m := &ms[i]
			b := &c.Bars[i]
			b.RepeatStart = b.RepeatStart || m.repeatStart
			b.RepeatEnd = max(b.RepeatEnd, m.repeatEnd)
			b.Ending |= m.ending
			b.Segno = b.Segno || m.segno
			b.Fine = b.Fine || m.fine
			b.ToCoda = b.ToCoda || m.toCoda
			hasToCoda = hasToCoda || m.toCoda
			if b.Section == "" {
				b.Section = m.section
			}
			if len(m.coda) > 0 && (codaFrom[i] < 0 || codaFrom[i] == pi) {
				codaFrom[i] = pi
				for _, s := range m.coda {
					codas = append(codas, barSign{i, s})
				}
			}
			for _, ch := range m.chords {
				ch.Offset = min(max(ch.Offset, 0), lengths[i]-1)
				b.Chords = append(b.Chords, ch)
			}
		}
	}
	// Each bar's chords in order, the first written at an offset kept:
	// sorted once, stably, rather than searched and sorted for every
	// chord and part (a measure of 100,000 chord symbols took 17 s).
	for i := range c.Bars {
		b := &c.Bars[i]
		if len(b.Chords) < 2 {
			continue
		}
		slices.SortStableFunc(b.Chords, func(x, y music.ChordAt) int { return cmp.Compare(x.Offset, y.Offset) })
		b.Chords = slices.CompactFunc(b.Chords, func(x, y music.ChordAt) bool { return x.Offset == y.Offset })
	}
	slices.SortStableFunc(codas, func(a, b barSign) int { return a.bar - b.bar })
	return codas, hasToCoda
}

// placeCodas sets the bars' coda signs: with a To Coda elsewhere, or one
// sign only, a sign marks the coda; otherwise the last sign is the coda
// and earlier ones are the jumps to it (written as the same sign at the
// end of a bar). It returns whether the chart now has a To Coda.
func placeCodas(bars []music.Bar, codas []barSign, hasToCoda bool) bool {
	for k, cs := range codas {
		switch {
		case cs.sign.explicit || hasToCoda || k == len(codas)-1:
			bars[cs.bar].Coda = true
		default:
			bars[cs.bar].ToCoda = true
			hasToCoda = true
		}
	}
	return hasToCoda
}

// jumps sets the bars' D.C. and D.S. jumps, the first part's where parts
// differ: a written "al Coda" or "al Fine" as written, else al Coda when
// the chart has a To Coda, al Fine when it has a Fine.
func (d *decoder) jumps(hasToCoda bool) {
	bars := d.chart.Bars
	hasFine := false
	for i := range bars {
		hasFine = hasFine || bars[i].Fine
	}
	for _, ms := range d.measures {
		for i := range ms {
			j := ms[i].jump
			if !j.set || bars[i].Jump != music.NoJump {
				continue
			}
			switch {
			case j.suffix != music.NoJump:
				bars[i].Jump = j.suffix
			case j.segno && hasToCoda:
				bars[i].Jump = music.DSAlCoda
			case j.segno && hasFine:
				bars[i].Jump = music.DSAlFine
			case j.segno:
				bars[i].Jump = music.DS
			case hasToCoda:
				bars[i].Jump = music.DCAlCoda
			case hasFine:
				bars[i].Jump = music.DCAlFine
			default:
				bars[i].Jump = music.DC
			}
		}
	}
}

// setTempo sets the chart's tempo from the score's <sound tempo>, else its
// metronome mark.
func (d *decoder) setTempo() {
	qpm := d.tempo
	if qpm == 0 {
		qpm = d.metronome
	}
	if qpm > 0 {
		// Chart.Tempo counts the beats of the chart's meter.
		beat := d.chart.MeterOrDefault().BeatTicks()
		d.chart.Tempo = max(1, int(math.Round(qpm*music.PPQ/float64(beat))))
	}
}

// repairEndings renumbers a group of volta brackets whose numbers cannot
// be played as written: one that repeats a pass of an earlier bracket of
// the group ("1." twice, as OpenEWLD has), or a first bracket without the
// first pass. Played literally such a group skips the rest of the piece;
// numbered 1, 2, 3... it plays as the engraver meant. A group is a run of
// brackets each starting where the one before ends (at the next bracket,
// after the repeat sign that closes the one before).
func repairEndings(bars []music.Bar) {
	end := func(i int) int {
		for j := i; j < len(bars); j++ {
			if j > i && bars[j].Ending != 0 {
				return j
			}
			if bars[j].RepeatEnd > 0 {
				return j + 1
			}
		}
		return len(bars)
	}
	for i := 0; i < len(bars); {
		if bars[i].Ending == 0 {
			i++
			continue
		}
		group := []int{i}
		for j := end(i); j < len(bars) && bars[j].Ending != 0 && bars[j-1].RepeatEnd > 0; j = end(j) {
			group = append(group, j)
		}
		var seen uint8
		bad := false
		for _, g := range group {
			bad = bad || seen&bars[g].Ending != 0
			seen |= bars[g].Ending
		}
		// The passes must run 1, 2, ... without a gap ("1." then "3.").
		bad = bad || len(group) > 1 && seen&(seen+1) != 0
		if bad && len(group) <= 8 {
			for k, g := range group {
				bars[g].Ending = 1 << k
			}
		}
		i = group[len(group)-1] + 1
	}
}

// meterFor is the meter of a bar of the given length: the written meter's
// denominator when it divides the length, else the coarsest that does. A
// length no meter holds (a triplet's worth) is rounded up to 64ths.
func meterFor(length music.Ticks, den int) music.Meter {
	try := func(den int) (music.Meter, bool) {
		unit := music.Ticks(4*music.PPQ) / music.Ticks(den)
		if length%unit != 0 {
			return music.Meter{}, false
		}
		m := music.Meter{Num: int(length / unit), Den: den}
		return m, m.Valid()
	}
	if m, ok := try(den); ok {
		return m
	}
	for d := 1; d <= 64; d *= 2 {
		if m, ok := try(d); ok {
			return m
		}
	}
	for d := 64; d >= 1; d /= 2 {
		unit := music.Ticks(4*music.PPQ) / music.Ticks(d)
		if n := int((length + unit - 1) / unit); n <= 32 {
			for n%2 == 0 && d > 1 {
				n, d = n/2, d/2
			}
			return music.Meter{Num: n, Den: d}
		}
	}
	return music.Meter{Num: 32, Den: 1}
}

// parts2chart fills Chart.Parts. Channels not given are assigned in part
// order, skipping the percussion channel; unpitched parts play on it.
func (d *decoder) parts2chart() {
	c := d.chart
	c.Parts = make([]music.Part, len(d.parts))
	next := 0
	for i := range d.parts {
		p := &d.parts[i]
		mp := music.Part{Name: p.name, Program: p.program}
		switch {
		case p.channel >= 0:
			mp.Channel = uint8(p.channel)
		case p.perc && !p.pitched:
			mp.Channel = 9
		default:
			if next == 9 {
				next++
			}
			mp.Channel = uint8(next % 16)
			next++
		}
		if mp.Channel == 9 {
			mp.Role = "drums"
		} else if len(d.parts) == 1 {
			mp.Role = "melody"
		}
		c.Parts[i] = mp
	}
}

// placeNotes merges tied notes and puts every note in the bar it starts in.
func (d *decoder) placeNotes(origin *music.Origin, starts []music.Ticks) {
	c := d.chart
	ns := d.notes
	nbars := len(c.Bars)
	abs := func(n *rawNote, t music.Ticks) music.Ticks { return starts[n.measure] + t }
	slices.SortStableFunc(ns, func(a, b rawNote) int {
		if a.part != b.part {
			return int(a.part) - int(b.part)
		}
		return cmp.Compare(abs(&a, a.start), abs(&b, b.start))
	})
	alive := make([]bool, len(ns))
	ends := make([]music.Ticks, len(ns)) // absolute end of each kept note
	// ties holds the notes whose tie waits for a continuation, by pitch,
	// end and voice. A merged note keeps the first note's entry, its end
	// moved on.
	ties := tieIndex{ends: ends, open: make([]bool, len(ns))}
	var follows sameVoiceIndex
	part := int16(-1)
	for i := range ns {
		n := &ns[i]
		start := abs(n, n.start)
		end := abs(n, n.end)
		if n.measure >= int32(nbars) {
			continue
		}
		if n.part != part {
			ties.reset() // ties do not cross parts
			part = n.part
		}
		// A tie start continues into the next note of the same pitch that
		// begins where it ends, whether or not that note says it stops a
		// tie: exporters often leave the stop out, and MuseScore ties them.
		// The first such note waiting in the note's voice takes it, else
		// the first in any voice, unless another note at this onset
		// continues that one in its own voice.
		merged := false
		j := ties.first(n.pitch, n.voice, start)
		if j >= 0 && ns[j].voice != n.voice && follows.has(ns, i, &ns[j], abs) {
			j = -1
		}
		if j >= 0 {
			if end > ends[j] {
				ties.move(j, ns[j].pitch, ns[j].voice, end)
			}
			merged = true
			if !n.tieStart {
				ties.open[j] = false
			}
		}
		if merged || end <= start {
			continue // a note of no length does not sound
		}
		alive[i] = true
		ends[i] = end
		if n.tieStart {
			ties.add(i, n.pitch, n.voice)
		}
	}
	// Keep the notes that remain, with their merged lengths (as the end
	// in the note's measure), and order them by bar, part, onset and pitch.
	kept := ns[:0]
	for i := range ns {
		if alive[i] {
			n := ns[i]
			n.end = ends[i] - starts[n.measure]
			kept = append(kept, n)
		}
	}
	slices.SortStableFunc(kept, func(a, b rawNote) int {
		return cmp.Or(cmp.Compare(a.measure, b.measure), cmp.Compare(a.part, b.part), cmp.Compare(a.start, b.start), cmp.Compare(a.pitch, b.pitch))
	})
	for i := range kept {
		n := &kept[i]
		b := &c.Bars[n.measure]
		b.Notes = append(b.Notes, music.Note{ // ID 0: the caller numbers it (music.IDs)
			Pitch: n.pitch, Velocity: n.velocity, Channel: c.Parts[n.part].Channel,
			Part: n.part, Start: n.start, Duration: n.end - n.start, Origin: origin,
			Lyric: n.lyric,
		})
	}
}

// tieIndex finds the tied notes of one part waiting for a continuation:
// of a pitch, ending within a tick of an onset, the first (lowest index)
// in a voice or in any. Looking through every waiting note for every
// note made a chord of many tied notes quadratic (100,000 took 22 s).
// Each key keeps a heap of note indexes; a note that stops waiting, or
// whose end moves on, leaves its old entries behind, skipped when met.
type tieIndex struct {
	ends  []music.Ticks // shared with placeNotes
	open  []bool        // the note waits for a continuation
	heaps map[tieKey][]int32
}

type tieKey struct {
	end      music.Ticks
	pitch    uint8
	voice    int16
	anyVoice bool
}

func (t *tieIndex) reset() {
	if t.heaps == nil {
		t.heaps = map[tieKey][]int32{}
	}
	clear(t.heaps)
}

// add makes note j wait for a continuation at its end.
func (t *tieIndex) add(j int, pitch uint8, voice int16) {
	t.open[j] = true
	end := t.ends[j]
	t.push(tieKey{end: end, pitch: pitch, voice: voice}, int32(j))
	t.push(tieKey{end: end, pitch: pitch, anyVoice: true}, int32(j))
}

// move moves the end of waiting note j on to end.
func (t *tieIndex) move(j int, pitch uint8, voice int16, end music.Ticks) {
	t.ends[j] = end
	if t.open[j] {
		t.add(j, pitch, voice)
	}
}

// first is the note waiting with this pitch and an end within a tick of
// start: the first in the voice, else the first in any; -1 for none.
func (t *tieIndex) first(pitch uint8, voice int16, start music.Ticks) int {
	if len(t.heaps) == 0 {
		return -1
	}
	for _, anyVoice := range []bool{false, true} {
		best := int32(-1)
		for end := start - 1; end <= start+1; end++ {
			k := tieKey{end: end, pitch: pitch, anyVoice: anyVoice}
			if !anyVoice {
				k.voice = voice
			}
			if j := t.min(k); j >= 0 && (best < 0 || j < best) {
				best = j
			}
		}
		if best >= 0 {
			return int(best)
		}
	}
	return -1
}

func (t *tieIndex) push(k tieKey, j int32) {
	h := append(t.heaps[k], j)
	for c := len(h) - 1; c > 0; {
		p := (c - 1) / 2
		if h[p] <= h[c] {
			break
		}
		h[p], h[c] = h[c], h[p]
		c = p
	}
	t.heaps[k] = h
}

// min is the lowest note index under k still waiting there, -1 for none;
// entries that no longer wait there are dropped on the way.
func (t *tieIndex) min(k tieKey) int32 {
	h, ok := t.heaps[k]
	if !ok {
		return -1
	}
	for len(h) > 0 && !(t.open[h[0]] && t.ends[h[0]] == k.end) {
		last := len(h) - 1
		h[0] = h[last]
		h = h[:last]
		for p := 0; ; {
			c := 2*p + 1
			if c >= len(h) {
				break
			}
			if c+1 < len(h) && h[c+1] < h[c] {
				c++
			}
			if h[p] <= h[c] {
				break
			}
			h[p], h[c] = h[c], h[p]
			p = c
		}
	}
	t.heaps[k] = h
	if len(h) == 0 {
		return -1
	}
	return h[0]
}

// sameVoiceIndex answers whether a note after ns[i] starting with it (in
// its part) has the pitch and voice of the tied note o. It indexes the
// notes of that onset once, where scanning them for every note was
// quadratic in a chord of many notes.
type sameVoiceIndex struct {
	to   int // the notes (i, to) start at the onset indexed
	last map[pitchVoice]int
}

type pitchVoice struct {
	pitch uint8
	voice int16
}

func (s *sameVoiceIndex) has(ns []rawNote, i int, o *rawNote, abs func(*rawNote, music.Ticks) music.Ticks) bool {
	if i >= s.to || s.last == nil {
		onset := abs(&ns[i], ns[i].start)
		s.to = i + 1
		for s.to < len(ns) && ns[s.to].part == ns[i].part && abs(&ns[s.to], ns[s.to].start) == onset {
			s.to++
		}
		if s.last == nil {
			s.last = map[pitchVoice]int{}
		}
		clear(s.last)
		for k := i + 1; k < s.to; k++ {
			s.last[pitchVoice{ns[k].pitch, ns[k].voice}] = k
		}
	}
	k, ok := s.last[pitchVoice{o.pitch, o.voice}]
	return ok && k > i && o.part == ns[i].part
}

func absDiff(a, b music.Ticks) music.Ticks {
	if a > b {
		return a - b
	}
	return b - a
}
