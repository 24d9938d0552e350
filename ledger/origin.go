package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"sideman/music"
)

// The one canonical encoding of a music.Origin.
//
// An origin is the RFC 8785 canonical JSON of
//
//	{"base": origin, "derivedFrom": [ids], "generator": "...",
//	 "kind": "machine-generated", "params": "...", "source": "...",
//	 "step": "...", "version": "...", "who": "..."}
//
// with every member but kind left out when empty, kind one of the names
// music.OriginKind writes, derivedFrom in the origin's order (ids below
// 2^53) and base the origin before a processing step, encoded the same
// way. A nil origin is null. Everything that writes or hashes an origin
// (the ledger, format/midi's provenance records) uses this encoding, and
// DecodeOrigin reads only it: one origin, one encoding, one hash.

// maxOriginDepth bounds the processing steps an origin may record: far
// past what sideman applies, short of a reader's stack.
const maxOriginDepth = 256

type originJSON struct {
	Base        *originJSON    `json:"base,omitempty"`
	DerivedFrom []music.NoteID `json:"derivedFrom,omitempty"`
	Generator   string         `json:"generator,omitempty"`
	Kind        string         `json:"kind"`
	Params      string         `json:"params,omitempty"`
	Source      string         `json:"source,omitempty"`
	Step        string         `json:"step,omitempty"`
	Version     string         `json:"version,omitempty"`
	Who         string         `json:"who,omitempty"`
}

// EncodeOrigin returns the canonical encoding of an origin ("null" for
// nil).
func EncodeOrigin(o *music.Origin) ([]byte, error) {
	w, err := toOriginJSON(o, 0)
	if err != nil {
		return nil, err
	}
	return Canonical(w)
}

// OriginHash returns the hex SHA-256 of an origin's canonical encoding.
func OriginHash(o *music.Origin) (string, error) {
	b, err := EncodeOrigin(o)
	if err != nil {
		return "", err
	}
	return HashBody(b), nil
}

// DecodeOrigin reads an origin from its canonical encoding, rejecting any
// other (members out of order, white space, an unknown kind or member, an
// empty member written out).
func DecodeOrigin(b []byte) (*music.Origin, error) {
	var w *originJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("ledger: origin: %v", err)
	}
	o, err := fromOriginJSON(w, 0)
	if err != nil {
		return nil, err
	}
	again, err := EncodeOrigin(o)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, b) {
		return nil, fmt.Errorf("ledger: origin: %w", ErrNotCanonical)
	}
	return o, nil
}

func toOriginJSON(o *music.Origin, depth int) (*originJSON, error) {
	if o == nil {
		return nil, nil
	}
	if depth >= maxOriginDepth {
		return nil, fmt.Errorf("ledger: origin: more than %d processing steps", maxOriginDepth)
	}
	if int(o.Kind) >= len(kindNames) {
		return nil, fmt.Errorf("ledger: origin: unknown kind %d", o.Kind)
	}
	for _, s := range []string{o.Who, o.Source, o.Generator, o.Version, o.Params, o.Step} {
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("ledger: origin: %q is not UTF-8", s)
		}
	}
	for _, id := range o.DerivedFrom {
		if id >= music.MaxID {
			return nil, fmt.Errorf("ledger: origin: note id %d out of range", id)
		}
	}
	base, err := toOriginJSON(o.Base, depth+1)
	if err != nil {
		return nil, err
	}
	return &originJSON{
		Base: base, DerivedFrom: o.DerivedFrom, Generator: o.Generator, Kind: o.Kind.String(),
		Params: o.Params, Source: o.Source, Step: o.Step, Version: o.Version, Who: o.Who,
	}, nil
}

func fromOriginJSON(w *originJSON, depth int) (*music.Origin, error) {
	if w == nil {
		return nil, nil
	}
	if depth >= maxOriginDepth {
		return nil, fmt.Errorf("ledger: origin: more than %d processing steps", maxOriginDepth)
	}
	kind, ok := music.ParseOriginKind(w.Kind)
	if !ok {
		return nil, fmt.Errorf("ledger: origin: unknown kind %q", w.Kind)
	}
	base, err := fromOriginJSON(w.Base, depth+1)
	if err != nil {
		return nil, err
	}
	return &music.Origin{
		Kind: kind, Who: w.Who, Source: w.Source, Generator: w.Generator, Version: w.Version,
		Params: w.Params, Step: w.Step, DerivedFrom: w.DerivedFrom, Base: base,
	}, nil
}

// kindNames are the kinds music.OriginKind names.
var kindNames = func() []string {
	var names []string
	for k := music.OriginKind(0); ; k++ {
		if _, ok := music.ParseOriginKind(k.String()); !ok || k > 0 && k.String() == "unknown" {
			return names
		}
		names = append(names, k.String())
	}
}()
