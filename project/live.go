package project

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"

	"sideman/band"
	"sideman/examples"
	"sideman/improv/trade"
	"sideman/ledger"
	"sideman/load"
	"sideman/model"
	"sideman/music"
)

// LiveOptions say how the sideman trades with a player live (the studio).
type LiveOptions struct {
	// Bars is a turn's length, 4 (0 is 4) or 8.
	Bars int
	// Tempo is the band's, in felt beats a minute, 20 to 400; 0 is the
	// chart's (else music.DefaultTempo).
	Tempo float64
	// Choruses of the form the trade may last, 1 to 64; 0 is as many as
	// make at least 128 bars.
	Choruses int
	// Loop trades over these written bars on a loop, played Repeat times
	// (0 is 4), each time round Ramp beats a minute faster: the bars and
	// the tempo map the band plays with the same loop (PlayOptions' Loop,
	// Repeat, Ramp; sideman band --loop --repeat --ramp), so each time
	// round's bars are shorter. Turns run on across the times round (a
	// loop shorter than two turns trades across them); Choruses is not
	// read, and the tempo is taken to the whole beat the band plays.
	Loop   band.BarRange
	Repeat int
	Ramp   int
	// Model is the style model as TradeOptions.Model; Seed makes the
	// answers repeatable.
	Model string
	Seed  uint64
	// Who names the player in their notes' Origins ("" is "the player").
	Who string
	// With is who trades with the player: "soloist" ("" too), the
	// sideman's soloist answering from the model (trade.Develop), or
	// "drums", the drummer answering on the GM kit, channel 10
	// (trade.Drums).
	With string
}

// partner is the answerer LiveOptions.With names.
func partner(with string) (trade.Answerer, error) {
	switch with {
	case "", "soloist":
		return trade.Develop{}, nil
	case "drums":
		return trade.Drums{}, nil
	}
	return nil, &OptionError{"with", strconv.Quote(with), errors.New(`want "soloist" or "drums"`)}
}

// Live is a trade with a player as it happens: their notes come in with
// their times in milliseconds from the downbeat of bar 1 (time 0), the
// sideman's answers are asked for as late as the caller's latency allows.
// It is not safe for concurrent use; Record, which tells the project's
// ledger, takes the project's turn (one operation at a time).
type Live struct {
	p      *Project
	tr     *trade.Trader
	bars   []music.PlayedBar
	clock  liveClock // milliseconds and ticks, through the tempo map
	ids    *music.IDs
	origin *music.Origin
	ref    ModelRef
	opt    LiveOptions
	title  string
	key    music.Key // the chart's (its default when it gives none)
	meter  *music.Meter
	last   music.Ticks // the last note-on fed (the Trader wants time order)
	notes  []music.Note
	answer []music.Note
	recAns int // answer[:recAns] are recorded
}

// models caches the models a live trade loads by name: loading one is
// the costly part of starting a trade, and a model is only read.
var models sync.Map // name → liveModel

type liveModel struct {
	m   *model.Model
	ref ModelRef
}

// WarmLive loads the model a live trade answers from (its name as
// LiveOptions.Model) and answers one phrase on a bundled chart, unrecorded,
// so that the first trade starts at once and its first answer takes no
// longer than the others.
func (p *Project) WarmLive(ctx context.Context, name string) error {
	m, err := p.liveModel(ctx, name)
	if err != nil {
		return err
	}
	src, err := examples.Open("blues-f")
	if err != nil {
		return err
	}
	d, err := load.Bytes("blues-f.chart", src)
	if err != nil {
		return err
	}
	c := d.Charts[0]
	tr, err := trade.New(c.Unroll(1), trade.Options{Model: m.m, ModelName: m.ref.Name, ModelHash: m.ref.Hash, Key: c.KeyOrDefault(),
		IDs: music.IDsFor("warm")})
	if err != nil {
		return err
	}
	for i, pitch := range []uint8{65, 69, 72, 75, 74, 72, 69, 65} {
		if err := tr.Play(music.Note{ID: music.NoteID(i + 1), Pitch: pitch, Velocity: 80, Start: music.Ticks(i) * 1200, Duration: 900}); err != nil {
			return err
		}
	}
	_, err = tr.Answer(ctx, 4*4*music.PPQ-music.PPQ/8)
	return err
}

