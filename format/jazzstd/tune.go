package jazzstd

import (
	"encoding/json"
	"unicode/utf8"

	"sideman/format"
	"sideman/music"
)

// Index is a JazzStandards file read only as far as listing its tunes:
// each tune's title, composer and JSON, so that one tune is decoded
// without the others. Decoding every tune is what Decode costs (1,382
// tunes: about 55 ms, 37 of them the chords); an Index reads the JSON
// once, checking its syntax as encoding/json does, and Tune decodes one.
//
// Tune(i) is the chart Decode returns at i, and fails with the error
// Decode gives for that tune; a tune that cannot be read does not stop
// the others, as it stops Decode.
type Index struct {
	tunes []entry
}

// entry is one tune of the array: its JSON, title and composer, or the
// error of a tune whose title cannot be read without decoding it.
type entry struct {
	raw []byte
	// title and composer as written, decoded when asked for; or, for
	// a tune decoded to list it, as decoded.
	title, composer jsonString
	decoded         *tuneJSON
	err             error
}

// NewIndex lists the tunes of a JSON array as Decode reads it. An input
// Decode refuses as a whole (too large, not JSON, not an array) is
// refused with the same error.
func NewIndex(data []byte) (*Index, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Err: err}
	}
	x := &Index{}
	s := &scan{data: data}
	if s.array(x) {
		return x, nil
	}
	// Not an array, or not JSON: Decode's own error, or the tunes of an
	// array the scan did not take (null is an empty list).
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &ParseError{Err: err}
	}
	x.tunes = x.tunes[:0]
	for _, m := range raw {
		x.slow(m)
	}
	return x, nil
}

// slow lists a tune by decoding it as Decode does: for a tune the scan
// cannot read plainly (no object, a key with escapes or other than
// ASCII, a title that is no string).
func (x *Index) slow(m []byte) {
	e := entry{raw: m, decoded: &tuneJSON{}}
	if err := json.Unmarshal(m, e.decoded); err != nil {
		e.err = &ParseError{Tune: len(x.tunes) + 1, Err: err}
	}
	x.tunes = append(x.tunes, e)
}

// Len is the number of tunes.
func (x *Index) Len() int { return len(x.tunes) }

// Title is the title of tune i (0-based), as Decode gives it.
func (x *Index) Title(i int) string {
	if e := x.tunes[i]; e.decoded != nil {
		return e.decoded.Title
	}
	return x.tunes[i].title.text()
}

// Composer is the composer of tune i, as Decode gives it.
func (x *Index) Composer(i int) string {
	if e := x.tunes[i]; e.decoded != nil {
		return e.decoded.Composer
	}
	return x.tunes[i].composer.text()
}

// Tune decodes tune i (0-based): the chart Decode returns at i, or the
// error Decode gives for that tune.
func (x *Index) Tune(i int) (*music.Chart, error) {
	e := x.tunes[i]
	if e.err != nil {
		return nil, e.err
	}
	var t tuneJSON
	if err := json.Unmarshal(e.raw, &t); err != nil {
		return nil, &ParseError{Tune: i + 1, Err: err}
	}
	return decodeTune(i+1, &t)
}

// maxDepth is the deepest nesting encoding/json reads.
const maxDepth = 10000

// scan checks JSON as encoding/json.Valid does (RFC 8259: no byte below
// 0x20 in a string, any other byte, UTF-8 or not; nesting to maxDepth),
// in one pass that also finds the tunes of a top-level array.
type scan struct {
	data []byte
	i    int
}

// array reads the whole input as an array of tunes into x; false when
// it is not valid JSON or not an array.
func (s *scan) array(x *Index) bool {
	s.space()
	if !s.eat('[') {
		return false
	}
	s.space()
	if !s.eat(']') {
		for {
			s.space()
			start := s.i
			var t tuneAt
			if s.i < len(s.data) && s.data[s.i] == '{' {
				if !s.object(1, &t) {
					return false
				}
			} else if !s.value(1) {
				return false
			}
			m := s.data[start:s.i]
			if t.plain {
				x.tunes = append(x.tunes, entry{raw: m, title: t.title, composer: t.composer})
			} else {
				x.slow(m)
			}
			s.space()
			if s.eat(',') {
				continue
			}
			if !s.eat(']') {
				return false
			}
			break
		}
	}
	s.space()
	return s.i == len(s.data)
}

