package abc

import (
	"fmt"

	"sideman/music"
)

// wholeTicks is the length of a whole note in ticks.
const wholeTicks = 4 * music.PPQ

// gridTicks is the finest bar length a meter can give: a 64th note.
const gridTicks = wholeTicks / 64

// barMeter is the meter of a bar holding ticks of music when written is
// the meter in force: the written meter when the bar fills it, else a
// meter of the bar's own length, counted in the written meter's note
// values when it can be (a pickup of one eighth in 6/8 is 1/8, of three
// eighths 3/8), in finer ones when it must. Decode and Encode share it, so
// a short bar needs no M: field to come back. A length no meter of at
// most 32 beats of a 64th or longer can give (37 32nds, a bar ending
// within a triplet) is rounded up to the next one that can, leaving a
// short rest at the end of the bar. ok is false for a bar longer than 32
// whole notes.
func barMeter(ticks music.Ticks, written *music.Meter) (m music.Meter, ok bool) {
	if written != nil && written.BarTicks() == ticks {
		return *written, true
	}
	if ticks <= 0 {
		return music.Meter{}, false
	}
	if ticks%gridTicks == 0 {
		den := 4
		if written != nil {
			den = written.Den
		}
		for den < 64 && ticks%(wholeTicks/music.Ticks(den)) != 0 {
			den *= 2
		}
		num := ticks / (wholeTicks / music.Ticks(den))
		for num > 32 && den > 1 && num%2 == 0 {
			num, den = num/2, den/2
		}
		if m = (music.Meter{Num: int(num), Den: den}); m.Valid() {
			return m, true
		}
	}
	for den := 64; den >= 1; den /= 2 {
		unit := wholeTicks / music.Ticks(den)
		if num := (ticks + unit - 1) / unit; num <= 32 {
			return music.Meter{Num: int(num), Den: den}, true
		}
	}
	return music.Meter{}, false
}

// barInfo is what the layout knows of a written bar beyond music.Bar.
type barInfo struct {
	part   int         // index into layout.labels, -1 before the first part
	double bool        // closed by a double or thick barline
	n0, n1 int         // the bar's notes in layout.notes
	meter  music.Meter // the bar's length
	start  music.Ticks // from the start of the tune in written order
}

// noStaff marks a tie already taken.
const noStaff = -1 << 15

// tieRef is a note waiting for the note it is tied to.
type tieRef struct {
	bar, note int // note indexes layout.notes
	staff     int16
}

// layout lays out the events of a tune body into bars.
type layout struct {
	p       *tuneParser
	bars    []music.Bar
	info    []barInfo
	open    bool        // the last bar is still being written
	pos     rat         // in the open bar
	start   music.Ticks // of the open or next bar
	written *music.Meter
	// notes holds the notes of all bars, in order: one allocation for
	// the tune, cut into the bars' Notes at the end.
	notes []music.Note

	// Marks waiting for the next bar.
	pend music.Bar
	// Ties waiting for the next note.
	ties, next []tieRef

	labels []string
	part   int

	// The syllable of the event being laid out, and the next in
	// tuneParser.lyrics.
	lyric   string
	lyricAt int
}

func (p *tuneParser) layout() (*music.Chart, error) {
	l := &layout{p: p, written: p.chart.Meter, part: -1, notes: make([]music.Note, 0, len(p.notes))}
	nbars := 1
	for i := range p.events {
		if p.events[i].kind == evBar {
			nbars++
		}
	}
	l.bars = make([]music.Bar, 0, min(nbars, MaxBars))
	l.info = make([]barInfo, 0, min(nbars, MaxBars))
	for i := range p.events {
		l.lyric = ""
		if l.lyricAt < len(p.lyrics) && p.lyrics[l.lyricAt].ev == int32(i) {
			l.lyric = p.lyrics[l.lyricAt].text
			l.lyricAt++
		}
		if err := l.event(&p.events[i]); err != nil {
			return nil, err
		}
	}
	last := &event{line: int32(p.xLine), col: 1}
	if n := len(p.events); n > 0 {
		last = &p.events[n-1]
	}
	if err := l.closeBar(last, 0); err != nil {
		return nil, err
	}
	for i := range l.bars {
		if in := l.info[i]; in.n1 > in.n0 {
			l.bars[i].Notes = l.notes[in.n0:in.n1:in.n1]
		}
	}
	l.repeatStarts()
	c := p.chart
	var ok bool
	if c.Bars, l.info, ok = l.expand(); !ok {
		return nil, &ParseError{p.xLine, 1, ErrTooManyBars}
	}
	// A bar's Meter is set where its length differs from the bar before.
	prev := c.MeterOrDefault()
	notes := 0
	for i := range c.Bars {
		b := &c.Bars[i]
		if m := l.info[i].meter; m != prev {
			b.Meter = &m
			prev = m
		}
		notes += len(b.Notes) // ids 0: the caller numbers them (music.IDs)
	}
	if notes > MaxNotes {
		return nil, &ParseError{p.xLine, 1, ErrTooManyNotes}
	}
	return c, nil
}

