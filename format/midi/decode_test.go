package midi

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"sideman/format"
	"sideman/music"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFormat0 checks every event of testdata/format0.mid, which holds each
// kind of event the standard defines (see make_testdata.py).
func TestFormat0(t *testing.T) {
	f, err := DecodeBytes(readTestdata(t, "format0.mid"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != 0 || f.Division != 96 || len(f.Tracks) != 1 {
		t.Fatalf("format %d, division %v, %d tracks; want 0, 96 ppq, 1", f.Format, f.Division, len(f.Tracks))
	}
	tr := &f.Tracks[0]
	type ev struct {
		tick       int64
		status, d1 byte
		d2         byte
		payload    string
	}
	want := []ev{
		{0, Meta, MetaSequenceNumber, 0, "\x00\x07"},
		{0, Meta, MetaText, 0, "text"},
		{0, Meta, MetaCopyright, 0, "(c) nobody"},
		{0, Meta, MetaTrackName, 0, "Format 0"},
		{0, Meta, MetaInstrumentName, 0, "Piano"},
		{0, Meta, MetaLyric, 0, "la"},
		{0, Meta, MetaMarker, 0, "A"},
		{0, Meta, MetaCuePoint, 0, "cue"},
		{0, Meta, MetaProgramName, 0, "Grand"},
		{0, Meta, MetaDeviceName, 0, "Port A"},
		{0, Meta, 0x0F, 0, "reserved text"},
		{0, Meta, MetaChannelPrefix, 0, "\x00"},
		{0, Meta, MetaPort, 0, "\x01"},
		{0, Meta, MetaTempo, 0, "\x07\xa1\x20"},
		{0, Meta, MetaSMPTEOffset, 0, "\x60\x00\x00\x00\x00"},
		{0, Meta, MetaTimeSignature, 0, "\x03\x02\x18\x08"},
		{0, Meta, MetaKeySignature, 0, "\xfd\x01"},
		{0, Meta, MetaSequencerSpecific, 0, "\x00\x00\x41\x01\x02"},
		{0, Meta, 0x60, 0, "\xde\xad"},
		{0, Sysex, 0, 0, "\x7e\x7f\x09\x01\xf7"},
		{0, Sysex, 0, 0, "\x43\x12"},
		{10, SysexEscape, 0, 0, "\x00\x01\xf7"},
		{10, SysexEscape, 0, 0, "\xf8\xfa"},
		{10, 0xC0, 0, 0, ""},
		{10, 0xB0, 7, 100, ""},
		{10, 0x90, 60, 64, ""},
		{10, 0x90, 64, 80, ""},
		{10, 0x90, 67, 96, ""},
		{58, 0xA0, 60, 16, ""},
		{58, 0xD0, 32, 0, ""},
		{58, 0xE0, 0, 64, ""},
		{106, 0x90, 60, 0, ""},
		{106, 0x90, 64, 0, ""},
		{106, 0x80, 67, 64, ""},
		{106, Meta, MetaMarker, 0, "B"},
		{106, 0x80, 60, 0, ""}, // running status across the meta event
		{202, 0x99, 36, 127, ""},
		{402, 0x89, 36, 0, ""},
		{402, Meta, MetaEndOfTrack, 0, ""},
	}
	var got []ev
	for _, e := range tr.Events {
		got = append(got, ev{e.Tick, e.Status, e.Data1, e.Data2, string(tr.Payload(e))})
	}
	if !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w ev
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("event %d: got %d %#x %d %d %q, want %d %#x %d %d %q", i, g.tick, g.status, g.d1, g.d2, g.payload, w.tick, w.status, w.d1, w.d2, w.payload)
			}
		}
	}

	// The typed readers of fixed-layout meta events.
	ev0 := tr.Events
	if n, ok := ParseSequenceNumber(tr.Payload(ev0[0])); !ok || n != 7 {
		t.Errorf("sequence number %d %v, want 7", n, ok)
	}
	if c, ok := ParseChannelPrefix(tr.Payload(ev0[11])); !ok || c != 0 {
		t.Errorf("channel prefix %d %v, want 0", c, ok)
	}
	if p, ok := ParsePort(tr.Payload(ev0[12])); !ok || p != 1 {
		t.Errorf("port %d %v, want 1", p, ok)
	}
	if us, ok := ParseTempo(tr.Payload(ev0[13])); !ok || us != 500000 {
		t.Errorf("tempo %d %v, want 500000", us, ok)
	}
	if s, ok := ParseSMPTEOffset(tr.Payload(ev0[14])); !ok || s != (SMPTEOffset{Rate: 30}) {
		t.Errorf("SMPTE offset %+v %v, want 30 fps at 0", s, ok)
	}
	if ts, ok := ParseTimeSignature(tr.Payload(ev0[15])); !ok || ts != (TimeSignature{3, 4, 24, 8}) {
		t.Errorf("time signature %+v %v, want 3/4", ts, ok)
	}
	if ks, ok := ParseKeySignature(tr.Payload(ev0[16])); !ok || ks != (KeySignature{-3, true}) {
		t.Errorf("key signature %+v %v, want 3 flats minor", ks, ok)
	}
	if id, data, ok := SequencerSpecific(tr.Payload(ev0[17])); !ok || string(id) != "\x00\x00\x41" || string(data) != "\x01\x02" {
		t.Errorf("sequencer-specific %x %x %v", id, data, ok)
	}
	if e := tr.Events[30]; e.PitchBend() != 0 || e.Kind() != PitchBend {
		t.Errorf("pitch bend %d kind %#x, want 0, 0xE0", e.PitchBend(), e.Kind())
	}
	if e := tr.Events[31]; !e.IsNoteOff() || e.IsNoteOn() {
		t.Error("note-on with velocity 0 is not a note-off")
	}

	p := PieceOptions{IDs: music.NewIDs(1)}.ToPiece(f, "format0.mid")
	o := p.Parts[0].Notes[0].Origin
	if o.Kind != music.Imported || o.Source != "format0.mid" {
		t.Errorf("origin %v, want imported from format0.mid", o)
	}
	wantPiece := &music.Piece{
		Title:   "Format 0",
		Tempo:   music.TempoMap{{At: 0, MicrosPerQuarter: 500000}},
		Meters:  music.MeterMap{{At: 0, Meter: music.Meter{Num: 3, Den: 4}}},
		Keys:    []music.KeyChange{{At: 0, Key: mustKey(t, "Cm")}},
		Markers: []music.Marker{{At: 0, Text: "A"}, {At: 0, Text: "cue"}, {At: 1060, Text: "B"}},
		Parts: []music.Part{
			{Name: "Format 0", Channel: 0, Program: 0, Volume: 100, Notes: []music.Note{ // its controller 7
				{ID: 1, Pitch: 60, Velocity: 64, Start: 100, Duration: 960, Origin: o},
				{ID: 2, Pitch: 64, Velocity: 80, Start: 100, Duration: 960, Origin: o},
				{ID: 3, Pitch: 67, Velocity: 96, Start: 100, Duration: 960, Origin: o},
			}},
			{Name: "Format 0", Role: "drums", Channel: 9, Program: -1, Notes: []music.Note{
				{ID: 4, Pitch: 36, Velocity: 127, Channel: 9, Part: 1, Start: 2020, Duration: 2000, Origin: o},
			}},
		},
	}
	if d := diffPieces(wantPiece, p); d != "" {
		t.Errorf("piece: %s", d)
	}
}

