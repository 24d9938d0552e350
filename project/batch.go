package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"sideman/internal/output"
	"sideman/internal/quote"
	"sideman/load"
	"sideman/music"
)

// PlayAllOptions say how PlayAll plays every tune of a collection.
type PlayAllOptions struct {
	// PlayOptions apply to each tune (style, feel, choruses, seed...);
	// Tune must be "".
	PlayOptions
	// Dir is the folder the files go to: made when missing (its parent
	// must be there), written into when a folder.
	Dir string
	// Workers is how many tunes are played at once; 0 is one for each
	// CPU (runtime.GOMAXPROCS). The files are the same whatever it is.
	Workers int
}

// Batch is what PlayAll did.
type Batch struct {
	// Tunes is the number of tunes in the collection.
	Tunes int
	// Files are the files written, by tune index ("" for a tune not
	// played); Played counts them, Refused the tunes not played.
	Files           []string
	Played, Refused int
}

// TaskTunes is the task of PlayAll's progress: done and total count
// tunes, not seconds.
const TaskTunes = "tunes"

// PlayAll plays every tune of a collection (a JazzStandards file, an ABC
// tune book, a playlist, a folder or archive of charts) with the band
// the options describe, and writes each performance to Dir as a MIDI file
// named by the tune's index as PlayOptions.Tune counts it, zero-padded
// to the collection's width, and its title (TuneFileName). Each file is
// the one Play writes for that tune: the same notes and ids (outside a
// project they are keyed by the tune, as Play keys them; in a project
// each tune takes a block of the project's ids of its own), whatever the
// number of workers. A file appears whole (written beside and renamed);
// an existing file of that name is replaced, a link, a folder or a device
// there never.
//
// Tunes are played Workers at a time. Progress (TaskTunes) and warnings
// are reported from the caller's goroutine, the warnings in tune order. A
// tune that cannot be played is reported (one Warning) and skipped: the
// others are written, and the error returned with the Batch counts the
// refused tunes (its kind is BadInput, or Internal when one failed for
// sideman's own fault). Options and inputs that no tune could be played
// with are refused before anything is written; a file that cannot be
// written (a full disk) stops the batch with that error.
func (p *Project) PlayAll(ctx context.Context, name string, opt PlayAllOptions) (*Batch, error) {
	if opt.Tune != "" {
		return nil, &OptionError{"tune", strconv.Quote(opt.Tune), errors.New("plays one tune; PlayAll plays all of them")}
	}
	if err := checkPlay(opt.PlayOptions); err != nil {
		return nil, err
	}
	// A style or feel named is every tune's: refused once, not for each.
	if opt.Style != "" {
		if _, err := p.styleNamed(opt.Style); err != nil {
			return nil, err
		}
	}
	if opt.Feel != "" {
		if _, err := Feel(opt.Feel); err != nil {
			return nil, err
		}
	}
	if err := checkDir(opt.Dir); err != nil {
		return nil, err
	}
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	n := len(d.Charts)
	if n == 0 {
		_, err := d.Tune("0") // its words for a document without charts
		return nil, err
	}
	if err := makeDir(opt.Dir); err != nil {
		return nil, err
	}
	ids, err := p.tuneIDs(d.Name, opt.PlayOptions, n)
	if err != nil {
		return nil, err
	}
	width := len(strconv.Itoa(n - 1))

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan tuneResult)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				results <- p.playTune(ctx, d, i, opt, ids(i), filepath.Join(opt.Dir, TuneFileName(i, width, d.Charts[i].Title)))
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	// The results come in any order; they are reported in tune order.
	b := &Batch{Tunes: n, Files: make([]string, n)}
	waiting := map[int]tuneResult{}
	next, done := 0, 0
	var stop error
	internal := false
	for done < n && stop == nil {
		var r tuneResult
		select {
		case r = <-results:
		case <-ctx.Done():
			stop = ctx.Err()
			continue
		}
		done++
		waiting[r.index] = r
		for ; ; next++ {
			r, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			for _, w := range r.warnings {
				p.warn(w)
			}
			switch {
			case r.fatal != nil:
				stop = r.fatal
			case r.err != nil:
				b.Refused++
				internal = internal || KindOf(r.err) == Internal
				p.warn(Warning{Name: d.Name, Err: fmt.Errorf("tune %d %s not played: %s", next, quote.Input(d.Charts[next].Title), strings.TrimPrefix(firstLine(r.err), d.Name+": "))})
			default:
				b.Played++
				b.Files[next] = r.file
			}
		}
		if p.Report != nil {
			p.Report.Progress(TaskTunes, float64(done), float64(n))
		}
	}
	if stop != nil {
		// The workers finish the tunes they hold (a bar's work, a file)
		// before PlayAll returns: nothing is written after.
		cancel()
		for range results {
		}
		return b, stop
	}
	if b.Refused > 0 {
		kind := BadInput
		if internal {
			kind = Internal
		}
		return b, &Error{kind, d.Name, fmt.Errorf("%d of %d tunes not played", b.Refused, n)}
	}
	return b, nil
}

// tuneResult is one tune played and written, or why not: err refuses
// the tune, fatal stops the batch.
type tuneResult struct {
	index      int
	file       string
	err, fatal error
	warnings   []Warning
}

