package comp

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"sideman/band"
	"sideman/music"
)

// Hire adds the pianists and guitarists to a lineup, under the names
// styles use, with the checkers of their parameters.
func Hire(l *band.Lineup) {
	for name, v := range vocabularies {
		l.Add("piano", name, hire("piano", v))
	}
	for name, v := range guitarVocabularies {
		l.Add("guitar", name, hire("guitar", v))
	}
	l.AddCheck("piano", checkCells("piano"))
	l.AddCheck("guitar", checkCells("guitar"))
}

// hire is the band.NewPlayer of a comper playing a role with a
// vocabulary.
func hire(role string, v vocabulary) band.NewPlayer {
	return func(g *band.Gig) band.Player { return newComper(g, role, v) }
}

// stroke is one comping stroke: a voicing struck at a time.
type stroke struct {
	bar   int // index into the gig's bars
	start music.Ticks
	dur   music.Ticks
	vel   int
	roll  bool
	trim  bool // released when the next stroke comes (not the bossa thumb)
	span  int  // index into the gig's chords
	keys  []int
}

// comper is a pianist or guitarist on one gig, a band.Player: it comps
// the bars it is asked for and keeps, between calls, where it is in the
// form, its hands (the last voicing, the second bar of a two-bar cell,
// the last cell), the cells it has played this chorus and its random
// stream, drawn bar after bar in the same order however the band asks.
//
// A comper writes a little ahead of the bars it hands out (two bars, more
// under a chord held longer): a held chord is lifted just before the next stroke, which may
// lie in the next bar, and the guard against a repeated two-bar window
// (guard) weighs a bar with the one after it. What it hands out is
// final; what it wrote ahead is its own plan, not the notes of a later
// call.
type comper struct {
	g     *band.Gig
	rnd   *rand.Rand // cells, voicings and touch, bar after bar
	v     vocabulary
	role  string
	kinds []Kind // from the style's "piano.voicings", else the vocabulary's
	// quartal is set when the style asks for quartal voicings on every
	// minor seventh chord.
	quartal bool
	cache   map[string][]Voicing
	// partner is the other comper in the band (the piano hears the
	// style's guitar): a stroke off the downbeat and the chord's first
	// beat is left out where the partner strikes, so the two play
	// different rhythms and meet on the changes and downbeats. The
	// partner is the guitarist's double, composing each bar from the
	// guitar's own seeded stream just before the piano composes it, the
	// way a partner who has played with that guitarist knows what comes.
	partner *comper
	// finalSpan is the performance's last chord: struck once, on its
	// first beat, and held to the end.
	finalSpan int

	// The hands, as they were after the last bar composed.
	prev []int
	cont []hit // the second bar of a two-bar cell, still to play
	last int   // the last cell chosen

	// made is the number of bars composed; strokes holds those of the
	// bars not yet handed out (and the bar before the next to compose),
	// in order of start. gone is the span of the last stroke let go.
	made    int
	strokes []stroke
	gone    int
	// held is the index in strokes of the last stroke that is lifted
	// when the next stroke comes (-1: none waiting for one).
	held int
	// chorus is the chorus of the bar composed last and played the
	// windows composed in it (composing tries another cell on a repeat).
	chorus int
	played map[string]map[uint64]bool
	// checked is the next window the guard looks at; guarded the
	// windows it has passed in its chorus; guardRnd its own stream, so
	// that a bar it revoices changes nothing the player composes after.
	checked  int
	guarded  map[string]map[uint64]bool
	guardRnd *rand.Rand
}

