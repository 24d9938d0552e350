package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"sideman/band"
	"sideman/feel"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/internal/quote"
	"sideman/load"
	"sideman/music"
)

// PlayOptions say how a band plays a chart. The zero value plays one
// chorus of the only tune in the style the chart's hint names, with that
// style's feel.
type PlayOptions struct {
	// Tune picks one tune of a file holding several, by title or index.
	Tune string
	// Style is a built-in style's name or a .style file; "" is the one
	// the chart's style hint names, else medium swing.
	Style string
	// Tempo in felt beats per minute, 20 to 400; 0 is the chart's, else
	// the style's.
	Tempo int
	// Choruses of the form, 1 to 64 (0 is 1).
	Choruses int
	// Transpose moves the chart before the band plays it.
	Transpose *music.Transposition
	// Intro plays the form's last bars first; Ending adds a tag and a
	// final chord.
	Intro, Ending bool
	// Mute leaves roles out: "bass", "piano", "guitar", "drums".
	Mute []string
	// Practice (band.Options): bars of count-in, bars of the chart on a
	// loop played Repeat times (with no choruses, intro or ending), beats
	// per minute added each time round, each role's level in dB.
	CountIn int
	Loop    band.BarRange
	Repeat  int
	Ramp    int
	Levels  map[string]float64
	// Melody says on which choruses a lead sheet's melody plays; nil is
	// the head in and out when the chart has a melody, none when it has
	// not (a melody asked for of a chord chart is refused).
	Melody *band.Heads
	// Feel is the human feel: a built-in's name, a .feel file, or "none"
	// for the grid; "" is the style's (with a soloist for a melody,
	// band.MelodyFeel).
	Feel string
	// Seed makes the performance repeatable: same seed, same notes.
	Seed int64
}

// Performance is a chart played by the band.
type Performance struct {
	// Piece is the performance as heard: the band and the melody, with
	// the feel (with none, on the grid, its eighths swung as the style says).
	Piece *music.Piece
	// Score is the band on the grid, before the feel, with the bars as
	// played: what a notation program shows.
	Score musicxml.Score
	// Summary says what the band played and why (style, tempo, key,
	// meter, feel, choruses, bars, seconds).
	Summary band.Summary
	name    string // the input
}

// EncodeMIDI writes the performance as a MIDI file, each note's id and
// Origin recorded in it.
func (perf *Performance) EncodeMIDI(w io.Writer) error {
	return inputError(perf.name, midi.EncodePiece(w, perf.Piece))
}

// EncodeScore writes the score as MusicXML. What MusicXML cannot write
// of the performance (a meter it has no notation for, a score too long)
// is Unsupported, naming the input; an error writing to w is returned
// as it is.
func (perf *Performance) EncodeScore(w io.Writer) error {
	return encodeError(perf.name, w, func(w io.Writer) error { return musicxml.EncodeScore(w, perf.Score) })
}

// Play reads a chart or a lead sheet (a file or a link) and plays it with
// the band the options describe, bar by bar: cancelling ctx stops it
// within a bar's work. Of a collection it reads the tune it plays, not
// the others (load.OpenTune).
func (p *Project) Play(ctx context.Context, name string, opt PlayOptions) (*Performance, error) {
	d, c, err := p.openTune(ctx, name, opt.Tune)
	if err != nil {
		return nil, err
	}
	return p.play(ctx, d, c, opt, p.ids("band", []string{d.Name}, playKey(opt)))
}

// PlayDocument is Play of a document already read (a bundled example);
// its notes should have their ids from the project's.
func (p *Project) PlayDocument(ctx context.Context, d *load.Document, opt PlayOptions) (*Performance, error) {
	return p.play(ctx, d, nil, opt, p.ids("band", []string{d.Name}, playKey(opt)))
}

// playKey is the options that choose the notes, which key their ids
// outside a project: not the feel, which moves the notes the band plays
// and keeps their ids, so a performance and its grid share them.
func playKey(opt PlayOptions) PlayOptions {
	opt.Feel = ""
	return opt
}

