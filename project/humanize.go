package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"sideman/feel"
	"sideman/format/midi"
	"sideman/internal/quote"
	"sideman/load"
	"sideman/music"
)

// HumanizeOptions say how to humanize a MIDI file.
type HumanizeOptions struct {
	// Feel is a built-in feel's name or a .feel file; "none" leaves the
	// notes where they are.
	Feel string
	// Amount is how much of the feel, 0 (none) to 1 (as learned).
	Amount float64
	// Seed picks the fluctuations: the same seed gives the same file.
	Seed uint64
	// Roles play a part as a role of the feel, "PART=ROLE" each, as a
	// musician writes them: PART is a part's number (as inspect lists
	// the parts) or its name, ROLE a role the feel has.
	Roles []string
}

// Humanized is a MIDI file played with a feel.
type Humanized struct {
	// Piece is the file's notes with the feel, each keeping its id and
	// its Origin, marked as processed.
	Piece *music.Piece
	// Feel is the feel played with (nil for none).
	Feel *feel.Profile
	// Plan says which of the feel's roles plays each part's notes: where
	// As differs from Role, the feel lacks the part's own role.
	Plan []feel.Assignment
	name string // the input
}

// EncodeMIDI writes the humanized piece as a MIDI file, each note's id
// and Origin recorded in it.
func (h *Humanized) EncodeMIDI(w io.Writer) error {
	return inputError(h.name, midi.EncodePiece(w, h.Piece))
}

// Humanize reads a MIDI file and plays it with a human feel. Notes that
// sideman wrote keep their ids and Origins; a foreign file's notes take
// new ids.
func (p *Project) Humanize(ctx context.Context, name string, opt HumanizeOptions) (*Humanized, error) {
	if !(opt.Amount >= 0 && opt.Amount <= 1) { // NaN compares false: refused too
		return nil, &OptionError{"amount", fmt.Sprint(opt.Amount), errors.New("want 0 to 1")}
	}
	prof, err := Feel(opt.Feel)
	if err != nil {
		return nil, err
	}
	d, err := p.open(ctx, name)
	if err != nil {
		return nil, err
	}
	piece, err := midiPiece(d)
	if err != nil {
		return nil, err
	}
	out := &Humanized{Piece: piece, Feel: prof, name: d.Name}
	if prof == nil {
		return out, nil
	}
	fopt := feel.Options{Amount: opt.Amount, Seed: opt.Seed}
	if fopt.Roles, err = partRoles(piece, prof, opt.Roles); err != nil {
		return nil, err
	}
	out.Plan = feel.Plan(piece, prof, fopt)
	for _, a := range out.Plan {
		if a.As == "" {
			return nil, bad(d.Name, "part %d %s: the feel %s has no role to play its %s notes as", a.Part, quote.Input(piece.Parts[a.Part].Name), prof.Name, a.Role)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out.Piece = feel.Humanize(piece, prof, fopt)
	p.record(out.Piece, Generation{Seed: fmt.Sprint(opt.Seed), Params: map[string]string{"feel": prof.Name}})
	return out, nil
}

// midiPiece is a document's notes when it is a MIDI file.
func midiPiece(d *load.Document) (*music.Piece, error) {
	if d.Piece == nil || d.MIDI == nil {
		return nil, &Error{Unsupported, d.Name, fmt.Errorf("is %s, not a MIDI file", d.Format)}
	}
	return d.Piece, nil
}

// partRoles reads the roles asked for, PART=ROLE, where PART is a part's
// number as inspect lists it or its name, and ROLE a role the feel has.
func partRoles(p *music.Piece, prof *feel.Profile, values []string) (map[int]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := map[int]string{}
	for _, v := range values {
		part, role, ok := strings.Cut(v, "=")
		part, role = strings.TrimSpace(part), strings.ToLower(strings.TrimSpace(role))
		if !ok || part == "" || role == "" {
			return nil, &OptionError{"role", strconv.Quote(v), errors.New("want PART=ROLE, as 0=piano or Melody=soloist")}
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
			return nil, &OptionError{"role", strconv.Quote(v), fmt.Errorf("no part %s; the piece has %s", part, partNames(p))}
		}
		if prof.Roles[role] == nil {
			return nil, &OptionError{"role", strconv.Quote(v), fmt.Errorf("%s has no role %s; it has %s", prof.Name, role, strings.Join(FeelRoles(prof), ", "))}
		}
		out[i] = role
	}
	return out, nil
}

// FeelRoles are the roles a feel has, in feel.Roles order.
func FeelRoles(prof *feel.Profile) []string {
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
