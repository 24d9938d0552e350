package band

import (
	"fmt"
	"slices"
	"strings"

	"sideman/music"
)

// A Band plays a chart bar by bar. New sets up the gig and hires the
// style's players from the lineup; Next plays the next bars, given what
// the human played meanwhile; Piece is the performance so far. Play is
// New, then Next one bar at a time to the end, then Piece.
type Band struct {
	gig    *Gig
	seats  []seat
	shape  *arc
	ids    *music.IDs
	piece  *music.Piece // the layout and the parts, filled as they play
	next   int          // the next bar of gig.Bars to play
	heard  []music.Note
	counts *music.Part // the count-in, when there is one
	// played is Next's room for the seats' notes before they are merged,
	// kept from call to call.
	played []music.Note
}

// seat is a player in the band and the part it plays into.
type seat struct {
	role   string
	player Player
	origin *music.Origin
}

// New sets a band up to play a chart: the form as played, the players the
// style names (from opt.Lineup; a role muted or set to "none" sits out),
// their parts and the count-in. Nothing is played yet.
func New(c *music.Chart, opt Options) (*Band, error) {
	if opt.Style == nil {
		s, _ := LookupStyle("medium swing")
		opt.Style = s
	}
	st := opt.Style
	for _, role := range Roles {
		name := st.Players[role]
		if name == "" || name == "none" || opt.Mute[role] {
			continue
		}
		if opt.Lineup.Player(role, name) == nil {
			return nil, fmt.Errorf("style %s: no %s player %q (have %s)", st.Name, role, name, strings.Join(opt.Lineup.Names(role), ", "))
		}
	}
	if opt.Transpose != nil {
		c = c.TransposeTo(*opt.Transpose)
	}
	g := &Gig{Chart: c, Style: st, Seed: opt.Seed, Key: c.KeyOrDefault()}
	g.Tempo = opt.Tempo
	if g.Tempo <= 0 {
		g.Tempo = c.Tempo
	}
	if g.Tempo <= 0 {
		g.Tempo = st.Tempo
	}
	played, err := Played(c, opt)
	if err != nil {
		return nil, err
	}
	if err := checkLevels(opt.Levels); err != nil {
		return nil, err
	}
	counted := 0 // the count-in's bars: the players start after them
	for counted < len(played) && played[counted].Index < 0 {
		counted++
	}
	g.Bars = played[counted:]
	g.Chords = music.Spans(g.Bars)
	hasChord := false
	for _, s := range g.Chords {
		hasChord = hasChord || !s.Chord.NoChord
	}
	if !hasChord {
		return nil, ErrNoChords
	}
	p := c.Layout(played, g.Tempo)
	p.Swing = st.PieceSwing() // the players write straight eighths; feel swings them
	if p.Tempo, err = ramp(p.Tempo, played, g.Tempo, opt.Ramp, !opt.Loop.IsZero()); err != nil {
		return nil, err
	}
	// A performance longer than sideman plays is refused before the
	// players write a note (music.LengthError).
	last := played[len(played)-1] // not empty: it holds a chord
	if err := music.CheckSpan(p.Tempo, last.Start+last.Meter.BarTicks()); err != nil {
		return nil, err
	}
	intro := 0
	if opt.Intro {
		intro = introBars(len(c.Unroll(1)))
	}
	b := &Band{gig: g, shape: newArc(g.Bars, st.Arc, intro, repeats(opt), opt.Ending), ids: opt.IDs, piece: p}
	if b.ids == nil {
		// Outside a project: ids of their own for this performance, above
		// a lead sheet's written notes, which its melody plays (WithMelody).
		b.ids = music.IDsFor(workKey("band", c, fmt.Sprintf("style=%q seed=%d tempo=%d choruses=%d intro=%t ending=%t countin=%d loop=%v repeat=%d ramp=%d mute=%v levels=%v",
			st.Name, opt.Seed, g.Tempo, opt.Choruses, opt.Intro, opt.Ending, opt.CountIn, opt.Loop, opt.Repeat, opt.Ramp, opt.Mute, opt.Levels)))
		b.ids.Skip(c.MaxID())
	}
	// The drums' channel, kit and place in the mix, which the count-in
	// shares whether the drums play or not: two parts on one channel must
	// not set it differently.
	drums := rolePart(st, "drums")
	mix := []*music.Part{&drums}
	for _, role := range Roles {
		name := st.Players[role]
		if name == "" || name == "none" || opt.Mute[role] {
			continue
		}
		b.seats = append(b.seats, seat{role: role, player: opt.Lineup.Player(role, name)(g), origin: &music.Origin{
			Kind:      music.MachineGenerated,
			Generator: "band/" + role + "/" + name,
			Version:   "1",
			Params:    fmt.Sprintf("style=%q seed=%d tempo=%d", st.Name, opt.Seed, g.Tempo),
			Source:    c.Title,
		}})
		p.Parts = append(p.Parts, rolePart(st, role))
	}
	for i := range p.Parts {
		mix = append(mix, &p.Parts[i])
	}
	if err := setLevels(mix, opt.Levels); err != nil {
		return nil, err
	}
	if counted > 0 {
		part := countIn(played, drums, len(p.Parts), b.ids, c.Title, opt.Seed)
		b.counts = &part
		b.heard = append(b.heard, part.Notes...)
	}
	return b, nil
}

