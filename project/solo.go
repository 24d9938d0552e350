package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"sideman/band"
	"sideman/feel"
	"sideman/format/midi"
	"sideman/improv"
	"sideman/model"
	"sideman/music"
)

// SoloOptions say how the soloist improvises over a chart.
type SoloOptions struct {
	// Tune picks one tune of a file holding several, by title or index.
	Tune string
	// Model is the style model the soloist plays from: a built-in name,
	// a model in the user folder or a model file; "" is the built-in jazz
	// model.
	Model string
	// Style is the band's style ("" the chart's): its feel plays the solo
	// (swing-soloist for swung eighths) and, WithBand, its band plays.
	Style string
	// Choruses of the form, 1 to 64 (0 is 1).
	Choruses int
	// Adventure and Density, 0 to 1 (improv.Options): the command's
	// default for each is 0.5, the model and the rhythm as learned.
	Adventure, Density float64
	// Range is the lowest and highest pitch, "LOW-HIGH" as MIDI keys
	// (55-84) or pitch names (G3-C6); "" is improv's default, 49-83
	// (WJazzD's soloists' range).
	Range string
	// Seed makes the solo repeatable: same seed, same notes.
	Seed int64
	// WithBand writes the band's parts with the solo.
	WithBand bool
}

// Solo is a solo improvised over a chart.
type Solo struct {
	// Piece is the solo as played (with the band WithBand), through the
	// style's feel.
	Piece *music.Piece
	// Figures measure the solo as improv measures WJazzD's (Human).
	Figures, Human improv.Figures
	// Phrases played, and the share of them that develop an earlier one.
	Phrases   int
	Developed float64
	name      string
}

// EncodeMIDI writes the solo as a MIDI file, each note's id and Origin
// recorded in it.
func (s *Solo) EncodeMIDI(w io.Writer) error {
	return inputError(s.name, midi.EncodePiece(w, s.Piece))
}

// soloProgram is the solo's instrument: a tenor saxophone (General MIDI
// 67, 66 from 0), on a channel the band leaves free.
const (
	soloProgram = 66
	soloChannel = 3
)

// Solo reads a chart and improvises over its changes (improv.Soloist),
// bar by bar beside the band, which it hears as it plays. A MIDI file is
// soloed over the chords heard in its notes (HeardChart), as Play plays it.
func (p *Project) Solo(ctx context.Context, name string, opt SoloOptions) (*Solo, error) {
	low, high, err := checkSolo(opt)
	if err != nil {
		return nil, err
	}
	m, modelName, hash, err := p.soloModel(ctx, opt.Model)
	if err != nil {
		return nil, err
	}
	d, c, err := p.openTune(ctx, name, opt.Tune)
	if err != nil {
		return nil, err
	}
	if c, err = tuneOf(d, c, opt.Tune); err != nil { // a MIDI file's: the chords heard in it
		return nil, err
	}
	choruses := max(opt.Choruses, 1)
	p.warnCut(d.Name, c, choruses)
	st, _, err := p.Style(opt.Style, c, 0)
	if err != nil {
		return nil, err
	}
	if _, err := Feel(st.FeelName()); err != nil { // before the work, as every bad input
		return nil, err
	}
	key := opt
	key.WithBand = false // the solo's notes and ids are the same with the band or without
	ids := p.ids("solo", []string{d.Name, hash}, key)
	b, err := band.New(c, band.Options{Lineup: p.lineup(), Style: st, Choruses: choruses, Seed: opt.Seed, IDs: ids})
	if err == band.ErrNoChords || errors.Is(err, music.ErrTooLong) {
		return nil, &Error{BadInput, d.Name, fmt.Errorf("%q: %v", c.Title, err)}
	}
	if err != nil {
		return nil, inputError(d.Name, err)
	}
	s, err := improv.New(b.Gig(), improv.Options{Model: m, ModelName: modelName, ModelHash: hash, Adventure: opt.Adventure, Density: opt.Density,
		Low: low, High: high, IDs: ids, Params: fmt.Sprintf("style=%q choruses=%d", st.Name, choruses)})
	if err != nil {
		return nil, &Error{BadInput, d.Name, err}
	}
	var heard, solo []music.Note
	for bar := 0; !b.Done(); bar++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		solo = append(solo, s.Play(bar, bar+1, heard)...) // the soloist hears the band up to the bar before
		heard = append(heard, b.Next(1, nil)...)
	}
	piece := b.Piece()
	part := music.Part{Name: "Solo", Role: music.RoleMelody, Channel: soloChannel, Program: soloProgram}
	if !opt.WithBand {
		piece.Parts = nil
	}
	for i := range solo {
		solo[i].Part, solo[i].Channel = int16(len(piece.Parts)), soloChannel
	}
	part.Notes = solo
	piece.Parts = append(piece.Parts, part)
	piece, err = SoloFeel(piece, st, opt.Seed)
	if err != nil {
		return nil, err
	}
	p.record(piece, Generation{Seed: fmt.Sprint(opt.Seed), Model: hash, Params: map[string]string{"model": modelName, "style": st.Name}})
	return &Solo{Piece: piece, Figures: s.Figures(), Human: improv.Builtin().Human, Phrases: len(s.Phrases()), Developed: s.Developed(), name: d.Name}, nil
}

