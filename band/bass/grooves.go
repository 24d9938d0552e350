package bass

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sideman/band"
	"sideman/internal/quote"
	"sideman/music"
)

// Hire adds the bass players to a lineup, under the names styles use,
// with the checker of the bass parameters.
func Hire(l *band.Lineup) {
	l.Add("bass", "walking", Walking)
	l.Add("bass", "two-feel", TwoFeel)
	l.Add("bass", "waltz", Waltz)
	l.Add("bass", "bossa", Bossa)
	l.Add("bass", "samba", Samba)
	l.Add("bass", "tumbao", Tumbao)
	l.Add("bass", "pop", Pop)
	l.Add("bass", "rock", Rock)
	l.Add("bass", "funk", Funk)
	l.Add("bass", "shuffle", Shuffle)
	l.AddCheck("bass", CheckStyle)
}

// CheckStyle reports a bass parameter of the style whose value the bass
// players cannot read: a share outside 0 to 1, a chorus that is not a
// whole number.
func CheckStyle(s *band.Style) error {
	for _, k := range []string{"bass.colour", "bass.motion", "bass.root-share", "bass.runs", "bass.skips"} {
		if v, ok := s.Params[k]; ok {
			if f, err := strconv.ParseFloat(v, 64); err != nil || !(f >= 0 && f <= 1) { // NaN too
				return fmt.Errorf("%s %s: want a share from 0 to 1", k, quote.Input(v))
			}
		}
	}
	if v, ok := s.Params["bass.four-from-chorus"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return fmt.Errorf("bass.four-from-chorus %s: want the chorus to walk in four from (1, 2, ...), or 0 for never", quote.Input(v))
		}
	}
	return nil
}

// hit is one note of a groove in a bar: where it falls and how long it
// lasts in beats, which degree of the chord it plays, and how loud.
type hit struct {
	at, length float64
	// deg is the chord degree: 1 (the bass note), 3, 5, 6, 7, 8 (the
	// root an octave up); 0 is a ghost note (a muted repeat of the last
	// note); 9 repeats the last note at full weight; -1 an approach into
	// the next chord; -4 the chord tone nearest the next chord's bass
	// note; -2 and -5 a step into the sounding chord's root and
	// fifth, which the next note plays; -3 a step into the note another
	// player takes over with (groove.into).
	deg int
	vel int
	// anticipate plays the next chord's bass note when a change falls
	// before the next beat, tied over the change: the
	// "pushed" bass of bossa, samba, tumbao and funk.
	anticipate bool
	// exact places the hit at its share of the bar's beats, unswung: a
	// chord change between beats (a 5/4 bar split in two) is played
	// where it falls.
	exact bool
}

// groove plays one bar's hits per played bar, asking cell for them. It
// resolves degrees against the chord sounding at each hit, rests over
// N.C., plays a slash chord's bass on the chord's first hit, and ties an
// anticipation over the change it anticipates. It plays bar by bar as the
// band asks (Play), everything it needs from one bar to the next kept
// here.
type groove struct {
	*line
	// lo and hi bound the register the roots sit in.
	lo, hi int
	// cell gives a bar's hits.
	cell func(l *line, pb music.PlayedBar, bar int) []hit
	// root is where the current chord's root sits (for the chord that
	// starts at rootOf), so that its degrees stack above one root rather
	// than zigzag between octaves.
	root   int
	rootOf music.Ticks
	// lowFifths lets a fifth fall below the root now and then, as in
	// two-beat patterns; a boogie climbs from the root instead.
	lowFifths bool
	// upto is how many bars the groove plays; into, when set, is the
	// pitch another player (the walking line) starts with at bar upto.
	upto, into int
	// aim is the pitch the last approach led to: the next note of its
	// pitch class lands on it, not an octave away.
	aim int
	// tiedTo is a change already sounded by an anticipation.
	tiedTo music.Ticks
}

// Play plays the bars from to to. What the band heard does not change
// the groove (see the package doc).
func (gr *groove) Play(from, to int, _ []music.Note) []music.Note {
	return gr.answer(from, to, gr.playBar)
}

