package abc

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"sideman/music"
)

// Encode writes charts as ABC tunes numbered X:1, X:2, ... in one file.
//
// It writes the notes of the chart's melody part (the first part with the
// role "melody", else the first part) as one voice, with the chord symbols
// at their offsets, the repeats, volta brackets, sections (as P: fields),
// navigation marks and comments of the bars, the key, the meter, the
// tempo and the style. ABC has one line of notes per voice: notes that
// sound together become a chord for as long as they all sound, and a note
// that goes on past the next onset or past the barline is tied to its
// rest. Notes of no length are left out. Lengths that are not a whole
// number of sixteenths over a power of two (triplets, quintuplets) are
// written as tuplets. The notes' syllables (music.Note.Lyric) are written
// as a w: line under each line of notes that has one (see lyricLine).
// Decode reads the result back to the same notes, syllables, chords and
// form; so does abc2midi.
func Encode(w io.Writer, charts []*music.Chart) error {
	bw := bufio.NewWriter(w)
	for i, c := range charts {
		if i > 0 {
			bw.WriteByte('\n')
		}
		if err := encodeTune(bw, i+1, c); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// EncodeError is a chart Encode cannot write.
type EncodeError struct {
	Tune int // 1-based
	Bar  int // 1-based written bar, 0 for the whole chart
	Err  error
}

func (e *EncodeError) Error() string {
	if e.Bar > 0 {
		return fmt.Sprintf("abc: tune %d, bar %d: %v", e.Tune, e.Bar, e.Err)
	}
	return fmt.Sprintf("abc: tune %d: %v", e.Tune, e.Err)
}

func (e *EncodeError) Unwrap() error { return e.Err }

// encNote is a note to write, in ticks from the start of the written form.
type encNote struct {
	start, end music.Ticks
	pitch      uint8
	lyric      int32 // the syllable, an index into the tune's syllables; 0 for none
}

// segment is a stretch of a bar in which the same notes sound.
type segment struct {
	at, length music.Ticks
	notes      []uint8 // pitches sounding, ascending; none for a rest
	ties       []bool  // the note goes on after the segment
	lyric      int32   // the syllable of the first note starting here that has one
	starts     bool    // a note starts here (else all go on from before)
}

var modeSuffix = [...]string{"", "m", "dor", "phr", "lyd", "mix", "loc"}

func keyText(k *music.Key) (string, error) {
	if k == nil {
		return "none", nil
	}
	if k.Tonic.Alter < -1 || k.Tonic.Alter > 1 || int(k.Mode) >= len(modeSuffix) || k.Mode < 0 {
		return "", fmt.Errorf("key %v cannot be written", k)
	}
	return k.Tonic.String() + modeSuffix[k.Mode], nil
}

// oneLine makes free text fit on a line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fieldText makes free text fit on a field line, where "%" starts a comment.
func fieldText(s string) string { return strings.ReplaceAll(oneLine(s), "%", `\%`) }

func encodeTune(w *bufio.Writer, x int, c *music.Chart) error {
	fail := func(bar int, err error) error { return &EncodeError{Tune: x, Bar: bar, Err: err} }
	if c == nil {
		return fail(0, errors.New("nil chart"))
	}
	if c.Meter != nil && !c.Meter.Valid() {
		return fail(0, fmt.Errorf("meter %v cannot be played", *c.Meter))
	}
	meters := c.BarMeters()
	starts := make([]music.Ticks, len(c.Bars)+1)
	for i, m := range meters {
		if !m.Valid() {
			return fail(i+1, fmt.Errorf("meter %v cannot be played", m))
		}
		starts[i+1] = starts[i] + m.BarTicks()
	}
	key, err := keyText(c.Key)
	if err != nil {
		return fail(0, err)
	}
	part := melodyPart(c)
	notes, syllables, err := collectNotes(c, part, starts)
	if err != nil {
		return err.(*EncodeError).withTune(x)
	}
	segs := make([][]segment, len(c.Bars))
	var sg segmenter
	k := 0
	var active []encNote
	for i := range c.Bars {
		var offsets []music.Ticks
		for _, ca := range c.Bars[i].Chords {
			if ca.Offset < 0 || ca.Offset >= meters[i].BarTicks() {
				return fail(i+1, fmt.Errorf("chord %v at tick %d is outside the bar", ca.Chord, ca.Offset))
			}
			offsets = append(offsets, ca.Offset)
		}
		for k < len(notes) && notes[k].start < starts[i+1] {
			active = append(active, notes[k])
			k++
		}
		active = slices.DeleteFunc(active, func(n encNote) bool { return n.end <= starts[i] })
		segs[i] = sg.bar(active, starts[i], starts[i+1], offsets)
	}

	unit := chooseUnit(segs)
	fmt.Fprintf(w, "X:%d\n", x)
	if t := fieldText(c.Title); t != "" {
		fmt.Fprintf(w, "T:%s\n", t)
	}
	if t := fieldText(c.Composer); t != "" {
		fmt.Fprintf(w, "C:%s\n", t)
	}
	if t := fieldText(c.Style); t != "" {
		fmt.Fprintf(w, "R:%s\n", t)
	}
	if c.Meter != nil {
		fmt.Fprintf(w, "M:%d/%d\n", c.Meter.Num, c.Meter.Den)
	} else {
		w.WriteString("M:none\n")
	}
	fmt.Fprintf(w, "L:1/%d\n", wholeTicks/unit)
	if c.Tempo > 0 {
		beat := c.MeterOrDefault().BeatTicks()
		g := gcd(int64(beat), wholeTicks)
		fmt.Fprintf(w, "Q:%d/%d=%d\n", int64(beat)/g, wholeTicks/g, c.Tempo)
	}
	if part >= 0 && c.Parts[part].Program > 0 && c.Parts[part].Program < 128 {
		fmt.Fprintf(w, "%%%%MIDI program %d\n", c.Parts[part].Program)
	}
	writtenFor(w, c)
	fmt.Fprintf(w, "K:%s\n", key)

	opens := explicitStarts(c)
	e := barWriter{w: w, unit: unit, written: c.Meter, syllables: syllables}
	if c.Key != nil {
		e.sp.sig = signatureOf(*c.Key)
		e.sp.flats = c.Key.UsesFlats()
	}
	for i := range c.Bars {
		b, next := c.Bars[i], music.Bar{}
		b.RepeatStart = opens[i]
		if i+1 < len(c.Bars) {
			next.RepeatStart = opens[i+1]
		}
		e.bar(&b, meters[i], segs[i], &next, i+1 == len(c.Bars))
	}
	e.flush()
	return nil
}

func (e *EncodeError) withTune(x int) error { e.Tune = x; return e }

// melodyPart picks the part to write: the first melody, else the first
// part; -1 when the chart has none.
func melodyPart(c *music.Chart) int {
	for i, p := range c.Parts {
		if p.Role == "melody" {
			return i
		}
	}
	if len(c.Parts) > 0 {
		return 0
	}
	return -1
}

// collectNotes lists the notes of a part from the start of the written
// form, sorted, with a note cut where the same pitch starts again, and
// their syllables (the first is "", for none; nil when no note has one).
func collectNotes(c *music.Chart, part int, starts []music.Ticks) ([]encNote, []string, error) {
	count := 0
	for i := range c.Bars {
		count += len(c.Bars[i].Notes)
	}
	ns := make([]encNote, 0, count)
	var syllables []string
	end := starts[len(starts)-1]
	for i := range c.Bars {
		for _, n := range c.Bars[i].Notes {
			if int(n.Part) != part || n.Duration <= 0 {
				continue
			}
			if n.Start < 0 || n.Start >= starts[i+1]-starts[i] {
				return nil, nil, &EncodeError{Bar: i + 1, Err: fmt.Errorf("note at tick %d is outside the bar", n.Start)}
			}
			if n.Pitch > 127 {
				return nil, nil, &EncodeError{Bar: i + 1, Err: fmt.Errorf("pitch %d out of range", n.Pitch)}
			}
			s := starts[i] + n.Start
			var lyric int32
			if n.Lyric != "" {
				if syllables == nil {
					syllables = []string{""}
				}
				lyric = int32(len(syllables))
				syllables = append(syllables, n.Lyric)
			}
			ns = append(ns, encNote{start: s, end: min(s+n.Duration, end), pitch: n.Pitch, lyric: lyric})
		}
	}
	// Notes equal in all four keys are interchangeable: no stable sort
	// is needed.
	slices.SortFunc(ns, func(a, b encNote) int {
		if a.pitch != b.pitch {
			return int(a.pitch) - int(b.pitch)
		}
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.lyric, b.lyric))
	})
	out := ns[:0]
	for i, n := range ns {
		if i+1 < len(ns) && ns[i+1].pitch == n.pitch && ns[i+1].start < n.end {
			n.end = ns[i+1].start
		}
		if n.end > n.start {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b encNote) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.pitch, b.pitch), cmp.Compare(a.end, b.end))
	})
	return out, syllables, nil
}

