package bass

import (
	"math"
	"math/rand/v2"

	"sideman/band"
	"sideman/music"
)

// Approach kinds: how the last note before a chord change leads into the
// next chord's first note (Friedland, "Building Walking Bass Lines",
// ch. 3-5: chromatic approach from below and above, scale approach,
// dominant approach).
const (
	approachChromaticBelow = iota
	approachChromaticAbove
	approachScale
	approachDominant
	// approachLeap comes from a chord tone of the current chord a third
	// or more away: what bassists play when the line is elsewhere.
	approachLeap
)

// approachWeights are the shares of the approach kinds. Tuned on the
// tuning half of the Weimar Jazz Database's walking lines
// (TestAgainstHumanBassists): a step of the scale most, then, about
// equally, a half step (from either side), the dominant and a leap from a
// chord tone.
var approachWeights = [5]float64{0.10, 0.11, 0.36, 0.21, 0.22}

// Walking hires a walking bassist for the gig. It plays a walking bass
// line in the meter's beats: mostly a chord tone on a chord's first beat
// (the root mostly, the slash bass where written), now and then a colour
// there that resolves, scale and chord tones in between, moving by step
// more than by leap, passing through the bar line inside a long chord,
// and an approach note into every change. Occasionally a beat is split by
// a swung-triplet skip, a ghosted note before the next beat.
//
// Now and then the walk is a figure: a scale run, 1-2-3-5 or an
// arpeggio, three notes from a chord's first beat or a bar line.
//
// Params: bass.root-share (the share of chord starts on the root, 0.7),
// bass.colour (the share of chord starts coloured, 0.2), bass.runs (the
// share of chord starts and bar lines that begin a figure, 0.35),
// bass.skips (the share of beats with a skip, 0.06).
func Walking(g *band.Gig) band.Player { return newWalker(g) }

// walker is a walking bassist at work. It walks the gig's beats one at a
// time: when a chord starts it plans the chord's first note, the next
// chord's (looking ahead in the form) and the approach into it, then
// walks the beats between toward that approach, and plays each beat as
// soon as its note is chosen. So the line, and the order it draws its
// random numbers in, are the same however the band asks for the bars.
type walker struct {
	*line
	rootShare, skips, colours, runs float64
	fb                              int // the final bar, when final
	final                           bool

	bs      []beat
	pitches []int // the line beat by beat: 0 for a rest or a beat to come
	k       int   // the next beat to walk

	// goal is the register the line drifts to, changing every few bars,
	// so that choruses go to different places on the neck.
	goal    int
	target  int // the planned pitch of the next chord's first beat
	resolve int // where the next chord's coloured first beat goes
	mood    mood
	ch      chordWalk
	// touch is the stream how each note is played draws from (its
	// velocity, a skip), apart from the line's: the line's choices come
	// from the bass stream in the order they always did, and a change
	// in how the notes are played does not change the notes.
	touch *rand.Rand
}

// chordWalk is the chord being walked: its beats, what was planned for
// it when it started, and the figure under way.
type chordWalk struct {
	first, last int // its first beat and its last (the approach beat)
	c           music.Chord
	sc, ct      uint16
	next        *music.Chord // the chord after it; nil before N.C. or the end
	res         int          // where a coloured first beat resolves (0: walk on)
	// run is the figure being played, dir its direction, from the beat
	// before its first note.
	run, dir, from int
}

func newWalker(g *band.Gig) *walker {
	w := &walker{
		line:      newLine(g),
		rootShare: param(g, "bass.root-share", 0.7),
		skips:     param(g, "bass.skips", 0.06),
		colours:   param(g, "bass.colour", 0.2),
		runs:      param(g, "bass.runs", 0.35),
		goal:      home + 2,
	}
	w.fb, w.final = finalBar(g)
	if g.Tempo > 220 {
		w.skips /= 3 // there is no room for a skip at a fast tempo
	}
	// Seeded from a copy of the bass stream, so that the line's own
	// stream is drawn from as it would be without it.
	t := g.Rand("bass")
	w.touch = rand.New(rand.NewPCG(t.Uint64(), t.Uint64()))
	w.bs = beats(g)
	w.pitches = make([]int, len(w.bs))
	w.mood = w.newMood()
	return w
}

