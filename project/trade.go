package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"sideman/format/midi"
	"sideman/improv/trade"
	"sideman/music"
)

// TradeOptions say how the sideman trades with a player's MIDI file.
type TradeOptions struct {
	// Tune picks one tune of a file holding several, by title or index.
	Tune string
	// Human is the player's MIDI file: its bar 1 (by its own ticks and
	// meter) is the chart's bar 1, no count-in.
	Human string
	// Bars is a turn's length, 4 (0 is 4) or 8.
	Bars int
	// Model is the style model: a built-in name, a model in the user
	// folder or a model file; "" is the built-in jazz model (as solo's).
	Model string
	// Seed makes the answers repeatable.
	Seed uint64
	// WithBand adds the band playing the chart under the trade.
	WithBand bool
	// With is who trades with the player, as LiveOptions.With: "soloist"
	// ("" too), the soloist answering from the model, or "drums", the
	// drummer answering on the GM kit, channel 10, in a "Drums" part.
	With string
}

// ModelRef names a model as the notes it makes record it: its name and
// the hex SHA-256 of its file (the whole hash, as the soloist's Origins
// give it).
type ModelRef struct {
	Name string `json:"name"`
	Hash string `json:"hash"`
}

// Traded is a trade: the player's notes and the sideman's answers, each on
// its own track (and the band's, when asked).
type Traded struct {
	// Piece holds the player's part (their notes with their ids and
	// Origins), the sideman's, and the band's parts when asked.
	Piece *music.Piece `json:"-"`
	// Answers say, for every answer, its bars, what it heard and what it
	// develops.
	Answers []TradeAnswer `json:"answers"`
	// Late are the player's notes that start in the sideman's bars, and
	// how each was taken.
	Late  []LateNote `json:"late,omitempty"`
	Model ModelRef   `json:"model"`
	Bars  int        `json:"bars"`
	Seed  uint64     `json:"seed"`
	// With is who answered: "soloist" or "drums".
	With string `json:"with"`
	name string
}

// TradeAnswer is one answer as --json lists it.
type TradeAnswer struct {
	// Bars are the sideman's, from 1 ("5-8").
	Bars string `json:"bars"`
	// Downbeat and Asked are ticks: where the answer starts, when it was
	// asked for (10 ms before, at the player's tempo there).
	Downbeat music.Ticks `json:"downbeat_tick"`
	Asked    music.Ticks `json:"asked_tick"`
	// Heard are the player's notes it heard, Learned those the model
	// learned (the melody of the phrase), Held those still sounding.
	Heard   []music.NoteID `json:"heard"`
	Learned int            `json:"learned"`
	Held    []music.NoteID `json:"held,omitempty"`
	// Notes are the answer's notes' ids.
	Notes        []music.NoteID      `json:"notes"`
	Developments []trade.Development `json:"developments"`
}

// LateNote is a note of the player's that starts in the sideman's bars.
type LateNote struct {
	ID      music.NoteID `json:"id"`
	Bar     int          `json:"bar"`
	Beat    float64      `json:"beat"`
	Treated string       `json:"treated"`
}

// EncodeMIDI writes the trade as a MIDI file, each note's id and Origin
// recorded in it.
func (t *Traded) EncodeMIDI(w io.Writer) error {
	return inputError(t.name, midi.EncodePiece(w, t.Piece))
}

