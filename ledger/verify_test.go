package ledger

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"testing"

	"sideman/music"
)

// session is three commands' batches, each signed: a person plays four
// notes; the band answers with four and humanizes them; the person
// changes one bass note's pitch and selects the bass.
func session() [][]Record {
	bass := generated(5, 4, 1, 2, 3, 4)
	humanized := slices.Clone(bass.After)
	for i := range humanized {
		humanized[i].Tick += music.Ticks(7 * i)
		humanized[i].Vel -= 5
	}
	fixed := humanized[1]
	fixed.Pitch += 2
	return [][]Record{
		{played(1, 4)},
		{bass, {Actor: Machine, Op: Transform, Source: AlgorithmicallyEnhanced, Notes: bass.Notes, Before: bass.After, After: humanized,
			Gen: &Generation{Generator: "feel/humanize", Seed: "3"}}},
		{{Actor: Human, Op: Modify, Source: HumanEdits, Notes: []music.NoteID{6}, Before: humanized[1:2], After: []NoteState{fixed}},
			{Actor: Human, Op: Select, Notes: bass.Notes}},
	}
}

// build appends batches to a new ledger, each signed with key, after
// letting edit change their records; it returns the store and the head
// after each batch.
func build(t *testing.T, batches [][]Record, key ed25519.PrivateKey, edit func(batch, i int, r *Record)) (*MemStore, []string) {
	t.Helper()
	l, s := newLedger()
	var heads []string
	for b, batch := range batches {
		batch = slices.Clone(batch)
		for i := range batch {
			if edit != nil {
				edit(b, i, &batch[i])
			}
		}
		out := mustAppendSigned(t, l, key, batch...)
		heads = append(heads, out[len(out)-1].Hash)
	}
	return s, heads
}

// reencode replaces a row's body with the canonical body of the record
// edit makes of it, keeping its hash.
func reencode(t *testing.T, row *Row, edit func(*Record)) {
	t.Helper()
	r, err := Decode(row.Body)
	if err != nil {
		t.Fatal(err)
	}
	edit(&r)
	if row.Body, err = Body(&r); err != nil {
		t.Fatal(err)
	}
}