// workKey names a piece of work on a chart, to key its ids outside a
// project (music.IDsFor): what makes it, the chart (its title, key and
// chords) and the options that choose its notes.
func workKey(what string, c *music.Chart, options string) string {
	var k strings.Builder
	fmt.Fprintf(&k, "%s\x00%s\x00%s\x00", what, c.Title, c.KeyOrDefault())
	for _, b := range c.Bars {
		for _, ch := range b.Chords {
			fmt.Fprintf(&k, "%d %s ", ch.Offset, ch.Chord.Name())
		}
		k.WriteString("|")
	}
	k.WriteString("\x00" + options)
	return k.String()
}

// Gig is what the players know of the performance.
func (b *Band) Gig() *Gig { return b.gig }

// Bars is the number of bars the band plays (Gig.Bars, the count-in not
// counted); Done tells whether it has played them all.
func (b *Band) Bars() int  { return len(b.gig.Bars) }
func (b *Band) Done() bool { return b.next >= len(b.gig.Bars) }

// Next plays the next n bars (fewer at the end) and returns the band's
// notes in them, by start, with ids from the band's IDs, channel, part and
// Origin set. human holds the notes the human played since the last call
// (nil when playing alone), in any order: every player hears them from
// now on, by start, after what was heard before (Player.Play says the
// order). Next keeps a copy; it changes neither human nor its order.
func (b *Band) Next(n int, human []music.Note) []music.Note {
	given := len(b.heard)
	b.heard = append(b.heard, human...)
	music.SortNotes(b.heard[given:]) // a live input may deliver them out of order
	from := b.next
	to := min(from+n, len(b.gig.Bars))
	if from >= to {
		return nil
	}
	b.next = to
	out := b.played[:0] // the seats' notes, one after the other: merged below
	var runs [8]int     // where each seat's notes end in out
	ends := runs[:0]
	for i, s := range b.seats {
		notes := s.player.Play(from, to, b.heard)
		if s.role != "drums" { // the drummers build by themselves
			b.shape.apply(notes)
		}
		music.SortNotes(notes)
		part := &b.piece.Parts[i]
		for _, n := range notes {
			if n.Duration <= 0 || n.Velocity == 0 {
				continue
			}
			n.ID, n.Channel, n.Part, n.Origin = b.ids.Next(), part.Channel, int16(i), s.origin
			part.Notes = append(grow(part.Notes, 1, to, len(b.gig.Bars)), n)
			out = append(out, n)
		}
		ends = append(ends, len(out))
	}
	b.played = out
	out = merge(out, ends)
	b.heard = append(grow(b.heard, len(out), to, len(b.gig.Bars)), out...)
	return out
}

// merge is music.SortNotes of notes made of runs already in its order,
// ending at ends, into a new slice: each seat's notes come sorted, their
// ids rising, so merging them gives what sorting them would, without the
// sort's moves.
func merge(notes []music.Note, ends []int) []music.Note {
	out := make([]music.Note, 0, len(notes))
	if len(ends) < 2 {
		return append(out, notes...)
	}
	var at [8]int
	heads := at[:0]
	if len(ends) > len(at) {
		heads = make([]int, 0, len(ends))
	}
	start := 0
	for _, e := range ends {
		heads = append(heads, start)
		start = e
	}
	for len(out) < len(notes) {
		best := -1
		for r, h := range heads {
			if h == ends[r] {
				continue
			}
			if best < 0 || before(&notes[h], &notes[heads[best]]) {
				best = r
			}
		}
		out = append(out, notes[heads[best]])
		heads[best]++
	}
	return out
}

// before is SortNotes's order: by start, then pitch, then id.
func before(a, b *music.Note) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.Pitch != b.Pitch {
		return a.Pitch < b.Pitch
	}
	return a.ID < b.ID
}

// Piece is the performance as played so far: every part, each note
// ending where its key is struck again on its channel (music.Restrike),
// and the count-in last.
func (b *Band) Piece() *music.Piece {
	p := *b.piece
	p.Parts = make([]music.Part, len(b.piece.Parts), len(b.piece.Parts)+1)
	for i, part := range b.piece.Parts {
		part.Notes = append([]music.Note(nil), part.Notes...)
		p.Parts[i] = part
	}
	return b.finish(&p)
}

// finish makes a piece of the parts as played: each note ending where its
// key is struck again on its channel, the count-in last.
func (b *Band) finish(p *music.Piece) *music.Piece {
	for i := range p.Parts {
		music.SortNotes(p.Parts[i].Notes)
	}
	p.Restrike() // no note may silence a re-struck one (docs/band.md)
	if b.counts != nil {
		p.Parts = append(p.Parts, *b.counts)
	}
	return p
}

// grow makes room in notes for n more, after played bars of total: when
// full, for what the bars played so far promise for the whole piece, so
// that a long performance copies its notes a few times over, not once a
// doubling.
func grow(notes []music.Note, n, played, total int) []music.Note {
	if len(notes)+n <= cap(notes) {
		return notes
	}
	want := max(2*cap(notes), len(notes)+n)
	if played > 0 {
		want = max(want, (len(notes)+n)*total/played*9/8)
	}
	return slices.Grow(notes, want-len(notes))
}

// Play performs a chart with a band, bar by bar from start to end. Every
// note's Origin names the player and style that made it.
func Play(c *music.Chart, opt Options) (*music.Piece, error) {
	b, err := New(c, opt)
	if err != nil {
		return nil, err
	}
	for !b.Done() {
		b.Next(1, nil)
	}
	return b.finish(b.piece), nil // the band is done with: no copy
}
