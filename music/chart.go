package music

// Chart is a chord chart as written: bars with chords at positions, sections,
// repeats, endings and navigation marks. Unroll turns it into the played order.
type Chart struct {
	Title    string
	Composer string
	// Key and Meter are nil when the source gives none; use KeyOrDefault and
	// MeterOrDefault (C major, 4/4) to play it.
	Key   *Key
	Meter *Meter
	// Tempo in beats per minute and Style ("Medium Swing", "Bossa Nova") are
	// hints from the source; 0 and "" when not given.
	Tempo int
	Style string
	Bars  []Bar
	// Parts describe the notes written in the bars of a lead sheet or score
	// (name, role, channel, program); their Notes fields stay empty. A
	// chord chart has none.
	Parts []Part
	// Ending is how the chart says it ends when played (a .chart
	// "ending:" header); nil lets the band decide (band.Form: the key's
	// tonic).
	Ending *Ending
	// Written is set on a part written for a transposing instrument
	// (WrittenFor): key, chords and notes are as its player reads them,
	// sounding Written.Written lower. Encoders say so in the file;
	// decoders return concert pitch, so a decoded chart has none.
	Written *Transposing
}

// Ending is an explicit ending: the chord a performance ends on, or the
// chart's own last bars as written.
type Ending struct {
	// AsWritten ends on the form's last chord, with no resolution added
	// ("ending: as written").
	AsWritten bool
	// Chord is the final chord when AsWritten is not set: the band
	// resolves to it instead of the key's tonic.
	Chord Chord
}

// KeyOrDefault is the chart's key or DefaultKey.
func (c *Chart) KeyOrDefault() Key {
	if c.Key != nil {
		return *c.Key
	}
	return DefaultKey
}

// MeterOrDefault is the chart's opening meter or DefaultMeter.
func (c *Chart) MeterOrDefault() Meter {
	if c.Meter != nil {
		return *c.Meter
	}
	return DefaultMeter
}

// Bar is one written bar. Marks that belong to barlines are on the bar they
// open (RepeatStart, Section, Segno) or close (RepeatEnd, Jump).
type Bar struct {
	// Meter is set when the meter changes at this bar.
	Meter *Meter
	// Section labels the section that starts here ("A", "B", "Verse", "Intro").
	Section string
	// RepeatStart opens a repeat; RepeatEnd > 0 closes one and says how many
	// times the repeated bars are played in all (2 for a plain repeat).
	RepeatStart bool
	RepeatEnd   int
	// Ending is non-zero when a volta bracket starts at this bar: bit n-1 is
	// set for each pass n it is played on (1 for "1.", 3 for "1.2.").
	Ending uint8
	// Segno marks the bar a D.S. returns to. ToCoda is the "to coda" sign: on
	// the last time through, playing jumps from the end of this bar to the bar
	// marked Coda. Fine ends the piece when reached after a D.C. or D.S.
	Segno  bool
	ToCoda bool
	Coda   bool
	Fine   bool
	// Jump is a D.C. or D.S. direction at the end of this bar.
	Jump Jump
	// Chords are the chords written in the bar, by position. An empty bar
	// continues the previous chord.
	Chords []ChordAt
	// Comment is free text written on the bar ("vamp", "solos").
	Comment string
	// Notes written in the bar (a lead sheet's melody), with Start counted
	// from the start of the bar and Part indexing Chart.Parts. A note tied
	// over the barline is one note in the bar where it starts.
	Notes []Note
}

// Jump is a navigation direction at the end of a bar.
type Jump uint8

const (
	NoJump   Jump = iota
	DCAlCoda      // back to the start, then to the coda at the to-coda sign
	DCAlFine      // back to the start, then stop at Fine
	DSAlCoda      // back to the segno, then to the coda
	DSAlFine      // back to the segno, then stop at Fine
	DC            // D.C.: back to the start, play to the end (or Fine)
	DS            // D.S.: back to the segno, play to the end (or Fine)
)

var jumpNames = [...]string{"", "D.C. al Coda", "D.C. al Fine", "D.S. al Coda", "D.S. al Fine", "D.C.", "D.S."}

