package studio

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"sideman/music"
	"sideman/project"
)

// pendingAlternatives are the alternatives the page was last offered:
// of which part of the last piece.
type pendingAlternatives struct {
	alt  *project.Alternatives
	part int
}

// alternativesJSON is a candidate as the page auditions it.
type alternativeJSON struct {
	Index int        `json:"index"`
	Notes []noteJSON `json:"notes"`
}

// notesJSON are notes of part pi of piece p as the page has them.
func notesJSON(p *music.Piece, pi int, notes []music.Note) []noteJSON {
	part := p.Parts[pi]
	out := []noteJSON{}
	for _, n := range notes {
		start := 1000 * p.Tempo.Seconds(n.Start)
		out = append(out, noteJSON{ID: strconv.FormatUint(uint64(n.ID), 10), Part: part.Name, Channel: part.Channel,
			Program: part.Program, Pitch: n.Pitch, Velocity: n.Velocity, StartMS: round3(start),
			DurMS: round3(1000*p.Tempo.Seconds(n.End()) - start), Class: class(n.Origin)})
	}
	return out
}

// alternatives offers k other takes on a part's machine notes in a range
// of bars of the last band or trade (project.Alternatives): candidate 0
// the notes as they are, 1 to k the variations.
func (s *Server) alternatives(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Part    string `json:"part"`
		FromBar int    `json:"from_bar"`
		ToBar   int    `json:"to_bar"`
		K       int    `json:"k"`
		Seed    uint64 `json:"seed"`
	}
	if err := s.decode(w, r, &req); err != nil {
		fail(w, status(err), err)
		return
	}
	if req.K == 0 {
		req.K = 3
	}
	if req.FromBar < 1 || req.ToBar < req.FromBar || req.ToBar-req.FromBar >= project.MaxMotifBars {
		fail(w, http.StatusBadRequest, fmt.Errorf("bars %d to %d: want from_bar 1 or more, to_bar from it, at most %d bars", req.FromBar, req.ToBar, project.MaxMotifBars))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		fail(w, http.StatusNotFound, errors.New("nothing to choose in yet: play the band or trade first"))
		return
	}
	p := s.last
	pi := -1
	for i := range p.Parts {
		if p.Parts[i].Name == req.Part {
			pi = i
		}
	}
	if pi < 0 {
		fail(w, http.StatusNotFound, fmt.Errorf("part %q: not in the last band or trade", req.Part))
		return
	}
	meter := music.Meter{Num: 4, Den: 4}
	if len(p.Meters) > 0 {
		meter = p.Meters[0].Meter
	}
	bar := meter.BarTicks()
	from, to := music.Ticks(req.FromBar-1)*bar, music.Ticks(req.ToBar)*bar
	var notes []music.Note
	for _, n := range p.Parts[pi].Notes {
		if c := class(n.Origin); n.Start >= from && n.Start < to && (c == "M" || c == "M+h") {
			notes = append(notes, n)
		}
	}
	alt, err := s.proj.Alternatives(r.Context(), notes, meter, p.Chart, req.K, "", req.Seed)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	if err := s.commit(r.Context()); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	s.alts = &pendingAlternatives{alt: alt, part: pi}
	out := []alternativeJSON{{Index: 0, Notes: notesJSON(p, pi, alt.Notes)}}
	for i, c := range alt.Pieces {
		out = append(out, alternativeJSON{Index: i + 1, Notes: notesJSON(p, pi, c.Parts[0].Notes)})
	}
	reply(w, map[string]any{"part": req.Part, "candidates": out})
}

// choose records the person's choice among the alternatives last
// offered (project.Choose) and puts the chosen notes in the last piece
// in place of the notes they were offered for.
func (s *Server) choose(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Choice int `json:"choice"`
	}
	if err := s.decode(w, r, &req); err != nil {
		fail(w, status(err), err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.alts == nil || s.last == nil {
		fail(w, http.StatusNotFound, errors.New("no alternatives offered (POST /api/alternatives first)"))
		return
	}
	chosen, acts, err := s.proj.Choose(r.Context(), s.alts.alt, req.Choice)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	if err := s.commit(r.Context()); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	pi := s.alts.part
	gone := map[music.NoteID]bool{}
	for _, n := range s.alts.alt.Notes {
		gone[n.ID] = true
	}
	p := *s.last // changed by copy: an export may be reading the old one
	p.Parts = append([]music.Part(nil), p.Parts...)
	part := &p.Parts[pi]
	var kept []music.Note
	for _, n := range part.Notes {
		if !gone[n.ID] {
			kept = append(kept, n)
		}
	}
	part.Notes = append(kept, chosen...)
	music.SortNotes(part.Notes)
	removed := []string{}
	if req.Choice != 0 {
		for _, n := range s.alts.alt.Notes {
			removed = append(removed, strconv.FormatUint(uint64(n.ID), 10))
		}
	}
	s.last, s.alts = &p, nil
	reply(w, map[string]any{"chose": acts.Chose, "among": acts.Among, "selected": acts.Selected, "rejected": acts.Rejected,
		"removed": removed, "notes": notesJSON(&p, pi, chosen)})
}
