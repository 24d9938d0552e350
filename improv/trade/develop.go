package trade

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"sideman/improv/motif"
	"sideman/model"
	"sideman/music"
)

// Develop is the first Answerer: it answers a phrase the way a player
// answers a four, by taking its most characteristic cell and developing
// it on the chords of the answer's bars.
//
//   - The cell: of the phrase's windows of four to six notes that hold
//     no breath (no gap over two beats) and last at most a bar, the one
//     that stands out most: the most kinds of note length, its rhythm or
//     contour heard again elsewhere in the phrase, leaps and turns of
//     direction (a run of even eighths is the least characteristic);
//     ties drawn by the seed. Not always the phrase's start.
//   - Stated: the cell's rhythm kept, coming in on the downbeat (the
//     answer's first note is due there; a chromatic pickup before it
//     where Turn.Earliest allows), its contour re-pitched on the
//     answer's chords by the style model: each pitch drawn from the
//     session's prediction, restricted to the player's direction (up,
//     down, repeat), the player's interval class weighed eight times,
//     never the player's very interval at the head of the cell (so never
//     a transposed copy), chord tones three times on strong beats and
//     twice elsewhere.
//   - Developed: up to three more statements, every half bar or bar
//     where the cell's length allows, each by one of improv/motif's
//     operators on the cell: a sequence (the cell from a step, a third or
//     a fourth away), inversion, retrograde, stretch (intervals expanded
//     or contracted), ornament (an enclosure or neighbour) or
//     displacement; each again re-pitched on its chords by the model,
//     the operator's intervals weighed three times more.
//   - Breathing: the answer lasts two to four of the turn's bars (four
//     to eight trading eights; drawn, and never more than the phrase
//     heard and a bar; after each statement one chance in four that it
//     ends), its last note a chord tone wherever one is in reach, held
//     up to two beats, ending at least an eighth before the player comes
//     back in.
//
// A turn in which the player played nothing is answered by developing
// the last phrase that had two notes or more; before any, by silence.
type Develop struct{}

// An answer to a four holds at most this many notes (to an eight twice
// as many): a four is answered, not outplayed (and each note costs a
// prediction).
const maxAnswerNotes = 16

// planned is a note of the answer before its pitch is chosen.
type planned struct {
	start, dur music.Ticks
	vel        uint8
	from       []music.NoteID // the player's notes it derives from
	stmt       int            // the statement it belongs to
	want       int            // the interval to play into it (from the previous note of its statement)
	head       bool           // first note of its statement
	exact      bool           // want is the operator's own interval, to weigh
}

// statement is a statement of the cell in the answer.
type statement struct {
	op, detail string
	from       int // index into the plan
	to         int
	step       int // a sequence's step from the last statement's first pitch, 0 none
}

