package midi

import (
	"fmt"
	"unicode/utf8"
)

// MaxEvents is the largest number of events accepted in one file (besides
// format.MaxSize bytes): eight times a piece's most notes (music.MaxNotes,
// 2^18: a note-on and a note-off each, and room for controllers and
// bends), so that a file of note-ons is refused while it is read, before
// it costs more than a few hundred MB (the corpora's largest holds 11,513
// notes). The limits bound the memory a hostile or broken file can make
// the decoder use.
const MaxEvents = 2 << 20

// Status bytes and status kinds. A channel message's status is its kind
// ORed with the channel (0-15).
const (
	NoteOff         = 0x80
	NoteOn          = 0x90
	PolyPressure    = 0xA0 // polyphonic key pressure (aftertouch)
	ControlChange   = 0xB0
	ProgramChange   = 0xC0
	ChannelPressure = 0xD0 // channel pressure (aftertouch)
	PitchBend       = 0xE0
	Sysex           = 0xF0 // system exclusive message
	SysexEscape     = 0xF7 // continuation packet or escape: bytes sent as they are
	Meta            = 0xFF
)

// Meta event types (the byte after 0xFF).
const (
	MetaSequenceNumber    = 0x00
	MetaText              = 0x01
	MetaCopyright         = 0x02
	MetaTrackName         = 0x03 // sequence name in format 0 and in the first track of format 1
	MetaInstrumentName    = 0x04
	MetaLyric             = 0x05
	MetaMarker            = 0x06
	MetaCuePoint          = 0x07
	MetaProgramName       = 0x08
	MetaDeviceName        = 0x09
	MetaChannelPrefix     = 0x20
	MetaPort              = 0x21
	MetaEndOfTrack        = 0x2F
	MetaTempo             = 0x51
	MetaSMPTEOffset       = 0x54
	MetaTimeSignature     = 0x58
	MetaKeySignature      = 0x59
	MetaSequencerSpecific = 0x7F
)

// File is a Standard MIDI File at the raw level.
type File struct {
	// Format is 0 (one multi-channel track), 1 (simultaneous tracks, the
	// first usually holding tempo and meter) or 2 (independent patterns).
	Format   int
	Division Division
	Tracks   []Track
}

// Division is the header's time division: ticks per quarter note, or when
// the top bit is set, SMPTE frames per second and ticks per frame.
type Division uint16

// SMPTE reports whether ticks are subdivisions of SMPTE frames rather than
// of a quarter note.
func (d Division) SMPTE() bool { return d&0x8000 != 0 }

// TicksPerQuarter is the resolution of a metrical division, 0 for SMPTE.
func (d Division) TicksPerQuarter() int {
	if d.SMPTE() {
		return 0
	}
	return int(d)
}

// FramesPerSecond is the SMPTE frame rate as stored: 24, 25, 29 (meaning
// 30 drop-frame, 29.97 frames a second) or 30; 0 for a metrical division.
func (d Division) FramesPerSecond() int {
	if !d.SMPTE() {
		return 0
	}
	return -int(int8(d >> 8))
}

// TicksPerFrame is the resolution of an SMPTE division, 0 for a metrical one.
func (d Division) TicksPerFrame() int {
	if !d.SMPTE() {
		return 0
	}
	return int(d & 0xFF)
}

// SMPTEDivision returns the division for fps frames per second (24, 25, 29
// or 30) and tpf ticks per frame.
func SMPTEDivision(fps, tpf int) Division {
	return Division(uint16(uint8(-int8(fps)))<<8 | uint16(uint8(tpf)))
}

func (d Division) String() string {
	if d.SMPTE() {
		return fmt.Sprintf("%d fps x %d ticks", d.FramesPerSecond(), d.TicksPerFrame())
	}
	return fmt.Sprintf("%d ppq", int(d))
}

// Event is one event of a track. It is 16 bytes and holds no pointers, so a
// file's events cost one allocation and nothing for the garbage collector
// to scan. The payload of a meta or sysex event lives in the track; read it
// with Track.Payload.
type Event struct {
	// Tick is the absolute time from the start of the track, in the file's
	// division (the sum of the delta times up to this event).
	Tick int64
	// Status is 0x80-0xEF for a channel message (kind | channel), Sysex or
	// SysexEscape for system exclusive, Meta for a meta event. Running
	// status is resolved: every event carries its own status.
	Status byte
	// Data1 and Data2 are a channel message's data bytes (Data2 is 0 for
	// program change and channel pressure, which have one). For a meta
	// event Data1 is the meta type.
	Data1, Data2 byte
	// off is where the payload's length (a variable-length quantity,
	// followed by the payload) starts in the track's data. Keeping the
	// length there rather than in the event keeps Event at 16 bytes.
	off uint32
}

// Kind is the status without the channel for channel messages (NoteOn,
// ControlChange...), and the status itself otherwise.
func (e Event) Kind() byte {
	if e.Status < 0xF0 {
		return e.Status & 0xF0
	}
	return e.Status
}

// Channel is the channel (0-15) of a channel message.
func (e Event) Channel() uint8 { return e.Status & 0x0F }

// IsMeta reports whether e is a meta event.
func (e Event) IsMeta() bool { return e.Status == Meta }