// Every way of changing the ledger behind the user's back is found, and
// the error names the first record at fault.
func TestVerifyTampering(t *testing.T) {
	ctx := context.Background()
	key, other := testKey(t, 1), testKey(t, 100)
	pub := key.Public().(ed25519.PublicKey)
	// Records: 1 played, 2 checkpoint; 3 generate, 4 transform, 5
	// checkpoint; 6 modify, 7 select, 8 checkpoint.
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, s *MemStore, heads []string) (head string)
		wantSeq uint64 // 0: an error that is no record's
		want    string
	}{
		{"untouched", func(*testing.T, *MemStore, []string) string { return "" }, 0, ""},
		{"untouched, with the head an export carried", func(_ *testing.T, _ *MemStore, heads []string) string { return heads[1] }, 0, ""},
		{"a field edited", func(t *testing.T, s *MemStore, _ []string) string {
			reencode(t, &s.shared.rows[2], func(r *Record) { r.After[0].Pitch++ })
			return ""
		}, 3, "does not hash"},
		{"a field edited and the row's hash recomputed", func(t *testing.T, s *MemStore, _ []string) string {
			reencode(t, &s.shared.rows[2], func(r *Record) { r.Gen.Params["style"] = "bossa" })
			s.shared.rows[2].Hash = HashBody(s.shared.rows[2].Body)
			return ""
		}, 4, "previous hash"},
		{"a record deleted", func(_ *testing.T, s *MemStore, _ []string) string {
			s.shared.rows = slices.Delete(s.shared.rows, 3, 4)
			return ""
		}, 4, "missing"},
		{"a record inserted", func(t *testing.T, s *MemStore, _ []string) string {
			forged := s.shared.rows[5]
			// A forged record 7 that links to record 6, before the real
			// record 7.
			reencode(t, &forged, func(r *Record) { r.Seq, r.Prev = 7, s.shared.rows[5].Hash })
			forged.Seq, forged.Hash = 7, HashBody(forged.Body)
			s.shared.rows = slices.Insert(s.shared.rows, 6, forged)
			return ""
		}, 7, "inserted or out of order"},
		{"a record inserted and the rest renumbered", func(t *testing.T, s *MemStore, _ []string) string {
			forged := s.shared.rows[5]
			s.shared.rows = slices.Insert(s.shared.rows, 6, forged)
			for i := 6; i < len(s.shared.rows); i++ {
				s.shared.rows[i].Seq = uint64(i + 1)
			}
			return ""
		}, 7, "says it is record 6"},
		{"a pair reordered", func(_ *testing.T, s *MemStore, _ []string) string {
			s.shared.rows[2], s.shared.rows[3] = s.shared.rows[3], s.shared.rows[2]
			return ""
		}, 3, "out of order"},
		{"a pair's bodies swapped", func(_ *testing.T, s *MemStore, _ []string) string {
			s.shared.rows[2].Body, s.shared.rows[3].Body = s.shared.rows[3].Body, s.shared.rows[2].Body
			s.shared.rows[2].Hash, s.shared.rows[3].Hash = s.shared.rows[3].Hash, s.shared.rows[2].Hash
			return ""
		}, 3, "says it is record 4"},
		{"a body not canonical", func(_ *testing.T, s *MemStore, _ []string) string {
			s.shared.rows[5].Body = append(s.shared.rows[5].Body, ' ')
			s.shared.rows[5].Hash = HashBody(s.shared.rows[5].Body)
			return ""
		}, 6, "canonical"},
		{"the whole chain rewritten and re-signed with another key", func(t *testing.T, s *MemStore, _ []string) string {
			forged, _ := build(t, session(), other, func(b, i int, r *Record) {
				if b == 1 && i == 0 {
					r.Source = DigitalCreation // the band's notes claimed as written
					r.Actor, r.Op, r.Gen = Human, Enter, nil
				}
			})
			s.shared.rows = forged.shared.rows
			return ""
		}, 2, "signature"},
		{"the whole chain rewritten, its checkpoints left out", func(t *testing.T, s *MemStore, _ []string) string {
			l, forged := newLedger()
			for _, batch := range session() {
				if _, err := l.Append(ctx, batch...); err != nil {
					t.Fatal(err)
				}
			}
			s.shared.rows = forged.shared.rows
			return ""
		}, 1, "not signed"},
		{"records appended without a checkpoint", func(t *testing.T, s *MemStore, _ []string) string {
			l := New(s)
			if _, err := l.Append(ctx, generated(100, 2)); err != nil {
				t.Fatal(err)
			}
			return ""
		}, 9, "not signed"},
		{"history rewritten with the user's key behind an export's head", func(t *testing.T, s *MemStore, heads []string) string {
			forged, _ := build(t, session(), key, func(b, i int, r *Record) {
				if b == 0 {
					r.After[3].Pitch = 72
				}
			})
			s.shared.rows = forged.shared.rows
			return heads[1]
		}, 0, "head hash"},
		{"the last command cut, an export's head after it", func(_ *testing.T, s *MemStore, heads []string) string {
			s.shared.rows = s.shared.rows[:5]
			return heads[2]
		}, 0, "head hash"},
		{"the store's head not its last row", func(_ *testing.T, s *MemStore, heads []string) string {
			s.shared.rows = s.shared.rows[:7]
			return ""
		}, 0, "head"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, heads := build(t, session(), key, nil)
			head := tc.tamper(t, s, heads)
			store := Store(s)
			if tc.name == "the store's head not its last row" {
				store = headOf{s, heads[2]}
			}
			v, err := Verify(ctx, store, pub, head)
			if tc.want == "" {
				if err != nil || v.Records != 8 || v.Checkpoints != 3 {
					t.Fatalf("verified %+v: %v", v, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("tampering not found (verified %+v)", v)
			}
			t.Log(err)
			var ve *VerifyError
			switch {
			case tc.wantSeq == 0 && errors.As(err, &ve):
				t.Errorf("error names record %d: %v", ve.Seq, err)
			case tc.wantSeq != 0 && (!errors.As(err, &ve) || ve.Seq != tc.wantSeq):
				t.Errorf("error %q, want one naming record %d", err, tc.wantSeq)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

// headOf is a store whose head is another row than its last.
type headOf struct {
	*MemStore
	hash string
}

func (h headOf) Head(ctx context.Context) (Row, error) {
	return Row{Seq: 8, Hash: h.hash}, nil
}

// Verify takes the user's public key only: a wrong or malformed key
// fails, and so does a malformed head.
func TestVerifyKeyAndHead(t *testing.T) {
	ctx := context.Background()
	s, _ := build(t, session(), testKey(t, 1), nil)
	if _, err := Verify(ctx, s, testKey(t, 2).Public().(ed25519.PublicKey), ""); err == nil {
		t.Error("verified with another key")
	}
	if _, err := Verify(ctx, s, nil, ""); err == nil {
		t.Error("verified with no key")
	}
	if _, err := Verify(ctx, s, testKey(t, 1).Public().(ed25519.PublicKey), "abc"); err == nil {
		t.Error("verified with a malformed head")
	}
	// An empty ledger verifies, and holds no head from an export.
	empty := NewMemStore()
	if v, err := Verify(ctx, empty, testKey(t, 1).Public().(ed25519.PublicKey), ""); err != nil || v.Records != 0 {
		t.Errorf("empty ledger: %+v, %v", v, err)
	}
	if _, err := Verify(ctx, empty, testKey(t, 1).Public().(ed25519.PublicKey), strings.Repeat("ab", 32)); err == nil {
		t.Error("an empty ledger holds a head")
	}
}
