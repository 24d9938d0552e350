package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sideman/internal/output"
	"sideman/model"
	"sideman/project"
)

func init() {
	register("model", command{
		summary: "style models of melody: learn one from a corpus, cross-validate in bits per note, list the models there are",
		usage: "sideman model learn CORPUS... -o NAME.model [--viewpoints LIST] [--voice top|bottom|N|NAME] [--order N] [--prune N]\n" +
			"       sideman model learn --recipe NAME [--data DIR] -o NAME.model\n" +
			"       sideman model eval CORPUS... [--folds 10] [--viewpoints LIST] [--voice top|bottom|N|NAME] [--order N] [--prune N] [--recipe NAME] [--folds-ungrouped] [--seed N] [--json]\n" +
			"       sideman model list [FILE.model|FOLDER...] [--json]",
		examples: []string{
			"sideman model learn ../shared/data/bach-chorales/bach-370-chorales-kern.tar.gz -o chorales.model",
			"sideman model eval ../shared/data/bach-chorales/bach-370-chorales-kern.tar.gz --viewpoints cpitch --json",
			"sideman model list",
			"sideman model list chorales.model",
		},
		subcommands: []string{"learn", "eval", "list"},
		run:         modelCommand,
	})
}

func modelCommand(args []string, out, errs io.Writer) error {
	if len(args) == 0 {
		return usageError{"want learn, eval or list"}
	}
	switch args[0] {
	case "learn":
		return modelLearn(args[1:], out, errs)
	case "eval":
		return modelEval(args[1:], out, errs)
	case "list":
		return modelList(args[1:], out, errs)
	case "-h", "--help", "help":
		return flag.ErrHelp
	}
	return usageError{fmt.Sprintf("unknown model command %q: want learn, eval or list%s", args[0], didYouMean(args[0], []string{"learn", "eval", "list"}))}
}

// modelOptions are the options the flags say: a recipe's, or those
// given with the corpora pos.
func modelOptions(pos []string, viewpoints, voice string, order, prune int, recipe, data string) (project.ModelOptions, error) {
	if recipe == "" {
		if len(pos) == 0 {
			return project.ModelOptions{}, usageError{"want one CORPUS or more (files, folders, .tar.gz collections), or --recipe NAME"}
		}
		return project.ModelOptions{Paths: pos, Viewpoints: viewpoints, Voice: model.Voice(voice), Order: order, Prune: prune}, nil
	}
	if len(pos) > 0 {
		return project.ModelOptions{}, usageError{"--recipe names its corpus: give no CORPUS with it"}
	}
	if _, err := project.RecipeModelOptions(recipe, ""); err != nil {
		return project.ModelOptions{}, err // an unknown recipe, whether or not there are corpora
	}
	dir, err := dataDir(data)
	if err != nil {
		return project.ModelOptions{}, err
	}
	return project.RecipeModelOptions(recipe, dir)
}

// modelFlags are the flags learn and eval share: what melody is read
// and what the model predicts it from.
func modelFlags(fs *flag.FlagSet) (viewpoints, voice *string, order, prune *int, recipe, data *string) {
	viewpoints = fs.String("viewpoints", model.DefaultViewpoints, "the viewpoints, comma-separated, linked with * (basic ones: "+strings.Join(model.Basics(), ", ")+")")
	voice = fs.String("voice", "top", "the part read as melody: top (the melody part, a chorale's soprano, else the highest), bottom, a part's index from 0 or its name")
	order = fs.Int("order", 0, "the highest context order, 1 to 15; 0 is unbounded (PPM*); a bounded order makes a smaller model")
	prune = fs.Int("prune", 0, "drop the contexts above order 2 seen fewer than N times (a smaller model); 0 keeps all")
	recipe = fs.String("recipe", "", "the corpus and configuration of a known model, in place of CORPUS and the flags above: "+strings.Join(project.ModelRecipes(), ", "))
	data = fs.String("data", "", "with --recipe: the corpora folder (default $SIDEMAN_DATA or ../shared/data)")
	return
}

func modelLearn(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("model learn", flag.ContinueOnError)
	outPath := fs.String("o", "", "the model file to write (.model); - is stdout")
	viewpoints, voice, order, prune, recipe, data := modelFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *outPath == "" {
		return usageError{"want one CORPUS or more (files, folders, .tar.gz collections) or --recipe NAME, and -o NAME.model"}
	}
	opt, err := modelOptions(pos, *viewpoints, *voice, *order, *prune, *recipe, *data)
	if err != nil {
		return err
	}
	target, err := outputTo(*outPath, []output.Format{output.Model}, opt.Paths...)
	if err != nil {
		return err
	}
	proj, r := newProject(errs)
	pr := &piecesReporter{reporter: r, verb: "model learn", tty: isTerminal(errs)}
	proj.Report = pr
	m, err := proj.LearnModel(ctx, opt)
	if err != nil {
		return err
	}
	// The encoder fails only where the writer does: streamed, not held.
	if err := writeTo(target, stdout, func(w io.Writer) error { return model.Encode(w, m) }); err != nil {
		return err
	}
	fmt.Fprintf(errs, "sideman: model learn: %d pieces, %d notes learned\n", m.Pieces, m.Notes)
	return nil
}

