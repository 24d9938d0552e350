package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"sideman/music"
)

// parseBody reads the JSON of a record. It is a small reader for the
// record's members alone, much faster than encoding/json (Verify reads a
// million records); decodeBody then writes the record again and keeps it
// only when that gives the same bytes, so this reader need not reject
// every form that is not canonical: the comparison does.
func parseBody(b []byte) (Record, error) {
	p := parser{b: b}
	var r Record
	err := p.object(func(key []byte) error {
		switch string(key) {
		case "actor":
			s, err := p.string()
			r.Actor = Actor(s)
			return err
		case "after":
			var err error
			r.After, err = p.states()
			return err
		case "before":
			var err error
			r.Before, err = p.states()
			return err
		case "files":
			return p.array(func() error {
				var f File
				err := p.object(func(key []byte) error {
					var err error
					switch string(key) {
					case "name":
						f.Name, err = p.string()
					case "sha256":
						f.SHA256, err = p.string()
					default:
						err = fmt.Errorf("unknown member %q of a file", key)
					}
					return err
				})
				r.Files = append(r.Files, f)
				return err
			})
		case "gen":
			r.Gen = &Generation{}
			return p.object(func(key []byte) error {
				var err error
				g := r.Gen
				switch string(key) {
				case "from":
					g.From, err = p.ids()
				case "generator":
					g.Generator, err = p.string()
				case "model":
					g.Model, err = p.string()
				case "params":
					g.Params = map[string]string{}
					err = p.object(func(key []byte) error {
						k, err := p.unescaped(key)
						if err != nil {
							return err
						}
						v, err := p.string()
						g.Params[k] = v
						return err
					})
				case "seed":
					g.Seed, err = p.string()
				case "version":
					g.Version, err = p.string()
				default:
					err = fmt.Errorf("unknown member %q of gen", key)
				}
				return err
			})
		case "notes":
			var err error
			r.Notes, err = p.ids()
			return err
		case "op":
			s, err := p.string()
			r.Op = Op(s)
			return err
		case "prev":
			var err error
			r.Prev, err = p.string()
			return err
		case "seq":
			n, err := p.int()
			r.Seq = uint64(n)
			if n < 0 {
				return errors.New("negative sequence number")
			}
			return err
		case "sig":
			r.Sig = &Signature{}
			return p.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "key":
					r.Sig.Key, err = p.string()
				case "value":
					r.Sig.Value, err = p.string()
				default:
					err = fmt.Errorf("unknown member %q of sig", key)
				}
				return err
			})
		case "source":
			s, err := p.string()
			r.Source = SourceType(s)
			return err
		case "time":
			s, err := p.string()
			if err != nil {
				return err
			}
			r.Time, err = time.Parse(time.RFC3339Nano, s)
			return err
		}
		return fmt.Errorf("unknown member %q", key)
	})
	if err == nil && p.i != len(b) {
		err = errors.New("more after the record")
	}
	if err != nil {
		return Record{}, fmt.Errorf("%w: at byte %d: %v", ErrNotCanonical, p.i, err)
	}
	return r, nil
}

// known returns the strings most records hold without a copy.
func known(b []byte) (string, bool) {
	switch string(b) { // no allocation: the compiler compares the bytes
	case "human":
		return "human", true
	case "machine":
		return "machine", true
	case "system":
		return "system", true
	case "capture":
		return "capture", true
	case "generate":
		return "generate", true
	case "transform":
		return "transform", true
	case "modify":
		return "modify", true
	case "checkpoint":
		return "checkpoint", true
	case string(DigitalCapture):
		return string(DigitalCapture), true
	case string(DigitalCreation):
		return string(DigitalCreation), true
	case string(HumanEdits):
		return string(HumanEdits), true
	case string(AlgorithmicallyEnhanced):
		return string(AlgorithmicallyEnhanced), true
	case string(AlgorithmicMedia):
		return string(AlgorithmicMedia), true
	case string(TrainedAlgorithmicMedia):
		return string(TrainedAlgorithmicMedia), true
	}
	return "", false
}

type parser struct {
	b []byte
	i int
}

var errEnd = errors.New("unexpected end")

func (p *parser) expect(c byte) error {
	if p.i >= len(p.b) {
		return errEnd
	}
	if p.b[p.i] != c {
		return fmt.Errorf("%q where %q belongs", p.b[p.i], c)
	}
	p.i++
	return nil
}

// more reports whether another element follows (a comma, consumed) or
// the container ends (close, consumed).
func (p *parser) more(close byte) (bool, error) {
	if p.i >= len(p.b) {
		return false, errEnd
	}
	switch p.b[p.i] {
	case ',':
		p.i++
		return true, nil
	case close:
		p.i++
		return false, nil
	}
	return false, fmt.Errorf("%q in a list", p.b[p.i])
}

