package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/internal/suggest"
	"sideman/load"
	"sideman/project"
)

// newProject is the work of one command: outside a project, so each
// operation numbers its notes from ids keyed by its inputs and options;
// warnings and progress go to errs.
func newProject(errs io.Writer) (*project.Project, *reporter) {
	r := &reporter{errs: errs}
	return &project.Project{Report: r, ModelDir: userModelDir()}, r
}

// ctx is a command's context: the process's cancels on SIGINT or
// SIGTERM (runWithSignals), so the operation stops and removes what it
// was writing.
var ctx = context.Background()

// reporter prints a project's warnings and the progress of long work on
// stderr, one line each.
type reporter struct {
	errs io.Writer
	// output is the file being rendered, which the progress lines name.
	output string
}

// Warn prints a warning; of the tunes or files a collection skipped, the
// first ten and a count of the rest.
func (r *reporter) Warn(w project.Warning) {
	if len(w.Skipped) == 0 {
		fmt.Fprintf(r.errs, "sideman: %s: warning: %s\n", w.Name, oneLine(w.Err.Error()))
		return
	}
	for i, s := range w.Skipped {
		if i == 10 {
			break
		}
		fmt.Fprintf(r.errs, "sideman: warning: skipped %s\n", oneLine(s.Error()))
	}
	if more := len(w.Skipped) - min(len(w.Skipped), 10) + w.More; more > 0 {
		fmt.Fprintf(r.errs, "sideman: warning: %d more unreadable tunes or files\n", more)
	}
}

// Progress prints how a render goes when it takes a while: music longer
// than two minutes takes seconds to render.
func (r *reporter) Progress(task string, done, total float64) {
	if total > 120 {
		fmt.Fprintf(r.errs, "sideman: %s %s: %.0f of %.0f s\n", task, r.output, done, total)
	}
}

// exitStatus is the exit status of a command's error: 2 for the input's
// faults and bad usage, 1 for sideman's own.
func exitStatus(err error) int {
	var ue usageError
	if errors.As(err, &ue) || project.KindOf(err) != project.Internal {
		return 2
	}
	return 1
}

// phrase says an operation's error in a command line's words: an option
// the input refuses as its flag, an unknown style, feel, recipe or
// bundled chart with the names there are, a file of many tunes with the
// flag that picks one.
func phrase(err error) error {
	var oe *project.OptionError
	var ue *project.UnknownError
	var ce *load.ChoiceError
	var ie *load.InputError
	switch {
	case errors.Is(err, project.ErrNoChart):
		return usageError{"the MIDI file carries no chart: give the chords it was played over with --chart CHART (a .chart file, an iReal link, JazzStandards JSON with --tune)"}
	case errors.As(err, &oe):
		return usageError{"--" + oe.Error()}
	case errors.As(err, &ue) && ue.What == "style":
		return usageError{fmt.Sprintf("unknown style %q; styles: %s%s", ue.Name, strings.Join(ue.Known, ", "), nearest(ue.Near))}
	case errors.As(err, &ue) && ue.What == "recipe":
		return usageError{fmt.Sprintf("no recipe %q (have %s)", ue.Name, strings.Join(ue.Known, ", "))}
	case errors.As(err, &ue) && ue.What == "bundled chart":
		return usageError{fmt.Sprintf("no bundled chart %q; have %s", ue.Name, strings.Join(ue.Known, ", "))}
	case errors.As(err, &ue) && ue.What == "feel":
		return usageError{fmt.Sprintf("no feel %q: want a built-in (%s), a .feel file or none%s", ue.Name, strings.Join(ue.Known, ", "), nearest(ue.Near))}
	case errors.As(err, &ce) && errors.As(err, &ie):
		return &load.InputError{Name: ie.Name, Err: fmt.Errorf("holds %d tunes; choose one with --tune TITLE or INDEX (see sideman charts)", ce.Tunes)}
	}
	return err
}

// hint adds to an operation the input does not support what the command
// line does instead ("play a chart with sideman band --wav").
func hint(err error, how string) error {
	var e *project.Error
	if errors.As(err, &e) && e.Kind == project.Unsupported {
		return &project.Error{Kind: e.Kind, Name: e.Name, Err: fmt.Errorf("%w; %s", e.Err, how)}
	}
	return err
}

// nearest is `; did you mean "NAME"?` for names a word may be a slip of.
func nearest(near []string) string {
	if len(near) == 0 {
		return ""
	}
	return "; " + suggest.Phrase(near, strconv.Quote)
}
