package main

import (
	"flag"
	"fmt"
	"io"

	"sideman/internal/output"
	"sideman/project"
)

func init() {
	register("solo", command{
		summary: "improvise a solo over a chart's changes from a style model: phrases and breaths, chord tones on strong beats, motifs that return; played with the style's feel; CHART may be a MIDI file: the chords heard in its notes",
		usage:   "sideman solo CHART [--tune TITLE] [--model NAME|FILE] [--choruses N] [--adventure 0..1] [--density 0..1] [--range LOW-HIGH] [--seed N] [--style NAME] -o OUT.mid [--with-band]",
		examples: []string{
			"sideman solo blues-f.chart --choruses 3 -o blues-solo.mid --with-band",
			"sideman solo my-tune.mid --choruses 2 -o my-solo.mid   # CHART may be a MIDI file: the chords heard in its notes",
			"sideman solo standards.json --tune \"Autumn Leaves\" --adventure 0.7 --range 58-86 --seed 4 -o leaves-solo.mid",
		},
		run: solo,
	})
}

func solo(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("solo", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	outPath := fs.String("o", "", "MIDI file to write (.mid); - is stdout")
	tune := fs.String("tune", "", "the tune of a file holding several, by title or index")
	modelName := fs.String("model", "", "the style model to play from: a built-in name (sideman model list), a model in the user folder, or a model file (default jazz, built in)")
	style := fs.String("style", "", "the band's style (sideman styles); default the chart's")
	choruses := fs.Int("choruses", 1, "choruses of the form to solo over, 1 to 64")
	adventure := fs.Float64("adventure", 0.5, "how far from the model's likeliest pitch, 0 to 1")
	density := fs.Float64("density", 0.5, "how busy the lines, 0 (long notes, long breaths) to 1")
	rng := fs.String("range", "", "lowest and highest pitch, LOW-HIGH as MIDI keys or names (default 49-83)")
	seed := fs.Int64("seed", 1, "the same seed plays the same solo")
	withBand := fs.Bool("with-band", false, "write the band's parts with the solo")
	jsonOut := fs.Bool("json", false, "print the solo's figures as JSON on stdout")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outPath == "" {
		return usageError{"want CHART and -o OUT.mid"}
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI}, pos[0], *modelName)
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	s, err := proj.Solo(ctx, pos[0], project.SoloOptions{Tune: *tune, Model: *modelName, Style: *style, Choruses: *choruses,
		Adventure: *adventure, Density: *density, Range: *rng, Seed: *seed, WithBand: *withBand})
	if err != nil {
		return err
	}
	if err := writeTo(target, stdout, s.EncodeMIDI); err != nil {
		return err
	}
	f, h := s.Figures, s.Human
	if *jsonOut {
		return writeJSON(stdout, map[string]any{"phrases": s.Phrases, "developed": s.Developed, "figures": f, "wjazzd": h})
	}
	fmt.Fprintf(errs, "solo: %d phrases (%.0f%% develop an earlier one), %.1f notes a bar (WJazzD %.1f), %.0f%% chord tones on beats 1 and 3 (WJazzD %.0f%%), %.0f%% of the time between phrases (WJazzD %.0f%%), range %.0f semitones\n",
		s.Phrases, 100*s.Developed, f.NotesPerBar, h.NotesPerBar, 100*f.StrongChordTones, 100*h.StrongChordTones, 100*f.RestShare, 100*h.RestShare, f.Range)
	return nil
}