// newComper hires a comper for a gig on one role with a vocabulary; the
// style's "<role>.cells" replaces the vocabulary's rhythms and
// "<role>.voicings" its voicing kinds (rootless, shell, drop-2, quartal,
// close, power).
func newComper(g *band.Gig, role string, v vocabulary) *comper {
	v.cells = cellsOf(v)
	c := &comper{g: g, rnd: g.Rand(role), guardRnd: g.Rand(role + "/guard"), v: v, role: role, kinds: v.kinds,
		cache: map[string][]Voicing{}, last: -1, finalSpan: -1, gone: -1, held: -1, chorus: -1, played: map[string]map[uint64]bool{}}
	for i := len(g.Chords) - 1; i >= 0; i-- {
		if !g.Chords[i].Chord.NoChord {
			c.finalSpan = i
			break
		}
	}
	if role == "piano" && g.Style != nil {
		if gv, ok := guitarVocabularies[g.Style.Players["guitar"]]; ok {
			c.partner = newComper(g, "guitar", gv)
		}
	}
	if g.Style != nil {
		if s := g.Style.Param(role+".cells", ""); s != "" {
			if cells, err := parseCells(s, v.beats); err == nil && len(cells) > 0 {
				c.v.cells = cells
			}
		}
		if s := g.Style.Param(role+".voicings", ""); s != "" {
			var ks []Kind
			for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
				switch f {
				case "rootless":
					ks = append(ks, RootlessA, RootlessB)
				case "quartal":
					c.quartal = true
				default:
					for k, n := range kindNames {
						if n == f {
							ks = append(ks, Kind(k))
						}
					}
				}
			}
			if len(ks) > 0 {
				c.kinds = ks
			}
		}
	}
	return c
}

// Play comps bars [from, to) of the gig (band.Player). The band asks for
// the bars in order; bars before the last call's are forgotten.
//
// The comper does not yet change what it plays for what it hears: it
// has written its next bars by the time it hears the ones before them,
// and the one player it answers, the guitar beside the piano, it knows
// from the guitar's own stream (so the piano plays the same whether the
// guitar is muted or not, as every player's part is). heard is read by
// nothing here.
func (c *comper) Play(from, to int, _ []music.Note) []music.Note {
	to = min(to, len(c.g.Bars))
	for c.checked < to {
		if c.ready(c.checked) {
			c.guard(c.checked)
			c.checked++
		} else {
			c.compose()
		}
	}
	var out []music.Note
	for _, s := range c.strokes {
		if s.bar >= from && s.bar < to {
			out = s.notes(out)
		}
	}
	c.forget(to)
	return out
}

// compose writes the next bar. Within a chorus, a two-bar window that
// repeats one played before over the same changes is composed again, up
// to 16 times, with a fresh cell and fresh voicings.
func (c *comper) compose() {
	g := c.g
	bi, pb := c.made, c.g.Bars[c.made]
	if c.partner != nil {
		c.partner.forget(bi - 1) // its window needs the bar before
		c.partner.compose()
	}
	if pb.Chorus != c.chorus {
		c.chorus, c.played = pb.Chorus, map[string]map[uint64]bool{}
	}
	n, prev, cont, last := len(c.strokes), c.prev, c.cont, c.last
	for try := 0; ; try++ {
		c.strokes, c.prev, c.cont, c.last = c.strokes[:n], prev, cont, last
		if try > 0 {
			c.cont = nil // a fresh cell
		}
		c.bar(bi, pb, try)
		if bi == 0 || g.Bars[bi-1].Chorus != pb.Chorus || try >= 16 {
			break
		}
		key, sum, ok := c.window(bi-1, false)
		if !ok {
			break
		}
		if c.played[key] == nil {
			c.played[key] = map[uint64]bool{}
		}
		if !c.played[key][sum] {
			c.played[key][sum] = true
			break
		}
	}
	c.made++
	c.release(n)
}

// release lifts each held stroke from strokes[from:] on just before the
// next: a pianist lifts the hands to strike again. (Such strokes come in
// order of start, each bar's after the bar before's.)
func (c *comper) release(from int) {
	for i := from; i < len(c.strokes); i++ {
		if !c.strokes[i].trim {
			continue
		}
		if c.held >= 0 {
			s, next := &c.strokes[c.held], c.strokes[i].start
			if s.start+s.dur > next-15 {
				s.dur = max(next-15-s.start, 30)
			}
		}
		c.held = i
	}
}