func mustKey(t testing.TB, s string) music.Key {
	k, err := music.ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestFormat1 reads testdata/format1.mid: a conductor track, a chunk of
// unknown type, overlapping notes of one pitch, and a note still sounding
// when its track ends.
func TestFormat1(t *testing.T) {
	p, err := (&Decoder{Source: "f1"}).DecodePiece(bytes.NewReader(readTestdata(t, "format1.mid")))
	if err != nil {
		t.Fatal(err)
	}
	o := p.Parts[0].Notes[0].Origin
	// 480 ppq: every tick doubles. The notes have no ids: the caller
	// numbers them (PieceOptions.IDs, music.IDs.Number).
	want := &music.Piece{
		Title:   "Song",
		Tempo:   music.TempoMap{{At: 0, MicrosPerQuarter: 1000000}, {At: 3840, MicrosPerQuarter: 500000}},
		Meters:  music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}},
		Markers: []music.Marker{{At: 3840, Text: "Bridge"}},
		Parts: []music.Part{
			{Name: "Bass", Channel: 1, Program: 32, Notes: []music.Note{
				{Pitch: 40, Velocity: 80, Channel: 1, Start: 0, Duration: 960, Origin: o},
				{Pitch: 43, Velocity: 80, Channel: 1, Start: 960, Duration: 960, Origin: o},
			}},
			{Name: "Lead", Channel: 2, Program: -1, Notes: []music.Note{
				// Two C5s overlap: the first note-off ends the first one.
				{Pitch: 72, Velocity: 64, Channel: 2, Part: 1, Start: 0, Duration: 384, Origin: o},
				{Pitch: 72, Velocity: 80, Channel: 2, Part: 1, Start: 192, Duration: 384, Origin: o},
				// No note-off: it ends with the track.
				{Pitch: 76, Velocity: 64, Channel: 2, Part: 1, Start: 576, Duration: 1920, Origin: o},
			}},
		},
	}
	if d := diffPieces(want, p); d != "" {
		t.Error(d)
	}
}

