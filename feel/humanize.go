package feel

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"sideman/feel/stats"
	"sideman/music"
)

// Options control Humanize.
type Options struct {
	// Amount scales every change from the input, 0 (none) to 1 (as
	// learned).
	Amount float64
	// Seed picks the fluctuations; the same seed gives the same result.
	Seed uint64
	// Roles plays every note of a part (by index) as the named role
	// instead of the role RoleOf gives it.
	Roles map[int]string
}

// Version is recorded in the Origin of every humanized note.
const Version = "1"

// RoleOf is the feel role of a note of a part: drum notes by kit piece,
// the bass part as bass, piano and guitar as piano (comping), everything
// else as a soloist.
func RoleOf(part *music.Part, n *music.Note) string {
	switch {
	case part.Role == music.RoleDrums || (part.Role == "" && part.Channel == 9):
		return KitPiece(n.Pitch)
	case part.Role == music.RoleBass:
		return Bass
	case part.Role == music.RolePiano || part.Role == music.RoleGuitar:
		return Piano
	}
	return Soloist
}

// Humanize returns a copy of the piece played with the profile's feel:
// onsets moved off the grid by the learned deviation of their slot and
// tempo, upbeat eighths placed by the learned beat-upbeat ratio,
// velocities varied as players vary them with the written dynamics kept
// (the learned accents for a part at one velocity), legato notes
// shortened to the learned articulation. The fluctuations are long-range
// correlated (fractional Gaussian noise with the role's learned Hurst
// exponent, shared by the notes of one beat as far as the profile says),
// never independent noise per note. Every note keeps its id; its Origin
// is kept and marked as processed. A role the profile lacks takes the
// timing of the role Plan names for it (PlayedAs) and keeps its
// dynamics, and notes off the grid keep their place but for the beat's
// shared fluctuation.
//
// A piece whose eighths are meant swung (music.Piece.Swing) is played
// at its swing first, as Swing plays it, and then with the feel: an
// upbeat the swing puts on the triplet (within a 48th of a beat: a
// swing of 0.65 to 0.69) takes the learned ratio of pairs played there,
// and one it puts elsewhere (0.58, 0.64) keeps the piece's swing, moved
// with the beat. The profile's ratios are learned from where players
// played their upbeats, near the straight eighth or near the triplet,
// so they do not say how far a player swings eighths written straight;
// the piece does. The result's Swing is 0.
func Humanize(p *music.Piece, prof *Profile, opt Options) *music.Piece {
	if swung(p.Swing) {
		p = swing(p, opt.Roles) // written eighths played as meant, then with the feel
	}
	out := *p
	out.Parts = make([]music.Part, len(p.Parts))
	amount := math.Min(math.Max(opt.Amount, 0), 1)
	g := newGrid(p)
	origins := map[*music.Origin]*music.Origin{}
	params := fmt.Sprintf("feel=%q amount=%g seed=%d", prof.Name, amount, opt.Seed)
	for pi := range p.Parts {
		part := p.Parts[pi]
		notes := append([]music.Note(nil), part.Notes...)
		music.SortNotes(notes) // chord notes side by side: one event each
		h := &player{prof: prof, part: &part, grid: g, amount: amount, seed: opt.Seed, index: pi, as: opt.Roles[pi]}
		h.play(notes)
		for i := range notes {
			o := notes[i].Origin
			po, ok := origins[o]
			if !ok {
				po = o.Processed("humanize", "feel/humanize", params)
				origins[o] = po
			}
			notes[i].Origin = po
		}
		music.SortNotes(notes)
		part.Notes = notes
		out.Parts[pi] = part
	}
	// A moved onset may fall inside the last note of its key: end that
	// note there, and keep a strike a 32nd after the last (music.Restrike).
	out.Restrike()
	return &out
}