// Answer implements Answerer.
func (Develop) Answer(ctx context.Context, heard Phrase, turn Turn, st *State) ([]music.Note, []Development, error) {
	src := heard
	line := src.LineNotes()
	for i := len(st.Phrases) - 1; len(line) < 2 && i >= 0; i-- {
		src = st.Phrases[i]
		line = src.LineNotes()
	}
	if len(line) < 2 {
		return nil, nil, ctx.Err()
	}
	meter := st.Bars[turn.From].Meter
	barTicks, beat := meter.BarTicks(), meter.BeatTicks()
	lo, hi := 127, 0
	for _, n := range line {
		lo, hi = min(lo, int(n.Pitch)), max(hi, int(n.Pitch))
	}

	// The cell, as a motif the operators read: its notes from the
	// downbeat of its bar, in the phrase's key and chords.
	ci, cj := Cell(line, st.Rand)
	cell := line[ci:cj]
	at := st.Grid.Locate(cell[0].Start)
	m := &motif.Motif{Start: at.BarStart, Meter: meter, Key: st.Key, HasKey: true}
	for i, n := range cell {
		d := max(n.Duration, 1)
		if i+1 < len(cell) {
			d = max(min(d, cell[i+1].Start-n.Start), 1)
		}
		m.Notes = append(m.Notes, motif.Note{ID: n.ID, Pitch: int(n.Pitch), Onset: n.Start - at.BarStart, Duration: d,
			Velocity: n.Velocity, From: []music.NoteID{n.ID}})
	}
	for _, s := range st.spans {
		if s.Start+s.Duration > at.BarStart-barTicks && s.Start < at.BarStart+2*barTicks {
			m.Chords = append(m.Chords, motif.Chord{At: s.Start - at.BarStart, Chord: s.Chord})
		}
	}
	// The answer comes in on the downbeat: its first note is due there
	// (the studio measures it there), a pickup before it only when asked
	// for early enough (the approach note below); the cell's rhythm
	// follows, the player's micro-timing kept after the first note.
	entry := turn.Downbeat
	pos := m.Notes[0].Onset // the cell's first onset: its notes are placed from it

	// How long the answer lasts: two to four bars, no more than the
	// phrase and a bar; it ends an eighth before the player comes in.
	phraseBars := int((line[len(line)-1].End()-line[0].Start)/barTicks) + 1
	fours := max((turn.To-turn.From)/4, 1) // trading eights, twice as long
	bars := []int{2, 3, 3, 4, 4}[st.Rand.IntN(5)] * fours
	bars = max(min(bars, phraseBars+1, turn.To-turn.From), 1)
	most := maxAnswerNotes * fours
	end := min(turn.Downbeat+music.Ticks(bars)*barTicks, turn.End) - beat/2

	// The statements: the cell, then developments of it every half bar
	// or bar (as its length asks), while they fit.
	cellSpan := m.Notes[len(m.Notes)-1].Onset + m.Notes[len(m.Notes)-1].Duration - pos
	every := max((cellSpan+beat/2+2*beat-1)/(2*beat), 1) * 2 * beat
	var plan []planned
	var stmts []statement
	place := func(v motif.Variation, start music.Ticks, op, detail string, step int, exact bool) bool {
		if len(v.Notes) == 0 || len(plan)+len(v.Notes) > most {
			return false
		}
		first := len(plan)
		for i, n := range v.Notes {
			s := start + n.Onset - pos
			if s < turn.Earliest || s >= end || (len(plan) > 0 && s <= plan[len(plan)-1].start) {
				plan = plan[:first]
				return false
			}
			p := planned{start: s, dur: n.Duration, vel: n.Velocity, from: n.From, stmt: len(stmts), head: i == 0, exact: exact}
			if i > 0 {
				p.want = n.Pitch - v.Notes[i-1].Pitch
			}
			plan = append(plan, p)
		}
		stmts = append(stmts, statement{op: op, detail: detail, from: first, to: len(plan), step: step})
		return true
	}
	where := fmt.Sprintf("bar %d beat %s", at.Bar+1, beatName(at))
	how := fmt.Sprintf("its rhythm and contour moved to the downbeat of bar %d, on its chords", turn.From+1)
	if !place(motif.Of(m), entry, "restate", fmt.Sprintf("the cell of %s (%d notes): %s", where, len(cell), how), 0, false) {
		// Too long for the answer: its head alone.
		for k := len(m.Notes) - 1; k >= 2 && len(stmts) == 0; k-- {
			v := motif.Of(m)
			v.Notes = v.Notes[:k]
			place(v, entry, "restate", fmt.Sprintf("the head of the cell of %s (%d notes): its rhythm and contour", where, k), 0, false)
		}
	}
	ops := []string{"sequence", "sequence", "invert", "retrograde", "stretch", "ornament", "displace"}
	for s := entry + every; len(stmts) > 0 && len(stmts) < 4 && s < end; s += every {
		op := ops[st.Rand.IntN(len(ops))]
		v, ok := develop(m, op, st.Rand)
		step, detail := 0, ""
		if !ok || op == "sequence" {
			op, v = "sequence", motif.Of(m)
			step = []int{2, -2, 3, -3, 4, -4, 5, -5}[st.Rand.IntN(8)]
			detail = fmt.Sprintf("the cell again from %s %s, its contour and interval sizes on the chords there", stepName(step), dirName(step))
		} else {
			var ps []string
			for _, x := range v.Steps {
				ps = append(ps, stepWords(x))
			}
			detail = strings.Join(ps, ", ") + ", re-pitched on the chords there"
		}
		if !place(v, s, op, detail, step, true) {
			// No room for all of it: its head, where three notes or more fit.
			k := min(most-len(plan), len(v.Notes)-1)
			if k < 3 {
				break
			}
			v.Notes = v.Notes[:k]
			if !place(v, s, op, fmt.Sprintf("%s (its first %d notes)", detail, k), step, true) {
				break
			}
		}
		if st.Rand.IntN(4) == 0 { // a breath: the answer may end early
			break
		}
	}
	// Never a transposed copy: the interval edit distance is at least the
	// difference in notes, so an answer about as long as the phrase ends
	// a statement earlier (or its cell shorter); where none can, the
	// player's very interval is refused everywhere.
	for len(stmts) > 1 && abs(len(plan)-len(line)) < 3 {
		plan, stmts = plan[:stmts[len(stmts)-1].from], stmts[:len(stmts)-1]
	}
	if k := len(line) - 3; abs(len(plan)-len(line)) < 3 && k >= 4 && k < len(plan) {
		plan, stmts[0].to = plan[:k], k
	}
	if len(plan) == 0 {
		return nil, nil, ctx.Err()
	}
	for i := range plan { // one line: a note ends where the next starts
		next := end + beat/2
		if i+1 < len(plan) {
			next = plan[i+1].start
		}
		plan[i].dur = max(min(plan[i].dur, next-plan[i].start), 1)
	}
	last := &plan[len(plan)-1] // held into the breath, up to two beats
	last.dur = max(last.dur, min(2*beat, end-last.start))

	refuseAll := abs(len(plan)-len(line)) < 3
	notes, err := pitch(ctx, plan, stmts, line, lo, hi, refuseAll, st, turn, ci, cj)
	if err != nil {
		return nil, nil, err
	}

	var devs []Development
	for _, s := range stmts {
		d := Development{Op: s.op, Detail: s.detail}
		seen := map[music.NoteID]bool{}
		for k := s.from; k < s.to; k++ {
			d.To = append(d.To, notes[k].ID)
			for _, id := range plan[k].from {
				if !seen[id] {
					seen[id] = true
					d.From = append(d.From, id)
				}
			}
		}
		slices.Sort(d.From)
		devs = append(devs, d)
	}

	// An approach note into the first, when there is time for a pickup.
	if notes[0].Start-music.PPQ/2 >= turn.Earliest && notes[0].Start == turn.Downbeat {
		target := int(notes[0].Pitch)
		step := -1 // from a semitone below, or above where the line falls
		if len(notes) > 1 && notes[1].Pitch < notes[0].Pitch {
			step = 1
		}
		o := *notes[0].Origin
		o.Kind = music.MachineGenerated
		o.Params += " pickup"
		pu := music.Note{ID: st.IDs.Next(), Pitch: uint8(target + step), Velocity: notes[0].Velocity, Channel: notes[0].Channel,
			Start: notes[0].Start - music.PPQ/2, Duration: music.PPQ / 2, Origin: &o}
		// The session already holds the answer: the pickup is not learned.
		notes = append([]music.Note{pu}, notes...)
		devs = append(devs, Development{Op: "approach", Detail: "a chromatic approach an eighth before the first note", From: o.DerivedFrom, To: []music.NoteID{pu.ID, notes[1].ID}})
	}
	return notes, devs, nil
}

