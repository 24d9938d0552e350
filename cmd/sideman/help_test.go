package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"sideman/internal/shareddata"
)

// words splits a command line as a shell does for these examples: spaces
// between words, double quotes or backquotes around a word with spaces.
func words(line string) []string {
	var out []string
	var cur strings.Builder
	quoted, started := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, started = !quoted, true
		case r == ' ' && !quoted:
			if started {
				out = append(out, cur.String())
			}
			cur.Reset()
			started = false
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

// usageFlag finds the flags a usage line names: [--tune TITLE], -o OUT.
var usageFlag = regexp.MustCompile(`(^|[\s\[|])(--?[a-z][a-z0-9-]*)`)

// Every command's --help is its usage, each flag its FlagSet defines with
// the flag's description, and examples that the command's flags parse; on
// stdout, exit 0; sideman help CMD and CMD -h print the same.
func TestHelpEveryCommand(t *testing.T) {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 11 {
		t.Fatalf("%d commands registered: %v", len(names), names)
	}
	for _, name := range names {
		c := commands[name]
		status, out, errs := sideman(t, name, "--help")
		if status != 0 || errs != "" || !strings.HasPrefix(out, "usage: sideman "+name) {
			t.Errorf("%s --help: status %d, stderr %q, stdout %.80q", name, status, errs, out)
			continue
		}
		for _, alt := range [][]string{{"help", name}, {name, "-h"}} {
			if s, o, _ := sideman(t, alt...); s != 0 || o != out {
				t.Errorf("%s: status %d, output differs from %s --help:\n%s", strings.Join(alt, " "), s, name, o)
			}
		}
		// Each flag a row of its own: -o or --name, then its description.
		rows := 0
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  -") {
				rows++
			}
		}
		defined := 0
		for _, fs := range commandFlags(c) {
			fs.VisitAll(func(f *flag.Flag) {
				defined++
				_, desc := flag.UnquoteUsage(f)
				if !strings.Contains(out, "\n  "+dash(f.Name)+" ") && !strings.Contains(out, "\n  "+dash(f.Name)+"\n") {
					t.Errorf("%s --help: no row for %s", name, dash(f.Name))
				}
				if !strings.Contains(out, desc) {
					t.Errorf("%s --help: no description of %s (%q)", name, dash(f.Name), desc)
				}
			})
		}
		if rows != defined {
			t.Errorf("%s --help: %d flag rows for %d flags defined", name, rows, defined)
		}
		// Every flag the usage line names is defined and has its row.
		for _, m := range usageFlag.FindAllStringSubmatch(c.usage, -1) {
			if !strings.Contains(out, "\n  "+m[2]+" ") && !strings.Contains(out, "\n  "+m[2]+"\n") {
				t.Errorf("%s --help: the usage names %s but no row lists it", name, m[2])
			}
		}
		i := strings.Index(out, "\nexamples:\n")
		if i < 0 || len(c.examples) == 0 {
			t.Errorf("%s --help: no examples", name)
			continue
		}
		for _, e := range c.examples {
			if !strings.Contains(out[i:], "\n  "+e+"\n") {
				t.Errorf("%s --help: example %q not listed", name, e)
			}
			checkExample(t, name, c, e)
		}
	}
}

// checkExample parses an example's flags with its command's flags: an
// example with a flag the command lacks, or a bad value, fails.
func checkExample(t *testing.T, name string, c command, example string) {
	t.Helper()
	w := words(example)
	if len(w) < 2 || w[0] != "sideman" || w[1] != name && !(name == "version" && w[1] == "--version") {
		t.Errorf("example %q does not start sideman %s", example, name)
		return
	}
	args := w[2:]
	want := name
	if len(c.subcommands) > 0 && len(args) > 0 {
		want = name + " " + args[0]
		args = args[1:]
	}
	for _, fs := range commandFlags(c) {
		if fs.Name() != want {
			continue
		}
		if _, err := parseFlags(fs, args); err != nil {
			t.Errorf("example %q: %v", example, err)
		}
		return
	}
	if len(c.subcommands) > 0 && want != name+" list" {
		t.Errorf("example %q: no flags found for %s", example, want)
	}
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		status, out, _ := sideman(t, args...)
		if status != 0 {
			t.Errorf("%v: status %d", args, status)
		}
		for name, c := range commands {
			if !strings.Contains(out, "\n  "+name+" ") || !strings.Contains(out, c.summary) {
				t.Errorf("%v: %s missing from\n%s", args, name, out)
			}
		}
	}
}

