package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/feel"
	"sideman/format/midi"
	"sideman/internal/output"
	"sideman/internal/quote"
	"sideman/load"
	"sideman/music"
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
	if !(*amount >= 0 && *amount <= 1) { // NaN compares false: refused too
		return usageError{fmt.Sprintf("--amount %g: want 0 to 1", *amount)}
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI}, pos[0], *feelName)
	if err != nil {
		return err
	}
	prof, err := openFeel(*feelName)
	if err != nil {
		return err
	}
	d, err := open(pos[0], errs)
	if err != nil {
		return err
	}
	if d.Piece == nil || d.MIDI == nil {
		return &load.InputError{Name: d.Name, Err: fmt.Errorf("is %s, not a MIDI file; play a chart with sideman band --feel", d.Format)}
	}
	p := d.Piece
	if prof != nil {
		opt := feel.Options{Amount: *amount, Seed: *seed}
		if opt.Roles, err = partRoles(p, prof, roles); err != nil {
			return err
		}
		if err := sayRoles(errs, d.Name, p, prof, opt); err != nil {
			return err
		}
		p = feel.Humanize(p, prof, opt)
	}
	return inputFault(d.Name, writeTo(target, stdout, func(w io.Writer) error { return midi.EncodePiece(w, p) }))
}

// partRoles reads the --role values, PART=ROLE, where PART is a part's
// number as sideman inspect lists it or its name, and ROLE a role the
// feel has.
func partRoles(p *music.Piece, prof *feel.Profile, values []string) (map[int]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := map[int]string{}
	for _, v := range values {
		part, role, ok := strings.Cut(v, "=")
		part, role = strings.TrimSpace(part), strings.ToLower(strings.TrimSpace(role))
		if !ok || part == "" || role == "" {
			return nil, usageError{fmt.Sprintf("--role %q: want PART=ROLE, as 0=piano or Melody=soloist", v)}
		}
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(p.Parts) {
			i = -1
			for k := range p.Parts {
				if strings.EqualFold(p.Parts[k].Name, part) {
					i = k
					break
				}
			}
		}
		if i < 0 {
			return nil, usageError{fmt.Sprintf("--role %q: no part %s; the piece has %s", v, part, partNames(p))}
		}
		if prof.Roles[role] == nil {
			return nil, usageError{fmt.Sprintf("--role %q: %s has no role %s; it has %s", v, prof.Name, role, strings.Join(profileRoles(prof), ", "))}
		}
		out[i] = role
	}
	return out, nil
}

// sayRoles tells, on stderr, which role of the feel plays a part whose own
// role the feel lacks: such a part takes another role's timing, and a
// listener should know which. A part the feel cannot play at all is
// refused, naming the file.
func sayRoles(errs io.Writer, name string, p *music.Piece, prof *feel.Profile, opt feel.Options) error {
	// A few lines, not one a part: a file can hold 65,535 tracks.
	const most = 8
	said := 0
	for _, a := range feel.Plan(p, prof, opt) {
		part := &p.Parts[a.Part]
		switch {
		case a.As == "":
			return &load.InputError{Name: name, Err: fmt.Errorf("part %d %s: the feel %s has no role to play its %s notes as", a.Part, quote.Input(part.Name), prof.Name, a.Role)}
		case a.As != a.Role:
			if said++; said <= most {
				fmt.Fprintf(errs, "humanize: part %d %s: %s has no %s; its %d notes take the %s's timing (say another with --role %d=ROLE: %s)\n",
					a.Part, quote.Input(part.Name), prof.Name, a.Role, a.Notes, a.As, a.Part, strings.Join(profileRoles(prof), ", "))
			}
		}
	}
	if said > most {
		fmt.Fprintf(errs, "humanize: %d more parts take another role's timing (sideman inspect lists the parts)\n", said-most)
	}
	return nil
}

// profileRoles are the roles a feel has, in feel.Roles order.
func profileRoles(prof *feel.Profile) []string {
	var out []string
	for _, r := range feel.Roles {
		if prof.Roles[r] != nil {
			out = append(out, r)
		}
	}
	return out
}

func partNames(p *music.Piece) string {
	var out []string
	for i, part := range p.Parts {
		out = append(out, fmt.Sprintf("%d %q", i, part.Name))
	}
	if len(out) == 0 {
		return "no parts"
	}
	return strings.Join(out, ", ")
}
