package main

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

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

// writeTo writes a checked output; - is stdout.
func writeTo(t *output.Target, stdout io.Writer, write func(io.Writer) error) error {
	return outputError(t.Write(stdout, write))
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

// exitOnSignal ends the process on SIGINT or SIGTERM with the status a
// shell gives (130, 143) once the temporary files being written are
// removed: an interrupted command leaves nothing behind. A signal the
// process was started ignoring (SIGINT for a script's background job,
// nohup) stays ignored.
func exitOnSignal() {
	c := make(chan os.Signal, 1)
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(s) {
			signal.Notify(c, s)
		}
	}
	go func() {
		s := <-c
		output.Abandon()
		if s == syscall.SIGTERM {
			os.Exit(128 + int(syscall.SIGTERM))
		}
		os.Exit(128 + int(syscall.SIGINT))
	}()
}
