package midi

import (
	"bytes"
	"slices"
	"testing"

	"sideman/ledger"
	"sideman/music"
)

// scale is a part of twelve quarter notes up from middle C, ids 101 to
// 112, made by a machine.
func scale() *music.Piece {
	o := &music.Origin{Kind: music.MachineGenerated, Generator: "test/scale"}
	p := &music.Piece{Parts: []music.Part{{Name: "Lead", Channel: 0, Program: -1}}}
	for i := range 12 {
		p.Parts[0].Notes = append(p.Parts[0].Notes, music.Note{
			ID: music.NoteID(101 + i), Pitch: uint8(60 + i), Velocity: 80,
			Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ, Origin: o,
		})
	}
	return p
}

// A track edited in a sequencer since sideman wrote it keeps the ids and
// origins of the notes that still match its record (by key, in order);
// only the notes added or changed are new: no id, the imported origin.
func TestProvenanceEditedTrack(t *testing.T) {
	isNote := func(e Event) bool { return e.Status&0xE0 == NoteOff } // 0x80 and 0x90
	for _, tc := range []struct {
		name string
		edit func(evs []Event) []Event
		want []music.NoteID // the ids read back, by start; 0 a new note
	}{
		{"as written", func(evs []Event) []Event { return evs },
			[]music.NoteID{101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112}},
		{"one note removed", func(evs []Event) []Event {
			return slices.DeleteFunc(evs, func(e Event) bool { return isNote(e) && e.Data1 == 64 })
		}, []music.NoteID{101, 102, 103, 104, 106, 107, 108, 109, 110, 111, 112}},
		{"the first and the last removed", func(evs []Event) []Event {
			return slices.DeleteFunc(evs, func(e Event) bool { return isNote(e) && (e.Data1 == 60 || e.Data1 == 71) })
		}, []music.NoteID{102, 103, 104, 105, 106, 107, 108, 109, 110, 111}},
		{"one note added", func(evs []Event) []Event {
			// A grace note before the fourth: its on and off where the
			// fourth note starts, before the fourth's note-on.
			at := slices.IndexFunc(evs, func(e Event) bool { return e.Status == NoteOn && e.Data1 == 63 })
			tick := evs[at].Tick
			return slices.Insert(evs, at, Event{Tick: tick, Status: NoteOn, Data1: 50, Data2: 70}, Event{Tick: tick, Status: NoteOff, Data1: 50, Data2: 64})
		}, []music.NoteID{101, 102, 103, 0, 104, 105, 106, 107, 108, 109, 110, 111, 112}},
		{"one note moved to another key", func(evs []Event) []Event {
			for i := range evs {
				if isNote(evs[i]) && evs[i].Data1 == 66 {
					evs[i].Data1 = 54
				}
			}
			return evs
		}, []music.NoteID{101, 102, 103, 104, 105, 106, 0, 108, 109, 110, 111, 112}},
	} {
		f, err := FromPiece(scale())
		if err != nil {
			t.Fatal(err)
		}
		f.Tracks[1].Events = tc.edit(f.Tracks[1].Events)
		got := PieceOptions{Provenance: true}.ToPiece(f, "edited.mid").Parts[0].Notes
		var ids []music.NoteID
		for _, n := range got {
			ids = append(ids, n.ID)
			kept := n.Origin.Kind == music.MachineGenerated && n.Origin.Generator == "test/scale"
			if kept != (n.ID != 0) || !kept && (n.Origin.Kind != music.Imported || n.Origin.Source != "edited.mid") {
				t.Errorf("%s: note %d (key %d): origin %v", tc.name, n.ID, n.Pitch, n.Origin)
			}
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: ids %v, want %v", tc.name, ids, tc.want)
		}
		// With a project's ids, the new notes take theirs above the
		// recorded ones.
		numbered := PieceOptions{Provenance: true, IDs: music.NewIDs(1)}.ToPiece(f, "edited.mid").Parts[0].Notes
		for i, n := range numbered {
			if w := tc.want[i]; w != 0 && n.ID != w || w == 0 && n.ID <= 112 {
				t.Errorf("%s: numbered note %d has id %d, want %d (0: above 112)", tc.name, i, n.ID, w)
			}
		}
	}
}

