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
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"

	"sideman/internal/quote"
	"sideman/internal/suggest"
)

// command is one subcommand: its one-line summary, usage, examples and
// body. Every body parses its flags (parseFlags) before it does anything,
// so that run with --help only asks for them: that is how help finds a
// command's flags.
type command struct {
	summary  string
	usage    string
	examples []string // command lines a musician would type, each starting "sideman NAME"
	// subcommands, for a command that dispatches on its first argument
	// (feel learn, feel eval): help lists each one's flags.
	subcommands []string
	run         func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

func init() {
	register("version", command{
		summary:  "print sideman's version (sideman --version too): the module version and the git revision it was built from",
		usage:    "sideman version",
		examples: []string{"sideman --version"},
		run:      printVersion,
	})
}

// usageError is bad usage: printed with the command's usage, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// helpRequest is -h or --help among a command's flags: it carries the
// command's flags for help to list.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string        { return flag.ErrHelp.Error() }
func (h helpRequest) Is(target error) bool { return target == flag.ErrHelp }

func main() {
	os.Exit(runWithSignals(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a command line and returns the exit status: 0 success,
// 2 bad input or usage (every error kind of package project but
// Internal), 1 internal failure. No panic escapes.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "sideman: internal error: %s\n", oneLine(fmt.Sprint(r)))
			status = 1
		}
	}()
	if len(args) == 0 {
		printHelp(stdout)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 {
			printHelp(stdout)
			return 0
		}
		c, ok := commands[args[1]]
		if !ok {
			return unknownCommand(args[1], stderr)
		}
		printCommandHelp(stdout, args[1], c)
		return 0
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	c, ok := commands[args[0]]
	if !ok {
		return unknownCommand(args[0], stderr)
	}
	err := phrase(finishLedger(c.run(args[1:], stdout, stderr)))
	if err == nil {
		return 0
	}
	var ue usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		printCommandHelp(stdout, args[0], c)
		return 0
	case errors.As(err, &ue) && asksHelp(args[1:]):
		// A command without flags (styles) refuses --help as an argument.
		printCommandHelp(stdout, args[0], c)
		return 0
	case errors.As(err, &ue):
		// One line, as every error: the usage is a command away.
		fmt.Fprintf(stderr, "sideman %s: %s (sideman help %s)\n", args[0], oneLine(ue.msg), args[0])
		return 2
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// A signal stopped the command (runWithSignals): say so, not
		// "context canceled".
		fmt.Fprintf(stderr, "sideman: stopped: %s\n", context.Cause(ctx))
		return 1
	}
	fmt.Fprintf(stderr, "sideman: %s\n", oneLine(err.Error()))
	return exitStatus(err)
}

// oneLine is an error as one line of at most quote.MaxLine bytes: the
// last guard behind the readers' own quote.Input.
func oneLine(s string) string { return quote.Line(strings.Join(strings.Fields(s), " ")) }

// asksHelp reports whether args hold -h, -help or --help before any "--".
func asksHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// didYouMean is `; did you mean "NAME"?` when word looks like a slip of
// one of names (an unknown style, a feel), else "".
func didYouMean(word string, names []string) string {
	if s := suggest.Closest(word, names); len(s) > 0 {
		return "; " + suggest.Phrase(s, strconv.Quote)
	}
	return ""
}

func unknownCommand(name string, stderr io.Writer) int {
	names := []string{"help"}
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("sideman: unknown command %s", quote.Input(name))
	if s := suggest.Closest(name, names); len(s) > 0 {
		msg += "; " + suggest.Phrase(s, func(n string) string { return n })
	}
	fmt.Fprintln(stderr, msg+" (sideman help lists the commands)")
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "sideman: an AI sideman for musicians.\n\nusage: sideman COMMAND [ARGS] [FLAGS]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun sideman help COMMAND (or sideman COMMAND --help) for a command's flags and examples.")
}

// printCommandHelp writes a command's usage, summary, flags with their
// defaults and descriptions, and examples.
func printCommandHelp(w io.Writer, name string, c command) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.usage, c.summary)
	for _, fs := range commandFlags(c) {
		title := "flags:"
		if fs.Name() != name {
			title = "flags of " + fs.Name() + ":"
		}
		printFlags(w, title, fs, usageOf(fs.Name(), c.usage))
	}
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nexamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// usageOf keeps the lines of a usage that a subcommand's flags are on
// (sideman feel plot ...), else all of it.
func usageOf(name, usage string) string {
	var keep []string
	for _, line := range strings.Split(usage, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "sideman "+name); ok && (rest == "" || rest[0] == ' ') {
			keep = append(keep, line)
		}
	}
	if len(keep) == 0 {
		return usage
	}
	return strings.Join(keep, "\n")
}

// commandFlags asks a command (or each of its subcommands) for its flags
// by running it with --help: the flags are parsed before anything is done.
func commandFlags(c command) []*flag.FlagSet {
	subs := c.subcommands
	if len(subs) == 0 {
		subs = []string{""}
	}
	var out []*flag.FlagSet
	for _, sub := range subs {
		args := []string{"--help"}
		if sub != "" {
			args = []string{sub, "--help"}
		}
		var h helpRequest
		if errors.As(c.run(args, io.Discard, io.Discard), &h) && h.fs != nil {
			out = append(out, h.fs)
		}
	}
	return out
}

