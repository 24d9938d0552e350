package main

import (
	"errors"
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
	proj, report := newProject(errs)
	wav, err := proj.Render(ctx, pos[0])
	if err != nil {
		return hint(err, "play a chart with sideman band --wav")
	}
	return writeWAV(target, stdout, report, wav, project.RenderOptions{SoundFont: *sf2, Dry: *dry})
}

// writeWAV renders to a checked WAV output. The SoundFont is found before
// rendering, so a missing one is reported at once, as bad input (exit 2)
// naming the Debian package to install. Pieces longer than two minutes
// take seconds to render: they show progress on stderr.
func writeWAV(t *output.Target, stdout io.Writer, report *reporter, wav *project.WAV, opt project.RenderOptions) error {
	sf, err := findSoundFont(opt.SoundFont)
	if err != nil {
		return err
	}
	opt.SoundFont = sf
	report.output = t.Path
	return writeTo(t, stdout, func(w io.Writer) error { return wav.Encode(ctx, w, opt) })
}

// findSoundFont finds the SoundFont to render with: the one named, else
// one installed on the system (render.FindSoundFont).
func findSoundFont(name string) (string, error) {
	sf, err := render.FindSoundFont(name)
	var se *render.SoundFontError
	switch {
	case errors.As(err, &se):
		return "", &project.Error{Kind: project.BadInput, Name: "soundfont " + se.Path, Err: se.Err}
	case errors.Is(err, render.ErrNoSoundFont):
		// No file to name: the line says what to give ("sideman: sideman:" named none).
		return "", &project.Error{Kind: project.NotFound, Name: "soundfont", Err: err}
	}
	return sf, err
}
