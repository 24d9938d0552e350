package main

import (
	"context"
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
	sf2 := fs.String("soundfont", "", "SoundFont (.sf2) to play with"+soundFontFlag)
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
	return inputFault(d.Name, writeAudio(context.Background(), target, stdout, d.Piece, *sf2, render.Options{Dry: *dry}, errs,
		func(ctx context.Context, w io.Writer, opt render.Options) error {
			return render.MIDIWAV(ctx, w, f, opt)
		}))
}

// writeWAV renders the piece to a checked WAV output through the
// SoundFont at sf2 (see findSoundFont), which is found and loaded before
// rendering, so a missing or malformed one is reported at once, as bad
// input (exit 2) naming the file or the Debian package to install.
// Pieces longer than two minutes take seconds to render: they show
// progress on errs. An interrupt ends the process (exitOnSignal), which
// removes the partial output.
func writeWAV(t *output.Target, stdout io.Writer, p *music.Piece, sf2 string, opt render.Options, errs io.Writer) error {
	return writeAudio(context.Background(), t, stdout, p, sf2, opt, errs,
		func(ctx context.Context, w io.Writer, opt render.Options) error { return render.WAV(ctx, w, p, opt) })
}

// writeAudio is writeWAV with the rendering given: p is only measured.
// The render streams to the output (a regular file is written in one
// pass, - in two: see render.WAV); when ctx is cancelled it stops, and
// the output's temporary file is removed.
func writeAudio(ctx context.Context, t *output.Target, stdout io.Writer, p *music.Piece, sf2 string, opt render.Options, errs io.Writer,
	wav func(context.Context, io.Writer, render.Options) error) error {
	sf, path, err := loadSoundFont(sf2)
	if err != nil {
		return err
	}
	opt.SoundFont = sf
	if p.Tempo.Seconds(p.End()) > 120 {
		opt.Progress = func(done, total float64) {
			fmt.Fprintf(errs, "sideman: rendering %s: %.0f of %.0f s\n", t.Path, done, total)
		}
	}
	err = writeTo(t, stdout, func(w io.Writer) error { return wav(ctx, w, opt) })
	return soundFontFault(path, err)
}
