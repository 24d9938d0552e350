package jazzstd

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"sideman/music"
)

// Index is a JazzStandards file read only as far as listing its tunes:
// each tune's title, composer and where its JSON lies, so that one tune
// is decoded without the others. Decoding every tune's chords is most of
// what Decode costs (1,382 tunes: about 37 of 55 ms); an Index costs what
// checking the JSON's syntax costs, and Tune a tune's own work.
//
// Tune(i) is the chart Decode returns at i, and fails with the error
// Decode gives for that tune; a tune that cannot be read does not stop
// the others, as it stops Decode.
type Index struct {
	data  []byte
	tunes []entry
}

// entry is one tune of the array: its bytes, title and composer, or the
// error of a tune whose title cannot be read without decoding it.
type entry struct {
	start, end      int
	title, composer string
	err             error
}

// NewIndex lists the tunes of a JSON array as Decode reads it. An input
// Decode refuses as a whole (too large, not JSON, not an array) is
// refused with the same error.
func NewIndex(data []byte) (*Index, error) {
	if len(data) > MaxSize {
		return nil, &Error{Err: ErrTooLarge}
	}
	x := &Index{data: data}
	i := skipSpace(data, 0)
	if !json.Valid(data) || i == len(data) || data[i] != '[' {
		// Decode's own error; valid JSON that is no array and no
		// error is null, an empty list.
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, &Error{Err: err}
		}
		return x, nil
	}
	// The JSON is valid: the scan needs to find where values end, not to
	// check them.
	for i = skipSpace(data, i+1); i < len(data) && data[i] != ']'; {
		end := x.add(data, i)
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return x, nil
}

// add lists the tune whose JSON starts at i and returns where it ends.
// It reads the title and composer as encoding/json fills tuneJSON: a key
// that matches without regard to case, the last such key winning. What
// the scan cannot read as plainly (a tune that is no object, a key with
// escapes or other than ASCII, a title that is no string) is decoded as
// Decode decodes it.
func (x *Index) add(data []byte, i int) int {
	e := entry{start: i}
	end, ok := plain(data, i, &e)
	if !ok {
		end = skipValue(data, i)
		var t tuneJSON
		if err := json.Unmarshal(data[i:end], &t); err != nil {
			e.err = &Error{Tune: len(x.tunes) + 1, Err: err}
		}
		e.title, e.composer = t.Title, t.Composer
	}
	e.end = end
	x.tunes = append(x.tunes, e)
	return end
}

// plain reads the title and composer of a tune written plainly, the
// object at i, and returns where it ends; false when it is not plain.
func plain(m []byte, i int, e *entry) (int, bool) {
	if m[i] != '{' {
		return 0, false
	}
	for i = skipSpace(m, i+1); i < len(m) && m[i] != '}'; {
		if m[i] != '"' {
			return 0, false
		}
		kend := skipString(m, i)
		key := m[i+1 : kend-1]
		i = skipSpace(m, kend)
		i = skipSpace(m, i+1) // the colon
		vend := skipValue(m, i)
		val := m[i:vend]
		var field *string
		switch {
		case bytes.IndexByte(key, '\\') >= 0 || !ascii(key):
			return 0, false
		case bytes.EqualFold(key, []byte("Title")):
			field = &e.title
		case bytes.EqualFold(key, []byte("Composer")):
			field = &e.composer
		}
		if field != nil {
			switch {
			case val[0] == '"':
				*field = unquote(val)
			case string(val) != "null": // null leaves the field as it was
				return 0, false
			}
		}
		i = skipSpace(m, vend)
		if i < len(m) && m[i] == ',' {
			i = skipSpace(m, i+1)
		}
	}
	return i + 1, true
}

// Len is the number of tunes.
func (x *Index) Len() int { return len(x.tunes) }

// Title is the title of tune i (0-based), as Decode gives it.
func (x *Index) Title(i int) string { return x.tunes[i].title }

// Composer is the composer of tune i, as Decode gives it.
func (x *Index) Composer(i int) string { return x.tunes[i].composer }

// Tune decodes tune i (0-based): the chart Decode returns at i, or the
// error Decode gives for that tune.
func (x *Index) Tune(i int) (*music.Chart, error) {
	e := x.tunes[i]
	if e.err != nil {
		return nil, e.err
	}
	var t tuneJSON
	if err := json.Unmarshal(x.data[e.start:e.end], &t); err != nil {
		return nil, &Error{Tune: i + 1, Err: err}
	}
	return decodeTune(i+1, &t)
}

// skipSpace skips JSON white space from i.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the end of the valid JSON string whose quote is at i.
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++ // the byte after a backslash is never the end
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the end of the valid JSON value that starts at i.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	// A number, true, false or null.
	for i < len(data) {
		switch data[i] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// unquote is the text of a valid JSON string as encoding/json gives it.
func unquote(s []byte) string {
	inner := s[1 : len(s)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner)
	}
	var out string
	json.Unmarshal(s, &out) // valid: checked by NewIndex
	return out
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
