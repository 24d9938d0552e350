package midi

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"sideman/music"
)

// The ledger hashes of a track survive encoding, name each note's record
// by its id, leave the provenance record readable as before, and go with
// StripProvenance.
func TestLedgerHashes(t *testing.T) {
	f, err := FromPiece(scale())
	if err != nil {
		t.Fatal(err)
	}
	hashOf := func(id music.NoteID) string {
		if id == 105 {
			return "" // a note no record tells of
		}
		return fmt.Sprintf("%064x", id/4) // four notes a record
	}
	n, err := AddLedgerHashes(f, hashOf)
	if err != nil || n != 11 {
		t.Fatalf("AddLedgerHashes: %d notes, %v; want 11", n, err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got := LedgerHashes(g)
	for id := music.NoteID(101); id <= 112; id++ {
		if got[id] != hashOf(id) {
			t.Errorf("note %d: hash %q, want %q", id, got[id], hashOf(id))
		}
	}
	p := PieceOptions{Provenance: true}.ToPiece(g, "midi")
	if len(p.Parts) != 1 || p.Parts[0].Notes[0].ID != 101 || p.Parts[0].Notes[0].Origin.Generator != "test/scale" {
		t.Fatalf("the record is not read as before: %+v", p.Parts)
	}
	// Added twice, a track keeps its first hashes.
	if n, _ := AddLedgerHashes(g, func(music.NoteID) string { return strings.Repeat("f", 64) }); n != 0 {
		t.Errorf("hashes added again to %d notes", n)
	}
	if !HasProvenance(g) || StripProvenance(g) != 2 || HasProvenance(g) || len(LedgerHashes(g)) != 0 {
		t.Fatal("StripProvenance left provenance events")
	}
}

// A ledger hash event whose runs do not cover its record, or that names
// a hash out of range, gives no hashes.
func TestLedgerHashesMalformed(t *testing.T) {
	for _, js := range []string{
		`{"hashes":[],"runs":[[-1,11]]}`,    // 11 notes of 12
		`{"hashes":[],"runs":[[0,12]]}`,     // no hash 0
		`{"hashes":["ab"],"runs":[[0,12]]}`, // not a SHA-256
		`{"hashes":[],"runs":[[-1,12]]`,     // cut short
	} {
		f, _ := FromPiece(scale())
		tr := &f.Tracks[1]
		tr.AddMeta(0, MetaSequencerSpecific, append(append([]byte{}, ledgerTag...), js...))
		if got := LedgerHashes(f); len(got) != 0 {
			t.Errorf("%s: read %d hashes", js, len(got))
		}
	}
}

func TestNameTrackAndCopyright(t *testing.T) {
	f, _ := FromPiece(scale())
	NameTrack(&f.Tracks[1], func(old string) string { return old + " (sideman band)" })
	AddCopyright(f, "notice")
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	p, err := DecodePiece(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if p.Parts[0].Name != "Lead (sideman band)" {
		t.Errorf("track name %q", p.Parts[0].Name)
	}
	e := f.Tracks[0].Events[0]
	if e.MetaType() != MetaCopyright || e.Tick != 0 || f.Tracks[0].Text(e) != "notice" {
		t.Errorf("first event of the first track: %+v", e)
	}
}