// settled tells whether every stroke of the bars before bar b has its
// length: the one stroke still waiting for the next is lifted by nothing
// composed from now on, or belongs to bar b or later.
func (c *comper) settled(b int) bool {
	if c.held < 0 || c.made >= len(c.g.Bars) {
		return true
	}
	s := c.strokes[c.held]
	return s.bar >= b || c.g.Bars[c.made].Start >= s.start+s.dur+15
}

// ready tells whether the guard may look at window i (bars i and i+1):
// both bars settled, and composed a bar beyond, so that what the guard
// revoices is never a bar the composing still compares with.
func (c *comper) ready(i int) bool {
	return c.made >= min(i+3, len(c.g.Bars)) && c.settled(i+2)
}

// forget lets go of the strokes of the bars before b.
func (c *comper) forget(b int) {
	k := 0
	for k < len(c.strokes) && c.strokes[k].bar < b {
		k++
	}
	if k == 0 {
		return
	}
	c.gone = c.strokes[k-1].span
	c.held -= k
	if c.held < 0 {
		c.held = -1 // settled (bars are handed out settled)
	}
	c.strokes = slices.Delete(c.strokes, 0, k)
}

// strikes tells whether the comper strikes at t in bar bi.
func (c *comper) strikes(bi int, t music.Ticks) bool {
	for _, s := range c.strokes {
		if s.bar == bi && s.start == t {
			return true
		}
	}
	return false
}

