package ledger

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"sideman/music"
)

// notesMap is Notes over records, by id.
func notesMap(t *testing.T, recs []Record) map[music.NoteID]NoteHistory {
	t.Helper()
	out := map[music.NoteID]NoteHistory{}
	for h, err := range Notes(func(yield func(Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}) {
		if err != nil {
			t.Fatal(err)
		}
		out[h.ID] = h
	}
	return out
}

// A Histories with an overlay of records laid over it tells of every
// note as Notes over all the records does, and the overlay leaves its
// base as it was: the histories a command keeps while its records are
// pending.
func TestHistoriesOverlay(t *testing.T) {
	hum := func(r Record) Record {
		out := Record{Seq: r.Seq + 1, Hash: "h" + string(rune('a'+r.Seq)), Actor: Machine, Op: Transform, Source: AlgorithmicallyEnhanced,
			Gen: &Generation{Generator: "feel/humanize"}, Notes: r.Notes, Before: r.After}
		for _, s := range r.After {
			s.Tick += 5
			out.After = append(out.After, s)
		}
		return out
	}
	p := played(1, 4)
	p.Seq, p.Hash = 1, "ha"
	g := generated(5, 4, 1, 2)
	g.Seq, g.Hash = 3, "hc"
	committed := []Record{p, hum(p), g}
	edit := Record{Seq: 4, Hash: "hd", Actor: Human, Op: Modify, Source: HumanEdits, Notes: []music.NoteID{6},
		Before: g.After[1:2], After: []NoteState{{Part: 1, Tick: g.After[1].Tick, Dur: 100, Pitch: g.After[1].Pitch, Vel: 90}}}
	pending := []Record{edit, hum(edit), {Seq: 6, Actor: Human, Op: Reject, Notes: []music.NoteID{7}}}

	base := NewHistories()
	for i := range committed {
		if err := base.Add(&committed[i]); err != nil {
			t.Fatal(err)
		}
	}
	before := notesMap(t, committed)
	if got := base.Map(); !reflect.DeepEqual(got, before) {
		t.Fatalf("the base tells of\n%v\nNotes of\n%v", got, before)
	}
	o := base.Over()
	for i := range pending {
		if err := o.Add(&pending[i]); err != nil {
			t.Fatal(err)
		}
	}
	want := notesMap(t, append(slices.Clone(committed), pending...))
	if got := o.Map(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the overlay tells of\n%v\nNotes of\n%v", got, want)
	}
	if o.Len() != len(want) || o.Records() != len(committed)+len(pending) {
		t.Errorf("the overlay: %d notes, %d records; want %d, %d", o.Len(), o.Records(), len(want), len(committed)+len(pending))
	}
	if n, _ := o.Note(6); n.Class != ClassMH {
		t.Errorf("note 6 edited by a person: class %s in the overlay, want M+h", n.Class)
	}
	if got := base.Map(); !reflect.DeepEqual(got, before) {
		t.Errorf("the overlay changed its base: note 6 %+v, was %+v", got[6], before[6])
	}
	for id, last := range map[music.NoteID]string{1: "hb", 5: "hc", 6: "he", 7: "hc", 9: ""} {
		if got := o.LastHash(id); got != last {
			t.Errorf("note %d: last set by %q, want %q", id, got, last)
		}
	}
	if made, ok := o.Made(6); !ok || made != g.After[1] {
		t.Errorf("note 6: made as %+v (%v), want the generate record's %+v", made, ok, g.After[1])
	}
	if _, ok := o.Made(9); ok {
		t.Errorf("note 9, which no record made: made")
	}
	// A note made again is the error Notes gives, in the overlay too.
	again := played(3, 1)
	again.Seq = 7
	if err := o.Add(&again); err == nil || !strings.Contains(err.Error(), "made again") {
		t.Errorf("note 3 made again: %v", err)
	}
}
