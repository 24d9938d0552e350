package project

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"sideman/feel"
	"sideman/feel/eval"
	"sideman/feel/learn"
	"sideman/format/match"
	"sideman/format/midi"
	"sideman/internal/suggest"
	"sideman/load"
	"sideman/music"
)

// LearnOptions say what to learn a feel from: performances the caller
// names (From and Paths), or a built-in feel's recipe over the corpora
// (Recipe and Data).
type LearnOptions struct {
	// Recipe learns a built-in feel by its recipe (learn.Recipes) from
	// the corpora in Data; From, Paths, Name, Split and Style are then
	// unused.
	Recipe string
	// Data is the corpora folder, laid out as shared/data: finding it
	// (a flag, an environment variable) is the caller's work.
	Data string
	// From says what Paths hold: "wjazzd" (the WJazzD folder), "gmd"
	// (the Groove MIDI folder), "match" (vienna4x22's archive, .match
	// files or folders of them) or "midi" (MIDI files played to a click).
	From  string
	Paths []string
	// Name is the feel's name; "" is "learned".
	Name string
	// Split and Style learn from one split (train, validation, test)
	// and one primary style (jazz, funk, ...) of the Groove MIDI Dataset.
	Split, Style string
}

// LearnFroms are the kinds of performances LearnOptions.From names.
var LearnFroms = []string{"wjazzd", "gmd", "match", "midi"}

// LearnedFeel is a feel learned from performances.
type LearnedFeel struct {
	Profile *feel.Profile
	// Read is how many performances each path gave, in the order of
	// LearnOptions.Paths (none for a recipe).
	Read []int
}

// LearnFeel learns a feel from performances, or a built-in feel by its
// recipe. What the corpora or files hold wrong is the input's (BadInput,
// NotFound for a file that is not there), naming it; a failure of the
// machine reading them (an I/O error, memory) is Internal.
func (p *Project) LearnFeel(ctx context.Context, opt LearnOptions) (*LearnedFeel, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Recipe != "" {
		return learnRecipe(opt)
	}
	if !slices.Contains(LearnFroms, opt.From) {
		return nil, &OptionError{"from", strconv.Quote(opt.From), errors.New("want wjazzd, gmd, match or midi")}
	}
	if len(opt.Paths) == 0 {
		return nil, &OptionError{"from", opt.From, errors.New("want one path or more to learn from")}
	}
	out := &LearnedFeel{}
	var perfs []feel.Performance
	for _, path := range opt.Paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ps, err := readPerformances(opt, path)
		if err != nil {
			return nil, err
		}
		out.Read = append(out.Read, len(ps))
		perfs = append(perfs, ps...)
	}
	out.Profile = feel.Learn(cmp.Or(opt.Name, "learned"), perfs)
	if len(out.Profile.Roles) == 0 {
		return nil, &Error{BadInput, strings.Join(opt.Paths, " "), errors.New("no role has enough notes to learn from")}
	}
	out.Profile.Description = fmt.Sprintf("learned from %d performances (%s)", len(perfs), opt.From)
	return out, nil
}

// RecipeNames are the names of the built-in feels' recipes.
func RecipeNames() []string {
	var out []string
	for _, r := range learn.Recipes {
		out = append(out, r.Name)
	}
	return out
}

func learnRecipe(opt LearnOptions) (*LearnedFeel, error) {
	r, ok := learn.RecipeNamed(opt.Recipe)
	if !ok {
		names := RecipeNames()
		return nil, &UnknownError{What: "recipe", Name: opt.Recipe, Known: names, Near: suggest.Closest(opt.Recipe, names)}
	}
	prof, err := r.Learn(learn.Corpora{Dir: opt.Data})
	if err != nil {
		return nil, corpusError(opt.Data, err)
	}
	return &LearnedFeel{Profile: prof}, nil
}