// TestFormat2 reads the independent patterns of a format 2 file as tracks.
func TestFormat2(t *testing.T) {
	f, err := DecodeBytes(readTestdata(t, "format2.mid"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != 2 || len(f.Tracks) != 2 {
		t.Fatalf("format %d with %d tracks, want 2 with 2", f.Format, len(f.Tracks))
	}
	p := ToPiece(f, "")
	if len(p.Parts) != 2 || p.NoteCount() != 2 || p.Parts[1].Notes[0].Duration != 960 {
		t.Errorf("got %d parts, %d notes; want 2 parts of one snare of a quarter", len(p.Parts), p.NoteCount())
	}
}

// TestSMPTE reads a file timed in SMPTE frames: 25 frames a second of 40
// ticks each make 1000 ticks a second, so a 500-tick note lasts half a
// second, a quarter note (960 ticks) at the 120 bpm the Piece is laid out in.
func TestSMPTE(t *testing.T) {
	f, err := DecodeBytes(readTestdata(t, "smpte.mid"))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Division.SMPTE() || f.Division.FramesPerSecond() != 25 || f.Division.TicksPerFrame() != 40 {
		t.Fatalf("division %v, want 25 fps x 40 ticks", f.Division)
	}
	if f.Division != SMPTEDivision(25, 40) {
		t.Errorf("SMPTEDivision(25, 40) = %#x, want %#x", SMPTEDivision(25, 40), f.Division)
	}
	p := ToPiece(f, "")
	n := p.Parts[0].Notes[0]
	if n.Start != 0 || n.Duration != music.PPQ || p.Tempo.Seconds(n.End()) != 0.5 {
		t.Errorf("note at %d for %d ticks (%.3f s), want 0 for %d (0.5 s)", n.Start, n.Duration, p.Tempo.Seconds(n.End()), music.PPQ)
	}
	// 29.97 drop-frame: 30000/1001 frames a second.
	sc := newScaler(SMPTEDivision(29, 100))
	if got, want := sc.at(2997), music.Ticks(1920); got != want {
		t.Errorf("2997 ticks at 29.97 fps x 100 = %d ticks at 120 bpm, want %d (one second)", got, want)
	}
}

// TestRMID reads a Standard MIDI File wrapped in a RIFF RMID file.
func TestRMID(t *testing.T) {
	f1, err := DecodeBytes(readTestdata(t, "format0.mid"))
	if err != nil {
		t.Fatal(err)
	}
	f2, err := DecodeBytes(readTestdata(t, "rmid.rmi"))
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTracks(rawEvents(f1), rawEvents(f2)); d != "" {
		t.Error(d)
	}
}

// TestDecodeErrors checks that malformed input gives a ParseError at the
// right byte, with a message that says what is wrong.
func TestDecodeErrors(t *testing.T) {
	hdr := "MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60"
	trk := func(body string) string {
		n := len(body)
		return "MTrk" + string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + body
	}
	for _, tc := range []struct {
		name   string
		in     string
		offset int64
		track  int
		msg    string
		is     error
	}{
		{"empty", "", 0, -1, "not a Standard MIDI File", ErrNotMIDI},
		{"not MIDI", "RIFF\x00\x00\x00\x04WAVEfmt ", 0, -1, "not a Standard MIDI File", ErrNotMIDI},
		{"truncated header", "MThd\x00\x00", 6, -1, "unexpected end of data in header", ErrTruncated},
		{"short header chunk", "MThd\x00\x00\x00\x04\x00\x00\x00\x01", 4, -1, "header chunk of 4 bytes", nil},
		{"header past end", "MThd\x00\x00\x00\x06\x00\x00\x00", 11, -1, "in header", ErrTruncated},
		{"format 3", "MThd\x00\x00\x00\x06\x00\x03\x00\x01\x00\x60", 8, -1, "unknown format 3", nil},
		{"division 0", "MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x00", 12, -1, "division of 0 ticks", nil},
		{"SMPTE 26 fps", string(readTestdata(t, "bad-smpte.mid")), 12, -1, "SMPTE division of 26 frames a second", nil},
		{"SMPTE 0 ticks", "MThd\x00\x00\x00\x06\x00\x00\x00\x01\xe8\x00", 12, -1, "SMPTE division of 0 ticks", nil},
		{"missing track", hdr, 14, -1, "header promises 1 tracks, found 0", ErrTruncated},
		{"bad chunk header", hdr + "MTr", 17, 0, "in chunk header", ErrTruncated},
		{"chunk past end", string(readTestdata(t, "bad-chunk-length.mid")), 18, 0, "chunk of 1000 bytes, 11 left", ErrTruncated},
		{"running status", string(readTestdata(t, "bad-running-status.mid")), 23, 0, "running status with no previous status", nil},
		{"truncated event", string(readTestdata(t, "bad-truncated.mid")), 18, 0, "chunk of 11 bytes, 6 left", ErrTruncated},
		{"truncated in track", hdr + trk("\x00\x90\x3c"), 25, 0, "unexpected end of data in note-on message", ErrTruncated},
		{"long delta", string(readTestdata(t, "bad-vlq.mid")), 22, 0, "delta time longer than 4 bytes", nil},
		{"delta at end", hdr + trk("\x00\x90\x3c\x40\x81"), 27, 0, "in delta time", ErrTruncated},
		{"system common", hdr + trk("\x00\xf2\x00\x00"), 23, 0, "status 0xf2 is not allowed", nil},
		{"status in data", hdr + trk("\x00\x90\x3c\x90"), 25, 0, "status byte 0x90 where note-on message wants a data byte", nil},
		{"meta type", hdr + trk("\x00\xff\x80\x00"), 24, 0, "meta event type 0x80", nil},
		{"meta past end", hdr + trk("\x00\xff\x01\x05ab"), 25, 0, "meta event of 5 bytes, 2 left", ErrTruncated},
		{"sysex length", hdr + trk("\x00\xf0\xff\xff\xff\xff\x7f"), 24, 0, "length longer than 4 bytes in sysex event", nil},
		{"second track", hdr[:10] + "\x00\x02" + hdr[12:] + trk("\x00\xff\x2f\x00") + trk("\x00\x3c"), 35, 1, "running status", nil},
		{"RMID without data", "RIFF\x04\x00\x00\x00RMIDLIST\x00\x00\x00\x00", 12, -1, "without a data chunk", ErrNotMIDI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeBytes([]byte(tc.in))
			checkParseError(t, err, tc.offset, tc.track, tc.msg, tc.is)
			// DecodePiece goes the same way.
			_, err = DecodePiece(strings.NewReader(tc.in))
			checkParseError(t, err, tc.offset, tc.track, tc.msg, tc.is)
		})
	}
}

func checkParseError(t *testing.T, err error, offset int64, track int, msg string, is error) {
	t.Helper()
	var fe *ParseError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want a *ParseError", err)
	}
	if fe.Offset != offset || fe.Track != track {
		t.Errorf("error %q at byte %d, track %d; want byte %d, track %d", err, fe.Offset, fe.Track, offset, track)
	}
	s := err.Error()
	if !strings.HasPrefix(s, "midi: byte ") || !strings.Contains(s, "byte "+itoa(offset)) || !strings.Contains(s, msg) {
		t.Errorf("error %q, want it to name byte %d and say %q", s, offset, msg)
	}
	if track >= 0 && !strings.Contains(s, "(track "+itoa(int64(track))+")") {
		t.Errorf("error %q does not name track %d", s, track)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %q is not %v", s, is)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestTooLarge checks the limits on file size and number of events.
func TestTooLarge(t *testing.T) {
	_, err := Decode(io.LimitReader(zeros{}, format.MaxSize+1))
	checkParseError(t, err, format.MaxSize, -1, "too large: more than 64 MiB", format.ErrTooLarge)

	defer func(n int) { maxEvents = n }(maxEvents)
	maxEvents = 1000
	body := strings.Repeat("\x00\x90\x3c\x40", 1001)
	in := "MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk\x00\x00\x0f\xa4" + body
	_, err = DecodeBytes([]byte(in))
	checkParseError(t, err, 22+4*1000+1, 0, "too large: more than 1000 events", format.ErrTooLarge)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestDecodePieceConcurrent decodes from several goroutines at once: the
// workspaces DecodePiece reuses must not be shared between calls.
func TestDecodePieceConcurrent(t *testing.T) {
	files := []string{"format0.mid", "format1.mid", "format2.mid", "smpte.mid", "piece.golden"}
	data := make([][]byte, len(files))
	want := make([]*music.Piece, len(files))
	for i, name := range files {
		data[i] = readTestdata(t, name)
		p, err := (&Decoder{Source: name}).DecodePiece(bytes.NewReader(data[i]))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = p
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	for range 8 {
		wg.Go(func() {
			for range 50 {
				for i, name := range files {
					p, err := (&Decoder{Source: name}).DecodePiece(bytes.NewReader(data[i]))
					d := ""
					if err != nil {
						d = err.Error()
					} else {
						d = diffPieces(want[i], p)
					}
					if d != "" {
						mu.Lock()
						errs = append(errs, name+": "+d)
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
	for _, e := range errs[:min(len(errs), 5)] {
		t.Error(e)
	}
}