func (p *Project) liveModel(ctx context.Context, name string) (liveModel, error) {
	if lm, ok := models.Load(name); ok {
		return lm.(liveModel), nil
	}
	m, mname, hash, err := p.soloModel(ctx, name)
	if err != nil {
		return liveModel{}, err
	}
	lm := liveModel{m, ModelRef{mname, hash}}
	models.Store(name, lm)
	return lm, nil
}

// LiveTrade starts trading with a player over chart c, live.
func (p *Project) LiveTrade(ctx context.Context, c *music.Chart, opt LiveOptions) (*Live, error) {
	if opt.Bars == 0 {
		opt.Bars = 4
	}
	if opt.Bars != 4 && opt.Bars != 8 {
		return nil, &OptionError{"bars", strconv.Itoa(opt.Bars), errors.New("want 4 or 8")}
	}
	if opt.Tempo == 0 {
		opt.Tempo = float64(c.Tempo)
		if opt.Tempo == 0 {
			opt.Tempo = music.DefaultTempo
		}
	}
	if opt.Tempo < 20 || opt.Tempo > 400 || math.IsNaN(opt.Tempo) {
		return nil, &OptionError{"tempo", fmt.Sprint(opt.Tempo), errors.New("want 20 to 400")}
	}
	if opt.Choruses < 0 || opt.Choruses > 64 {
		return nil, &OptionError{"choruses", strconv.Itoa(opt.Choruses), errors.New("want 1 to 64")}
	}
	answerer, err := partner(opt.With)
	if err != nil {
		return nil, err
	}
	form := c.Unroll(1)
	if len(form) == 0 {
		return nil, &Error{BadInput, c.Title, errors.New("the chart has no bars")}
	}
	if opt.Choruses == 0 {
		opt.Choruses = min((128+len(form)-1)/len(form), 64)
	}
	m, err := p.liveModel(ctx, opt.Model)
	if err != nil {
		return nil, err
	}
	bars := c.Unroll(opt.Choruses)
	clock := steadyClock(opt.Tempo / 60000 * float64(bars[0].Meter.BeatTicks()))
	if !opt.Loop.IsZero() {
		if bars, clock, err = p.loopBars(c, opt); err != nil {
			return nil, err
		}
	}
	ids := p.IDs
	if ids == nil {
		ids = music.IDsFor("live\x00" + c.Title + "\x00" + strconv.FormatUint(opt.Seed, 10))
	}
	tr, err := trade.New(bars, trade.Options{Bars: opt.Bars, Model: m.m, ModelName: m.ref.Name, ModelHash: m.ref.Hash,
		Key: c.KeyOrDefault(), Seed: opt.Seed, IDs: ids, Answerer: answerer})
	if err != nil {
		return nil, &Error{Internal, c.Title, err}
	}
	who := opt.Who
	if who == "" {
		who = "the player"
	}
	return &Live{p: p, tr: tr, bars: bars, clock: clock, ids: ids,
		origin: &music.Origin{Kind: music.HumanPlayed, Who: who, Source: "studio"}, ref: m.ref, opt: opt, title: c.Title,
		key: c.KeyOrDefault(), meter: c.Meter, last: math.MinInt64}, nil
}

// Ticks is the tick of a time in milliseconds from the downbeat of bar 1,
// through the tempo map (a loop's ramp).
func (l *Live) Ticks(ms float64) music.Ticks { return l.clock.ticks(ms) }

// Millis is the time of a tick in milliseconds from the downbeat of bar 1,
// through the tempo map (a loop's ramp).
func (l *Live) Millis(t music.Ticks) float64 { return l.clock.millis(t) }

// loopBars are the bars and the tempo map of a trade over a loop: the
// band's own (band.New with the loop, repeat and ramp the band plays in
// the studio, no count-in), so that the trade's grid and the band's bars
// sound at the same times.
func (p *Project) loopBars(c *music.Chart, opt LiveOptions) ([]music.PlayedBar, liveClock, error) {
	if opt.Repeat == 0 {
		opt.Repeat = 4
	}
	tempo := int(math.Round(opt.Tempo))
	st, _, err := p.Style("", c, tempo)
	if err != nil {
		return nil, liveClock{}, err
	}
	bopt := band.Options{Lineup: p.lineup(), Style: st, Tempo: tempo, Loop: opt.Loop, Repeat: opt.Repeat, Ramp: opt.Ramp,
		IDs: music.IDsFor("live loop")}
	bars, err := band.Played(c, bopt)
	if err != nil {
		return nil, liveClock{}, inputError(c.Title, err)
	}
	b, err := band.New(c, bopt)
	if err != nil {
		return nil, liveClock{}, inputError(c.Title, err)
	}
	return bars, mapClock(b.Piece().Tempo), nil
}