// player humanizes one part: one musician, whose beat-level time is
// shared by everything they play (all the pieces of a drum kit).
type player struct {
	prof   *Profile
	part   *music.Part
	grid   *grid
	amount float64
	seed   uint64
	index  int
	as     string // the role every note is played as, "" for RoleOf's
	// level is the mean learned velocity of the positions of the part's
	// notes written at one velocity.
	level float64
	// memo keeps the interpolated statistics: a piece has few tempi.
	memo map[memoKey]memoValue
}

type memoKey struct {
	role  *Role
	slot  Slot
	bpm   float64
	swing bool
}

type memoValue struct {
	stat Stat
	t    Timing
	ok   bool
}

func (h *player) timing(r *Role, s Slot, bpm float64) (Timing, bool) {
	k := memoKey{r, s, bpm, false}
	if v, ok := h.memo[k]; ok {
		return v.t, v.ok
	}
	t, ok := r.Timing(s, bpm)
	h.remember(k, memoValue{t: t, ok: ok})
	return t, ok
}

func (h *player) swing(r *Role, s Slot, bpm float64) (Stat, bool) {
	k := memoKey{r, s, bpm, true}
	if v, ok := h.memo[k]; ok {
		return v.stat, v.ok
	}
	st, ok := r.Swing(s, bpm)
	h.remember(k, memoValue{stat: st, ok: ok})
	return st, ok
}

func (h *player) remember(k memoKey, v memoValue) {
	if h.memo == nil {
		h.memo = map[memoKey]memoValue{}
	}
	h.memo[k] = v
}

// place is a note's position on the grid (56 bytes, its small fields
// last: every note humanized has one).
type place struct {
	beat, barBeat int
	bpm           float64 // beats a minute
	secs          float64 // onset in seconds
	qpm           float64 // quarter notes a minute, for seconds to ticks
	// grid is the tick of the slot the note is placed on (the note's own
	// tick when OffGrid).
	grid     music.Ticks
	slot     Slot
	compound bool
}

func (h *player) rng(what string) *rand.Rand {
	f := fnv.New64a()
	fmt.Fprintf(f, "%d/%s", h.index, what)
	return rand.New(rand.NewPCG(h.seed, f.Sum64()))
}

// play humanizes a part's notes in place, phase by phase: it reads
// where each note is (read), how the part's dynamics stand (dynamics),
// draws the player's correlated fluctuations (fluctuations), works out
// every onset's deviation (deviations), then plays the notes (perform).
func (h *player) play(notes []music.Note) {
	if len(notes) == 0 {
		return
	}
	t := h.read(notes)
	h.dynamics(t)
	h.fluctuations(t)
	h.deviations(t)
	h.perform(t)
}

// take is one part being humanized: what play's phases work out about
// its notes, note by note (index i) and event by event. A part's roles
// are few (a drum kit's pieces): each is numbered in the take, in the
// order its first note comes, and what is kept per role is indexed so.
type take struct {
	notes  []music.Note
	places []place
	role   []int // note i's role, an index in names
	// names are the part's roles; prof what the profile has for each
	// (its own statistics or, not own, a fallback's).
	names []string
	prof  []roleStats
	// event[i] is note i's event: the distinct onsets of a role, in
	// order; a chord's notes share one. events counts a role's events,
	// chordSize and chordTop are each event's size and top pitch.
	event     []int
	events    []int
	lastStart []music.Ticks // each role's last onset read
	chordSize [][]int
	chordTop  [][]uint8
	maxBeat   int
	loud      [][]int // each role's written velocities
	// flat marks a role written at one velocity; ownSpread is the spread
	// of a role's own dynamics about what it plays at each position.
	flat      []bool
	ownSpread []float64
	// velocity keeps velocityAt's answers by role and position in the
	// four-beat cycle: every note of a role at one position asks alike.
	velocity [][4][len(slotIndex)]velocityMemo
	// beatNoise is the player's time, one value a beat; noise each
	// role's series over its events.
	beatNoise []float64
	noise     []series
	// devs is each note's deviation from its written onset, in seconds.
	devs []float64
}

// roleStats is Profile.role's answer for a role.
type roleStats struct {
	r   *Role
	own bool
}