// readPerformances reads the performances at path, of the kind opt.From
// says.
func readPerformances(opt LearnOptions, path string) ([]feel.Performance, error) {
	var ps []feel.Performance
	var err error
	switch opt.From {
	case "wjazzd":
		ps, err = learn.WJazzD(path)
	case "gmd":
		gopt := learn.GrooveOptions{Split: opt.Split}
		if opt.Style != "" {
			gopt.Styles = []string{opt.Style}
		}
		ps, err = learn.GrooveMIDI(path, gopt)
	case "match":
		if !strings.HasSuffix(path, ".match") {
			ps, err = learn.Vienna(path)
			break
		}
		var p feel.Performance
		p, err = readMatch(path)
		ps = []feel.Performance{p}
	case "midi":
		var p feel.Performance
		p, err = readMIDIPerformance(path)
		ps = []feel.Performance{p}
	}
	if err != nil {
		return nil, corpusError(path, err)
	}
	return ps, nil
}

func readMatch(path string) (feel.Performance, error) {
	f, err := load.OpenFile(path) // a regular file: not a FIFO, not /dev/zero
	if err != nil {
		return feel.Performance{}, err
	}
	defer f.Close()
	m, err := match.Decode(f)
	if err != nil {
		return feel.Performance{}, err
	}
	return learn.MatchPerformance(m, filepath.Base(path))
}

func readMIDIPerformance(path string) (feel.Performance, error) {
	f, err := load.OpenFile(path)
	if err != nil {
		return feel.Performance{}, err
	}
	defer f.Close()
	piece, err := (&midi.Decoder{Source: path}).DecodePiece(f)
	if err == nil {
		err = music.CheckLength(piece)
	}
	if err != nil {
		return feel.Performance{}, err
	}
	return feel.FromPiece(piece, filepath.Base(path)), nil
}

// EvalOptions say how to evaluate the built-in feels against held-out
// human performances.
type EvalOptions struct {
	// Data is the corpora folder, laid out as shared/data.
	Data string
	// Seed picks the draws of the humanized and jittered versions; Runs
	// is how many are averaged, 1 to 100 (0 is 1); Against is what each
	// version is compared with.
	Seed    uint64
	Runs    int
	Against eval.Against
}

// EvalFeel evaluates the drum feel on the Groove MIDI Dataset's test
// split and the soloist feel on WJazzD's held-out players
// (learn.EvalGroove, learn.EvalWJazzD): one report each, in that order.
// Its errors are LearnFeel's.
func (p *Project) EvalFeel(ctx context.Context, opt EvalOptions) ([]eval.Report, error) {
	if opt.Runs < 0 || opt.Runs > 100 {
		return nil, &OptionError{"runs", strconv.Itoa(opt.Runs), errors.New("want 1 to 100")}
	}
	c := learn.Corpora{Dir: opt.Data}
	var reports []eval.Report
	for _, f := range []func(learn.Corpora, eval.Options) (eval.Report, error){learn.EvalGroove, learn.EvalWJazzD} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := f(c, eval.Options{Seed: opt.Seed, Runs: max(opt.Runs, 1), Against: opt.Against})
		if err != nil {
			return nil, corpusError(opt.Data, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

// corpusError is an error reading performances to learn from, naming the
// input: the readers' errors are about the data (a file missing from an
// archive, a row that does not parse) and are BadInput, or NotFound for
// a file that is not there; the machine's failures reading it (an I/O
// error, no memory, no file descriptors) are Internal and pass as they
// are, as do the errors that carry their kind already and a context's.
func corpusError(name string, err error) error {
	var e *Error
	var ie *load.InputError
	var errno syscall.Errno
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e), errors.As(err, &ie), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &errno) && machineErrno(errno):
		return err
	case errors.Is(err, fs.ErrNotExist):
		return &Error{NotFound, name, err}
	}
	return &Error{BadInput, name, err}
}

// machineErrno reports whether a system error is the machine's, not the
// file's.
func machineErrno(e syscall.Errno) bool {
	switch e {
	case syscall.EIO, syscall.ENOMEM, syscall.ENOSPC, syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS:
		return true
	}
	return false
}