// playBar plays one bar's hits; the final bar is the final chord.
func (gr *groove) playBar(bi int) {
	pb := gr.g.Bars[bi]
	if bi >= gr.upto {
		return
	}
	if gr.finalAt == pb.Start {
		gr.finalChord(pb)
		return
	}
	for _, h := range gr.cell(gr.line, pb, bi) {
		gr.strike(pb, h)
	}
}

// strike plays one hit of a bar, unless it falls past the bar, on a
// change an anticipation already sounded, or over N.C.
func (gr *groove) strike(pb music.PlayedBar, h hit) {
	g := gr.g
	beatTicks := float64(pb.Meter.BeatTicks())
	at := gr.tick(pb, h.at)
	if h.exact {
		at = pb.Start + music.Ticks(h.at*beatTicks+0.5)
	}
	if at >= pb.End() {
		return
	}
	span := g.ChordAt(at)
	if at == gr.tiedTo {
		return // the anticipation already plays this chord
	}
	dur := music.Ticks(h.length * beatTicks)
	if span.Chord.NoChord {
		return // a break: the bass comes back on the chord, not before
	}
	if h.anticipate {
		// A change before the next beat is anticipated; the final chord
		// too, its bass note tied over and held in the low octave to the
		// end.
		upto := gr.tick(pb, float64(int(h.at)+1))
		if next := g.ChordAt(upto); next.Start > at && next.Start <= upto && !next.Chord.NoChord {
			if next.Start == gr.finalAt {
				gr.add(at, gr.finalEnd-at, lowOctave(bassPC(next.Chord)), clamp(h.vel+gr.jitter(4), minVelocity, maxVelocity))
				gr.tiedTo = next.Start
				return
			}
			span = next
			gr.tiedTo = next.Start
			dur = next.Start - at + music.Ticks(h.length*beatTicks)
			h.deg = 1
		}
	}
	c := span.Chord
	if at == span.Start && h.deg != 0 && h.deg != 9 && h.deg != 8 {
		h.deg = 1 // a chord's first note is its root (or slash bass)
	}
	if gr.rootOf != span.Start || gr.root == 0 {
		gr.root, gr.rootOf = gr.place(rootPC(c)), span.Start
	}
	p, aimed, ok := gr.pitch(h.deg, span, at-span.Start < music.Ticks(beatTicks))
	if !ok {
		return
	}
	vel := h.vel + gr.jitter(4)
	if h.deg == 0 {
		vel = ghost + gr.jitter(4)
		gr.add(at, max(dur, 1), p, vel)
		return
	}
	if gr.aim != 0 && mod12(p) == mod12(gr.aim) && h.deg > 0 {
		p = gr.aim // land where the approach led
		if h.deg == 1 {
			gr.root = p
		}
	}
	gr.aim = aimed
	gr.add(at, dur, p, clamp(vel, minVelocity, maxVelocity+10))
}

