package midi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"sideman/music"
)

// Ledger hashes.
//
// A file exported from a project carries, in each part's track, next to
// its provenance record, a second sequencer-specific event naming, for
// each recorded note, the ledger record that last set its fields: a
// reader checks a note against the project's ledger by that record's
// hash, and trusts the note's origin only when the ledger agrees. The
// payload is
//
//	0x7D "sideman-ledger" 0x01   manufacturer ID, writer, version
//	JSON                         {"hashes": [hex SHA-256, ...],
//	                              "runs": [[index, count], ...]}
//
// in canonical JSON, where the runs go through the notes in the order of
// the provenance record (their note-ons) and index is into hashes, -1 for
// a note no record tells of. Readers that know only the provenance record
// read it as before (it comes first in the track).
var ledgerTag = []byte("\x7dsideman-ledger\x01")

type ledgerHashes struct {
	Hashes []string `json:"hashes"`
	Runs   [][2]int `json:"runs"`
}

// isProvenance reports whether a track's event is one of sideman's
// provenance events: a record or its ledger hashes.
func isProvenance(t *Track, e Event) bool {
	return e.IsMeta() && e.MetaType() == MetaSequencerSpecific && bytes.HasPrefix(t.Payload(e), provenanceTag)
}

// AddLedgerHashes adds to each track of f that holds a provenance record
// the ledger hashes of its notes, hashOf giving the hash of the record
// that last set a note's fields ("" for none). A track that has ledger
// hashes already keeps them. It returns how many notes got a hash.
func AddLedgerHashes(f *File, hashOf func(music.NoteID) string) (int, error) {
	total := 0
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		var rec *record
		at := -1
		for i, e := range t.Events {
			if !isProvenance(t, e) {
				continue
			}
			p := t.Payload(e)
			if bytes.HasPrefix(p, ledgerTag) {
				rec = nil
				break
			}
			if r, ok := parseRecord(p); ok && rec == nil {
				rec, at = r, i
			}
		}
		if rec == nil {
			continue
		}
		lh := ledgerHashes{Hashes: []string{}, Runs: [][2]int{}}
		index := map[string]int{}
		for _, id := range rec.ids {
			i := -1
			if h := hashOf(id); h != "" {
				j, ok := index[h]
				if !ok {
					j = len(lh.Hashes)
					index[h] = j
					lh.Hashes = append(lh.Hashes, h)
				}
				i = j
				total++
			}
			if k := len(lh.Runs); k > 0 && lh.Runs[k-1][0] == i {
				lh.Runs[k-1][1]++
			} else {
				lh.Runs = append(lh.Runs, [2]int{i, 1})
			}
		}
		js, err := json.Marshal(lh) // arrays of strings and small ints: canonical as written
		if err != nil {
			return 0, err
		}
		payload := append(append([]byte{}, ledgerTag...), js...)
		var nt Track
		for i, e := range t.Events {
			nt.AddEvent(e, t)
			if i == at {
				nt.AddMeta(e.Tick, MetaSequencerSpecific, payload)
			}
		}
		*t = nt
	}
	return total, nil
}

// LedgerHashes reads the ledger hashes a file carries: for each note id
// its track's provenance record names, the hash of the ledger record that
// last set its fields. Tracks whose events are malformed or disagree in
// length with their record give none.
func LedgerHashes(f *File) map[music.NoteID]string {
	out := map[music.NoteID]string{}
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		var rec *record
		var lh *ledgerHashes
		for _, e := range t.Events {
			if !isProvenance(t, e) {
				continue
			}
			p := t.Payload(e)
			if bytes.HasPrefix(p, ledgerTag) {
				if lh == nil {
					lh, _ = parseLedgerHashes(p[len(ledgerTag):])
				}
			} else if rec == nil {
				rec, _ = parseRecord(p)
			}
		}
		if rec == nil || lh == nil {
			continue
		}
		n := 0
		for _, run := range lh.Runs {
			n += run[1]
		}
		if n != len(rec.ids) {
			continue
		}
		k := 0
		for _, run := range lh.Runs {
			for range run[1] {
				if run[0] >= 0 {
					out[rec.ids[k]] = lh.Hashes[run[0]]
				}
				k++
			}
		}
	}
	return out
}

func parseLedgerHashes(js []byte) (*ledgerHashes, error) {
	var lh ledgerHashes
	if err := json.Unmarshal(js, &lh); err != nil {
		return nil, err
	}
	for _, r := range lh.Runs {
		if r[0] < -1 || r[0] >= len(lh.Hashes) || r[1] < 1 || r[1] > 1<<24 {
			return nil, fmt.Errorf("bad run %v", r)
		}
	}
	for _, h := range lh.Hashes {
		if len(h) != 64 {
			return nil, errors.New("bad hash")
		}
	}
	return &lh, nil
}

// HasProvenance reports whether any track of f carries a provenance
// record (another program re-saving the file drops them).
func HasProvenance(f *File) bool {
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		for _, e := range t.Events {
			if isProvenance(t, e) {
				return true
			}
		}
	}
	return false
}

// StripProvenance removes sideman's provenance events (records and
// ledger hashes) from every track of f, returning how many it removed.
func StripProvenance(f *File) int {
	n := 0
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		var nt Track
		for _, e := range t.Events {
			if isProvenance(t, e) {
				n++
				continue
			}
			nt.AddEvent(e, t)
		}
		*t = nt
	}
	return n
}

// TrackNoteIDs is, for each track of f, the note ids its provenance
// record names (none for a track without one).
func TrackNoteIDs(f *File) [][]music.NoteID {
	out := make([][]music.NoteID, len(f.Tracks))
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		for _, e := range t.Events {
			if isProvenance(t, e) {
				if r, ok := parseRecord(t.Payload(e)); ok {
					out[ti] = r.ids
					break
				}
			}
		}
	}
	return out
}

// NameTrack renames a track: rename is given its name ("" for none) and
// returns the new one; a track without a name gets one first.
func NameTrack(t *Track, rename func(string) string) {
	at := -1
	old := ""
	for i, e := range t.Events {
		if e.IsMeta() && e.MetaType() == MetaTrackName {
			at, old = i, t.Text(e)
			break
		}
	}
	var nt Track
	if at < 0 {
		nt.AddText(0, MetaTrackName, rename(""))
	}
	for i, e := range t.Events {
		if i == at {
			nt.AddText(e.Tick, MetaTrackName, rename(old))
			continue
		}
		nt.AddEvent(e, t)
	}
	*t = nt
}

// AddCopyright puts a copyright notice (meta event 0x02) at tick 0, first
// in the first track, as the standard places it.
func AddCopyright(f *File, notice string) {
	if len(f.Tracks) == 0 {
		return
	}
	t := &f.Tracks[0]
	var nt Track
	nt.AddText(0, MetaCopyright, notice)
	for _, e := range t.Events {
		nt.AddEvent(e, t)
	}
	*t = nt
}
