package improv

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"sideman/band"
	"sideman/model"
	"sideman/music"
)

// Version of the soloist, in every note's Origin: a change to what it
// plays for a given seed changes it.
const Version = "3"

// DefaultLow and DefaultHigh are the range a soloist plays in unless
// told: WJazzD's soloists' pitches from the 1st percentile to the 99th
// (49 to 83, the median 66; 6% of their notes lie under 55).
const (
	DefaultLow  = 49
	DefaultHigh = 83
)

// Generator names the soloist in its notes' Origin.
const Generator = "improv/solo"

// Options say how the soloist plays.
type Options struct {
	// Model is the style model it plays from (its long-term model); its
	// name and the SHA-256 of its file go into every note's Origin.
	Model                *model.Model
	ModelName, ModelHash string
	// Adventure, 0 to 1, is how far from the model's likeliest pitch it
	// goes (the temperature it samples at): 0.5 plays the model as it is.
	Adventure float64
	// Density, 0 to 1, tilts the learned rhythm towards longer notes and
	// breaths (0) or busier lines (1): 0.5 plays it as learned.
	Density float64
	// Low and High bound the pitches (MIDI keys); 0 is 49 to 83, the
	// 1st to 99th percentile of WJazzD's soloists' pitches (their
	// median 66, the middle).
	Low, High int
	// IDs numbers the notes; nil takes ids of the soloist's own, keyed
	// on the chart and the seed.
	IDs *music.IDs
	// Rhythm is the phrasing played; nil is Builtin (WJazzD's).
	Rhythm *Rhythm
	// Params are more parameters to record in the Origin (the chorus
	// count, the style), as "name=value" words.
	Params string
}

// Motif is a phrase to develop: a human's, for a trade, or the
// soloist's own earlier one.
type Motif struct {
	// Onsets from the motif's first note, with each note's Duration and
	// Pitch (a MIDI key).
	Onsets, Durations []music.Ticks
	Pitches           []int
	// IDs are the notes' ids: a phrase that develops the motif names them
	// in its Origin (DerivedFrom).
	IDs []music.NoteID
}

// MotifOf is the motif of notes (a phrase, by start), a monophonic line:
// of notes struck together the highest.
func MotifOf(notes []music.Note) Motif {
	ns := append([]music.Note(nil), notes...)
	music.SortNotes(ns)
	var m Motif
	for i, n := range ns {
		if i+1 < len(ns) && ns[i+1].Start == n.Start {
			continue // the higher of the two comes next
		}
		if len(m.Onsets) > 0 && n.Start == ns[0].Start+m.Onsets[len(m.Onsets)-1] {
			continue
		}
		m.Onsets = append(m.Onsets, n.Start-ns[0].Start)
		m.Durations = append(m.Durations, n.Duration)
		m.Pitches = append(m.Pitches, int(n.Pitch))
		m.IDs = append(m.IDs, n.ID)
	}
	return m
}

// Development is how a phrase develops a motif.
type Development string

const (
	// Sequence plays the motif's rhythm and intervals from a new pitch,
	// bent to the chords it now falls on.
	Sequence Development = "sequence"
	// Contour plays its rhythm and the direction of each step, the
	// intervals the model's.
	Contour Development = "contour"
	// Rhythm plays its rhythm, the pitches the model's.
	RhythmOnly Development = "rhythm"
)

// PhraseLog is a phrase the soloist played.
type PhraseLog struct {
	Start music.Ticks
	Notes int
	// Develops is the index of the earlier phrase it develops, -1 for
	// none (or a human's motif, for Phrase), and how.
	Develops int
	How      Development
	motif    Motif
}

// Soloist improvises over a gig's changes from a style model, bar by bar
// (a band.Player) or a phrase at a time (Phrase, for a trade): the
// rhythm from Rhythm's phrase, breath and spacing statistics, the pitch
// of each note sampled from the model's prediction given its onset,
// length and chord (model.Session: the short-term model learns the solo
// so far, and the human's notes it hears), weighted towards chord tones
// on strong beats, approach notes into them and a chord tone at a
// phrase's end; an earlier phrase's rhythm and contour return, sequenced
// onto new chords. Same gig seed, same solo. Not safe for concurrent use.
type Soloist struct {
	g        *band.Gig
	opt      Options
	rhythm   *Rhythm
	rng      *rand.Rand
	sess     *model.Session
	alphabet []int
	w        []float64
	origin   *music.Origin
	ids      *music.IDs
	read     int         // how much of heard Play has read
	prev     int         // the last pitch played or heard, 0 for none
	prev2    int         // the one before
	prevAt   music.Ticks // where the last note played was struck
	hist     [4]int      // the last four pitches, the latest first
	line     []int       // every pitch played or heard, in order
	suf      []int       // suf[j]: the notes line[:j] and line end alike in
	copyLen  map[int]int // of a pitch, how long a verbatim copy it would make
	scale    uint16      // the key's scale, pitch classes
	home     float64     // the home register: the middle of the range
	target   int         // the chord tone the next note lands on, 0 for none
	plan     []planned   // the phrase under way: its notes not played yet
	next     music.Ticks // where the next phrase may start
	end      music.Ticks // the end of the gig
	first    int         // the pitch the phrase under way started on
	phrases  []PhraseLog
	notes    []music.Note
	phraseOf []int // the phrase of each note of notes
}

