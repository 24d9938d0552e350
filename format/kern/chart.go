package kern

import (
	"fmt"
	"math"
	"strconv"

	"sideman/internal/quote"
	"sideman/music"
)

// instruments names Humdrum's instrument codes (*Isoprn) that scores use
// without a name (*I"Soprano).
var instruments = map[string]string{
	"soprn": "Soprano", "mezzo": "Mezzo-soprano", "calto": "Contralto", "alto": "Alto",
	"tenor": "Tenor", "barit": "Baritone", "bass": "Bass", "vox": "Voice",
	"piano": "Piano", "organ": "Organ", "cemba": "Harpsichord", "violn": "Violin",
	"viola": "Viola", "cello": "Cello", "contr": "Double bass", "flt": "Flute",
	"oboe": "Oboe", "clars": "Clarinet", "fagot": "Bassoon", "guitr": "Guitar",
}

// chart builds the chart from the bars read, laying the sections out by
// the expansion list named (see Decoder.Expansion).
func (p *parser) chart(expansion string) (*music.Chart, error) {
	c := &music.Chart{Title: p.title, Composer: p.composer}
	if c.Title == "" {
		c.Title = p.titleOrig
	}
	if c.Title == "" {
		c.Title = p.titleAny
	}
	if p.composer != "" {
		p.origin.Who = p.composer
	}
	if p.hasMeter {
		m := p.firstMeter
		c.Meter = &m
	}
	switch {
	case p.key != nil:
		c.Key = p.key
	case p.keySig != nil:
		k := music.KeyFromFifths(*p.keySig, false)
		c.Key = &k
	}
	for i, pi := range p.parts {
		name := pi.name
		if name == "" {
			name = instruments[pi.code]
		}
		if name == "" && pi.code != "" {
			name = pi.code
		}
		if name == "" {
			name = fmt.Sprintf("Spine %d", i+1)
		}
		role := ""
		switch pi.code {
		case "soprn":
			role = "melody"
		case "bass":
			role = "bass"
		}
		ch := uint8(i % 15)
		if ch >= 9 {
			ch++ // channel 10 is for drums
		}
		c.Parts = append(c.Parts, music.Part{Name: name, Role: role, Channel: ch, Program: -1})
	}

	// The end of the score is where its last note or rest ends.
	end := p.now
	for _, s := range p.spines {
		if end.less(s.next) {
			end = s.next
		}
	}
	written := p.bars
	// A bar that holds nothing and takes no time (after the final
	// barline) is not a bar.
	if last := written[len(written)-1]; len(written) > 1 && len(last.notes) == 0 && !last.start.less(end) {
		written = written[:len(written)-1]
	}
	if len(written) == 1 && len(written[0].notes) == 0 && !written[0].start.less(end) {
		written = nil
	}
	// Each bar's own meter: the written one, or one of its length when
	// its notes do not fill it.
	own := make([]music.Meter, len(written))
	starts := make([]music.Ticks, len(written)+1)
	for i := range written {
		starts[i] = music.Ticks(written[i].start.ticks())
	}
	starts[len(written)] = music.Ticks(end.ticks())
	for i, b := range written {
		own[i] = b.meter
		if length := starts[i+1] - starts[i]; length != b.meter.BarTicks() {
			own[i] = meterOf(length, b.meter)
		}
	}

	order, err := p.expand(written, expansion)
	if err != nil {
		return nil, err
	}
	if len(order) > MaxBars {
		return nil, &ParseError{Line: p.line, Err: ErrTooLong}
	}
	if c.Tempo = 0; p.tempo > 0 {
		beat := c.MeterOrDefault().BeatTicks()
		c.Tempo = int(math.Round(p.tempo * music.PPQ / float64(beat)))
	}
	c.Bars = make([]music.Bar, len(order))
	copied := make([]bool, len(written))
	prev := c.MeterOrDefault()
	for k, o := range order {
		wb := &written[o.bar]
		b := &c.Bars[k]
		if m := own[o.bar]; m != prev {
			b.Meter = &m
			prev = m
		}
		b.Section = wb.section
		if !o.expanded {
			b.RepeatStart = wb.repeatStart
			if wb.repeatEnd {
				b.RepeatEnd = 2
			}
		}
		notes := wb.notes
		if copied[o.bar] {
			notes = append([]music.Note(nil), notes...)
		} else {
			copied[o.bar] = true
			for j := range notes {
				notes[j].Start -= starts[o.bar]
			}
		}
		music.SortNotes(notes) // ids 0: the caller numbers them (music.IDs)
		b.Notes = notes
	}
	if len(order) > 0 && !order[0].expanded {
		p.endings(c)
	}
	return c, nil
}

