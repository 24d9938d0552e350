package midi

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"

	"sideman/ledger"
	"sideman/music"
)

// Provenance records.
//
// EncodePiece writes, in each part's track, a sequencer-specific meta event
// that records the part's role and, for each of its notes, its ID and its
// Origin, so that notes exported by sideman and read back can be found in
// the authorship ledger again. Other programs ignore the event, as the
// standard asks them to.
//
// The payload is:
//
//	0x7D "sideman" 0x03     manufacturer ID 0x7D (non-commercial), writer, version
//	n                       number of notes, in the order of their note-ons
//	n × id delta            note IDs, each as the zigzag-coded difference
//	                        from the previous one (consecutive IDs take a byte)
//	n × pitch               the notes' keys, a byte each (version 2 on), so
//	                        that a reader finds the notes of a track edited
//	                        since (one note more or less) and keeps their ids
//	r, r × (index, count)   runs of notes with the same origin: an index into
//	                        the origins below, and how many notes in a row
//	JSON                    {"origins": [origin, ...], "role": "..."}
//
// where numbers are variable-length quantities as in the rest of the file.
// From version 3 on the JSON is canonical (RFC 8785) and each origin is
// in the ledger's one canonical encoding (ledger.EncodeOrigin: null for
// none), so that an origin read from a file hashes as the ledger hashes
// it; a version 3 record whose JSON is not canonical is not read. Records
// of versions 1 (no pitches) and 2, which sideman wrote before, are read
// still: their JSON is an object with the same members in any order, an
// origin {"kind": "machine-generated", "who": ..., "source": ...,
// "generator": ..., "version": ..., "params": ..., "step": ...,
// "derivedFrom": [ids], "base": origin}, empty fields left out.
var provenanceTag = []byte("\x7dsideman")

// provenanceVersion is the version of the records EncodePiece writes.
const provenanceVersion = 3

// wireOrigin is an origin as versions 1 and 2 wrote it.
type wireOrigin struct {
	Kind        string         `json:"kind"`
	Who         string         `json:"who,omitempty"`
	Source      string         `json:"source,omitempty"`
	Generator   string         `json:"generator,omitempty"`
	Version     string         `json:"version,omitempty"`
	Params      string         `json:"params,omitempty"`
	Step        string         `json:"step,omitempty"`
	DerivedFrom []music.NoteID `json:"derivedFrom,omitempty"`
	Base        *wireOrigin    `json:"base,omitempty"`
}

type wireRecord struct {
	Role    string        `json:"role,omitempty"`
	Origins []*wireOrigin `json:"origins"`
}

// canonicalRecord is the JSON of a version 3 record: its origins in the
// ledger's encoding.
type canonicalRecord struct {
	Origins []json.RawMessage `json:"origins"`
	Role    string            `json:"role,omitempty"`
}

func fromWire(w *wireOrigin) *music.Origin {
	if w == nil {
		return nil
	}
	kind, _ := music.ParseOriginKind(w.Kind)
	return &music.Origin{
		Kind: kind, Who: w.Who, Source: w.Source, Generator: w.Generator,
		Version: w.Version, Params: w.Params, Step: w.Step, DerivedFrom: w.DerivedFrom, Base: fromWire(w.Base),
	}
}

// readOrigins reads the JSON of a record: its role and origins.
func readOrigins(version byte, js []byte) (role string, origins []*music.Origin, ok bool) {
	if version < 3 {
		var rec wireRecord
		if err := json.Unmarshal(js, &rec); err != nil {
			return "", nil, false
		}
		origins = make([]*music.Origin, len(rec.Origins))
		for i, w := range rec.Origins {
			origins[i] = fromWire(w)
		}
		return rec.Role, origins, true
	}
	var rec canonicalRecord
	if err := json.Unmarshal(js, &rec); err != nil || rec.Origins == nil {
		return "", nil, false
	}
	if again, err := ledger.Canonical(rec); err != nil || !bytes.Equal(again, js) {
		return "", nil, false
	}
	origins = make([]*music.Origin, len(rec.Origins))
	for i, b := range rec.Origins {
		o, err := ledger.DecodeOrigin(b)
		if err != nil {
			return "", nil, false
		}
		origins[i] = o
	}
	return rec.Role, origins, true
}