// segmenter cuts bars into segments. The segments and their notes of a
// whole tune share its buffers: a slice handed out stays valid when the
// buffers grow, as it keeps the old array, which is never written again.
type segmenter struct {
	segs    []segment
	pitches []uint8
	ties    []bool
	cuts    []music.Ticks
}

// bar cuts the bar [from, to) where notes start or end and where chords
// are written.
func (sg *segmenter) bar(active []encNote, from, to music.Ticks, chordOffsets []music.Ticks) []segment {
	cuts := append(sg.cuts[:0], 0, to-from)
	for _, n := range active {
		if n.start > from && n.start < to {
			cuts = append(cuts, n.start-from)
		}
		if n.end > from && n.end < to {
			cuts = append(cuts, n.end-from)
		}
	}
	cuts = append(cuts, chordOffsets...)
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	sg.cuts = cuts
	first := len(sg.segs)
	for i := 0; i+1 < len(cuts); i++ {
		a, b := from+cuts[i], from+cuts[i+1]
		p0 := len(sg.pitches)
		starts, lyric := false, int32(0)
		for _, n := range active {
			if n.start <= a && n.end > a {
				sg.pitches = append(sg.pitches, n.pitch)
				sg.ties = append(sg.ties, n.end > b)
				if n.start == a {
					starts = true
					if lyric == 0 {
						lyric = n.lyric
					}
				}
			}
		}
		p1 := len(sg.pitches)
		sg.segs = append(sg.segs, segment{at: cuts[i], length: b - a,
			notes: sg.pitches[p0:p1:p1], ties: sg.ties[p0:p1:p1], starts: starts, lyric: lyric})
	}
	return sg.segs[first:len(sg.segs):len(sg.segs)]
}