// Play walks the bars from to to. What the band heard does not change
// the line (see the package doc).
func (w *walker) Play(from, to int, _ []music.Note) []music.Note {
	return w.answer(from, to, w.playBar)
}

// playBar walks one bar's beats. The last bar, when it holds one chord,
// is the final chord: its bass note on 1 in the low octave, held, as a
// band ends a tune.
func (w *walker) playBar(bar int) {
	if w.final && bar == w.fb {
		w.finalChord(w.g.Bars[bar])
		return
	}
	for w.k < len(w.bs) && w.bs[w.k].bar == bar {
		w.step()
	}
}

// step walks the next beat and plays it.
func (w *walker) step() {
	k := w.k
	w.k++
	b := w.bs[k]
	switch {
	case b.span.Chord.NoChord:
		w.target = 0 // a rest; after it the line lands afresh
		return
	case k == 0 || w.bs[k-1].span.Start != b.span.Start:
		w.startChord(k)
	case k == w.ch.last && w.ch.next != nil && w.pitches[k] != 0:
		w.checkApproach()
	default:
		w.pitches[k] = w.walkBeat(k)
		if k == w.ch.last && w.ch.next != nil {
			w.checkApproach()
		}
	}
	w.sound(k)
}

// startChord plans a chord on its first beat k: now and then a new goal
// register and, every four bars, a new mood; the chord's first note (the
// one planned when the chord before started, or a landing); the next
// chord's first note (now and then a colour, not into the final chord);
// and the approach into it on the chord's last beat.
func (w *walker) startChord(k int) {
	bs := w.bs
	b := bs[k]
	e := k + 1
	for e < len(bs) && bs[e].span.Start == b.span.Start {
		e++
	}
	if w.g.Bars[b.bar].Meter.Beats() > 0 && b.index == 0 && w.r.IntN(4) == 0 {
		w.goal = 36 + w.r.IntN(11)
	}
	if b.index == 0 && b.bar%4 == 0 {
		w.mood = w.newMood()
	}
	c := b.span.Chord
	sc, ct := w.harmony(c)
	cur := w.target
	if cur == 0 {
		cur = w.landing(c, w.pitches, k, w.goal, w.rootShare, e-k)
	}
	w.pitches[k] = cur
	var next *music.Chord
	if e < len(bs) && !bs[e].span.Chord.NoChord {
		next = &bs[e].span.Chord
	}
	w.ch = chordWalk{first: k, last: e - 1, c: c, sc: sc, ct: ct, next: next, res: w.resolve}
	w.target, w.resolve = 0, 0
	if next == nil {
		return
	}
	// The next chord's length, and the chord after it.
	ne := e + 1
	for ne < len(bs) && bs[ne].span.Start == bs[e].span.Start {
		ne++
	}
	var after *music.Chord
	if ne < len(bs) && !bs[ne].span.Chord.NoChord {
		after = &bs[ne].span.Chord
	}
	w.target = w.landingFrom(*next, cur, w.goal, w.rootShare, e-k)
	if !(w.final && bs[e].bar >= w.fb) && w.r.Float64() < w.colours {
		w.target, w.resolve = w.colour(*next, after, cur, w.target, ne-e)
	}
	if e-k >= 2 {
		w.pitches[e-1] = w.approach(c, sc, ct, *next, cur, w.target)
	}
}

// walkBeat chooses the note of beat j inside the chord: the next note of
// a figure, the resolution of a coloured first beat, or a step of the
// walk toward the approach (toward the goal register when there is
// none).
func (w *walker) walkBeat(j int) int {
	ch, ps := &w.ch, w.pitches
	last := ch.last
	w.startFigure(j)
	if ch.run != runNone && j-ch.from > 3 {
		ch.run = runNone
	}
	if ch.run != runNone && !(j == ch.first+1 && ch.res != 0) {
		if p := w.figure(ch.run, j-ch.from, ch.sc, ch.ct, ps[j-1], &ch.dir); p != 0 && (ps[last] == 0 || abs(ps[last]-p) <= 3*(last-j)+2) {
			return p
		}
		ch.run = runNone
	}
	if j == ch.first+1 && ch.res != 0 {
		return ch.res // the coloured first beat resolves
	}
	aim, left := ps[last], last-j
	if aim == 0 {
		aim, left = w.goal, 4
	}
	prev2 := 0
	if j >= 2 {
		prev2 = ps[j-2]
	}
	return w.walkStep(w.mood, ch.c, ch.sc, ch.ct, prev2, ps[j-1], aim, left, w.bs[j].index == 0, w.bs[j].index%2 == 0)
}