// pitch resolves a hit's degree against the chord sounding (span): the
// pitch, the pitch an approach leads to (0 for none), and false for a
// ghost note with nothing before it to repeat. early tells a hit within
// a beat of the chord's start, where a slash chord plays its bass.
func (gr *groove) pitch(deg int, span music.ChordSpan, early bool) (p, aimed int, ok bool) {
	c := span.Chord
	// intoAt is where another player (the walking line) takes over with
	// gr.into, -1 when none does.
	intoAt := music.Ticks(-1)
	if gr.upto < len(gr.g.Bars) && gr.into != 0 {
		intoAt = gr.g.Bars[gr.upto].Start
	}
	switch deg {
	case 9:
		p = gr.last
		if p == 0 {
			p = gr.root
		}
	case 0:
		if gr.last == 0 {
			return 0, 0, false
		}
		p = gr.last
	case -1:
		next := gr.g.ChordAt(span.Start + span.Duration)
		if next.Start <= span.Start || next.Chord.NoChord {
			return gr.place(degreePC(c, 5)), 0, true
		}
		t := gr.place(bassPC(next.Chord))
		if next.Start == intoAt {
			t = gr.into
		}
		p = t - 1
		if gr.r.IntN(2) == 0 && t+1 <= gr.hi {
			p = t + 1
		}
		if p == gr.last {
			p = 2*t - p // from the other side: not the note just played
		}
		if !has(scale(c), p) && gr.r.IntN(2) == 0 {
			p = gr.place(degreePC(c, 5))
		} else {
			aimed = t
		}
	case -4:
		// A half note that leads to the next chord: the chord tone
		// nearest its bass note.
		next := gr.g.ChordAt(span.Start + span.Duration)
		if next.Start <= span.Start || next.Chord.NoChord {
			return gr.nearDeg(c, 5), 0, true
		}
		t := gr.place(bassPC(next.Chord))
		if next.Start == intoAt {
			t = gr.into
		}
		_, ct := gr.harmony(c)
		p = gr.nearDeg(c, 5)
		for d := 1; d <= 6; d++ {
			if q := t - d; has(ct, q) && q >= lowest && q != gr.last {
				p = q
				break
			}
			if q := t + d; has(ct, q) && q <= highest && q != gr.last {
				p = q
				break
			}
		}
		aimed = t
	case -2, -5, -3:
		t := gr.root
		switch deg {
		case -5:
			t = gr.nearDeg(c, 5)
		case -3:
			t = gr.into
		}
		p, aimed = gr.stepInto(c, t), t
	case 1:
		p = gr.root
		if c.HasBass && early {
			p = gr.place(bassPC(c))
		}
	case 8:
		p = gr.root + 12
		if p > highest {
			p -= 12
		}
	default:
		p = gr.nearDeg(c, deg)
	}
	return p, aimed, true
}

// stepInto is a note a step from t that leads into it: a half step below
// or above, the chord scale's step below, or its fifth above (the
// dominant approach), inside the bass's register.
func (gr *groove) stepInto(c music.Chord, t int) int {
	sc, _ := gr.harmony(c)
	below := t - 2
	if has(sc, t-1) {
		below = t - 1
	}
	cands := []int{t - 1, t + 1, below, t + 7, t - 5}
	weights := []float64{0.3, 0.2, 0.3, 0.1, 0.1}
	total := 0.0
	for i, p := range cands {
		if p < lowest || p > highest || p == gr.last {
			weights[i] = 0
		}
		total += weights[i]
	}
	if total == 0 {
		return t - 1 + 2*btoi(t-1 < lowest)
	}
	return pickWeighted(gr.r, cands, weights, total, cands[0])
}

// tick places a position, swinging eighths in swing styles (band.Gig.Tick)
// and as the third triplet in compound meters.
func (gr *groove) tick(pb music.PlayedBar, pos float64) music.Ticks {
	if pb.Meter.Compound() {
		whole := float64(int(pos))
		if frac := pos - whole; frac == 0.5 {
			pos = whole + 2.0/3
		}
	}
	return gr.g.Tick(pb, band.Position(pos))
}

// place puts a root in the groove's register, near the last note.
func (gr *groove) place(pc int) int {
	ref := gr.last
	if ref == 0 {
		ref = (gr.lo + gr.hi) / 2
	}
	return near(pc, ref, gr.lo, gr.hi)
}

// nearDeg plays a chord degree above the chord's root (the way a
// bassist reaches for it in a boogie or a two-beat pattern), or below
// when above would leave the range or, with lowFifths, now and then.
func (gr *groove) nearDeg(c music.Chord, deg int) int {
	p := gr.root + mod12(degreePC(c, deg)-rootPC(c))
	if p > highest || (gr.lowFifths && deg == 5 && gr.r.IntN(3) == 0 && p-12 >= lowest) {
		p -= 12
	}
	return p
}

func newGroove(g *band.Gig, lo, hi int, cell func(l *line, pb music.PlayedBar, bar int) []hit) *groove {
	return &groove{line: newLine(g), lo: lo, hi: hi, cell: cell, upto: len(g.Bars), tiedTo: -1}
}

