// Package trade trades fours (or eights) with a player over a chart: the
// player's phrases sit in alternate groups of bars (bars 1–4, 9–12, … for
// fours) and the sideman answers in the groups between, developing what it
// heard.
//
// A Trader is fed the player's notes as they arrive (NoteOn, NoteOff, or
// Play for a whole note read from a file) and asked for each answer as
// late as the caller likes (Answer): every note fed before the call
// conditions the answer, a note still held then is learned with its
// duration so far, and the answer is due on the downbeat of the
// sideman's turn (its first note there or, where it breathes, later). A
// pickup before that downbeat is allowed only when the answer was asked
// for early enough (Turn.Earliest).
//
// Time is ticks (music.PPQ a quarter) on the chart's grid, the bars the
// chart is played in (music.PlayedBar); a live front end converts the
// player's seconds with Ticks at the tempo it plays the band at.
//
// The player's phrases are learned, as they come, into the short-term
// model of a model.Session (Pearce 2005; the session holds the
// conversation in time order: the player's turns and the answers), and
// kept (Phrases) for motif development. What the sideman answers is an
// Answerer's: Develop takes the phrase's most characteristic cell,
// states it on the answer's chords with the style model and develops it
// with improv/motif's operators, leaving space; Drums answers as a
// drummer trading fours, the player's rhythm on the kit; others (the
// soloist of package improv) plug in through the same small interface.
package trade

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"sideman/model"
	"sideman/music"
)

// Generator names the trade in the Origin of the notes it makes.
const Generator = "improv/trade"

// Lateness is how long before the downbeat a player's note may start and
// still condition the answer, by the measure: 10 ms. A caller
// that asks for the answer at the downbeat less Lateness (Trader.Answer)
// hears all of them.
const Lateness = 0.010 // seconds

// Turns says whose bars are whose: groups of Bars bars (4 or 8), the
// player's first (group 0, 2, …), the sideman's between.
type Turns struct{ Bars int }

// Player reports whether played bar b (0 the first) is the player's.
func (t Turns) Player(b int) bool { return (b/t.Bars)%2 == 0 }

// Group is the group of bars [from, to) that bar b belongs to.
func (t Turns) Group(b int) (from, to int) {
	from = b / t.Bars * t.Bars
	return from, from + t.Bars
}

// Phrase is what the player played in one turn.
type Phrase struct {
	// Bars [From, To) are the player's turn, in played bars (0 the first).
	From, To int
	// Notes are every note of the player's that this answer heard first,
	// sorted by Start, with their ids and Origins: the turn's, the pickup
	// into it, and any played over the sideman's last answer.
	Notes []music.Note
	// Line is the melody the session learned of them, in time order (of
	// notes that start together the highest): Notes less those played
	// before the last note the session held (over the answer), which are
	// kept here and in the output but not learned, the session being one
	// line in time.
	Line []model.Event
	// Held are the ids of the notes still sounding when the answer was
	// asked for: Notes and Line have their duration so far, Trader.Heard
	// their whole duration once released.
	Held []music.NoteID
}

