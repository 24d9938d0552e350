package project

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"sideman/load"
	"sideman/model"
)

// ModelOptions say what a style model learns from and how it predicts.
type ModelOptions struct {
	// Paths are what the melodies are read from: anything Open reads (a
	// file, a link), and folders and .tar.gz collections, which are
	// streamed one member at a time (load.Collection), never held whole.
	Paths []string
	// Viewpoints is a comma-separated list (model.ParseViewpoints); ""
	// is model.DefaultViewpoints.
	Viewpoints string
	// Voice is the part each piece's melody is read from (model.Voice):
	// "" or "top", "bottom", a part's index or its name.
	Voice model.Voice
}

// ModelEvalOptions say how to cross-validate a model on a corpus
// (model.Evaluation).
type ModelEvalOptions struct {
	ModelOptions
	// Folds is k of k-fold cross-validation: 10 when 0, else at least 2.
	Folds int
	// Ungrouped deals pieces into folds one by one, as IDyOM does; by
	// default the pieces of one title share a fold.
	Ungrouped bool
	// Seed shuffles the pieces before they are dealt into folds.
	Seed uint64
}

// TaskPieces is the progress task of reading a corpus for a model
// (LearnModel, EvalModel): done counts the pieces read so far; total is
// 0 while the reading goes on, as a streamed collection is not counted
// beforehand, and equal to done in the last call.
const TaskPieces = "pieces"

// learnBatch is how many notes LearnModel hands the model at once: the
// next batch is read while the model learns one, and a batch is large
// enough that the viewpoints, learned in parallel, keep the cores busy.
// A variable so that a test can learn in many batches.
var learnBatch = 50000

// LearnModel learns a style model from the melodies of the inputs, all
// cores learning (model.Model.LearnAll) while the next pieces are read.
// Progress is TaskPieces; the tunes and files of a collection that cannot
// be read, and the pieces without the voice asked for, are skipped and
// reported (Warn). Inputs that give no melody at all are BadInput; an
// unknown viewpoint is an OptionError.
func (p *Project) LearnModel(ctx context.Context, opt ModelOptions) (*model.Model, error) {
	cfg, err := modelConfig(opt.Viewpoints)
	if err != nil {
		return nil, err
	}
	m, err := model.New(cfg)
	if err != nil {
		return nil, &OptionError{"viewpoints", strconv.Quote(opt.Viewpoints), unprefixed{err}}
	}
	batches := make(chan []model.Melody, 1)
	learned := make(chan struct{})
	go func() {
		defer close(learned)
		for b := range batches {
			m.LearnAll(b)
		}
	}()
	var batch []model.Melody
	notes := 0
	err = p.melodies(ctx, opt, func(mel model.Melody) {
		batch = append(batch, mel)
		if notes += len(mel.Events); notes >= learnBatch {
			batches <- batch
			batch, notes = nil, 0
		}
	})
	if err == nil && len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	<-learned
	if err != nil {
		return nil, err
	}
	return m, nil
}

// EvalModel cross-validates a model of the options' configuration on the
// melodies of the inputs by Pearce's protocol (model.Evaluation): bits
// per note of the long-term, short-term and combined models. Reading is
// as LearnModel's; fewer pieces (or titles) than folds is BadInput.
func (p *Project) EvalModel(ctx context.Context, opt ModelEvalOptions) (model.Result, error) {
	var res model.Result
	cfg, err := modelConfig(opt.Viewpoints)
	if err != nil {
		return res, err
	}
	if opt.Folds < 0 || opt.Folds == 1 {
		return res, &OptionError{"folds", strconv.Itoa(opt.Folds), errors.New("want 2 or more")}
	}
	var mels []model.Melody
	if err := p.melodies(ctx, opt.ModelOptions, func(m model.Melody) { mels = append(mels, m) }); err != nil {
		return res, err
	}
	ev := model.Evaluation{Config: cfg, Folds: opt.Folds, Ungrouped: opt.Ungrouped, Seed: opt.Seed}
	res, err = ev.Run(ctx, mels)
	if errors.Is(err, model.ErrTooFew) {
		k, what := cmp.Or(opt.Folds, 10), "titles"
		if opt.Ungrouped {
			what = "pieces"
		}
		return res, &Error{BadInput, strings.Join(opt.Paths, " "), fmt.Errorf("fewer %s than folds: %d pieces, %d titles, %d folds", what, len(mels), titles(mels), k)}
	}
	return res, err
}

// titles counts the distinct titles of melodies.
func titles(mels []model.Melody) int {
	seen := map[string]bool{}
	for _, m := range mels {
		seen[m.Title] = true
	}
	return len(seen)
}

// modelConfig is the default configuration with the viewpoints listed.
func modelConfig(list string) (model.Config, error) {
	cfg := model.DefaultConfig()
	if strings.TrimSpace(list) == "" {
		return cfg, nil
	}
	vps, err := model.ParseViewpoints(list)
	if err != nil {
		return cfg, &OptionError{"viewpoints", strconv.Quote(list), unprefixed{err}}
	}
	cfg.Viewpoints = vps
	return cfg, nil
}

// unprefixed is an error of package model without its "model: " prefix,
// for a message that names the option already.
type unprefixed struct{ err error }

func (e unprefixed) Error() string { return strings.TrimPrefix(e.err.Error(), "model: ") }
func (e unprefixed) Unwrap() error { return e.err }