// liveClock converts between milliseconds from the downbeat of bar 1 and
// ticks through a tempo map: from tick at[i] (ms[i] milliseconds) each
// tick lasts per[i] milliseconds. Times before the first change go at the
// first tempo (a pickup before bar 1).
type liveClock struct {
	at  []music.Ticks
	ms  []float64
	per []float64
}

// steadyClock is one tempo, msTick ticks a millisecond.
func steadyClock(msTick float64) liveClock {
	return liveClock{at: []music.Ticks{0}, ms: []float64{0}, per: []float64{1 / msTick}}
}

// mapClock is a tempo map's clock, as music.TempoMap.Seconds counts it.
func mapClock(tm music.TempoMap) liveClock {
	var c liveClock
	var ms float64
	last, per := music.Ticks(0), float64(music.DefaultMicrosPerQuarter)/1000/music.PPQ
	for _, ch := range tm {
		ms += float64(ch.At-last) * per
		last, per = ch.At, float64(ch.MicrosPerQuarter)/1000/music.PPQ
		c.at, c.ms, c.per = append(c.at, ch.At), append(c.ms, ms), append(c.per, per)
	}
	if len(c.at) == 0 {
		return liveClock{at: []music.Ticks{0}, ms: []float64{0}, per: []float64{per}}
	}
	return c
}

func (c liveClock) millis(t music.Ticks) float64 {
	i := max(sort.Search(len(c.at), func(i int) bool { return c.at[i] > t })-1, 0)
	return c.ms[i] + float64(t-c.at[i])*c.per[i]
}

func (c liveClock) ticks(ms float64) music.Ticks {
	i := max(sort.Search(len(c.ms), func(i int) bool { return c.ms[i] > ms })-1, 0)
	return c.at[i] + music.Ticks(math.Round((ms-c.ms[i])/c.per[i]))
}

// tempo is the clock as a tempo map (for a MIDI file of the trade).
func (c liveClock) tempo() music.TempoMap {
	tm := make(music.TempoMap, len(c.at))
	for i := range c.at {
		tm[i] = music.TempoChange{At: c.at[i], MicrosPerQuarter: int64(math.Round(c.per[i] * music.PPQ * 1000))}
	}
	return tm
}

// Model names the model the sideman answers from.
func (l *Live) Model() ModelRef { return l.ref }

// NoteOn feeds a note the player struck at ms, returning its id. A note
// struck before the last one fed (a clock that stepped back) is taken as
// struck with it: none is dropped.
func (l *Live) NoteOn(pitch, velocity uint8, ms float64) (music.NoteID, error) {
	if pitch > 127 || velocity == 0 || velocity > 127 {
		return 0, &Error{BadInput, "note", fmt.Errorf("pitch %d velocity %d: want pitch 0 to 127, velocity 1 to 127", pitch, velocity)}
	}
	at := max(l.Ticks(ms), l.last)
	n := music.Note{ID: l.ids.Next(), Pitch: pitch, Velocity: velocity, Start: at, Origin: l.origin}
	if err := l.tr.NoteOn(n); err != nil {
		return 0, &Error{Internal, "note", err}
	}
	l.last = at
	return n.ID, nil
}

// NoteOff releases the player's sounding note of that pitch at ms.
func (l *Live) NoteOff(pitch uint8, ms float64) {
	l.tr.NoteOff(0, pitch, max(l.Ticks(ms), l.last))
}

// Next is the sideman's next turn asked for at ms: its bars and downbeat.
func (l *Live) Next(ms float64) (trade.Turn, error) { return l.tr.Next(l.Ticks(ms)) }