type velocityMemo struct {
	stat      Stat
	ok, known bool
}

// slotIndex numbers the slots a position can have, OffGrid last.
var slotIndex = [...]Slot{SlotBeat, SlotE, SlotTrip, SlotAnd, SlotLet, SlotA, OffGrid}

// roleIndex is the take's number for a role, numbering it if new.
func (t *take) roleIndex(name string, prof *Profile) int {
	for i, n := range t.names {
		if n == name {
			return i
		}
	}
	r, own := prof.role(name)
	t.names = append(t.names, name)
	t.prof = append(t.prof, roleStats{r, own})
	t.events = append(t.events, 0)
	t.lastStart = append(t.lastStart, 0)
	t.loud = append(t.loud, nil)
	return len(t.names) - 1
}

// velocityAt is velocityAt for note i's role and place, kept.
func (t *take) velocityAt(i int) (Stat, bool) {
	pl := t.places[i]
	s := 0
	for s < len(slotIndex)-1 && slotIndex[s] != pl.slot {
		s++
	}
	if slotIndex[s] != pl.slot { // no slot Nearest gives
		return velocityAt(t.prof[t.role[i]].r.Velocity, pl)
	}
	m := &t.velocity[t.role[i]][pl.barBeat%4][s]
	if !m.known {
		m.stat, m.ok = velocityAt(t.prof[t.role[i]].r.Velocity, pl)
		m.known = true
	}
	return m.stat, m.ok
}

// series are a role's fluctuations, one value an event.
type series struct{ timing, velocity, length, lead []float64 }

// beatAt is the player's fluctuation at beat b.
func (t *take) beatAt(b int) float64 { return t.beatNoise[min(b, len(t.beatNoise)-1)] }

// read places every note on the grid and counts the events of each role.
func (h *player) read(notes []music.Note) *take {
	t := &take{notes: notes, places: make([]place, len(notes)), role: make([]int, len(notes)), event: make([]int, len(notes))}
	// Notes come sorted by start, so a chord's notes are neighbours or
	// close: keep the last start seen per role.
	for i := range notes {
		n := &notes[i]
		t.places[i] = h.grid.place(n.Start)
		ri := t.roleIndex(roleAs(h.part, n, h.as), h.prof)
		t.role[i] = ri
		t.maxBeat = max(t.maxBeat, t.places[i].beat+1)
		if t.events[ri] == 0 || t.lastStart[ri] != n.Start {
			t.lastStart[ri] = n.Start
			t.events[ri]++
		}
		t.event[i] = t.events[ri] - 1
		t.loud[ri] = append(t.loud[ri], int(n.Velocity))
	}
	t.chordSize, t.chordTop = make([][]int, len(t.names)), make([][]uint8, len(t.names))
	for ri, n := range t.events {
		t.chordSize[ri], t.chordTop[ri] = make([]int, n), make([]uint8, n)
	}
	for i := range notes {
		size, top := t.chordSize[t.role[i]], t.chordTop[t.role[i]]
		size[t.event[i]]++
		top[t.event[i]] = max(top[t.event[i]], notes[i].Pitch)
	}
	t.velocity = make([][4][len(slotIndex)]velocityMemo, len(t.names))
	return t
}

// dynamics works out how the part's written dynamics stand: which roles
// are written at one velocity (they take the learned accents), the
// spread of the others' own dynamics, and the learned level the notes
// at one velocity average (h.level), so that they keep the written level.
func (h *player) dynamics(t *take) {
	t.flat = make([]bool, len(t.names))
	for ri, v := range t.loud {
		t.flat[ri] = accent(v) == 0
	}
	t.ownSpread = make([]float64, len(t.names))
	for role, x := range h.written(t).VelocityResiduals() {
		if len(x) >= minCount {
			t.ownSpread[slices.Index(t.names, role)] = robustStat(x).SD
		}
	}
	var levelSum float64
	var levelN int
	for i := range t.notes {
		if rs := t.prof[t.role[i]]; rs.own && t.flat[t.role[i]] && !rs.r.NoDynamics {
			if v, ok := t.velocityAt(i); ok {
				levelSum += v.Mean
				levelN++
			}
		}
	}
	h.level = levelSum / math.Max(float64(levelN), 1)
}