func (p *parser) object(member func(key []byte) error) error {
	if err := p.expect('{'); err != nil {
		return err
	}
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for {
		key, err := p.raw()
		if err != nil {
			return err
		}
		if err := p.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		if more, err := p.more('}'); !more {
			return err
		}
	}
}

func (p *parser) array(element func() error) error {
	if err := p.expect('['); err != nil {
		return err
	}
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		if err := element(); err != nil {
			return err
		}
		if more, err := p.more(']'); !more {
			return err
		}
	}
}

// int reads an integer: digits, a minus sign before them; at most 18
// digits, past what a record holds (2^53 has 16).
func (p *parser) int() (int64, error) {
	neg := p.i < len(p.b) && p.b[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n int64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 18 {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start || p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		return 0, errors.New("not an integer of at most 18 digits")
	}
	if neg {
		n = -n
	}
	return n, nil
}

func (p *parser) ids() ([]music.NoteID, error) {
	ids := make([]music.NoteID, 0, 4)
	err := p.array(func() error {
		n, err := p.int()
		if n < 0 {
			return errors.New("negative note id")
		}
		ids = append(ids, music.NoteID(n))
		return err
	})
	return ids, err
}

func (p *parser) states() ([]NoteState, error) {
	ss := make([]NoteState, 0, 4)
	err := p.array(func() error {
		s, err := p.state()
		ss = append(ss, s)
		return err
	})
	return ss, err
}

// state reads a note's fields: [part, tick, dur, pitch, vel].
func (p *parser) state() (NoteState, error) {
	var v [5]int64
	k := 0
	err := p.array(func() error {
		if k == len(v) {
			return errors.New("a note with more than five fields")
		}
		var err error
		v[k], err = p.int()
		k++
		return err
	})
	if err != nil {
		return NoteState{}, err
	}
	if k < len(v) {
		return NoteState{}, errors.New("a note with fewer than five fields")
	}
	s := NoteState{Part: int16(v[0]), Tick: music.Ticks(v[1]), Dur: music.Ticks(v[2]), Pitch: uint8(v[3]), Vel: uint8(v[4])}
	if int64(s.Part) != v[0] || int64(s.Pitch) != v[3] || int64(s.Vel) != v[4] {
		return NoteState{}, fmt.Errorf("note fields out of range: %v", v)
	}
	return s, nil
}

// raw reads a JSON string and returns its bytes between the quotes as
// they are, escapes and all (unescaped makes a string of them). It does
// not look for control characters: appendString escapes them, so a body
// holding one raw is not canonical.
func (p *parser) raw() ([]byte, error) {
	if err := p.expect('"'); err != nil {
		return nil, err
	}
	start := p.i
	for {
		q := bytes.IndexByte(p.b[p.i:], '"')
		if q < 0 {
			return nil, errEnd
		}
		end := p.i + q
		// The quote ends the string unless an odd number of backslashes
		// come before it.
		n := 0
		for end-n-1 >= start && p.b[end-n-1] == '\\' {
			n++
		}
		p.i = end + 1
		if n%2 == 0 {
			return p.b[start:end], nil
		}
	}
}

// string reads a JSON string (any escapes; the comparison with the
// canonical form rejects those RFC 8785 does not write).
func (p *parser) string() (string, error) {
	raw, err := p.raw()
	if err != nil {
		return "", err
	}
	return p.unescaped(raw)
}

// unescaped is the string a raw string read stands for.
func (p *parser) unescaped(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') >= 0 {
		q := parser{b: raw}
		return q.escaped(0)
	}
	if !utf8.Valid(raw) {
		return "", errors.New("a string not UTF-8")
	}
	if s, ok := known(raw); ok {
		return s, nil
	}
	return string(raw), nil
}

// escaped reads a string's content with escapes from start to the end
// of p.b (raw has found its closing quote).
func (p *parser) escaped(start int) (string, error) {
	buf := make([]byte, 0, len(p.b)-start)
	p.i = start
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c != '\\' {
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return "", errEnd
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					r2, err := p.hex4()
					if err != nil {
						return "", err
					}
					r = utf16.DecodeRune(r, r2)
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", fmt.Errorf("escape \\%c", e)
		}
	}
	if !utf8.Valid(buf) {
		return "", errors.New("a string not UTF-8")
	}
	return string(buf), nil
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.b) {
		return 0, errEnd
	}
	n, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, fmt.Errorf("escape \\u%s", p.b[p.i:p.i+4])
	}
	p.i += 4
	return rune(n), nil
}