// Answer is the sideman's answer asked for at ms (the cutoff): every
// note fed so far that starts before its downbeat conditions it; the
// notes fed after are kept for the next answer. No turn left is
// ErrNoTurn (wrapped).
func (l *Live) Answer(ctx context.Context, ms float64) (*trade.Answer, error) {
	a, err := l.tr.Answer(ctx, l.Ticks(ms))
	if err != nil {
		if errors.Is(err, trade.ErrNoTurn) || errors.Is(err, trade.ErrAnswered) {
			return nil, &Error{BadInput, l.title, err}
		}
		return nil, &Error{Internal, l.title, err}
	}
	l.answer = append(l.answer, a.Notes...)
	return a, nil
}

// Sketch is the answer as it would be if asked for at ms (the cutoff it
// will be asked at) from the notes fed so far, nothing given or
// recorded: the coming answer, shown as it forms (trade.Trader.Sketch).
func (l *Live) Sketch(ctx context.Context, ms float64) (*trade.Answer, error) {
	a, err := l.tr.Sketch(ctx, l.Ticks(ms))
	if err != nil {
		if errors.Is(err, trade.ErrNoTurn) || errors.Is(err, trade.ErrAnswered) {
			return nil, &Error{BadInput, l.title, err}
		}
		return nil, &Error{Internal, l.title, err}
	}
	return a, nil
}

// Piece is the trade so far: the player's part (notes still held have
// their duration to the last note fed) and the sideman's.
func (l *Live) Piece() *music.Piece {
	player := l.tr.Heard()
	for i := range player {
		if player[i].Duration == 0 {
			player[i].Duration = max(l.last-player[i].Start, music.PPQ/4)
		}
		player[i].Part = 0
	}
	answers := make([]music.Note, len(l.answer))
	copy(answers, l.answer)
	sideman := music.Part{Name: "Sideman", Role: music.RoleMelody, Channel: 1, Program: 66}
	if l.opt.With == "drums" {
		sideman = music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9, Program: -1}
	}
	for i := range answers {
		answers[i].Channel, answers[i].Part = sideman.Channel, 1
	}
	sideman.Notes = answers
	music.SortNotes(player)
	music.SortNotes(answers)
	// The chart's key and meter, so that a score of the trade is spelled
	// in the tune's key (A♭, not G♯, in F) and barred in its meters.
	key := l.key
	c := &music.Chart{Title: l.title, Key: &key, Meter: l.meter}
	var meters []music.MeterChange
	for _, pb := range l.bars {
		if len(meters) == 0 || meters[len(meters)-1].Meter != pb.Meter {
			meters = append(meters, music.MeterChange{At: pb.Start, Meter: pb.Meter})
		}
	}
	piece := &music.Piece{Title: l.title + " (trading " + strconv.Itoa(l.opt.Bars) + "s, live)",
		Tempo: l.clock.tempo(), Chart: c, Keys: []music.KeyChange{{Key: key}},
		Meters: meters,
		Parts: []music.Part{
			{Name: "Player", Role: music.RoleMelody, Channel: 0, Notes: player},
			sideman,
		}}
	return piece
}

// Record tells the project's ledger what was played since the last
// Record: the player's notes as captured (one still held with its
// duration so far) (played by a
// person, IPTC digitalCapture), the answers as generated. Commit is the
// caller's (the project's Ledger). Outside a project it does nothing.
func (l *Live) Record() {
	r := l.p.Ledger
	if r == nil {
		return
	}
	rec := ledger.Record{Actor: ledger.Human, Op: ledger.Capture, Source: ledger.DigitalCapture}
	for _, n := range l.Piece().Parts[0].Notes {
		if r.has(n.ID) {
			continue
		}
		rec.Notes = append(rec.Notes, n.ID)
		rec.After = append(rec.After, ledger.StateOf(&n))
	}
	if len(rec.Notes) > 0 {
		r.add(rec)
	}
	if l.recAns < len(l.answer) {
		ans := l.answer[l.recAns:]
		for i := range ans {
			ans[i].Part = 1
		}
		params := map[string]string{"model": l.ref.Name, "bars": strconv.Itoa(l.opt.Bars), "live": "studio"}
		name := "Sideman"
		if l.opt.With == "drums" {
			params["with"], name = "drums", "Drums"
		}
		l.p.record(&music.Piece{Parts: []music.Part{{Name: name, Notes: ans}}},
			Generation{Seed: strconv.FormatUint(l.opt.Seed, 10), Model: l.ref.Hash, Params: params})
		l.recAns = len(l.answer)
	}
}