// appendRecord appends the provenance record of a part whose n notes, in
// the order of their note-ons, are ns.
func appendRecord(b []byte, role string, n int, ns iter.Seq[*music.Note]) ([]byte, error) {
	// Room for a byte an id (ids mostly follow one another), a key each
	// and the rest.
	b = slices.Grow(b, len(provenanceTag)+2*n+64)
	b = append(b, provenanceTag...)
	b = append(b, provenanceVersion)
	b = appendUvarint(b, uint64(n))
	var prev music.NoteID
	for n := range ns {
		d := int64(n.ID - prev)
		b = appendUvarint(b, uint64(d<<1^d>>63))
		prev = n.ID
	}
	for n := range ns {
		b = append(b, n.Pitch)
	}
	// Notes share Origin values; the table keeps one entry per pointer.
	rec := canonicalRecord{Role: role, Origins: []json.RawMessage{}}
	index := map[*music.Origin]int{}
	var runs []int // index, count pairs
	for n := range ns {
		i, ok := index[n.Origin]
		if !ok {
			i = len(rec.Origins)
			index[n.Origin] = i
			o, err := ledger.EncodeOrigin(n.Origin)
			if err != nil {
				return nil, err
			}
			rec.Origins = append(rec.Origins, o)
		}
		if k := len(runs); k > 0 && runs[k-2] == i {
			runs[k-1]++
		} else {
			runs = append(runs, i, 1)
		}
	}
	b = appendUvarint(b, uint64(len(runs)/2))
	for _, v := range runs {
		b = appendUvarint(b, uint64(v))
	}
	js, err := ledger.Canonical(rec)
	if err != nil {
		return nil, err
	}
	return append(b, js...), nil
}

// maxRecordedID bounds recorded note IDs below the ids music.IDs hands
// out (they survive JSON readers that hold numbers as doubles), leaving
// room to number the notes read without a record above them.
const maxRecordedID = music.MaxID - 1<<32

// record is a parsed provenance record.
type record struct {
	role    string
	ids     []music.NoteID
	origin  []*music.Origin // per note; nil where none was recorded
	pitches []uint8         // per note; nil in a version 1 record
}

// parseRecord reads a provenance record, reporting false for anything
// malformed: a record either comes back whole or not at all.
func parseRecord(p []byte) (*record, bool) {
	if !bytes.HasPrefix(p, provenanceTag) || len(p) == len(provenanceTag) {
		return nil, false
	}
	version := p[len(provenanceTag)]
	if version < 1 || version > provenanceVersion {
		return nil, false
	}
	pos := len(provenanceTag) + 1
	next := func() (uint64, bool) {
		v, n, ok := uvarint(p, pos)
		pos = n
		return v, ok
	}
	n, ok := next()
	if !ok || n > uint64(len(p)) { // every note takes a byte at least
		return nil, false
	}
	r := &record{ids: make([]music.NoteID, n), origin: make([]*music.Origin, n)}
	var id music.NoteID
	for i := range r.ids {
		z, ok := next()
		if !ok {
			return nil, false
		}
		id += music.NoteID(int64(z>>1) ^ -int64(z&1))
		if id >= maxRecordedID {
			return nil, false
		}
		r.ids[i] = id
	}
	if version >= 2 {
		if uint64(len(p)-pos) < n {
			return nil, false
		}
		r.pitches = p[pos : pos+int(n) : pos+int(n)]
		pos += int(n)
		for _, k := range r.pitches {
			if k > 127 {
				return nil, false
			}
		}
	}
	nruns, ok := next()
	if !ok || nruns > uint64(len(p)) {
		return nil, false
	}
	runs := make([]uint64, 2*nruns)
	for i := range runs {
		if runs[i], ok = next(); !ok {
			return nil, false
		}
	}
	role, origins, ok := readOrigins(version, p[pos:])
	if !ok {
		return nil, false
	}
	r.role = role
	k := uint64(0)
	for i := 0; i < len(runs); i += 2 {
		idx, count := runs[i], runs[i+1]
		if idx >= uint64(len(origins)) || count > n-k {
			return nil, false
		}
		for j := uint64(0); j < count; j++ {
			r.origin[k+j] = origins[idx]
		}
		k += count
	}
	if k != n {
		return nil, false
	}
	return r, true
}

