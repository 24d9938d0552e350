package project

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"sideman/ledger"
	"sideman/load"
	"sideman/music"
)

// The human's acts (issue 16 item 7): a person's notes brought in
// (Record), a person's changes to what the project holds (Edit, or
// Record of a changed file) and a person's choice among a machine's
// candidates (Select). Each is recorded in the project's ledger with a
// human actor; none writes a file.

// RecordAs says how a person made the notes `sideman record` brings in.
type RecordAs string

const (
	// Played notes were played on an instrument (IPTC digitalCapture;
	// the ledger's capture).
	Played RecordAs = "played"
	// Written notes were typed or drawn, note by note (IPTC
	// digitalCreation; the ledger's enter).
	Written RecordAs = "written"
)

// ParseRecordAs reads "played" or "written".
func ParseRecordAs(s string) (RecordAs, error) {
	switch RecordAs(s) {
	case Played, Written:
		return RecordAs(s), nil
	}
	return "", &OptionError{"as", strconv.Quote(s), errors.New("want played or written")}
}

// Acts is what Record, Edit or Select recorded of a file.
type Acts struct {
	Name string `json:"file"`
	// New notes are a person's, brought in as As; Unchanged are the
	// project's notes the file holds as the ledger has them.
	New       int      `json:"new"`
	As        RecordAs `json:"as,omitempty"`
	Unchanged int      `json:"unchanged"`
	// Modified are the project's notes the person changed, Fields the
	// fields changed (part, start, duration, pitch, velocity) and how
	// many notes each; Deleted the project's notes the file no longer
	// holds.
	Modified int            `json:"modified"`
	Fields   map[string]int `json:"fields,omitempty"`
	Deleted  int            `json:"deleted"`
	// Selected are the notes of the chosen candidate, Chose its name (or
	// rank) and Among how many candidates there were (0: not known);
	// Rejected the notes of the others.
	Selected int    `json:"selected"`
	Chose    string `json:"chose,omitempty"`
	Among    int    `json:"among,omitempty"`
	Rejected int    `json:"rejected"`
}

// errNoProject is an act asked for outside a project: there is no ledger
// to record it in.
func errNoProject(name string) error {
	return &Error{BadInput, name, errors.New("the human's acts are recorded in a project's ledger: run it in a project (sideman init DIR) or name one with --project")}
}

// Record brings the notes of a file into the project as a person's:
// notes the ledger does not know as played (capture, digitalCapture) or
// written (enter, digitalCreation) by a person; notes it knows (by the
// ids a file sideman wrote carries, else by part, start, duration, pitch
// and velocity) that the person changed, as modified field by field; and
// the project's notes that were in the file and are gone from it, as
// deleted (Edit).
func (p *Project) Record(ctx context.Context, name string, as RecordAs) (*Acts, error) {
	if _, err := ParseRecordAs(string(as)); err != nil {
		return nil, err
	}
	return p.human(ctx, name, as, false)
}

// Edit records a person's changes to the project's notes that a file
// holds (one exported from the project and changed since, in a sequencer
// or by hand): the notes it matches (by the ids it carries, else by
// part, start, duration, pitch and velocity), changed, as modified field
// by field (humanEdits); the notes of the same parts and generations it
// no longer holds, as deleted; notes it adds, as written by the person.
// A note whose pitch or start changed is matched to the project's note at
// the same part and start (else the same part and pitch, within a bar)
// that the file lost. A file holding none of the project's notes is
// BadInput: a person's new notes come in with Record.
func (p *Project) Edit(ctx context.Context, name string) (*Acts, error) {
	return p.human(ctx, name, Written, true)
}

