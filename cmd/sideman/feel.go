package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"sideman/feel"
	"sideman/feel/eval"
	"sideman/feel/plot"
	"sideman/internal/corpus"
	"sideman/internal/output"
	"sideman/project"
)

func init() {
	register("feel", command{
		summary: "human feel: list the built-in feels, learn one from performances, evaluate, plot",
		usage: "sideman feel list\n" +
			"       sideman feel learn --from wjazzd|gmd|match|midi PATH... -o NAME.feel [--name NAME] [--split train|test|validation] [--style S]\n" +
			"       sideman feel learn --recipe NAME [--data DIR] -o NAME.feel\n" +
			"       sideman feel eval [--data DIR] [--seed N] [--json]\n" +
			"       sideman feel plot NAME|FILE.feel -o feel.svg",
		examples: []string{
			"sideman feel list",
			"sideman feel learn --from gmd ../shared/data/groove-midi --style funk --split train -o funk.feel",
			"sideman feel learn --recipe swing-rhythm -o swing-rhythm.feel",
			"sideman feel eval --json",
			"sideman feel plot swing-soloist -o swing-soloist.svg",
		},
		subcommands: []string{"learn", "eval", "plot"},
		run:         feelCommand,
	})
}

func feelCommand(args []string, out, errs io.Writer) error {
	if len(args) == 0 {
		return usageError{"want list, learn, eval or plot"}
	}
	switch args[0] {
	case "list":
		for _, p := range feel.Builtins() {
			fmt.Fprintf(out, "%-16s %s\n", p.Name, p.Description)
		}
		return nil
	case "learn":
		return feelLearn(args[1:], out, errs)
	case "eval":
		return feelEval(args[1:], out, errs)
	case "plot":
		return feelPlot(args[1:], out)
	case "-h", "--help", "help":
		return flag.ErrHelp
	}
	return usageError{fmt.Sprintf("unknown feel command %q: want list, learn, eval or plot%s", args[0], didYouMean(args[0], []string{"list", "learn", "eval", "plot"}))}
}

// openFeel finds a feel by built-in name or .feel file; "none" is nil.
func openFeel(name string) (*feel.Profile, error) { return project.Feel(name) }

// dataDir is --data, else $SIDEMAN_DATA, else a shared/data above here.
func dataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	d, err := corpus.Root()
	if err != nil {
		return "", usageError{"no corpora found: give --data DIR (a folder laid out as shared/data) or set SIDEMAN_DATA"}
	}
	return d, nil
}

func feelLearn(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("feel learn", flag.ContinueOnError)
	from := fs.String("from", "", "what the paths hold: wjazzd (the WJazzD folder), gmd (the Groove MIDI folder), match (vienna4x22 tar.gz, match files or folders), midi (MIDI files played to a click)")
	outPath := fs.String("o", "", "the .feel file to write; - is stdout")
	name := fs.String("name", "", "the feel's name (default: the output file's name)")
	split := fs.String("split", "", "gmd: learn from one split (train, validation, test)")
	style := fs.String("style", "", "gmd: learn from one primary style (jazz, rock, funk, ...)")
	recipe := fs.String("recipe", "", "learn a built-in feel by its recipe: "+strings.Join(project.RecipeNames(), ", "))
	data := fs.String("data", "", "with --recipe: the corpora folder (default $SIDEMAN_DATA or ../shared/data)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *outPath == "" {
		return usageError{"want -o NAME.feel"}
	}
	target, err := outputTo(*outPath, []output.Format{output.Feel}, pos...)
	if err != nil {
		return err
	}
	opt := project.LearnOptions{Recipe: *recipe, From: *from, Paths: pos, Name: *name, Split: *split, Style: *style}
	if *recipe != "" {
		// An unknown recipe is refused whether or not there are corpora.
		if slices.Contains(project.RecipeNames(), *recipe) {
			if opt.Data, err = dataDir(*data); err != nil {
				return err
			}
			fmt.Fprintf(errs, "learning %s from %s\n", *recipe, opt.Data)
		}
	} else {
		switch {
		case len(pos) == 0:
			return usageError{"want --from KIND and one PATH or more"}
		case *from == "":
			return usageError{"want --from wjazzd, gmd, match or midi"}
		}
		if opt.Name == "" {
			opt.Name = strings.TrimSuffix(filepath.Base(*outPath), ".feel")
		}
	}
	proj, _ := newProject(errs)
	learned, err := proj.LearnFeel(ctx, opt)
	if err != nil {
		return err
	}
	for i, n := range learned.Read {
		fmt.Fprintf(errs, "%s: %d performances\n", pos[i], n)
	}
	var buf bytes.Buffer
	if err := learned.Profile.Encode(&buf); err != nil {
		return err
	}
	return writeBytes(target, stdout, buf.Bytes())
}

func feelEval(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("feel eval", flag.ContinueOnError)
	data := fs.String("data", "", "the corpora folder (default $SIDEMAN_DATA or ../shared/data)")
	seed := fs.Uint64("seed", 1, "seed of the humanized and jittered versions")
	asJSON := fs.Bool("json", false, "print JSON")
	runs := fs.Int("runs", 5, "draws of the humanized and jittered versions to average, 1 to 100")
	against := fs.String("against", "same", "compare with the same pieces as played (same) or with the other players' (others)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"feel eval takes no paths; use --data DIR"}
	}
	var mode eval.Against
	if err := mode.UnmarshalText([]byte(*against)); err != nil {
		return usageError{"--against must be same or others"}
	}
	if *runs < 1 || *runs > 100 {
		return usageError{"--runs must be 1 to 100"}
	}
	dir, err := dataDir(*data)
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	reports, err := proj.EvalFeel(ctx, project.EvalOptions{Data: dir, Seed: *seed, Runs: *runs, Against: mode})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(reports)
	}
	for _, r := range reports {
		fmt.Fprintf(out, "%s: %d performances, %d players, %d draws averaged, against the %s\n", r.Corpus, r.Performances, len(r.Groups), r.Runs, map[eval.Against]string{eval.SamePieces: "same pieces as played", eval.OtherPlayers: "other players' performances"}[r.Against])
		fmt.Fprintf(out, "  %-22s %-24s %9s %9s %9s\n", "metric", "human vs human (min-max)", "humanized", "quantized", "jitter")
		for _, m := range eval.MetricNames {
			s, ok := r.Human[m]
			h := "-"
			if ok {
				h = fmt.Sprintf("%.3f (%.3f-%.3f)", s.Mean, s.Min, s.Max)
			}
			fmt.Fprintf(out, "  %-22s %-24s %9s %9s %9s\n", m, h, num(r.Humanized.Metric(m)), num(r.Quantized.Metric(m)), num(r.Jitter.Metric(m)))
		}
	}
	return nil
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

func feelPlot(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("feel plot", flag.ContinueOnError)
	outPath := fs.String("o", "", "the SVG file to write (.svg); - is stdout")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outPath == "" {
		return usageError{"want one NAME or FILE.feel and -o feel.svg"}
	}
	target, err := outputTo(*outPath, []output.Format{output.SVG}, pos[0])
	if err != nil {
		return err
	}
	p, err := openFeel(pos[0])
	if err != nil {
		return err
	}
	if p == nil {
		return usageError{"none is the grid: nothing to plot"}
	}
	var buf bytes.Buffer
	if err := plot.SVG(&buf, p); err != nil {
		return err
	}
	return writeBytes(target, stdout, buf.Bytes())
}