// planned is a note of a phrase, its rhythm fixed, its pitch not yet.
type planned struct {
	at, dur music.Ticks
	rel     int // a sequence's interval from the phrase's first note; 0 none
	dir     int // a contour's direction from the note before; 0 free
	seq     bool
	last    bool
	origin  *music.Origin
}

// New hires a soloist for a gig: its randomness is g.Rand("solo") and
// the tune (its title and chords).
func New(g *band.Gig, opt Options) (*Soloist, error) {
	if opt.Model == nil {
		return nil, errors.New("improv: no model")
	}
	if !(opt.Adventure >= 0 && opt.Adventure <= 1) || !(opt.Density >= 0 && opt.Density <= 1) {
		return nil, errors.New("improv: adventure and density go from 0 to 1")
	}
	if opt.Low == 0 && opt.High == 0 {
		opt.Low, opt.High = DefaultLow, DefaultHigh
	}
	if opt.Low < 0 || opt.High > 127 || opt.High-opt.Low < 12 {
		return nil, fmt.Errorf("improv: range %d-%d: want an octave or more within 0-127", opt.Low, opt.High)
	}
	if len(g.Bars) == 0 {
		return nil, errors.New("improv: a gig of no bars")
	}
	// The gig's seed and the tune: one seed plays two tunes differently.
	tune := fnv.New64a()
	fmt.Fprintf(tune, "%s\x00%v", g.Chart.Title, g.Chords)
	s := &Soloist{g: g, opt: opt, rhythm: opt.Rhythm, rng: rand.New(rand.NewPCG(g.Rand("solo").Uint64(), tune.Sum64())), sess: opt.Model.Session()}
	if s.rhythm == nil {
		s.rhythm = Builtin()
	}
	s.alphabet = s.sess.Alphabet()
	s.w = make([]float64, len(s.alphabet))
	inRange := 0
	for _, p := range s.alphabet {
		if p >= opt.Low && p <= opt.High {
			inRange++
		}
	}
	if inRange < 12 {
		return nil, fmt.Errorf("improv: the model knows %d pitches in %d-%d: want an octave", inRange, opt.Low, opt.High)
	}
	s.scale = keyScale(g.Key)
	s.home = float64(opt.Low+opt.High) / 2
	s.origin = &music.Origin{Kind: music.MachineGenerated, Generator: Generator, Version: Version, Params: s.params(), Source: g.Chart.Title}
	s.ids = opt.IDs
	if s.ids == nil {
		s.ids = music.IDsFor("improv/solo\x00" + g.Chart.Title + "\x00" + s.params())
		s.ids.Skip(g.Chart.MaxID())
	}
	last := g.Bars[len(g.Bars)-1]
	s.end = last.End()
	s.next = g.Bars[0].Start
	if s.rng.Float64() < s.rhythm.OffbeatStart {
		s.next += s.eighth(s.next)
	}
	return s, nil
}

func (s *Soloist) params() string {
	o := s.opt
	p := fmt.Sprintf("model=%q model-sha256=%s seed=%d adventure=%g density=%g range=%d-%d", o.ModelName, o.ModelHash, s.g.Seed, o.Adventure, o.Density, o.Low, o.High)
	if o.Params != "" {
		p += " " + o.Params
	}
	return p
}

// Origin is the Origin of the soloist's notes that develop no one's.
func (s *Soloist) Origin() *music.Origin { return s.origin }

// Phrases are the phrases played so far.
func (s *Soloist) Phrases() []PhraseLog { return s.phrases }

// Play plays the bars [from, to) of the gig (band.Player): the human's
// notes in heard (those with a human Origin) are learned first, then the
// solo goes on where it was, phrase by phrase, a phrase carrying over
// into the next call. The notes have their ids and Origin set.
func (s *Soloist) Play(from, to int, heard []music.Note) []music.Note {
	if s.read > len(heard) {
		s.read = 0
	}
	var human []music.Note
	for _, n := range heard[s.read:] {
		if n.Origin != nil && n.Origin.Kind.Human() {
			human = append(human, n)
		}
	}
	s.read = len(heard)
	s.Hear(human)
	if from < 0 || to > len(s.g.Bars) || from >= to {
		return nil
	}
	start, end := s.g.Bars[from].Start, s.g.Bars[to-1].End()
	if s.next < start && len(s.plan) == 0 {
		s.next = start
	}
	var out []music.Note
	for {
		if len(s.plan) == 0 {
			if s.next >= end || s.next >= s.end {
				break
			}
			s.planPhrase(s.next, s.end)
			if len(s.plan) == 0 {
				break
			}
		}
		if s.plan[0].at >= end {
			break
		}
		out = append(out, s.playNote())
	}
	return out
}

