package music

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The unroll as it was before sectionMarks: every question about brackets
// and repeats answered by scanning ahead from the bar played. It is the
// reference the tables must agree with, on every chart.

func scanUnroll(c *Chart, choruses int) (bars []PlayedBar, cut bool) {
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
	pickup := c.Pickup() && codaStart > 1 && meters[codaStart-1].BarTicks() >= meters[1].BarTicks()
	for chorus := 1; chorus <= choruses; chorus++ {
		last := chorus == choruses
		from := 0
		if pickup && chorus > 1 {
			from = 1
		}
		toCoda := scanPlaySection(c, from, codaStart, chorus, last && hasToCoda, hasJump, emit)
		if last && codaStart < len(c.Bars) && (toCoda || !hasToCoda) {
			scanPlaySection(c, codaStart, len(c.Bars), chorus, false, false, emit)
		}
	}
	return out, cut
}

func scanPlaySection(c *Chart, from, to, chorus int, takeCoda, hasJump bool, emit func(int, int) bool) bool {
	repStart, pass := from, 1
	jumped, noRepeats := false, false
	var jump Jump
	segno := from
	for i := from; i < to; i++ {
		if c.Bars[i].Segno {
			segno = i
		}
	}
	for i := from; i < to; {
		b := &c.Bars[i]
		if b.RepeatStart && !noRepeats && i != repStart {
			repStart, pass = i, 1
		}
		if b.Ending != 0 && scanSkipEnding(c, i, to, pass, noRepeats) {
			i = scanEndingEnd(c, i, to)
			continue
		}
		if !emit(i, chorus) {
			return false
		}
		if b.Ending != 0 && !noRepeats && scanLastBracket(c, i, to) {
			// The last bracket of a volta group, not closed by a repeat
			// sign, ends the repeat: a later volta group or repeat sign
			// without a start counts its passes afresh from the next bar.
			repStart, pass = i+1, 1
		}
		switch {
		case b.Fine && jumped && (jump == DCAlFine || jump == DSAlFine || jump == DC || jump == DS):
			return false
		case b.ToCoda && takeCoda && (jumped || !hasJump) && !scanRepeatPending(c, i, to, pass, noRepeats):
			return true
		case b.RepeatEnd > 0 && !noRepeats && (pass < b.RepeatEnd || scanEndingFollows(c, i, to, pass+1)):
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

func scanSkipEnding(c *Chart, i, to, pass int, noRepeats bool) bool {
	if noRepeats {
		j := scanEndingEnd(c, i, to)
		return j < to && c.Bars[j].Ending != 0 && !c.Bars[j].RepeatStart &&
			bits.TrailingZeros8(c.Bars[j].Ending) > 7-bits.LeadingZeros8(c.Bars[i].Ending)
	}
	return pass > 8 || c.Bars[i].Ending&(1<<(pass-1)) == 0
}

func scanEndingFollows(c *Chart, i, to, pass int) bool {
	if pass > 8 {
		return false
	}
	for j := i + 1; j < to && c.Bars[j].Ending != 0; j = scanEndingEnd(c, j, to) {
		if c.Bars[j].Ending&(1<<(pass-1)) != 0 {
			return true
		}
	}
	return false
}

func scanLastBracket(c *Chart, i, to int) bool {
	for j := i; j < to; j++ {
		if c.Bars[j].RepeatEnd > 0 {
			return false // the bracket closes with a repeat: not the last
		}
		if j+1 < to && (c.Bars[j+1].Ending != 0 || c.Bars[j+1].RepeatStart) {
			break
		}
	}
	hi := 8 - bits.LeadingZeros8(c.Bars[i].Ending)
	for j := scanEndingEnd(c, i, to); j < to && c.Bars[j].Ending != 0 && !c.Bars[j].RepeatStart; j = scanEndingEnd(c, j, to) {
		if 8-bits.LeadingZeros8(c.Bars[j].Ending) > hi {
			return false
		}
	}
	return true
}

func scanEndingEnd(c *Chart, i, to int) int {
	for j := i; j < to; j++ {
		if j > i && c.Bars[j].Ending != 0 {
			return j
		}
		if c.Bars[j].RepeatEnd > 0 {
			return j + 1
		}
	}
	return to
}

func scanRepeatPending(c *Chart, i, to, pass int, noRepeats bool) bool {
	if noRepeats {
		return false
	}
	for j := i; j < to; j++ {
		b := &c.Bars[j]
		if j > i && b.RepeatStart {
			return false
		}
		if j > i && b.Ending != 0 && (pass > 8 || b.Ending&(1<<(pass-1)) == 0) {
			// A bracket for another pass: this pass skips it.
			j = scanEndingEnd(c, j, to) - 1
			continue
		}
		if b.RepeatEnd > 0 {
			return pass < b.RepeatEnd || scanEndingFollows(c, j, to, pass+1)
		}
	}
	return false
}

// randomForm is a chart of n bars with marks drawn at random: brackets
// for passes 1 to 3 and beyond, repeat starts and ends, segno, to-coda,
// coda, fine, jumps, and now and then a short first bar (a pickup).
func randomForm(r *rand.Rand, n int) *Chart {
	bars := make([]Bar, n)
	endings := []uint8{1, 2, 4, 3, 6, 8, 128, 1 | 4}
	for i := range bars {
		b := &bars[i]
		if r.IntN(4) == 0 {
			b.Ending = endings[r.IntN(len(endings))]
		}
		b.RepeatStart = r.IntN(6) == 0
		if r.IntN(5) == 0 {
			b.RepeatEnd = 2 + r.IntN(2)
		}
		b.Segno = r.IntN(12) == 0
		b.ToCoda = r.IntN(10) == 0
		b.Coda = r.IntN(14) == 0
		b.Fine = r.IntN(14) == 0
		if r.IntN(12) == 0 {
			b.Jump = Jump(1 + r.IntN(6))
		}
		b.Chords = []ChordAt{{Chord: MustParseChord("C7")}}
	}
	if n > 1 && r.IntN(4) == 0 {
		bars[0].Meter = &Meter{Num: 1, Den: 4}
		bars[1].Meter = &Meter{Num: 4, Den: 4}
	}
	return &Chart{Bars: bars}
}

// TestUnrollMatchesScan plays 20,000 random forms both ways, with the
// tables and by scanning ahead as Unroll did before them: the same bars,
// choruses and starts, cut at the same place.
func TestUnrollMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 5))
	same := func(a, b []PlayedBar) bool {
		return slices.EqualFunc(a, b, func(x, y PlayedBar) bool {
			return x.Index == y.Index && x.Chorus == y.Chorus && x.Start == y.Start && x.Meter == y.Meter && x.Bar == y.Bar
		})
	}
	marks := 0
	for k := range 20000 {
		c := randomForm(r, 1+r.IntN(40))
		for _, b := range c.Bars {
			if b.Ending != 0 || b.ToCoda {
				marks++
			}
		}
		for choruses := 1; choruses <= 3; choruses++ {
			got, gotCut := c.UnrollCut(choruses)
			want, wantCut := scanUnroll(c, choruses)
			if !same(got, want) || gotCut != wantCut {
				t.Fatalf("form %d, %d choruses: played %v (cut %v), scanning ahead %v (cut %v)",
					k, choruses, indexes(got), gotCut, indexes(want), wantCut)
			}
		}
	}
	if marks == 0 {
		t.Fatal("no brackets or to-coda signs drawn")
	}
}