func (l *layout) errorf(ev *event, format string, args ...any) error {
	return &ParseError{int(ev.line), int(ev.col), fmt.Errorf(format, args...)}
}

// openBar starts a bar if none is open, with the marks waiting for it.
func (l *layout) openBar(ev *event) error {
	if l.open {
		return nil
	}
	if len(l.bars) >= MaxBars {
		return l.errorf(ev, "%w", ErrTooManyBars)
	}
	l.bars = append(l.bars, l.pend)
	l.info = append(l.info, barInfo{part: l.part, start: l.start, n0: len(l.notes), n1: len(l.notes)})
	l.pend = music.Bar{}
	l.open, l.pos = true, rat{0, 1}
	return nil
}

func (l *layout) cur() *music.Bar { return &l.bars[len(l.bars)-1] }

func (l *layout) event(ev *event) error {
	switch ev.kind {
	case evNotes:
		return l.notesEvent(ev)
	case evBar:
		if err := l.closeBar(ev, int(ev.repEnd)); err != nil {
			return err
		}
		if ev.double && len(l.bars) > 0 {
			l.info[len(l.info)-1].double = true
		}
		l.pend.RepeatStart = l.pend.RepeatStart || ev.repStart
		if ev.ending != 0 {
			l.pend.Ending = ev.ending
		}
	case evEnding:
		if l.open && l.pos.n == 0 {
			l.cur().Ending = ev.ending
			return nil
		}
		// A bracket that starts within a bar ("BAG [1 A3:|") splits it:
		// the notes before it are played on every pass.
		if err := l.closeBar(ev, 0); err != nil {
			return err
		}
		l.pend.Ending = ev.ending
	case evChord:
		ch, ok := parseChordSymbol(ev.text)
		if !ok {
			return nil // text in quotes that is not a chord
		}
		if err := l.openBar(ev); err != nil {
			return err
		}
		addChord(l.cur(), music.ChordAt{Offset: l.pos.ticks(), Chord: ch})
	case evAnnot:
		b := &l.pend
		if l.open {
			b = l.cur()
		}
		if b.Comment != "" {
			b.Comment += "; "
		}
		b.Comment += ev.text
	case evMeter:
		l.written = ev.meter
	case evPart:
		if l.open && l.pos.n == 0 {
			// A label after chord symbols at the start of a bar: start
			// the part with that bar.
			l.cur().Section = ev.text
			l.labels = append(l.labels, ev.text)
			l.part = len(l.labels) - 1
			l.info[len(l.info)-1].part = l.part
			return nil
		}
		// A part that starts within a bar ("dgf ed\nP:C\nc|") splits it,
		// as abc2midi plays it: the part starts where its label is.
		if err := l.closeBar(ev, 0); err != nil {
			return err
		}
		l.labels = append(l.labels, ev.text)
		l.part = len(l.labels) - 1
		l.pend.Section = ev.text
	case evRestBars:
		if l.written == nil {
			return l.errorf(ev, "multi-bar rest without a meter")
		}
		whole, err := newRat(int64(l.written.BarTicks()), wholeTicks)
		if err != nil {
			return l.errorf(ev, "%v", err)
		}
		l.ties = l.ties[:0]
		for k := int32(0); k < ev.count; k++ {
			if k > 0 {
				if err := l.closeBar(ev, 0); err != nil {
					return err
				}
			}
			if err := l.openBar(ev); err != nil {
				return err
			}
			if l.pos, err = l.pos.add(whole); err != nil {
				return l.errorf(ev, "%v", err)
			}
		}
	case evNav:
		l.nav(ev)
	}
	return nil
}

