package drums

import (
	"math/rand/v2"
	"sort"
	"strings"

	"sideman/band"
	"sideman/music"
)

// drummer is one drummer at one gig, hired by its kit. The band asks it
// for the form bar by bar (Play); between calls it keeps where it is in
// the form (place), its random stream, the bar it played last and the
// bars it has pencilled in ahead (ahead).
type drummer struct {
	g    *band.Gig
	k    *kit
	r    *rand.Rand // draws from tape
	tape *tape
	// The style's settings, read once at hiring.
	over map[string]pattern
	// rideAccent marks the beats the ride leans on ("2 4" in swing).
	rideAccent []band.Position
	// level moves every stroke's velocity (drums.level): the kits of a
	// SoundFont differ in loudness, the brush kit's most.
	level int
	fills bool

	place
	// ear scales the jazz kits' comping by what the drummer heard the
	// soloist play (listen): 1 when playing alone.
	ear float64
	ears

	next  int          // the next bar of g.Bars to play
	last  []music.Note // bar next-1 as played, damped
	ahead []pencilled  // bars next, next+1, ... played in pencil
	// window and order are damp's room to work in.
	window []music.Note
	order  []int

	// The bar being played.
	notes []music.Note
	// cut drops time-keeping hits at and after it: the fill plays there.
	cut music.Ticks
	// downbeat is where a crash replaces the ride or hi-hat.
	downbeat music.Ticks
	// struck indexes the bar's notes by piece and tick: a piece struck
	// twice at one instant (the crash's kick on a time-keeping kick) is
	// one stroke.
	struck map[stroke]int
}

// place is where the drummer is in the form, all it carries from one bar
// to the next.
type place struct {
	// bar counts bars since the section began and beats the beats, so
	// two-bar patterns like the clave stay in phase through odd meters.
	bar, beats int
	// cells holds a funk groove's kick cells for the section.
	cells [][]int
	lift  int // dynamics of the chorus
}

// pencilled is a bar played ahead of time: its notes, the place after it,
// the ear it was played with and how many random values it drew.
type pencilled struct {
	notes []music.Note
	after place
	ear   float64
	draws int
}

// hire is the kit's band.NewPlayer.
func (k *kit) hire(g *band.Gig) band.Player {
	t := &tape{src: g.Rand("drums")}
	d := &drummer{g: g, k: k, r: rand.New(t), tape: t, over: map[string]pattern{}, struck: map[stroke]int{}, ear: 1}
	for _, v := range voices {
		if p, vel, err := band.ParsePositions(g.Style.Param("drums."+v, "")); err == nil && len(p) > 0 {
			d.over[v] = pattern{p, vel}
		}
	}
	d.level = int(g.Style.FloatParam("drums.level", float64(k.level)))
	d.rideAccent, _, _ = band.ParsePositions(g.Style.Param("drums.ride-accent", ""))
	d.fills = g.Style.Param("drums.fills", "on") != "off"
	return d
}

// Play plays the bars [from, to) of the form (band.Player). Bars are
// played in order whatever the chunking, so the random stream is drawn in
// the same order and the same seed plays the same notes: bars skipped
// over (from past the next bar) are played silently to keep the place,
// bars already played are not played again.
//
// Each stroke is let ring until the same piece is struck next, so the
// drummer looks into the bars after `to` as far as its strokes ring: it
// plays them in pencil and, at the next call, plays them as pencilled
// unless what it has heard since changes its comping, in which case it
// plays them afresh (a stroke let ring may then stop early or overlap its
// next, which band.Band's clean-up of re-struck notes settles).
func (d *drummer) Play(from, to int, heard []music.Note) []music.Note {
	to = min(to, len(d.g.Bars))
	d.listen(heard, from)
	var out []music.Note
	for d.next < to {
		i := d.next
		notes := d.take()
		if i >= from {
			out = append(out, notes...)
		}
	}
	return out
}

// take plays the next bar, from pencil when the ear has not changed,
// and damps its strokes.
func (d *drummer) take() []music.Note {
	var notes []music.Note
	if len(d.ahead) > 0 && d.ahead[0].ear == d.ear {
		p := d.ahead[0]
		d.ahead = d.ahead[1:]
		d.place, notes = p.after, p.notes
		d.tape.skip(p.draws)
	} else {
		d.ahead = nil // what the pencil drew is drawn again
		notes = d.playBar(d.next)
	}
	d.next++
	d.last = d.damp(notes)
	return d.last
}

