package trade

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"sideman/band/drums"
	"sideman/music"
)

// Drums is the drummer who trades: it answers the player's four with a
// drum break on the General MIDI kit (channel 10, drums.Channel) made of
// the player's rhythm, as the bebop drummers traded (Max Roach, Philly
// Joe Jones: the phrase's rhythm and its accents taken up and developed
// on the kit, not a stock fill), and keeps the hi-hat on 2 and 4 under
// it all.
//
// It hears the phrase's onsets on the triplet eighths or the sixteenths
// of their beats (each beat on the grid its onsets fit best), the notes
// that start together as one stroke; an accent is a note played at least
// 8 louder than the phrase's mean, or held a beat and a half. Bar by bar
// of its turn (bar k of the answer answers bar k of the phrase):
//
//   - The first bar restates the player's first bar: a crash with the
//     bass drum on the downbeat (the answer comes in there), the bar's
//     rhythm on the snare, its accents doubled by the bass drum.
//   - The middle bars take turns, in an order drawn from the seed, at
//     "orchestrate" (the bar's rhythm around the kit, the player's
//     contour on the toms, high notes on the high tom and snare, low on
//     the floor tom, the first accent punctuated by a crash, the others
//     by the bass drum) and "displace" (the phrase's most characteristic
//     cell, as Develop finds it, its rhythm moved to another place in
//     the bar, by half beats, or whole beats where it swings on the
//     triplets, on snare and toms by its contour). A bar the
//     player rested through is answered by the cell.
//   - The last bar restates the start of its bar of the phrase and ends
//     with a fill into the player's next downbeat: the last one or two
//     beats in triplets (sixteenths where the player played straight),
//     around the kit from the high tom down, crescendo, the player's own
//     last onsets accented with the bass drum, a stroke or two left out
//     (the bop drummer's broken fill), never past the turn.
//
// Trading eights, the turn is two related fours, statement and
// development (plan): the first four ends with a one-beat set-up fill,
// the second comes in with a crash, orchestrates, displaces the other way
// round and doubles the rhythm (each onset answered a grid step later by
// the bass drum), each bar louder, to a two-beat fill.
//
// Where two beats or more pass without a stroke the drummer keeps time
// (comp): the ride, "ding, ding-a", a comping stroke on the snare, and a
// pickup into a stroke of the player's rhythm after a long space. A
// sparse phrase (fewer than two onsets a bar) is answered on its onsets,
// each struck where it was played, the time around them.
//
// Velocities are the player's: each stroke takes the velocity of the
// note it answers, an accent 12 more, the fill grows from the phrase's
// mean to its loudest and more. The drummer's notes are no melody:
// the session does not learn them. A turn the player played nothing in
// is answered from the last phrase with two notes or more; before any,
// by time alone (the downbeat, the hi-hat, a fill).
type Drums struct{}

// drummerParam marks the drummer's notes in their Origins' Params.
const drummerParam = "answerer=drums"

// ByDrummer reports whether a note with Origin o is one the drummer
// played trading (Drums), not the soloist (Develop): the one made by
// rules on the player's rhythm, no model.
func ByDrummer(o *music.Origin) bool {
	return o != nil && o.Generator == Generator && strings.Contains(" "+o.Params+" ", " "+drummerParam+" ")
}

// snapTo puts an offset from a bar's downbeat on the nearest of per
// equal parts of its beat (bt ticks): 3 the triplet eighths, 4 the
// sixteenths.
func snapTo(off, bt, per music.Ticks) music.Ticks {
	u := bt / per
	return (off + u/2) / u * u
}

// onset is one of the player's onsets on the drummer's grid.
type onset struct {
	bar    int         // bar of the phrase, 0 its first
	at     music.Ticks // from its bar's downbeat, on the grid
	vel    uint8       // the loudest note struck there
	pitch  int         // the highest
	accent bool
	ids    []music.NoteID
}

// stroke is one of the answer's strokes before it is numbered.
type stroke struct {
	key    uint8
	at     music.Ticks // absolute
	dur    music.Ticks
	vel    int
	figure int // index into figures, -1 the hi-hat
}

// figure is a figure of the answer: what it develops, and how.
type figure struct {
	op, detail string
	from       []music.NoteID
}