var _ band.Player = (*Soloist)(nil)

// Hear learns notes a human played (by start) into the short-term model,
// with the chords they were played over: what the soloist plays next
// answers them.
func (s *Soloist) Hear(notes []music.Note) {
	if len(notes) == 0 {
		return
	}
	ns := append([]music.Note(nil), notes...)
	music.SortNotes(ns)
	for i, n := range ns {
		if i+1 < len(ns) && ns[i+1].Start == n.Start {
			continue
		}
		e := s.event(n.Start, n.Duration)
		e.ID, e.Pitch = n.ID, int(n.Pitch)
		s.sess.Add(e)
		s.remember(e.Pitch)
	}
}

// remember makes p the last pitch.
func (s *Soloist) remember(p int) {
	s.prev, s.prev2 = p, s.prev
	copy(s.hist[1:], s.hist[:3])
	s.hist[0] = p
	// the common suffix of each earlier prefix and the line, kept as
	// the line goes on (as Repeats measures it)
	s.suf = append(s.suf, 0)
	for j := len(s.line); j >= 1; j-- {
		if s.line[j-1] == p {
			s.suf[j] = s.suf[j-1] + 1
		} else {
			s.suf[j] = 0
		}
	}
	s.line = append(s.line, p)
}

// copies is, of each pitch, the length of the verbatim copy of earlier
// material (the same pitches in order) the line would play with it next:
// 1 + the notes before it that end alike with the line.
func (s *Soloist) copies() map[int]int {
	if s.copyLen == nil {
		s.copyLen = map[int]int{}
	}
	clear(s.copyLen)
	for j, p := range s.line {
		if l := s.suf[j] + 1; l > s.copyLen[p] {
			s.copyLen[p] = l
		}
	}
	return s.copyLen
}

// stuck tells whether the last four pitches are two at most, a among
// them: a trill or a note struck again and again, which the short-term
// model, having learned it, would go on with.
func (s *Soloist) stuck(a int) bool {
	if s.hist[3] == 0 {
		return false
	}
	var other int
	in := false
	for _, p := range s.hist {
		switch {
		case p == a:
			in = true
		case other == 0:
			other = p
		case p != other:
			return false
		}
	}
	return in
}

// chordScale is the scale a player hears in a chord: its tones and a
// whole step above its root, third and fifth (the ninth, eleventh and
// thirteenth that fit it: dorian for a minor seventh, lydian dominant
// for a seventh, locrian 2 for a half-diminished chord), but for a
// step a half step above a chord tone (an avoid note).
func chordScale(root int, tones uint16) uint16 {
	out := tones
	for _, iv := range []int{0, 3, 4, 6, 7, 8} {
		step := (root + iv + 2) % 12
		// not one a half step above a chord tone: the natural 13 of
		// D7b13 rubs against its Bb, the 9 of D7b9 against its Eb
		if tones&(1<<((root+iv)%12)) != 0 && tones&(1<<((step+11)%12)) == 0 {
			out |= 1 << step
		}
	}
	return out
}

// keyScale is the pitch classes of a key's scale: major, or for a minor
// key the natural minor with the leading tone.
func keyScale(k music.Key) uint16 {
	steps := []int{0, 2, 4, 5, 7, 9, 11}
	if k.Mode == music.Minor {
		steps = []int{0, 2, 3, 5, 7, 8, 10, 11}
	}
	var m uint16
	for _, st := range steps {
		m |= 1 << ((k.Tonic.PitchClass() + st) % 12)
	}
	return m
}

// Phrase plays the bars [from, to) as an answer, a phrase or two ending
// an eighth before bar to, so the other player comes in on its
// downbeat: developing motif when it is not nil (how names the
// development; "" picks one), its notes' Origin naming the motif's notes
// (DerivedFrom). Hear the human's phrase first. What was planned before
// is dropped: the solo goes on after bar to.
func (s *Soloist) Phrase(from, to int, motif *Motif, how Development) []music.Note {
	if from < 0 || to > len(s.g.Bars) || from >= to {
		return nil
	}
	start := s.g.Bars[from].Start
	limit := s.g.Bars[to-1].End() - s.eighth(s.g.Bars[to-1].Start)
	s.plan, s.target = s.plan[:0], 0
	s.next = start
	var out []music.Note
	for first := true; s.next < limit-2*s.eighth(s.next); first = false {
		if first && motif != nil && len(motif.Onsets) > 0 {
			s.developPhrase(s.next, limit, *motif, how, -1)
		} else {
			s.planPhrase(s.next, limit)
		}
		if len(s.plan) == 0 {
			break
		}
		for len(s.plan) > 0 {
			out = append(out, s.playNote())
		}
	}
	s.next = max(s.next, s.g.Bars[to-1].End())
	return out
}