// A track changed past what fit aligns (more than maxEdits notes added
// or removed) loses its record: every note is new.
func TestProvenanceTooManyEdits(t *testing.T) {
	p := scale()
	long := p.Parts[0].Notes
	for i := range 2 * maxEdits {
		n := long[i%12]
		n.ID, n.Start = music.NoteID(200+i), music.Ticks(12+i)*music.PPQ
		long = append(long, n)
	}
	p.Parts[0].Notes = long
	f, err := FromPiece(p)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the first 12 notes only.
	evs := f.Tracks[1].Events
	f.Tracks[1].Events = slices.DeleteFunc(evs, func(e Event) bool {
		return e.Status == NoteOn && e.Tick >= 12*music.PPQ || e.Status == NoteOff && e.Tick > 12*music.PPQ
	})
	got := PieceOptions{Provenance: true}.ToPiece(f, "cut.mid")
	if got.NoteCount() != 12 {
		t.Fatalf("%d notes, want 12", got.NoteCount())
	}
	if got.MaxID() != 0 {
		t.Errorf("max id %d, want none kept: %d notes removed is past %d edits", got.MaxID(), 2*maxEdits, maxEdits)
	}
}

// Files sideman wrote before records held keys (version 1) read back as
// they did: every id and origin when the tracks are as written.
func TestProvenanceVersion1(t *testing.T) {
	v1 := readTestdata(t, "piece-v1.golden")
	if !bytes.Contains(v1, []byte("\x7dsideman\x01")) {
		t.Fatal("piece-v1.golden holds no version 1 record")
	}
	f, err := DecodeBytes(v1)
	if err != nil {
		t.Fatal(err)
	}
	got := PieceOptions{Provenance: true}.ToPiece(f, "old.mid")
	want := goldenPiece()
	for i := range want.Parts {
		music.SortNotes(want.Parts[i].Notes)
	}
	if d := diffPieces(want, got); d != "" {
		t.Error(d)
	}
	// One note less: a version 1 record has no keys to match by, and
	// the track's notes are new.
	tr := &f.Tracks[1]
	tr.Events = slices.DeleteFunc(tr.Events, func(e Event) bool { return e.Data1 == 43 && e.Status&0xE0 == NoteOff })
	bass := PieceOptions{Provenance: true}.ToPiece(f, "old.mid").Parts[0].Notes
	if len(bass) != 2 || bass[0].ID != 0 || bass[1].ID != 0 || bass[0].Origin.Kind != music.Imported {
		t.Errorf("edited version 1 bass: %+v", bass)
	}
}

// Files sideman wrote with version 2 records (JSON not canonical, the
// role first) read back as they did: every id and origin.
func TestProvenanceVersion2(t *testing.T) {
	v2 := readTestdata(t, "piece-v2.golden")
	if !bytes.Contains(v2, []byte("\x7dsideman\x02")) || !bytes.Contains(v2, []byte(`{"role":"drums","origins":`)) {
		t.Fatal("piece-v2.golden holds no version 2 record")
	}
	f, err := DecodeBytes(v2)
	if err != nil {
		t.Fatal(err)
	}
	got := PieceOptions{Provenance: true}.ToPiece(f, "old.mid")
	want := goldenPiece()
	for i := range want.Parts {
		music.SortNotes(want.Parts[i].Notes)
	}
	if d := diffPieces(want, got); d != "" {
		t.Error(d)
	}
}