// pencil plays the bar after the pencilled ones without moving the
// drummer on: its place and random stream are as they were.
func (d *drummer) pencil() {
	now, drawn := d.place, 0
	if n := len(d.ahead); n > 0 {
		d.place = d.ahead[n-1].after
	}
	for _, p := range d.ahead {
		drawn += p.draws
	}
	mark := d.tape.hold(drawn)
	notes := d.playBar(d.next + len(d.ahead))
	d.ahead = append(d.ahead, pencilled{notes: notes, after: d.place, ear: d.ear, draws: d.tape.release(mark, drawn)})
	d.place = now
}

// damp ends every stroke of the bar just played (bar next-1) where the
// same piece is struck again: a cymbal rings until the stick meets it
// next (the ride's beat into its swung skip note, the last skip note into
// the next bar's ride), never over its own next stroke, whose MIDI
// note-off would silence both (music.Restrike, which band.Band applies to
// every part, done here so that the drummer's own part is clean). The
// window is the bar before, the bar and the bars after it as far as its
// strokes ring, the same whatever the chunking.
func (d *drummer) damp(notes []music.Note) []music.Note {
	var ring music.Ticks
	for _, n := range notes {
		ring = max(ring, n.End())
	}
	window := append(d.window[:0], d.last...)
	first := len(window)
	window = append(window, notes...)
	for k := 0; d.next+k < len(d.g.Bars) && d.g.Bars[d.next+k].Start < ring; k++ {
		if k == len(d.ahead) {
			d.pencil()
		}
		window = append(window, d.ahead[k].notes...)
	}
	d.window = window
	if cap(d.order) < len(window) {
		d.order = make([]int, len(window))
	}
	restrike(window, d.order[:len(window)])
	out := append([]music.Note(nil), window[first:first+len(notes)]...)
	music.SortNotes(out)
	return out
}

