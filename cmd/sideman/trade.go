package main

import (
	"flag"
	"fmt"
	"io"

	"sideman/internal/output"
	"sideman/project"
)

func init() {
	register("trade", command{
		summary: "trade fours (or eights) with a player's MIDI file over a chart: the player's phrases in bars 1-4, 9-12, ..., the sideman's answers between, developing them (the soloist's, or the drummer's on the kit with --with drums); CHART may be a MIDI file: the chords heard in its notes",
		usage:   "sideman trade CHART [--tune TITLE] --human PHRASES.mid [--with soloist|drums] [--model NAME|FILE] [--bars 4|8] [--seed N] -o OUT.mid [--with-band] [--json]",
		examples: []string{
			"sideman trade examples/blues-f.chart --human my-fours.mid -o trade.mid",
			"sideman trade examples/blues-f.chart --human my-eights.mid --bars 8 --model my.model --with-band -o trade.mid --json",
			"sideman trade examples/blues-f.chart --human my-fours.mid --with drums -o drums.mid   # fours with the drummer: breaks on channel 10 made of your rhythm",
			"sideman trade my-tune.mid --human my-fours.mid --with-band -o trade.mid   # over the chords heard in a MIDI file",
		},
		run: tradeCommand,
	})
}

func tradeCommand(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("trade", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	outPath := fs.String("o", "", "MIDI file to write (.mid): the player's track, the sideman's, and the band's with --with-band; - is stdout")
	tune := fs.String("tune", "", "the tune of a file holding several, by title or index")
	human := fs.String("human", "", "the player's MIDI file: its bar 1 is the chart's bar 1 (no count-in)")
	bars := fs.Int("bars", 4, "bars a turn: 4 (trading fours) or 8")
	modelName := fs.String("model", "", "the style model: a built-in name (sideman model list), a model in your model folder or a model file; the built-in jazz model by default")
	seed := fs.Uint64("seed", 1, "seed of the answers; the same seed gives the same file")
	with := fs.String("with", "soloist", "who trades with you: soloist (answers from the model, developing your phrase) or drums (the drummer's break on the GM kit, channel 10, in a Drums track, made of your rhythm; with --with-band the band lays out under it)")
	withBand := fs.Bool("with-band", false, "add the band playing the chart under the trade")
	asJSON := fs.Bool("json", false, "print, for every answer, its bars, the player's notes it heard and which it develops by which operation, as one JSON object on stdout")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *human == "" || *outPath == "" {
		return usageError{"want CHART, --human PHRASES.mid and -o OUT.mid"}
	}
	if *asJSON && *outPath == "-" {
		return usageError{"--json writes to stdout: write the MIDI to a file (-o OUT.mid), not -"}
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI}, pos[0], *human, *modelName)
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	t, err := proj.Trade(ctx, pos[0], project.TradeOptions{Tune: *tune, Human: *human, Bars: *bars, Model: *modelName, Seed: *seed, WithBand: *withBand, With: *with})
	if err != nil {
		return err
	}
	const most = 8 // a few lines; --json lists them all
	for i, l := range t.Late {
		if i == most {
			fmt.Fprintf(errs, "trade: %d more of the player's notes start in the sideman's bars (--json lists them)\n", len(t.Late)-most)
			break
		}
		fmt.Fprintf(errs, "trade: the player's note %d starts in the sideman's bar %d, beat %.3g: %s\n", l.ID, l.Bar, l.Beat, l.Treated)
	}
	if err := writeTo(target, stdout, t.EncodeMIDI); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, t)
	}
	return nil
}