// Answer implements Answerer.
func (Drums) Answer(ctx context.Context, heard Phrase, turn Turn, st *State) ([]music.Note, []Development, error) {
	src := heard
	for i := len(st.Phrases) - 1; inPhrase(src, st) < 2 && i >= 0; i-- {
		src = st.Phrases[i]
	}
	meter := st.Bars[turn.From].Meter
	hits := phraseOnsets(src, st)
	if len(hits) < 2 {
		hits = nil
	}
	pb := max(src.To-src.From, 1)
	byBar := make([][]onset, pb)
	for _, h := range hits {
		byBar[h.bar] = append(byBar[h.bar], h)
	}
	loud, mean := 0, 0
	for _, h := range hits {
		loud, mean = max(loud, int(h.vel)), mean+int(h.vel)
	}
	if len(hits) > 0 {
		mean /= len(hits)
	} else {
		mean, loud = 70, 80
	}

	// The cell, its rhythm and where it sat in its bar.
	var cell []onset
	cellBar := 0
	if line := src.LineNotes(); len(line) >= 2 && len(hits) > 0 {
		ci, cj := Cell(line, st.Rand)
		want := map[music.NoteID]bool{}
		for _, n := range line[ci:cj] {
			want[n.ID] = true
		}
		for _, h := range hits {
			if slices.ContainsFunc(h.ids, func(id music.NoteID) bool { return want[id] }) {
				cell = append(cell, h)
			}
		}
		if len(cell) > 0 {
			cellBar = cell[0].bar
			// On one bar's clock, from its first onset's bar.
			for i := range cell {
				cell[i].at += music.Ticks(cell[i].bar-cellBar) * meter.BarTicks()
			}
		}
	}

	var strokes []stroke
	var figs []figure
	lift := 0 // added to the bar's figures: an eight's second four builds
	hit := func(key uint8, at music.Ticks, vel, fig int) {
		if fig >= 0 {
			vel += lift
		}
		dur := music.Ticks(drums.HitTicks)
		if key == drums.Crash || key == drums.Ride {
			dur = drums.CymbalTicks
		}
		strokes = append(strokes, stroke{key: key, at: at, dur: dur, vel: max(1, min(127, vel)), figure: fig})
	}
	figOf := func(op, detail string, from []music.NoteID) int {
		f := figure{op: op, detail: detail, from: slices.Clone(from)}
		slices.Sort(f.from)
		f.from = slices.Compact(f.from)
		figs = append(figs, f)
		return len(figs) - 1
	}
	newFig := func(op, detail string, from []onset) int {
		var ids []music.NoteID
		for _, h := range from {
			ids = append(ids, h.ids...)
		}
		return figOf(op, detail, ids)
	}
	// tom is the drum a pitch of a figure is answered on: its place in
	// the figure's range, from the floor tom up to the snare (a figure on
	// one pitch on the snare).
	toms := []uint8{drums.FloorTom, drums.LowTom, drums.MidTom, drums.HighTom, drums.Snare}
	tom := func(fig []onset, pitch int) uint8 {
		lo, hi := 127, 0
		for _, h := range fig {
			lo, hi = min(lo, h.pitch), max(hi, h.pitch)
		}
		if hi <= lo {
			return drums.Snare
		}
		return toms[min((pitch-lo)*len(toms)/(hi-lo+1), len(toms)-1)]
	}

	// Triplets where the player swung (more onsets on the triplets than
	// on the sixteenths off the eighths): the fills' and the comping's grid.
	per := swingOrStraight(hits, meter.BeatTicks())

	// A sparse phrase (fewer than two onsets a bar): its onsets are
	// anchors, each bar the player struck answered on them, and the
	// comping fills the space between.
	sparse := len(hits) < 2*pb
	nb := turn.To - turn.From
	roles, half := plan(nb, st.Rand)
	fillAt := turn.End              // where the last fill starts: the comping stops there
	placed := map[music.Ticks]int{} // how often the cell was moved to each place

	for k := range nb {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		pbar := st.Bars[turn.From+k]
		bs, barT, bt := pbar.Start, pbar.Meter.BarTicks(), pbar.Meter.BeatTicks()
		j := k % pb
		figHits, what := byBar[j], fmt.Sprintf("bar %d", src.From+j+1)
		role := roles[k]
		// The second four of an eight builds: a little louder bar by bar
		// to the fill.
		lift = 0
		if k >= half {
			lift = 4 * (k - half + 1)
		}
		if len(figHits) == 0 && len(cell) > 0 && role != "fill" && role != "setup" {
			role = "displace" // the player rested: the cell answers
		}
		if sparse && len(figHits) > 0 && role == "displace" {
			role = "orchestrate" // the few onsets are the break's anchors: struck where played
		}
		fillFrom := barT
		switch {
		case role == "setup": // the half-way mark of an eight: one beat
			fillFrom = barT - bt
		case role == "fill" && nb >= 8: // the eight's climax: two beats
			fillFrom = barT - 2*bt
		case role == "fill":
			fillFrom = barT - bt*music.Ticks(1+st.Rand.IntN(2))
		}
		if role == "fill" {
			fillAt = bs + fillFrom
		}
		if role == "fill" && pbar.Meter.Beats() < 3 {
			fillFrom = barT - bt
		}
		first := -1 // the figure starting the bar
		switch role {
		case "restate", "fill", "setup":
			var part []onset
			for _, h := range figHits {
				if h.at < fillFrom {
					part = append(part, h)
				}
			}
			if len(part) == 0 {
				break
			}
			detail := fmt.Sprintf("the rhythm of %s (%d onsets) on the snare, its accents with the bass drum", what, len(part))
			if role != "restate" {
				detail = fmt.Sprintf("the rhythm of %s to beat %d (%d onsets) on the snare, its accents with the bass drum", what, int(fillFrom/bt)+1, len(part))
			}
			first = newFig("restate", detail, part)
			for _, h := range part {
				v := int(h.vel)
				if h.accent {
					v += 12
					hit(drums.Kick, bs+h.at, v, first)
				}
				hit(drums.Snare, bs+h.at, v, first)
			}
		case "orchestrate":
			first = newFig("orchestrate", fmt.Sprintf("the rhythm of %s (%d onsets) around the kit, its contour on the toms (high notes on the high tom and snare, low on the floor tom), the first accent with a crash, the others with the bass drum", what, len(figHits)), figHits)
			crashed := false
			for _, h := range figHits {
				v := int(h.vel)
				if h.accent {
					v += 12
					if !crashed {
						hit(drums.Crash, bs+h.at, v, first)
						crashed = true
					}
					hit(drums.Kick, bs+h.at, v, first)
				}
				hit(tom(figHits, h.pitch), bs+h.at, v, first)
			}
		case "double":
			// The bar's rhythm doubled: each onset on the snare (its high
			// notes on the high tom), answered a step of its own grid later
			// (a triplet, or a sixteenth) by the bass drum where the player
			// left the room: twice the strokes, the player's rhythm leading.
			// One grid for the bar (a drummer does not mix triplets and
			// sixteenths in a figure): triplets where every onset is on them.
			step := bt / 3
			for _, h := range figHits {
				if gridStep(h.at%bt, bt, per) != bt/3 {
					step = bt / 4
				}
			}
			first = newFig("double", fmt.Sprintf("the rhythm of %s (%d onsets) doubled: each onset on the snare or the high tom, answered a %s later by the bass drum", what, len(figHits), unitWords(bt/step)), figHits)
			taken := map[music.Ticks]bool{}
			for _, h := range figHits {
				taken[h.at] = true
			}
			for _, h := range figHits {
				v := int(h.vel)
				if h.accent {
					v += 12
				}
				key := uint8(drums.Snare)
				if tom(figHits, h.pitch) == drums.Snare && len(figHits) > 1 {
					key = drums.HighTom
				}
				hit(key, bs+h.at, v, first)
				if e := h.at + step; e < barT && !taken[e] {
					hit(drums.Kick, bs+e, v-8, first)
					taken[e] = true
				}
			}
		case "displace":
			if len(cell) == 0 {
				break
			}
			span := cell[len(cell)-1].at - cell[0].at
			// Moved by half beats where it is on straight eighths and
			// sixteenths, by beats where it is on the triplets (half a
			// beat would put a swung eighth on no grid), where it fits in
			// the bar.
			step := bt / 2
			for _, h := range cell {
				if r := h.at % bt; r%(bt/4) != 0 {
					step = bt
				}
			}
			var places []music.Ticks
			for p := cell[0].at % step; p+span < barT; p += step {
				if p != cell[0].at {
					places = append(places, p)
				}
			}
			at := cell[0].at + step // too long to move whole: a step later, its tail cut at the bar line
			if at >= barT {
				at = cell[0].at % step
			}
			// A place not taken before in the turn, where there is one
			// (an eight displaces twice).
			if fresh := slices.DeleteFunc(slices.Clone(places), func(p music.Ticks) bool { return placed[p] > 0 }); len(fresh) > 0 {
				places = fresh
			}
			if len(places) > 0 {
				at = places[st.Rand.IntN(len(places))]
			}
			// At a place it was moved to before (no other left), every other
			// time its contour is turned upside down on the toms: the same
			// rhythm on other drums, not the same bar again.
			upside := placed[at]%2 == 1
			placed[at]++
			shift := at - cell[0].at
			var played []onset
			for _, h := range cell {
				if h.at+shift < barT {
					played = append(played, h)
				}
			}
			count := fmt.Sprintf("%d onsets", len(played))
			if len(played) < len(cell) {
				count = fmt.Sprintf("its first %d onsets of %d", len(played), len(cell))
			}
			contour := "by its contour"
			if upside {
				contour = "by its contour upside down"
			}
			first = newFig("displace", fmt.Sprintf("the cell of bar %d beat %s (%s) moved %s, to beat %s, on snare and toms %s", src.From+cellBar+1,
				beatWords(cell[0].at, bt), count, shiftWords(shift, bt), beatWords(at, bt), contour), played)
			lo, hi := 127, 0
			for _, h := range played {
				lo, hi = min(lo, h.pitch), max(hi, h.pitch)
			}
			for _, h := range played {
				v := int(h.vel)
				if h.accent {
					v += 12
					hit(drums.Kick, bs+h.at+shift, v, first)
				}
				pitch := h.pitch
				if upside {
					pitch = lo + hi - h.pitch
				}
				hit(tom(played, pitch), bs+h.at+shift, v, first)
			}
		}
		if k == 0 || k == half { // the answer, and an eight's second four, come in on the downbeat
			if first < 0 {
				first = newFig("downbeat", "a crash with the bass drum on the downbeat", nil)
			}
			hit(drums.Crash, bs, max(mean+12, loud), first)
			hit(drums.Kick, bs, max(mean+12, loud), first)
		}
		switch role {
		case "fill":
			fill("fill", fmt.Sprintf("a fill into the player's downbeat of bar %d", turn.To+1), bs, fillFrom, barT, bt, per, byBar[j], hits, mean, max(loud+10, mean+24)+lift, st, hit, newFig)
		case "setup":
			fill("setup", fmt.Sprintf("a short fill setting up the second four (bar %d)", turn.From+k+2), bs, fillFrom, barT, bt, per, byBar[j], hits, mean, mean+12, st, hit, newFig)
		}
		// The hi-hat on the backbeats (2 and 4; in threes, 2).
		lift = 0
		for b := 1; b < pbar.Meter.Beats(); b += 2 {
			hit(drums.PedalHat, bs+music.Ticks(b)*bt, 40+mean/4, -1)
		}
	}
	comp(slices.Clone(strokes), turn.Downbeat, fillAt, per, mean, st, &figs, hit, figOf)

	// One stroke of a drum at a time: unisons merged, the louder kept.
	slices.SortStableFunc(strokes, func(a, b stroke) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return int(a.key) - int(b.key)
	})
	merged := strokes[:0]
	for _, s := range strokes {
		if k := len(merged) - 1; k >= 0 && merged[k].at == s.at && merged[k].key == s.key {
			merged[k].vel, merged[k].dur = max(merged[k].vel, s.vel), max(merged[k].dur, s.dur)
			continue
		}
		merged = append(merged, s)
	}
	strokes = merged

	params := fmt.Sprintf("%s %s turn=%d-%d", st.Params, drummerParam, turn.From+1, turn.To)
	origins := make([]*music.Origin, len(figs))
	for i, f := range figs {
		origins[i] = music.Derived(Generator, params+" op="+f.op, f.from...)
		if len(f.from) == 0 { // from none of the player's notes: made, not transformed
			origins[i].Kind = music.MachineGenerated
		}
	}
	// The hi-hat keeps time: from none of the player's notes.
	timeOrigin := &music.Origin{Kind: music.MachineGenerated, Generator: Generator, Params: params + " op=time"}
	devs := make([]Development, len(figs))
	for i, f := range figs {
		devs[i] = Development{Op: f.op, Detail: f.detail, From: f.from}
	}
	notes := make([]music.Note, 0, len(strokes))
	for _, s := range strokes {
		o := timeOrigin
		if s.figure >= 0 {
			o = origins[s.figure]
		}
		n := music.Note{ID: st.IDs.Next(), Pitch: s.key, Velocity: uint8(s.vel), Channel: drums.Channel, Start: s.at, Duration: s.dur, Origin: o}
		if s.figure >= 0 {
			devs[s.figure].To = append(devs[s.figure].To, n.ID)
		}
		notes = append(notes, n)
	}
	// A figure that kept no stroke of its own (all merged) explains none.
	devs = slices.DeleteFunc(devs, func(d Development) bool { return len(d.To) == 0 })
	// In the order they are heard (the comping, made last, among them).
	slices.SortStableFunc(devs, func(a, b Development) int { return int(a.To[0] - b.To[0]) })
	return notes, devs, nil
}