func indexes(bars []PlayedBar) []int {
	out := make([]int, len(bars))
	for i, b := range bars {
		out[i] = b.Index
	}
	return out
}

// TestUnrollCostIsLinear unrolls forms built to make a scan ahead from
// every bar quadratic and compares the time a played bar takes with a
// plain form of as many bars: within 10 times (scanning ahead, they
// took 70 to 150 times as long at 20,000 bars, and the ratio grows with
// the bars). A ratio of two runs on one machine, not a limit on the
// clock.
func TestUnrollCostIsLinear(t *testing.T) {
	const n = 20000
	plain := func() *Chart {
		bars := make([]Bar, n)
		for i := range bars {
			bars[i].Chords = []ChordAt{{Chord: MustParseChord("C7")}}
		}
		return &Chart{Bars: bars}
	}
	worst := map[string]func(*Chart){
		// Every bar opens a "1." bracket (a MusicXML file can): each
		// asked whether it is the last of its group.
		"brackets": func(c *Chart) {
			for i := range c.Bars {
				c.Bars[i].Ending = 1
			}
		},
		// Every bar a to-coda sign inside one long repeat: each asked
		// whether the repeat is still to be taken.
		"to-coda in a repeat": func(c *Chart) {
			for i := range c.Bars[:n-2] {
				c.Bars[i].ToCoda = true
			}
			c.Bars[n-2].RepeatEnd = 2
			c.Bars[n-1].Coda = true
		},
		// Every bar a "1.2." bracket closed by its own repeat sign: at
		// each sign, on the second pass, asked whether a bracket for a
		// third pass follows.
		"brackets closing repeats": func(c *Chart) {
			for i := range c.Bars {
				c.Bars[i].Ending, c.Bars[i].RepeatEnd = 3, 2
			}
		},
	}
	perBar := func(c *Chart) float64 {
		best := time.Duration(1 << 62)
		var played int
		for range 5 {
			start := time.Now()
			bars, _ := c.UnrollCut(1)
			best = min(best, time.Since(start))
			played = len(bars)
		}
		return float64(best) / float64(max(played, 1))
	}
	base := perBar(plain())
	for name, mark := range worst {
		c := plain()
		mark(c)
		if ratio := perBar(c) / base; ratio > 10 {
			t.Errorf("%s: a played bar takes %.0f times as long as in a plain form of %d bars", name, ratio, n)
		} else {
			t.Logf("%s: %.1f times a plain form's time a played bar", name, ratio)
		}
	}
}
