package main

import (
	"flag"
	"fmt"
	"io"

	"sideman/project"
)

func init() {
	register("vary", command{
		summary: "variations of a motif: displaced, ornamented, stretched, inverted, sequenced, re-pitched to new chords, resampled; scored by a style model and ranked",
		usage:   "sideman vary MOTIF.mid [--chart CHART [--tune TITLE]] -n N [--top K] [--novelty 0..1] [--model NAME|FILE] [--seed N] -o DIR",
		examples: []string{
			"sideman vary lick.mid -n 1000 -o lick-variations",
			"sideman vary lick.mid --chart ../../examples/blues-f.chart -n 100000 --top 20 --novelty 0.7 --seed 3 -o lick-variations",
		},
		run: vary,
	})
}

func vary(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("vary", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	outDir := fs.String("o", "", "folder to create: NN.mid for each variation, best first, and index.json; refused if it holds files")
	chart := fs.String("chart", "", "a chart whose bar 1 is the motif file's bar 1: the key and chords to vary over")
	tune := fs.String("tune", "", "the tune of a collection --chart names (its title or number)")
	n := fs.Int("n", 0, "how many distinct variations to make and score")
	top := fs.Int("top", 10, "how many to write, best first")
	novelty := fs.Float64("novelty", 0.5, "0 ranks the likeliest first, 1 the farthest from the motif")
	modelName := fs.String("model", "jazz", "the style model that scores: a built-in name (sideman model list), a model in the user folder, or a model file")
	seed := fs.Uint64("seed", 1, "seed of the variations; the same seed gives the same files")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outDir == "" || *n == 0 {
		return usageError{"want MOTIF.mid, -n N and -o DIR"}
	}
	if err := project.CheckVaryDir(*outDir); err != nil {
		return err
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	v, err := proj.Vary(ctx, pos[0], project.VaryOptions{Chart: *chart, Tune: *tune, N: *n, Top: *top,
		Novelty: *novelty, Model: *modelName, Seed: *seed})
	if err != nil {
		return err
	}
	if v.Made < v.Wanted {
		fmt.Fprintf(errs, "vary: the motif gave %d distinct variations of the %d asked for; writing the best %d\n", v.Made, v.Wanted, len(v.Ranked))
	}
	return v.WriteDir(ctx, *outDir)
}