func (j Jump) String() string { return jumpNames[j] }

// ToSegno reports whether the jump goes back to the segno (else to the start).
func (j Jump) ToSegno() bool { return j == DSAlCoda || j == DSAlFine || j == DS }

// ChordAt is a chord written at an offset from the start of its bar.
type ChordAt struct {
	Offset Ticks
	Chord  Chord
	// Alt is an alternate chord shown above the main one (iReal's small
	// chords, JazzStandards' "(X)"): printed, not played.
	Alt *Chord
}

// BarMeters returns the meter of every written bar.
func (c *Chart) BarMeters() []Meter {
	ms := make([]Meter, len(c.Bars))
	cur := c.MeterOrDefault()
	for i, b := range c.Bars {
		if b.Meter != nil {
			cur = *b.Meter
		}
		ms[i] = cur
	}
	return ms
}

// PlayedBar is one bar of a chart in played order.
type PlayedBar struct {
	Index  int   // the written bar (index into Chart.Bars)
	Chorus int   // 1-based chorus; the coda counts as the last chorus
	Start  Ticks // from the start of the performance
	Meter  Meter
	Bar    *Bar // the written bar
	// Fermata holds the bar's chord longer than written: Layout slows the
	// tempo into it (the performance's final bar).
	Fermata bool
}

// End is the tick at which the bar ends.
func (b PlayedBar) End() Ticks { return b.Start + b.Meter.BarTicks() }

// Pickup reports whether the chart's first bar is a pickup (an
// anacrusis): shorter than the bar after it, or, as lead sheets also
// write it, a full bar with no chord whose melody, if any, starts after
// its first beat. A pickup leads into the form and is not part of it: a
// band plays it once, and later choruses begin on the bar after it (the
// melody's pickup sounds over the end of the chorus before). A first bar
// a repeat or a D.S. returns to is part of the form.
func (c *Chart) Pickup() bool {
	if len(c.Bars) < 2 {
		return false
	}
	b := &c.Bars[0]
	if b.RepeatStart || b.Segno || b.Ending != 0 || b.Jump != NoJump || b.RepeatEnd > 0 {
		return false
	}
	meters := c.BarMeters()
	if meters[0].BarTicks() < meters[1].BarTicks() {
		return true
	}
	if len(b.Chords) > 0 || len(c.Bars[1].Chords) == 0 {
		return false
	}
	for _, n := range b.Notes {
		if n.Start < meters[0].BeatTicks() {
			return false
		}
	}
	return true
}

// MaxPlayedBars bounds an unrolled form; real charts unroll to a few
// hundred. A D.S. that loops back or 64 choruses of a long form can ask
// for more: Unroll stops there, and UnrollCut says it did.
const MaxPlayedBars = 1 << 16

// Unroll returns the chart's bars in played order for the given number of
// choruses (at least 1). Repeats are taken as written (a repeat sign with no
// start goes back to the start or to the bar after the previous repeat);
// volta brackets play on the passes they name; after a D.C. or D.S. repeats
// are not taken again and the last ending is played. The coda follows iReal
// Pro's rule for several choruses: every chorus plays the main form, and
// only the last one takes the to-coda jump (or, with a D.C./D.S. al Coda,
// the jump after the return) and plays the coda, once. A chart whose coda
// has no to-coda sign plays it after the last chorus. A pickup bar
// (Chart.Pickup) is played before the first chorus only, unless a short
// last bar balances it. At most MaxPlayedBars are played.
func (c *Chart) Unroll(choruses int) []PlayedBar {
	bars, _ := c.UnrollCut(choruses)
	return bars
}