// halves splits a bar of n beats into the two (or one) notes of a
// two-beat feel: 2+2 in 4/4, 3+2 in 5/4, 3 in 3/4, one a dotted quarter
// each in 6/8.
func halves(n int) []int {
	switch {
	case n <= 1:
		return []int{n}
	case n == 2:
		return []int{1, 1}
	case n == 3:
		return []int{3}
	}
	return []int{(n + 1) / 2, n / 2}
}

// changeAhead reports whether the chord changes at tick t (the bass
// should approach it).
func changeAhead(g *band.Gig, t music.Ticks) bool {
	s := g.ChordAt(t)
	return s.Start == t
}

// TwoFeel hires a bassist who plays in two: half notes, the root on 1 and on 3 the
// fifth, the third, the octave or a note that approaches the next chord,
// every chord change on its own root wherever it falls (a change on 2 or
// 4 gets its quarter note). Now and then (bass.motion, more often into a
// change, so that the line moves where the harmony moves) a half note is
// split: a quarter-note pickup on its last beat that steps into the next
// note (a half step, a scale step or the dominant); below 120 bpm also a
// dotted quarter and an eighth, or a skip (a ghosted eighth before the
// next note). The second bar of a long chord varies the first rather than
// repeating it. From chorus bass.four-from-chorus on the line walks in
// four (Walking), approached from the last note in two. The first chorus
// of a standard and the ballad bass (Friedland, "Building Walking Bass
// Lines", ch. 2: "the two-beat feel"; Ron Carter, "Building Jazz Bass
// Lines", on the half-note line).
//
// Params: bass.motion (the share of half notes split, 0 to 1; 0.25),
// bass.four-from-chorus (the chorus from which the bass walks in four; 0,
// never).
func TwoFeel(g *band.Gig) band.Player {
	gr := newGroove(g, 31, 48, nil)
	gr.lowFifths = true
	t := &twoFeel{groove: gr, motion: max(0, min(1, param(g, "bass.motion", 0.25))), eighths: g.Tempo > 0 && g.Tempo < 120}
	gr.cell = t.bar
	if from := int(param(g, "bass.four-from-chorus", 0)); from > 0 {
		chorus := 0
		for k, pb := range g.Bars {
			chorus = max(chorus, pb.Chorus)
			if chorus >= from {
				t.fourFrom(k)
				break
			}
		}
	}
	return t
}

// twoFeel is a bassist in two who may go to four.
type twoFeel struct {
	*groove
	motion  float64
	eighths bool
	before  string // the last bar's chords and figure
	toRoot  bool   // the last bar ended stepping into its chord's root
	walk    *walker
}

// fourFrom hands the bars from k on to a walking line. Its first note is
// planned now, so that the last notes in two step into it; it walks a gig
// of its own (the bars from k), with a random stream of its own.
func (t *twoFeel) fourFrom(k int) {
	sub := *t.g
	sub.Bars = t.g.Bars[k:]
	t.walk = newWalker(&sub)
	t.upto = k
	t.finalAt = -1 // the walk plays the final chord
	if len(t.walk.bs) > 0 && t.walk.bs[0].bar == 0 {
		t.walk.step()
	}
	if ns := t.walk.notes; len(ns) > 0 && ns[0].Start == sub.Bars[0].Start {
		t.into = int(ns[0].Pitch)
	}
}

// Play plays the bars from to to, in two and then, from bar upto, in four.
func (t *twoFeel) Play(from, to int, _ []music.Note) []music.Note {
	return t.answer(from, to, t.playBar)
}

func (t *twoFeel) playBar(bar int) {
	if bar < t.upto || t.walk == nil {
		t.groove.playBar(bar)
		return
	}
	t.walk.playBar(bar - t.upto)
	t.notes = append(t.notes, t.walk.take()...)
}

// bar draws a bar in two, drawn again (up to three times) when its
// figure and chords would repeat the bar before.
func (t *twoFeel) bar(l *line, pb music.PlayedBar, bar int) []hit {
	var hs []hit
	var sig string
	for try := 0; try < 4; try++ {
		hs, sig = twoBar(t.groove, pb, bar, t.motion, t.eighths, t.toRoot)
		if sig != t.before {
			break
		}
	}
	t.before = sig
	t.toRoot = len(hs) > 0 && hs[len(hs)-1].deg == -2
	return hs
}

