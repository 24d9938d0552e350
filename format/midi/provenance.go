package midi

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"

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
//	0x7D "sideman" 0x01     manufacturer ID 0x7D (non-commercial), writer, version
//	n                       number of notes, in the order of their note-ons
//	n × id delta            note IDs, each as the zigzag-coded difference
//	                        from the previous one (consecutive IDs take a byte)
//	r, r × (index, count)   runs of notes with the same origin: an index into
//	                        the origins below, and how many notes in a row
//	JSON                    {"role": "...", "origins": [origin, ...]}
//
// where numbers are variable-length quantities as in the rest of the file,
// and an origin is {"kind": "machine-generated", "who": ..., "source": ...,
// "generator": ..., "version": ..., "params": ..., "step": ...,
// "derivedFrom": [ids], "base": origin}, empty fields left out.
var provenanceTag = []byte("\x7dsideman\x01")

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

func toWire(o *music.Origin) *wireOrigin {
	if o == nil {
		return nil
	}
	return &wireOrigin{
		Kind: o.Kind.String(), Who: o.Who, Source: o.Source, Generator: o.Generator,
		Version: o.Version, Params: o.Params, Step: o.Step, DerivedFrom: o.DerivedFrom, Base: toWire(o.Base),
	}
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

// appendRecord appends the provenance record of a part whose n notes, in
// the order of their note-ons, are ns.
func appendRecord(b []byte, role string, n int, ns iter.Seq[*music.Note]) ([]byte, error) {
	// Room for a byte an id (ids mostly follow one another) and the rest.
	b = slices.Grow(b, len(provenanceTag)+n+64)
	b = append(b, provenanceTag...)
	b = appendUvarint(b, uint64(n))
	var prev music.NoteID
	for n := range ns {
		d := int64(n.ID - prev)
		b = appendUvarint(b, uint64(d<<1^d>>63))
		prev = n.ID
	}
	// Notes share Origin values; the table keeps one entry per pointer.
	rec := wireRecord{Role: role, Origins: []*wireOrigin{}}
	index := map[*music.Origin]int{}
	var runs []int // index, count pairs
	for n := range ns {
		i, ok := index[n.Origin]
		if !ok {
			i = len(rec.Origins)
			index[n.Origin] = i
			rec.Origins = append(rec.Origins, toWire(n.Origin))
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
	js, err := json.Marshal(rec)
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
	role   string
	ids    []music.NoteID
	origin []*music.Origin // per note; nil where none was recorded
}

// parseRecord reads a provenance record, reporting false for anything
// malformed: a record either comes back whole or not at all.
func parseRecord(p []byte) (*record, bool) {
	if !bytes.HasPrefix(p, provenanceTag) {
		return nil, false
	}
	pos := len(provenanceTag)
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
	var rec wireRecord
	if err := json.Unmarshal(p[pos:], &rec); err != nil {
		return nil, false
	}
	r.role = rec.Role
	origins := make([]*music.Origin, len(rec.Origins))
	for i, w := range rec.Origins {
		origins[i] = fromWire(w)
	}
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