// UnrollCut is Unroll that also reports whether the form asked for more
// than MaxPlayedBars bars and was cut there, so that a command can say so
// rather than play a shorter piece than the chart writes.
func (c *Chart) UnrollCut(choruses int) (bars []PlayedBar, cut bool) {
	if choruses < 1 {
		choruses = 1
	}
	meters := c.BarMeters()
	codaStart, hasToCoda, hasJump := len(c.Bars), false, false
	for i, b := range c.Bars {
		if b.Coda && codaStart == len(c.Bars) && i > 0 {
			codaStart = i
		}
		hasJump = hasJump || b.Jump != NoJump
	}
	// A to-coda sign with no coda to go to is ignored.
	for i := 0; i < codaStart && codaStart < len(c.Bars); i++ {
		hasToCoda = hasToCoda || c.Bars[i].ToCoda
	}
	var out []PlayedBar
	var at Ticks
	emit := func(i, chorus int) bool {
		if len(out) >= MaxPlayedBars {
			cut = true
			return false
		}
		out = append(out, PlayedBar{Index: i, Chorus: chorus, Start: at, Meter: meters[i], Bar: &c.Bars[i]})
		at += meters[i].BarTicks()
		return true
	}
	// A pickup balanced by a short last bar (ABC and printed music write
	// a tune so: the two make one bar) is part of every chorus.
	pickup := c.Pickup() && codaStart > 1 && meters[codaStart-1].BarTicks() >= meters[1].BarTicks()
	form := newSectionMarks(c, codaStart)
	var coda *sectionMarks
	for chorus := 1; chorus <= choruses; chorus++ {
		last := chorus == choruses
		from := 0
		if pickup && chorus > 1 {
			from = 1 // the pickup led into the first chorus only
		}
		toCoda := c.playSection(form, from, chorus, last && hasToCoda, hasJump, emit)
		if last && codaStart < len(c.Bars) && (toCoda || !hasToCoda) {
			if coda == nil {
				coda = newSectionMarks(c, len(c.Bars))
			}
			c.playSection(coda, codaStart, chorus, false, false, emit)
		}
	}
	return out, cut
}

// playSection plays bars [from, to) once with repeats, endings and jumps,
// to being marks.to. It reports whether it stopped at a to-coda sign (only
// when takeCoda is set).
func (c *Chart) playSection(marks *sectionMarks, from, chorus int, takeCoda, hasJump bool, emit func(int, int) bool) bool {
	to := marks.to
	repStart, pass := from, 1
	jumped, noRepeats := false, false
	var jump Jump
	segno := from
	if marks.segno >= from {
		segno = marks.segno
	}
	for i := from; i < to; {
		b := &c.Bars[i]
		if b.RepeatStart && !noRepeats && i != repStart {
			repStart, pass = i, 1
		}
		if b.Ending != 0 && marks.skipEnding(i, pass, noRepeats) {
			i = marks.endingEnd(i)
			continue
		}
		if !emit(i, chorus) {
			return false
		}
		if b.Ending != 0 && !noRepeats && marks.lastBracket(i) {
			// The last bracket of a volta group, not closed by a repeat
			// sign, ends the repeat: a later volta group or repeat sign
			// without a start counts its passes afresh from the next bar.
			repStart, pass = i+1, 1
		}
		switch {
		case b.Fine && jumped && (jump == DCAlFine || jump == DSAlFine || jump == DC || jump == DS):
			return false
		case b.ToCoda && takeCoda && (jumped || !hasJump) && !marks.repeatPending(i, pass, noRepeats):
			return true
		case b.RepeatEnd > 0 && !noRepeats && (pass < b.RepeatEnd || marks.endingFollows(i, pass+1)):
			pass++
			i = repStart
			continue
		case b.RepeatEnd > 0 && !noRepeats:
			repStart, pass = i+1, 1
		}
		if b.Jump != NoJump && !jumped {
			jumped, noRepeats, jump = true, true, b.Jump
			i = from
			if b.Jump.ToSegno() {
				i = segno
			}
			continue
		}
		if jumped && (jump == DCAlCoda || jump == DSAlCoda) && b.ToCoda && !takeCoda {
			return false // a chorus before the last ends at the to-coda sign after the return
		}
		i++
	}
	return false
}

// ChordSpan is a chord sounding from Start for Duration in a played form.
type ChordSpan struct {
	Start    Ticks
	Duration Ticks
	Chord    Chord
	Bar      int // index into the played bars where the chord starts
}