// twoBar draws one bar in two and its signature (chords and figure), to
// tell a repeat of the bar before.
func twoBar(gr *groove, pb music.PlayedBar, bar int, motion float64, eighths, toRoot bool) ([]hit, string) {
	g, r := gr.g, gr.r
	n := pb.Meter.Beats()
	bt := float64(pb.Meter.BeatTicks())
	// The bar's points: its halves and every change, a half that falls
	// within a beat of a change giving way to it.
	// (g.Chords is in order: the changes inside the bar follow the span
	// sounding at its start.)
	var changes []float64
	for i := sort.Search(len(g.Chords), func(i int) bool { return g.Chords[i].Start > pb.Start }); i < len(g.Chords) && g.Chords[i].Start < pb.End(); i++ {
		changes = append(changes, float64(g.Chords[i].Start-pb.Start)/bt)
	}
	pts := []float64{0}
	at := 0
	hv := halves(n)
	for _, h := range hv[:len(hv)-1] {
		at += h
		near := false
		for _, c := range changes {
			near = near || c > float64(at)-1 && c < float64(at)+1
		}
		if !near {
			pts = append(pts, float64(at))
		}
	}
	pts = append(pts, changes...)
	slices.Sort(pts)
	pts = slices.Compact(pts)
	isChange := func(x float64) bool {
		if x >= float64(n) {
			return changeAhead(g, pb.End()) && !g.ChordAt(pb.End()).Chord.NoChord
		}
		return slices.Contains(changes, x) || x == 0 && g.ChordAt(pb.Start).Start == pb.Start
	}
	// The degree each point starts with.
	degs := make([]int, len(pts))
	for i, x := range pts {
		end := float64(n)
		if i+1 < len(pts) {
			end = pts[i+1]
		}
		u := r.Float64()
		switch {
		case isChange(x) || x == 0 && toRoot:
			degs[i] = 1
		case x == 0: // a long chord's next bar: the root mostly, or its third or fifth
			degs[i] = [...]int{1, 1, 1, 1, 1, 1, 1, 3, 3, 5}[r.IntN(10)]
		case isChange(end) && u < 0.3:
			degs[i] = -4 // the half note itself leads to the change
		case u < 0.6:
			degs[i] = 5
		case u < 0.85:
			degs[i] = 3
		default:
			degs[i] = 8
		}
	}
	var hs []hit
	var sig strings.Builder
	last := bar == gr.upto-1 && gr.into != 0
	for i, x := range pts {
		end := float64(n)
		if i+1 < len(pts) {
			end = pts[i+1]
		}
		fmt.Fprintf(&sig, "%s@%g:", g.ChordAt(pb.Start+music.Ticks(x*bt)).Chord.Symbol, x)
		exact := x != float64(int(x))
		deg, span := degs[i], end-x
		vel := 80
		if x == 0 {
			vel = 84
		}
		// Where the figure's last note leads: into the next point's note.
		into := 5 // a plain pickup when the next note is a third
		nextDeg := 1
		if i+1 < len(degs) {
			nextDeg = degs[i+1]
		}
		switch {
		case i+1 == len(pts) && last:
			into = -3
		case isChange(end):
			into = -1
		case nextDeg == 1 || nextDeg == 8:
			into = -2
		case nextDeg == 5:
			into = -5
		}
		split := motion
		if isChange(end) {
			split = min(1, 1.6*motion)
		}
		if i+1 == len(pts) && last {
			split = 1
		}
		if exact || span < 2 || r.Float64() >= split {
			hs = append(hs, hit{at: x, length: span * 0.92, deg: deg, vel: vel, exact: exact})
			fmt.Fprintf(&sig, "%d/%g ", deg, span)
			continue
		}
		switch u := r.Float64(); {
		case eighths && u < 0.2:
			// A dotted quarter and an eighth that leads on.
			hs = append(hs, hit{at: x, length: span - 0.6, deg: deg, vel: vel}, hit{at: end - 0.5, length: 0.42, deg: into, vel: vel - 8})
			fmt.Fprintf(&sig, "%d/%g.%d ", deg, span, into)
		case eighths && u < 0.35 && into != -3:
			// A skip: the note, and a ghosted eighth of it before the next.
			hs = append(hs, hit{at: x, length: span - 0.6, deg: deg, vel: vel}, hit{at: end - 0.5, length: 0.3, deg: 0})
			fmt.Fprintf(&sig, "%d/%g~ ", deg, span)
		default:
			// A quarter-note pickup on the half note's last beat (the
			// beat before a change that falls between beats).
			pick := math.Ceil(end) - 1
			hs = append(hs, hit{at: x, length: (pick - x) * 0.92, deg: deg, vel: vel}, hit{at: pick, length: (end - pick) * 0.92, deg: into, vel: vel - 6})
			fmt.Fprintf(&sig, "%d/%g-%d ", deg, span, into)
		}
	}
	return hs, sig.String()
}