// tuneAt is what the scan reads of a tune: the last title and composer
// it gives, as encoding/json keeps the last of a key written twice, and
// whether it reads them as encoding/json would.
type tuneAt struct {
	plain           bool
	title, composer jsonString
}

// jsonString is a JSON string as written, quotes included; nil for none.
type jsonString []byte

// text is the string as encoding/json decodes it.
func (q jsonString) text() string {
	if q == nil {
		return ""
	}
	inner := q[1 : len(q)-1]
	plain := utf8.Valid(inner)
	for _, c := range inner {
		plain = plain && c != '\\'
	}
	if plain {
		return string(inner)
	}
	var out string
	json.Unmarshal(q, &out) // valid: the scan checked it
	return out
}

func (s *scan) space() {
	d, i := s.data, s.i
	for i < len(d) && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	s.i = i
}

func (s *scan) eat(c byte) bool {
	if s.i < len(s.data) && s.data[s.i] == c {
		s.i++
		return true
	}
	return false
}

// value reads one value inside depth containers.
func (s *scan) value(depth int) bool {
	s.space()
	if s.i >= len(s.data) {
		return false
	}
	switch c := s.data[s.i]; {
	case c == '{':
		return s.object(depth, nil)
	case c == '[':
		if depth >= maxDepth {
			return false
		}
		s.i++
		s.space()
		if s.eat(']') {
			return true
		}
		for {
			if !s.value(depth + 1) {
				return false
			}
			s.space()
			if s.eat(',') {
				continue
			}
			return s.eat(']')
		}
	case c == '"':
		return s.string()
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	case c == 't':
		return s.word("true")
	case c == 'f':
		return s.word("false")
	case c == 'n':
		return s.word("null")
	}
	return false
}

// object reads an object inside depth containers; t, when not nil, is
// the tune it is, whose title and composer it keeps.
func (s *scan) object(depth int, t *tuneAt) bool {
	if depth >= maxDepth || !s.eat('{') {
		return false
	}
	if t != nil {
		t.plain = true
	}
	s.space()
	if s.eat('}') {
		return true
	}
	for {
		s.space()
		k := s.i
		if !s.string() {
			return false
		}
		key := s.data[k+1 : s.i-1]
		s.space()
		if !s.eat(':') {
			return false
		}
		s.space()
		v := s.i
		if !s.value(depth + 1) {
			return false
		}
		if t != nil && t.plain {
			t.field(key, s.data[v:s.i])
		}
		s.space()
		if s.eat(',') {
			continue
		}
		return s.eat('}')
	}
}

// field keeps a key's value if it is the title or the composer, as
// encoding/json matches keys to tuneJSON's fields: exactly or without
// regard to case. A key or a value it cannot match so plainly makes
// the tune one to decode.
func (t *tuneAt) field(key, val []byte) {
	var f *jsonString
	for _, c := range key {
		if c == '\\' || c >= utf8.RuneSelf {
			t.plain = false
			return
		}
	}
	switch {
	case asciiFold(key, "title"):
		f = &t.title
	case asciiFold(key, "composer"):
		f = &t.composer
	default:
		return
	}
	switch {
	case val[0] == '"':
		*f = val
	case string(val) != "null": // null leaves the field as it was
		t.plain = false
	}
}

// asciiFold reports whether an ASCII key is the lower-case word in any case.
func asciiFold(key []byte, word string) bool {
	if len(key) != len(word) {
		return false
	}
	for i, c := range key {
		if c|0x20 != word[i] {
			return false
		}
	}
	return true
}

// string reads a string: no byte below 0x20, escapes as JSON has them.
func (s *scan) string() bool {
	if !s.eat('"') {
		return false
	}
	d := s.data
	for i := s.i; i < len(d); {
		switch c := d[i]; {
		case c == '"':
			s.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(d) {
				return false
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) {
					return false
				}
				for _, h := range d[i+2 : i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			i++
		}
	}
	return false
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scan) number() bool {
	s.eat('-')
	switch {
	case s.eat('0'):
	case s.digits() == 0:
		return false
	}
	if s.eat('.') && s.digits() == 0 {
		return false
	}
	if s.eat('e') || s.eat('E') {
		if !s.eat('+') {
			s.eat('-')
		}
		if s.digits() == 0 {
			return false
		}
	}
	return true
}

func (s *scan) digits() int {
	n := 0
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

func (s *scan) word(w string) bool {
	if len(s.data)-s.i < len(w) || string(s.data[s.i:s.i+len(w)]) != w {
		return false
	}
	s.i += len(w)
	return true
}