// play plays the chart c of d, or the one opt.Tune picks when c is nil.
func (p *Project) play(ctx context.Context, d *load.Document, c *music.Chart, opt PlayOptions, ids *music.IDs) (*Performance, error) {
	if err := checkPlay(opt); err != nil {
		return nil, err
	}
	c, err := tuneOf(d, c, opt.Tune) // a MIDI file's: the chords heard in it
	if err != nil {
		return nil, err
	}
	choruses := max(opt.Choruses, 1)
	p.warnCut(d.Name, c, choruses)
	st, source, err := p.Style(opt.Style, c, opt.Tempo)
	if err != nil {
		return nil, err
	}
	bopt := band.Options{Lineup: p.lineup(), Style: st, Tempo: opt.Tempo, Choruses: choruses, Intro: opt.Intro, Ending: opt.Ending, Seed: opt.Seed,
		Mute: map[string]bool{}, CountIn: opt.CountIn, Loop: opt.Loop, Repeat: opt.Repeat, Ramp: opt.Ramp, Levels: opt.Levels, IDs: ids}
	for _, r := range opt.Mute {
		bopt.Mute[r] = true
	}
	if opt.Transpose != nil {
		c = c.Transpose(*opt.Transpose)
	}
	feelName := opt.Feel
	if feelName == "" {
		feelName = st.FeelName()
	}
	prof, err := Feel(feelName)
	if err != nil {
		return nil, err
	}
	piece, err := playBars(ctx, c, bopt)
	if err == band.ErrNoChords || errors.Is(err, music.ErrTooLong) {
		return nil, &Error{BadInput, d.Name, fmt.Errorf("%q: %v", c.Title, err)}
	}
	if err != nil {
		return nil, inputError(d.Name, err)
	}
	perf := &Performance{Summary: band.Summarize(piece, bopt, source), name: d.Name}
	perf.Summary.Feel = feelName
	heads := band.HeadInOut
	if opt.Melody != nil {
		heads = *opt.Melody
	}
	switch _, err := band.WithMelody(piece, bopt, heads); {
	case errors.Is(err, band.ErrNoMelody) && opt.Melody == nil:
	case errors.Is(err, band.ErrNoMelody):
		return nil, &Error{BadInput, d.Name, fmt.Errorf("melody %s: %q has no written melody", heads, piece.Title)}
	case err != nil:
		return nil, inputError(d.Name, err)
	case opt.Feel == "":
		prof = band.MelodyFeel(piece, prof, st)
	}
	perf.Score = musicxml.Score{Piece: piece, Swing: st.Swing}
	perf.Score.Bars, _ = band.Played(piece.Chart, bopt) // the band played these bars: it refused the options that fail
	// The band writes the written rhythm; the feel plays it, or with no
	// feel (--feel none) feel.Swing swings its eighths as the style says.
	if prof == nil {
		perf.Piece = band.WithFeel(piece, feel.Swing)
	} else { // Humanize swings the eighths itself
		perf.Piece = band.WithFeel(piece, func(p *music.Piece) *music.Piece {
			return feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: uint64(opt.Seed)})
		})
	}
	p.record(perf.Piece, Generation{Seed: fmt.Sprint(opt.Seed), Params: map[string]string{"style": st.Name, "feel": feelName, "choruses": fmt.Sprint(choruses)}})
	return perf, nil
}

// playBars is band.Play with a context: the band plays bar by bar and
// stops when ctx is done.
func playBars(ctx context.Context, c *music.Chart, opt band.Options) (*music.Piece, error) {
	b, err := band.New(c, opt)
	if err != nil {
		return nil, err
	}
	for !b.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b.Next(1, nil)
	}
	return b.Piece(), nil
}