// readActs reads a file for an act: its notes with the ids it carries,
// the others numbered by the project, those the ledger knows by their
// fields given their ids back.
func (p *Project) readActs(ctx context.Context, name string) (*load.Document, []*music.Note, map[music.NoteID]ledger.NoteHistory, error) {
	if p.Ledger == nil {
		return nil, nil, nil, errNoProject(name)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	d, err := load.Options{IDs: p.IDs}.Open(name)
	if err != nil {
		return nil, nil, nil, err
	}
	hist, err := p.Ledger.histories(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := p.Ledger.rematch(ctx, d); err != nil {
		return nil, nil, nil, err
	}
	var notes []*music.Note
	add := func(parts []music.Part) {
		for i := range parts {
			for j := range parts[i].Notes {
				notes = append(notes, &parts[i].Notes[j])
			}
		}
	}
	if d.Piece != nil {
		add(d.Piece.Parts)
	}
	for _, c := range d.Charts {
		add(c.Parts)
	}
	if len(notes) == 0 {
		return nil, nil, nil, &Error{BadInput, d.Name, errors.New("holds no notes")}
	}
	return d, notes, hist, nil
}

func live(h ledger.NoteHistory) bool { return !h.Deleted && !h.Rejected }

func (p *Project) human(ctx context.Context, name string, as RecordAs, edit bool) (*Acts, error) {
	d, notes, hist, err := p.readActs(ctx, name)
	if err != nil {
		return nil, err
	}
	// The notes as the file was exported (at the ledger head it carries):
	// what the person changed is what differs from that, applied to the
	// notes as they are now (an algorithm may have processed them since).
	base := hist
	if d.MIDI != nil {
		if h := HeadOf(d.MIDI); h != "" {
			if at, ok, err := p.Ledger.historiesAt(ctx, h); err != nil {
				return nil, err
			} else if ok {
				base = at
			}
		}
	}
	was := func(id music.NoteID) ledger.NoteState {
		if h, ok := base[id]; ok {
			return h.State
		}
		return hist[id].State
	}
	acts := &Acts{Name: d.Name, Fields: map[string]int{}}
	type group struct {
		made uint64
		part int16
	}
	groups := map[group]bool{}
	matched := map[music.NoteID]bool{}
	var unmatched []*music.Note
	modify := ledger.Record{Actor: ledger.Human, Op: ledger.Modify, Source: ledger.HumanEdits}
	modified := func(id music.NoteID, file ledger.NoteState) {
		now := hist[id].State
		after := now
		for _, f := range was(id).Changed(file) {
			switch f {
			case "part":
				after.Part = file.Part
			case "start":
				after.Tick = file.Tick
			case "duration":
				after.Dur = file.Dur
			case "pitch":
				after.Pitch = file.Pitch
			case "velocity":
				after.Vel = file.Vel
			}
		}
		fields := now.Changed(after)
		if len(fields) == 0 {
			acts.Unchanged++
			return
		}
		for _, f := range fields {
			acts.Fields[f]++
		}
		acts.Modified++
		modify.Notes, modify.Before, modify.After = append(modify.Notes, id), append(modify.Before, now), append(modify.After, after)
	}
	for _, n := range notes {
		h, ok := hist[n.ID]
		if !ok || !live(h) || matched[n.ID] {
			unmatched = append(unmatched, n)
			continue
		}
		matched[n.ID] = true
		groups[group{h.Records[0], was(n.ID).Part}] = true
		modified(n.ID, ledger.StateOf(n))
	}
	// The project's notes of the same generations and parts that the
	// file does not hold: changed beyond recognition by their ids, or
	// deleted.
	type lostNote struct {
		id music.NoteID
		ledger.NoteState
	}
	var lost []lostNote
	for _, h := range hist {
		if live(h) && !matched[h.ID] && len(h.Records) > 0 && groups[group{h.Records[0], was(h.ID).Part}] {
			lost = append(lost, lostNote{h.ID, was(h.ID)})
		}
	}
	slices.SortFunc(lost, func(a, b lostNote) int { return cmp.Compare(a.id, b.id) })
	taken := make([]bool, len(lost))
	pair := func(n *music.Note, score func(h lostNote) (int, bool)) bool {
		best, bestScore := -1, 0
		for i, h := range lost {
			if taken[i] || h.Part != n.Part {
				continue
			}
			if s, ok := score(h); ok && (best < 0 || s < bestScore) {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			return false
		}
		taken[best] = true
		id := lost[best].id
		n.ID = id
		matched[id] = true
		modified(id, ledger.StateOf(n))
		return true
	}
	abs := func(x int) int { return max(x, -x) }
	var rest []*music.Note
	for _, n := range unmatched { // the same start: its pitch, length or loudness changed
		if !pair(n, func(h lostNote) (int, bool) {
			return abs(int(h.Pitch) - int(n.Pitch)), h.Tick == n.Start
		}) {
			rest = append(rest, n)
		}
	}
	unmatched, rest = rest, nil
	bar := int(4 * music.PPQ)
	for _, n := range unmatched { // the same pitch, moved within a bar
		if !pair(n, func(h lostNote) (int, bool) {
			d := abs(int(h.Tick - n.Start))
			return d, h.Pitch == n.Pitch && d <= bar
		}) {
			rest = append(rest, n)
		}
	}
	if edit && len(matched) == 0 {
		return nil, &Error{BadInput, d.Name, errors.New("holds none of the project's notes: bring a person's new notes in with sideman record --as played|written")}
	}
	made := ledger.Record{Actor: ledger.Human, Op: ledger.Capture, Source: ledger.DigitalCapture}
	if as == Written {
		made.Op, made.Source = ledger.Enter, ledger.DigitalCreation
	}
	for _, n := range rest {
		if _, ok := hist[n.ID]; ok || slices.Contains(made.Notes, n.ID) || n.ID == 0 {
			// An id the ledger had for another note (deleted, or a
			// foreign file's): a new one.
			n.ID = p.IDs.Next()
		}
		made.Notes, made.After = append(made.Notes, n.ID), append(made.After, ledger.StateOf(n))
	}
	acts.New = len(made.Notes)
	if acts.New > 0 {
		acts.As = as
		p.Ledger.add(made)
	}
	if len(modify.Notes) > 0 {
		p.Ledger.add(modify)
	}
	del := ledger.Record{Actor: ledger.Human, Op: ledger.Delete}
	for i, h := range lost {
		if !taken[i] {
			del.Notes, del.Before = append(del.Notes, h.id), append(del.Before, hist[h.id].State)
		}
	}
	if acts.Deleted = len(del.Notes); acts.Deleted > 0 {
		p.Ledger.add(del)
	}
	return acts, nil
}

// Select records a person's choice of one machine candidate: the notes
// of a file a machine made in the project (one of vary's). When the
// file's folder holds vary's index.json, the choice is of its rank among
// the variations there, and the notes of the others are recorded as
// rejected (left out of the piece). Selection does not change a note's
// class: it is counted apart, as the Copyright Office counts it.
func (p *Project) Select(ctx context.Context, name string) (*Acts, error) {
	d, notes, hist, err := p.readActs(ctx, name)
	if err != nil {
		return nil, err
	}
	acts := &Acts{Name: d.Name, Chose: filepath.Base(name)}
	sel := ledger.Record{Actor: ledger.Human, Op: ledger.Select}
	generator := ""
	for _, n := range notes {
		h, ok := hist[n.ID]
		if !ok || (h.Class != ledger.ClassM && h.Class != ledger.ClassMH) || slices.Contains(sel.Notes, n.ID) {
			continue
		}
		if h.Rejected {
			return nil, &Error{BadInput, d.Name, errors.New("is a candidate left out by an earlier choice: the ledger does not take a rejection back (choose among new candidates)")}
		}
		if !h.Deleted {
			sel.Notes = append(sel.Notes, n.ID)
			generator = cmp.Or(generator, h.Generator)
		}
	}
	if len(sel.Notes) == 0 {
		return nil, &Error{BadInput, d.Name, errors.New("holds no machine notes of the project: select chooses one of a machine's candidates (a file sideman vary wrote in the project)")}
	}
	reject := ledger.Record{Actor: ledger.Human, Op: ledger.Reject}
	if ix, ok := varyIndex(filepath.Join(filepath.Dir(name), "index.json")); ok {
		for _, v := range ix.Variations {
			if v.File == filepath.Base(name) {
				acts.Chose = "variation " + strconv.Itoa(v.Rank)
				acts.Among = len(ix.Variations)
				continue
			}
			for _, id := range v.NoteIDs {
				if h, ok := hist[id]; ok && live(h) && !slices.Contains(sel.Notes, id) && !slices.Contains(reject.Notes, id) {
					reject.Notes = append(reject.Notes, id)
				}
			}
		}
		if acts.Among == 0 {
			reject.Notes = nil // the index is not of this file's folder's variations
		}
	}
	params := map[string]string{"file": filepath.Base(name), "chose": acts.Chose}
	if acts.Among > 0 {
		params["among"] = strconv.Itoa(acts.Among)
	}
	// The generation details name the machine whose candidates these
	// were and the choice: a select record is a person's act.
	sel.Gen = &ledger.Generation{Generator: cmp.Or(generator, "unknown"), Params: params}
	acts.Selected = len(sel.Notes)
	p.Ledger.add(sel)
	if acts.Rejected = len(reject.Notes); acts.Rejected > 0 {
		p.Ledger.add(reject)
	}
	return acts, nil
}

func varyIndex(path string) (VaryIndex, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return VaryIndex{}, false
	}
	var ix VaryIndex
	if json.Unmarshal(b, &ix) != nil || len(ix.Variations) == 0 {
		return VaryIndex{}, false
	}
	return ix, true
}

// histories is every note the ledger tells of, by id, with what the
// command has recorded so far: a map of its own, made from the histories
// the recorder keeps (no read of the ledger, but for records another
// program appended since).
func (r *Recorder) histories(ctx context.Context) (map[music.NoteID]ledger.NoteHistory, error) {
	o, err := r.overlay(ctx, false)
	if err != nil {
		return nil, r.ledgerError(err, true)
	}
	return o.Map(), nil
}

// lookup finds a note's history as histories has it, for a few notes
// without a map of them all.
func (r *Recorder) lookup(ctx context.Context) (func(music.NoteID) (ledger.NoteHistory, bool), error) {
	o, err := r.overlay(ctx, false)
	if err != nil {
		return nil, r.ledgerError(err, true)
	}
	return o.Note, nil
}

// historiesAt is every note the ledger told of when its record with
// hash head was the last (false when no record has that hash): the
// histories the recorder keeps when head is the ledger's head, else a
// read of the records up to head.
func (r *Recorder) historiesAt(ctx context.Context, head string) (map[music.NoteID]ledger.NoteHistory, bool, error) {
	if err := r.catchUp(ctx); err != nil {
		return nil, false, err
	}
	if head == r.last {
		return r.hist.Map(), true, nil
	}
	h := ledger.NewHistories()
	for rec, err := range r.ledger.Records(ctx, 0) {
		if err == nil {
			err = h.Add(&rec)
		}
		if err != nil {
			return nil, false, &Error{BadInput, ledgerPath(r.root), err}
		}
		if rec.Hash == head {
			return h.Map(), true, nil
		}
	}
	return nil, false, nil
}

// records are the ledger's records, then the command's pending ones.
func (r *Recorder) records(ctx context.Context) func(func(ledger.Record, error) bool) {
	return func(yield func(ledger.Record, error) bool) {
		for rec, err := range r.ledger.Records(ctx, 0) {
			if !yield(rec, err) || err != nil {
				return
			}
		}
		for _, rec := range r.pending {
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// rematch gives the notes of an opened MIDI file that carry no id the
// ledger knows the id of the project's note with the same part, start,
// duration, pitch and velocity (as it was made, or as it is now), if
// one is in the piece and not in the file already: a person's file
// brought in with sideman record and read again (by trade, humanize)
// is the same notes, not new ones.
func (r *Recorder) rematch(ctx context.Context, d *load.Document) error {
	if r == nil || d.Piece == nil {
		return nil
	}
	if r.byState == nil {
		hist, err := r.overlay(ctx, false)
		if err != nil {
			return r.ledgerError(err, true)
		}
		r.byState = map[ledger.NoteState][]music.NoteID{}
		index := func(s ledger.NoteState, id music.NoteID) {
			if !slices.Contains(r.byState[s], id) {
				r.byState[s] = append(r.byState[s], id)
			}
		}
		for id, h := range hist.All() {
			if live(h) {
				if made, ok := hist.Made(id); ok {
					index(made, id)
				}
				index(h.State, id)
			}
		}
		for s := range r.byState {
			slices.Sort(r.byState[s])
		}
	}
	used := map[music.NoteID]bool{}
	for _, part := range d.Piece.Parts {
		for _, n := range part.Notes {
			if r.has(n.ID) {
				used[n.ID] = true
			}
		}
	}
	for i := range d.Piece.Parts {
		notes := d.Piece.Parts[i].Notes
		for j := range notes {
			n := &notes[j]
			if r.has(n.ID) {
				continue
			}
			for _, id := range r.byState[ledger.StateOf(n)] {
				if !used[id] {
					n.ID, used[id] = id, true
					break
				}
			}
		}
	}
	return nil
}
