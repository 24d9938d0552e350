package midi

import (
	"errors"
	"fmt"
	"io"
	"slices"
)

// maxVLQ is the largest value a 4-byte variable-length quantity holds, the
// most the standard allows for delta times and lengths.
const maxVLQ = 1<<28 - 1

// ErrTooManyTracks is Encode's error for more tracks than a file holds:
// a piece of more than 65534 parts (FromPiece writes a track a part, after
// the conductor track) cannot be written, which is a fact of the music
// read, not a failure of the program.
var ErrTooManyTracks = errors.New("a file holds at most 65535 tracks")

// Encode writes f as a Standard MIDI File. Channel messages use running
// status; meta and sysex events cancel it, as the standard says. A track
// that does not end with an End of Track event gets one at its last tick.
// Events must be in tick order within each track.
func Encode(w io.Writer, f *File) error {
	if f.Format < 0 || f.Format > 2 {
		return fmt.Errorf("midi: cannot write format %d", f.Format)
	}
	if err := checkDivision(f.Division); err != nil {
		return fmt.Errorf("midi: %v", err)
	}
	if len(f.Tracks) > 0xFFFF {
		return fmt.Errorf("midi: %d tracks: %w", len(f.Tracks), ErrTooManyTracks)
	}
	buf := make([]byte, 0, 4096)
	buf = append(buf, "MThd\x00\x00\x00\x06"...)
	buf = append(buf, byte(f.Format>>8), byte(f.Format), byte(len(f.Tracks)>>8), byte(len(f.Tracks)), byte(f.Division>>8), byte(f.Division))
	for i := range f.Tracks {
		var err error
		if buf, err = appendTrack(buf, &f.Tracks[i]); err != nil {
			return fmt.Errorf("midi: track %d: %v", i, err)
		}
		// Flush track by track so memory stays at one track's size.
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("midi: %w", err)
		}
		buf = buf[:0]
	}
	if len(buf) > 0 { // a file without tracks: only the header
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("midi: %w", err)
		}
	}
	return nil
}

// appendTrack appends the MTrk chunk of t to buf.
func appendTrack(buf []byte, t *Track) ([]byte, error) {
	// Room for three bytes an event, as running status writes most:
	// grown by append, a track of 500,000 events allocated twice its size.
	buf = slices.Grow(buf, 12+3*len(t.Events))
	start := len(buf)
	buf = append(buf, "MTrk\x00\x00\x00\x00"...)
	var last int64
	var running byte
	for i, e := range t.Events {
		delta := e.Tick - last
		if delta < 0 {
			return nil, fmt.Errorf("event %d at tick %d comes after tick %d", i, e.Tick, last)
		}
		if delta > maxVLQ {
			return nil, fmt.Errorf("event %d: delta time %d over the %d a file can hold", i, delta, maxVLQ)
		}
		last = e.Tick
		buf = appendUvarint(buf, uint64(delta))
		switch {
		case e.Status < 0x80:
			return nil, fmt.Errorf("event %d: status %#02x is a data byte", i, e.Status)
		case e.Status < 0xF0:
			if e.Data1 >= 0x80 || e.Data2 >= 0x80 {
				return nil, fmt.Errorf("event %d: %s data bytes %#02x %#02x above 0x7F", i, kindName(e.Status), e.Data1, e.Data2)
			}
			if e.Status != running {
				buf = append(buf, e.Status)
				running = e.Status
			}
			buf = append(buf, e.Data1)
			if dataLen[e.Status>>4] == 2 {
				buf = append(buf, e.Data2)
			}
		case e.Status == Meta || e.Status == Sysex || e.Status == SysexEscape:
			p := t.Payload(e)
			if p == nil {
				return nil, fmt.Errorf("event %d: %s payload not in this track (add such events with AddMeta, AddSysex or AddEvent)", i, systemName(e.Status))
			}
			if len(p) > maxVLQ {
				return nil, fmt.Errorf("event %d: payload of %d bytes over the %d a file can hold", i, len(p), maxVLQ)
			}
			buf = append(buf, e.Status)
			if e.Status == Meta {
				if e.Data1 >= 0x80 {
					return nil, fmt.Errorf("event %d: meta type %#02x above 0x7F", i, e.Data1)
				}
				buf = append(buf, e.Data1)
			}
			buf = appendUvarint(buf, uint64(len(p)))
			buf = append(buf, p...)
			running = 0
		default:
			return nil, fmt.Errorf("event %d: status %#02x is not allowed in a MIDI file", i, e.Status)
		}
	}
	if n := len(t.Events); n == 0 || t.Events[n-1].Status != Meta || t.Events[n-1].Data1 != MetaEndOfTrack {
		buf = append(buf, 0x00, Meta, MetaEndOfTrack, 0x00)
	}
	n := len(buf) - start - 8
	if uint64(n) > 0xFFFFFFFF {
		return nil, fmt.Errorf("track of %d bytes, a chunk holds at most 4 GiB", n)
	}
	buf[start+4], buf[start+5], buf[start+6], buf[start+7] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return buf, nil
}