// SoloFeel plays a piece holding a solo part (written straight, as the
// soloist writes it) through the feel sideman solo plays it with: the
// style's feel, the swing-soloist's timing for the solo of a swung style,
// the seed's fluctuations; a melody part of one note at a time is played
// as a horn plays it (monophonic). In a swung style the melody parts swing as
// soloists swing at the piece's tempo (improv.Rhythm.SwingAt, learned
// from WJazzD: a beat-upbeat ratio of 1.05 to 1.14, far less than the
// ride cymbal's), the band's parts as the style says. The judge's
// adapter calls it too, so the solos judged are played as the command
// plays them.
func SoloFeel(piece *music.Piece, st *band.Style, seed int64) (*music.Piece, error) {
	prof, err := Feel(st.FeelName())
	if err != nil {
		return nil, err
	}
	prof = band.MelodyFeel(piece, prof, st)
	play := func(p *music.Piece) *music.Piece {
		if prof == nil {
			return band.WithFeel(p, feel.Swing)
		}
		return band.WithFeel(p, func(pc *music.Piece) *music.Piece {
			return feel.Humanize(pc, prof, feel.Options{Amount: 1, Seed: uint64(seed)})
		})
	}
	var out *music.Piece
	if sw := improv.Builtin().SwingAt(piece.Tempo.At(0).BPM()); st.Swung() && sw > 0 {
		// The melody and the band played apart, each at its swing, every
		// part at its index (the fluctuations are the part's, by index).
		melody, rest := *piece, *piece
		melody.Swing = sw
		melody.Parts, rest.Parts = slices.Clone(piece.Parts), slices.Clone(piece.Parts)
		for i, part := range piece.Parts {
			if part.Role == music.RoleMelody {
				rest.Parts[i].Notes = nil
			} else {
				melody.Parts[i].Notes = nil
			}
		}
		out = play(&rest)
		sung := play(&melody)
		for i, part := range piece.Parts {
			if part.Role == music.RoleMelody {
				out.Parts[i] = sung.Parts[i]
			}
		}
	} else {
		out = play(piece)
	}
	for i, part := range piece.Parts {
		if part.Role == music.RoleMelody && isLine(part.Notes) && i < len(out.Parts) {
			out.Parts[i].Notes = monophonic(part.Notes, out.Parts[i].Notes, out.Tempo)
		}
	}
	return out, nil
}

// isLine tells a part of one note at a time as written: no two struck
// together.
func isLine(notes []music.Note) bool {
	starts := make(map[music.Ticks]bool, len(notes))
	for _, n := range notes {
		if starts[n.Start] {
			return false
		}
		starts[n.Start] = true
	}
	return true
}

