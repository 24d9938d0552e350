package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sideman/internal/output"
	"sideman/load"
)

// outputTo checks a command's output (-o, --wav) before it does any
// work: the extension names one of formats (the first is written to -,
// a FIFO or a device), the folder exists, and it is none of inputs. A
// refusal is bad input: one line, exit status 2.
func outputTo(path string, formats []output.Format, inputs ...string) (*output.Target, error) {
	t, err := output.Check(path, formats, inputs...)
	return t, outputError(err)
}

// writeTo writes a checked output; - is stdout. A file written whole
// after a signal cancelled the command (by work that does not look at
// ctx) is not kept either.
func writeTo(t *output.Target, stdout io.Writer, write func(io.Writer) error) error {
	write = exporting(t, write) // recorded in the project's ledger, if any
	return outputError(t.Write(stdout, func(w io.Writer) error {
		if err := write(w); err != nil {
			return err
		}
		return ctx.Err()
	}))
}

// writeBytes writes an output encoded beforehand, so that a failed
// encoding writes nothing, not even to - or a FIFO.
func writeBytes(t *output.Target, stdout io.Writer, b []byte) error {
	return writeTo(t, stdout, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// writeFile writes a file whose extension names its format, as sideman
// writes every output (the tests write their inputs with it).
func writeFile(path string, write func(io.Writer) error) error {
	f, _ := output.FormatOf(path)
	t, err := outputTo(path, []output.Format{f})
	if err != nil {
		return err
	}
	return writeTo(t, io.Discard, write)
}

// outputError reports an output refused as bad input (exit 2).
func outputError(err error) error {
	var oe *output.Error
	if errors.As(err, &oe) {
		return &load.InputError{Name: oe.Path, Err: oe.Err}
	}
	return err
}

// signalGrace is how long a command has to stop once a signal cancels
// it before the process ends regardless: playing and rendering look at
// their context every bar or few thousand frames, reading a large file
// does not look at all.
var signalGrace = 2 * time.Second

// runWithSignals runs a command line as the process does: SIGINT and
// SIGTERM cancel the command's context (ctx), so that the operation stops
// where it is (a band within a bar, a render within a few thousand
// frames) and removes what it was writing; the process then exits with
// the status a shell gives (130, 143). A command that has not stopped
// within signalGrace, or a second signal, ends the process at once, the
// temporary files being written removed (output.Abandon): an interrupted
// command leaves nothing behind. A signal the process was started
// ignoring (SIGINT for a script's background job, nohup) stays ignored.
func runWithSignals(args []string, stdout, stderr io.Writer) int {
	var sigs []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return run(args, stdout, stderr) // Notify with no signals would catch them all
	}
	var stop context.CancelFunc
	ctx, stop = signal.NotifyContext(context.Background(), sigs...)
	defer stop()
	// The signal itself, for the exit status (the context's cause names
	// it only in words), and a second one.
	caught := make(chan os.Signal, 2)
	signal.Notify(caught, sigs...)
	first := make(chan os.Signal, 1)
	go func() {
		s := <-caught
		first <- s
		select {
		case <-caught:
		case <-time.After(signalGrace):
		}
		output.Abandon()
		os.Exit(signalStatus(s))
	}()
	status := run(args, stdout, stderr)
	if ctx.Err() != nil {
		// Cancelled by a signal, which reaches caught too: the command
		// stopped and removed its output.
		return signalStatus(<-first)
	}
	return status
}

// signalStatus is the exit status a shell gives a process a signal ended.
func signalStatus(s os.Signal) int {
	if s == syscall.SIGTERM {
		return 128 + int(syscall.SIGTERM)
	}
	return 128 + int(syscall.SIGINT)
}