// bar plays one bar: its rhythm, with a stroke for every chord that
// starts in it, each voiced from the one before.
func (c *comper) bar(bi int, pb music.PlayedBar, try int) {
	g, v := c.g, c.v
	var hits []hit
	final := bi == len(g.Bars)-1
	switch {
	case final:
		// The last bar: one chord, held to the end.
		hits, c.cont = []hit{{long: true}}, nil
	case c.cont != nil:
		hits, c.cont = c.cont, nil
	case c.rnd.Float64() < v.rest:
	default:
		i := c.rnd.IntN(len(v.cells))
		if i == c.last && len(v.cells) > 1 {
			i = (i + 1 + c.rnd.IntN(len(v.cells)-1)) % len(v.cells)
		}
		c.last = i
		cl := v.cells[i]
		for _, h := range cl.hits {
			if int(h.pos) < v.beats {
				hits = append(hits, h)
			}
		}
		next := bi + 1
		if cl.bars == 2 && next < len(g.Bars) && g.Bars[next].Meter == pb.Meter && g.Bars[next].Chorus == pb.Chorus {
			c.cont = []hit{}
			for _, h := range cl.hits {
				if int(h.pos) >= v.beats {
					h.pos -= band.Position(v.beats)
					c.cont = append(c.cont, h)
				}
			}
		}
	}
	if g.Tempo >= 220 && v.shortShare < 0.5 && len(hits) > 2 && !final {
		// Up-tempo, a busy cell thins out to its first two strokes:
		// at 220 and more a comper leaves room.
		hits = hits[:2]
	}
	if !final {
		// (The final chord is struck once: a nominal bar repeated over
		// a 5/4 or 7/4 bar would strike it again on beat 5.)
		hits = fitMeter(hits, v.beats, pb.Meter)
	}
	beat := pb.Meter.BeatTicks()
	type timed struct {
		t    music.Ticks
		h    hit
		span int
	}
	var ts []timed
	for _, h := range hits {
		t := g.Tick(pb, h.pos)
		if t >= pb.End() {
			continue
		}
		ts = append(ts, timed{t, h, c.spanFor(t, beat)})
	}
	// The last chord is not anticipated: the band lands on it together,
	// on its beat.
	ts = slices.DeleteFunc(ts, func(x timed) bool { return x.span >= 0 && x.span == c.finalSpan && x.t < g.Chords[x.span].Start })
	if c.partner != nil && !final {
		// Where the guitar strikes, the piano leaves the stroke to it,
		// unless it is the downbeat or the chord's first beat.
		ts = slices.DeleteFunc(ts, func(x timed) bool {
			return c.partner.strikes(bi, x.t) && x.t != pb.Start && (x.span < 0 || x.t != g.Chords[x.span].Start)
		})
	}
	// Every chord that starts in the bar is struck (or anticipated).
	for si := c.spanAt(pb.Start); si >= 0 && si < len(g.Chords) && g.Chords[si].Start < pb.End(); si++ {
		sp := g.Chords[si]
		if sp.Start < pb.Start || sp.Chord.NoChord {
			continue
		}
		if !slices.ContainsFunc(ts, func(x timed) bool { return x.span == si }) {
			ts = append(ts, timed{sp.Start, hit{long: true}, si})
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].t < ts[j].t })
	ts = slices.CompactFunc(ts, func(a, b timed) bool { return a.t == b.t })
	lastSpan := c.gone
	if n := len(c.strokes); n > 0 {
		lastSpan = c.strokes[n-1].span
	}
	for _, x := range ts {
		if x.span < 0 || g.Chords[x.span].Chord.NoChord {
			continue
		}
		sp := g.Chords[x.span]
		keys := c.choose(x.span, x.span == lastSpan, try)
		if keys == nil {
			continue
		}
		lastSpan = x.span
		short := x.h.short || (!x.h.long && c.rnd.Float64() < v.shortShare)
		d := v.longBeats
		if short {
			d = v.shortBeats
		}
		dur := music.Ticks(d * float64(beat))
		if final {
			dur = pb.End() - x.t
		}
		if end := sp.Start + sp.Duration - 10; x.t+dur > end && !(final && x.span == c.finalSpan) {
			dur = end - x.t
		}
		if dur < 40 {
			dur = 40
		}
		vel := v.vel
		if x.h.vel > 0 {
			vel = x.h.vel
		}
		if x.t < sp.Start {
			vel += 6 // an anticipation is pushed
		}
		vel += c.rnd.IntN(9) - 4
		if v.montuno && short && c.rnd.Float64() < 0.5 {
			keys = []int{keys[0], keys[len(keys)-1]} // the octave alone
		}
		c.strokes = append(c.strokes, stroke{bar: bi, start: x.t, dur: dur, vel: vel, roll: x.h.roll, trim: true, span: x.span, keys: keys})
	}
	if v.thumb {
		c.thumbs(bi, pb)
	}
}

// thumbs plays the bossa guitar's bass: the root on 1, the fifth on 3,
// from F#2 to F3, on the low strings where a nylon-string guitarist's
// thumb plays. The bossa bassist reaches F3 on those beats, so the thumb
// doubles the bass at the unison or sits above it, never under it; the
// fingers' chord sits above the thumb and the piano above both.
func (c *comper) thumbs(bi int, pb music.PlayedBar) {
	beats := pb.Meter.Beats()
	beat := pb.Meter.BeatTicks()
	at := []int{0}
	if bi == len(c.g.Bars)-1 {
		// The last bar: the root of each chord that starts in it on a
		// beat, the last held to the end, no fifth on 3.
		for b := 1; b < beats; b++ {
			if t := pb.Start + music.Ticks(b)*beat; c.g.ChordAt(t).Start == t {
				at = append(at, b)
			}
		}
	} else if beats >= 2 {
		at = append(at, (beats+1)/2)
	}
	for ai, b := range at {
		next := beats
		if ai+1 < len(at) {
			next = at[ai+1]
		}
		t := pb.Start + music.Ticks(b)*beat
		si := c.spanAt(t)
		if si < 0 || c.g.Chords[si].Chord.NoChord {
			continue
		}
		sp := c.g.Chords[si]
		pc := sp.Chord.BassNote().PitchClass()
		if b > 0 && sp.Start < t && !sp.Chord.HasBass {
			fifth := 7
			if sp.Chord.Fifth != 0 {
				fifth = int(sp.Chord.Fifth)
			}
			pc = mod12(sp.Chord.Root.PitchClass() + fifth)
		}
		key := 42 + mod12(pc-42)
		dur := music.Ticks(next-b)*beat - 20
		held := bi == len(c.g.Bars)-1 && ai == len(at)-1 && si == c.finalSpan
		if held {
			dur = pb.End() - t
		}
		if end := sp.Start + sp.Duration - 10; t+dur > end && !held {
			dur = end - t
		}
		if dur < 40 {
			continue
		}
		c.strokes = append(c.strokes, stroke{bar: bi, start: t, dur: dur, vel: c.v.vel + 6, span: si, keys: []int{key}})
	}
}