// eighth is the eighth (half a beat) of the bar at t.
func (s *Soloist) eighth(t music.Ticks) music.Ticks {
	return s.bar(t).Meter.BeatTicks() / 2
}

func (s *Soloist) barIndex(t music.Ticks) int {
	i := sort.Search(len(s.g.Bars), func(i int) bool { return s.g.Bars[i].Start > t }) - 1
	return max(i, 0)
}

func (s *Soloist) bar(t music.Ticks) music.PlayedBar { return s.g.Bars[s.barIndex(t)] }

// tilt weighs the learned distribution d (of 1, 2, … units) by
// exp(-beta (k-1)): beta > 0 favours the short ones.
func tilt(d []float64, beta float64) []float64 {
	out := make([]float64, len(d))
	for k, v := range d {
		out[k] = v * math.Exp(-beta*float64(k))
	}
	return out
}

func (s *Soloist) beta() float64 { return 2 * (s.opt.Density - 0.5) }

// planPhrase plans a phrase of free rhythm from at, its notes before
// limit; with an earlier phrase to develop, it may develop it instead.
func (s *Soloist) planPhrase(at, limit music.Ticks) {
	// A motif returns: an earlier phrase of a few notes, among the last
	// four, now and then.
	if n := len(s.phrases); n > 0 && s.rng.Float64() < 0.35 {
		var cands []int
		for i := max(0, n-4); i < n; i++ {
			if len(s.phrases[i].motif.Onsets) >= 3 {
				cands = append(cands, i)
			}
		}
		if len(cands) > 0 {
			i := cands[s.rng.IntN(len(cands))]
			s.developPhrase(at, limit, s.phrases[i].motif, "", i)
			return
		}
	}
	n := 1 + sample(tilt(s.rhythm.PhraseNotes, -s.beta()*0.03), s.rng.Float64())
	ioi := [2][]float64{tilt(s.rhythm.IOI[0], s.beta()), tilt(s.rhythm.IOI[1], s.beta())}
	d := s.doubleTime()
	var onsets []music.Ticks
	for t, k := at, 0; len(onsets) < n && t < limit; {
		onsets = append(onsets, t)
		k = s.spacing(t, k, d, ioi)
		t += music.Ticks(k) * s.eighth(t)
	}
	s.lay(s.fill(onsets, d), nil, limit, PhraseLog{Start: at, Develops: -1}, s.origin)
}

// fill fills the beats of a phrase planned on the eighth grid, in
// double time or not (d), as soloists fill them at the gig's tempo (Rhythm.Fills): most beats as the eighths say, some
// with sixteenths or a triplet, a run of them likelier to go on. The
// phrase's first note stays where it was planned (a trade's answer
// starts on its downbeat).
func (s *Soloist) fill(onsets []music.Ticks, d int) []music.Ticks {
	bf := s.rhythm.FillsAt(float64(s.g.Tempo))
	if len(onsets) == 0 || bf == nil {
		return onsets
	}
	out := make([]music.Ticks, 0, len(onsets)+len(onsets)/2)
	run, prevBeat := 0, music.Ticks(-1)
	var last [3]*Fill // the fill of each class last played in the phrase
	for i := 0; i < len(onsets); {
		b := s.bar(onsets[i])
		bt := b.Meter.BeatTicks()
		beat := b.Start + (onsets[i]-b.Start)/bt*bt
		class, j := 0, i
		for ; j < len(onsets) && onsets[j] < beat+bt; j++ {
			class |= 1 << s.parity(onsets[j])
		}
		if beat != prevBeat+bt {
			run = 0
		}
		fills := bf.Fills[d][class-1][run]
		// a fill keeps the line in order, and the phrase's first note
		// where it was planned; its first note comes a sixth of a beat
		// or more after the last beat's last (the beats are drawn one
		// by one: a sixteenth on 9 and the next beat's anticipation on
		// its -2 are a twelfth apart, a click once the feel has moved
		// them, where WJazzD's fills hold such a pair in under 1% of
		// beats, mostly a grace note into the beat)
		fits := func(f *Fill) bool {
			first := beat + music.Ticks(f.At[0])*bt/12
			return (i > 0 || first == onsets[0]) && (len(out) == 0 || first >= out[len(out)-1]+bt/6)
		}
		w := make([]float64, len(fills))
		for k := range fills {
			if fits(&fills[k]) {
				w[k] = fills[k].P
			}
		}
		if len(fills) == 0 || slices.Max(w) == 0 {
			out = append(out, onsets[i:j]...)
			run = 0
		} else {
			f := &fills[sample(w, s.rng.Float64())]
			if l := last[class-1]; l != nil && fits(l) && s.rng.Float64() < bf.Again[d][class-1] {
				f = l // the way of filling goes on
			}
			last[class-1] = f
			for _, x := range f.At {
				out = append(out, beat+music.Ticks(x)*bt/12)
			}
			run = 0
			if len(f.At) > j-i {
				run = 1
			}
		}
		prevBeat, i = beat, j
	}
	return out
}