// plan gives each bar of an nb-bar turn its role, and where an eight's
// second four starts (nb for a four). A four: the first bar restates,
// the middle bars take turns at orchestrate and displace (in an order
// the seed draws), the last fills. An eight is two related fours, as a
// drummer trades eights: the statement (restate, the middle bars, a
// one-beat set-up into the second four), then its development, coming
// in with a crash on its downbeat, the bars orchestrated, displaced the
// other way round and doubled, each louder than the last, to a two-beat
// fill.
func plan(nb int, r *rand.Rand) (roles []string, half int) {
	roles = make([]string, nb)
	middle := []string{"orchestrate", "displace"}
	if r.IntN(2) == 0 {
		middle[0], middle[1] = middle[1], middle[0]
	}
	roles[0] = "restate"
	if nb < 8 {
		for k := 1; k < nb-1; k++ {
			roles[k] = middle[(k-1)%2]
		}
		if nb > 1 {
			roles[nb-1] = "fill"
		}
		return roles, nb
	}
	half = nb / 2
	for k := 1; k < half-1; k++ {
		roles[k] = middle[(k-1)%2]
	}
	roles[half-1] = "setup"
	roles[half] = "orchestrate"
	second := []string{middle[1], "double"}
	for k := half + 1; k < nb-1; k++ {
		roles[k] = second[(k-half-1)%2]
	}
	roles[nb-1] = "fill"
	return roles, half
}