// fitMeter lays a nominal bar's strokes onto a real bar: cut where the
// bar is shorter, repeated where it is longer; in compound meters an
// off-beat falls on the beat's third eighth (the swung "and").
func fitMeter(hits []hit, nominal int, m music.Meter) []hit {
	beats := m.Beats()
	var out []hit
	for off := 0; off < beats; off += nominal {
		for _, h := range hits {
			p := float64(h.pos) + float64(off)
			if p >= float64(beats) {
				continue
			}
			if m.Compound() {
				whole, frac := math.Modf(p)
				switch {
				case frac == 0:
				case frac <= 0.34:
					frac = 1.0 / 3
				default:
					frac = 2.0 / 3
				}
				p = whole + frac
			}
			h.pos = band.Position(p)
			out = append(out, h)
		}
		if off == 0 && len(hits) == 0 {
			break
		}
	}
	return out
}

// spanAt is the index of the chord sounding at t (-1 before the first).
func (c *comper) spanAt(t music.Ticks) int {
	return sort.Search(len(c.g.Chords), func(i int) bool { return c.g.Chords[i].Start > t }) - 1
}

// spanFor is the chord a stroke at t plays: the next chord when it comes
// within an eighth (an anticipation), else the one sounding (always the
// one that starts at t). A vocabulary that plays on the beat never
// anticipates.
func (c *comper) spanFor(t, beat music.Ticks) int {
	i := c.spanAt(t)
	if i >= 0 && c.g.Chords[i].Start == t || c.v.onBeat {
		return i // a stroke on a chord's first beat is that chord's
	}
	if n := i + 1; n < len(c.g.Chords) {
		if d := c.g.Chords[n].Start - t; d > 0 && d <= beat/2 {
			return n
		}
	}
	return i
}

// choose voices a chord: among the candidate voicings, the one that moves
// least from the last (total semitones from each voice to the nearest
// voice of the other chord), with a guard that pulls the hands back to
// the vocabulary's centre when they drift, and a little chance so that
// equal choices vary. On the same chord the hands usually stay put.
func (c *comper) choose(si int, same bool, try int) []int {
	cands := c.candidates(si)
	if len(cands) == 0 {
		return nil
	}
	stay := c.v.stay
	if stay == 0 {
		stay = 0.6
	}
	if same && c.prev != nil && try == 0 && c.rnd.Float64() < stay {
		return c.prev
	}
	best, bestCost := -1, math.Inf(1)
	for i, v := range cands {
		if same && slices.Equal(v.Keys, c.prev) && len(cands) > 1 {
			continue
		}
		cost := movement(c.prev, v.Keys)
		mean := 0.0
		for _, k := range v.Keys {
			mean += float64(k)
		}
		mean /= float64(len(v.Keys))
		if d := math.Abs(mean-c.v.center) - 4; d > 0 {
			cost += 2 * d
		}
		cost += c.rnd.Float64() * (1.5 + float64(try))
		if cost < bestCost {
			best, bestCost = i, cost
		}
	}
	if best < 0 {
		return c.prev // every candidate is the voicing held (kinds that coincide)
	}
	c.prev = cands[best].Keys
	return c.prev
}