// Trade trades fours (or eights) with the player's MIDI file over a
// chart: the player's phrases are in bars 1–4, 9–12, …, the sideman
// answers in the bars between, each answer asked for 10 ms before its
// downbeat with the notes still sounding then heard as far as they went.
// The chart is played again (choruses) as long as the player's file
// lasts, and the sideman answers the player's last phrase.
// A chart that is a MIDI file is traded over the chords heard in its
// notes (HeardChart), as Play plays it.
func (p *Project) Trade(ctx context.Context, chart string, opt TradeOptions) (*Traded, error) {
	if opt.Bars == 0 {
		opt.Bars = 4
	}
	if opt.Bars != 4 && opt.Bars != 8 {
		return nil, &OptionError{"bars", strconv.Itoa(opt.Bars), errors.New("want 4 or 8")}
	}
	answerer, err := partner(opt.With)
	if err != nil {
		return nil, err
	}
	drums := opt.With == "drums"
	m, modelName, hash, err := p.soloModel(ctx, opt.Model)
	if err != nil {
		return nil, err
	}
	ref := ModelRef{Name: modelName, Hash: hash}
	d, c, err := p.openTune(ctx, chart, opt.Tune)
	if err != nil {
		return nil, err
	}
	if c, err = tuneOf(d, c, opt.Tune); err != nil { // a MIDI file's: the chords heard in it
		return nil, err
	}
	hd, err := p.open(ctx, opt.Human)
	if err != nil {
		return nil, err
	}
	human, err := midiPiece(hd)
	if err != nil {
		return nil, err
	}
	var notes []music.Note
	for _, part := range human.Parts {
		notes = append(notes, part.Notes...)
	}
	if len(notes) == 0 {
		return nil, bad(hd.Name, "has no notes to trade")
	}
	form := c.Unroll(1)
	if len(form) == 0 {
		return nil, bad(d.Name, "%q has no bars", c.Title)
	}
	// The player's bars are the chart's by number: a note n ticks into
	// the player's bar b is as far into the chart's bar b, in proportion
	// where their meters differ.
	hgrid := human.Meters.Grid()
	lastBar := 0
	for _, n := range notes {
		lastBar = max(lastBar, hgrid.Locate(n.Start).Bar)
	}
	need := (lastBar/opt.Bars + 1) * opt.Bars // the group of the last note
	if (lastBar/opt.Bars)%2 == 0 {
		need += opt.Bars // and the answer to it
	}
	choruses := (need + len(form) - 1) / len(form)
	played := c.Unroll(choruses)
	if len(played) < need {
		return nil, bad(hd.Name, "lasts %d bars, more than %q is played in (%d)", lastBar+1, c.Title, len(played))
	}
	player := make([]music.Note, len(notes))
	for i, n := range notes {
		s := hgrid.Locate(n.Start)
		pb := played[s.Bar]
		n.Start = pb.Start + n.Start - s.BarStart
		if hb, cb := s.Meter.BarTicks(), pb.Meter.BarTicks(); hb != cb {
			n.Start = pb.Start + (n.Start-pb.Start)*cb/hb
			n.Duration = max(n.Duration*cb/hb, 1)
		}
		player[i] = n
	}
	music.SortNotes(player)

	ids := p.ids("trade", []string{d.Name, hd.Name}, opt)
	tr, err := trade.New(played[:need], trade.Options{Bars: opt.Bars, Model: m, ModelName: ref.Name, ModelHash: ref.Hash,
		Key: c.KeyOrDefault(), Seed: opt.Seed, IDs: ids, Answerer: answerer})
	if err != nil {
		return nil, &Error{Internal, d.Name, err}
	}
	// The file played as if live: each answer is asked for 10 ms before
	// its downbeat (at the player's tempo there), hearing the notes begun
	// by then, those still sounding as far as they went.
	type off struct {
		at             music.Ticks
		channel, pitch uint8
	}
	var offs []off
	next := 0
	release := func(before music.Ticks) {
		slices.SortStableFunc(offs, func(a, b off) int { return int(a.at - b.at) })
		k := 0
		for k < len(offs) && offs[k].at <= before {
			tr.NoteOff(offs[k].channel, offs[k].pitch, offs[k].at)
			k++
		}
		offs = offs[k:]
	}
	feed := func(upTo music.Ticks) error {
		for ; next < len(player) && player[next].Start < upTo; next++ {
			n := player[next]
			release(n.Start)
			if err := tr.NoteOn(n); err != nil {
				return err
			}
			offs = append(offs, off{n.End(), n.Channel, n.Pitch})
		}
		return nil
	}
	out := &Traded{Model: ref, Bars: opt.Bars, Seed: opt.Seed, With: "soloist", name: hd.Name}
	if drums {
		out.With = "drums"
	}
	var answers []music.Note
	for b := opt.Bars; b < need; b += 2 * opt.Bars {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		down := played[b].Start
		hb, _ := hgrid.Bar(b) // the player's tempo at their bar b
		ask := down - trade.Ticks(trade.Lateness, human.Tempo.At(hb).BPM())
		if err := feed(ask); err != nil {
			return nil, &Error{Internal, hd.Name, err}
		}
		release(ask)
		a, err := tr.Answer(ctx, ask)
		if err != nil {
			return nil, &Error{Internal, hd.Name, err}
		}
		answers = append(answers, a.Notes...)
		ta := TradeAnswer{Bars: fmt.Sprintf("%d-%d", a.Turn.From+1, a.Turn.To), Downbeat: a.Turn.Downbeat, Asked: a.Turn.Asked,
			Learned: len(a.Heard.Line), Held: a.Heard.Held, Developments: a.Developments}
		for _, n := range a.Heard.Notes {
			ta.Heard = append(ta.Heard, n.ID)
		}
		for _, n := range a.Notes {
			ta.Notes = append(ta.Notes, n.ID)
		}
		out.Answers = append(out.Answers, ta)
	}
	if err := feed(music.Ticks(1 << 62)); err != nil {
		return nil, &Error{Internal, hd.Name, err}
	}
	release(music.Ticks(1 << 62))
	out.Late = lateNotes(player, played, opt.Bars, tr)

	// The player's part as played (whole durations), the sideman's, and
	// the band's when asked.
	piece := &music.Piece{Title: c.Title + " (trading " + strconv.Itoa(opt.Bars) + "s)", Tempo: human.Tempo, Keys: []music.KeyChange{{Key: c.KeyOrDefault()}}, Chart: c}
	for _, pb := range played {
		if len(piece.Meters) == 0 || piece.Meters[len(piece.Meters)-1].Meter != pb.Meter {
			piece.Meters = append(piece.Meters, music.MeterChange{At: pb.Start, Meter: pb.Meter})
		}
	}
	program := 0
	if len(human.Parts) > 0 {
		program = human.Parts[0].Program
	}
	if opt.WithBand {
		// Trading with the drummer, the band lays out in the drummer's
		// turns (the drummer's break is alone): the band is recorded as
		// it is heard, after that, not as play made it.
		rec := p.Ledger
		if drums {
			p.Ledger = nil
		}
		perf, err := p.play(ctx, d, c, PlayOptions{Tune: opt.Tune, Choruses: choruses, Tempo: int(human.Tempo.At(0).BPM() + 0.5), Seed: int64(opt.Seed)}, ids)
		p.Ledger = rec
		if err != nil {
			return nil, err
		}
		if drums {
			for b := opt.Bars; b < need; b += 2 * opt.Bars {
				layOut(perf.Piece.Parts, played[b].Start, played[min(b+opt.Bars, need)-1].End())
			}
			p.record(perf.Piece, Generation{Seed: fmt.Sprint(int64(opt.Seed)), Params: map[string]string{"style": perf.Summary.Style,
				"feel": perf.Summary.Feel, "choruses": fmt.Sprint(choruses)}})
		}
		piece.Parts = append(piece.Parts, perf.Piece.Parts...)
	}
	used := map[uint8]bool{9: true}
	for _, part := range piece.Parts {
		used[part.Channel] = true
	}
	free := func() uint8 {
		for ch := uint8(0); ch < 16; ch++ {
			if !used[ch] {
				used[ch] = true
				return ch
			}
		}
		return 15
	}
	// The drummer answers on the kit, channel 10, as the band's drums.
	pch, sch := free(), uint8(9)
	sideman := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: sch, Program: -1}
	if !drums {
		sch = free()
		sideman = music.Part{Name: "Sideman", Role: music.RoleMelody, Channel: sch, Program: 66}
	}
	for i := range player {
		player[i].Channel = pch
	}
	for i := range answers {
		answers[i].Channel = sch
	}
	music.SortNotes(answers)
	// The soloist's answers are written on the grid, as the soloist
	// writes its lines: the feel plays them as it plays a solo (a swung
	// style's soloist swing, the player's dynamics), the band's parts as
	// they are. The drummer's strokes are already placed on the player's
	// own rhythm, with the player's velocities: they stay as answered (as
	// the studio plays them).
	if !drums {
		st, _, err := p.Style("", c, 0)
		if err != nil {
			return nil, err
		}
		solo := *piece
		solo.Parts = []music.Part{sideman}
		solo.Parts[0].Notes = answers
		felt, err := SoloFeel(&solo, st, int64(opt.Seed))
		if err != nil {
			return nil, err
		}
		answers = felt.Parts[0].Notes
	}
	sideman.Notes = answers
	band := piece.Parts
	piece.Parts = append([]music.Part{
		{Name: "Player", Role: music.RoleMelody, Channel: pch, Program: program, Notes: tr.Heard()},
		sideman,
	}, band...)
	for i := range piece.Parts[0].Notes {
		piece.Parts[0].Notes[i].Channel = pch
	}
	music.SortNotes(piece.Parts[0].Notes)
	for i := range piece.Parts {
		for j := range piece.Parts[i].Notes {
			piece.Parts[i].Notes[j].Part = int16(i)
		}
	}
	out.Piece = piece
	params := map[string]string{"model": ref.Name, "bars": fmt.Sprint(opt.Bars)}
	if drums {
		params["with"] = "drums"
	}
	p.record(piece, Generation{Seed: fmt.Sprint(opt.Seed), Model: ref.Hash, Params: params})
	return out, nil
}