// chooseUnit picks L: an eighth, or a sixteenth when most notes are
// shorter than an eighth.
func chooseUnit(segs [][]segment) music.Ticks {
	short, long := 0, 0
	for _, bar := range segs {
		for _, s := range bar {
			if s.length < wholeTicks/8 {
				short++
			} else {
				long++
			}
		}
	}
	if short > long {
		return wholeTicks / 16
	}
	return wholeTicks / 8
}

// lengthText writes a length in units of L. A length whose ratio to L has
// an odd factor o > 1 in its denominator is written as a tuplet: it
// returns o and the length before the tuplet's q/o, where q is the largest
// power of two below o.
func lengthText(t, unit music.Ticks) (tuplet int, text string) {
	a, b := int64(t), int64(unit)
	g := gcd(a, b)
	a, b = a/g, b/g
	o := b
	for o%2 == 0 {
		o /= 2
	}
	if o > 1 {
		tuplet = int(o)
		q := tupletQ(tuplet)
		// a/b = (x) * q/o, so x = a*o/(b*q) = a/(b/o*q).
		b = b / o * int64(q)
		g = gcd(a, b)
		a, b = a/g, b/g
	}
	switch {
	case b == 1 && a == 1:
		return tuplet, ""
	case b == 1:
		return tuplet, strconv.FormatInt(a, 10)
	case a == 1 && b == 2:
		return tuplet, "/"
	case a == 1:
		return tuplet, "/" + strconv.FormatInt(b, 10)
	}
	return tuplet, strconv.FormatInt(a, 10) + "/" + strconv.FormatInt(b, 10)
}