// startFigure now and then starts a figure of three notes after a
// chord's first beat or from a bar line: a scale run (half the figures),
// an arpeggio, or up the scale to the third and on to the fifth
// (1-2-3-5), in the direction of the aim (turned around one time in
// four).
func (w *walker) startFigure(j int) {
	ch, ps := &w.ch, w.pitches
	last := ch.last
	if !(j == ch.first+1 || w.bs[j].index == 0) || last-j < 2 || w.r.Float64() >= w.runs {
		return
	}
	ch.run, ch.from = runScale, j-1
	if x := w.r.IntN(10); x >= 8 {
		ch.run = runArpeggio
	} else if x >= 5 {
		ch.run = runOneTwoThreeFive
	}
	ch.dir = 1
	if aim := ps[last]; aim != 0 && aim < ps[j-1] || aim == 0 && w.goal < ps[j-1] {
		ch.dir = -1
	}
	if w.r.IntN(4) == 0 {
		ch.dir = -ch.dir
	}
}

// checkApproach keeps the approach, chosen when the chord started, unless
// the walk ended far from it or it would make the last three notes a
// trill (G, F#, G, F#, A): then the approach nearest the walk's last note
// is taken instead.
func (w *walker) checkApproach() {
	ch, ps := &w.ch, w.pitches
	last := ch.last
	if last <= ch.first+1 {
		return
	}
	trill := last >= 2 && ps[last] == ps[last-2] && ps[last] != ps[last-1]
	if abs(ps[last]-ps[last-1]) > 5 || trill {
		avoid := 0
		if last >= 2 {
			avoid = ps[last-2]
		}
		ps[last] = w.nearestApproach(ch.sc, ch.ct, *ch.next, ps[last-1], w.target, avoid)
	}
}

// sound plays beat k's note: a legato quarter, a little louder on 2 and
// 4 (the bass and the hi-hat agree there; the accents on 1 and 3 stay
// light, as in a swing feel), louder on a new section's first beat,
// softer on an approach; now and then a skip, when a note follows.
func (w *walker) sound(k int) {
	b, p := w.bs[k], w.pitches[k]
	if p == 0 {
		return
	}
	bars := w.g.Bars
	vel := 78 + w.touchJitter(5)
	if b.index%2 == 1 {
		vel += 5
	}
	if b.index == 0 && bars[b.bar].Bar.Section != "" && (b.bar == 0 || bars[b.bar-1].Bar.Section != bars[b.bar].Bar.Section) {
		vel += 6 // a new section: the bass marks it
	}
	if k == w.ch.last && k > w.ch.first && w.ch.next != nil {
		vel -= 3
	}
	vel = clamp(vel, minVelocity, maxVelocity)
	if w.sounds(k+1) && b.index != 0 && w.touch.Float64() < w.skips {
		// A skip: the beat as a swung quarter-triplet and a ghosted
		// eighth-triplet of the same note before the next beat.
		third := b.len / 3
		w.add(b.at, 2*third-third/6, p, vel)
		w.add(b.at+2*third, third*4/5, p, ghost+w.touchJitter(4))
		return
	}
	w.add(b.at, b.len*9/10, p, vel)
}

// touchJitter is line.jitter from the touch stream.
func (w *walker) touchJitter(n int) int { return w.touch.IntN(2*n+1) - n }

// sounds tells whether beat k will have a note: inside the gig, under a
// chord, before the final chord. (Every beat the walk reaches gets one.)
func (w *walker) sounds(k int) bool {
	return k < len(w.bs) && !w.bs[k].span.Chord.NoChord && !(w.final && w.bs[k].bar == w.fb)
}

// landing picks the first note of a chord after prev: the slash bass when
// written, else the root, or now and then (more often on long chords) the
// third or fifth, in the octave nearest prev and the goal register.
func (l *line) landing(c music.Chord, pitches []int, k, goal int, rootShare float64, length int) int {
	prev := 0
	if k > 0 {
		prev = pitches[k-1]
	}
	return l.landingFrom(c, prev, goal, rootShare, length)
}

