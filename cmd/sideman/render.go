package main

import (
	"context"
	"flag"
	"io"

	"sideman/internal/output"
	"sideman/project"
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
	var pf projectFlags
	pf.register(fs)
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
	proj, report := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	wav, err := proj.Render(ctx, pos[0])
	if err != nil {
		return hint(err, "play a chart with sideman band --wav")
	}
	return writeWAV(target, stdout, report, wav, *sf2, *dry)
}

// writeWAV renders to a checked WAV output through the SoundFont at sf2
// (see findSoundFont), which is found and loaded before rendering, so a
// missing or malformed one is reported at once, as bad input (exit 2)
// naming the file or the Debian package to install. Pieces longer than
// two minutes take seconds to render: they show progress on stderr. The
// render streams to the output (a regular file in one pass, - in two: see
// render.WAV); an interrupt cancels ctx (runWithSignals), which stops
// the render and removes the partial output.
func writeWAV(t *output.Target, stdout io.Writer, report *reporter, wav *project.WAV, sf2 string, dry bool) error {
	return writeAudio(ctx, t, stdout, report, sf2, func(ctx context.Context, w io.Writer, sf *render.SoundFont) error {
		return wav.Encode(ctx, w, project.RenderOptions{SoundFont: sf, Dry: dry})
	})
}

// writeAudio is writeWAV with the rendering given: it loads the SoundFont,
// then encode writes to the output's temporary file, which is removed
// when ctx is cancelled or encode fails.
func writeAudio(ctx context.Context, t *output.Target, stdout io.Writer, report *reporter, sf2 string,
	encode func(context.Context, io.Writer, *render.SoundFont) error) error {
	sf, path, err := loadSoundFont(sf2)
	if err != nil {
		return err
	}
	if report != nil {
		report.output = t.Path
	}
	err = writeTo(t, stdout, func(w io.Writer) error { return encode(ctx, w, sf) })
	return soundFontFault(path, err)
}