// LineNotes are the notes of Line, as Notes holds them.
func (p Phrase) LineNotes() []music.Note {
	out := make([]music.Note, 0, len(p.Line))
	for _, e := range p.Line {
		for _, n := range p.Notes {
			if n.ID == e.ID {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// Turn is the sideman's turn an answer fills.
type Turn struct {
	// Bars [From, To) in played bars; Downbeat is where From starts, End
	// where To starts (or the last bar ends).
	From, To      int
	Downbeat, End music.Ticks
	// Asked is when the answer was asked for. Earliest is where its first
	// note may start: the downbeat, or up to a beat before it (a pickup)
	// when asked early enough: Earliest = max(Asked + half a beat,
	// Downbeat - a beat), and never after the downbeat. Half a beat is the
	// time the answer has to reach the player's ears before it sounds.
	Asked, Earliest music.Ticks
	// Index counts the sideman's turns from 0.
	Index int
}

// Development says which of the player's notes an answer develops and by
// which operation: the explanation a studio shows.
type Development struct {
	// Op is the operation ("restate", "sequence", "invert",
	// "retrograde", "stretch", "ornament", "displace", "approach"),
	// Detail says how in a musician's words.
	Op     string `json:"op"`
	Detail string `json:"detail,omitempty"`
	// From are the player's notes developed, To the answer's notes that
	// develop them.
	From []music.NoteID `json:"from"`
	To   []music.NoteID `json:"to"`
}

// Answer is the sideman's answer to one phrase.
type Answer struct {
	Turn         Turn
	Heard        Phrase
	Notes        []music.Note
	Developments []Development
}

// Answerer makes the sideman's answers. Answer returns the notes of the
// sideman's turn (none before turn.Earliest, none at or after turn.End),
// each with an id from st.IDs and an Origin naming Generator, and what
// they develop. It plays its notes into st.Session as it chooses them
// (State.Learn), so that each is predicted from the ones before; the
// Trader does not learn them again.
type Answerer interface {
	Answer(ctx context.Context, heard Phrase, turn Turn, st *State) ([]music.Note, []Development, error)
}

// State is what an Answerer may read and use.
type State struct {
	// Session is the conversation so far: the player's phrases and the
	// answers, learned in time order.
	Session *model.Session
	// Phrases are the player's phrases heard so far, the one answered last.
	Phrases []Phrase
	// Bars are the chart as played, Grid their beats, Key its key.
	Bars []music.PlayedBar
	Grid *music.BeatGrid
	Key  music.Key
	// IDs numbers the answer's notes; Rand is seeded from the options'
	// seed and the turn, so the same seed gives the same answers.
	IDs  *music.IDs
	Rand *rand.Rand
	// Params names the model (and its hash) and the seed, for Origins.
	Params string
	spans  []music.ChordSpan
	last   music.Ticks // onset of the last event the session learned; -1 none
}

// Event is the note as the model reads it: its chord, key and place on
// the grid.
func (st *State) Event(n music.Note) model.Event {
	e := model.Event{ID: n.ID, Pitch: int(n.Pitch), Onset: n.Start, Duration: n.Duration,
		Tonic: st.Key.Tonic.PitchClass(), Minor: st.Key.Mode == music.Minor}
	i, _ := slices.BinarySearchFunc(st.spans, n.Start, func(s music.ChordSpan, t music.Ticks) int {
		if s.Start <= t {
			return -1
		}
		return 1
	})
	if i > 0 && !st.spans[i-1].Chord.NoChord {
		ch := st.spans[i-1].Chord
		e.HasChord, e.Root, e.Tones = true, ch.Root.PitchClass(), ch.PitchClasses()
	}
	s := st.Grid.Locate(n.Start)
	e.Bar, e.Beat, e.Offset, e.BeatTicks = s.Bar, s.BarBeat, s.Offset, s.BeatTicks
	return e
}

// Chord is the chord sounding at t (music.NC where none).
func (st *State) Chord(t music.Ticks) music.Chord {
	e := st.Event(music.Note{Start: t})
	if !e.HasChord {
		return music.NC
	}
	i, _ := slices.BinarySearchFunc(st.spans, t, func(s music.ChordSpan, t music.Ticks) int {
		if s.Start <= t {
			return -1
		}
		return 1
	})
	return st.spans[i-1].Chord
}

// Learn plays an event into the session when it comes after the last
// one (the session is one line in time) and reports whether it did.
func (st *State) Learn(e model.Event) bool {
	if e.Onset <= st.last {
		return false
	}
	st.Session.Add(e)
	st.last = e.Onset
	return true
}

// Options say how the sideman trades.
type Options struct {
	// Bars is the length of a turn: 4 (trading fours, 0 is 4) or 8.
	Bars int
	// Model is the style model; ModelName and ModelHash name it in the
	// answers' Origins.
	Model                *model.Model
	ModelName, ModelHash string
	// Key is the chart's key (the scale-degree viewpoints read it).
	Key music.Key
	// Seed makes the answers repeatable.
	Seed uint64
	// IDs numbers the answers' notes; nil: music.IDsFor("trade").
	IDs *music.IDs
	// Answerer makes the answers; nil is Develop{}.
	Answerer Answerer
}

// Errors of a Trader.
var (
	ErrBars      = errors.New("trade: a turn is 4 or 8 bars")
	ErrNoModel   = errors.New("trade: no model")
	ErrNoTurn    = errors.New("trade: no sideman's turn left in the chart")
	ErrAnswered  = errors.New("trade: turn answered already")
	ErrEarly     = errors.New("trade: answer note before its turn allows")
	ErrTimeOrder = errors.New("trade: notes fed out of time order")
)

// Trader trades turns with one player over a chart as played. It is not
// safe for concurrent use.
type Trader struct {
	opt      Options
	turns    Turns
	st       State
	heard    []music.Note    // every note fed, in the order fed
	held     map[heldKey]int // index into heard of each note sounding
	next     int             // heard[next:] are in no phrase yet
	learned  int             // heard[:learned] are learned or passed over
	pending  []model.Event   // learned since the last phrase
	answered map[int]bool    // sideman's turns answered, by first bar
	answers  []Answer
}

type heldKey struct{ channel, pitch uint8 }

// New starts trading over the bars of a chart as played (Chart.Unroll:
// as many choruses as the trade lasts).
func New(bars []music.PlayedBar, opt Options) (*Trader, error) {
	if opt.Bars == 0 {
		opt.Bars = 4
	}
	if opt.Bars != 4 && opt.Bars != 8 {
		return nil, ErrBars
	}
	if opt.Model == nil {
		return nil, ErrNoModel
	}
	if opt.IDs == nil {
		opt.IDs = music.IDsFor(Generator)
	}
	if opt.Answerer == nil {
		opt.Answerer = Develop{}
	}
	t := &Trader{opt: opt, turns: Turns{opt.Bars}, held: map[heldKey]int{}, answered: map[int]bool{}}
	t.st = State{Session: opt.Model.Session(), Bars: bars, Grid: music.GridOf(bars), Key: opt.Key, IDs: opt.IDs,
		spans: music.Spans(bars), last: -1,
		Params: fmt.Sprintf("model=%s model-sha256=%s seed=%d bars=%d", opt.ModelName, opt.ModelHash, opt.Seed, opt.Bars)}
	return t, nil
}

// Ticks converts seconds from the first downbeat to ticks at a steady
// tempo in quarter notes a minute: for a live front end playing the band
// at that tempo.
func Ticks(seconds, bpm float64) music.Ticks {
	return music.Ticks(seconds*bpm/60*music.PPQ + 0.5)
}

// NoteOn feeds a note as it starts: n.Start is when, n.Duration is not
// read; its ID and Origin are kept. Notes are fed in time order.
func (t *Trader) NoteOn(n music.Note) error {
	if k := len(t.heard); k > 0 && n.Start < t.heard[k-1].Start {
		return ErrTimeOrder
	}
	n.Duration = 0
	k := heldKey{n.Channel, n.Pitch}
	if i, ok := t.held[k]; ok { // struck again while sounding: the first ends
		t.heard[i].Duration = max(n.Start-t.heard[i].Start, 1)
	}
	t.held[k] = len(t.heard)
	t.heard = append(t.heard, n)
	t.learn(music.Ticks(math.MaxInt64), 0, false)
	return nil
}

// learn plays the notes heard into the session as they come, in time
// order, of notes that start together the highest: a note once it has
// ended and a later one has started (so that no other can join its
// onset). Answering, it learns every note before the downbeat upTo, one
// still sounding with its duration so far (now less its start).
func (t *Trader) learn(upTo, now music.Ticks, answering bool) {
	for t.learned < len(t.heard) {
		g, h := t.learned, t.learned
		for h < len(t.heard) && t.heard[h].Start == t.heard[g].Start {
			h++
		}
		if t.heard[g].Start >= upTo || (h == len(t.heard) && !answering) {
			return
		}
		top := g
		for k := g; k < h; k++ {
			if t.heard[k].Pitch >= t.heard[top].Pitch {
				top = k
			}
		}
		n := t.heard[top]
		if n.Duration == 0 {
			if !answering {
				return
			}
			n.Duration = max(now-n.Start, 1)
		}
		if e := t.st.Event(n); t.st.Learn(e) {
			t.pending = append(t.pending, e)
		}
		t.learned = h
	}
}

// NoteOff ends the sounding note of that channel and pitch at tick at;
// one not sounding is ignored (as a synthesizer does).
func (t *Trader) NoteOff(channel, pitch uint8, at music.Ticks) {
	k := heldKey{channel, pitch}
	if i, ok := t.held[k]; ok {
		t.heard[i].Duration = max(at-t.heard[i].Start, 1)
		delete(t.held, k)
		t.learn(music.Ticks(math.MaxInt64), 0, false)
	}
}

// Play feeds a whole note (from a file): NoteOn now, NoteOff at its end,
// where the caller has already passed it. Use NoteOn and NoteOff to feed
// notes that are still sounding when an answer is asked for.
func (t *Trader) Play(n music.Note) error {
	d := n.Duration
	if err := t.NoteOn(n); err != nil {
		return err
	}
	t.NoteOff(n.Channel, n.Pitch, n.Start+max(d, 1))
	return nil
}

// Next is the sideman's turn the answer asked for at tick now fills: the
// first whose downbeat is at or after now.
func (t *Trader) Next(now music.Ticks) (Turn, error) {
	if len(t.st.Bars) == 0 {
		return Turn{}, ErrNoTurn
	}
	s := t.st.Grid.Locate(now)
	b := s.Bar
	if s.BarStart < now || b < 0 {
		b++
	}
	b = max(b, 0)
	for ; b < len(t.st.Bars); b++ {
		if !t.turns.Player(b) && b%t.turns.Bars == 0 {
			break
		}
	}
	if b >= len(t.st.Bars) {
		return Turn{}, ErrNoTurn
	}
	to := min(b+t.turns.Bars, len(t.st.Bars))
	last := t.st.Bars[to-1]
	tu := Turn{From: b, To: to, Downbeat: t.st.Bars[b].Start, End: last.End(), Asked: now, Index: b / (2 * t.turns.Bars)}
	beat := t.st.Bars[b].Meter.BeatTicks()
	tu.Earliest = min(max(now+beat/2, tu.Downbeat-beat), tu.Downbeat)
	return tu, nil
}

// Answer answers the player's last turn: it fills the sideman's next turn
// whose downbeat is at or after now, from every note fed so far that
// starts before that downbeat. A note still sounding is heard with its
// duration so far (now less its start).
func (t *Trader) Answer(ctx context.Context, now music.Ticks) (*Answer, error) {
	tu, err := t.Next(now)
	if err != nil {
		return nil, err
	}
	if t.answered[tu.From] {
		return nil, ErrAnswered
	}
	ph := Phrase{From: max(tu.From-t.turns.Bars, 0), To: tu.From}
	end := t.next
	for end < len(t.heard) && t.heard[end].Start < tu.Downbeat {
		end++
	}
	for i := t.next; i < end; i++ {
		n := t.heard[i]
		if n.Duration == 0 { // still sounding: its duration so far
			n.Duration = max(now-n.Start, 1)
			ph.Held = append(ph.Held, n.ID)
		}
		ph.Notes = append(ph.Notes, n)
	}
	music.SortNotes(ph.Notes)
	t.learn(tu.Downbeat, now, true)
	ph.Line, t.pending = t.pending, nil
	t.st.Phrases = append(t.st.Phrases, ph)
	t.next = end
	t.st.Rand = rand.New(rand.NewPCG(t.opt.Seed, uint64(tu.From)))
	notes, devs, err := t.opt.Answerer.Answer(ctx, ph, tu, &t.st)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		if n.Start < tu.Earliest || n.Start >= tu.End {
			return nil, fmt.Errorf("%w: a note at tick %d, the turn is %d to %d", ErrEarly, n.Start, tu.Earliest, tu.End)
		}
	}
	t.answered[tu.From] = true
	a := Answer{Turn: tu, Heard: ph, Notes: notes, Developments: devs}
	t.answers = append(t.answers, a)
	return &a, nil
}

// Phrases are the player's phrases heard so far, for motif development.
func (t *Trader) Phrases() []Phrase { return t.st.Phrases }

// Answers are the answers given so far.
func (t *Trader) Answers() []Answer { return t.answers }

// Heard is every note the player played, with its whole duration where
// it has ended (a note still sounding has Duration 0), in the order fed:
// none is dropped, whichever group it starts in.
func (t *Trader) Heard() []music.Note { return slices.Clone(t.heard) }

// Session is the conversation the model holds.
func (t *Trader) Session() *model.Session { return t.st.Session }

// Sketch is the answer as it would be if asked for at tick now (when the
// answer will be asked for: it may be later than the last note fed),
// from the notes fed so far, without giving it: the Trader is left as it
// was (its session, phrases, ids and answers), so a front end can show
// the coming answer as it forms and ask again as more notes come. With
// no more notes fed, the answer asked for at now is the sketch, note for
// note, but for the ids: a sketch's notes take ids of their own
// (music.IDsFor(Generator + "-sketch")), none of the answer's.
func (t *Trader) Sketch(ctx context.Context, now music.Ticks) (*Answer, error) {
	c := *t
	c.held = nil // the copy is fed nothing
	c.pending = slices.Clone(t.pending)
	c.answered = maps.Clone(t.answered)
	c.answers = slices.Clip(t.answers)
	c.st.Session = t.st.Session.Clone()
	c.st.Phrases = slices.Clip(t.st.Phrases)
	c.st.IDs = music.IDsFor(Generator + "-sketch")
	return c.Answer(ctx, now)
}