// warnings keeps a tune's warnings for the batch to report in order.
type warnings []Warning

func (w *warnings) Progress(string, float64, float64) {}
func (w *warnings) Warn(x Warning)                    { *w = append(*w, x) }

// playTune plays tune i of d and writes it to path.
func (p *Project) playTune(ctx context.Context, d *load.Document, i int, opt PlayAllOptions, ids *music.IDs, path string) (r tuneResult) {
	r.index = i
	var heard warnings
	defer func() {
		r.warnings = heard
		if v := recover(); v != nil { // a fault of sideman's: this tune's, not the batch's
			r.err = fmt.Errorf("internal error: %v", v)
		}
	}()
	if err := ctx.Err(); err != nil {
		r.fatal = err
		return r
	}
	one := &Project{Lineup: p.Lineup, Report: &heard}
	o := opt.PlayOptions
	o.Tune = strconv.Itoa(i)
	perf, err := one.play(ctx, d, d.Charts[i], o, ids)
	if err != nil {
		if ctx.Err() != nil {
			r.fatal = ctx.Err()
		}
		r.err = err
		return r
	}
	if err := writable(path); err != nil {
		r.err = err
		return r
	}
	t, err := output.Check(path, []output.Format{output.MIDI}, d.Name)
	if err == nil {
		err = t.Write(io.Discard, perf.EncodeMIDI)
	}
	if err != nil {
		var oe *output.Error
		if errors.As(err, &oe) {
			err = &Error{BadInput, oe.Path, oe.Err}
		}
		r.fatal = err
		return r
	}
	r.file = path
	return r
}

// tuneIDs gives each tune its note ids: outside a project those Play
// gives the tune (keyed by the input, the options and the tune's index),
// in a project a block of the project's ids for each tune, laid out by
// index, so that no tune's ids depend on the order the tunes are played.
func (p *Project) tuneIDs(name string, opt PlayOptions, n int) (func(i int) *music.IDs, error) {
	if p.IDs == nil {
		return func(i int) *music.IDs {
			o := opt
			o.Tune = strconv.Itoa(i)
			return p.ids("band", []string{name}, playKey(o))
		}, nil
	}
	// A block holds four times the notes a performance may have.
	const block = 4 * music.MaxNotes
	first := p.IDs.Next()
	if uint64(first)+uint64(n)*block >= uint64(music.MaxID) {
		return nil, fmt.Errorf("play all: the project's ids run out (%d tunes from id %d)", n, first)
	}
	p.IDs.Skip(first + music.NoteID(n)*block - 1)
	return func(i int) *music.IDs { return music.NewIDs(first + music.NoteID(i)*block) }, nil
}

// checkDir refuses a folder PlayAll cannot write into before anything is
// read: something there that is no folder, or no folder to make it in.
func checkDir(dir string) error {
	if dir == "" {
		return &OptionError{"dir", "", errors.New("name a folder to write the tunes to")}
	}
	st, err := os.Stat(dir)
	switch {
	case err == nil && st.IsDir():
		return nil
	case err == nil:
		return &Error{BadInput, dir, errors.New("is not a folder; the tunes go into a folder, one file each")}
	case !errors.Is(err, fs.ErrNotExist):
		return &Error{BadInput, dir, unwrapPath(err)}
	}
	if _, err := os.Lstat(dir); err == nil {
		return &Error{BadInput, dir, errors.New("is a link to nothing; name a folder")}
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if st, err := os.Stat(parent); err != nil || !st.IsDir() {
		return &Error{BadInput, dir, fmt.Errorf("no folder %s to make it in (sideman makes the last folder only)", parent)}
	}
	return nil
}

// makeDir makes the folder checkDir passed, if it is not there.
func makeDir(dir string) error {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return nil
	}
	if err := os.Mkdir(dir, 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
		return &Error{BadInput, dir, unwrapPath(err)}
	}
	return nil
}

// writable refuses to write a tune's file over what is no regular file:
// a link (which could lead out of the folder), a folder, a device.
func writable(path string) error {
	st, err := os.Lstat(path)
	if err != nil || st.Mode().IsRegular() {
		return nil
	}
	what := "a link"
	switch {
	case st.IsDir():
		what = "a folder"
	case st.Mode()&fs.ModeSymlink == 0:
		what = "a device or special file"
	}
	return &Error{BadInput, path, fmt.Errorf("is %s; PlayAll replaces only files", what)}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxTitleBytes bounds the title in a tune's file name.
const maxTitleBytes = 60

// TuneFileName is the file PlayAll writes tune i of a collection to:
// the index zero-padded to width digits, a dash and the title made safe
// for a file name on any system: letters and digits, each run of
// anything else one dash, apostrophes dropped ("Don't Blame Me" is
// Dont-Blame-Me), at most 60 bytes; "untitled" when nothing is left.
func TuneFileName(i, width int, title string) string {
	var b strings.Builder
	dash := false
	for _, r := range title {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if b.Len()+1+utf8.RuneLen(r) > maxTitleBytes {
				return fmt.Sprintf("%0*d-%s.mid", width, i, b.String())
			}
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		b.WriteString("untitled")
	}
	return fmt.Sprintf("%0*d-%s.mid", width, i, b.String())
}
