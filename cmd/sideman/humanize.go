package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"sideman/internal/output"
	"sideman/internal/quote"
	"sideman/project"
)

func init() {
	register("humanize", command{
		summary: "play a MIDI file with a human feel: learned timing, swing, dynamics and articulation; ids and origins kept",
		usage:   "sideman humanize IN.mid --feel NAME|FILE.feel [--role PART=ROLE]... [--amount 0..1] [--seed N] -o OUT.mid",
		examples: []string{
			"sideman humanize blues-grid.mid --feel swing-rhythm -o blues-human.mid",
			"sideman humanize solo.mid --feel swing-soloist --amount 0.7 --seed 3 -o solo-human.mid",
			"sideman humanize waltz.mid --feel swing-rhythm --role Melody=ride -o waltz-human.mid",
		},
		run: humanize,
	})
}

func humanize(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("humanize", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	outPath := fs.String("o", "", "MIDI file to write (.mid); - is stdout")
	feelName := fs.String("feel", "", "a built-in feel (sideman feel list) or a .feel file")
	amount := fs.Float64("amount", 1, "how much of the feel, 0 (none) to 1 (as learned)")
	seed := fs.Uint64("seed", 1, "seed of the fluctuations; the same seed gives the same file")
	var roles []string
	fs.Func("role", "play a part (its number in sideman inspect, or its name) as a role of the feel: PART=ROLE; repeatable", func(v string) error {
		roles = append(roles, v)
		return nil
	})
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outPath == "" || *feelName == "" {
		return usageError{"want IN.mid, --feel and -o OUT.mid"}
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI}, pos[0], *feelName)
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	h, err := proj.Humanize(ctx, pos[0], project.HumanizeOptions{Feel: *feelName, Amount: *amount, Seed: *seed, Roles: roles})
	if err != nil {
		return hint(err, "play a chart with sideman band --feel")
	}
	sayRoles(errs, h)
	return writeTo(target, stdout, h.EncodeMIDI)
}

// sayRoles tells, on stderr, which role of the feel plays a part whose own
// role the feel lacks: such a part takes another role's timing, and a
// listener should know which.
func sayRoles(errs io.Writer, h *project.Humanized) {
	// A few lines, not one a part: a file can hold 65,535 tracks.
	const most = 8
	said := 0
	for _, a := range h.Plan {
		if a.As == a.Role {
			continue
		}
		if said++; said <= most {
			fmt.Fprintf(errs, "humanize: part %d %s: %s has no %s; its %d notes take the %s's timing (say another with --role %d=ROLE: %s)\n",
				a.Part, quote.Input(h.Piece.Parts[a.Part].Name), h.Feel.Name, a.Role, a.Notes, a.As, a.Part, strings.Join(project.FeelRoles(h.Feel), ", "))
		}
	}
	if said > most {
		fmt.Fprintf(errs, "humanize: %d more parts take another role's timing (sideman inspect lists the parts)\n", said-most)
	}
}