// Waltz hires a bassist who plays the jazz waltz bass: a dotted half on the root most bars,
// "1 and 3" (root, then the fifth or an approach) in others, and a
// three-beat walk now and then; outside 3/4 it plays in two.
func Waltz(g *band.Gig) band.Player {
	gr := newGroove(g, 31, 48, nil)
	gr.cell = func(l *line, pb music.PlayedBar, bar int) []hit {
		n := pb.Meter.Beats()
		if n != 3 {
			var hs []hit
			at := 0
			for i, h := range halves(n) {
				deg := 1
				if i > 0 {
					deg = 5
				}
				hs = append(hs, hit{at: float64(at), length: float64(h) * 0.92, deg: deg, vel: 82})
				at += h
			}
			return hs
		}
		change := changeAhead(g, pb.End())
		switch x := l.r.IntN(10); {
		case x < 5 && !change:
			return []hit{{at: 0, length: 2.8, deg: 1, vel: 84}}
		case x < 8:
			last := 5
			if change {
				last = -1
			}
			return []hit{{at: 0, length: 1.85, deg: 1, vel: 84}, {at: 2, length: 0.9, deg: last, vel: 78}}
		default:
			last := 5
			if change {
				last = -1
			}
			return []hit{{at: 0, length: 0.9, deg: 1, vel: 84}, {at: 1, length: 0.9, deg: 3, vel: 76}, {at: 2, length: 0.9, deg: last, vel: 78}}
		}
	}
	return gr
}

// Bossa hires a bassist who plays the bossa nova bass: the root on 1 and the fifth on 3,
// each a dotted quarter followed by an eighth on "the and of 2" and "the
// and of 4" that repeats it or anticipates the next chord, tied over the
// change (the surdo-derived pattern of Gilberto's records; Faria, "The
// Brazilian Guitar Book").
func Bossa(g *band.Gig) band.Player {
	gr := newGroove(g, 31, 47, nil)
	gr.lowFifths = true
	gr.cell = func(l *line, pb music.PlayedBar, bar int) []hit {
		var hs []hit
		for b := 0; b+1 < pb.Meter.Beats()+1; b += 2 {
			deg := 1
			if (b/2)%2 == 1 {
				deg = 5
			}
			if b+1 >= pb.Meter.Beats() {
				hs = append(hs, hit{at: float64(b), length: 0.9, deg: deg, vel: 80})
				break
			}
			hs = append(hs,
				hit{at: float64(b), length: 1.4, deg: deg, vel: 82},
				hit{at: float64(b) + 1.5, length: 0.45, deg: 9, vel: 72, anticipate: true})
		}
		return hs
	}
	return gr
}

