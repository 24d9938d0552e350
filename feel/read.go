package feel

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unsafe"
)

// readProfile reads a .feel file as Decode does, field by field without
// reflection, for the built-in feels: encoding/json took 2.5 ms for
// swing-rhythm (148 KB), more than the band that plays it.
// TestReadProfile keeps it in agreement with Decode on every built-in.
// It is strict where encoding/json is lenient (keys matched exactly,
// case and all), which the built-ins, written by Encode, never need;
// Decode remains the reader of a user's files. A null is read as
// encoding/json reads it: nothing for a struct, string or number, nil for
// a slice, map or pointer (Encode writes a role's missing bands so).
func readProfile(data []byte) (*Profile, error) {
	r := &reader{data: data}
	var p Profile
	err := r.object(func(key string) error {
		switch key {
		case "name":
			return r.str(&p.Name)
		case "description":
			return r.str(&p.Description)
		case "sources":
			if p.Sources = nil; r.null() {
				return nil
			}
			p.Sources = []string{}
			return r.array(func() error {
				var s string
				err := r.str(&s)
				p.Sources = append(p.Sources, s)
				return err
			})
		case "roles":
			if r.null() {
				p.Roles = nil
				return nil
			}
			if p.Roles == nil { // a second "roles" adds to the first, as in encoding/json
				p.Roles = map[string]*Role{}
			}
			return r.object(func(name string) error {
				name = strings.Clone(name)
				if r.null() {
					p.Roles[name] = nil
					return nil
				}
				role := &Role{}
				p.Roles[name] = role
				return r.role(role)
			})
		}
		return r.unknown(key)
	})
	if err == nil {
		if r.space(); r.i < len(r.data) {
			err = r.fail("text after the profile")
		}
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// reader is a position in a .feel file's bytes.
type reader struct {
	data []byte
	i    int
}

func (r *reader) fail(msg string) error { return fmt.Errorf("offset %d: %s", r.i, msg) }

func (r *reader) unknown(key string) error {
	return r.fail(fmt.Sprintf("unknown field %q", key))
}

func (r *reader) space() {
	d, i := r.data, r.i
	for i < len(d) {
		// Encode indents: the spaces come in runs, taken eight at a time.
		for i+8 <= len(d) && binary.LittleEndian.Uint64(d[i:]) == 0x2020202020202020 {
			i += 8
		}
		if i == len(d) {
			break
		}
		if c := d[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			break
		}
		i++
	}
	r.i = i
}

// expect consumes byte c after any white space.
func (r *reader) expect(c byte) error {
	r.space()
	if r.i >= len(r.data) || r.data[r.i] != c {
		return r.fail(fmt.Sprintf("want %q", c))
	}
	r.i++
	return nil
}

// next reports whether c comes next after any white space, consuming it
// if so.
func (r *reader) next(c byte) bool {
	r.space()
	if r.i < len(r.data) && r.data[r.i] == c {
		r.i++
		return true
	}
	return false
}

// null reports whether a null comes next, consuming it if so.
func (r *reader) null() bool {
	r.space()
	if len(r.data)-r.i >= 4 && string(r.data[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// object reads {"key": value, ...}, calling field for each key with the
// reader at its value; null is read as no keys.
func (r *reader) object(field func(key string) error) error {
	if r.null() {
		return nil
	}
	if err := r.expect('{'); err != nil {
		return err
	}
	if r.next('}') {
		return nil
	}
	for {
		key, err := r.key()
		if err != nil {
			return err
		}
		if err := r.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		if r.next('}') {
			return nil
		}
		if err := r.expect(','); err != nil {
			return err
		}
	}
}

// array reads [value, ...], calling elem with the reader at each value;
// null is read as no values.
func (r *reader) array(elem func() error) error {
	if r.null() {
		return nil
	}
	if err := r.expect('['); err != nil {
		return err
	}
	if r.next(']') {
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if r.next(']') {
			return nil
		}
		if err := r.expect(','); err != nil {
			return err
		}
	}
}

// key reads an object's key without copying it: the string is valid as
// long as the data, so a key kept (a map's) is cloned.
func (r *reader) key() (string, error) {
	if err := r.expect('"'); err != nil {
		return "", err
	}
	start := r.i
	for ; r.i < len(r.data); r.i++ {
		switch c := r.data[r.i]; {
		case c == '"':
			r.i++
			return unsafe.String(unsafe.SliceData(r.data[start:]), r.i-1-start), nil
		case c == '\\' || c < ' ' || c >= 0x80:
			return "", r.fail("a key with escapes or beyond ASCII") // none of the .feel format's
		}
	}
	return "", r.fail("unterminated string")
}

// str reads a string; one with escapes or bytes beyond ASCII is read by
// encoding/json, which knows the escapes and replaces invalid UTF-8.
func (r *reader) str(s *string) error {
	if r.null() {
		return nil
	}
	if err := r.expect('"'); err != nil {
		return err
	}
	start, escaped := r.i, false
	for ; r.i < len(r.data); r.i++ {
		switch c := r.data[r.i]; {
		case c == '\\':
			escaped = true
			r.i++
		case c >= 0x80:
			escaped = true
		case c == '"':
			r.i++
			if !escaped {
				*s = string(r.data[start : r.i-1])
				return nil
			}
			if err := json.Unmarshal(r.data[start-1:r.i], s); err != nil {
				return r.fail(err.Error())
			}
			return nil
		case c < ' ':
			return r.fail("control character in string")
		}
	}
	return r.fail("unterminated string")
}

// token is the bytes of a number or literal.
func (r *reader) token() []byte {
	r.space()
	start := r.i
	for r.i < len(r.data) {
		switch c := r.data[r.i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c == '-', c == '+', c == '.', c == 'E':
			r.i++
			continue
		}
		break
	}
	return r.data[start:r.i]
}

func (r *reader) float(f *float64) error {
	if r.null() {
		return nil
	}
	t := r.token()
	if len(t) == 0 || !validNumber(t) {
		return r.fail("want a number")
	}
	v, err := strconv.ParseFloat(unsafe.String(&t[0], len(t)), 64)
	if err != nil {
		return r.fail(err.Error())
	}
	*f = v
	return nil
}

func (r *reader) int(n *int) error {
	if r.null() {
		return nil
	}
	t := r.token()
	if len(t) == 0 || !validNumber(t) {
		return r.fail("want a whole number")
	}
	v, err := strconv.ParseInt(unsafe.String(&t[0], len(t)), 10, 0)
	if err != nil {
		return r.fail(err.Error())
	}
	*n = int(v)
	return nil
}

// validNumber reports whether t is a JSON number: strconv also reads
// forms JSON has not (hex, underscores, Inf, a leading + or zero).
func validNumber(t []byte) bool {
	i := 0
	if t[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(t) && t[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(t) && t[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(t)
}

func (r *reader) bool(b *bool) error {
	switch string(r.token()) {
	case "true":
		*b = true
	case "false":
		*b = false
	case "null":
	default:
		return r.fail("want true or false")
	}
	return nil
}

func (r *reader) stat(s *Stat) error {
	return r.object(func(key string) error {
		switch key {
		case "n":
			return r.int(&s.N)
		case "mean":
			return r.float(&s.Mean)
		case "sd":
			return r.float(&s.SD)
		case "q":
			if s.Q = nil; r.null() {
				return nil
			}
			s.Q = make([]float64, 0, len(QuantileLevels))
			return r.array(func() error {
				var q float64
				err := r.float(&q)
				s.Q = append(s.Q, q)
				return err
			})
		}
		return r.unknown(key)
	})
}

func (r *reader) role(role *Role) error {
	return r.object(func(key string) error {
		switch key {
		case "bands":
			if role.Bands = nil; r.null() {
				return nil
			}
			role.Bands = []TempoBand{}
			return r.array(func() error {
				role.Bands = append(role.Bands, TempoBand{})
				return r.band(&role.Bands[len(role.Bands)-1])
			})
		case "velocity":
			if r.null() {
				role.Velocity = nil
				return nil
			}
			if role.Velocity == nil {
				role.Velocity = map[string]Stat{}
			}
			return r.object(func(pos string) error {
				var s Stat
				err := r.stat(&s)
				role.Velocity[strings.Clone(pos)] = s
				return err
			})
		case "velocity_spread":
			return r.stat(&role.VelocitySpread)
		case "no_dynamics":
			return r.bool(&role.NoDynamics)
		case "articulation":
			return r.stat(&role.Articulation)
		case "hurst":
			return r.float(&role.Hurst)
		case "beat_share":
			return r.float(&role.BeatShare)
		case "lead_ms":
			return r.stat(&role.Lead)
		case "offset_ms":
			return r.float(&role.OffsetMs)
		case "offset_source":
			return r.str(&role.OffsetSource)
		}
		return r.unknown(key)
	})
}

func (r *reader) band(b *TempoBand) error {
	return r.object(func(key string) error {
		switch key {
		case "lo":
			return r.float(&b.Lo)
		case "hi":
			return r.float(&b.Hi)
		case "timing":
			if r.null() {
				b.Timing = nil
				return nil
			}
			if b.Timing == nil {
				b.Timing = map[string]Timing{}
			}
			return r.object(func(slot string) error {
				var t Timing
				err := r.object(func(key string) error {
					switch key {
					case "ms":
						return r.stat(&t.Ms)
					case "share":
						return r.stat(&t.Share)
					}
					return r.unknown(key)
				})
				b.Timing[strings.Clone(slot)] = t
				return err
			})
		case "swing":
			return r.stat(&b.Swing)
		case "triplet_swing":
			return r.stat(&b.TripletSwing)
		}
		return r.unknown(key)
	})
}