// develop applies one of improv/motif's operators to the cell.
func develop(m *motif.Motif, op string, rng *rand.Rand) (motif.Variation, bool) {
	for _, o := range motif.Operators {
		if o.Name == op {
			return o.Apply(m, motif.Of(m), rng)
		}
	}
	return motif.Variation{}, false
}

// pitch chooses the plan's pitches with the model, statement by
// statement, learning each into the session as it is chosen.
func pitch(ctx context.Context, plan []planned, stmts []statement, line []music.Note, lo, hi int, refuseAll bool, st *State, turn Turn, ci, cj int) ([]music.Note, error) {
	params := fmt.Sprintf("%s turn=%d-%d cell=%d-%d", st.Params, turn.From+1, turn.To, line[ci].ID, line[cj-1].ID)
	alphabet := st.Session.Alphabet()
	w := make([]float64, len(alphabet))
	notes := make([]music.Note, 0, len(plan)+1)
	beat := st.Bars[turn.From].Meter.BeatTicks()
	prev, headPitch, same := -1, -1, 0
	origins := make([]*music.Origin, len(stmts))
	for i, s := range stmts {
		origins[i] = music.Derived(Generator, params+" op="+s.op, nil...)
	}
	for k, pl := range plan {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s := stmts[pl.stmt]
		o := *origins[pl.stmt]
		o.DerivedFrom = pl.from
		n := music.Note{ID: st.IDs.Next(), Velocity: pl.vel, Start: pl.start, Duration: pl.dur, Origin: &o}
		e := st.Event(n)
		p := st.Session.Predict(e).Both
		// The player's very interval refused at the head of the cell as
		// first stated (where a listener knows it) and wherever the answer
		// has kept more than a third of them.
		// The developments keep the operator's intervals (a sequence is
		// heard as one); the answer as a whole stays far from a copy
		// (refuseAll where it is about as long as the phrase).
		refuse := refuseAll || (pl.stmt == 0 && (k <= 3 || 3*same > k))
		target := -1
		switch {
		case k == 0:
			target = int(line[ci].Pitch)
		case pl.head: // each statement starts near the last one's start: the register holds
			target = headPitch + s.step
		}
		// Chord tones weigh three times on the strong beats, twice
		// elsewhere (over the WJazzD phrases: the players 60% chord tones
		// on strong beats, 52% on any; the answers 52-65% and 49-53%;
		// TestMotifDevelopment logs them); the last note, held into the
		// breath, is a chord tone wherever one is in reach, of the chord it sounds
		// over (an anticipation's the next).
		var tones uint16
		ct := 3.0
		switch {
		case k == len(plan)-1:
			ct = 0 // the chord tones alone, below
			if c := st.Chord(pl.start + beat/4); !c.NoChord {
				tones = c.PitchClasses()
			}
		case e.HasChord && strong(e):
			tones = e.Tones
		case e.HasChord:
			tones, ct = e.Tones, 2
		}
		pick := -1
		for level := 0; pick < 0 && level < 3; level++ {
			room := []int{3, 12, 12}[level]
			weigh(w, p, alphabet, max(lo-room, 24), min(hi+room, 108), prev, target, s.step, pl, level < 2, refuse)
			if tones != 0 {
				last := ct == 0
				var in float64 // the chord tones' weight
				for a, pc := range alphabet {
					if tones&(1<<(pc%12)) != 0 {
						if !last {
							w[a] *= ct
						}
						in += w[a]
					}
				}
				if last && in > 0 { // a chord tone wherever one is in reach
					for a, pc := range alphabet {
						if tones&(1<<(pc%12)) == 0 {
							w[a] = 0
						}
					}
				}
			}
			pick = sample(w, st.Rand.Float64())
		}
		if pick < 0 {
			pick = 0
		}
		n.Pitch = uint8(alphabet[pick])
		if !pl.head && int(n.Pitch)-prev == pl.want {
			same++
		}
		if pl.head {
			headPitch = int(n.Pitch)
		}
		e.Pitch = int(n.Pitch)
		st.Learn(e)
		notes = append(notes, n)
		prev = int(n.Pitch)
	}
	return notes, nil
}