func tupletQ(o int) int {
	q := 1
	for q*2 < o {
		q *= 2
	}
	return q
}

// barWriter writes bars onto lines of music.
type barWriter struct {
	w       *bufio.Writer
	unit    music.Ticks
	written *music.Meter // as Decode will have it
	sp      speller
	line    bytes.Buffer // kept between lines
	// syllables are the tune's, by encNote.lyric; nil when it has none.
	syllables []string
	words     bytes.Buffer      // the w: line of the line's syllables
	sung      bool              // a note of the line has a syllable
	joined    bool              // the last syllable written ends in a hyphen
	chords    map[string]string // chord text by symbol, for the tune
	bars      int               // bars on the current line
	// started is set when the barline before the bar started its repeat.
	started bool
	// openTuplet counts the notes still to come in the tuplet being written.
	openTuplet int
}

func (e *barWriter) flush() {
	if e.line.Len() > 0 {
		if b := e.line.Bytes(); len(b) >= 2 && b[1] == ':' && isLetter(b[0]) {
			// "A:|" at the start of a line would be a field.
			e.w.WriteByte(' ')
		}
		e.w.Write(e.line.Bytes())
		e.w.WriteByte('\n')
		e.line.Reset()
		// Once a tune has syllables every line of notes gets its w:
		// line, "*" for none: abc2midi carries syllables on into lines
		// without one.
		if e.syllables != nil && e.words.Len() > 0 {
			e.w.WriteString("w:")
			e.w.Write(e.words.Bytes())
			e.w.WriteByte('\n')
		}
	}
	e.words.Reset()
	e.joined = false
	e.bars = 0
}

var jumpDecorations = map[music.Jump]string{
	music.DC: "D.C.", music.DS: "D.S.", music.DCAlCoda: "D.C.alcoda", music.DCAlFine: "D.C.alfine",
	music.DSAlCoda: "D.S.alcoda", music.DSAlFine: "D.S.alfine",
}

