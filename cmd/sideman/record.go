package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"sideman/project"
)

func init() {
	register("record", command{
		summary: "bring a person's notes into the project: played (captured) or written (entered) by you; a changed file of the project's notes records your changes and deletions",
		usage:   "sideman record IN.mid --as played|written [--project DIR] [--key PATH]",
		examples: []string{
			"sideman record take3.mid --as played",
			"sideman record lick.mid --as written --project ~/songs/blues",
		},
		run: recordCommand,
	})
}

// actsCommand parses an act's flags and positional file; as is the
// --as flag where the command has one.
func actsCommand(name string, args []string, errs io.Writer, as *string) (*project.Project, string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	if as != nil {
		fs.StringVar(as, "as", "", "how you made the notes: played (on an instrument) or written (typed or drawn note by note)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, "", err
	}
	if len(pos) != 1 {
		return nil, "", usageError{"want one MIDI file"}
	}
	if as != nil && *as == "" {
		return nil, "", usageError{"want --as played or --as written"}
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return nil, "", err
	}
	return proj, pos[0], nil
}

func recordCommand(args []string, out, errs io.Writer) error {
	var as string
	proj, name, err := actsCommand("record", args, errs, &as)
	if err != nil {
		return err
	}
	how, err := project.ParseRecordAs(as)
	if err != nil {
		return err
	}
	a, err := proj.Record(ctx, name, how)
	if err != nil {
		return err
	}
	printActs(out, a)
	return nil
}

// printActs says in one line what an act recorded.
func printActs(w io.Writer, a *project.Acts) {
	var said []string
	if a.Selected > 0 {
		s := fmt.Sprintf("your choice of %s (%s)", a.Chose, countNotes(a.Selected))
		if a.Among > 0 {
			s += fmt.Sprintf(" among %d candidates, %s of the others left out", a.Among, countNotes(a.Rejected))
		}
		said = append(said, s)
	}
	if a.New > 0 {
		said = append(said, fmt.Sprintf("%s %s by you", countNotes(a.New), a.As))
	}
	if a.Modified > 0 {
		var f []string
		for _, k := range []string{"part", "start", "duration", "pitch", "velocity"} {
			if a.Fields[k] > 0 {
				f = append(f, fmt.Sprintf("%s %d", k, a.Fields[k]))
			}
		}
		said = append(said, fmt.Sprintf("%s changed by you (%s)", countNotes(a.Modified), strings.Join(f, ", ")))
	}
	if a.Deleted > 0 {
		said = append(said, fmt.Sprintf("%s deleted", countNotes(a.Deleted)))
	}
	if len(said) == 0 {
		fmt.Fprintf(w, "%s: nothing new: its %s are the project's as they are\n", a.Name, countNotes(a.Unchanged))
		return
	}
	fmt.Fprintf(w, "%s: recorded %s; %s unchanged\n", a.Name, strings.Join(said, "; "), countNotes(a.Unchanged))
}

func countNotes(n int) string {
	if n == 1 {
		return "1 note"
	}
	return fmt.Sprintf("%d notes", n)
}
