package project

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"sideman/load"
	"sideman/model"
	"sideman/model/builtin"
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
	// Order bounds the contexts (model.Config.Order); 0 is unbounded
	// (PPM*, the default). A bounded order bounds the short-term model
	// too and makes the model file smaller (docs/model.md).
	Order int
	// Prune, above 1, drops the strings of more than model.PruneOrder+1
	// symbols seen fewer than Prune times from the learned model
	// (model.Model.Prune; in EvalModel, each fold's long-term model).
	Prune int
}

// ModelEvalOptions say how to cross-validate a model on a corpus
// (model.Evaluation).
type ModelEvalOptions struct {
	ModelOptions
	// Folds is k of k-fold cross-validation: 10 when 0, else at least 2.
	Folds int
	// Ungrouped deals pieces into folds one by one, as IDyOM does; by
	// default the pieces of one title share a fold, and the solos of a
	// WJazzD collection those of one performer (load.Performer), as
	// docs/model.md groups the jazz corpus.
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
	cfg, err := opt.config()
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
	if opt.Prune > 1 {
		m = m.Prune(opt.Prune)
	}
	return m, nil
}

// ModelEval is what EvalModel measured, and how its folds were made.
type ModelEval struct {
	model.Result
	// GroupedBy says what kept pieces together in one fold: "title" (the
	// default), "performer" (a WJazzD collection's solos, by the player)
	// or "" (Ungrouped: pieces dealt one by one).
	GroupedBy string
}

// EvalModel cross-validates a model of the options' configuration on the
// melodies of the inputs by Pearce's protocol (model.Evaluation): bits
// per note of the long-term, short-term and combined models. Reading is
// as LearnModel's; fewer pieces (or titles) than folds is BadInput.
func (p *Project) EvalModel(ctx context.Context, opt ModelEvalOptions) (ModelEval, error) {
	var res ModelEval
	cfg, err := opt.config()
	if err != nil {
		return res, err
	}
	if opt.Folds < 0 || opt.Folds == 1 {
		return res, &OptionError{"folds", strconv.Itoa(opt.Folds), errors.New("want 2 or more")}
	}
	var mels []model.Melody
	var performers int
	if err := p.melodies(ctx, opt.ModelOptions, func(m model.Melody) {
		mels = append(mels, m)
		if strings.HasPrefix(m.Title, performerTitle) {
			performers++
		}
	}); err != nil {
		return res, err
	}
	titled, performed := performers < len(mels), performers > 0
	switch {
	case opt.Ungrouped:
	case performed && titled:
		res.GroupedBy = "title or performer"
	case performed:
		res.GroupedBy = "performer"
	default:
		res.GroupedBy = "title"
	}
	ev := model.Evaluation{Config: cfg, Folds: opt.Folds, Ungrouped: opt.Ungrouped, Seed: opt.Seed, Prune: opt.Prune}
	res.Result, err = ev.Run(ctx, mels)
	if errors.Is(err, model.ErrTooFew) {
		k, what := cmp.Or(opt.Folds, 10), "titles"
		if opt.Ungrouped {
			what = "pieces"
		}
		return res, &Error{BadInput, strings.Join(opt.Paths, " "), fmt.Errorf("fewer %s than folds: %d pieces, %d titles, %d folds", what, len(mels), titles(mels), k)}
	}
	return res, err
}

// performerTitle begins the title that groups a jazz solo with its
// performer's other solos in cross-validation.
const performerTitle = "performer: "

// titles counts the distinct titles of melodies.
func titles(mels []model.Melody) int {
	seen := map[string]bool{}
	for _, m := range mels {
		seen[m.Title] = true
	}
	return len(seen)
}

// ModelRecipes are the names of the models `sideman model learn
// --recipe` learns (model/builtin.Recipes): the built-in jazz model and
// the models `make models` learns into the user's folder.
func ModelRecipes() []string {
	var names []string
	for _, r := range builtin.Recipes {
		names = append(names, r.Name)
	}
	return names
}