// fluctuations draws the player's time, one series over beats with the
// mean exponent of the roles it plays, and each role's series over its
// events: only the series a role uses, each from its own stream, so
// leaving one out changes none of the others.
func (h *player) fluctuations(t *take) {
	// The mean is taken in the order the roles first play, the same each
	// run (a sum in a map's order could differ in its last bit).
	var hsum float64
	var hn int
	for _, rs := range t.prof {
		if rs.r != nil {
			hsum += rs.r.Hurst
			hn++
		}
	}
	hurst := 0.5
	if hn > 0 {
		hurst = hsum / float64(hn)
	}
	// The series covers at most the beats of the longest piece sideman
	// plays (a beat may be a 64th note): a longer one, which the
	// commands refuse (music.CheckLength), shares the last value rather
	// than sizing gigabytes by a note at tick 2^40.
	t.beatNoise = stats.Noise(h.rng("beat"), min(t.maxBeat, 16*music.MaxQuarters)+2, math.Min(hurst, 0.99))
	t.noise = make([]series, len(t.names))
	for ri, role := range t.names {
		// A role's own series of velocity, length and lead are drawn when
		// first asked for (drawn): a drum kit's pieces seldom strike
		// chords, its strokes are seldom legato.
		if r := t.prof[ri].r; r != nil {
			t.noise[ri] = series{timing: stats.Noise(h.rng(role+"/timing"), t.events[ri], r.Hurst)}
		}
	}
}

// drawn is one of a role's own series (velocity, length or lead) by
// index in the take, drawn on first use; each comes from its own stream,
// so the order they are drawn in changes none of them.
func (h *player) drawn(t *take, ri int, kind string) []float64 {
	z := &t.noise[ri]
	s := &z.velocity
	switch kind {
	case "length":
		s = &z.length
	case "lead":
		s = &z.lead
	}
	if *s == nil {
		*s = stats.Noise(h.rng(t.names[ri]+"/"+kind), t.events[ri], t.prof[ri].r.Hurst)
	}
	return *s
}

// deviations works out how far each note is played from its written
// onset, in two passes: every note but the upbeats of eighth pairs, by
// the learned timing of its slot and the player's time; then those
// upbeats, between the downbeats as their role has just played them.
func (h *player) deviations(t *take) {
	t.devs = make([]float64, len(t.notes))
	at, beats := groupBeats(t.places, t.role, len(t.names))
	swung := func(i int) (Stat, bool) {
		r := t.prof[t.role[i]].r
		pl := t.places[i]
		if b := &beats[at[i]]; r == nil || !pl.slot.Upbeat() || pl.compound || !b.down || b.other {
			return Stat{}, false // not the upbeat of an eighth pair (groupBeats)
		}
		return h.swing(r, pl.slot, pl.bpm)
	}
	for i := range t.notes {
		if _, ok := swung(i); ok {
			continue
		}
		if dev, ok := h.slotDeviation(t, i); ok {
			t.devs[i] = dev
			if b := &beats[at[i]]; t.places[i].slot == SlotBeat && !b.played {
				b.played, b.downbeat = true, dev // the role's downbeat deviation
			}
		}
	}
	for i := range t.notes {
		if sw, ok := swung(i); ok {
			t.devs[i] = h.upbeatDeviation(t, i, sw, &beats[at[i]], beats)
		}
	}
}

// roleBeat is a beat of one role (the take's index of the role).
type roleBeat struct {
	role int
	beat int
}

// roleBeatNotes is what a role plays in one beat: on the beat (down), on
// an upbeat, or elsewhere (other); downbeat is the deviation of its first
// note on the beat, once played; next is the role's next beat's, -1 if
// it plays nothing there.
type roleBeatNotes struct {
	roleBeat
	down, up, other bool
	played          bool
	downbeat        float64
	next            int
}