func (l *line) landingFrom(c music.Chord, prev, goal int, rootShare float64, length int) int {
	pc := bassPC(c)
	if !c.HasBass && l.r.Float64() > rootShare {
		if l.r.IntN(4) == 0 {
			pc = degreePC(c, 3)
		} else {
			pc = degreePC(c, 5)
		}
	}
	if prev == 0 {
		return near(pc, goal, lowest, 49)
	}
	// The octave that is close to where the hand is, pulled toward the
	// goal; never a jump of more than a sixth into a chord.
	best, bestCost := 0, 1e9
	for p := lowest + 1; p <= walkTop; p++ {
		if mod12(p) != pc {
			continue
		}
		cost := float64(abs(p-prev)) + 0.5*float64(abs(p-goal))
		if abs(p-prev) > 9 {
			cost += 10
		}
		if p == prev {
			cost += 4
		}
		cost += l.r.Float64() * 2
		if cost < bestCost {
			best, bestCost = p, cost
		}
	}
	return best
}

// approach is the note on the beat before a change that leads into the
// target: a half step below or above it, the next step of the current
// chord's scale, or its dominant (the fifth above, or the fourth below).
func (l *line) approach(c music.Chord, sc, ct uint16, next music.Chord, from, target int) int {
	cands := approaches(sc, ct, next, from, target)
	var w [5]float64
	total := 0.0
	for i, p := range cands {
		if p < lowest || p > highest || p == 0 || p == from {
			continue
		}
		w[i] = approachWeights[i]
		if abs(p-from) > 7 {
			w[i] /= 4 // a big leap into the approach note sounds lost
		}
		w[i] *= weakWeight(c, p, has(ct, p))
		total += w[i]
	}
	if total == 0 {
		return target - 1 + 2*btoi(target-1 < lowest)
	}
	return pickWeighted(l.r, cands[:], w[:], total, cands[approachScale])
}

// walkTop is the highest note the walk lands on or passes through, E3
// (highest, G3, is left to colours and the grooves).
const walkTop = 52

// Figures a walk may play inside a chord.
const (
	runNone = iota
	runScale
	runArpeggio
	runOneTwoThreeFive
)

// figure is the next note of a figure from prev in direction dir (turned
// around at the edges of the walking register); i is the beat of the
// chord, from 0; 0 when there is none.
func (l *line) figure(run, i int, sc, ct uint16, prev int, dir *int) int {
	mask, reach := sc, 2
	switch {
	case run == runArpeggio, run == runOneTwoThreeFive && i >= 3:
		mask, reach = ct, 5
	}
	// A scale run takes a chromatic step now and then (D, Db, C).
	if run == runScale && l.r.IntN(10) < 3 && prev+*dir > lowest && prev+*dir <= walkTop && !has(sc, prev+*dir) {
		return prev + *dir
	}
	for try := 0; try < 2; try++ {
		for d := 1; d <= reach; d++ {
			p := prev + *dir*d
			if p <= lowest || p > walkTop {
				break
			}
			if has(mask, p) {
				return p
			}
		}
		*dir = -*dir
	}
	return 0
}

// mood is how the walk plays for a phrase of four bars: how chromatic
// and how far it leaps (factors on the weights). Bassists' lines change
// from phrase to phrase, scale runs here, leaps there, chromatic lines
// elsewhere: the Weimar lines' two-bar measures of intervals and
// chromatic notes spread wider than one setting everywhere gives
// (docs/band.md).
type mood struct {
	chromatic, leaps float64
}

func (l *line) newMood() mood {
	return mood{chromatic: 0.3 + 0.6*l.r.Float64(), leaps: 0.6 + 1.2*l.r.Float64()}
}

// downbeatPassing weighs a passing note on a bar's first beat inside a
// chord against a chord tone there: the Weimar bassists play a chord tone
// on about four first beats in five, passing through the bar line the
// rest of the time.
const downbeatPassing = 0.5

// beat3Weight weighs a note on beat 3 inside a chord by its degree: the
// Weimar bassists' walks come back to the root or go to the third there
// more than to the fifth, which a scale walk from the root reaches on
// beat 4 (the shares of the tuning half against ours, by degree).
func beat3Weight(c music.Chord, p int, isCT bool) float64 {
	switch pc := mod12(p); {
	case !isCT:
		return 0.85
	case pc == rootPC(c):
		return 1.4
	case pc == degreePC(c, 3):
		return 1.7
	case pc == degreePC(c, 5):
		return 0.5
	case pc == degreePC(c, 7):
		return 0.7
	}
	return 1
}