// checkPlay refuses options out of their range before anything is read.
func checkPlay(opt PlayOptions) error {
	switch {
	case opt.Choruses < 0 || opt.Choruses > 64:
		return &OptionError{"choruses", strconv.Itoa(opt.Choruses), errors.New("want 1 to 64")}
	case opt.Tempo != 0 && (opt.Tempo < 20 || opt.Tempo > 400):
		return &OptionError{"tempo", strconv.Itoa(opt.Tempo), errors.New("want 20 to 400 beats per minute")}
	}
	for _, r := range opt.Mute {
		if !slices.Contains(band.Roles, r) {
			return &OptionError{"mute", strconv.Quote(r), errors.New("want bass, piano, guitar or drums")}
		}
	}
	return nil
}

// warnCut warns when the chart's form asks for more than
// music.MaxPlayedBars bars (a D.S. that loops, a thousand repeats): what
// is played stops there, and a listener should know why.
func (p *Project) warnCut(name string, c *music.Chart, choruses int) {
	if _, cut := c.UnrollCut(choruses); cut {
		p.warn(Warning{Name: name, Err: fmt.Errorf("%s plays more than %d bars (its repeats or jumps); only the first %d are played",
			quote.Input(c.Title), music.MaxPlayedBars, music.MaxPlayedBars)})
	}
}

// ScoreNow brings a performance's score (perf.Score: the band on the
// grid, its bars as played) up to the notes as they are now in now, the
// performance as heard and changed since (in the studio: notes a person
// edited, alternatives chosen in place of others). A note now holds stays
// on the grid where the band wrote it, unless a person edited it: then it
// is written as they left it. A note gone from now is gone from the
// score; a note now holds that the score lacks (a chosen alternative) is
// written where it sounds, in the part of the same name. When now shares
// no note with the score (another piece: a trade), the score is now's
// alone, with no bars as played.
func ScoreNow(score musicxml.Score, now *music.Piece) musicxml.Score {
	if score.Piece == nil {
		return musicxml.Score{Piece: now}
	}
	live := map[music.NoteID]music.Note{}
	for _, part := range now.Parts {
		for _, n := range part.Notes {
			if n.ID != 0 {
				live[n.ID] = n
			}
		}
	}
	grid := *score.Piece
	grid.Parts = slices.Clone(grid.Parts)
	onGrid, shared := map[music.NoteID]bool{}, false
	for i := range grid.Parts {
		part := &grid.Parts[i]
		var notes []music.Note
		for _, n := range part.Notes {
			onGrid[n.ID] = true
			l, ok := live[n.ID]
			switch {
			case n.ID == 0:
				notes = append(notes, n)
			case !ok:
			case humanEdited(l.Origin):
				shared = true
				l.Part, l.Channel = n.Part, n.Channel
				notes = append(notes, l)
			default:
				shared = true
				notes = append(notes, n)
			}
		}
		part.Notes = notes
	}
	if !shared {
		return musicxml.Score{Piece: now}
	}
	for _, lp := range now.Parts {
		i := slices.IndexFunc(grid.Parts, func(p music.Part) bool { return p.Name == lp.Name })
		if i < 0 {
			continue
		}
		for _, n := range lp.Notes {
			if n.ID != 0 && !onGrid[n.ID] {
				n.Part, n.Channel = int16(i), grid.Parts[i].Channel
				grid.Parts[i].Notes = append(grid.Parts[i].Notes, n)
			}
		}
		music.SortNotes(grid.Parts[i].Notes)
	}
	score.Piece = &grid
	return score
}

// EncodePieceScore writes a score as MusicXML (musicxml.EncodeScore: note
// starts and ends put on the nearest sixteenth or eighth-note triplet,
// swung eighths written straight); its errors name name, as
// Performance.EncodeScore's name the input.
func EncodePieceScore(w io.Writer, name string, score musicxml.Score) error {
	return encodeError(name, w, func(w io.Writer) error { return musicxml.EncodeScore(w, score) })
}
