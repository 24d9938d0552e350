package studio

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"sideman/music"
	"sideman/project"
)

// editNote records a person's change to one note of the last band or
// trade (dragged on the piano roll, nudged from the keyboard) through
// project.EditNote, and answers the note as it is now with its class
// from the ledger (a machine's note becomes M+h).
func (s *Server) editNote(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID       string   `json:"id"`
		Pitch    *int     `json:"pitch"`
		Velocity *int     `json:"velocity"`
		StartMS  *float64 `json:"start_ms"`
		DurMS    *float64 `json:"duration_ms"`
	}
	if err := s.decode(w, r, &req); err != nil {
		fail(w, status(err), err)
		return
	}
	id, err := strconv.ParseUint(req.ID, 10, 64)
	if err != nil || id == 0 {
		fail(w, http.StatusBadRequest, errors.New(`id: want a note's id as the page has it ("123")`))
		return
	}
	var ch project.NoteChange
	byte7 := func(name string, v *int) (*uint8, error) {
		if v == nil {
			return nil, nil
		}
		if *v < 0 || *v > 127 {
			return nil, &project.Error{Kind: project.BadInput, Name: name, Err: errors.New("want 0 to 127")}
		}
		b := uint8(*v)
		return &b, nil
	}
	if ch.Pitch, err = byte7("pitch", req.Pitch); err == nil {
		ch.Velocity, err = byte7("velocity", req.Velocity)
	}
	for _, ms := range []*float64{req.StartMS, req.DurMS} {
		if ms != nil && (math.IsNaN(*ms) || math.IsInf(*ms, 0) || *ms < 0 || *ms > 24*3600e3) {
			err = &project.Error{Kind: project.BadInput, Name: "time", Err: errors.New("start_ms and duration_ms: want 0 to a day")}
		}
	}
	if err != nil {
		fail(w, status(err), err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		fail(w, http.StatusNotFound, errors.New("nothing to edit yet: play the band or trade first"))
		return
	}
	pi, ni := noteIndex(s.last, music.NoteID(id))
	if pi < 0 {
		fail(w, http.StatusNotFound, errors.New("note "+req.ID+": not in the last band or trade"))
		return
	}
	old := s.last.Parts[pi].Notes[ni]
	if req.StartMS != nil {
		t := tickAt(s.last.Tempo, *req.StartMS/1000)
		ch.Start = &t
	}
	if req.DurMS != nil {
		start := old.Start
		if ch.Start != nil {
			start = *ch.Start
		}
		d := max(tickAt(s.last.Tempo, s.last.Tempo.Seconds(start)+*req.DurMS/1000)-start, 1)
		ch.Duration = &d
	}
	ed, err := s.proj.EditNote(r.Context(), music.NoteID(id), ch)
	if err != nil {
		fail(w, status(err), err)
		return
	}
	if err := s.commit(r.Context()); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	// The piece is changed by copy: an export may be rendering the old
	// one outside the lock.
	p := *s.last
	p.Parts = append([]music.Part(nil), p.Parts...)
	part := &p.Parts[pi]
	part.Notes = append([]music.Note(nil), part.Notes...)
	n := &part.Notes[ni]
	n.Pitch, n.Velocity, n.Start, n.Duration = ed.State.Pitch, ed.State.Vel, ed.State.Tick, ed.State.Dur
	// The person's change in the note's Origin too, as in the ledger: the
	// note offered as an alternative or exported next says M+h.
	n.Origin = ed.Origin(n.Origin)
	music.SortNotes(part.Notes)
	s.last = &p
	start := 1000 * p.Tempo.Seconds(ed.State.Tick) // n is another note once sorted
	reply(w, struct {
		noteJSON
		Fields []string `json:"fields"`
	}{noteJSON{ID: req.ID, Part: part.Name, Channel: part.Channel, Program: part.Program, Pitch: ed.State.Pitch,
		Velocity: ed.State.Vel, StartMS: round3(start), DurMS: round3(1000*p.Tempo.Seconds(ed.State.Tick+ed.State.Dur) - start),
		Class: string(ed.Class)}, ed.Fields})
}

// noteIndex finds a note of a piece by id: its part's and its own index
// (-1 when it is not there).
func noteIndex(p *music.Piece, id music.NoteID) (int, int) {
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			if p.Parts[i].Notes[j].ID == id {
				return i, j
			}
		}
	}
	return -1, -1
}

// tickAt is the tick sounding at sec seconds through a tempo map (the
// inverse of TempoMap.Seconds).
func tickAt(m music.TempoMap, sec float64) music.Ticks {
	if sec <= 0 {
		return 0
	}
	mpq := int64(500000) // an empty map is 120 bpm
	var at music.Ticks
	var t float64
	for _, c := range m {
		if c.At > at {
			next := t + float64(c.At-at)*float64(mpq)/1e6/music.PPQ
			if next >= sec {
				break
			}
			t, at = next, c.At
		}
		mpq = c.MicrosPerQuarter
	}
	return at + music.Ticks(math.Round((sec-t)*1e6/float64(mpq)*music.PPQ))
}