// layOut rests the parts from tick from to tick to: the notes played for
// those bars (starting there, or up to a 32nd before a bar line: the
// feel's early downbeats) are left out, those sounding into it end at
// from.
func layOut(parts []music.Part, from, to music.Ticks) {
	// A note is the bar's it is played for: the feel plays a downbeat up
	// to a 32nd early, and that note is the next bar's (the break's first,
	// left out; the player's first after it, kept).
	early := music.Ticks(music.PPQ / 8)
	for i := range parts {
		parts[i].Notes = slices.DeleteFunc(parts[i].Notes, func(n music.Note) bool { return n.Start+early >= from && n.Start+early < to })
		for j := range parts[i].Notes {
			if n := &parts[i].Notes[j]; n.Start < from && n.End() > from {
				n.Duration = from - n.Start
			}
		}
	}
}

// lateNotes lists the player's notes that start in the sideman's bars and
// says how each was taken.
func lateNotes(player []music.Note, played []music.PlayedBar, bars int, tr *trade.Trader) []LateNote {
	turns := trade.Turns{Bars: bars}
	grid := music.GridOf(played)
	learned := map[music.NoteID]int{} // the answer's first bar
	for _, ph := range tr.Phrases() {
		for _, e := range ph.Line {
			learned[e.ID] = ph.To + 1
		}
	}
	answered := map[music.NoteID]int{}
	for _, a := range tr.Answers() {
		for _, n := range a.Heard.Notes {
			answered[n.ID] = a.Turn.From + 1
		}
	}
	var out []LateNote
	for _, n := range player {
		s := grid.Locate(n.Start)
		if s.Bar >= len(played) || turns.Player(s.Bar) {
			continue
		}
		l := LateNote{ID: n.ID, Bar: s.Bar + 1, Beat: float64(s.BarBeat+1) + float64(s.Offset)/float64(s.BeatTicks)}
		switch b, ok := learned[n.ID]; {
		case ok:
			l.Treated = fmt.Sprintf("kept; learned with the phrase the answer at bar %d answers", b)
		case answered[n.ID] > 0:
			l.Treated = fmt.Sprintf("kept; heard by the answer at bar %d, not learned (it sounds under the sideman's answer, before notes the model already holds)", answered[n.ID])
		default:
			l.Treated = "kept in the player's part; no answer follows it"
		}
		out = append(out, l)
	}
	return out
}