// swingOrStraight is the grid of the break's own figures (fills,
// comping): 3 (triplet eighths) where the player swung, more onsets on
// the triplets than on the sixteenths off the eighths, else 4.
func swingOrStraight(hits []onset, bt music.Ticks) music.Ticks {
	trip, six := 0, 0
	for _, h := range hits {
		switch off := h.at % bt; {
		case off == bt/3 || off == 2*bt/3:
			trip++
		case off == bt/4 || off == 3*bt/4:
			six++
		}
	}
	if six > trip {
		return 4
	}
	return 3
}

// gridStep is the step of the grid an offset in its beat (off of bt)
// lies on: a triplet eighth where it is on the triplets (on the beat, where
// the player swung), else a sixteenth.
func gridStep(off, bt, per music.Ticks) music.Ticks {
	if off%(bt/3) == 0 && (off != 0 || per == 3) {
		return bt / 3
	}
	return bt / 4
}

// unitWords names a beat's per-th: "triplet", "sixteenth".
func unitWords(per music.Ticks) string {
	if per == 3 {
		return "triplet"
	}
	return "sixteenth"
}

// fill plays a fill from fillFrom to the bar's end (barT, the bar at bs)
// on the grid of per to the beat: around the kit from the high tom down,
// crescendo from the phrase's mean to top, the player's onsets in that
// part of the bar answered (barHits) accented with the bass drum. op is
// "fill" (into the player's downbeat) or "setup" (into an eight's second
// four), intro says into what.
func fill(op, intro string, bs, fillFrom, barT, bt, per music.Ticks, barHits, hits []onset, mean, top int, st *State,
	hit func(uint8, music.Ticks, int, int), newFig func(string, string, []onset) int) {
	kind := "triplets"
	if per == 4 {
		kind = "sixteenths"
	}
	u := bt / per
	// The player's ending: their onsets in the last beats of the bar.
	var ending []onset
	for _, h := range barHits {
		if h.at >= fillFrom {
			ending = append(ending, h)
		}
	}
	accented := map[music.Ticks]bool{}
	var words []string
	for _, h := range ending {
		at := (h.at + u/2) / u * u // to the fill's grid
		if at < barT {
			accented[at] = true
			words = append(words, "beat "+beatWords(h.at, bt))
		}
	}
	if len(ending) == 0 && len(hits) > 0 {
		ending = hits[max(len(hits)-2, 0):]
	}
	detail := fmt.Sprintf("%s: %s around the kit from the high tom down, crescendo", intro, kind)
	if len(words) > 0 {
		detail += ", the player's last onsets (" + strings.Join(words, ", ") + ") with the bass drum"
	} else {
		detail += ", answering the phrase's last notes"
	}
	fig := newFig(op, detail, ending)
	order := []uint8{drums.HighTom, drums.Snare, drums.MidTom, drums.LowTom, drums.FloorTom}
	if op == "setup" { // a short one: snare and high tom
		order = []uint8{drums.Snare, drums.HighTom}
	}
	n := int((barT - fillFrom) / u)
	for i := range n {
		at := fillFrom + music.Ticks(i)*u
		v := mean + (top-mean)*i/max(n-1, 1)
		if accented[at] {
			hit(drums.Kick, bs+at, v+12, fig)
			hit(drums.Snare, bs+at, v+12, fig)
			continue
		}
		if i > 0 && i < n-1 && st.Rand.IntN(4) == 0 { // broken: a stroke left out
			continue
		}
		hit(order[min(i*len(order)/n, len(order)-1)], bs+at, v, fig)
	}
	hit(drums.Kick, bs+fillFrom+music.Ticks(n-1)*u, top, fig)
}