// Samba hires a bassist who plays the two-beat surdo bass: a short root on 1 with a
// sixteenth pickup, the fifth below, long and accented, on 2 (the
// marcação), per half bar; the last sixteenth anticipates a change.
func Samba(g *band.Gig) band.Player {
	gr := newGroove(g, 31, 47, nil)
	gr.lowFifths = true
	gr.cell = func(l *line, pb music.PlayedBar, bar int) []hit {
		var hs []hit
		n := pb.Meter.Beats()
		for b := 0; b < n; b += 2 {
			hs = append(hs, hit{at: float64(b), length: 0.6, deg: 1, vel: 80}, hit{at: float64(b) + 0.75, length: 0.2, deg: 9, vel: 66})
			if b+1 < n {
				hs = append(hs, hit{at: float64(b + 1), length: 0.6, deg: 5, vel: 92},
					hit{at: float64(b+1) + 0.75, length: 0.22, deg: 9, vel: 64, anticipate: true})
			}
		}
		return hs
	}
	return gr
}

// Tumbao hires a bassist who plays the Afro-Cuban bass: the "and of 2" and beat 4, the note
// on 4 anticipating the next bar's chord and tied over the bar line, so
// that the downbeat is left to the band (Mauleón, "Salsa Guidebook",
// ch. 7). The first bar of a chord that was not anticipated starts on 1.
func Tumbao(g *band.Gig) band.Player {
	gr := newGroove(g, 31, 50, nil)
	gr.cell = func(l *line, pb music.PlayedBar, bar int) []hit {
		n := pb.Meter.Beats()
		var hs []hit
		if bar == 0 || g.ChordAt(pb.Start).Start == pb.Start && g.ChordAt(pb.Start-1).Chord.NoChord {
			hs = append(hs, hit{at: 0, length: 1.4, deg: 1, vel: 84})
		}
		if n >= 4 {
			deg := 5
			if l.r.IntN(3) == 0 {
				deg = 8
			}
			hs = append(hs, hit{at: 1.5, length: 1.4, deg: deg, vel: 86, anticipate: true},
				hit{at: float64(n - 1), length: 1.2, deg: 1, vel: 88, anticipate: true})
		} else {
			hs = append(hs, hit{at: float64(n) - 0.5, length: 0.9, deg: 1, vel: 86, anticipate: true})
		}
		return hs
	}
	return gr
}

// Pop hires a bassist who plays even eighths: the root, with the fifth and the octave for
// motion, and a passing tone on the last eighth before a change.
func Pop(g *band.Gig) band.Player {
	p := &popBass{}
	return newGroove(g, 28, 45, p.bar)
}

// popFigures are the two-bar figures of the pop bass, degree per eighth.
var popFigures = [][]int{
	{1, 1, 1, 1, 1, 1, 1, 1},
	{1, 1, 1, 1, 5, 5, 8, 5},
	{1, 1, 8, 1, 1, 1, 5, 1},
	{1, 1, 1, 5, 1, 1, 8, 8},
}

// popBass keeps the figure it plays for two bars.
type popBass struct{ fig []int }

func (p *popBass) bar(l *line, pb music.PlayedBar, bar int) []hit {
	if bar%2 == 0 {
		p.fig = popFigures[l.r.IntN(len(popFigures))]
	}
	var hs []hit
	for i := 0; i < 2*pb.Meter.Beats(); i++ {
		deg := p.fig[i%len(p.fig)]
		vel := 80
		if i%2 == 0 {
			vel = 86
		}
		if i == 2*pb.Meter.Beats()-1 && changeAhead(l.g, pb.End()) && l.r.IntN(2) == 0 {
			deg = -1
		}
		hs = append(hs, hit{at: float64(i) / 2, length: 0.42, deg: deg, vel: vel})
	}
	return hs
}

// Rock hires a bassist who drives straight root eighths, accented on the beat, with an
// approach now and then on the last eighth before a change.
func Rock(g *band.Gig) band.Player {
	gr := newGroove(g, 28, 43, nil)
	gr.cell = func(l *line, pb music.PlayedBar, bar int) []hit {
		var hs []hit
		for i := 0; i < 2*pb.Meter.Beats(); i++ {
			vel := 84
			if i%2 == 0 {
				vel = 92
			}
			deg := 1
			if i == 2*pb.Meter.Beats()-1 && changeAhead(g, pb.End()) && l.r.IntN(4) == 0 {
				deg = -1
			}
			hs = append(hs, hit{at: float64(i) / 2, length: 0.45, deg: deg, vel: vel})
		}
		return hs
	}
	return gr
}