// melodies reads the melody of opt.Voice from every piece of the inputs,
// in order (a folder's members in name order, an archive's in its order),
// and hands each to add. A collection is streamed, one member at a time.
// A piece without a title is titled by its file, so that untitled pieces
// are not grouped into one fold as if they were one tune.
func (p *Project) melodies(ctx context.Context, opt ModelOptions, add func(model.Melody)) error {
	name := strings.Join(opt.Paths, " ")
	if len(opt.Paths) == 0 {
		return &OptionError{"corpus", "", errors.New("want one file, folder or .tar.gz collection or more")}
	}
	var (
		pieces, empty int
		skipped       []error
		more          int
	)
	skip := func(err error) {
		if len(skipped) < 10 {
			skipped = append(skipped, err)
		} else {
			more++
		}
	}
	read := func(d *load.Document) {
		if d.Format == "" { // a member that could not be read
			for _, w := range d.Warnings {
				skip(w)
			}
			return
		}
		for _, w := range d.Warnings {
			skip(w)
		}
		var mels []model.Melody
		var errs []error
		if d.Piece != nil {
			m, err := model.FromPiece(d.Piece, opt.Voice)
			mels, errs = append(mels, m), append(errs, err)
		} else {
			for _, c := range d.Charts {
				m, err := model.FromChart(c, opt.Voice)
				mels, errs = append(mels, m), append(errs, err)
			}
		}
		for i, m := range mels {
			switch {
			case errs[i] != nil:
				skip(&load.InputError{Name: d.Name, Err: unprefixed{errs[i]}})
				continue
			case len(m.Events) == 0:
				empty++ // a chord chart: no melody
				continue
			case m.Title == "" && len(mels) == 1:
				m.Title = d.Name
			case m.Title == "":
				m.Title = d.Name + "#" + strconv.Itoa(i+1)
			}
			pieces++
			add(m)
			if p.Report != nil {
				p.Report.Progress(TaskPieces, float64(pieces), 0)
			}
		}
	}
	opts := load.Options{IDs: p.IDs}
	for _, path := range opt.Paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !load.IsCollection(path) {
			d, err := opts.Open(path)
			if err != nil {
				return corpusError(path, err)
			}
			read(d)
			continue
		}
		members := 0
		var first error
		for d, err := range opts.Collection(path) {
			if err != nil {
				return corpusError(path, err)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.Format != "" {
				members++
			} else if first == nil && len(d.Warnings) > 0 {
				first = d.Warnings[0]
			}
			read(d)
		}
		if members == 0 {
			return corpusError(path, load.EmptyCollection(path, first))
		}
	}
	if pieces == 0 {
		why := "no melody to learn from"
		switch {
		case len(skipped) > 0:
			why += "; first skipped: " + firstLine(skipped[0])
		case empty > 0:
			why += fmt.Sprintf(": chords but no notes (%d tunes)", empty)
		}
		return &Error{BadInput, name, errors.New(why)}
	}
	if n := len(skipped) + more; n > 0 {
		p.warn(Warning{Name: name, Err: fmt.Errorf("%d pieces, tunes or files could not be read", n), Skipped: skipped, More: more})
	}
	if p.Report != nil {
		p.Report.Progress(TaskPieces, float64(pieces), float64(pieces))
	}
	return nil
}

// ModelExt is the extension of a model file.
const ModelExt = ".model"

// ModelInfo says what a model is: its name (the file's, less .model),
// where it is, and what it learned.
type ModelInfo struct {
	Name       string   `json:"name"`
	Path       string   `json:"path"`
	Pieces     int      `json:"pieces"`
	Notes      int      `json:"notes"`
	Viewpoints []string `json:"viewpoints"`
}

// OpenModel reads a model file. A file that is not a model, or is
// damaged, or of a newer version, is BadInput naming it; a missing one
// NotFound.
func (p *Project) OpenModel(ctx context.Context, path string) (*model.Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := load.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		return nil, corpusError(path, unprefixed{err})
	}
	return m, nil
}

// Models lists the models available: the built-in ones (none yet), then
// those at paths, each a model file or a folder whose .model files are
// listed in name order. Each is read whole to say what it learned (a
// model file has no index), so listing a large one takes seconds. Its
// errors are OpenModel's; a folder with no model file is BadInput.
func (p *Project) Models(ctx context.Context, paths []string) ([]ModelInfo, error) {
	var out []ModelInfo
	for _, path := range paths {
		files := []string{path}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			ents, err := os.ReadDir(path)
			if err != nil {
				return nil, corpusError(path, err)
			}
			files = files[:0]
			for _, e := range ents {
				if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ModelExt) {
					files = append(files, filepath.Join(path, e.Name()))
				}
			}
			if len(files) == 0 {
				return nil, bad(path, "holds no %s file", ModelExt)
			}
			slices.Sort(files)
		}
		for _, f := range files {
			m, err := p.OpenModel(ctx, f)
			if err != nil {
				return nil, err
			}
			info := ModelInfo{Name: strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), Path: f, Pieces: m.Pieces, Notes: m.Notes}
			for _, v := range m.Config().Viewpoints {
				info.Viewpoints = append(info.Viewpoints, v.Name)
			}
			out = append(out, info)
		}
	}
	return out, nil
}