// doubleTime tells whether the next phrase is in double time (1) or not
// (0), as often as soloists play one at the gig's tempo.
func (s *Soloist) doubleTime() int {
	if bf := s.rhythm.FillsAt(float64(s.g.Tempo)); bf != nil && s.rng.Float64() < bf.DoubleTime {
		return 1
	}
	return 0
}

// spacing is the eighths from a note at t, k eighths after the note
// before (0 for none), to the next, in a phrase in double time or not
// (d): Rhythm.IOI2 given k, else ioi (Rhythm.IOI, tilted by the
// density).
func (s *Soloist) spacing(t music.Ticks, k, d int, ioi [2][]float64) int {
	p := s.parity(t)
	if k > 0 && len(s.rhythm.IOI2[d][p]) >= min(k, MaxIOI) {
		if row := s.rhythm.IOI2[d][p][min(k, MaxIOI)-1]; slices.Max(row) > 0 {
			return 1 + sample(tilt(row, s.beta()), s.rng.Float64())
		}
	}
	return 1 + sample(ioi[p], s.rng.Float64())
}

// lastNote is how long the last note of a phrase at t is held, drawn
// from Rhythm.LastNote (one to three eighths when not known).
func (s *Soloist) lastNote(t music.Ticks) music.Ticks {
	d := s.rhythm.LastNote
	if len(d) < 2 {
		return music.Ticks(1+s.rng.IntN(3)) * s.eighth(t)
	}
	x := s.rng.Float64() * float64(len(d)-1)
	i := int(x)
	beats := d[i] + (x-float64(i))*(d[i+1]-d[i])
	return max(s.eighth(t)/4, music.Ticks(beats*float64(2*s.eighth(t))))
}

// articulation is the share of the time to the next note that a note k
// eighths before it sounds, drawn from Rhythm.Articulation (1 when not
// known).
func (s *Soloist) articulation(k int) float64 {
	if len(s.rhythm.Articulation) < min(k, MaxIOI) {
		return 1
	}
	d := s.rhythm.Articulation[min(k, MaxIOI)-1]
	if len(d) < 2 {
		return 1
	}
	x := s.rng.Float64() * float64(len(d)-1)
	i := int(x)
	return min(1, d[i]+(x-float64(i))*(d[i+1]-d[i]))
}

// parity is 0 on the beat, 1 off it.
func (s *Soloist) parity(t music.Ticks) int {
	b := s.bar(t)
	e := b.Meter.BeatTicks() / 2
	return int((t-b.Start)/e) % 2
}

// developPhrase plans a phrase from at that develops motif (how; ""
// picks one): its rhythm on the eighth grid from at, the first few notes
// (up to eight), then a free continuation now and then.
func (s *Soloist) developPhrase(at, limit music.Ticks, m Motif, how Development, from int) {
	if how == "" {
		how = []Development{Sequence, Sequence, Contour, RhythmOnly}[s.rng.IntN(4)]
	}
	e := s.eighth(at)
	n := min(len(m.Onsets), 8)
	if n > 4 && s.rng.Float64() < 0.5 {
		n = 4 + s.rng.IntN(n-4) // a fragment
	}
	var onsets []music.Ticks
	hints := make([]planned, 0, n+8)
	for j := 0; j < n; j++ {
		t := at + (m.Onsets[j]+e/2)/e*e // the motif on the eighth grid
		if len(onsets) > 0 && t <= onsets[len(onsets)-1] {
			continue
		}
		if t >= limit {
			break
		}
		onsets = append(onsets, t)
		h := planned{}
		switch how {
		case Sequence:
			h.seq, h.rel = true, m.Pitches[j]-m.Pitches[0]
		case Contour:
			if j > 0 {
				h.dir = sign(m.Pitches[j] - m.Pitches[j-1])
			}
		}
		hints = append(hints, h)
	}
	if len(onsets) == 0 {
		s.planPhrase(at, limit)
		return
	}
	goesOn, more := s.rng.Float64() < 0.6, 2+s.rng.IntN(6)
	if from >= 0 {
		// In a solo, a phrase that develops an earlier one is as long
		// as any phrase: the motif, then the line goes on to the
		// phrase's length (a trade's answer keeps to the motif's
		// length, a few notes more at most).
		n := 1 + sample(tilt(s.rhythm.PhraseNotes, -s.beta()*0.03), s.rng.Float64())
		goesOn, more = n > len(onsets), n-len(onsets)
	}
	if goesOn { // and goes on
		last := onsets[len(onsets)-1]
		k, d := 0, 0
		if from >= 0 {
			d = s.doubleTime()
		}
		if len(onsets) > 1 {
			k = int((last - onsets[len(onsets)-2]) / s.eighth(last))
		}
		k = s.spacing(last, k, d, s.rhythm.IOI)
		t := last + music.Ticks(k)*s.eighth(last)
		var cont []music.Ticks
		for ; more > 0 && t < limit; more-- {
			cont = append(cont, t)
			k = s.spacing(t, k, d, s.rhythm.IOI)
			t += music.Ticks(k) * s.eighth(t)
		}
		if from >= 0 {
			cont = s.fill(cont, d)
		}
		for _, t := range cont {
			onsets = append(onsets, t)
			hints = append(hints, planned{})
		}
	}
	o := s.origin
	if from < 0 && len(m.IDs) > 0 {
		o = &music.Origin{Kind: music.MachineGenerated, Generator: Generator, Version: Version, Params: s.origin.Params + " develops=" + string(how),
			Source: s.origin.Source, DerivedFrom: append([]music.NoteID(nil), m.IDs...)}
	}
	s.lay(onsets, hints, limit, PhraseLog{Start: at, Develops: from, How: how}, o)
}

