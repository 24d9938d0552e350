package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"sideman/internal/output"
	"sideman/load"
	"sideman/music"
	"sideman/render"
)

func init() {
	register("render", command{
		summary: "render a MIDI file to a WAV file through a SoundFont (FluidR3 or TimGM6mb from Debian, or --soundfont)",
		usage:   "sideman render IN.mid -o OUT.wav [--soundfont SF2] [--dry]",
		examples: []string{
			"sideman render blues.mid -o blues.wav",
			"sideman render blues.mid --soundfont /usr/share/sounds/sf2/TimGM6mb.sf2 --dry -o blues-dry.wav",
		},
		run: renderMIDI,
	})
}

func renderMIDI(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	outPath := fs.String("o", "", "WAV file to write (.wav); - is stdout")
	sf2 := fs.String("soundfont", "", "SoundFont (.sf2) to play with; default: $"+render.EnvSoundFont+", else Debian's FluidR3_GM or TimGM6mb")
	dry := fs.Bool("dry", false, "leave out reverb and chorus")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one IN.mid"}
	}
	if *outPath == "" {
		return usageError{"want -o OUT.wav"}
	}
	target, err := outputTo(*outPath, []output.Format{output.WAV}, pos[0], *sf2)
	if err != nil {
		return err
	}
	d, err := open(pos[0], errs)
	if err != nil {
		return err
	}
	if d.MIDI == nil || d.Piece == nil {
		return &load.InputError{Name: d.Name, Err: fmt.Errorf("is %s, not a MIDI file; play a chart with sideman band --wav", d.Format)}
	}
	// The file as read, not its Piece: a MIDI player's controllers
	// (volume, pan, pedal, bends) are part of the sound.
	f := d.MIDI
	return inputFault(d.Name, writeAudio(target, stdout, d.Piece, render.Options{SoundFont: *sf2, Dry: *dry}, errs,
		func(w io.Writer, opt render.Options) error { return render.MIDIWAV(w, f, opt) }))
}

// writeWAV renders the piece to a checked WAV output. The SoundFont is found before
// rendering, so a missing one is reported at once, as bad input (exit 2)
// naming the Debian package to install. Pieces longer than two minutes
// take seconds to render: they show progress on errs.
func writeWAV(t *output.Target, stdout io.Writer, p *music.Piece, opt render.Options, errs io.Writer) error {
	return writeAudio(t, stdout, p, opt, errs, func(w io.Writer, opt render.Options) error { return render.WAV(w, p, opt) })
}

// writeAudio is writeWAV with the rendering given: p is only measured.
func writeAudio(t *output.Target, stdout io.Writer, p *music.Piece, opt render.Options, errs io.Writer, wav func(io.Writer, render.Options) error) error {
	sf, err := render.FindSoundFont(opt.SoundFont)
	if err != nil {
		return soundFontInputError(err)
	}
	opt.SoundFont = sf
	if p.Tempo.Seconds(p.End()) > 120 {
		opt.Progress = func(done, total float64) {
			fmt.Fprintf(errs, "sideman: rendering %s: %.0f of %.0f s\n", t.Path, done, total)
		}
	}
	err = writeTo(t, stdout, func(w io.Writer) error { return wav(w, opt) })
	return soundFontInputError(err)
}

// soundFontInputError turns SoundFont errors and music too long to
// render, which are the user's input, into load.InputError; other errors
// pass through.
func soundFontInputError(err error) error {
	var se *render.SoundFontError
	switch {
	case errors.As(err, &se):
		return &load.InputError{Name: "soundfont " + se.Path, Err: se.Err}
	case errors.Is(err, render.ErrNoSoundFont):
		// No file to name: the line says what to give ("sideman: sideman:" named none).
		return &load.InputError{Name: "soundfont", Err: err}
	}
	return err
}