// Spans lists the chords of a played form with their durations. An empty
// bar or slot continues the chord before it, and a chord written again
// with the same sound (C7 | C7, or D-7 after Dm7) is merged into one span:
// a chord held across a barline counts once. Bars before the first chord are silent.
func Spans(played []PlayedBar) []ChordSpan {
	var out []ChordSpan
	for bi, pb := range played {
		for _, ca := range pb.Bar.Chords {
			start := pb.Start + ca.Offset
			if n := len(out); n > 0 {
				out[n-1].Duration = start - out[n-1].Start
				if out[n-1].Chord.Same(ca.Chord) {
					continue
				}
			}
			out = append(out, ChordSpan{Start: start, Chord: ca.Chord, Bar: bi})
		}
	}
	if n := len(out); n > 0 && len(played) > 0 {
		out[n-1].Duration = played[len(played)-1].End() - out[n-1].Start
	}
	return out
}

// Perform plays a chart with written notes (a lead sheet) in its played
// order: the notes of every played bar, shifted to where the bar falls, in
// the chart's parts. It is PerformWith with no IDs: the notes played again
// take ids above the chart's own (Chart.MaxID).
func (c *Chart) Perform(choruses int) *Piece { return c.PerformWith(choruses, nil) }

// PerformWith is Perform with the ids of the notes played again taken from
// ids (nil: above the chart's own). The first time a written note sounds
// it is that note, keeping its id and Origin; each time a repeat, a D.C.
// or another chorus plays it again it is a new note (Repeats). Tempo comes
// from the chart (felt beats per minute, DefaultTempo when none) and
// meters, key and section markers from the form.
func (c *Chart) PerformWith(choruses int, ids *IDs) *Piece {
	played := c.Unroll(choruses)
	p := c.Layout(played, c.Tempo)
	p.Parts = make([]Part, len(c.Parts))
	for i, part := range c.Parts {
		part.Notes = nil
		p.Parts[i] = part
	}
	if ids == nil {
		ids = NewIDs(c.MaxID() + 1)
	}
	again := NewRepeats(ids)
	for _, pb := range played {
		for _, n := range pb.Bar.Notes {
			if int(n.Part) < 0 || int(n.Part) >= len(p.Parts) {
				continue
			}
			n = again.Play(n)
			n.Start += pb.Start
			p.Parts[n.Part].Notes = append(p.Parts[n.Part].Notes, n)
		}
	}
	for i := range p.Parts {
		SortNotes(p.Parts[i].Notes)
	}
	return p
}

// MaxID is the largest id of the notes written in the chart (0 for none).
func (c *Chart) MaxID() NoteID {
	var m NoteID
	for i := range c.Bars {
		for _, n := range c.Bars[i].Notes {
			m = max(m, n.ID)
		}
	}
	return m
}

// Repeats gives ids to the notes a performance plays from written ones
// (a lead sheet's melody). The first time a written note sounds it is
// that note and keeps its id: the ledger finds the composer's note in the
// performance. Each time it sounds again (the second time through a
// repeat, the head out) it is a new note: a new id from the IDs, and the
// written note's Origin with DerivedFrom naming the note it plays again,
// so the kind and the processing steps stay the written note's. A written
// note without an id (0) takes a new one every time.
type Repeats struct {
	ids    *IDs
	played map[NoteID]*Origin // the written notes played, with the Origin of their repeats
}

// NewRepeats returns a Repeats that takes new ids from ids.
func NewRepeats(ids *IDs) *Repeats {
	return &Repeats{ids: ids, played: map[NoteID]*Origin{}}
}

// Play returns the written note n as played now: itself the first time,
// else a new note derived from it.
func (r *Repeats) Play(n Note) Note {
	if n.ID == 0 {
		n.ID = r.ids.Next()
		return n
	}
	o, again := r.played[n.ID]
	if !again {
		r.played[n.ID] = nil
		return n
	}
	if o == nil {
		// One Origin for every repeat of a note: notes share Origins.
		d := Origin{}
		if n.Origin != nil {
			d = *n.Origin
		}
		d.DerivedFrom = []NoteID{n.ID}
		o = &d
		r.played[n.ID] = o
	}
	n.ID, n.Origin = r.ids.Next(), o
	return n
}