func (e *barWriter) bar(b *music.Bar, m music.Meter, segs []segment, next *music.Bar, last bool) {
	// Fields that must stand on their own line.
	var fields []string
	if b.Section != "" {
		fields = append(fields, "P:"+fieldText(b.Section))
	}
	if d, ok := barMeter(m.BarTicks(), e.written); !ok || d.Num != m.Num || d.Den != m.Den {
		fields = append(fields, fmt.Sprintf("M:%d/%d", m.Num, m.Den))
		e.written = &music.Meter{Num: m.Num, Den: m.Den}
	}
	// Four bars a line, or up to sixteen in a tune with syllables where
	// a note is tied into the bar: abc2midi gives a note tied over the
	// start of a line no syllable of the w: line under it, other readers
	// (and Decode) one.
	tiedIn := e.syllables != nil && len(segs) > 0 && len(segs[0].notes) > 0 && !segs[0].starts
	if len(fields) > 0 || e.bars >= 4 && (!tiedIn || e.bars >= 16) {
		e.flush()
		for _, f := range fields {
			e.w.WriteString(f)
			e.w.WriteByte('\n')
		}
	}
	l := &e.line
	if b.RepeatStart && !e.started {
		l.WriteString("|:")
	}
	e.started = false
	if b.Ending != 0 {
		var passes []string
		for p := 0; p < 8; p++ {
			if b.Ending&(1<<p) != 0 {
				passes = append(passes, strconv.Itoa(p+1))
			}
		}
		l.WriteString("[" + strings.Join(passes, ",") + " ")
	}
	if b.Segno {
		l.WriteString("!segno!")
	}
	if b.Coda {
		l.WriteString("!coda!")
	}
	if t := oneLine(strings.ReplaceAll(b.Comment, `"`, "'")); t != "" {
		l.WriteString(`"^` + t + `"`)
	}
	e.sp.reset()
	e.openTuplet = 0
	chords := b.Chords
	beat := m.BeatTicks()
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if i > 0 && beat > 0 && s.at%beat == 0 {
			l.WriteByte(' ')
		}
		for len(chords) > 0 && chords[0].Offset == s.at {
			l.WriteString(e.chordText(chords[0].Chord))
			if chords[0].Alt != nil {
				l.WriteString(e.chordText(*chords[0].Alt))
			}
			chords = chords[1:]
		}
		tup, text := lengthText(s.length, e.unit)
		if tup > 0 {
			// One tuplet mark for a run of segments of the same kind.
			n := 1
			for i+n < len(segs) && n < 64 {
				if t, _ := lengthText(segs[i+n].length, e.unit); t != tup {
					break
				}
				n++
			}
			if e.openTuplet == 0 {
				if tup == 3 && n == 3 {
					l.WriteString("(3")
				} else {
					fmt.Fprintf(l, "(%d:%d:%d", tup, tupletQ(tup), n)
				}
				e.openTuplet = n
			}
		}
		if e.openTuplet > 0 {
			e.openTuplet--
		}
		e.writeNotes(s, text)
	}
	if b.ToCoda {
		l.WriteString("!dacoda!")
	}
	if b.Fine {
		l.WriteString("!fine!")
	}
	if j, ok := jumpDecorations[b.Jump]; ok {
		l.WriteString("!" + j + "!")
	}
	// The barline ends this bar and, with "|:", starts the next.
	switch {
	case b.RepeatEnd > 1:
		l.WriteString(strings.Repeat(":", b.RepeatEnd-1) + "|")
	case last:
		l.WriteString("|]")
	case !next.RepeatStart:
		l.WriteString("|")
	}
	if !last && next.RepeatStart {
		l.WriteString("|:")
		e.started = true
	}
	e.bars++
}

// explicitStarts says which bars to write with a start repeat sign: those
// that have one, and those a repeat sign without a start goes back to, as
// long as writing the sign changes nothing in Chart.Unroll. Readers differ
// on where such repeats go back to (abc2midi forgets them after volta
// brackets and within parts); the sign leaves no doubt.
func explicitStarts(c *music.Chart) []bool {
	starts := make([]bool, len(c.Bars))
	added := false
	for i := range c.Bars {
		starts[i] = c.Bars[i].RepeatStart
		if c.Bars[i].RepeatEnd == 0 {
			continue
		}
		for j := i; j >= 0; j-- {
			if starts[j] {
				break
			}
			if j == 0 || c.Bars[j-1].RepeatEnd > 0 {
				starts[j], added = true, true
				break
			}
		}
	}
	if !added {
		return starts
	}
	d := *c
	d.Bars = slices.Clone(c.Bars)
	for i := range d.Bars {
		d.Bars[i].RepeatStart = starts[i]
	}
	a, b := c.Unroll(1), d.Unroll(1)
	same := len(a) == len(b)
	for i := 0; same && i < len(a); i++ {
		same = a[i].Index == b[i].Index
	}
	if !same {
		for i := range starts {
			starts[i] = c.Bars[i].RepeatStart
		}
	}
	return starts
}

// chordText writes a chord symbol in quotes: as written, unless Decode
// would not read it back or it uses iReal Pro's shorthand ("C^7", "F-7",
// "Bh7", "Co7"), which other ABC readers do not know; then by its name.
func (e *barWriter) chordText(c music.Chord) string {
	if t, ok := e.chords[c.Symbol]; ok && c.Symbol != "" {
		return t
	}
	t := strings.ReplaceAll(oneLine(c.Symbol), `"`, "")
	if _, ok := parseChordSymbol(t); !ok || shorthand(t) {
		return `"` + c.Name() + `"`
	}
	t = `"` + t + `"`
	if c.Symbol != "" {
		if e.chords == nil {
			e.chords = map[string]string{}
		}
		e.chords[c.Symbol] = t
	}
	return t
}