// evalJSON is what model eval --json prints: model.Result's fields and
// the options that give them.
type evalJSON struct {
	model.Result
	// GroupedBy is what kept pieces in one fold: "title", "performer"
	// (WJazzD) or "" (--folds-ungrouped).
	GroupedBy  string   `json:"grouped_by"`
	Seed       uint64   `json:"seed"`
	Voice      string   `json:"voice"`
	Viewpoints []string `json:"viewpoints"`
}

func modelEval(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("model eval", flag.ContinueOnError)
	folds := fs.Int("folds", 10, "k of k-fold cross-validation, 2 or more")
	viewpoints, voice, order, prune, recipe, data := modelFlags(fs)
	ungrouped := fs.Bool("folds-ungrouped", false, "deal pieces into folds one by one, as IDyOM does (by default the pieces of one title share a fold, so a tune is never both learned and predicted)")
	seed := fs.Uint64("seed", 0, "seed of the shuffle that deals pieces into folds")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	mopt, err := modelOptions(pos, *viewpoints, *voice, *order, *prune, *recipe, *data)
	if err != nil {
		return err
	}
	if *folds < 2 {
		return usageError{"--folds must be 2 or more"}
	}
	proj, r := newProject(errs)
	proj.Report = &piecesReporter{reporter: r, verb: "model eval", tty: isTerminal(errs)}
	opt := project.ModelEvalOptions{
		ModelOptions: mopt,
		Folds:        *folds, Ungrouped: *ungrouped, Seed: *seed,
	}
	res, err := proj.EvalModel(ctx, opt)
	if err != nil {
		return err
	}
	if *asJSON {
		// Parsed by EvalModel already; "" is the default.
		vps, _ := model.ParseViewpoints(cmp.Or(strings.TrimSpace(mopt.Viewpoints), model.DefaultViewpoints))
		names := make([]string, len(vps))
		for i, v := range vps {
			names[i] = v.Name
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(evalJSON{Result: res.Result, GroupedBy: res.GroupedBy, Seed: *seed, Voice: *voice, Viewpoints: names})
	}
	grouping := "grouped by " + res.GroupedBy
	if res.GroupedBy == "" {
		grouping = "ungrouped"
	}
	fmt.Fprintf(out, "%d pieces, %d notes, %d folds %s: bits per note ltm %.3f stm %.3f both %.3f\n",
		res.Pieces, res.Notes, res.Folds, grouping, res.Bits.LTM, res.Bits.STM, res.Bits.Both)
	return nil
}

func modelList(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("model list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	infos, err := proj.Models(ctx, pos)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(infos)
	}
	for _, m := range infos {
		where := m.Path
		if m.Builtin {
			where = "built-in"
		}
		order := "unbounded"
		if m.Order > 0 {
			order = fmt.Sprint(m.Order)
		}
		fmt.Fprintf(out, "%s\t%s\t%d pieces, %d notes, order %s, viewpoints %s\tsha256 %s\n", m.Name, where, m.Pieces, m.Notes, order, strings.Join(m.Viewpoints, ","), m.Hash[:16])
	}
	return nil
}

// userModelDir is the user's folder of models: $XDG_DATA_HOME/sideman/models,
// or ~/.local/share/sideman/models (the XDG default); "" when neither is
// known. `make models` writes the models it may not ship there.
func userModelDir() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "sideman", "models")
}

// piecesReporter prints how reading a corpus goes: on a terminal one
// line rewritten every few pieces, elsewhere a line every 500 pieces.
type piecesReporter struct {
	*reporter
	verb string
	tty  bool
	last int // the pieces last printed
}

func (r *piecesReporter) Progress(task string, done, total float64) {
	if task != project.TaskPieces {
		r.reporter.Progress(task, done, total)
		return
	}
	n := int(done)
	switch {
	case r.tty && total > 0:
		fmt.Fprintf(r.errs, "\rsideman: %s: %d pieces read\n", r.verb, n)
	case r.tty && n-r.last >= 10:
		r.last = n
		fmt.Fprintf(r.errs, "\rsideman: %s: %d pieces read", r.verb, n)
	case !r.tty && total == 0 && n-r.last >= 500:
		r.last = n
		fmt.Fprintf(r.errs, "sideman: %s: %d pieces read\n", r.verb, n)
	}
}

// isTerminal reports whether w is a terminal, where a progress line can
// be rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
