package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/gowebpki/jcs"

	"sideman/music"
)

// The hash rule.
//
// A record's body is its canonical JSON: the JSON that encoding/json
// writes for Record (Hash left out, empty fields omitted), put in the
// canonical form of RFC 8785 (JSON Canonicalization Scheme: members
// sorted by their names' UTF-16 code units, no white space, strings with
// only the escapes JSON requires, numbers as ECMAScript writes them; the
// ledger's are integers below 2^53). A record's hash is the lowercase hex
// SHA-256 of its body. appendBody writes that form directly, fast;
// TestBodyIsJCS checks it against github.com/gowebpki/jcs.

// Canonical returns the RFC 8785 canonical JSON of v as encoding/json
// writes it.
func Canonical(v any) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jcs.Transform(js)
}

// HashBody returns the hash of a body: its hex SHA-256.
func HashBody(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}

// Body returns a record's canonical JSON, the hash it will have left
// out, after checking its fields.
func Body(r *Record) ([]byte, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	return appendBody(make([]byte, 0, 256), r), nil
}

// ErrNotCanonical is wrapped by Decode when a body is not the canonical
// JSON of the record it holds.
var ErrNotCanonical = errors.New("not the canonical JSON of a record")

// Decode reads a record from its body and sets its Hash. It accepts only
// canonical bodies of valid records: one reading per record, so that no
// two bodies (and no two hashes) tell the same event.
func Decode(body []byte) (Record, error) {
	r, err := decodeBody(body)
	if err != nil {
		return Record{}, err
	}
	r.Hash = HashBody(body)
	return r, nil
}

// decodeBody is Decode but for the hash.
func decodeBody(body []byte) (Record, error) {
	r, err := parseBody(body)
	if err != nil {
		return Record{}, err
	}
	if err := r.validate(); err != nil {
		return Record{}, err
	}
	var buf [512]byte
	if !bytes.Equal(appendBody(buf[:0], &r), body) {
		return Record{}, ErrNotCanonical
	}
	return r, nil
}

// appendBody appends the canonical JSON of a valid record: members in
// the order of their names (all ASCII, so byte order is UTF-16 order).
func appendBody(b []byte, r *Record) []byte {
	b = append(b, `{"actor":`...)
	b = appendString(b, string(r.Actor))
	if len(r.After) > 0 {
		b = append(b, `,"after":`...)
		b = appendStates(b, r.After)
	}
	if len(r.Before) > 0 {
		b = append(b, `,"before":`...)
		b = appendStates(b, r.Before)
	}
	if len(r.Files) > 0 {
		b = append(b, `,"files":[`...)
		for i, f := range r.Files {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendString(b, f.Name)
			b = append(b, `,"sha256":`...)
			b = appendString(b, f.SHA256)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if g := r.Gen; g != nil {
		b = append(b, `,"gen":{`...)
		if len(g.From) > 0 {
			b = append(b, `"from":`...)
			b = appendIDs(b, g.From)
			b = append(b, ',')
		}
		b = append(b, `"generator":`...)
		b = appendString(b, g.Generator)
		if g.Model != "" {
			b = append(b, `,"model":`...)
			b = appendString(b, g.Model)
		}
		if len(g.Params) > 0 {
			b = append(b, `,"params":{`...)
			for i, k := range sortedKeys(g.Params) {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendString(b, k)
				b = append(b, ':')
				b = appendString(b, g.Params[k])
			}
			b = append(b, '}')
		}
		if g.Seed != "" {
			b = append(b, `,"seed":`...)
			b = appendString(b, g.Seed)
		}
		if g.Version != "" {
			b = append(b, `,"version":`...)
			b = appendString(b, g.Version)
		}
		b = append(b, '}')
	}
	if len(r.Notes) > 0 {
		b = append(b, `,"notes":`...)
		b = appendIDs(b, r.Notes)
	}
	b = append(b, `,"op":`...)
	b = appendString(b, string(r.Op))
	if r.Prev != "" {
		b = append(b, `,"prev":`...)
		b = appendString(b, r.Prev)
	}
	b = append(b, `,"seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	if s := r.Sig; s != nil {
		b = append(b, `,"sig":{"key":`...)
		b = appendString(b, s.Key)
		b = append(b, `,"value":`...)
		b = appendString(b, s.Value)
		b = append(b, '}')
	}
	if r.Source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, string(r.Source))
	}
	b = append(b, `,"time":"`...)
	b = r.Time.AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...)
}

func appendStates(b []byte, s []NoteState) []byte {
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendState(b, &s[i])
	}
	return append(b, ']')
}

// appendState writes a note's fields as the array [part, tick, dur,
// pitch, vel].
func appendState(b []byte, s *NoteState) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(s.Part), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(s.Tick), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(s.Dur), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.Pitch), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(s.Vel), 10)
	return append(b, ']')
}

func appendIDs(b []byte, ids []music.NoteID) []byte {
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(id), 10)
	}
	return append(b, ']')
}

// appendString appends s as RFC 8785 writes a string (ECMAScript's
// JSON.stringify): the quote, the backslash and control characters
// escaped, the short escapes where JSON has them, everything else as it
// is. s is valid UTF-8 (validate checks).
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// sortedKeys returns a map's keys in the order RFC 8785 sorts members:
// by their UTF-16 code units.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
	})
	return keys
}