// funkBeats are one-beat sixteenth cells: degree per sixteenth, -9 for
// a rest. Octave pops (8) fall on the off-sixteenths after the backbeat,
// ghost notes (0) fill between, as in the Rocco Prestia and Larry Graham
// lines transcribed in "The Bass Grooves of Tower of Power".
var funkBeats = map[string][][4]int{
	"one":   {{1, -9, -9, 1}, {1, -9, 0, 1}, {1, -9, -9, -9}, {1, 0, -9, 1}},
	"two":   {{-9, 8, -9, 0}, {-9, -9, 8, -9}, {0, -9, 8, -9}, {-9, 0, 1, -9}},
	"three": {{-9, -9, 1, -9}, {5, -9, 0, 7}, {-9, 1, -9, 1}, {1, -9, 7, -9}},
	"four":  {{-9, 8, -9, 5}, {0, -9, 8, -9}, {-9, 5, 7, -9}, {8, -9, 0, 5}},
}

// Funk hires a bassist who plays a syncopated sixteenth-note groove, chosen per two bars and
// kept (a funk line repeats), with the root on 1, octave pops, ghost
// notes at low velocity, and the last sixteenth anticipating a change.
func Funk(g *band.Gig) band.Player {
	f := &funkBass{}
	return newGroove(g, 28, 43, f.bar)
}

// funkBass keeps the cells it plays for two bars: one per beat of four.
type funkBass struct{ cells [4][4]int }

func (f *funkBass) bar(l *line, pb music.PlayedBar, bi int) []hit {
	if bi%2 == 0 {
		for i, n := range [4]string{"one", "two", "three", "four"} {
			cs := funkBeats[n]
			f.cells[i] = cs[l.r.IntN(len(cs))]
		}
	}
	var hs []hit
	n := pb.Meter.Beats()
	for b := 0; b < n; b++ {
		cell := f.cells[b%4]
		for s, deg := range cell {
			if deg == -9 {
				continue
			}
			vel := 90
			switch {
			case deg == 8:
				vel = 100
			case s == 0:
				vel = 96
			}
			length := 0.22
			if s+1 < 4 && cell[s+1] == -9 {
				length = 0.45
			}
			hs = append(hs, hit{at: float64(b) + float64(s)/4, length: length, deg: deg, vel: vel, anticipate: b == n-1 && s == 3})
		}
	}
	return hs
}

// Shuffle hires a bassist who plays the boogie bass of a blues shuffle: two swung eighths a
// beat on root, third, fifth, sixth, flat seventh and down again (the
// boogie-woogie left hand of Pete Johnson and Albert Ammons, and of
// Willie Dixon's bass), restarting on each chord; a minor chord takes
// its minor third.
func Shuffle(g *band.Gig) band.Player {
	sh := &shuffleBass{chord: -1}
	return newGroove(g, 28, 45, sh.bar)
}

// boogie is the shuffle's walk up and down a chord, degree per beat.
var boogie = []int{1, 3, 5, 6, 7, 6, 5, 3}

// shuffleBass keeps where it is in the boogie and the chord it started
// it on.
type shuffleBass struct {
	pos   int
	chord music.Ticks
}

func (sh *shuffleBass) bar(l *line, pb music.PlayedBar, bar int) []hit {
	var hs []hit
	for b := 0; b < pb.Meter.Beats(); b++ {
		at := pb.Start + music.Ticks(b)*pb.Meter.BeatTicks()
		if s := l.g.ChordAt(at); s.Start != sh.chord {
			sh.chord, sh.pos = s.Start, 0
		}
		deg := boogie[sh.pos%len(boogie)]
		sh.pos++
		hs = append(hs, hit{at: float64(b), length: 0.6, deg: deg, vel: 88}, hit{at: float64(b) + 0.5, length: 0.3, deg: 9, vel: 74})
	}
	return hs
}