// weigh sets w to the model's probabilities p of the pitches in
// [lo, hi] that fit the planned note pl after the answer's last pitch
// prev: a statement's first note within a fifth of target (the cell's
// first pitch, or the last statement's first moved by a sequence's step,
// the nearer the likelier);  inside a statement, with contour, the direction of the
// interval wanted (up, down, repeat), its class (step, leap, jump) eight
// times, the operator's very interval three times where pl.exact and not
// refuse; never more than an octave (or the interval wanted), and never
// the very interval where refuse says.
func weigh(w, p []float64, alphabet []int, lo, hi, prev, target, step int, pl planned, contour, refuse bool) {
	want := pl.want
	for a, pitch := range alphabet {
		w[a] = 0
		if pitch < lo || pitch > hi {
			continue
		}
		w[a] = p[a]
		d := pitch - prev
		switch {
		case target >= 0:
			f := abs(pitch - target)
			if f > 7 {
				w[a] = 0
			} else if step != 0 {
				w[a] /= float64(1 + f) // a sequence's step, nearest first
			}
		case pl.head:
			if d < -7 || d > 7 {
				w[a] = 0
			}
		case (refuse && d == want) || abs(d) > max(12, abs(want)):
			w[a] = 0
		case !contour:
		case sign(d) != sign(want):
			w[a] = 0
		default:
			if intervalClass(d) == intervalClass(want) {
				w[a] *= 8
			}
			if pl.exact && d == want {
				w[a] *= 3
			}
		}
	}
}

