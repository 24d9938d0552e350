package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"sideman/feel"
	"sideman/feel/eval"
	"sideman/feel/learn"
	"sideman/feel/plot"
	"sideman/format/match"
	"sideman/format/midi"
	"sideman/internal/corpus"
	"sideman/internal/output"
	"sideman/load"
	"sideman/music"
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
	recipe := fs.String("recipe", "", "learn a built-in feel by its recipe: "+strings.Join(recipeNames(), ", "))
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
	var prof *feel.Profile
	if *recipe != "" {
		r, ok := learn.RecipeNamed(*recipe)
		if !ok {
			return usageError{fmt.Sprintf("no recipe %q (have %s)", *recipe, strings.Join(recipeNames(), ", "))}
		}
		dir, err := dataDir(*data)
		if err != nil {
			return err
		}
		fmt.Fprintf(errs, "learning %s from %s\n", r.Name, dir)
		if prof, err = r.Learn(learn.Corpora{Dir: dir}); err != nil {
			return &load.InputError{Name: dir, Err: err}
		}
	} else {
		if len(pos) == 0 {
			return usageError{"want --from KIND and one PATH or more"}
		}
		var perfs []feel.Performance
		for _, path := range pos {
			ps, err := readPerformances(*from, path, *split, *style)
			if err != nil {
				return err
			}
			fmt.Fprintf(errs, "%s: %d performances\n", path, len(ps))
			perfs = append(perfs, ps...)
		}
		n := *name
		if n == "" {
			n = strings.TrimSuffix(filepath.Base(*outPath), ".feel")
		}
		prof = feel.Learn(n, perfs)
		if len(prof.Roles) == 0 {
			return &load.InputError{Name: strings.Join(pos, " "), Err: errors.New("no role has enough notes to learn from")}
		}
		prof.Description = fmt.Sprintf("learned from %d performances (%s)", len(perfs), *from)
	}
	var buf bytes.Buffer
	if err := prof.Encode(&buf); err != nil {
		return err
	}
	return writeBytes(target, stdout, buf.Bytes())
}

func recipeNames() []string {
	var out []string
	for _, r := range learn.Recipes {
		out = append(out, r.Name)
	}
	return out
}

func readPerformances(from, path, split, style string) ([]feel.Performance, error) {
	wrap := func(err error) error {
		if err == nil {
			return nil
		}
		return &load.InputError{Name: path, Err: err}
	}
	switch from {
	case "wjazzd":
		ps, err := learn.WJazzD(path)
		return ps, wrap(err)
	case "gmd":
		opt := learn.GrooveOptions{Split: split}
		if style != "" {
			opt.Styles = []string{style}
		}
		ps, err := learn.GrooveMIDI(path, opt)
		return ps, wrap(err)
	case "match":
		if strings.HasSuffix(path, ".match") {
			f, err := load.OpenFile(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			m, err := match.Decode(f)
			if err != nil {
				return nil, wrap(err)
			}
			p, err := learn.MatchPerformance(m, filepath.Base(path))
			return []feel.Performance{p}, wrap(err)
		}
		ps, err := learn.Vienna(path)
		return ps, wrap(err)
	case "midi":
		f, err := load.OpenFile(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		piece, err := (&midi.Decoder{Source: path}).DecodePiece(f)
		if err == nil {
			err = music.CheckLength(piece)
		}
		if err != nil {
			return nil, wrap(err)
		}
		return []feel.Performance{feel.FromPiece(piece, filepath.Base(path))}, nil
	case "":
		return nil, usageError{"want --from wjazzd, gmd, match or midi"}
	}
	return nil, usageError{fmt.Sprintf("--from %q: want wjazzd, gmd, match or midi", from)}
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
	c := learn.Corpora{Dir: dir}
	var reports []eval.Report
	for _, f := range []func(learn.Corpora, eval.Options) (eval.Report, error){learn.EvalGroove, learn.EvalWJazzD} {
		r, err := f(c, eval.Options{Seed: *seed, Runs: *runs, Against: mode})
		if err != nil {
			return &load.InputError{Name: dir, Err: err}
		}
		reports = append(reports, r)
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