// nav sets a navigation mark: the segno and the coda on the bar they open,
// the others on the bar they end (the last bar when none is open).
func (l *layout) nav(ev *event) {
	b := &l.pend
	switch {
	case ev.nav == navSegno || ev.nav == navCoda:
		if l.open && l.pos.n == 0 {
			b = l.cur()
		}
	case l.open:
		b = l.cur()
	case len(l.bars) > 0:
		b = &l.bars[len(l.bars)-1]
	}
	switch ev.nav {
	case navSegno:
		b.Segno = true
	case navCoda:
		b.Coda = true
	case navToCoda:
		b.ToCoda = true
	case navFine:
		b.Fine = true
	case navJump:
		b.Jump = ev.jump
	}
}

func (l *layout) notesEvent(ev *event) error {
	if err := l.openBar(ev); err != nil {
		return err
	}
	bi := len(l.bars) - 1
	at := l.pos.ticks()
	l.next = l.next[:0]
	for _, n := range l.p.notes[ev.n0:ev.n1] {
		end, err := l.pos.add(n.dur)
		if err != nil {
			return l.errorf(ev, "%v", err)
		}
		dur := end.ticks() - at
		merged := false
		for k, t := range l.ties {
			if t.staff != n.staff {
				continue
			}
			l.ties[k].staff = noStaff // one note takes the tie
			// Tied: the note before lasts to the end of this one.
			tn := &l.notes[t.note]
			tn.Duration = l.start + at + dur - (l.info[t.bar].start + tn.Start)
			if tn.Lyric == "" {
				tn.Lyric, l.lyric = l.lyric, ""
			}
			if n.tie {
				l.next = append(l.next, t)
			}
			merged = true
			break
		}
		if merged {
			continue
		}
		if len(l.notes) >= MaxNotes {
			return l.errorf(ev, "%w", ErrTooManyNotes)
		}
		l.notes = append(l.notes, music.Note{
			Pitch: n.pitch, Velocity: 80, Start: at, Duration: dur, Origin: l.p.origin, Lyric: l.lyric,
		})
		l.lyric = ""
		l.info[bi].n1 = len(l.notes)
		if n.tie {
			l.next = append(l.next, tieRef{bar: bi, note: len(l.notes) - 1, staff: n.staff})
		}
	}
	l.ties, l.next = l.next, l.ties
	var err error
	if l.pos, err = l.pos.add(ev.dur); err != nil {
		return l.errorf(ev, "%v", err)
	}
	return nil
}

// closeBar ends the open bar at a barline that ends a repeat when repEnd
// is not 0. A bar with no time in it (chord symbols only, or the empty
// space between two barlines) is not a bar: its marks wait for the next.
func (l *layout) closeBar(ev *event, repEnd int) error {
	if !l.open || l.pos.n == 0 {
		if l.open {
			// Give the marks back to the next bar.
			b := l.bars[len(l.bars)-1]
			l.bars, l.info = l.bars[:len(l.bars)-1], l.info[:len(l.info)-1]
			l.open = false
			l.mergePending(b)
		}
		if repEnd > 0 && len(l.bars) > 0 {
			l.bars[len(l.bars)-1].RepeatEnd = max(l.bars[len(l.bars)-1].RepeatEnd, repEnd)
		}
		return nil
	}
	t := l.pos.ticks()
	m, ok := barMeter(t, l.written)
	if !ok {
		return l.errorf(ev, "bar of %d ticks is longer than 32 whole notes", t)
	}
	i := len(l.bars) - 1
	// Chord symbols written after the last note belong to the next bar.
	b := &l.bars[i]
	for k := 0; k < len(b.Chords); k++ {
		if ca := b.Chords[k]; ca.Offset >= m.BarTicks() {
			ca.Offset = 0
			addChord(&l.pend, ca)
			b.Chords = append(b.Chords[:k], b.Chords[k+1:]...)
			k--
		}
	}
	l.info[i].meter = m
	l.bars[i].RepeatEnd = repEnd
	l.start += m.BarTicks()
	l.open = false
	return nil
}

// addChord adds a chord symbol to a bar; a second one at the same place
// is the first one's Alt, a third is dropped.
func addChord(b *music.Bar, ca music.ChordAt) {
	for i := range b.Chords {
		if b.Chords[i].Offset == ca.Offset {
			if b.Chords[i].Alt == nil {
				alt := ca.Chord
				b.Chords[i].Alt = &alt
			}
			return
		}
	}
	b.Chords = append(b.Chords, ca)
}