// MetaType is the type of a meta event (MetaTempo...).
func (e Event) MetaType() byte { return e.Data1 }

// IsNoteOn reports whether e starts a note: a note-on with a velocity above
// zero (a note-on with velocity 0 ends a note).
func (e Event) IsNoteOn() bool { return e.Status&0xF0 == NoteOn && e.Data2 != 0 }

// IsNoteOff reports whether e ends a note: a note-off, or a note-on with
// velocity 0.
func (e Event) IsNoteOff() bool {
	return e.Status&0xF0 == NoteOff || e.Status&0xF0 == NoteOn && e.Data2 == 0
}

// PitchBend is the bend of a pitch bend message, -8192..8191 (0 is none).
func (e Event) PitchBend() int { return int(e.Data1) | int(e.Data2)<<7 - 8192 }

// dataLen is the number of data bytes of a channel message by status>>4.
var dataLen = [16]int8{8: 2, 9: 2, 10: 2, 11: 2, 12: 1, 13: 1, 14: 2}

// Track is one track chunk: its events in file order, and the bytes their
// payloads are stored in.
type Track struct {
	Events []Event
	// data holds the payloads of meta and sysex events. For a decoded track
	// it is the decoded input itself (capacity-limited, so appending copies
	// instead of writing into the caller's bytes).
	data []byte
}

// Payload returns the data of a meta or system exclusive event of this
// track: for a meta event the bytes after its length, for a sysex event the
// bytes after its length (including the terminating 0xF7 when the file had
// it). It is nil for channel messages, and for events that do not belong
// to the track. The result aliases the track's storage: do not modify it.
func (t *Track) Payload(e Event) []byte {
	if e.Status < 0xF0 {
		return nil
	}
	n, p, ok := uvarint(t.data, int(e.off))
	if !ok || uint64(len(t.data)-p) < n {
		return nil
	}
	return t.data[p : p+int(n) : p+int(n)]
}

// Text returns the payload of a text-like meta event (track name, marker,
// lyric...) as a string. Standard MIDI Files do not say how text is
// encoded; bytes that are valid UTF-8 are read as such, anything else as
// ISO 8859-1, which maps every byte to a character.
func (t *Track) Text(e Event) string { return Text(t.Payload(e)) }

// Text decodes the bytes of a text meta event (see Track.Text).
func Text(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	r := make([]rune, len(p))
	for i, b := range p {
		r[i] = rune(b)
	}
	return string(r)
}

// Add appends a channel message (status 0x80-0xEF) at tick. Data2 is
// ignored for messages with one data byte.
func (t *Track) Add(tick int64, status, data1, data2 byte) {
	if dataLen[status>>4] == 1 {
		data2 = 0
	}
	t.Events = append(t.Events, Event{Tick: tick, Status: status, Data1: data1, Data2: data2})
}

// AddMeta appends a meta event of type typ with the given payload at tick.
// The payload is copied.
func (t *Track) AddMeta(tick int64, typ byte, payload []byte) {
	t.Events = append(t.Events, Event{Tick: tick, Status: Meta, Data1: typ, off: t.store(payload)})
}

// AddText appends a text-like meta event (MetaTrackName, MetaMarker...).
func (t *Track) AddText(tick int64, typ byte, text string) {
	t.AddMeta(tick, typ, []byte(text))
}

// AddSysex appends a system exclusive event: status is Sysex (0xF0; the
// payload should end with 0xF7) or SysexEscape (0xF7). The payload is copied.
func (t *Track) AddSysex(tick int64, status byte, payload []byte) {
	t.Events = append(t.Events, Event{Tick: tick, Status: status, off: t.store(payload)})
}

// AddEvent appends e, taking its payload from src (the track e was decoded
// into or added to), so events can be copied between tracks.
func (t *Track) AddEvent(e Event, src *Track) {
	if e.Status < 0xF0 {
		t.Events = append(t.Events, Event{Tick: e.Tick, Status: e.Status, Data1: e.Data1, Data2: e.Data2})
		return
	}
	p := src.Payload(e)
	e.off = t.store(p)
	t.Events = append(t.Events, e)
}

// store appends a length and a payload to the track's data and returns
// where they start.
func (t *Track) store(p []byte) uint32 {
	off := len(t.data)
	t.data = appendUvarint(t.data, uint64(len(p)))
	t.data = append(t.data, p...)
	return uint32(off)
}

// appendUvarint appends v as a MIDI variable-length quantity: seven bits a
// byte, most significant first, the top bit set on all but the last.
func appendUvarint(b []byte, v uint64) []byte {
	var tmp [10]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7F)
	for v >>= 7; v != 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7F) | 0x80
	}
	return append(b, tmp[i:]...)
}

// uvarint reads a variable-length quantity of up to 10 bytes at b[p:] and
// returns it and the offset after it. The decoder limits file data to the
// 4 bytes the standard allows; longer ones appear only in payload lengths
// stored by AddMeta and AddSysex.
func uvarint(b []byte, p int) (v uint64, next int, ok bool) {
	for i := 0; i < 10; i++ {
		if p < 0 || p >= len(b) {
			return 0, p, false
		}
		c := b[p]
		p++
		v = v<<7 | uint64(c&0x7F)
		if c < 0x80 {
			return v, p, true
		}
	}
	return 0, p, false
}
