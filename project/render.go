package project

import (
	"context"
	"io"

	"sideman/format/midi"
	"sideman/music"
	"sideman/render"
)

// RenderOptions say how to render music to audio.
type RenderOptions struct {
	// SoundFont is the SoundFont to play with, loaded
	// (render.LoadSoundFont): finding one on the system is the edge's
	// work (a command's flag, a setting), and a caller that renders many
	// pieces loads it once.
	SoundFont *render.SoundFont
	// Dry leaves out reverb and chorus.
	Dry bool
}

// WAV is music read and checked, ready to render to a WAV file: reading
// fails before an output is opened, rendering after.
type WAV struct {
	p     *Project
	name  string
	piece *music.Piece
	file  *midi.File // the file as read, when there is one
}

// Render reads a MIDI file to render. The file as read is rendered, not
// only its notes: a MIDI player's controllers (volume, pan, pedal, bends)
// are part of the sound.
func (p *Project) Render(ctx context.Context, name string) (*WAV, error) {
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	piece, err := midiPiece(d)
	if err != nil {
		return nil, err
	}
	return &WAV{p: p, name: d.Name, piece: piece, file: d.MIDI}, nil
}

// RenderPiece is music to render that the project made (a band's
// performance); name is the input it came from, which errors name.
func (p *Project) RenderPiece(name string, piece *music.Piece) *WAV {
	return &WAV{p: p, name: name, piece: piece}
}

// Seconds is the music's length, to its last note's end.
func (r *WAV) Seconds() float64 { return r.piece.Tempo.Seconds(r.piece.End()) }

// Encode renders the music to w as a WAV file, reporting its progress as
// the task "rendering". It streams: to a regular file in one pass, to a
// pipe in two (render.WAV). Cancelling ctx stops it within a few
// thousand frames, returning ctx.Err().
func (r *WAV) Encode(ctx context.Context, w io.Writer, o RenderOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.p.Ledger.rendering(r.piece) // the notes its C2PA manifest counts
	opt := render.Options{SoundFont: o.SoundFont, Dry: o.Dry, Progress: r.p.progress("rendering")}
	var err error
	if r.file != nil {
		err = render.MIDIWAV(ctx, w, r.file, opt)
	} else {
		err = render.WAV(ctx, w, r.piece, opt)
	}
	return inputError(r.name, err)
}