// maxEdits is the most notes added to or removed from a track since its
// record was written for which fit still finds the notes that match: a
// few hands' edits in a sequencer. It bounds the work of a file that
// differs from its records everywhere to maxEdits passes over its notes.
const maxEdits = 64

// fit returns the record as it fits the notes of its track as read (in
// the order of their note-ons): the ids and origins of the notes that
// match it, none (0, nil) for the others; nil when no note matches.
//
// A note matches a recorded one by key, in order: the notes are aligned
// with the record as diff(1) aligns lines (Myers's shortest edit script,
// "An O(ND) difference algorithm and its variations", 1986), so a note
// added or removed costs only its own id. A version 1 record, which has
// no keys, fits only a track with as many notes, by order.
func (r *record) fit(notes []rawNote) *record {
	same := len(r.ids) == len(notes)
	for i := 0; same && r.pitches != nil && i < len(notes); i++ {
		same = r.pitches[i] == notes[i].pitch
	}
	switch {
	case same:
		return r
	case r.pitches == nil:
		return nil
	}
	keys := make([]uint8, len(notes))
	for i := range notes {
		keys[i] = notes[i].pitch
	}
	match, ok := align(r.pitches, keys, maxEdits)
	if !ok {
		return nil
	}
	if len(keys) == len(r.pitches) {
		// As many notes as recorded: where matching them in place leaves
		// no more unmatched than the diff does, a key changed in place
		// (a note's pitch edited), and the diff's other, equally short
		// script would hand the edited note a neighbour's id of the same
		// new key (and leave that neighbour none).
		inPlace, unmatched := make([]int, len(keys)), 0
		for i := range keys {
			inPlace[i] = i
			if keys[i] != r.pitches[i] {
				inPlace[i] = -1
				unmatched++
			}
		}
		if unmatched <= len(keys)-matched(match) {
			match = inPlace
		}
	}
	fitted := &record{role: r.role, ids: make([]music.NoteID, len(notes)), origin: make([]*music.Origin, len(notes))}
	kept := false
	for i, j := range match {
		if j >= 0 {
			fitted.ids[i], fitted.origin[i] = r.ids[j], r.origin[j]
			kept = true
		}
	}
	if !kept {
		return nil
	}
	return fitted
}

// matched counts the elements align matched.
func matched(match []int) int {
	n := 0
	for _, j := range match {
		if j >= 0 {
			n++
		}
	}
	return n
}

// align finds a longest common subsequence of a and b by Myers's greedy
// algorithm, giving up past maxD edits: for each element of b, the index
// of the element of a it matches, or -1.
func align(a, b []uint8, maxD int) (match []int, ok bool) {
	n, m := len(a), len(b)
	maxD = min(maxD, n+m)
	off := maxD + 1
	v := make([]int, 2*maxD+3) // v[off+k]: the furthest x on diagonal k = x-y
	var trace [][]int          // v before each round d, to walk the path back
	for d := 0; d <= maxD; d++ {
		trace = append(trace, slices.Clone(v))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1] // down: an element of b added
			} else {
				x = v[off+k-1] + 1 // right: an element of a removed
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, off, n, m), true
			}
		}
	}
	return nil, false
}

// backtrack walks the path align found from its end to its start,
// recording the matches of its diagonal runs.
func backtrack(trace [][]int, off, n, m int) []int {
	match := make([]int, m)
	for i := range match {
		match[i] = -1
	}
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		v := trace[d]
		k := x - y
		prev := k - 1
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			prev = k + 1
		}
		px := v[off+prev]
		py := px - prev
		for x > px && y > py {
			x, y = x-1, y-1
			match[y] = x
		}
		x, y = px, py
	}
	for x > 0 && y > 0 { // round 0: the run both start with
		x, y = x-1, y-1
		match[y] = x
	}
	return match
}