// Layout is a Piece without parts laid over a played form: the tempo in
// felt beats per minute (DefaultTempo when 0), the meters of the played
// bars, the chart's key when it has one, and a marker at every bar that
// opens a section.
func (c *Chart) Layout(played []PlayedBar, bpm int) *Piece {
	p := &Piece{Title: c.Title, Chart: c}
	if bpm <= 0 {
		bpm = DefaultTempo
	}
	// The beat is the written meter's, not a pickup bar's (a short first
	// bar carries a meter of its own length).
	first := c.MeterOrDefault()
	if c.Meter == nil && len(played) > 0 {
		first = played[0].Meter
	}
	p.Tempo = TempoMap{{At: 0, MicrosPerQuarter: TempoForBeats(bpm, first)}}
	if c.Key != nil {
		p.Keys = []KeyChange{{At: 0, Key: *c.Key}}
	}
	for i, pb := range played {
		if pb.Fermata {
			p.Tempo = fermata(p.Tempo, played, i)
		}
		if i == 0 || pb.Meter != played[i-1].Meter {
			p.Meters = append(p.Meters, MeterChange{At: pb.Start, Meter: pb.Meter})
		}
		if pb.Bar.Section != "" {
			p.Markers = append(p.Markers, Marker{At: pb.Start, Text: pb.Bar.Section})
		}
	}
	return p
}

// Ritard and fermata: the last two beats before a fermata bar slow to
// these shares of the tempo, and the bar itself is played at fermataShare:
// a held chord half as long again, as a band stretches its last chord
// while the leader holds it up.
var ritardShares = [...]float64{0.92, 0.84}

const fermataShare = 2.0 / 3

// fermata adds the tempo changes of a ritard into played[i] and of the
// fermata over it, then returns to the tempo when a bar follows.
func fermata(tm TempoMap, played []PlayedBar, i int) TempoMap {
	base := tm[0].MicrosPerQuarter
	slow := func(at Ticks, share float64) {
		tm = append(tm, TempoChange{At: at, MicrosPerQuarter: int64(float64(base)/share + 0.5)})
	}
	pb := played[i]
	if i > 0 {
		prev := played[i-1]
		beat := prev.Meter.BeatTicks()
		for k, share := range ritardShares {
			at := prev.End() - Ticks(len(ritardShares)-k)*beat
			if at >= prev.Start && at > tm[len(tm)-1].At {
				slow(at, share)
			}
		}
	}
	slow(pb.Start, fermataShare)
	if i+1 < len(played) {
		tm = append(tm, TempoChange{At: pb.End(), MicrosPerQuarter: base})
	}
	return tm
}

// WrittenNotes counts the notes written in the chart, each once however
// often it is played.
func (c *Chart) WrittenNotes() int {
	n := 0
	for i := range c.Bars {
		n += len(c.Bars[i].Notes)
	}
	return n
}

// DefaultTempo is the tempo of a chart that gives none, in beats per minute.
const DefaultTempo = 120

// TempoForBeats converts a tempo in felt beats per minute (a dotted
// quarter in 6/8) to MIDI's microseconds per quarter note.
func TempoForBeats(bpm int, m Meter) int64 {
	quarterBPM := float64(bpm) * float64(m.BeatTicks()) / PPQ
	return int64(60e6/quarterBPM + 0.5)
}

// TransposeTo returns a copy of the chart moved to another key: the chord
// symbols respelled, the written notes moved, by the smaller interval (up
// a fourth rather than down a fifth). A chart without a key counts as C
// major; the copy takes the target key.
func (c *Chart) TransposeTo(k Key) *Chart {
	from := c.KeyOrDefault()
	steps := mod7(int(k.Tonic.Step) - int(from.Tonic.Step))
	semis := mod12(k.Tonic.PitchClass() - from.Tonic.PitchClass())
	iv := Interval{Number: steps + 1, Semitones: semis}
	if semis > 6 || (semis == 6 && steps > 3) {
		iv = Interval{Number: -(7 - steps + 1), Semitones: semis - 12}
		if steps == 0 {
			iv.Number = -1
		}
	}
	return c.transposeBy(iv, k, "to "+k.Short())
}