// comp fills the space of a break as a drummer does: where two beats or
// more pass between strokes (from the downbeat to the last fill, at),
// time on the ride (each beat, the skip note after 2 and 4: "ding,
// ding-a"), a comping stroke on the snare on the "and" of a beat in each
// bar, and where three beats or more lead to a stroke of the player's
// rhythm (an anchor), a pickup on the beat before it, snare to high tom,
// crescendo. The ride and the snare keep time (from none of the player's
// notes); the pickup comes from the notes of the figure it leads into.
func comp(made []stroke, from, to, per music.Ticks, mean int, st *State, figs *[]figure,
	hit func(uint8, music.Ticks, int, int), newFig func(string, string, []music.NoteID) int) {
	var at []music.Ticks
	anchor := map[music.Ticks]int{} // the figure of the player's rhythm a stroke is in

	for _, s := range made {
		if s.key == drums.PedalHat || s.at < from || s.at >= to {
			continue
		}
		at = append(at, s.at)
		if _, ok := anchor[s.at]; !ok && s.figure >= 0 && len((*figs)[s.figure].from) > 0 {
			anchor[s.at] = s.figure
		}
	}
	at = append(at, from, to)
	slices.Sort(at)
	at = slices.Compact(at)
	where := func(t music.Ticks) string {
		s := st.Grid.Locate(t)
		return fmt.Sprintf("bar %d beat %s", s.Bar+1, beatWords(t-s.BarStart, s.BeatTicks))
	}
	for i := 1; i < len(at); i++ {
		g0, g1 := at[i-1], at[i]
		bt := st.Grid.Locate(g0).BeatTicks
		if g1-g0 < 2*bt {
			continue
		}
		u := bt / per
		skip := 2 * u // the swung eighth's "a"
		if per == 4 {
			skip = 3 * u
		}
		af, ok := anchor[g1]
		pickup := ok && g1 < to && g1-g0 >= 3*bt
		fig := newFig("comp", fmt.Sprintf("time in the space from %s to %s: the ride (ding, ding-a), the snare comping", where(g0), where(g1)), nil)
		snared := map[int]bool{} // bars that have their comping stroke
		for b := g0; b < g1; {
			s := st.Grid.Locate(b)
			beat := s.BarStart + music.Ticks(s.BarBeat)*s.BeatTicks
			if beat > g0 {
				hit(drums.Ride, beat, max(30, mean-14), fig)
			}
			if s.BarBeat%2 == 1 && beat+skip > g0 && beat+skip < g1 {
				hit(drums.Ride, beat+skip, max(25, mean-22), fig)
			}
			// One comping stroke a bar, on the "and" of a beat the seed
			// draws, a beat clear of the stroke ending the space.
			if and := beat + 2*u; !snared[s.Bar] && and > g0 && and < g1-bt && st.Rand.IntN(2) == 0 {
				hit(drums.Snare, and, max(30, mean-12), fig)
				snared[s.Bar] = true
			}
			b = beat + s.BeatTicks
		}
		if pickup {
			f := (*figs)[af]
			pf := newFig("pickup", fmt.Sprintf("a pickup on the snare and high tom into the %s figure at %s", f.op, where(g1)), f.from)
			// On the grid of the stroke it leads into, the beat before it.
			s := st.Grid.Locate(g1)
			pu := gridStep((g1-s.BarStart)%s.BeatTicks, s.BeatTicks, per)
			for p := g1 - bt + pu; p < g1; p += pu {
				v := mean - 8 + 12*int(p-(g1-bt))/int(bt)
				key := uint8(drums.Snare)
				if p+pu >= g1 {
					key = drums.HighTom
				}
				hit(key, p, v, pf)
			}
		}
	}
}