// weakWeight weighs a note on beat 2 or 4 by its degree: the Weimar
// bassists play the root and fifth there more than our walk did, the
// third less, and the seventh half as often (the shares of the tuning
// half against ours).
func weakWeight(c music.Chord, p int, isCT bool) float64 {
	switch pc := mod12(p); {
	case !isCT:
		return 1
	case pc == rootPC(c):
		return 1.25
	case pc == degreePC(c, 3):
		return 0.7
	case pc == degreePC(c, 5):
		return 1.15
	case pc == degreePC(c, 7):
		return 0.5
	}
	return 1
}

// colour plans a chord's first beat off its chord tones, as bassists do
// now and then (about one chord in seven, bass.colour): over a dominant
// the root of its tritone substitute, or the flat ninth above the root
// falling to it; over a minor seventh chord that leads to a dominant a
// fourth up (a II-V), the dominant's root early; else a scale tone (or a
// half step above a chord tone) that resolves by step to the chord tone
// beside it on the next beat. resolve is that next note (0 to walk on);
// beats is the chord's length. When no colour fits, the target stays.
func (l *line) colour(c music.Chord, after *music.Chord, from, target, beats int) (pitch, resolve int) {
	if c.HasBass || beats < 2 {
		return target, 0
	}
	sc, ct := l.harmony(c)
	root := target + mod12(rootPC(c)-mod12(target))
	if root-target > 6 {
		root -= 12
	}
	ok := func(p int) bool { return p > lowest && p < highest && p != from && abs(p-from) <= 9 }
	x := l.r.Float64()
	switch {
	case c.Third == 4 && c.Seventh == 10 && x < 0.35:
		for _, p := range []int{root - 6, root + 6} {
			if ok(p) && (abs(p-from) <= abs(root-from) || !ok(root-6) || !ok(root+6)) {
				return p, 0
			}
		}
	case c.Third == 4 && c.Seventh == 10 && x < 0.6 && beats >= 3:
		if ok(root+1) && ok(root) {
			return root + 1, root
		}
	case c.Third == 3 && after != nil && after.Third == 4 && after.Seventh == 10 &&
		mod12(rootPC(*after)-rootPC(c)) == 5 && x < 0.5:
		for _, p := range []int{root + 5, root - 7} {
			if ok(p) {
				return p, 0
			}
		}
	}
	if beats < 3 {
		return target, 0
	}
	var cands [][2]int
	for d := -3; d <= 3; d++ {
		p := target + d
		if has(ct, p) || !ok(p) {
			continue
		}
		// It resolves to a chord tone a step away, downward first.
		res := 0
		for _, r := range []int{p - 1, p - 2, p + 1, p + 2} {
			if has(ct, r) && ok(r) {
				res = r
				break
			}
		}
		if res == 0 || !has(sc, p) && !(res == p-1) {
			continue // a chromatic colour leans on the chord tone below it
		}
		cands = append(cands, [2]int{p, res})
	}
	if len(cands) == 0 {
		return target, 0
	}
	pick := cands[l.r.IntN(len(cands))]
	return pick[0], pick[1]
}

// approaches are the candidate approach notes by kind (0 where none).
func approaches(sc, ct uint16, next music.Chord, from, target int) [5]int {
	cands := [5]int{target - 1, target + 1, 0, 0, 0}
	// A chord tone a third to a sixth from the target, nearest from.
	for d := 3; d <= 9 && cands[approachLeap] == 0; d++ {
		for _, p := range []int{target - d, target + d} {
			if has(ct, p) && mod12(p-target) != 7 && p != from && cands[approachLeap] == 0 {
				cands[approachLeap] = p
			}
		}
	}
	// The scale step nearest the target on the side we come from.
	dir := 1
	if from > target {
		dir = -1
	}
	for d := 1; d <= 2; d++ {
		if p := target - dir*d; has(sc, p) {
			cands[approachScale] = p
			break
		}
	}
	// The dominant approach leads to a root; into a third it is a
	// fourth that means nothing.
	if mod12(target) == bassPC(next) {
		if target+7 <= highest && abs(target+7-from) <= abs(target-5-from) || target-5 < lowest {
			cands[approachDominant] = target + 7
		} else {
			cands[approachDominant] = target - 5
		}
	}
	for i, p := range cands {
		if p < lowest || p > highest {
			cands[i] = 0
		}
	}
	return cands
}