// endings marks the volta brackets of a score read as written. Humdrum
// has no sign for them: its expansion list names them as sections "A1"
// and "A2" after a section "A" ([A,A1,A,A2,B]). The first bar of such a
// section gets the ending, and the first bar of the section it ends a
// start repeat, so that music.Chart.Unroll plays what the list says.
func (p *parser) endings(c *music.Chart) {
	list := p.lists[""]
	inList := map[string]bool{}
	for _, l := range list {
		inList[l] = true
	}
	first := map[string]int{}
	for i, b := range c.Bars {
		if _, ok := first[b.Section]; !ok && b.Section != "" {
			first[b.Section] = i
		}
	}
	for i := range c.Bars {
		label := c.Bars[i].Section
		j := len(label)
		for j > 0 && label[j-1] >= '0' && label[j-1] <= '9' {
			j--
		}
		base := label[:j]
		n, err := strconv.Atoi(label[j:])
		if j == len(label) || err != nil || n < 1 || n > 8 || !inList[label] || !inList[base] {
			continue
		}
		if at, ok := first[base]; ok && at < i {
			c.Bars[i].Ending |= 1 << (n - 1)
			c.Bars[at].RepeatStart = true
		}
	}
}

// barRef is one bar of the laid-out chart: which written bar it plays.
type barRef struct {
	bar      int
	expanded bool
}

// expand lists the written bars in the order of the expansion list named:
// the bars before the first label, then each section of the list.
func (p *parser) expand(bars []bar, name string) ([]barRef, error) {
	list, ok := p.lists[name]
	if name == "*" {
		list, ok = p.lists[""]
	}
	if name == "" || !ok {
		out := make([]barRef, len(bars))
		for i := range out {
			out[i] = barRef{bar: i}
		}
		return out, nil
	}
	type span struct{ lo, hi int }
	sections := map[string]span{}
	lo, label := 0, ""
	closeSpan := func(hi int) {
		if _, dup := sections[label]; !dup && hi > lo {
			sections[label] = span{lo, hi}
		}
	}
	for i, b := range bars {
		if b.section != "" {
			closeSpan(i)
			lo, label = i, b.section
		}
	}
	closeSpan(len(bars))
	var out []barRef
	if s, ok := sections[""]; ok {
		for i := s.lo; i < s.hi; i++ {
			out = append(out, barRef{bar: i, expanded: true})
		}
	}
	for _, l := range list {
		s, ok := sections[l]
		if !ok || l == "" {
			return nil, &ParseError{Line: p.line, Err: fmt.Errorf("%w: %s", ErrExpansion, quote.Input(l))}
		}
		for i := s.lo; i < s.hi; i++ {
			if len(out) >= MaxBars {
				return nil, &ParseError{Line: p.line, Err: ErrTooLong}
			}
			out = append(out, barRef{bar: i, expanded: true})
		}
	}
	return out, nil
}

// meterOf is a meter as long as a bar of length ticks: over the written
// meter's denominator when it divides, else the coarsest that does, up to
// 64ths; a length no 64th divides is rounded up to the next 64th.
func meterOf(length music.Ticks, written music.Meter) music.Meter {
	const sixtyFourth = 4 * music.PPQ / 64
	if length <= 0 {
		length = sixtyFourth
	}
	if length%sixtyFourth != 0 {
		length += sixtyFourth - length%sixtyFourth
	}
	for _, den := range []int{written.Den, 1, 2, 4, 8, 16, 32, 64} {
		m := music.Meter{Num: 1, Den: den}
		if !m.Valid() {
			continue
		}
		unit := m.UnitTicks()
		if length%unit == 0 && length/unit <= 32 {
			m.Num = int(length / unit)
			return m
		}
	}
	// Longer than 32 64ths of... the longest bar a Meter holds.
	return music.Meter{Num: 32, Den: 1}
}