// groupBeats groups the notes by role and beat: at[i] is note i's group
// in beats. An upbeat is the second of a pair of eighths when its role
// plays the beat and the upbeat and nothing else in the beat (down and
// not other), as in the pairs the beat-upbeat ratio is learned from
// (BeatUpbeatRatios); an upbeat among sixteenths or triplets keeps its
// slot's timing. roles are the notes' roles, numbered below nroles.
func groupBeats(places []place, roles []int, nroles int) (at []int, beats []roleBeatNotes) {
	at = make([]int, len(places))
	last := make([]int, nroles) // each role's latest group
	for r := range last {
		last[r] = -1
	}
	var index map[roleBeat]int // only for notes whose beats go back
	for i := range places {
		k := roleBeat{roles[i], places[i].beat}
		g := last[k.role]
		switch {
		case g >= 0 && beats[g].beat == k.beat:
		case index == nil && (g < 0 || beats[g].beat < k.beat):
			// Notes in order of onset, as Humanize has them: a role's
			// beats rise, and its beat after this one is the next group.
			beats = append(beats, roleBeatNotes{roleBeat: k, next: -1})
			if g >= 0 && beats[g].beat+1 == k.beat {
				beats[g].next = len(beats) - 1
			}
			g = len(beats) - 1
		default:
			if index == nil {
				index = make(map[roleBeat]int, len(beats))
				for j, b := range beats {
					index[b.roleBeat] = j
				}
			}
			var ok bool
			if g, ok = index[k]; !ok {
				g = len(beats)
				index[k] = g
				beats = append(beats, roleBeatNotes{roleBeat: k, next: -1})
			}
		}
		last[k.role] = g
		at[i] = g
		switch s := places[i].slot; {
		case s == SlotBeat:
			beats[g].down = true
		case s.Upbeat():
			beats[g].up = true
		default:
			beats[g].other = true
		}
	}
	if index != nil { // out of order: each beat's next found by name
		for j := range beats {
			next, ok := index[roleBeat{beats[j].role, beats[j].beat + 1}]
			if !ok {
				next = -1
			}
			beats[j].next = next
		}
	}
	return at, beats
}

// slotDeviation is note i's deviation by the learned timing of its slot
// at the tempo, drawn through the player's time and the role's own
// series; a note off the grid moves with the beat's shared fluctuation
// only. It is false for a role the profile cannot play.
func (h *player) slotDeviation(t *take, i int) (float64, bool) {
	pl := t.places[i]
	r := t.prof[t.role[i]].r
	if r == nil {
		return 0, false
	}
	x := math.Sqrt(r.BeatShare)*t.beatAt(pl.beat) + math.Sqrt(1-r.BeatShare)*t.noise[t.role[i]].timing[t.event[i]]
	var dev float64
	if pl.slot == OffGrid {
		if tm, ok := h.timing(r, SlotBeat, pl.bpm); ok {
			dev = tm.Ms.SD * math.Sqrt(r.BeatShare) * t.beatAt(pl.beat) / 1000
		}
	} else {
		// A slot the profile has not seen moves as the beat does.
		tm, ok := h.timing(r, pl.slot, pl.bpm)
		if !ok {
			tm, ok = h.timing(r, SlotBeat, pl.bpm)
		}
		if ok {
			dev = tm.Ms.Draw(x) / 1000
		}
	}
	return dev + r.OffsetMs/1000, true
}

