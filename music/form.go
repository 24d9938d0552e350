package music

import "math/bits"

// sectionMarks answers, each in constant time, what Unroll asks of the
// volta brackets and repeat signs of the bars [0, to) at every bar it
// plays: where a bracket ends, whether a bracket for a later pass follows,
// whether a bracket is the last of its group, whether a repeat is still to
// be taken. Asked by scanning ahead from every bar played, they made a
// chart of many brackets quadratic: 20,000 measures each opening a "1."
// bracket, a 1.4 MB MusicXML file, took 8 s, 200,000 over a minute. The
// tables are built once per Unroll, in one pass from the end.
type sectionMarks struct {
	c  *Chart
	to int
	// end is endingEnd: the bar after the bracket that starts at i.
	end []int32
	// follow is the passes of the brackets that follow one another from
	// the bracket at i, each starting where the one before ends.
	follow []uint8
	// higher is the highest pass of those brackets, up to a repeat start.
	higher []uint8
	// nextRepeatEnd is the first bar at or after i with a repeat sign
	// that closes (to when none); nextMark the first that starts a
	// bracket or a repeat.
	nextRepeatEnd, nextMark []int32
	// segno is the last bar before to marked segno, -1 when none.
	segno int
	// pending is where a scan for a repeat still to be taken stops,
	// by pass (index 8 for passes past 8): made when first asked.
	pending [9][]int32
}

func newSectionMarks(c *Chart, to int) *sectionMarks {
	s := &sectionMarks{
		c: c, to: to, segno: -1,
		end: make([]int32, to), follow: make([]uint8, to), higher: make([]uint8, to),
		nextRepeatEnd: make([]int32, to+1), nextMark: make([]int32, to+1),
	}
	bars := c.Bars[:to]
	s.nextRepeatEnd[to], s.nextMark[to] = int32(to), int32(to)
	for i := to - 1; i >= 0; i-- {
		b := &bars[i]
		s.nextRepeatEnd[i], s.nextMark[i] = s.nextRepeatEnd[i+1], s.nextMark[i+1]
		if b.RepeatEnd > 0 {
			s.nextRepeatEnd[i] = int32(i)
		}
		if b.Ending != 0 || b.RepeatStart {
			s.nextMark[i] = int32(i)
		}
		if b.Segno && s.segno < 0 {
			s.segno = i
		}
	}
	// nextEnding is the first bar after i that starts a bracket.
	nextEnding := int32(to)
	for i := to - 1; i >= 0; i-- {
		e := nextEnding
		if r := s.nextRepeatEnd[i]; r < int32(to) && r+1 < e {
			e = r + 1
		}
		s.end[i] = e
		if bars[i].Ending != 0 {
			nextEnding = int32(i)
		}
		b := &bars[i]
		if b.Ending == 0 {
			continue
		}
		s.follow[i], s.higher[i] = b.Ending, highestPass(b.Ending)
		if j := int(e); j < to && bars[j].Ending != 0 {
			s.follow[i] |= s.follow[j]
			if !bars[j].RepeatStart {
				s.higher[i] = max(s.higher[i], s.higher[j])
			}
		}
	}
	return s
}

// highestPass is the highest pass a bracket is played on.
func highestPass(ending uint8) uint8 { return uint8(8 - bits.LeadingZeros8(ending)) }

// endingEnd is the bar after the volta bracket that starts at i: the next
// bracket, or the bar after the repeat sign that closes it.
func (s *sectionMarks) endingEnd(i int) int { return int(s.end[i]) }

// skipEnding reports whether the volta bracket starting at bar i is not
// played on this pass. After a D.C. or D.S. only the final bracket (the one
// that does not close with a repeat) is played.
//
// After a jump the last bracket of the group is played: one is skipped when
// a later bracket of the same group follows it (higher numbers, no new
// repeat in between), as in "D.C. al 3rd ending".
func (s *sectionMarks) skipEnding(i, pass int, noRepeats bool) bool {
	bars := s.c.Bars
	if noRepeats {
		j := s.endingEnd(i)
		return j < s.to && bars[j].Ending != 0 && !bars[j].RepeatStart &&
			bits.TrailingZeros8(bars[j].Ending) > 7-bits.LeadingZeros8(bars[i].Ending)
	}
	return pass > 8 || bars[i].Ending&(1<<(pass-1)) == 0
}

// endingFollows reports whether a volta bracket for the given pass follows
// the repeat sign at bar i directly, as the "3." after "2. ... :|" does.
func (s *sectionMarks) endingFollows(i, pass int) bool {
	if pass > 8 || i+1 >= s.to || s.c.Bars[i+1].Ending == 0 {
		return false
	}
	return s.follow[i+1]&(1<<(pass-1)) != 0
}

// lastBracket reports whether the bracket starting at bar i ends its volta
// group: no repeat sign closes it (before the next bracket or repeat
// start) and no bracket for a later pass follows it.
func (s *sectionMarks) lastBracket(i int) bool {
	bars := s.c.Bars
	if s.nextRepeatEnd[i] < s.nextMark[i+1] {
		return false // the bracket closes with a repeat: not the last
	}
	j := s.endingEnd(i)
	return j >= s.to || bars[j].Ending == 0 || bars[j].RepeatStart ||
		s.higher[j] <= highestPass(bars[i].Ending)
}

// repeatPending reports whether bar i lies inside a repeat that will still
// be taken, so a to-coda sign there must wait for the last pass.
func (s *sectionMarks) repeatPending(i, pass int, noRepeats bool) bool {
	if noRepeats {
		return false
	}
	j := i
	if s.c.Bars[i].RepeatEnd == 0 {
		if i+1 >= s.to {
			return false
		}
		j = int(s.pendingFor(pass)[i+1])
		if j < 0 {
			return false
		}
	}
	return pass < s.c.Bars[j].RepeatEnd || s.endingFollows(j, pass+1)
}

// pendingFor is, for each bar j, where a scan from j for the repeat sign
// that closes the repeat around it stops on this pass: the bar of that
// sign, or -1 at a repeat start or the end. Brackets for other passes are
// stepped over.
func (s *sectionMarks) pendingFor(pass int) []int32 {
	k := min(pass, 9) - 1
	if s.pending[k] != nil {
		return s.pending[k]
	}
	bars := s.c.Bars
	p := make([]int32, s.to+1)
	p[s.to] = -1
	for j := s.to - 1; j >= 0; j-- {
		b := &bars[j]
		switch {
		case b.RepeatStart:
			p[j] = -1
		case b.Ending != 0 && (pass > 8 || b.Ending&(1<<(pass-1)) == 0):
			p[j] = p[s.end[j]] // a bracket for another pass: this pass skips it
		case b.RepeatEnd > 0:
			p[j] = int32(j)
		default:
			p[j] = p[j+1]
		}
	}
	s.pending[k] = p
	return p
}