// Cell is the phrase's most characteristic cell, line[i:j] (line one
// note at a time, by onset, as Phrase.LineNotes gives it): of its
// windows of four to six notes (all of a shorter line) with no gap of
// more than two beats and at most a bar from first onset to last, the
// highest by cellScore, ties drawn by rng.
func Cell(line []music.Note, rng *rand.Rand) (i, j int) {
	if len(line) <= 4 {
		return 0, len(line)
	}
	ms := motifLine(line)
	if len(ms) != len(line) { // not one note at a time: no cell but the start
		return 0, 4
	}
	ioi := motif.IOIs(ms)
	rg, cg := motif.RhythmGrams(ms), motif.ContourGrams(ms)
	best := -1.0
	i, j = 0, min(4, len(line))
	for a := 0; a+4 <= len(line); a++ {
		for b := a + 4; b <= min(a+6, len(line)); b++ {
			if line[b-1].Start-line[a].Start > 4*music.PPQ || slices.Max(ioi[a:b-1]) > 24 {
				continue
			}
			s := cellScore(ms[a:b], a, b, rg, cg) + rng.Float64()*0.25
			if s > best {
				best, i, j = s, a, b
			}
		}
	}
	return i, j
}

// cellScore is how much a window of the phrase (notes [a, b) of it)
// stands out: the kinds of note length in it, its rhythm and contour
// 3-grams heard again elsewhere in the phrase (what the player repeats
// is the motif), its leaps and turns of direction, a little for length.
func cellScore(w []motif.Note, a, b int, rg, cg []motif.Gram) float64 {
	ioi := motif.IOIs(w)
	kinds := map[int]bool{}
	for _, x := range ioi {
		kinds[x] = true
	}
	s := float64(len(kinds))
	again := func(gs []motif.Gram) int {
		n := 0
		for k, g := range gs {
			if k >= a && k < b-3 {
				continue
			}
			if g == gs[a] {
				n++
			}
		}
		return min(n, 3)
	}
	s += 1.5*float64(again(rg)) + 0.5*float64(again(cg))
	iv := motif.Intervals(w)
	for k, x := range iv {
		if abs(x) >= 3 {
			s += 0.5
		}
		if abs(x) >= 5 {
			s += 0.5
		}
		if k > 0 && sign(x) != 0 && sign(iv[k-1]) != 0 && sign(x) != sign(iv[k-1]) {
			s += 0.3
		}
	}
	return s + 0.2*float64(len(w)-4)
}

// motifLine is a line of notes as improv/motif reads a phrase (the top
// line, by onset): what its 3-grams and distances are measured on.
func motifLine(ns []music.Note) []motif.Note {
	out := make([]motif.Note, 0, len(ns))
	for _, n := range ns {
		if k := len(out) - 1; k >= 0 && out[k].Onset == n.Start {
			out[k].Pitch = max(out[k].Pitch, int(n.Pitch))
			continue
		}
		out = append(out, motif.Note{ID: n.ID, Pitch: int(n.Pitch), Onset: n.Start, Duration: n.Duration, Velocity: n.Velocity})
	}
	return out
}