// restrike is music.Restrike on the few notes of one channel that damp
// looks at, in place and in their order, for far less work than the
// whole piece's clean-up (TestRestrikeAsMusic holds it to the same rule):
// each piece's strokes in order of onset, equal onsets in the window's
// order, a stroke that sounds when the next comes ended there, a next that
// comes sooner than music.MinRestrikeLength moved later.
func restrike(window []music.Note, order []int) {
	// By piece (a counting sort over the keys), then by onset: the window
	// is nearly in order already, the bars one after the other.
	var count [129]int
	for _, n := range window {
		count[n.Pitch&127+1]++
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	next := count
	for i, n := range window {
		k := n.Pitch & 127
		order[next[k]] = i
		next[k]++
	}
	for j := 1; j < len(order); j++ {
		for i := j; i > 0 && window[order[i-1]].Pitch == window[order[i]].Pitch && window[order[i-1]].Start > window[order[i]].Start; i-- {
			order[i-1], order[i] = order[i], order[i-1]
		}
	}
	var p *music.Note // the last sounding stroke of the piece
	for _, i := range order {
		n := &window[i]
		if p != nil && p.Pitch != n.Pitch {
			p = nil
		}
		if n.Duration <= 0 {
			continue
		}
		if p == nil || n.Start >= p.End() {
			p = n
			continue
		}
		if earliest := p.Start + min(p.Duration, music.MinRestrikeLength); n.Start < earliest {
			end := n.End()
			n.Start = earliest
			n.Duration = max(end-n.Start, min(n.Duration, music.MinRestrikeLength))
		}
		if p.End() > n.Start {
			p.Duration = n.Start - p.Start
		}
		p = n
	}
}

// playBar plays bar i of the form and moves the drummer's place on: the
// final hit on the last bar; else, on a section's first bar, the place
// reset, the chorus's lift and the crash; then the time, the voices the
// style wrote, and a fill when a new section or the end follows.
func (d *drummer) playBar(i int) []music.Note {
	d.notes = make([]music.Note, 0, 24)
	clear(d.struck)
	bars := d.g.Bars
	pb := countBar(bars[i])
	if i == len(bars)-1 && i > 0 {
		d.end(pb)
		return d.notes
	}
	start := isStart(bars, i)
	if start {
		d.place = place{lift: min(bars[i].Chorus-1, 3) * 3}
		if bars[i].Bar.Section == "Intro" {
			d.lift = -6
		}
	}
	d.cut, d.downbeat = pb.End(), -1
	beats := pb.Meter.Beats()
	from := beats
	if d.fills && i+1 < len(bars) && (isStart(bars, i+1) || i+1 == len(bars)-1) {
		from = d.fillStart(beats, isTop(bars, i+1) || i+1 == len(bars)-1)
		d.cut = d.g.Tick(pb, band.Position(from))
	}
	if start {
		d.downbeat = pb.Start
		for _, key := range d.k.accent {
			d.note(key, pb.Start, cymbalTicks, d.k.accentVel+d.lift/2+d.r.IntN(8))
		}
	}
	d.k.time(d, pb)
	d.overrides(pb)
	if from < beats {
		if d.k.fill != nil {
			d.k.fill(d, pb, from)
		} else {
			d.stickFill(pb, from)
		}
	}
	d.bar++
	d.beats += beats
	return d.notes
}

// ears is what the drummer has heard of the soloist: every note not
// played by the band (the human, or a machine soloist trading with it),
// as onsets per bar of the form.
type ears struct {
	read    int         // how much of heard has been listened to
	soloist bool        // whether anyone but the band has played
	onsets  map[int]int // the soloist's onsets by bar
}

// listen sets the ear from what was heard before bar from. A soloist
// heard busy in the bar before (two onsets a beat or more: eighth-note
// lines) halves the jazz kits' comping, to leave the line room; a soloist
// who rested through it gets half as much again, the drummer talking
// while the soloist breathes (John Riley, "The Art of Bop Drumming",
// comping as conversation). With no soloist heard, or a soloist who plays
// sparsely, the drummer plays the style as written. The grooves of the
// other kits keep their time whatever they hear.
func (d *drummer) listen(heard []music.Note, from int) {
	if d.read > len(heard) { // a caller that started over
		d.ears = ears{}
	}
	for _, n := range heard[d.read:] {
		if o := n.Origin.Root(); o != nil && strings.HasPrefix(o.Generator, "band/") {
			continue // the band's own, the count-in's
		}
		d.soloist = true
		if i := barAt(d.g.Bars, n.Start); i >= 0 {
			if d.onsets == nil {
				d.onsets = map[int]int{}
			}
			d.onsets[i]++
		}
	}
	d.read = len(heard)
	d.ear = 1
	if !d.soloist || from <= 0 || from > len(d.g.Bars) {
		return
	}
	switch n := d.onsets[from-1]; {
	case n == 0:
		d.ear = 1.5
	case n >= 2*countBar(d.g.Bars[from-1]).Meter.Beats():
		d.ear = 0.5
	}
}

// barAt is the bar of the form holding tick t, or -1 outside the form.
func barAt(bars []music.PlayedBar, t music.Ticks) int {
	i := sort.Search(len(bars), func(i int) bool { return bars[i].Start > t }) - 1
	if i < 0 || t >= bars[i].End() {
		return -1
	}
	return i
}

// tape is the drummer's random stream, g.Rand("drums"), read so that
// a bar played in pencil draws the same values as the bar played for
// real: while held, every value drawn is kept, and reading starts again
// from the first kept value on release.
type tape struct {
	src  rand.Source
	kept []uint64
	at   int // the next kept value to read
	held bool
}

func (t *tape) Uint64() uint64 {
	if t.at < len(t.kept) {
		v := t.kept[t.at]
		t.at++
		if !t.held && t.at == len(t.kept) {
			t.kept, t.at = t.kept[:0], 0
		}
		return v
	}
	v := t.src.Uint64()
	if t.held {
		t.kept = append(t.kept, v)
		t.at++
	}
	return v
}

// hold starts keeping values, past the drawn values already pencilled;
// it returns where reading will start again.
func (t *tape) hold(drawn int) int {
	mark := t.at
	t.at += drawn
	t.held = true
	return mark
}

// release stops keeping values and goes back to mark; it returns how many
// values were drawn since hold.
func (t *tape) release(mark, drawn int) int {
	n := t.at - mark - drawn
	t.at, t.held = mark, false
	return n
}

// skip passes over n kept values: a pencilled bar played as pencilled.
func (t *tape) skip(n int) {
	t.at += n
	if t.at == len(t.kept) {
		t.kept, t.at = t.kept[:0], 0
	}
}