// movement is the voice-leading distance between two voicings: each
// voice's distance to the nearest voice of the other, both ways, halved.
func movement(a, b []int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	near := func(x []int, k int) int {
		m := 1 << 30
		for _, y := range x {
			m = min(m, abs(y-k))
		}
		return m
	}
	s := 0
	for _, k := range b {
		s += near(a, k)
	}
	for _, k := range a {
		s += near(b, k)
	}
	return float64(s) / 2
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// candidates lists the voicings of a chord span for this player.
func (c *comper) candidates(si int) []Voicing {
	sp := c.g.Chords[si]
	ch := sp.Chord
	toMinor := false
	// (Not under the bossa guitar's own root: b9 over it is a minor ninth
	// in one instrument.)
	if n := si + 1; n < len(c.g.Chords) && ch.Dominant() && !c.v.thumb {
		nx := c.g.Chords[n].Chord
		toMinor = !nx.NoChord && nx.Third == 3 && nx.Root.PitchClass() == mod12(ch.Root.PitchClass()+5)
	}
	kinds := c.kinds
	modal := ch.Third == 3 && ch.Seventh == 10 && ch.Fifth == 7 && !ch.Alt && len(ch.Alterations) == 0
	if modal && slices.Contains(kinds, RootlessA) {
		// A minor seventh held two bars or more (and eight beats: two
		// bars of a waltz are just a ii chord) is modal ground: quartal
		// voicings, as on "So What" and "Impressions".
		bar := c.g.Bars[sp.Bar].Meter.BarTicks()
		if c.quartal || sp.Duration >= max(2*bar, 8*music.PPQ) {
			kinds = []Kind{Quartal}
		}
	}
	key := ch.Name()
	if toMinor {
		key += "→m"
	}
	for _, k := range kinds {
		key += "," + k.String()
	}
	if vs, ok := c.cache[key]; ok {
		return vs
	}
	vs := Voicings(ch, kinds, toMinor)
	if c.v.low > 0 || c.v.high > 0 {
		// The player's own compass: the bossa guitar's fingers above its
		// thumb, a piano above the guitar it shares the band with. Where
		// the modal fourths do not fit, the player's own kinds do; when
		// nothing fits, the kinds' register windows serve.
		compass := func(vs []Voicing) []Voicing {
			return slices.DeleteFunc(slices.Clone(vs), func(v Voicing) bool {
				return v.Keys[0] < c.v.low || (c.v.high > 0 && v.Keys[len(v.Keys)-1] > c.v.high)
			})
		}
		in := compass(vs)
		if len(in) == 0 && !slices.Equal(kinds, c.kinds) {
			in = compass(Voicings(ch, c.kinds, toMinor))
		}
		if len(in) > 0 {
			vs = in
		}
	}
	if len(vs) == 0 {
		for _, fb := range [][]Kind{{RootlessA, RootlessB}, {Close}, {Shell}, {Power}} {
			if vs = Voicings(ch, fb, toMinor); len(vs) > 0 {
				break
			}
		}
	}
	c.cache[key] = vs
	return vs
}

// window fingerprints two bars from bar i: the chords under them and
// what is played (onsets and keys, with lengths when full is set). ok is
// false when nothing is played. It reads only the strokes the comper
// still holds (a few bars), so a gig costs the same each bar however
// long it runs.
func (c *comper) window(i int, full bool) (key string, sum uint64, ok bool) {
	g := c.g
	ws, we := g.Bars[i].Start, g.Bars[i+1].End()
	var b strings.Builder
	for si := max(c.spanAt(ws), 0); si < len(g.Chords) && g.Chords[si].Start < we; si++ {
		b.WriteString(g.Chords[si].Chord.Name())
		b.WriteByte('@')
		b.WriteString(itoa(int(max(g.Chords[si].Start-ws, 0))))
		b.WriteByte(' ')
	}
	h := fnv.New64a()
	var buf [8]byte
	put := func(x int64) {
		for k := range buf {
			buf[k] = byte(x >> (8 * k))
		}
		h.Write(buf[:])
	}
	for _, s := range c.strokes {
		if s.bar != i && s.bar != i+1 {
			continue
		}
		ok = true
		put(int64(s.start - ws))
		if full {
			put(int64(s.dur))
		}
		for _, k := range s.keys {
			put(int64(k))
		}
	}
	return b.String(), h.Sum64(), ok
}

func itoa(x int) string {
	if x == 0 {
		return "0"
	}
	var d []byte
	for ; x > 0; x /= 10 {
		d = append([]byte{byte('0' + x%10)}, d...)
	}
	return string(d)
}

// guard is the last guard against a loop, on window i once its bars
// have their lengths: where the two bars repeat a window played before
// over the same changes in the same chorus (the composing ran out of
// tries), the second bar is voiced afresh.
func (c *comper) guard(i int) {
	g := c.g
	if i+1 >= len(g.Bars) {
		return
	}
	if i == 0 || g.Bars[i].Chorus != g.Bars[i-1].Chorus {
		c.guarded = map[string]map[uint64]bool{}
	}
	if g.Bars[i+1].Chorus != g.Bars[i].Chorus {
		return
	}
	key, sum, ok := c.window(i, true)
	if !ok {
		return
	}
	seen := c.guarded[key]
	if seen == nil {
		seen = map[uint64]bool{}
		c.guarded[key] = seen
	}
	if seen[sum] {
		c.revoice(i+1, func() bool {
			_, s, _ := c.window(i, true)
			return !seen[s]
		})
		_, sum, _ = c.window(i, true)
	}
	seen[sum] = true
}

// revoice gives a bar's first stroke another voicing of its chord (the
// bar before's last when the bar strikes nothing: a held chord): the
// nearest that fresh approves, else the nearest.
func (c *comper) revoice(bi int, fresh func() bool) {
	at := -1
	for i, s := range c.strokes {
		if !s.trim {
			continue
		}
		if s.bar == bi {
			at = i
			break
		}
		if s.bar == bi-1 {
			at = i
		}
	}
	if at < 0 {
		return
	}
	s := &c.strokes[at]
	type cand struct {
		keys []int
		cost float64
	}
	var cs []cand
	for _, v := range c.candidates(s.span) {
		if !slices.Equal(v.Keys, s.keys) {
			cs = append(cs, cand{v.Keys, movement(s.keys, v.Keys) + c.guardRnd.Float64()})
		}
	}
	if len(cs) == 0 {
		// No other voicing: a stab instead of a held chord (but the
		// last chord is held to the end).
		if s.bar < len(c.g.Bars)-1 {
			s.dur = max(s.dur/2, 40)
		}
		return
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].cost < cs[j].cost })
	for _, x := range cs {
		s.keys = x.keys
		if fresh() {
			return
		}
	}
	s.keys = cs[0].keys
}

// notes appends the stroke's notes; a rolled stroke spreads its voices
// from the bottom, 40 ticks apart.
func (s stroke) notes(out []music.Note) []music.Note {
	for j, k := range s.keys {
		if k < 0 || k > 127 {
			continue
		}
		start, dur := s.start, s.dur
		if s.roll {
			off := music.Ticks(40 * j)
			if off < dur-60 {
				start, dur = start+off, dur-off
			}
		}
		vel := s.vel
		if len(s.keys) >= 3 && j == len(s.keys)-1 {
			vel += 5 // the top voice sings a little over the rest
		}
		vel = min(max(vel, 1), 127)
		out = append(out, music.Note{Pitch: uint8(k), Velocity: uint8(vel), Start: start, Duration: dur})
	}
	return out
}