// band --help shows its defaults, in the order of its usage line.
func TestBandHelpFlags(t *testing.T) {
	_, out, _ := sideman(t, "band", "--help")
	for _, want := range []string{
		"\n  --tune TITLE ",
		"\n  --choruses N ",
		"choruses of the form (default 1)",
		"same seed, same band (default 1)",
		"\n  -o OUT.mid ",
		"\n  --intro ", // a switch takes nothing
	} {
		if !strings.Contains(out, want) {
			t.Errorf("band --help lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "--tune") > strings.Index(out, "--soundfont") {
		t.Errorf("--tune after --soundfont: not the usage line's order\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	s1, v1, _ := sideman(t, "--version")
	s2, v2, _ := sideman(t, "version")
	if s1 != 0 || s2 != 0 || v1 != v2 || !strings.HasPrefix(v1, "sideman ") || !strings.Contains(v1, runtime.Version()) {
		t.Fatalf("--version: %d %q; version: %d %q", s1, v1, s2, v2)
	}
	built := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "sideman", Version: "v0.0.0-20261206182022-91d9aa95697d+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "91d9aa95697d6c5ed583d0d818bcabc1a1aa00c3"},
			{Key: "vcs.time", Value: "2026-12-06T18:20:22Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	want := "sideman v0.0.0-20261206182022-91d9aa95697d+dirty (git 91d9aa95697d, 2026-12-06T18:20:22Z, uncommitted changes) go1.26.8"
	if got := versionLine(built); got != want {
		t.Errorf("versionLine = %q\nwant %q", got, want)
	}
	built.Main.Version, built.Settings = "v1.2.0", nil // go install sideman/cmd/sideman@v1.2.0
	if got := versionLine(built); got != "sideman v1.2.0 go1.26.8" {
		t.Errorf("versionLine = %q", got)
	}
}

// A slip gets the name meant: a command, a flag, a style, a tune title.
func TestSuggestions(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.abc")
	os.WriteFile(book, []byte("X:1\nT:Autumn Leaves\nM:4/4\nL:1/4\nK:Em\n\"Am7\"A B c d|\n\nX:2\nT:Blue Bossa\nM:4/4\nL:1/4\nK:Cm\n\"Cm7\"G2 c2|\n"), 0o644)
	out := filepath.Join(dir, "x.mid")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bnad"}, `unknown command "bnad"; did you mean band?`},
		{[]string{"stlyes"}, `did you mean styles?`},
		{[]string{"help", "convret"}, `did you mean convert?`},
		{[]string{"band", "../../examples/blues-f.chart", "--tmepo", "120", "-o", out}, "unknown flag --tmepo; did you mean --tempo?"},
		{[]string{"band", "../../examples/blues-f.chart", "--chorus", "2", "-o", out}, "unknown flag --chorus; did you mean --choruses?"},
		{[]string{"inspect", "../../examples/blues-f.chart", "-json"}, ""}, // one dash is fine
		{[]string{"band", "../../examples/blues-f.chart", "--style", "bosa-nova", "-o", out}, `unknown style "bosa-nova"; styles: `}, {[]string{"band", "../../examples/blues-f.chart", "--style", "bosa-nova", "-o", out}, `; did you mean "bossa-nova"?`},
		{[]string{"band", "../../examples/blues-f.chart", "--style", "medium swnig", "-o", out}, `did you mean "medium-swing"?`},
		{[]string{"band", "../../examples/blues-f.chart", "--feel", "swing-rythm", "-o", out}, `; did you mean "swing-rhythm"?`},
		{[]string{"feel", "lern"}, `; did you mean "learn"?`},
		{[]string{"band", "../../examples/blues-f.chart", "--tempo", "fast", "-o", out}, `--tempo "fast": want a whole number`},
		{[]string{"band", "../../examples/blues-f.chart", "--intro=maybe", "-o", out}, `--intro "maybe": want true or false`},
		{[]string{"inspect", book, "--tune", "Autum Leaves"}, `no tune titled "Autum Leaves"; did you mean "Autumn Leaves"?`},
		{[]string{"band", book, "--tune", "blue bosa", "-o", out}, `did you mean "Blue Bossa"?`},
	} {
		status, _, errs := sideman(t, tc.args...)
		if tc.want == "" {
			if status != 0 {
				t.Errorf("%v: status %d: %s", tc.args, status, errs)
			}
			continue
		}
		if status != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stderr %q; want 2 and %q", tc.args, status, errs, tc.want)
		}
		if first, _, _ := strings.Cut(errs, "\n"); !strings.Contains(first, tc.want) {
			t.Errorf("%v: the suggestion is not on the first line: %q", tc.args, errs)
		}
	}
	// No guess for what is not a slip.
	if _, _, errs := sideman(t, "play"); strings.Contains(errs, "did you mean") {
		t.Errorf("play: %s", errs)
	}
}

// The issue's own example, on JazzStandards: --tune "Autum Leaves".
func TestSuggestTuneJazzStandards(t *testing.T) {
	path := filepath.Join(shareddata.Dir(t, "jazz-standards"), "JazzStandards.json")
	status, _, errs := sideman(t, "band", path, "--tune", "Autum Leaves", "-o", filepath.Join(t.TempDir(), "x.mid"))
	if status != 2 || !strings.Contains(errs, `did you mean "Autumn Leaves"?`) {
		t.Errorf("status %d: %s", status, errs)
	}
}
