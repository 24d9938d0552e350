package project

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"sideman/improv/motif"
	"sideman/ledger"
	"sideman/model"
	"sideman/music"
)

// Alternatives are other takes on some of a machine's notes (an answer,
// a range of the band's bars) for a person to choose among in the
// studio: candidate 0 is the notes as they are, 1 to K the variations
// Alternatives made of them (motif.Vary, ranked by the style model),
// each placed where the notes sound. Choose records the choice.
type Alternatives struct {
	// Notes are the notes varied (candidate 0), Pieces[i] candidate i+1.
	Notes  []music.Note
	Pieces []*music.Piece
}

// MaxAlternatives is how many alternatives the studio may ask for at once.
const MaxAlternatives = 16

// Alternatives makes k alternatives (1 to MaxAlternatives) to notes, a
// machine's notes of a piece the project made (their meter is the
// piece's at the first): varied as Vary varies a motif, over chart when
// it has chords, scored by model ("" the built-in), drawn by seed: the
// best k that sound where the notes are (fewer when the notes give
// fewer). Each is recorded as generated. Fewer than two notes, or more than a
// motif's limits, is BadInput.
func (p *Project) Alternatives(ctx context.Context, notes []music.Note, meter music.Meter, chart *music.Chart, k int, modelName string, seed uint64) (*Alternatives, error) {
	if k < 1 || k > MaxAlternatives {
		return nil, &OptionError{"k", strconv.Itoa(k), fmt.Errorf("want 1 to %d", MaxAlternatives)}
	}
	if len(notes) < 2 || len(notes) > MaxMotifNotes {
		return nil, &Error{BadInput, "alternatives", fmt.Errorf("%d notes: want 2 to %d of the machine's notes", len(notes), MaxMotifNotes)}
	}
	if chart != nil && !hasChords(chart) {
		chart = nil
	}
	mod, name, hash, err := p.soloModel(ctx, modelName)
	if err != nil {
		return nil, err
	}
	m, err := motif.New(notes, meter, chart)
	if err != nil {
		return nil, &Error{BadInput, "alternatives", err}
	}
	// Ranked all, for the best k that sound where the notes are: a
	// variation moved to later bars (motif.Variation.At) replaces nothing.
	n := max(64, 8*k)
	res, err := motif.Vary(ctx, m, motif.Options{N: n, Top: n, Seed: seed, Model: mod})
	if err != nil {
		if errors.Is(err, model.ErrViewpoint) {
			return nil, &Error{BadInput, name, unprefixed{err}}
		}
		return nil, err
	}
	ids := p.IDs
	if ids == nil {
		ids = music.IDsFor("alternatives\x00" + strconv.FormatUint(seed, 10))
	}
	alt := &Alternatives{Notes: slices.Clone(notes)}
	params := fmt.Sprintf("seed=%d model=%s hash=%s", seed, name, hash)
	// The bars the notes are in: an alternative sounds in them alone.
	bar := meter.BarTicks()
	var last music.Ticks
	for _, n := range notes {
		last = max(last, n.Start)
	}
	end := (last/bar + 1) * bar
	for _, c := range res.Ranked {
		if c.At != 0 || len(alt.Pieces) == k {
			continue
		}
		i := len(alt.Pieces)
		ns := c.MusicNotes(m, ids, params)
		if slices.ContainsFunc(ns, func(n music.Note) bool { return n.Start >= end }) {
			continue
		}
		for j := range ns { // in the part of the notes they may replace
			ns[j].Part, ns[j].Channel = notes[0].Part, notes[0].Channel
		}
		out := &music.Piece{Parts: []music.Part{{Name: fmt.Sprintf("alternative %d", i+1), Role: music.RoleMelody, Notes: ns}}}
		alt.Pieces = append(alt.Pieces, out)
		p.record(out, Generation{Seed: strconv.FormatUint(seed, 10), Model: hash,
			Params: map[string]string{"model": name, "candidate": strconv.Itoa(i + 1), "studio": "alternatives"}})
	}
	if len(alt.Pieces) == 0 {
		return nil, &Error{BadInput, "alternatives", errors.New("these notes give no variation")}
	}
	return alt, nil
}

// Choose records a person's choice of candidate i (0: the notes as they
// were) among the alternatives, as Select does for vary's files: the
// chosen notes selected ("alternative i among K"), every other
// candidate's notes rejected (left out of the piece). It returns the
// chosen notes. Commit is the caller's.
func (p *Project) Choose(ctx context.Context, a *Alternatives, i int) ([]music.Note, *Acts, error) {
	if p.Ledger == nil {
		return nil, nil, errNoProject("alternatives")
	}
	if i < 0 || i > len(a.Pieces) {
		return nil, nil, &OptionError{"choice", strconv.Itoa(i), fmt.Errorf("want 0 to %d", len(a.Pieces))}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	note, err := p.Ledger.lookup(ctx)
	if err != nil {
		return nil, nil, err
	}
	cands := [][]music.Note{a.Notes}
	for _, pc := range a.Pieces {
		cands = append(cands, pc.Parts[0].Notes)
	}
	sel := ledger.Record{Actor: ledger.Human, Op: ledger.Select}
	reject := ledger.Record{Actor: ledger.Human, Op: ledger.Reject}
	generator := ""
	for j, c := range cands {
		for _, n := range c {
			h, ok := note(n.ID)
			if !ok || !live(h) {
				if j == i {
					return nil, nil, &Error{BadInput, "alternatives", fmt.Errorf("note %d of the candidate chosen is no longer in the piece (chosen or edited since)", n.ID)}
				}
				continue
			}
			if j == i {
				sel.Notes = append(sel.Notes, n.ID)
				if generator == "" {
					generator = h.Generator
				}
			} else {
				reject.Notes = append(reject.Notes, n.ID)
			}
		}
	}
	chose := "alternative " + strconv.Itoa(i)
	if i == 0 {
		chose = "the notes as they were"
	}
	among := strconv.Itoa(len(cands))
	sel.Gen = &ledger.Generation{Generator: generator, Params: map[string]string{"chose": chose, "among": among, "studio": "alternatives"}}
	if generator == "" {
		sel.Gen.Generator = "unknown"
	}
	p.Ledger.add(sel)
	if len(reject.Notes) > 0 {
		p.Ledger.add(reject)
	}
	acts := &Acts{Name: "alternatives", Selected: len(sel.Notes), Chose: chose, Among: len(cands), Rejected: len(reject.Notes)}
	return slices.Clone(cands[i]), acts, nil
}