// SharesGram reports whether two lines of notes share a contour 3-gram
// and a rhythm 3-gram, as improv/motif defines them (motif.SharesGram).
func SharesGram(a, b []music.Note) (contour, rhythm bool) {
	return motif.SharesGram(motifLine(a), motifLine(b))
}

// IntervalDistance is improv/motif's interval edit distance between two
// lines of notes: 0 for a transposed copy.
func IntervalDistance(a, b []music.Note) int {
	return motif.IntervalDistance(motifLine(a), motifLine(b))
}

// intervalClass classes an interval's size as the Jazzomat's fuzzy
// intervals do (Frieler, Pfleiderer et al., Inside the Jazzomat, 2017):
// 0 a repeat, 1 a step (1-2 semitones), 2 a leap (3-4), 3 a jump (5-7),
// 4 a large jump: the size an answer keeps when it re-pitches a contour.
func intervalClass(semitones int) int {
	switch a := abs(semitones); {
	case a == 0:
		return 0
	case a <= 2:
		return 1
	case a <= 4:
		return 2
	case a <= 7:
		return 3
	}
	return 4
}

func beatName(s music.Spot) string {
	b := float64(s.BarBeat+1) + float64(s.Offset)/float64(s.BeatTicks)
	return fmt.Sprintf("%.3g", b)
}

// stepWords says an operator's step as a musician would, the step
// itself after it.
func stepWords(x motif.Step) string {
	var a, k int
	var f, kind string
	w := ""
	switch x.Op {
	case "displace":
		if _, err := fmt.Sscanf(x.Params, "beats=%s", &f); err == nil {
			w = "the cell displaced by " + f + " of a beat"
		}
	case "ornament":
		if _, err := fmt.Sscanf(x.Params, "at=%d kind=%s", &a, &kind); err == nil {
			w = fmt.Sprintf("note %d of the cell ornamented (%s)", a, kind)
		}
	case "expand", "contract":
		if _, err := fmt.Sscanf(x.Params, "from=%d len=%d factor=%s", &a, &k, &f); err == nil {
			w = fmt.Sprintf("the intervals of notes %d-%d of the cell %sed by %s", a, a+k-1, x.Op, f)
		}
	case "invert":
		if _, err := fmt.Sscanf(x.Params, "from=%d len=%d", &a, &k); err == nil {
			w = fmt.Sprintf("notes %d-%d of the cell upside down", a, a+k-1)
		}
	case "retrograde":
		if _, err := fmt.Sscanf(x.Params, "from=%d len=%d", &a, &k); err == nil {
			w = fmt.Sprintf("notes %d-%d of the cell backwards", a, a+k-1)
		}
	}
	if w == "" {
		return "the cell " + x.String()
	}
	return w + " (" + x.String() + ")"
}

func stepName(step int) string {
	switch abs(step) {
	case 1:
		return "a semitone"
	case 2:
		return "a whole step"
	case 3:
		return "a minor third"
	case 4:
		return "a major third"
	}
	return "a fourth"
}

func dirName(step int) string {
	if step < 0 {
		return "down"
	}
	return "up"
}

// strong reports whether an event starts on a strong beat (the first or
// third of its bar), within a 32nd after it.
func strong(e model.Event) bool {
	return (e.Beat == 0 || e.Beat == 2) && e.Offset <= music.PPQ/8
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// sample draws an index in proportion to w, u uniform in [0, 1); -1
// where w is all zero.
func sample(w []float64, u float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	if !(sum > 0) {
		return -1
	}
	u *= sum
	last := -1
	for i, x := range w {
		if x <= 0 {
			continue
		}
		last = i
		if u < x {
			return i
		}
		u -= x
	}
	return last
}

func ids(ns []music.Note) []music.NoteID {
	out := make([]music.NoteID, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}