// RecipeModelOptions are the options that learn the model of a recipe
// (model/builtin.Recipes) from the corpora folder data, laid out as
// shared/data. An unknown recipe is an OptionError.
func RecipeModelOptions(name, data string) (ModelOptions, error) {
	r, ok := builtin.FindRecipe(name)
	if !ok {
		return ModelOptions{}, &OptionError{"recipe", name, fmt.Errorf("want one of %s", strings.Join(ModelRecipes(), ", "))}
	}
	return ModelOptions{Paths: []string{filepath.Join(data, filepath.FromSlash(r.Corpus))}, Viewpoints: r.Viewpoints, Order: r.Order, Prune: r.Prune}, nil
}

// config is the model configuration the options ask for: modelConfig's,
// of the order asked.
func (opt ModelOptions) config() (model.Config, error) {
	cfg, err := modelConfig(opt.Viewpoints)
	if err != nil {
		return cfg, err
	}
	switch {
	case opt.Order < 0 || opt.Order >= model.MaxDepth:
		return cfg, &OptionError{"order", strconv.Itoa(opt.Order), fmt.Errorf("want 1 to %d, or 0 for unbounded (PPM*)", model.MaxDepth-1)}
	case opt.Prune < 0:
		return cfg, &OptionError{"prune", strconv.Itoa(opt.Prune), errors.New("want 0 or more")}
	case opt.Order > 0:
		cfg.Order, cfg.Unbounded = opt.Order, false
	}
	return cfg, nil
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
			case d.Format == load.FormatWJazzD:
				// The jazz corpus is grouped by performer (docs/model.md):
				// a player's solos share a fold.
				m.Title = performerTitle + load.Performer(d.Name)
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

// ModelInfo says what a model is: its name (a built-in one's, or the
// file's less .model), where it is, what it learned, and the hash that
// names its exact counts.
type ModelInfo struct {
	Name string `json:"name"`
	// Path is the model file; "" for a built-in model.
	Path string `json:"path,omitempty"`
	// Builtin is set for a model built into sideman (model/builtin).
	Builtin bool `json:"builtin"`
	// Hash is the hex SHA-256 of the model file's bytes (a built-in
	// model's inflated file, the bytes `sideman model learn` writes), so
	// that a note made from the model can say which model made it.
	Hash       string   `json:"hash"`
	Pieces     int      `json:"pieces"`
	Notes      int      `json:"notes"`
	Viewpoints []string `json:"viewpoints"`
	// Order is the model's highest context order; 0 is unbounded (PPM*).
	Order int `json:"order"`
}

// OpenModel reads a model file. A file that is not a model, or is
// damaged, or of a newer version, is BadInput naming it; a missing one
// NotFound. LoadModel also finds models by name and hashes them.
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

// LoadModel finds a model by what a musician gives --model: the name of
// a built-in model ("jazz"), else the name of a model in the user's
// model folder (p.ModelDir, NAME.model), else a model file's path. A
// name with a path separator or the .model extension is a path. A built-in
// name shadows a model of the same name in the folder. Nothing found is
// NotFound naming the models there are; a damaged file is OpenModel's
// BadInput.
func (p *Project) LoadModel(ctx context.Context, nameOrPath string) (*model.Model, ModelInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, ModelInfo{}, err
	}
	isPath := strings.ContainsAny(nameOrPath, `/\`) || strings.EqualFold(filepath.Ext(nameOrPath), ModelExt)
	if !isPath {
		if b, ok := builtin.Find(nameOrPath); ok {
			return loadBuiltin(b)
		}
		if p.ModelDir != "" {
			f := filepath.Join(p.ModelDir, nameOrPath+ModelExt)
			if _, err := os.Stat(f); err == nil {
				return p.loadModelFile(ctx, f)
			}
		}
		if _, err := os.Stat(nameOrPath); err != nil {
			return nil, ModelInfo{}, &Error{NotFound, nameOrPath, fmt.Errorf("no such model: want a model file or one of %s", strings.Join(p.modelNames(), ", "))}
		}
	}
	return p.loadModelFile(ctx, nameOrPath)
}

// modelNames are the names LoadModel finds: the built-in ones, then the
// user folder's.
func (p *Project) modelNames() []string {
	var names []string
	for _, b := range builtin.List() {
		names = append(names, b.Name)
	}
	for _, f := range p.userModels() {
		names = append(names, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)))
	}
	return names
}

// userModels are the model files of the user's folder, in name order;
// none when there is no folder.
func (p *Project) userModels() []string {
	if p.ModelDir == "" {
		return nil
	}
	ents, err := os.ReadDir(p.ModelDir)
	if err != nil {
		return nil
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ModelExt) {
			files = append(files, filepath.Join(p.ModelDir, e.Name()))
		}
	}
	slices.Sort(files)
	return files
}

func loadBuiltin(b builtin.Model) (*model.Model, ModelInfo, error) {
	data, err := b.File()
	if err != nil {
		// The embedded file is sideman's own: damaged, it is sideman's fault.
		return nil, ModelInfo{}, err
	}
	m, err := model.DecodeBytes(data)
	if err != nil {
		return nil, ModelInfo{}, fmt.Errorf("built-in model %s: %w", b.Name, err)
	}
	info := modelInfo(m, data)
	info.Name, info.Builtin = b.Name, true
	return m, info, nil
}

// loadModelFile reads and hashes a model file.
func (p *Project) loadModelFile(ctx context.Context, path string) (*model.Model, ModelInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, ModelInfo{}, err
	}
	f, err := load.OpenFile(path)
	if err != nil {
		return nil, ModelInfo{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, model.MaxFileSize+1))
	if err != nil {
		return nil, ModelInfo{}, corpusError(path, err)
	}
	m, err := model.DecodeBytes(data)
	if err != nil {
		return nil, ModelInfo{}, corpusError(path, unprefixed{err})
	}
	info := modelInfo(m, data)
	info.Name, info.Path = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), path
	return m, info, nil
}

// modelInfo is what a model learned and the hash of its file.
func modelInfo(m *model.Model, file []byte) ModelInfo {
	sum := sha256.Sum256(file)
	cfg := m.Config()
	info := ModelInfo{Hash: hex.EncodeToString(sum[:]), Pieces: m.Pieces, Notes: m.Notes}
	if !cfg.Unbounded {
		info.Order = cfg.Order
	}
	for _, v := range cfg.Viewpoints {
		info.Viewpoints = append(info.Viewpoints, v.Name)
	}
	return info
}

// Models lists the models available: the built-in ones, then those of
// the user's model folder (p.ModelDir) in name order, then those at
// paths, each a model file or a folder whose .model files are listed in
// name order. Each is read whole to say what it learned and to hash it
// (a model file has no index), so listing a large one takes a second.
// Its errors are LoadModel's; a folder with no model file is BadInput.
func (p *Project) Models(ctx context.Context, paths []string) ([]ModelInfo, error) {
	var out []ModelInfo
	for _, b := range builtin.List() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		_, info, err := loadBuiltin(b)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	files := p.userModels()
	for _, path := range paths {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			ents, err := os.ReadDir(path)
			if err != nil {
				return nil, corpusError(path, err)
			}
			var in []string
			for _, e := range ents {
				if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ModelExt) {
					in = append(in, filepath.Join(path, e.Name()))
				}
			}
			if len(in) == 0 {
				return nil, bad(path, "holds no %s file", ModelExt)
			}
			slices.Sort(in)
			files = append(files, in...)
			continue
		}
		files = append(files, path)
	}
	for _, f := range files {
		_, info, err := p.loadModelFile(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}