func shorthand(sym string) bool {
	if strings.ContainsAny(sym, "^h-øØΔ△°") {
		return true
	}
	_, n, err := music.ParseSpelling(sym)
	return err == nil && strings.HasPrefix(sym[n:], "o")
}

// writeNotes writes a segment: a rest, a note or a chord, with ties, and
// its syllable: "_" for notes tied from before, "*" for a note without
// one.
func (e *barWriter) writeNotes(s segment, length string) {
	l := &e.line
	if len(s.notes) > 0 && e.syllables != nil {
		syl := lyricText(e.syllables[s.lyric])
		switch {
		case syl != "":
		case s.starts:
			syl = "*"
		default:
			syl = "_"
		}
		// A syllable the word goes on from is joined to the next,
		// "an-y-one".
		if e.words.Len() > 0 && !e.joined {
			e.words.WriteByte(' ')
		}
		e.words.WriteString(syl)
		e.joined = strings.HasSuffix(syl, "-") && !strings.HasSuffix(syl, `\-`)
	}
	switch len(s.notes) {
	case 0:
		l.WriteString("z" + length)
	case 1:
		e.sp.note(l, s.notes[0])
		l.WriteString(length)
		if s.ties[0] {
			l.WriteByte('-')
		}
	default:
		l.WriteByte('[')
		for i, p := range s.notes {
			e.sp.note(l, p)
			if s.ties[i] {
				l.WriteByte('-')
			}
		}
		l.WriteString("]" + length)
	}
}

// speller spells pitches in a key, writing an accidental where a reader
// would otherwise play another pitch: Decode carries accidentals within an
// octave, abc2midi to every octave, and the text must mean the same to
// both.
type speller struct {
	sig    signature
	flats  bool
	octave [7][11]int8 // as accidentals.octave
	pitch  [7]int8
}

func (s *speller) reset() { s.octave, s.pitch = [7][11]int8{}, [7]int8{} }

var stepSemis = [7]int{0, 2, 4, 5, 7, 9, 11}

// spell picks a letter and alteration for a MIDI pitch: the key's own
// note when there is one, else a natural, else a sharp (a flat in flat
// keys).
func (s *speller) spell(p int) (music.Step, int8, int) {
	pc := p % 12
	try := func(st music.Step, alter int8) (int, bool) {
		if (stepSemis[st]+int(alter)+12)%12 != pc {
			return 0, false
		}
		oct := floorDiv(p-stepSemis[st]-int(alter), 12) - 1
		return oct, oct >= -1 && oct <= 9
	}
	for st := music.C; st <= music.B; st++ {
		if oct, ok := try(st, s.sig[st]); ok {
			return st, s.sig[st], oct
		}
	}
	for st := music.C; st <= music.B; st++ {
		if oct, ok := try(st, 0); ok {
			return st, 0, oct
		}
	}
	alter := int8(1)
	if s.flats {
		alter = -1
	}
	for st := music.C; st <= music.B; st++ {
		if oct, ok := try(st, alter); ok {
			return st, alter, oct
		}
	}
	// Unreachable: every pitch class is a natural or a sharp.
	return music.C, 0, p/12 - 1
}

var accidentalText = [5]string{"__", "_", "=", "^", "^^"}

// note writes a pitch, with an accidental where one is needed.
func (s *speller) note(b *bytes.Buffer, p uint8) {
	st, alter, oct := s.spell(int(p))
	byOctave, byPitch := s.sig[st], s.sig[st]
	if a := s.octave[st][oct+1]; a != 0 {
		byOctave = a - 3
	}
	if a := s.pitch[st]; a != 0 {
		byPitch = a - 3
	}
	if alter != byOctave || alter != byPitch {
		b.WriteString(accidentalText[alter+2])
		s.octave[st][oct+1] = alter + 3
		s.pitch[st] = alter + 3
	}
	letter := "CDEFGAB"[st]
	switch {
	case oct >= 5:
		b.WriteByte(letter + 'a' - 'A')
		b.WriteString(strings.Repeat("'", oct-5))
	default:
		b.WriteByte(letter)
		b.WriteString(strings.Repeat(",", 4-oct))
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