// upbeatDeviation places the upbeat of an eighth pair (note i, in beat
// b of its role): it divides this beat's and the next beat's downbeats,
// as its role played them or else as the beat's shared fluctuation has
// them, in a beat-upbeat ratio drawn from the learned one (sw).
func (h *player) upbeatDeviation(t *take, i int, sw Stat, b *roleBeatNotes, beats []roleBeatNotes) float64 {
	pl := t.places[i]
	r := t.prof[t.role[i]].r
	downbeat := func(b *roleBeatNotes, beat int) float64 {
		if b != nil && b.played {
			return b.downbeat
		}
		tm, ok := h.timing(r, SlotBeat, pl.bpm)
		if !ok {
			return r.OffsetMs / 1000
		}
		return (tm.Ms.Draw(t.beatAt(beat)) + r.OffsetMs) / 1000
	}
	var next *roleBeatNotes
	if b.next >= 0 {
		next = &beats[b.next]
	}
	beatSec := 60 / pl.bpm
	start := pl.secs - pl.slot.Share()*beatSec
	d0 := start + downbeat(b, pl.beat)
	d1 := start + beatSec + downbeat(next, pl.beat+1)
	ratio := math.Min(math.Max(sw.Draw(t.noise[t.role[i]].timing[t.event[i]]), 0.8), 4)
	return d0 + ratio/(1+ratio)*(d1-d0) - pl.secs
}

// perform plays the notes: each onset moved by its deviation (the top
// note of a chord leading as learned), and, for a role the profile has
// its own statistics for, the velocity and the articulation.
func (h *player) perform(t *take) {
	next := nextOnsets(t.notes) // for articulation
	for i := range t.notes {
		n := &t.notes[i]
		pl := t.places[i]
		ri := t.role[i]
		r, own := t.prof[ri].r, t.prof[ri].own
		if r == nil {
			continue
		}
		e := t.event[i]
		dev := t.devs[i]
		if own && r.Lead.N >= minCount && t.chordSize[ri][e] >= 2 && n.Pitch == t.chordTop[ri][e] {
			// The top note of a chord leads it (or lags), as learned.
			dev += r.Lead.Draw(h.drawn(t, ri, "lead")[e]) / 1000
		}
		written := n.Start
		n.Start = max(0, n.Start+music.Ticks(math.Round(h.amount*dev*pl.qpm/60*music.PPQ)))

		if !own {
			continue // a follower takes its partner's time, not its dynamics
		}
		if r.NoDynamics {
			// keeps its written velocity (velocity says why)
		} else if v, ok := h.velocity(t, i, r, n.Velocity, h.drawn(t, ri, "velocity")[e]); ok {
			n.Velocity = v
		}
		if a := r.Articulation; a.N >= minCount && next[i] > 0 {
			// Only notes written to last until the next one are shortened:
			// a written staccato is already articulated. Articulation is
			// learned as the sounding length over the time to the next
			// note, so a note written nearly legato (a walking bass's 90%)
			// sounds that share of the time to the next note, not of its
			// written length; a note held past the next keeps its
			// proportion.
			if ioi := next[i] - written; float64(n.Duration) >= legato*float64(ioi) && ioi > 0 {
				f := math.Min(math.Max(a.Mean+a.SD*h.drawn(t, ri, "length")[e], 0.3), 1.2)
				full := float64(max(n.Duration, ioi))
				n.Duration = max(1, music.Ticks(math.Round((1-h.amount)*float64(n.Duration)+h.amount*f*full)))
			}
		}
	}
}

// velocity is note i's velocity played with its role's dynamics (r,
// the role's own statistics; z the role's fluctuation). A role whose
// corpus had none keeps the written velocity. A part at one velocity
// keeps its level and takes the learned accents: each note the written
// velocity times the learned velocity of its position over the part's
// learned mean (level), varied by the players' spread about what they
// play at a position. A part with dynamics of its own keeps them, each
// note varied (as a ratio) by as much as the players' spread exceeds the
// part's own: ghost notes stay ghosts, accents accents, and a part
// already as varied as a player is left as written.
func (h *player) velocity(t *take, i int, r *Role, written uint8, z float64) (uint8, bool) {
	if r.NoDynamics {
		return written, false
	}
	spread := r.VelocitySpread.SD
	target := float64(written)
	if t.flat[t.role[i]] {
		v, ok := t.velocityAt(i)
		if !ok {
			return written, false
		}
		target *= v.Mean / h.level * math.Exp(spread*z)
	} else {
		own := t.ownSpread[t.role[i]]
		add := math.Sqrt(math.Max(spread*spread-own*own, 0))
		target *= math.Exp(add * z)
	}
	v := (1-h.amount)*float64(written) + h.amount*target
	top := 127.0
	if w := float64(written); v > w && w < top {
		// Louder approaches the top of the range and never piles up
		// on it: an accent does not become the loudest a key can give
		// unless written so.
		v = w + (top-w)*(1-math.Exp(-(v-w)/(top-w)))
		top = 126
	}
	return uint8(math.Min(math.Max(math.Round(v), 1), top)), true
}