// mergePending gives the marks of a bar that held no time to the next.
func (l *layout) mergePending(b music.Bar) {
	p := &l.pend
	p.RepeatStart = p.RepeatStart || b.RepeatStart
	if b.Ending != 0 {
		p.Ending = b.Ending
	}
	if b.Section != "" {
		p.Section = b.Section
	}
	p.Segno = p.Segno || b.Segno
	p.Coda = p.Coda || b.Coda
	if b.Comment != "" {
		if p.Comment != "" {
			p.Comment += "; "
		}
		p.Comment += b.Comment
	}
	for _, ca := range b.Chords {
		addChord(p, ca)
	}
	// Marks that end a bar go to the bar before.
	if n := len(l.bars); n > 0 {
		prev := &l.bars[n-1]
		prev.ToCoda = prev.ToCoda || b.ToCoda
		prev.Fine = prev.Fine || b.Fine
		if b.Jump != music.NoJump {
			prev.Jump = b.Jump
		}
	}
}

// expand lays the bars out in the part order, when the tune has one and
// labels parts: first the bars before the first part, then each part
// named in the order (its last definition). A part whose first repeat
// sign ends a repeat gets a start repeat on its first bar, so the repeat
// goes back to the start of the part as abc2midi plays it.
func (l *layout) expand() ([]music.Bar, []barInfo, bool) {
	order := l.p.order
	if len(order) == 0 || len(l.labels) == 0 {
		return l.bars, l.info, true
	}
	// The bars of each part letter: the last run labelled with it.
	type span struct{ from, to int }
	parts := map[byte]span{}
	for i := 0; i < len(l.bars); {
		j := i
		for j < len(l.bars) && l.info[j].part == l.info[i].part {
			j++
		}
		if pi := l.info[i].part; pi >= 0 && l.labels[pi] != "" {
			parts[upper(l.labels[pi][0])] = span{i, j}
		}
		i = j
	}
	var bars []music.Bar
	var info []barInfo
	for i := range l.bars {
		if l.info[i].part >= 0 {
			break
		}
		bars, info = append(bars, l.bars[i]), append(info, l.info[i])
	}
	// The copies' notes and chords, each in one allocation: the copies
	// must not share them, so that changing one bar changes no other.
	nbars, nnotes, nchords := len(bars), 0, 0
	for _, letter := range order {
		if sp, ok := parts[letter]; ok {
			nbars += sp.to - sp.from
			if nbars > MaxBars {
				return nil, nil, false
			}
			for i := sp.from; i < sp.to; i++ {
				nnotes += len(l.bars[i].Notes)
				nchords += len(l.bars[i].Chords)
			}
		}
	}
	notes := make([]music.Note, 0, nnotes)
	chords := make([]music.ChordAt, 0, nchords)
	found := false
	for _, letter := range order {
		sp, ok := parts[letter]
		if !ok {
			continue
		}
		found = true
		first := len(bars)
		for i := sp.from; i < sp.to; i++ {
			b := l.bars[i]
			if len(b.Notes) > 0 {
				notes = append(notes, b.Notes...)
				b.Notes = notes[len(notes)-len(b.Notes) : len(notes) : len(notes)]
			}
			if len(b.Chords) > 0 {
				chords = append(chords, b.Chords...)
				b.Chords = chords[len(chords)-len(b.Chords) : len(chords) : len(chords)]
			}
			bars, info = append(bars, b), append(info, l.info[i])
		}
		for i := first; i < len(bars); i++ {
			if bars[i].RepeatStart {
				break
			}
			if bars[i].RepeatEnd > 0 {
				bars[first].RepeatStart = true
				break
			}
		}
	}
	if !found {
		return l.bars, l.info, true
	}
	return bars, info, true
}

// repeatStarts marks where a repeat sign without a start goes back to
// when that is not where Chart.Unroll would go (the start, or the bar
// after the last repeat sign): a double barline after a repeat that has
// closed (as in "|:A:|B||C:|", where C is repeated alone, or after the
// last volta bracket, "|:A|[1B:|[2C||D:|") starts the section. abc2midi
// plays the first case so; the second, not at all (see the tests).
// Parts are sections of their own.
func (l *layout) repeatStarts() {
	closed, start, cand := false, false, -1
	for i := range l.bars {
		b := &l.bars[i]
		if i > 0 && l.info[i].part != l.info[i-1].part {
			closed, start, cand = false, false, -1
		}
		if b.RepeatStart {
			start = true
		}
		if b.RepeatEnd > 0 {
			if !start && cand >= 0 {
				l.bars[cand].RepeatStart = true
			}
			closed, start, cand = true, false, -1
			continue
		}
		if closed && !start && l.info[i].double && i+1 < len(l.bars) && l.info[i+1].part == l.info[i].part {
			cand = i + 1
		}
	}
}