// inPhrase counts the phrase's notes in its own bars.
func inPhrase(p Phrase, st *State) int {
	c := 0
	for _, n := range p.Notes {
		if b := st.Grid.Locate(n.Start).Bar; b >= p.From && b < p.To {
			c++
		}
	}
	return c
}

// phraseOnsets are the onsets of the phrase's notes in its bars, on the
// drummer's grid, in time order: the notes that start together
// one onset, its loudest velocity and highest pitch.
func phraseOnsets(p Phrase, st *State) []onset {
	var out []onset
	var vsum, n int
	type key struct {
		bar int
		at  music.Ticks
	}
	idx := map[key]int{}
	long := map[key]bool{}
	// Each beat on one grid, the one its onsets fit best: triplets or
	// sixteenths (a drummer does not mix them inside a beat).
	type beatKey struct{ bar, beat int }
	miss := map[beatKey][2]music.Ticks{}
	for _, nt := range p.Notes {
		s := st.Grid.Locate(nt.Start)
		off := nt.Start - s.BarStart
		m := miss[beatKey{s.Bar, s.BarBeat}]
		m[0] += max(off-snapTo(off, s.BeatTicks, 3), snapTo(off, s.BeatTicks, 3)-off)
		m[1] += max(off-snapTo(off, s.BeatTicks, 4), snapTo(off, s.BeatTicks, 4)-off)
		miss[beatKey{s.Bar, s.BarBeat}] = m
	}
	for _, nt := range p.Notes {
		s := st.Grid.Locate(nt.Start)
		per := music.Ticks(3)
		if m := miss[beatKey{s.Bar, s.BarBeat}]; m[1] < m[0] {
			per = 4
		}
		bar, at := s.Bar, snapTo(nt.Start-s.BarStart, s.BeatTicks, per)
		if at >= s.Meter.BarTicks() {
			bar, at = bar+1, 0
		}
		if bar < p.From || bar >= p.To {
			continue
		}
		k := key{bar - p.From, at}
		vsum += int(nt.Velocity)
		n++
		if nt.Duration >= s.BeatTicks*3/2 {
			long[k] = true
		}
		if i, ok := idx[k]; ok {
			o := &out[i]
			o.vel, o.pitch = max(o.vel, nt.Velocity), max(o.pitch, int(nt.Pitch))
			o.ids = append(o.ids, nt.ID)
			continue
		}
		idx[k] = len(out)
		out = append(out, onset{bar: k.bar, at: at, vel: nt.Velocity, pitch: int(nt.Pitch), ids: []music.NoteID{nt.ID}})
	}
	if n == 0 {
		return nil
	}
	mean := vsum / n
	for i := range out {
		k := key{out[i].bar, out[i].at}
		out[i].accent = int(out[i].vel) >= mean+8 || long[k]
	}
	slices.SortFunc(out, func(a, b onset) int {
		if a.bar != b.bar {
			return a.bar - b.bar
		}
		return int(a.at - b.at)
	})
	return out
}

// beatWords says where in its bar an offset falls, as "2", "2.5",
// "3.33" (beats from 1).
func beatWords(at, bt music.Ticks) string {
	return fmt.Sprintf("%.3g", 1+float64(at)/float64(bt))
}

// shiftWords says a displacement in beats: "a beat later", "1.5 beats
// earlier".
func shiftWords(shift, bt music.Ticks) string {
	b := float64(shift) / float64(bt)
	dir := "later"
	if b < 0 {
		b, dir = -b, "earlier"
	}
	if b == 1 {
		return "a beat " + dir
	}
	return fmt.Sprintf("%.3g beats %s", b, dir)
}