// written is the part's notes as a performance on the grid, for the
// spread of its own velocities (VelocityResiduals): the notes of the
// roles that will be varied about their written dynamics.
func (h *player) written(t *take) *Performance {
	varied := func(ri int) bool { rs := t.prof[ri]; return rs.own && !rs.r.NoDynamics && !t.flat[ri] }
	n := 0
	for _, ri := range t.role {
		if varied(ri) {
			n++
		}
	}
	p := &Performance{Hits: make([]Hit, 0, n)}
	for i := range t.notes {
		ri := t.role[i]
		if !varied(ri) {
			continue
		}
		p.Hits = append(p.Hits, Hit{Role: t.names[ri], BarBeat: t.places[i].barBeat, Slot: t.places[i].slot, Velocity: int(t.notes[i].Velocity), Pitch: t.notes[i].Pitch, ID: t.notes[i].ID})
	}
	return p
}

// fallbacks name, for a role a profile lacks, the roles whose timing it
// takes instead, nearest first: the bass locks with the kick drum, the
// comping with the snare (the feels learned from drummers alone,
// rock-funk and straight-latin, have no bass or piano), a melody phrases
// like a pianist's right hand or rides with the cymbal, a kit piece
// keeps time with the others. Roles not named follow in Roles order, so
// every role finds one in any profile. A fallback lends its timing and
// swing; dynamics and articulation stay the part's own.
var fallbacks = map[string][]string{
	Soloist: {Piano, Ride, HiHat, Snare, Bass, Kick},
	Piano:   {Snare, Soloist, Ride, HiHat, Bass, Kick},
	Bass:    {Kick, Piano, Soloist, Snare, Ride, HiHat},
	Kick:    {Snare, HiHat, Ride, Toms, Bass},
	Snare:   {HiHat, Ride, Kick, Toms, Piano},
	HiHat:   {Ride, Snare, Kick, Perc},
	Ride:    {HiHat, Snare, Kick, Crash},
	Toms:    {Snare, Kick, HiHat, Ride},
	Crash:   {Ride, HiHat, Kick, Snare},
	Perc:    {HiHat, Ride, Snare, Kick, Toms},
}

// PlayedAs is the role of the profile that plays a role's notes: the
// role itself where the profile has it, else the first of its fallbacks
// that it has; "" only for a profile with no roles.
func (p *Profile) PlayedAs(name string) string {
	if p.Roles[name] != nil {
		return name
	}
	for _, f := range fallbacks[name] {
		if p.Roles[f] != nil {
			return f
		}
	}
	for _, f := range Roles {
		if p.Roles[f] != nil {
			return f
		}
	}
	return ""
}

// role is the profile's statistics for a role (own true), or for the role
// it falls back to (own false) when the profile lacks it.
func (p *Profile) role(name string) (r *Role, own bool) {
	if r := p.Roles[name]; r != nil {
		return r, true
	}
	return p.Roles[p.PlayedAs(name)], false
}

// roleAs is the role a note is played as: as, the role Options.Roles
// names for its part, or RoleOf's when it names none.
func roleAs(part *music.Part, n *music.Note, as string) string {
	if as != "" {
		return as
	}
	return RoleOf(part, n)
}

// Assignment is how Humanize plays the notes of one role of a part.
type Assignment struct {
	Part  int    // index of the part in the piece
	Role  string // the notes' role: RoleOf's, or the one Options.Roles names
	As    string // the profile's role that plays them; As != Role is a fallback
	Notes int
}