// monophonic plays a horn's line as a horn player plays it, after the
// feel has moved every onset by its own timing and shortened every
// legato note (written to sound until the next) by its learned
// articulation of its written length: the notes keep their written
// order, no time between two onsets shrinking to under half its written
// length (two sixteenths the feel pushed together or past each other)
// nor under hornGap (a horn player tongues some 25 notes a second at
// most: two sixteenths at 300 bpm, 50 ms apart as written, were played
// 25 ms apart and sounded as clicks; after a grace note written closer
// than that, the next note comes that far behind it, a little late); each
// note ends before the next begins, one written legato sounding the same
// share (its articulation) of the time to the next onset as played, and
// none sounding under hornNote. written are the notes before the feel, played
// after it (ids kept); tempo turns milliseconds into ticks.
func monophonic(written, played []music.Note, tempo music.TempoMap) []music.Note {
	ws := slices.Clone(written)
	music.SortNotes(ws)
	byID := make(map[music.NoteID]music.Note, len(played))
	for _, n := range played {
		byID[n.ID] = n
	}
	out := make([]music.Note, 0, len(ws))
	kept := ws[:0:0] // the written notes of out
	for _, w := range ws {
		n, ok := byID[w.ID]
		if !ok {
			continue
		}
		if k := len(out); k > 0 {
			wioi := w.Start - kept[k-1].Start
			gap := max(wioi/2, msTicks(tempo, out[k-1].Start, hornGap))
			n.Start = max(n.Start, out[k-1].Start+gap)
		}
		out, kept = append(out, n), append(kept, w)
	}
	for i := 0; i+1 < len(out); i++ {
		n, w, ioi := &out[i], kept[i], out[i+1].Start-out[i].Start
		if wioi := kept[i+1].Start - w.Start; w.Duration > 0 && w.Duration*10 >= wioi*9 {
			art := float64(n.Duration) / float64(w.Duration) // the feel's articulation
			n.Duration = max(1, music.Ticks(math.Round(art*float64(ioi))))
		}
		n.Duration = min(max(n.Duration, msTicks(tempo, n.Start, hornNote)), ioi)
	}
	if k := len(out) - 1; k >= 0 {
		out[k].Duration = max(out[k].Duration, msTicks(tempo, out[k].Start, hornNote))
	}
	return out
}

// hornGap is the shortest time between two onsets a horn player tongues
// (some 25 notes a second), hornNote the shortest a note sounds (shorter
// is a click, not a note: WJazzD's soloists play 0.13% of their notes
// under 20 ms), both in milliseconds.
const (
	hornGap  = 40
	hornNote = 30
)

// msTicks is ms milliseconds in ticks at the tempo at t.
func msTicks(tempo music.TempoMap, t music.Ticks, ms float64) music.Ticks {
	return music.Ticks(math.Ceil(ms * 1000 * music.PPQ / float64(max(1, tempo.At(t).MicrosPerQuarter))))
}

// checkSolo refuses options out of their range before anything is read,
// and reads the range.
func checkSolo(opt SoloOptions) (low, high int, err error) {
	switch {
	case opt.Choruses < 0 || opt.Choruses > 64:
		return 0, 0, &OptionError{"choruses", strconv.Itoa(opt.Choruses), errors.New("want 1 to 64")}
	case !(opt.Adventure >= 0 && opt.Adventure <= 1):
		return 0, 0, &OptionError{"adventure", fmt.Sprint(opt.Adventure), errors.New("want 0 to 1")}
	case !(opt.Density >= 0 && opt.Density <= 1):
		return 0, 0, &OptionError{"density", fmt.Sprint(opt.Density), errors.New("want 0 to 1")}
	}
	if opt.Range == "" {
		return improv.DefaultLow, improv.DefaultHigh, nil
	}
	i := strings.LastIndex(opt.Range, "-")
	if i <= 0 {
		return 0, 0, &OptionError{"range", strconv.Quote(opt.Range), errors.New("want LOW-HIGH, as 55-84 or G3-C6")}
	}
	lo, hi := opt.Range[:i], opt.Range[i+1:]
	low, err1 := pitchOf(lo)
	high, err2 := pitchOf(hi)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, &OptionError{"range", strconv.Quote(opt.Range), err}
	}
	if high-low < 12 {
		return 0, 0, &OptionError{"range", strconv.Quote(opt.Range), errors.New("want an octave or more")}
	}
	return low, high, nil
}

// pitchOf reads a MIDI key (0-127) or a pitch name (C4 is 60).
func pitchOf(s string) (int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 127 {
			return 0, fmt.Errorf("pitch %d: want 0 to 127", n)
		}
		return n, nil
	}
	p, err := music.ParsePitch(s)
	if err != nil {
		return 0, err
	}
	if n := p.MIDI(); n >= 0 && n <= 127 {
		return n, nil
	}
	return 0, fmt.Errorf("pitch %s: out of MIDI's range", s)
}

// soloModel resolves the soloist's model through LoadModel (a built-in
// name, a model in the user's folder, or a file; "" is the built-in
// jazz model), named and identified by the SHA-256 of its file.
func (p *Project) soloModel(ctx context.Context, name string) (*model.Model, string, string, error) {
	if name == "" {
		name = DefaultSoloModel
	}
	m, info, err := p.LoadModel(ctx, name)
	if err != nil {
		return nil, "", "", err
	}
	return m, info.Name, info.Hash, nil
}

// DefaultSoloModel is the model a soloist plays from when none is named.
const DefaultSoloModel = "jazz"
