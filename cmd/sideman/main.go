// Command sideman is an AI sideman for musicians: it reads the charts and
// MIDI files musicians have, plays a band from them, and keeps a record of
// which notes a person made and which the machine made.
//
// Usage:
//
//	sideman COMMAND [ARGS]
//
// Run `sideman help` for the commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"sideman/load"
)

// command is one subcommand: its one-line summary, usage and body.
type command struct {
	summary string
	usage   string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

// usageError is bad usage: printed with the command's usage, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a command line and returns the exit status: 0 success,
// 2 bad input or usage, 1 internal failure. No panic escapes.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "sideman: internal error: %v\n", r)
			status = 1
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprintf(stdout, "usage: %s\n\n%s\n", c.usage, c.summary)
				return 0
			}
		}
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sideman: unknown command %q; run sideman help\n", args[0])
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	if err == nil {
		return 0
	}
	var ue usageError
	var ie *load.InputError
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "usage: %s\n", c.usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "sideman %s: %s\nusage: %s\n", args[0], ue.msg, c.usage)
		return 2
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "sideman: %s\n", oneLine(err.Error()))
		return 2
	}
	fmt.Fprintf(stderr, "sideman: %s\n", oneLine(err.Error()))
	return 1
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "sideman: an AI sideman for musicians.\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun sideman help COMMAND for a command's usage.")
}

// parseFlags parses flags that may come before or after the positional
// arguments (sideman inspect x.mid --json), as musicians type them.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