// Plan lists, part by part and role by role in Roles order, how Humanize
// will play a piece with a profile: which of the profile's roles each
// part's notes take their feel from.
func Plan(p *music.Piece, prof *Profile, opt Options) []Assignment {
	var out []Assignment
	for pi := range p.Parts {
		part := &p.Parts[pi]
		count := map[string]int{}
		for i := range part.Notes {
			count[roleAs(part, &part.Notes[i], opt.Roles[pi])]++
		}
		for _, role := range Roles {
			if count[role] > 0 {
				out = append(out, Assignment{Part: pi, Role: role, As: prof.PlayedAs(role), Notes: count[role]})
			}
		}
	}
	return out
}

// velocityAt is the learned velocity of a position, or of the role as a
// whole where the position has too few notes.
func velocityAt(table map[string]Stat, pl place) (Stat, bool) {
	if s, ok := table[Position(pl.barBeat, pl.slot)]; ok && s.N >= minCount {
		return s, true
	}
	var all Stat
	var sum, sq float64
	for _, s := range table {
		all.N += s.N
		sum += s.Mean * float64(s.N)
		sq += (s.SD*s.SD + s.Mean*s.Mean) * float64(s.N)
	}
	if all.N < minCount {
		return Stat{}, false
	}
	all.Mean = sum / float64(all.N)
	all.SD = math.Sqrt(math.Max(sq/float64(all.N)-all.Mean*all.Mean, 0))
	return all, true
}

// nextOnsets gives, for each note, the start of the next later onset in
// the part (0 for the last), the notes being in any order.
func nextOnsets(notes []music.Note) []music.Ticks {
	if slices.IsSortedFunc(notes, func(a, b music.Note) int { return cmp.Compare(a.Start, b.Start) }) {
		// Sorted, as Humanize has them: one pass from the end.
		out := make([]music.Ticks, len(notes))
		var after music.Ticks
		for i := len(notes) - 1; i >= 0; i-- {
			out[i] = after
			if i > 0 && notes[i-1].Start != notes[i].Start {
				after = notes[i].Start
			}
		}
		return out
	}
	starts := make([]music.Ticks, 0, len(notes))
	for _, n := range notes {
		starts = append(starts, n.Start)
	}
	slices.Sort(starts)
	out := make([]music.Ticks, len(notes))
	for i, n := range notes {
		lo := sort.Search(len(starts), func(k int) bool { return starts[k] > n.Start })
		if lo < len(starts) {
			out[i] = starts[lo]
		}
	}
	return out
}

// grid places ticks on the piece's beats (music.BeatGrid) and in time
// (its tempo map).
type grid struct {
	beats *music.BeatGrid
	clock *music.Clock
	tempo music.TempoMap
}

func newGrid(p *music.Piece) *grid {
	return &grid{beats: p.Meters.Grid(), clock: p.Tempo.Clock(), tempo: p.Tempo}
}

func (g *grid) place(t music.Ticks) place { return g.placeTol(t, 1.0/48) }

// placeTol is place with the tolerance for the nearest slot, a share of
// the beat. A note nearer the next beat than any slot of its own is on
// that beat, played at its own beat's tempo.
func (g *grid) placeTol(t music.Ticks, tol float64) place {
	sp := g.beats.Locate(t)
	slot, carry := Nearest(sp.Share(), tol)
	pl := place{beat: sp.Beat, barBeat: sp.BarBeat, slot: slot, grid: t, compound: sp.Meter.Compound()}
	if carry > 0 {
		pl.beat, pl.barBeat = sp.Beat+1, (sp.BarBeat+1)%sp.Meter.Beats()
	}
	if slot != OffGrid {
		pl.grid = sp.BeatStart + music.Ticks(carry)*sp.BeatTicks + music.Ticks(slot)*sp.BeatTicks/slotsInBeat
	}
	pl.qpm = g.tempo.At(t).BPM()
	pl.bpm = pl.qpm * music.PPQ / float64(sp.BeatTicks)
	pl.secs = g.clock.Seconds(t)
	return pl
}
