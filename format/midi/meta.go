package midi

// The functions here read and build the payloads of the meta events whose
// payload has a fixed layout. They report false for a payload of the wrong
// length rather than guess, since files in the wild do carry broken ones.

// ParseTempo reads a MetaTempo payload: microseconds per quarter note.
func ParseTempo(p []byte) (micros int, ok bool) {
	if len(p) != 3 {
		return 0, false
	}
	return int(p[0])<<16 | int(p[1])<<8 | int(p[2]), true
}

// TempoPayload is the payload of a MetaTempo event. Values are clamped to
// the 24 bits the event holds (1 to 16,777,215 microseconds per quarter).
func TempoPayload(micros int) []byte {
	micros = min(max(micros, 1), 1<<24-1)
	return []byte{byte(micros >> 16), byte(micros >> 8), byte(micros)}
}

// TimeSignature is the payload of a MetaTimeSignature event.
type TimeSignature struct {
	Num int // beats in a bar
	Den int // note value of the beat: 4 is a quarter, 8 an eighth
	// ClocksPerClick is the number of MIDI clocks (24 a quarter note) in a
	// metronome click; ThirtySecondsPerQuarter is almost always 8.
	ClocksPerClick, ThirtySecondsPerQuarter int
}

// ParseTimeSignature reads a MetaTimeSignature payload. The file stores
// the denominator as a power of two; exponents above 6 (a 64th) are
// refused as no meter uses them.
func ParseTimeSignature(p []byte) (TimeSignature, bool) {
	if len(p) != 4 || p[1] > 6 {
		return TimeSignature{}, false
	}
	return TimeSignature{Num: int(p[0]), Den: 1 << p[1], ClocksPerClick: int(p[2]), ThirtySecondsPerQuarter: int(p[3])}, true
}

// Payload encodes ts. A denominator that is not a power of two is rounded
// down to one; zero clock fields get the usual defaults (24 and 8).
func (ts TimeSignature) Payload() []byte {
	exp := byte(0)
	for d := ts.Den; d > 1 && exp < 6; d >>= 1 {
		exp++
	}
	cpc, tsq := ts.ClocksPerClick, ts.ThirtySecondsPerQuarter
	if cpc <= 0 {
		cpc = 96 / (1 << exp) // one click per beat
		if cpc == 0 {
			cpc = 1
		}
	}
	if tsq <= 0 {
		tsq = 8
	}
	return []byte{byte(ts.Num), exp, byte(cpc), byte(tsq)}
}

// KeySignature is the payload of a MetaKeySignature event.
type KeySignature struct {
	Fifths int  // sharps (positive) or flats (negative), -7..7
	Minor  bool // the key is the relative minor
}

// ParseKeySignature reads a MetaKeySignature payload.
func ParseKeySignature(p []byte) (KeySignature, bool) {
	if len(p) != 2 || p[1] > 1 {
		return KeySignature{}, false
	}
	sf := int(int8(p[0]))
	if sf < -7 || sf > 7 {
		return KeySignature{}, false
	}
	return KeySignature{Fifths: sf, Minor: p[1] == 1}, true
}

// Payload encodes k.
func (k KeySignature) Payload() []byte {
	mi := byte(0)
	if k.Minor {
		mi = 1
	}
	return []byte{byte(int8(k.Fifths)), mi}
}

// SMPTEOffset is the payload of a MetaSMPTEOffset event: the SMPTE time at
// which the track starts.
type SMPTEOffset struct {
	// Rate is the frame rate coded in the hour byte's top bits: 24, 25, 29
	// (30 drop-frame) or 30.
	Rate                                      int
	Hours, Minutes, Seconds, Frames, Fraction int // Fraction is in 100ths of a frame
}

var smpteRates = [4]int{24, 25, 29, 30}

// ParseSMPTEOffset reads a MetaSMPTEOffset payload.
func ParseSMPTEOffset(p []byte) (SMPTEOffset, bool) {
	if len(p) != 5 {
		return SMPTEOffset{}, false
	}
	return SMPTEOffset{
		Rate:  smpteRates[p[0]>>5&3],
		Hours: int(p[0] & 0x1F), Minutes: int(p[1]), Seconds: int(p[2]), Frames: int(p[3]), Fraction: int(p[4]),
	}, true
}

// ParseSequenceNumber reads a MetaSequenceNumber payload. An empty payload
// means the track's position in the file, reported as -1.
func ParseSequenceNumber(p []byte) (int, bool) {
	switch len(p) {
	case 0:
		return -1, true
	case 2:
		return int(p[0])<<8 | int(p[1]), true
	}
	return 0, false
}

// ParseChannelPrefix reads a MetaChannelPrefix payload: the channel (0-15)
// that following meta and sysex events of the track refer to.
func ParseChannelPrefix(p []byte) (int, bool) {
	if len(p) != 1 || p[0] > 15 {
		return 0, false
	}
	return int(p[0]), true
}

// ParsePort reads a MetaPort payload: the output port (cable) of the track.
func ParsePort(p []byte) (int, bool) {
	if len(p) != 1 {
		return 0, false
	}
	return int(p[0]), true
}

// SequencerSpecific splits a MetaSequencerSpecific payload into the
// manufacturer's ID (one byte, or three when the first is 0) and the data.
func SequencerSpecific(p []byte) (id, data []byte, ok bool) {
	switch {
	case len(p) >= 3 && p[0] == 0:
		return p[:3], p[3:], true
	case len(p) >= 1 && p[0] != 0:
		return p[:1], p[1:], true
	}
	return nil, nil, false
}

// IsText reports whether a meta type holds text: 0x01-0x0F are text events
// (0x01-0x09 defined, the rest reserved for text).
func IsText(metaType byte) bool { return metaType >= 0x01 && metaType <= 0x0F }