// lay makes the plan of a phrase's onsets: each note held to the next,
// the last for one to three eighths; the next phrase after a breath.
func (s *Soloist) lay(onsets []music.Ticks, hints []planned, limit music.Ticks, log PhraseLog, o *music.Origin) {
	if len(onsets) == 0 {
		s.next = limit
		return
	}
	s.plan = s.plan[:0]
	for i, t := range onsets {
		p := planned{at: t, origin: o}
		if i < len(hints) {
			p.rel, p.dir, p.seq = hints[i].rel, hints[i].dir, hints[i].seq
		}
		if i+1 < len(onsets) {
			p.dur = onsets[i+1] - t
			// a note of a quarter or more is held for the share of
			// the time soloists hold one (an eighth is held to the
			// next, for the feel to articulate)
			if k := int((p.dur + s.eighth(t)/2) / s.eighth(t)); k >= 2 {
				p.dur = max(s.eighth(t)/4, music.Ticks(s.articulation(k)*float64(p.dur))) // a 32nd at least
			}
		} else {
			p.last = true
			p.dur = s.lastNote(t)
		}
		s.plan = append(s.plan, p)
	}
	lastAt := onsets[len(onsets)-1]
	gap := music.Ticks(1+sample(tilt(s.rhythm.Gap, -s.beta()*0.1), s.rng.Float64())) * s.eighth(lastAt)
	e := s.eighth(lastAt)
	gap = max(gap, (s.plan[len(s.plan)-1].dur+2*e-1)/e*e) // a breath after the last note, on the grid
	s.plan[len(s.plan)-1].dur = min(s.plan[len(s.plan)-1].dur, s.end-lastAt)
	// the next phrase from the eighth grid (the last note may be a
	// sixteenth or a triplet's)
	b := s.bar(lastAt)
	s.next = b.Start + (lastAt-b.Start+e/2)/e*e + gap
	log.Notes = len(onsets)
	s.phrases = append(s.phrases, log)
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// event is the model's event of a note at t lasting d: its chord, key and
// place in the bar.
func (s *Soloist) event(t, d music.Ticks) model.Event {
	bi := s.barIndex(t)
	b := s.g.Bars[bi]
	bt := b.Meter.BeatTicks()
	e := model.Event{Onset: t, Duration: d, Tonic: s.g.Key.Tonic.PitchClass(), Minor: s.g.Key.Mode == music.Minor,
		Bar: bi, Beat: int((t - b.Start) / bt), Offset: (t - b.Start) % bt, BeatTicks: bt}
	if ch := s.g.ChordAt(t).Chord; !ch.NoChord {
		e.HasChord, e.Root, e.Tones = true, ch.Root.PitchClass(), ch.PitchClasses()
	}
	return e
}

// strong tells whether t is struck on a strong beat: the downbeat, or
// the middle of a bar of four.
func (s *Soloist) strong(t music.Ticks) bool {
	b := s.bar(t)
	bt := b.Meter.BeatTicks()
	off := t - b.Start
	if off%bt != 0 {
		return false
	}
	beat := int(off / bt)
	return beat == 0 || (b.Meter.Beats() == 4 && beat == 2)
}

// Weights of the pitch choice, over the model's prediction. They shape
// what the model says; the share of chord tones that comes of it is
// measured (Figures), not set.
const (
	strongChordTone = 1.0 // a chord tone struck on a strong beat
	landTarget      = 12  // the chord tone an approach leads to
	approachStep    = 4   // a half step from the target
	approachScale   = 2   // a whole step from it
	endChordTone    = 4   // a chord tone ending a phrase
	sequenceNote    = 20  // the pitch a sequence puts there
	approachRate    = 0.3 // of strong beats, those approached
	runOn           = 1.5 // a step on in the direction of the step before
	homeSD          = 10  // semitones: the home register's pull (a solo's pitches spread as WJazzD's do, sd 5.6)
	outside         = 0.3 // a note out of the chord's scale, at adventure 0.5
	freeCopy        = 5   // notes of a verbatim copy of earlier material the short-term model may carry on
	copyOn          = 0.7 // each note of a copy more than that
)

// playNote chooses the pitch of the plan's first note and plays it.
func (s *Soloist) playNote() music.Note {
	p := s.plan[0]
	s.plan = s.plan[1:]
	e := s.event(p.at, p.dur)
	pr := s.sess.Predict(e)
	pred := pr.Both
	strong := s.strong(p.at) && e.HasChord
	target := s.target
	s.target = 0
	// Where the next note lands on a strong beat, choose the chord tone
	// it lands on, and lead into it.
	var next int
	if len(s.plan) > 0 && s.strong(s.plan[0].at) && s.prev > 0 && s.rng.Float64() < approachRate {
		if ch := s.g.ChordAt(s.plan[0].at).Chord; !ch.NoChord {
			next = s.chooseTarget(ch.PitchClasses())
		}
	}
	temp := 0.4 + 0.8*s.opt.Adventure
	scale := s.scale
	if e.HasChord {
		scale = chordScale(e.Root, e.Tones)
	}
	lo, hi := s.opt.Low, s.opt.High
	seqPitch := 0
	if p.seq && s.first > 0 && p.rel != 0 {
		seqPitch = s.first + p.rel
	}
	onBeat := s.parity(p.at) == 0 && (p.at-s.bar(p.at).Start)%(s.eighth(p.at)*2) == 0
	copies := s.copies()
	run := 0 // the direction of the step just taken, 0 for none
	if d := s.prev - s.prev2; s.prev2 > 0 && d != 0 && abs(d) <= 2 {
		run = sign(d)
	}
	for i, a := range s.alphabet {
		w := pred[i]
		// The short-term model learns the line as it goes, so a phrase
		// once played becomes the likeliest continuation and the line
		// would lock into copying itself. A pitch that would make a
		// verbatim copy of earlier material longer than a few notes
		// weighs what the long-term model alone gives it (a lick the
		// style plays stays likely; the solo's own memory no longer
		// pulls it on), less for each note more (a sequence plays its
		// motif's notes on purpose).
		if l := copies[a] - freeCopy; l > 0 && !(p.seq && p.rel != 0) {
			w = min(w, pr.LTM[i]) * math.Pow(copyOn, float64(l))
		}
		switch {
		case a < lo || a > hi:
			w = 0
		case a < lo+2 || a > hi-2:
			w *= 0.3
		}
		if s.prev > 0 {
			if d := abs(a - s.prev); d > 12 {
				w *= 0.02
			} else if d > 7 {
				w *= 0.55
			}
			if p.dir != 0 && sign(a-s.prev) != p.dir {
				w *= 0.05
			}
		}
		tone := e.HasChord && e.Tones&(1<<(a%12)) != 0
		if a == s.prev { // a note struck again, and again: a line stuck
			w *= 0.8
			if p.at-s.prevAt < s.eighth(p.at)/2 {
				w *= 0.05 // a grace note or a fast run repeats no pitch
			}
			if a == s.prev2 {
				w *= 0.1
			}
		}
		if s.stuck(a) {
			w *= 0.1
		}
		// A player comes back to a home register, the middle of the
		// range: a line that only wandered would spread over all of it.
		if d := (float64(a) - s.home) / homeSD; d != 0 {
			w *= math.Exp(-d * d / 2)
		}
		// A line that moves by step runs on: a scale or a chromatic
		// run goes on in its direction more often than it turns.
		if run != 0 && sign(a-s.prev) == run {
			w *= runOn
		}
		// A note out of the chord's scale (the key's, with no chord) is
		// a passing or approach note: fine into a target, rarer elsewhere.
		// One a half step on from the last note, off the beat, is a
		// chromatic passing note, less rare (the run weight carries it
		// on).
		passing := s.prev > 0 && abs(a-s.prev) == 1 && !onBeat
		if !tone && scale&(1<<(a%12)) == 0 && (next == 0 || abs(a-next) != 1) {
			if passing {
				w *= math.Sqrt(outside * (0.5 + s.opt.Adventure))
			} else {
				w *= outside * (0.5 + s.opt.Adventure)
			}
		}
		if strong && tone {
			w *= strongChordTone
		}
		if target > 0 && a == target {
			w *= landTarget
		}
		if next > 0 {
			switch abs(a - next) {
			case 1:
				w *= approachStep
			case 2:
				w *= approachScale
			}
		}
		if p.last && tone {
			w *= endChordTone
			if a%12 == e.Root {
				w *= 1.5
			}
		}
		if seqPitch > 0 {
			switch abs(a - seqPitch) {
			case 0:
				w *= sequenceNote
			case 1:
				w *= 2
			}
		}
		if w > 0 && temp != 1 {
			w = math.Pow(w, 1/temp)
		}
		s.w[i] = w
	}
	pitch := s.alphabet[sample(s.w, s.rng.Float64())]
	if pitch < lo || pitch > hi { // nothing in range had weight
		pitch = min(max(s.prev, lo), hi)
		if s.prev == 0 {
			pitch = (lo + hi) / 2
		}
	}
	if len(s.plan) == 0 || p.last {
		s.target = 0
	}
	if next > 0 {
		s.target = next
	}
	if s.first == 0 || s.isFirst(p) {
		s.first = pitch
	}
	e.Pitch = pitch
	s.prevAt = p.at
	id := s.ids.Next()
	e.ID = id
	s.sess.Add(e)
	s.remember(pitch)
	vel := 78 + 18*(pitch-lo)/max(hi-lo, 1)
	if p.last {
		s.first = 0
	}
	n := music.Note{ID: id, Pitch: uint8(pitch), Velocity: uint8(vel), Start: p.at, Duration: p.dur, Origin: p.origin}
	s.notes = append(s.notes, n)
	s.phraseOf = append(s.phraseOf, len(s.phrases)-1)
	if ph := &s.phrases[len(s.phrases)-1]; len(ph.motif.Onsets) < 8 {
		if len(ph.motif.Onsets) == 0 {
			ph.motif.Onsets = append(ph.motif.Onsets, 0)
		} else {
			ph.motif.Onsets = append(ph.motif.Onsets, p.at-ph.Start)
		}
		ph.motif.Durations = append(ph.motif.Durations, p.dur)
		ph.motif.Pitches = append(ph.motif.Pitches, pitch)
	}
	return n
}

// isFirst tells whether p begins its phrase.
func (s *Soloist) isFirst(p planned) bool {
	return len(s.phrases) > 0 && s.phrases[len(s.phrases)-1].Start == p.at
}

// chooseTarget picks a chord tone (of the mask) near the last pitch, in
// range: the nearer, the likelier.
func (s *Soloist) chooseTarget(tones uint16) int {
	var cands []int
	var w []float64
	for a := max(s.opt.Low, s.prev-7); a <= min(s.opt.High, s.prev+7); a++ {
		if tones&(1<<(a%12)) != 0 && a != s.prev {
			cands = append(cands, a)
			w = append(w, 1/float64(1+abs(a-s.prev)))
		}
	}
	if len(cands) == 0 {
		return 0
	}
	return cands[sample(w, s.rng.Float64())]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Notes are the notes played so far, by start.
func (s *Soloist) Notes() []music.Note { return s.notes }

// Figures measures the solo played so far as LearnRhythm measures
// WJazzD's (bars of four beats only: notes in other meters are left
// out).
func (s *Soloist) Figures() Figures {
	var solo []gridNote
	var phrases [][]gridNote
	last := -1
	for i, n := range s.notes {
		bi := s.barIndex(n.Start)
		b := s.g.Bars[bi]
		if b.Meter.Beats() != 4 {
			continue
		}
		// on the eighth grid as LearnRhythm places WJazzD's notes: of
		// notes in one eighth (sixteenths, a triplet's last two), the first
		bt := b.Meter.BeatTicks()
		off := n.Start - b.Start
		mcm := int(off/bt)*12 + int(((off%bt)*12+bt/2)/bt)
		g := gridNote{e8: int64(bi)*8 + int64(eighthOf(mcm)), pitch: int(n.Pitch)}
		if len(solo) > 0 && g.e8 <= solo[len(solo)-1].e8 {
			continue
		}
		if ch := s.g.ChordAt(n.Start).Chord; !ch.NoChord {
			g.tones = ch.PitchClasses()
		}
		solo = append(solo, g)
		if s.phraseOf[i] != last {
			phrases = append(phrases, nil)
			last = s.phraseOf[i]
		}
		phrases[len(phrases)-1] = append(phrases[len(phrases)-1], g)
	}
	var f figureSum
	f.add(solo, phrases)
	return f.figures()
}

// Developed is the share of phrases that develop an earlier one.
func (s *Soloist) Developed() float64 {
	if len(s.phrases) == 0 {
		return 0
	}
	n := 0
	for _, p := range s.phrases {
		if p.Develops >= 0 {
			n++
		}
	}
	return float64(n) / float64(len(s.phrases))
}