// A version 3 record holds each origin in the ledger's encoding, so that
// an origin read from a file hashes as the ledger hashes it; a record
// whose JSON is not canonical is not read: its notes come back new.
func TestProvenanceCanonical(t *testing.T) {
	p := scale()
	base := p.Parts[0].Notes[0].Origin
	humanized := base.Processed("humanize", "feel/humanize", "profile=jazz")
	for i := 6; i < 12; i++ {
		p.Parts[0].Notes[i].Origin = humanized
	}
	f, err := FromPiece(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := recordOf(t, f.Tracks[1])
	for _, o := range []*music.Origin{base, humanized} {
		enc, err := ledger.EncodeOrigin(o)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(rec, enc) {
			t.Errorf("the record %q does not hold the origin as the ledger encodes it: %s", rec, enc)
		}
	}
	got := PieceOptions{Provenance: true}.ToPiece(f, "x.mid").Parts[0].Notes
	for i, n := range got {
		want, _ := ledger.OriginHash(p.Parts[0].Notes[i].Origin)
		if h, _ := ledger.OriginHash(n.Origin); h != want || n.ID != p.Parts[0].Notes[i].ID {
			t.Errorf("note %d read back as %d, %v", i, n.ID, n.Origin)
		}
	}
	// The same record with its JSON members spaced out: no longer the
	// one encoding, not read.
	for _, edit := range []func([]byte) []byte{
		func(b []byte) []byte { return bytes.Replace(b, []byte(`"kind":`), []byte(`"kind": `), 1) },
		func(b []byte) []byte {
			return bytes.Replace(b, []byte(`{"origins":`), []byte(`{"role":"","origins":`), 1)
		},
		func(b []byte) []byte { return bytes.Replace(b, []byte(`"humanize"`), []byte(`"hum\u0061nize"`), 1) },
	} {
		g, err := FromPiece(p)
		if err != nil {
			t.Fatal(err)
		}
		setRecord(t, &g.Tracks[1], edit(recordOf(t, g.Tracks[1])))
		for _, n := range (PieceOptions{Provenance: true}).ToPiece(g, "x.mid").Parts[0].Notes {
			if n.ID != 0 || n.Origin.Kind != music.Imported {
				t.Fatalf("a record not canonical was read: note %d, %v", n.ID, n.Origin)
			}
		}
	}
}

// recordOf returns a track's provenance record.
func recordOf(t *testing.T, tr Track) []byte {
	t.Helper()
	for _, e := range tr.Events {
		if pl := tr.Payload(e); bytes.HasPrefix(pl, provenanceTag) {
			return pl
		}
	}
	t.Fatal("no provenance record")
	return nil
}

// setRecord replaces a track's provenance record.
func setRecord(t *testing.T, tr *Track, rec []byte) {
	t.Helper()
	for i, e := range tr.Events {
		if bytes.HasPrefix(tr.Payload(e), provenanceTag) {
			tr.AddMeta(e.Tick, MetaSequencerSpecific, rec)
			last := len(tr.Events) - 1
			tr.Events[i] = tr.Events[last]
			tr.Events = tr.Events[:last]
			return
		}
	}
	t.Fatal("no provenance record")
}

// align matches what diff(1) would: a longest common subsequence.
func TestAlign(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want []int
	}{
		{"abc", "abc", []int{0, 1, 2}},
		{"abc", "", []int{}},
		{"", "ab", []int{-1, -1}},
		{"abcabba", "cbabac", nil}, // Myers's example: an LCS of 4
		{"aaaa", "aa", []int{0, 1}},
		{"abxd", "abyd", []int{0, 1, -1, 3}},
	} {
		match, ok := align([]uint8(tc.a), []uint8(tc.b), maxEdits)
		if !ok {
			t.Fatalf("%q %q: no alignment", tc.a, tc.b)
		}
		common, last := 0, -1
		for j, i := range match {
			if i < 0 {
				continue
			}
			if i <= last || tc.a[i] != tc.b[j] {
				t.Fatalf("%q %q: match %v is not a common subsequence", tc.a, tc.b, match)
			}
			last = i
			common++
		}
		if tc.want != nil && !slices.Equal(match, tc.want) {
			t.Errorf("%q %q: %v, want %v", tc.a, tc.b, match, tc.want)
		}
		if tc.a == "abcabba" && common != 4 {
			t.Errorf("Myers's example: %d in common, want 4", common)
		}
	}
	if _, ok := align([]uint8("aaaa"), []uint8("bbbb"), 7); ok {
		t.Error("8 edits aligned within 7")
	}
}

// A note's pitch edited in place to the pitch of the note after it: the
// record fits in place (the edited note loses its id, its neighbour keeps
// its own), not by the diff's equally short script that would hand the
// edited note the neighbour's id and leave the neighbour none.
func TestProvenancePitchEditedInPlace(t *testing.T) {
	r := &record{ids: []music.NoteID{1, 2, 3, 4}, pitches: []uint8{60, 62, 64, 62}, origin: make([]*music.Origin, 4)}
	notes := []rawNote{{pitch: 62}, {pitch: 62}, {pitch: 64}, {pitch: 62}}
	got := r.fit(notes)
	if got == nil || !slices.Equal(got.ids, []music.NoteID{0, 2, 3, 4}) {
		t.Fatalf("fitted ids %v, want [0 2 3 4]", got.ids)
	}
	// A note inserted and one removed (as many notes): the diff still wins.
	notes = []rawNote{{pitch: 59}, {pitch: 60}, {pitch: 62}, {pitch: 64}}
	if got := r.fit(notes); got == nil || !slices.Equal(got.ids, []music.NoteID{0, 1, 2, 3}) {
		t.Fatalf("one added, one removed: ids %v, want [0 1 2 3]", got.ids)
	}
}
