package project

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"sideman/ledger"
	"sideman/load"
	"sideman/music"
)

// fresh is every note's history as a fresh read of the project's ledger
// tells it (ledger.Notes over Records), with the recorder's pending
// records after them.
func fresh(t *testing.T, r *Recorder) map[music.NoteID]ledger.NoteHistory {
	t.Helper()
	out := map[music.NoteID]ledger.NoteHistory{}
	for h, err := range ledger.Notes(r.records(context.Background())) {
		if err != nil {
			t.Fatal(err)
		}
		out[h.ID] = h
	}
	return out
}

// sameHistories fails unless the recorder's histories are a fresh read's.
func sameHistories(t *testing.T, step string, r *Recorder) {
	t.Helper()
	got, err := r.histories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := fresh(t, r)
	if len(got) != len(want) {
		t.Fatalf("%s: the recorder tells of %d notes, a fresh read of %d", step, len(got), len(want))
	}
	for id, w := range want {
		if g := got[id]; !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: note %d: the recorder holds\n%+v\na fresh read\n%+v", step, id, g, w)
		}
	}
}

// The histories a recorder keeps in memory (built when the ledger
// opens, brought up to date as records are added and committed) are at
// every step those a fresh read of the ledger gives: after the band
// plays, after a person's edits (pending, then committed), after another
// program appends to the ledger meanwhile, and when the project is
// opened again.
func TestRecorderHistoriesAreTheLedgers(t *testing.T) {
	ctx := context.Background()
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(t.TempDir(), "song"), key)
	if err != nil {
		t.Fatal(err)
	}
	var perf *Performance
	command(t, root, key, func(p *Project) (err error) {
		perf, err = p.Play(ctx, "../examples/blues-f.chart", PlayOptions{Choruses: 1, Seed: 3})
		if err == nil {
			sameHistories(t, "the band, pending", p.Ledger)
		}
		return err
	})
	r, err := OpenLedger(ctx, root, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := &Project{Ledger: r, IDs: r.IDs()}
	sameHistories(t, "opened", r)
	bass := perf.Piece.Parts[0].Notes
	if len(bass) < 3 {
		t.Fatalf("the band's first part played %d notes", len(bass))
	}
	edit := func(step string, id music.NoteID, vel uint8) {
		t.Helper()
		ed, err := p.EditNote(ctx, id, NoteChange{Velocity: &vel})
		if err != nil {
			t.Fatal(err)
		}
		if ed.Class != ledger.ClassMH {
			t.Errorf("%s: note %d edited is %s, want M+h", step, id, ed.Class)
		}
		sameHistories(t, step+", pending", r)
		if _, err := r.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		sameHistories(t, step+", committed", r)
	}
	edit("first edit", bass[0].ID, 33)
	edit("the same note again", bass[0].ID, 34)
	// Another program appends while the studio holds the project open.
	command(t, root, key, func(q *Project) error {
		_, err := q.EditNote(ctx, bass[1].ID, NoteChange{Velocity: func() *uint8 { v := uint8(35); return &v }()})
		return err
	})
	sameHistories(t, "after another program's edit", r)
	edit("an edit after it", bass[2].ID, 36)
	if h, _ := r.lookup(ctx); true {
		if n, _ := h(bass[1].ID); n.State.Vel != 35 {
			t.Errorf("note %d: velocity %d after the other program's edit, want 35", bass[1].ID, n.State.Vel)
		}
	}
	head, err := r.ledger.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	r, err = OpenLedger(ctx, root, key)
	if err != nil {
		t.Fatal(err)
	}
	sameHistories(t, "reopened", r)
	// historiesAt: the kept histories at the head, a read before it.
	for _, at := range []string{head.Hash, ""} {
		if at == "" {
			for rec, err := range r.ledger.Records(ctx, head.Seq-4) {
				if err != nil {
					t.Fatal(err)
				}
				at = rec.Hash
				break
			}
		}
		got, ok, err := r.historiesAt(ctx, at)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		want := map[music.NoteID]ledger.NoteHistory{}
		for h, err := range ledger.Notes(func(yield func(ledger.Record, error) bool) {
			for rec, err := range r.ledger.Records(ctx, 0) {
				if !yield(rec, err) || err != nil || rec.Hash == at {
					return
				}
			}
		}) {
			if err != nil {
				t.Fatal(err)
			}
			want[h.ID] = h
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("historiesAt %s: not a fresh read's up to that record", at)
		}
	}
}

// rematch, from the kept histories, gives a note of a file without ids
// the id of the project's note with its fields as it was made, or as it
// is now; never a deleted note's.
func TestRematchFromKeptHistories(t *testing.T) {
	ctx := context.Background()
	key := testKey(1)
	root, err := InitProject(ctx, filepath.Join(t.TempDir(), "song"), key)
	if err != nil {
		t.Fatal(err)
	}
	made := []ledger.NoteState{{Part: 0, Tick: 0, Dur: 480, Pitch: 40, Vel: 90}, {Part: 0, Tick: 480, Dur: 480, Pitch: 43, Vel: 90}}
	moved := []ledger.NoteState{{Part: 0, Tick: 7, Dur: 480, Pitch: 40, Vel: 84}, {Part: 0, Tick: 489, Dur: 480, Pitch: 43, Vel: 95}}
	command(t, root, key, func(p *Project) error {
		ids := []music.NoteID{p.IDs.Next(), p.IDs.Next()}
		p.Ledger.add(ledger.Record{Actor: ledger.Machine, Op: ledger.Generate, Source: ledger.AlgorithmicMedia,
			Gen: &ledger.Generation{Generator: "band/bass/walking"}, Notes: ids, After: made})
		p.Ledger.add(ledger.Record{Actor: ledger.Machine, Op: ledger.Transform, Source: ledger.AlgorithmicallyEnhanced,
			Gen: &ledger.Generation{Generator: "feel/humanize"}, Notes: ids, Before: made, After: moved})
		p.Ledger.add(ledger.Record{Actor: ledger.Human, Op: ledger.Delete, Notes: ids[1:], Before: moved[1:]})
		return nil
	})
	r, err := OpenLedger(ctx, root, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	note := func(s ledger.NoteState) music.Note {
		return music.Note{Part: s.Part, Start: s.Tick, Duration: s.Dur, Pitch: s.Pitch, Velocity: s.Vel}
	}
	d := &load.Document{Name: "back.mid", Piece: &music.Piece{Parts: []music.Part{{Name: "Bass", Notes: []music.Note{
		note(made[0]), note(moved[0]), note(made[1]), note(moved[1])}}}}}
	if err := r.rematch(ctx, d); err != nil {
		t.Fatal(err)
	}
	got := d.Piece.Parts[0].Notes
	if got[0].ID == 0 || got[1].ID != 0 {
		t.Errorf("the note as the band made it got id %d, the same note as humanized %d: want the project's id for the first (one id, one note), none for the second", got[0].ID, got[1].ID)
	}
	if got[2].ID != 0 || got[3].ID != 0 {
		t.Errorf("the deleted note, as made and as humanized, got ids %d and %d: want none", got[2].ID, got[3].ID)
	}
	d.Piece.Parts[0].Notes = []music.Note{note(moved[0])}
	if err := r.rematch(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.Piece.Parts[0].Notes[0].ID != got[0].ID {
		t.Errorf("the note as humanized got id %d, want %d", d.Piece.Parts[0].Notes[0].ID, got[0].ID)
	}
}
