package trade

import (
	"context"
	"fmt"
	"sideman/model"
	"sideman/music"
)

// Develop is the first Answerer: it answers a phrase with its own rhythm
// and contour re-pitched on the chords of the answer's bars by the style
// model, as a player answering a four often does.
//
//   - rhythm: the phrase's onsets and durations are kept, moved so that
//     its first note falls on the turn's downbeat (displacement, where
//     the phrase did not start on a downbeat); notes that would run past
//     the turn are left out.
//   - contour: each interval goes the way the player's went (up, down or
//     repeated), its size drawn from the model's prediction over the
//     pitches, which favours the fuzzy-interval class (step, leap, jump)
//     the player used; not the player's very interval in the motif's
//     first three, nor once the answer has kept a third of them, so that
//     it is never a transposed copy; on the strong beats, chord tones
//     weigh five times.
//   - sequence: a phrase shorter than half the turn is played again a
//     bar or more later, re-pitched again, so a short motif is answered
//     by its development rather than an echo.
//   - approach: asked for early enough (Turn.Earliest before the
//     downbeat), a chromatic approach note an eighth before the first.
//
// A turn in which the player played nothing is answered by developing
// the last phrase that had notes; before any, by silence.
type Develop struct{}

// Answer implements Answerer.
func (Develop) Answer(ctx context.Context, heard Phrase, turn Turn, st *State) ([]music.Note, []Development, error) {
	src := heard
	for i := len(st.Phrases) - 1; len(src.Line) == 0 && i >= 0; i-- {
		src = st.Phrases[i]
	}
	if len(src.Line) == 0 {
		return nil, nil, ctx.Err()
	}
	line := src.LineNotes()
	// Conditioned on every note heard; derived from the line developed.
	from := ids(heard.Notes)
	if len(heard.Line) == 0 {
		from = append(from, ids(line)...)
	}
	origin := music.Derived(Generator, fmt.Sprintf("%s turn=%d-%d op=develop", st.Params, turn.From+1, turn.To), from...)

	// The rhythm, moved to the downbeat, and again a bar or more later
	// where it fills less than half the turn.
	shift := turn.Downbeat - line[0].Start
	span := line[len(line)-1].End() - line[0].Start
	barTicks := st.Bars[turn.From].Meter.BarTicks()
	type slot struct {
		src   int // index into line
		start music.Ticks
		dur   music.Ticks
		pass  int
	}
	var slots []slot
	for pass, off := 0, music.Ticks(0); pass < 4; pass++ {
		for i, n := range line {
			s := n.Start + shift + off
			if s >= turn.End {
				break
			}
			slots = append(slots, slot{i, s, min(n.Duration, turn.End-s), pass})
		}
		if span*2 > turn.End-turn.Downbeat {
			break
		}
		off += max((span+barTicks-1)/barTicks, 1) * barTicks
		if turn.Downbeat+off >= turn.End {
			break
		}
	}
	for i := range slots[:len(slots)-1] { // one line: a note ends where the next starts
		slots[i].dur = max(min(slots[i].dur, slots[i+1].start-slots[i].start), 1)
	}

	lo, hi := 127, 0
	for _, n := range line {
		lo, hi = min(lo, int(n.Pitch)), max(hi, int(n.Pitch))
	}
	alphabet := st.Session.Alphabet()
	w := make([]float64, len(alphabet))
	var notes []music.Note
	prev, same := -1, 0 // same: intervals the answer kept as the player's
	for k, sl := range slots {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		n := music.Note{ID: st.IDs.Next(), Velocity: line[sl.src].Velocity, Channel: line[sl.src].Channel,
			Start: sl.start, Duration: sl.dur, Origin: origin}
		e := st.Event(n)
		p := st.Session.Predict(e).Both
		exact := 0 // the player's interval here
		if sl.src > 0 {
			exact = int(line[sl.src].Pitch) - int(line[sl.src-1].Pitch)
		}
		// The player's range less, then more, room; the contour kept
		// unless nothing in reach keeps it.
		// The player's very interval is refused at the head of the
		// motif (its first three intervals, where a listener knows it)
		// and wherever the answer has kept more than a third of them.
		refuse := sl.src <= 3 || 3*same > k
		pick := -1
		for level := 0; pick < 0 && level < 3; level++ {
			room := []int{3, 12, 12}[level]
			weigh(w, p, alphabet, max(lo-room, 24), min(hi+room, 108), prev, k, sl.src, exact, int(line[0].Pitch), level < 2, refuse)
			// Chord tones on the strong beats weigh five times: the model
			// under the contour alone put 29% there over the WJazzD
			// phrases, the players 60%; five times gives 61%
			// (TestMotifDevelopment logs it).
			if e.HasChord && strong(e) {
				for a, pitch := range alphabet {
					if e.Tones&(1<<(pitch%12)) != 0 {
						w[a] *= 5
					}
				}
			}
			pick = sample(w, st.Rand.Float64())
		}
		if pick < 0 {
			pick = 0
		}
		n.Pitch = uint8(alphabet[pick])
		if k > 0 && sl.src > 0 && int(n.Pitch)-prev == exact {
			same++
		}
		e.Pitch = int(n.Pitch)
		st.Learn(e)
		notes = append(notes, n)
		prev = int(n.Pitch)
	}

	// What it develops, for the studio to show.
	var devs []Development
	var first, again []music.NoteID
	used := map[int]bool{}
	for i, sl := range slots {
		if sl.pass == 0 {
			first = append(first, notes[i].ID)
		} else {
			again = append(again, notes[i].ID)
		}
		used[sl.src] = true
	}
	var srcIDs []music.NoteID
	for i, n := range line {
		if used[i] {
			srcIDs = append(srcIDs, n.ID)
		}
	}
	all := ids(notes)
	devs = append(devs, Development{Op: "rhythm", Detail: "the phrase's onsets and durations", From: srcIDs, To: all})
	// Displaced where the phrase did not start within a 32nd of a downbeat.
	if at := st.Grid.Locate(line[0].Start); at.BarBeat != 0 || at.Offset > music.PPQ/8 {
		beat := float64(at.BarBeat+1) + float64(at.Offset)/float64(at.BeatTicks)
		devs = append(devs, Development{Op: "displacement", Detail: fmt.Sprintf("its start moved from beat %.3g of its bar to the downbeat of bar %d", beat, turn.From+1), From: srcIDs[:1], To: all[:1]})
	}
	devs = append(devs, Development{Op: "contour", Detail: "its ups and downs re-pitched on bars " + fmt.Sprintf("%d-%d", turn.From+1, turn.To) + "' chords by the model", From: srcIDs, To: first})
	if len(again) > 0 {
		devs = append(devs, Development{Op: "sequence", Detail: "played again later in the turn, re-pitched", From: srcIDs, To: again})
	}

	// An approach note into the first, when there is time for a pickup.
	if len(notes) > 0 && turn.Earliest <= turn.Downbeat-music.PPQ/2 && notes[0].Start == turn.Downbeat {
		target := int(notes[0].Pitch)
		step := -1 // from a semitone below, or above where the line falls
		if len(notes) > 1 && notes[1].Pitch < notes[0].Pitch {
			step = 1
		}
		pu := music.Note{ID: st.IDs.Next(), Pitch: uint8(target + step), Velocity: notes[0].Velocity, Channel: notes[0].Channel,
			Start: turn.Downbeat - music.PPQ/2, Duration: music.PPQ / 2,
			Origin: &music.Origin{Kind: music.MachineGenerated, Generator: Generator, Params: origin.Params + " pickup", DerivedFrom: from}}
		// The session already holds the answer: the pickup is not learned.
		notes = append([]music.Note{pu}, notes...)
		devs = append(devs, Development{Op: "approach", Detail: "a chromatic approach an eighth before the downbeat", From: nil, To: []music.NoteID{pu.ID, notes[1].ID}})
	}
	return notes, devs, nil
}