// dash writes a flag as it is typed: -o, --tempo.
func dash(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// printFlags lists the flags of fs in the order the usage names them
// (the rest after, by name), each with what it takes, its description
// and a default other than the zero value.
func printFlags(w io.Writer, title string, fs *flag.FlagSet, usage string) {
	type row struct {
		left, desc string
		at         int
	}
	var rows []row
	fs.VisitAll(func(f *flag.Flag) {
		arg, desc := flagArg(f, usage)
		left := dash(f.Name)
		if arg != "" {
			left += " " + arg
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "[]" {
			desc += " (default " + d + ")"
		}
		at := len(usage) + 1
		if loc := flagInUsage(f.Name).FindStringIndex(usage); loc != nil {
			at = loc[0]
		}
		rows = append(rows, row{left, desc, at})
	})
	if len(rows) == 0 {
		return
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].at < rows[j].at })
	width := 0
	for _, r := range rows {
		if n := len(r.left); n > width && n <= 24 {
			width = n
		}
	}
	fmt.Fprintf(w, "\n%s\n", title)
	for _, r := range rows {
		if len(r.left) > width {
			fmt.Fprintf(w, "  %s\n  %*s  %s\n", r.left, width, "", r.desc)
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.left, r.desc)
	}
}

// flagInUsage finds -name or --name as a word of a usage line.
func flagInUsage(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[\s\[|])--?` + regexp.QuoteMeta(name) + `($|[\s\]=])`)
}

// flagArg is what a flag takes, as the usage line writes it (--tune TITLE,
// --amount 0..1), else by its type; "" for a switch.
func flagArg(f *flag.Flag, usage string) (arg, desc string) {
	name, desc := flag.UnquoteUsage(f)
	if name == "" { // a bool: a switch
		return "", desc
	}
	if loc := flagInUsage(f.Name).FindStringIndex(usage); loc != nil {
		rest := usage[loc[1]:]
		if i := strings.IndexAny(rest, " \t\n]"); i > 0 {
			rest = rest[:i]
		}
		if rest != "" && !strings.HasPrefix(rest, "-") && !strings.HasPrefix(rest, "[") && !strings.HasPrefix(rest, "(") {
			return rest, desc
		}
	}
	switch name {
	case "int", "uint", "int64", "uint64":
		return "N", desc
	case "float":
		return "X", desc
	case "string", "value":
		return "VALUE", desc
	}
	return name, desc
}

// parseFlags parses flags that may come before or after the positional
// arguments (sideman inspect x.mid --json), as musicians type them. An
// unknown flag is refused with the nearest the command has.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpRequest{fs}
			}
			return nil, usageError{flagError(fs, err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// badValue is the flag package's error for a value that does not parse,
// compiled when a flag is wrong, not at every start.
var badValue = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-(\S+): (.*)$`)
})

// flagError rewrites the flag package's error for a musician: an unknown
// flag with the nearest the command has, a bad value with what it wants.
func flagError(fs *flag.FlagSet, err error) string {
	const undefined = "flag provided but not defined: "
	msg := err.Error()
	if m := badValue().FindStringSubmatch(msg); m != nil {
		// invalid value "fast" for flag -tempo: parse error
		if f := fs.Lookup(m[2]); f != nil {
			want := m[3]
			switch kind, _ := flag.UnquoteUsage(f); kind {
			case "int", "uint", "int64", "uint64":
				want = "want a whole number"
			case "float":
				want = "want a number"
			case "":
				want = "want true or false"
			}
			return fmt.Sprintf("%s %q: %s", dash(f.Name), m[1], want)
		}
	}
	if !strings.HasPrefix(msg, undefined) {
		return msg
	}
	name := strings.TrimLeft(strings.TrimPrefix(msg, undefined), "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	msg = "unknown flag " + dash(name)
	if s := suggest.Closest(name, names); len(s) > 0 {
		msg += "; " + suggest.Phrase(s, dash)
	}
	return msg
}

func printVersion(args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"version takes no arguments"}
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(info))
	return nil
}

// versionLine says which sideman this is: the module version the go
// command stamped (a pseudo-version from the git commit when built in a
// checkout, "+dirty" with uncommitted changes), the VCS revision and its
// time, and the Go release.
func versionLine(info *debug.BuildInfo) string {
	v := "(devel)"
	if info != nil && info.Main.Version != "" {
		v = info.Main.Version
	}
	line := "sideman " + v
	var rev, at string
	modified := false
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified, _ = strconv.ParseBool(s.Value)
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12] // as git log --abbrev=12 and the pseudo-version write it
		}
		detail := []string{"git " + rev}
		if at != "" {
			detail = append(detail, at)
		}
		if modified {
			detail = append(detail, "uncommitted changes")
		}
		line += " (" + strings.Join(detail, ", ") + ")"
	}
	goVersion := runtime.Version()
	if info != nil && info.GoVersion != "" {
		goVersion = info.GoVersion
	}
	return line + " " + goVersion
}
