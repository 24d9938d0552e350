package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"sideman/authorship"
	"sideman/ledger"
	"sideman/music"
)

// ReportBar is the length of a bar in the authorship report: 4/4 at 960
// ticks a quarter. The ledger keeps each note's part and tick, not the
// meter it was played in, so the report counts bars of four quarters
// from tick 0 (a waltz's bars are counted in fours too).
const ReportBar = 4 * music.PPQ

// AuthorshipInput fills the authorship report's Input from the project's
// ledger (issue 16 items 5 and 6): every note in the piece (not deleted,
// not a rejected candidate) with its class, part and bar; the person's
// selections; the machine's generations as prompts; the head hash.
// Notes imported with no word of who made them (a plain file read, never
// brought in with sideman record) have no class the report takes: they
// are left out, and Unknown counts them.
//
// A note's part, in the report, is who made it (the ledger keeps a
// note's part number in its file, not the part's name): a person's notes
// are the "author's part" (with the part's number in its file after the
// first); a machine's are its generator's part: the band's role (bass,
// piano, drums, ...), "trade answers" ("drummer's answers" trading with
// the drummer), "solo", "variation".
func (p *Project) AuthorshipInput(ctx context.Context) (in *authorship.Input, unknown int, err error) {
	r := p.Ledger
	if r == nil {
		return nil, 0, errNoProject("authorship report")
	}
	hist, err := r.histories(ctx)
	if err != nil {
		return nil, 0, err
	}
	head, err := r.ledger.Head(ctx)
	if err != nil {
		return nil, 0, &Error{BadInput, ledgerPath(r.root), err}
	}
	name := filepath.Base(r.root)
	in = &authorship.Input{Project: name, Title: name, Head: head.Hash, Acts: []authorship.Act{}, Prompts: []authorship.Prompt{}}
	parts := map[music.NoteID]string{}
	for _, id := range slices.Sorted(maps.Keys(hist)) {
		h := hist[id]
		if !live(h) {
			continue
		}
		c := authorship.Class(h.Class)
		if !slices.Contains(authorship.Classes, c) {
			unknown++
			continue
		}
		n := authorship.Note{ID: id, Part: partName(h), Bar: barOf(h.State.Tick), Start: max(h.State.Tick, 0),
			Duration: max(h.State.Dur, 0), Pitch: h.State.Pitch, Class: c, Played: h.Source == ledger.DigitalCapture}
		parts[id] = n.Part
		switch h.Source {
		case ledger.TrainedAlgorithmicMedia, ledger.CompositeWithTrainedAlgorithmicMedia:
			n.Made, n.Generator = authorship.ByModel, h.Generator
		case ledger.AlgorithmicMedia:
			n.Made, n.Generator = authorship.ByRules, h.Generator
		}
		for _, f := range h.HumanFields {
			if f != "part" { // a note moved to another part: its fields say the rest
				n.Changed = append(n.Changed, f)
			}
		}
		for _, s := range h.Steps {
			if s = s[strings.LastIndexByte(s, '/')+1:]; !slices.Contains(n.Steps, s) {
				n.Steps = append(n.Steps, s)
			}
		}
		in.Notes = append(in.Notes, n)
	}
	seenPrompt := map[authorship.Prompt]bool{}
	for rec, err := range r.ledger.Records(ctx, 0) {
		if err != nil {
			return nil, 0, &Error{BadInput, ledgerPath(r.root), err}
		}
		switch {
		case rec.Op == ledger.Select && rec.Actor == ledger.Human:
			a := authorship.Act{Kind: authorship.Selection, Who: "the author"}
			a.Part, a.FirstBar, a.LastBar = span(rec.Notes, hist, parts)
			if rec.Gen != nil {
				a.Chose = rec.Gen.Params["chose"]
				a.Among, _ = strconv.Atoi(rec.Gen.Params["among"])
			}
			in.Acts = append(in.Acts, a)
		case rec.Op == ledger.Arrange && rec.Actor == ledger.Human:
			a := authorship.Act{Kind: authorship.Arrangement, Who: "the author", What: "placement of material"}
			a.Part, a.FirstBar, a.LastBar = span(rec.Notes, hist, parts)
			in.Acts = append(in.Acts, a)
		case (rec.Op == ledger.Generate || rec.Op == ledger.Transform) && rec.Actor == ledger.Machine && rec.Gen != nil:
			g := rec.Gen
			pr := authorship.Prompt{Generator: g.Generator, Model: g.Model}
			if s, err := strconv.ParseUint(g.Seed, 10, 64); err == nil {
				pr.Seed = int64(s)
			}
			var kv []string
			for _, k := range slices.Sorted(maps.Keys(g.Params)) {
				kv = append(kv, k+"="+g.Params[k])
			}
			pr.Params = strings.Join(kv, " ")
			if !seenPrompt[pr] {
				seenPrompt[pr] = true
				in.Prompts = append(in.Prompts, pr)
			}
		}
	}
	return in, unknown, nil
}

// AuthorshipReport makes the project's authorship report and writes it
// to w in format f (authorship.Write). roll, when not "", is the path the
// Markdown report links its piano roll at (the caller writes it with the
// Report's WriteSVG); "" carries it inside the report.
func (p *Project) AuthorshipReport(ctx context.Context, f authorship.Format, w io.Writer, roll string) (rep *authorship.Report, unknown int, err error) {
	in, unknown, err := p.AuthorshipInput(ctx)
	if err != nil {
		return nil, 0, err
	}
	rep, err = authorship.New(in)
	var ie *authorship.InputError
	if errors.As(err, &ie) {
		return nil, 0, &Error{BadInput, ledgerPath(p.Ledger.root), err}
	}
	if err != nil {
		return nil, 0, err
	}
	rep.RollLink = roll
	if err := rep.Encode(w, f); err != nil {
		return nil, 0, err
	}
	return rep, unknown, nil
}

func barOf(t music.Ticks) int { return int(max(t, 0)/ReportBar) + 1 }

// partName says who made a note, as the report's parts.
func partName(h ledger.NoteHistory) string {
	g := h.Generator
	switch {
	case h.Class == ledger.ClassH || h.Class == ledger.ClassHAlg:
		// Played or written: the report's texts say which.
		if h.State.Part > 0 {
			return fmt.Sprintf("author's part %d", h.State.Part+1)
		}
		return "author's part"
	case strings.HasPrefix(g, "band/"):
		// band/ROLE/NAME: the band's bass, piano, drums...
		if f := strings.Split(g, "/"); len(f) > 2 && f[1] != "" {
			return f[1]
		}
		return strings.TrimPrefix(g, "band/")
	case g == "improv/trade" && h.Source == ledger.AlgorithmicMedia:
		return "drummer's answers" // trade.Drums: no model
	case g == "improv/trade":
		return "trade answers"
	case g == "improv/vary":
		return "variation"
	case strings.HasPrefix(g, "improv/"):
		return strings.TrimPrefix(g, "improv/")
	case g != "":
		return g
	}
	return "machine"
}

// span is the part and bars of an act's notes.
func span(ids []music.NoteID, hist map[music.NoteID]ledger.NoteHistory, parts map[music.NoteID]string) (part string, first, last int) {
	for _, id := range ids {
		h, ok := hist[id]
		if !ok {
			continue
		}
		b := barOf(h.State.Tick)
		if first == 0 || b < first {
			first = b
		}
		last = max(last, b)
		if part == "" {
			part = parts[id]
		}
	}
	return part, first, last
}
