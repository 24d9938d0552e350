package midi

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"sideman/format"
)

// ParseError reports malformed input: where decoding stopped and why.
type ParseError struct {
	Offset int64 // byte offset from the start of the input
	Track  int   // index of the track chunk (0 is the first), -1 outside tracks
	Err    error
}

func (e *ParseError) Error() string {
	if e.Track < 0 {
		return fmt.Sprintf("midi: byte %d: %v", e.Offset, e.Err)
	}
	return fmt.Sprintf("midi: byte %d (track %d): %v", e.Offset, e.Track, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errors wrapped by ParseError, for errors.Is; input past a limit wraps
// format.ErrTooLarge.
var (
	ErrNotMIDI   = errors.New("not a Standard MIDI File (no MThd chunk)")
	ErrTruncated = errors.New("unexpected end of data")
)

func fail(off int, track int, msg string, args ...any) error {
	return &ParseError{Offset: int64(off), Track: track, Err: fmt.Errorf(msg, args...)}
}

// Decode reads a whole Standard MIDI File from r, at most format.MaxSize
// bytes. See DecodeBytes.
func Decode(r io.Reader) (*File, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return new(Decoder).DecodeBytes(b)
}

// readAll reads r up to format.MaxSize bytes, refusing more.
func readAll(r io.Reader) ([]byte, error) {
	b, err := format.ReadAll(r)
	if errors.Is(err, format.ErrTooLarge) {
		return nil, &ParseError{Offset: format.MaxSize, Track: -1, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("midi: %w", err)
	}
	return b, nil
}

// DecodeBytes decodes a Standard MIDI File (or an RMID file, which wraps
// one in a RIFF chunk). The File's payloads refer into data, which must not
// be modified while the File is in use.
func DecodeBytes(data []byte) (*File, error) { return new(Decoder).DecodeBytes(data) }

// A Decoder decodes MIDI files, reusing its storage from one file to the
// next: decoding a corpus with one Decoder allocates next to nothing once
// it has seen the largest file. The zero value is ready to use.
type Decoder struct {
	// Source names the input in the notes' Origin of DecodePiece; "midi"
	// when empty.
	Source string

	events []Event
	ends   []int
	file   File
}

// Decode is like the package's Decode, but the File it returns belongs to
// d, as DecodeBytes says.
func (d *Decoder) Decode(r io.Reader) (*File, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return d.DecodeBytes(b)
}

// DecodeBytes is like the package's DecodeBytes, but the File it returns,
// with its tracks and events, belongs to d and is overwritten by the next
// call. Use the package's DecodeBytes for a File to keep.
func (d *Decoder) DecodeBytes(data []byte) (*File, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{Offset: format.MaxSize, Track: -1, Err: err}
	}
	b := data[:len(data):len(data)]
	p, err := unwrapRIFF(b)
	if err != nil {
		return nil, err
	}
	if len(b)-p < 8 {
		if len(b) > p && bytes.HasPrefix([]byte("MThd"), b[p:min(len(b), p+4)]) {
			return nil, fail(len(b), -1, "%w in header", ErrTruncated)
		}
		return nil, fail(p, -1, "%w", ErrNotMIDI)
	}
	if string(b[p:p+4]) != "MThd" {
		return nil, fail(p, -1, "%w", ErrNotMIDI)
	}
	hlen := be32(b[p+4:])
	if hlen < 6 {
		return nil, fail(p+4, -1, "header chunk of %d bytes, want at least 6", hlen)
	}
	if uint64(len(b)-p-8) < uint64(hlen) {
		return nil, fail(len(b), -1, "%w in header (chunk of %d bytes)", ErrTruncated, hlen)
	}
	h := b[p+8:]
	smf, ntrks, div := int(be16(h)), int(be16(h[2:])), Division(be16(h[4:]))
	if smf > 2 {
		return nil, fail(p+8, -1, "unknown format %d", smf)
	}
	if err := checkDivision(div); err != nil {
		return nil, &ParseError{Offset: int64(p + 12), Track: -1, Err: err}
	}
	p += 8 + int(hlen)

	f := &d.file
	*f = File{Format: smf, Division: div, Tracks: f.Tracks[:0]}
	// A note event takes 3 bytes or more (delta, and two data bytes under
	// running status), so a third of the size is a good first capacity.
	want := min(len(b)/3+16, maxEvents)
	if cap(d.events) < want {
		d.events = make([]Event, 0, want)
	}
	ev := d.events[:0]
	ends := d.ends[:0]
	for len(ends) < ntrks {
		if p == len(b) {
			return nil, fail(p, -1, "%w: header promises %d tracks, found %d", ErrTruncated, ntrks, len(ends))
		}
		if len(b)-p < 8 {
			return nil, fail(len(b), len(ends), "%w in chunk header", ErrTruncated)
		}
		clen := be32(b[p+4:])
		if uint64(len(b)-p-8) < uint64(clen) {
			return nil, fail(p+4, len(ends), "%w: chunk of %d bytes, %d left in file", ErrTruncated, clen, len(b)-p-8)
		}
		start, end := p+8, p+8+int(clen)
		if string(b[p:p+4]) != "MTrk" {
			// The standard asks readers to skip chunk types they do not know.
			p = end
			continue
		}
		ev, err = decodeTrack(ev, b[:end], start, len(ends))
		if err != nil {
			d.events = ev[:0]
			return nil, err
		}
		ends = append(ends, len(ev))
		p = end
	}
	// Bytes after the last track (padding, or chunks a tool appended) are
	// ignored, as the standard allows for chunks of unknown type.
	d.events, d.ends = ev, ends
	begin := 0
	for _, e := range ends {
		f.Tracks = append(f.Tracks, Track{Events: ev[begin:e:e], data: b})
		begin = e
	}
	return f, nil
}

func checkDivision(div Division) error {
	if div.SMPTE() {
		switch div.FramesPerSecond() {
		case 24, 25, 29, 30:
		default:
			return fmt.Errorf("SMPTE division of %d frames a second, want 24, 25, 29 or 30", div.FramesPerSecond())
		}
		if div.TicksPerFrame() == 0 {
			return errors.New("SMPTE division of 0 ticks a frame")
		}
		return nil
	}
	if div == 0 {
		return errors.New("division of 0 ticks a quarter note")
	}
	return nil
}

// unwrapRIFF returns where the Standard MIDI File starts in b: 0, or the
// start of the "data" chunk of a RIFF RMID file.
func unwrapRIFF(b []byte) (int, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "RMID" {
		return 0, nil
	}
	for p := 12; len(b)-p >= 8; {
		n := le32(b[p+4:])
		if string(b[p:p+4]) == "data" {
			if uint64(len(b)-p-8) < uint64(n) {
				return 0, fail(p+4, -1, "%w: RIFF data chunk of %d bytes", ErrTruncated, n)
			}
			return p + 8, nil
		}
		next := uint64(p) + 8 + uint64(n) + uint64(n&1) // RIFF chunks are padded to even sizes
		if next > uint64(len(b)) {
			break
		}
		p = int(next)
	}
	return 0, fail(12, -1, "%w: RIFF RMID file without a data chunk", ErrNotMIDI)
}

// decodeTrack appends the events of the track chunk b[start:] to ev. It is
// the hot loop of the package: one pass, no allocation but ev's growth.
func decodeTrack(ev []Event, b []byte, start, track int) ([]Event, error) {
	p := start
	var tick int64
	var running byte
	for p < len(b) {
		c := b[p]
		p++
		delta := int64(c)
		if c >= 0x80 {
			delta &= 0x7F
			for i := 1; ; i++ {
				if p >= len(b) {
					return ev, fail(p, track, "%w in delta time", ErrTruncated)
				}
				c = b[p]
				p++
				delta = delta<<7 | int64(c&0x7F)
				if c < 0x80 {
					break
				}
				if i == 3 {
					return ev, fail(p-4, track, "delta time longer than 4 bytes")
				}
			}
		}
		tick += delta
		if p >= len(b) {
			return ev, fail(p, track, "%w: delta time without an event", ErrTruncated)
		}
		// Events are stored field by field below rather than appended as
		// a struct literal: the literal is built on the stack and copied
		// with 16-byte moves that stall on store forwarding, which made
		// the append two thirds of the decoder's time.
		if len(ev) == cap(ev) {
			if len(ev) >= maxEvents {
				return ev, fail(p, track, "%w: more than %d events", format.ErrTooLarge, maxEvents)
			}
			ev = grow(ev)
		}
		s := b[p]
		if s >= 0x80 {
			p++
			if s >= 0xF0 {
				var err error
				ev, p, err = decodeSystem(ev, b, p, s, tick, track)
				if err != nil {
					return ev, err
				}
				// Running status survives meta and sysex events. The
				// standard says they cancel it, but files that rely on it
				// exist and reading on is never ambiguous.
				continue
			}
			running = s
		} else {
			if running == 0 {
				return ev, fail(p, track, "running status with no previous status (data byte %#02x)", s)
			}
			s = running
		}
		if dataLen[s>>4] == 2 {
			if p+1 >= len(b) {
				return ev, fail(len(b), track, "%w in %s message", ErrTruncated, kindName(s))
			}
			d1, d2 := b[p], b[p+1]
			if (d1|d2)&0x80 != 0 {
				return ev, badData(b, p, 2, track, s)
			}
			p += 2
			ev = ev[:len(ev)+1]
			e := &ev[len(ev)-1]
			e.Tick, e.Status, e.Data1, e.Data2, e.off = tick, s, d1, d2, 0
		} else {
			if p >= len(b) {
				return ev, fail(len(b), track, "%w in %s message", ErrTruncated, kindName(s))
			}
			d1 := b[p]
			if d1&0x80 != 0 {
				return ev, badData(b, p, 1, track, s)
			}
			p++
			ev = ev[:len(ev)+1]
			e := &ev[len(ev)-1]
			e.Tick, e.Status, e.Data1, e.Data2, e.off = tick, s, d1, 0, 0
		}
	}
	return ev, nil
}

// maxEvents is MaxEvents, lowered by tests.
var maxEvents = MaxEvents

// grow doubles the capacity of ev, up to maxEvents.
func grow(ev []Event) []Event {
	n := min(max(2*cap(ev), 1024), maxEvents)
	g := make([]Event, len(ev), n)
	copy(g, ev)
	return g
}

func badData(b []byte, p, n, track int, s byte) error {
	for i := 0; i < n; i++ {
		if b[p+i]&0x80 != 0 {
			return fail(p+i, track, "status byte %#02x where %s message wants a data byte", b[p+i], kindName(s))
		}
	}
	return nil
}

// decodeSystem decodes a meta or sysex event whose status s was at p-1.
func decodeSystem(ev []Event, b []byte, p int, s byte, tick int64, track int) ([]Event, int, error) {
	var typ byte
	switch s {
	case Meta:
		if p >= len(b) {
			return ev, p, fail(p, track, "%w in meta event", ErrTruncated)
		}
		typ = b[p]
		if typ >= 0x80 {
			return ev, p, fail(p, track, "meta event type %#02x above 0x7F", typ)
		}
		p++
	case Sysex, SysexEscape:
	default:
		return ev, p, fail(p-1, track, "status %#02x is not allowed in a MIDI file (system common or real-time message)", s)
	}
	off := p
	n, next, ok := uvarint(b, p)
	if !ok || next-p > 4 {
		if next-p > 4 || next < len(b) {
			return ev, p, fail(p, track, "length longer than 4 bytes in %s", systemName(s))
		}
		return ev, p, fail(p, track, "%w in length of %s", ErrTruncated, systemName(s))
	}
	if uint64(len(b)-next) < n {
		return ev, p, fail(p, track, "%w: %s of %d bytes, %d left in track", ErrTruncated, systemName(s), n, len(b)-next)
	}
	return append(ev, Event{Tick: tick, Status: s, Data1: typ, off: uint32(off)}), next + int(n), nil
}

func systemName(s byte) string {
	if s == Meta {
		return "meta event"
	}
	return "sysex event"
}

func kindName(s byte) string {
	switch s & 0xF0 {
	case NoteOff:
		return "note-off"
	case NoteOn:
		return "note-on"
	case PolyPressure:
		return "key pressure"
	case ControlChange:
		return "control change"
	case ProgramChange:
		return "program change"
	case ChannelPressure:
		return "channel pressure"
	case PitchBend:
		return "pitch bend"
	}
	return fmt.Sprintf("%#02x", s)
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func le32(b []byte) uint32 {
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}