// weigh sets w to the model's probabilities p of the pitches in
// [lo, hi] that develop the player's interval exact (the one at source
// note src of the line) from the answer's last pitch prev: the first
// note within a fifth of the phrase's first (first), so that its
// contour fits where the player played it; a sequence starting again a
// step or leap from where the line stands; otherwise, with contour, the
// player's direction (up, down, repeat), the player's fuzzy-interval
// class weighed four times, no more than an octave (or the player's
// interval), and not the player's very interval where refuse says.
func weigh(w, p []float64, alphabet []int, lo, hi, prev, k, src, exact, first int, contour, refuse bool) {
	want := Contour(exact)
	for a, pitch := range alphabet {
		w[a] = 0
		if pitch < lo || pitch > hi {
			continue
		}
		w[a] = p[a]
		d := pitch - prev
		switch {
		case k == 0:
			if f := pitch - first; f < -7 || f > 7 {
				w[a] = 0
			}
		case src == 0:
			if d < -7 || d > 7 {
				w[a] = 0
			}
		case (refuse && d == exact) || abs(d) > max(12, abs(exact)):
			w[a] = 0
		case !contour:
		case sign(Contour(d)) != sign(want):
			w[a] = 0
		case Contour(d) == want:
			w[a] *= 4
		}
	}
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