// nearestApproach is the approach note closest to from, other than avoid.
func (l *line) nearestApproach(sc, ct uint16, next music.Chord, from, target, avoid int) int {
	best := 0
	cands := approaches(sc, ct, next, from, target)
	for _, p := range cands[:approachLeap] {
		if p != 0 && p != from && p != avoid && (best == 0 || abs(p-from) < abs(best-from)) {
			best = p
		}
	}
	if best == 0 {
		return target - 1
	}
	return best
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// intervalPrior is how likely a walking line moves by each interval, in
// semitones either way (index 12 for an octave and beyond): the shape of
// the interval histogram of the tuning half of the Weimar Jazz Database's
// walking lines (TestAgainstHumanBassists), where half steps and whole
// steps make half the moves, and fourths, fifths and octaves much of the
// rest.
var intervalPrior = [13]float64{0.16, 0.27, 0.17, 0.045, 0.02, 0.055, 0.045, 0.10, 0.055, 0.055, 0.055, 0.055, 0.06}

// walkStep chooses the next note of the walk from prev toward aim, which
// is left beats away: each candidate is weighted by how often bassists
// move by its interval, more on chord tones on strong beats, less where
// it would trill back or leave the aim out of reach; only chord tones on
// a bar's first beat. The choice samples those weights (the Gumbel-max
// trick), so that choruses differ.
func (l *line) walkStep(m mood, c music.Chord, sc, ct uint16, prev2, prev, aim, left int, downbeat, strong bool) int {
	// Weights multiply (a product of likelihoods); the draw takes the
	// largest weight over an exponential variate, which picks each
	// candidate with probability proportional to its weight (the
	// exponential-race form of the Gumbel-max trick) without logarithms.
	best, bestKey := 0, -1.0
	// A chromatic passing note goes on by step the way it came (F, F#,
	// G), or it is a wrong note rather than a passing one.
	passing := 0
	if !has(sc, prev) && prev2 != 0 && abs(prev-prev2) == 1 {
		passing = prev - prev2
	}
	for p := max(lowest, prev-12); p <= min(highest, prev+12); p++ {
		isCT, inScale := has(ct, p), has(sc, p)
		d := abs(p - prev)
		if passing != 0 && p != prev+passing && p != prev+2*passing {
			continue
		}
		if !inScale && d != 1 {
			continue // chromatic passing notes only by half step
		}
		if d == 0 && prev2 == prev {
			continue // a note struck a third time running stalls the walk
		}
		w := intervalPrior[min(d, 12)]
		if downbeat && !isCT {
			w *= downbeatPassing // a bar's first beat is mostly a chord tone
		}
		if strong && !inScale {
			w *= 0.5
		}
		if d > 2 && !isCT {
			w *= 0.6 // leaps go to chord tones more than to others
		}
		if !inScale {
			w *= m.chromatic
		}
		if d >= 3 {
			w *= m.leaps
		}
		if strong && !downbeat {
			w *= beat3Weight(c, p, isCT)
		}
		if downbeat && isCT {
			switch mod12(p) {
			case degreePC(c, 3):
				w *= 0.6 // bassists pass through 1 on the root and fifth more
			case degreePC(c, 7):
				w *= 0.5
			}
		}
		if !strong {
			w *= weakWeight(c, p, isCT)
		}
		if p == prev2 && d != 0 {
			w *= 0.14 // back and forth sounds like a trill
		}
		if prev2 != 0 && (p-prev)*(prev-prev2) > 0 {
			w *= 2 // a line keeps its direction
		}
		if gap := abs(aim - p); gap > 3*left+2 {
			w *= math.Pow(0.45, float64(gap-3*left-2)) // the aim must stay in reach
		} else if left == 1 && gap == 0 {
			w *= 0.05 // the approach would repeat this note
		}
		if p < 33 || p > walkTop {
			w *= 0.37
		}
		if key := w / l.r.ExpFloat64(); key > bestKey {
			best, bestKey = p, key
		}
	}
	if best == 0 && passing != 0 {
		return l.walkStep(m, c, sc, ct, 0, prev, aim, left, downbeat, strong)
	}
	if best == 0 {
		return prev
	}
	return best
}
