package render_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"sideman/format/midi"
	"sideman/music"
	"sideman/render"
)

// riffChunk is a chunk of a RIFF file: its id, where its header starts and
// how many bytes its data holds. For LIST chunks id is the list's type.
type riffChunk struct {
	id        string
	at, size  int
	parent    string // the list holding it; "" for the lists themselves
	dataStart int
}

// riffChunks walks a SoundFont's three lists and their sub-chunks,
// independently of the package's reader.
func riffChunks(tb testing.TB, b []byte) map[string]riffChunk {
	tb.Helper()
	le := binary.LittleEndian
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "sfbk" {
		tb.Fatal("not a SoundFont")
	}
	m := map[string]riffChunk{}
	for p := 12; p+12 <= len(b); {
		size := int(le.Uint32(b[p+4:]))
		list := string(b[p+8 : p+12])
		m[list] = riffChunk{id: list, at: p, size: size, dataStart: p + 12}
		for q := p + 12; q+8 <= p+8+size; {
			id, n := string(b[q:q+4]), int(le.Uint32(b[q+4:]))
			m[id] = riffChunk{id: id, at: q, size: n, parent: list, dataStart: q + 8}
			q += 8 + n
		}
		p += 8 + size
	}
	for _, id := range []string{"INFO", "sdta", "pdta", "smpl", "phdr", "pbag", "pgen", "inst", "ibag", "igen", "shdr"} {
		if _, ok := m[id]; !ok {
			tb.Fatalf("no %s chunk", id)
		}
	}
	return m
}

// insertInfo returns the SoundFont with an INFO sub-chunk of n bytes
// (n even) inserted at the start of its INFO list, the RIFF and INFO
// sizes grown to hold it: every byte after it moves by n+8.
func insertInfo(b []byte, id string, n int) []byte {
	le := binary.LittleEndian
	info := 12 // the INFO list is the first chunk of the RIFF form
	out := make([]byte, 0, len(b)+n+8)
	out = append(out, b[:info+12]...)
	out = le.AppendUint32(append(out, id...), uint32(n))
	for i := 0; i < n; i++ {
		out = append(out, byte('a'+i%26))
	}
	out = append(out, b[info+12:]...)
	le.PutUint32(out[4:], le.Uint32(out[4:])+uint32(n+8))
	le.PutUint32(out[info+4:], le.Uint32(out[info+4:])+uint32(n+8))
	return out
}

func readTimGM6mb(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(needSoundFont(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// notePiece is one middle C on the piano, for renders that only need to
// play a note.
func notePiece() *music.Piece {
	return &music.Piece{Parts: []music.Part{{Program: 0, Notes: []music.Note{{ID: 1, Pitch: 60, Velocity: 90, Duration: music.PPQ}}}}}
}

// TestSoundFontShortReads: a reader may return fewer bytes than asked at
// any read (bufio does at the end of its buffer); the SoundFont read
// through one that returns a byte at a time, or half of what is asked,
// is the SoundFont read whole.
func TestSoundFontShortReads(t *testing.T) {
	b := readTimGM6mb(t)
	want, err := render.ReadSoundFont(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(bytes.NewReader(b)),
		"half":     iotest.HalfReader(bytes.NewReader(b)),
	} {
		got, err := render.ReadSoundFont(r)
		if err != nil {
			t.Errorf("%s at a time: %v", name, err)
		} else if got != want {
			t.Errorf("%s at a time: %s, want %s", name, got, want)
		}
	}
}

// padSamples returns the SoundFont with n zero bytes (n even) added at
// the end of its sample data, the smpl, sdta and RIFF sizes grown to
// hold them: a valid SoundFont that plays as the original (no header
// points at the new points), with its pdta list n bytes later.
func padSamples(tb testing.TB, b []byte, n int) []byte {
	tb.Helper()
	le := binary.LittleEndian
	ch := riffChunks(tb, b)
	end := ch["smpl"].dataStart + ch["smpl"].size
	out := make([]byte, 0, len(b)+n)
	out = append(out, b[:end]...)
	out = append(out, make([]byte, n)...)
	out = append(out, b[end:]...)
	for _, at := range []int{4, ch["sdta"].at + 4, ch["smpl"].at + 4} {
		le.PutUint32(out[at:], le.Uint32(out[at:])+uint32(n))
	}
	return out
}

// TestSoundFontAcrossBufferBoundaries: TimGM6mb with its sample data
// padded so that a 1 MiB boundary, where the loader's buffered reader
// reads the file again, falls in its preset, instrument and sample
// headers, at every even offset in a sample header (the names, 20 bytes,
// once failed to read). Each file is valid and renders a note exactly as
// the original does.
func TestSoundFontAcrossBufferBoundaries(t *testing.T) {
	orig := readTimGM6mb(t)
	ch := riffChunks(t, orig)
	dir := t.TempDir()
	render1 := func(path string) []byte {
		t.Helper()
		var buf bytes.Buffer
		sf, err := loadFile(path)
		if err == nil {
			err = render.WAV(t.Context(), &buf, notePiece(), render.Options{SoundFont: sf, MaxTail: 0.1, Dry: true})
		}
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
		return buf.Bytes()
	}
	base := filepath.Join(dir, "orig.sf2")
	if err := os.WriteFile(base, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	want := render1(base)
	// boundary is the first 1 MiB multiple past the file's end: padding
	// by boundary-x-at puts it x bytes into the record at offset at.
	boundary := (len(orig) + 1<<20) &^ (1<<20 - 1)
	var pads []int
	for _, id := range []string{"phdr", "inst"} {
		pads = append(pads, boundary-ch[id].dataStart-10)
	}
	for x := 0; x < 46; x += 2 {
		pads = append(pads, boundary-ch["shdr"].dataStart-46-x)
	}
	for _, n := range pads {
		n &^= 1
		path := filepath.Join(dir, fmt.Sprintf("pad%d.sf2", n))
		if err := os.WriteFile(path, padSamples(t, orig, n), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := render1(path); !bytes.Equal(got, want) {
			t.Errorf("padded by %d bytes: the note renders differently", n)
		}
		os.Remove(path)
	}
}

// TestSoundFontUnknownChunks: an unknown INFO sub-chunk, and an sm24
// chunk (24-bit sample data sideman does not play), are skipped.
func TestSoundFontUnknownChunks(t *testing.T) {
	orig := readTimGM6mb(t)
	want, err := render.ReadSoundFont(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	got, err := render.ReadSoundFont(bufio.NewReaderSize(bytes.NewReader(insertInfo(orig, "XPAD", 1000)), 1<<20))
	if err != nil || got != want {
		t.Errorf("with an unknown INFO chunk: %v, %q; want %q", err, got, want)
	}
}

// TestMalformedSoundFonts corrupts TimGM6mb's tables one field at a time
// (bag indices, sample headers, generator amounts, chunk sizes): each
// must be refused when loaded, by a check that names the record that is
// wrong, in one line, not by a recovered panic (the caller names the
// file: see cmd/sideman's TestRenderMalformedSoundFont).
func TestMalformedSoundFonts(t *testing.T) {
	orig := readTimGM6mb(t)
	le := binary.LittleEndian
	ch := riffChunks(t, orig)
	// record returns the offset of record i of a chunk of size-byte
	// records; a negative i counts from the end (-1 is the terminal).
	record := func(id string, size, i int) int {
		c := ch[id]
		if i < 0 {
			i += c.size / size
		}
		return c.dataStart + i*size
	}
	// igenBefore returns the offset of the igen record just before the
	// first sample ID (53), in the same instrument as it.
	igenBefore := func() int {
		c := ch["igen"]
		for p := c.dataStart + 4; p < c.dataStart+c.size; p += 4 {
			if le.Uint16(orig[p:]) == 53 && le.Uint16(orig[p-4:]) != 53 {
				return p - 4
			}
		}
		t.Fatal("no generator before a sample ID")
		return 0
	}
	// pgenInstrument returns the offset of the first instrument (41)
	// generator of the presets.
	pgenInstrument := func() int {
		c := ch["pgen"]
		for p := c.dataStart; p < c.dataStart+c.size; p += 4 {
			if le.Uint16(orig[p:]) == 41 {
				return p
			}
		}
		t.Fatal("no instrument generator")
		return 0
	}
	put16 := func(at int, v uint16) func([]byte) { return func(b []byte) { le.PutUint16(b[at:], v) } }
	put32 := func(at int, v uint32) func([]byte) { return func(b []byte) { le.PutUint32(b[at:], v) } }
	gen := func(at int, typ, v uint16) func([]byte) {
		return func(b []byte) { le.PutUint16(b[at:], typ); le.PutUint16(b[at+2:], v) }
	}
	// everyHeader applies f to the offset of every sample header.
	everyHeader := func(off int, v uint32) func([]byte) {
		return func(b []byte) {
			for p := ch["shdr"].dataStart; p+46 < ch["shdr"].dataStart+ch["shdr"].size; p += 46 {
				le.PutUint32(b[p+off:], v)
			}
		}
	}
	for _, c := range []struct {
		name, want string
		corrupt    func([]byte)
	}{
		{"preset bag index out of order", "its zones start at pbag", put16(record("phdr", 38, 0)+24, 0xFFFF)},
		{"preset bag index past the bag", "but the pbag chunk holds", put16(record("phdr", 38, -1)+24, 0xFFFF)},
		{"instrument bag index out of order", "its zones start at ibag", put16(record("inst", 22, 0)+20, 0xFFFF)},
		{"instrument bag index past the bag", "but the ibag chunk holds", put16(record("inst", 22, -1)+20, 0xFFFF)},
		{"preset generator index out of order", "pbag zone 1: its generators start", put16(record("pbag", 4, 1), 0xFFFF)},
		{"preset generator index past the generators", "but the pgen chunk holds", put16(record("pbag", 4, -1), 0xFFFF)},
		{"instrument generator index out of order", "ibag zone 1: its generators start", put16(record("ibag", 4, 1), 0xFFFF)},
		{"instrument generator index past the generators", "but the igen chunk holds", put16(record("ibag", 4, -1), 0xFFFF)},
		{"instrument generator amount", "invalid instrument id -1", gen(pgenInstrument(), 41, 0xFFFF)},
		{"sample ID generator amount", "invalid sample id -3", gen(igenBefore()+4, 53, 0xFFFD)},
		{"start address offset before the data", "with the zone's address offsets: start -", gen(igenBefore(), 4, 0x8000)},
		{"end address offset past the data", "with the zone's address offsets: start", gen(igenBefore(), 12, 0x7FFF)},
		{"sample start after its end", "outside the", everyHeader(20, 0x7FFFFFF0)},
		{"sample end past the data", "outside the", everyHeader(24, 0x7FFFFFF0)},
		{"loop start before the data", "loop -3 to", everyHeader(28, 0xFFFFFFFD)},
		{"sample rate zero", "sample rate 0", everyHeader(36, 0)},
		{"sub-chunk larger than its list", "claims 2147483632 bytes, but its list has", put32(ch["shdr"].at+4, 0x7FFFFFF0)},
		{"negative sub-chunk size", "claims -4 bytes", put32(ch["pgen"].at+4, 0xFFFFFFFC)},
		{"generator chunk without its terminal", "not a multiple of 4", put32(ch["igen"].at+4, 2)},
		{"smpl chunk larger than its list", "claims", put32(ch["smpl"].at+4, 0x7FFFFFF0)},
	} {
		b := bytes.Clone(orig)
		c.corrupt(b)
		_, err := render.LoadSoundFont(bytes.NewReader(b))
		var se *render.SoundFontError
		switch {
		case err == nil:
			t.Errorf("%s: loaded and played, want an error", c.name)
		case !errors.As(err, &se):
			t.Errorf("%s: %v, want a SoundFontError", c.name, err)
		case strings.Contains(err.Error(), "runtime error"), strings.Contains(err.Error(), "internal error"):
			t.Errorf("%s: %v, a recovered panic, want a check", c.name, err)
		case !strings.Contains(se.Err.Error(), c.want):
			t.Errorf("%s: %q, want %q", c.name, err, c.want)
		case strings.ContainsRune(err.Error(), '\n') || len(err.Error()) >= 300:
			t.Errorf("%s: %q, want one line under 300 characters", c.name, err)
		default:
			t.Logf("%s: %s", c.name, se.Err)
		}
	}
}

// TestSoundFontExtremeTuning: generators may ask the oscillator for any
// pitch (a coarse tune of 32,767 semitones asks for 2^2730 times the
// sample's pitch, a step past int64); the note plays, silent or not, and
// the output holds no NaN.
func TestSoundFontExtremeTuning(t *testing.T) {
	orig := readTimGM6mb(t)
	ch := riffChunks(t, orig)
	le := binary.LittleEndian
	for _, tc := range []struct {
		name string
		typ  uint16
		v    uint16
	}{
		{"coarse tune up", 51, 0x7FFF},
		{"coarse tune down", 51, 0x8000},
		{"scale tuning", 56, 0x7FFF},
	} {
		b := bytes.Clone(orig)
		// Every instrument's global zone or first generator: prepend the
		// tuning by replacing each zone's first generator where it is a
		// key or velocity range (they come first), which leaves the
		// sample where it is.
		c := ch["igen"]
		n := 0
		for p := c.dataStart; p+4 < c.dataStart+c.size; p += 4 {
			if typ := le.Uint16(b[p:]); typ == 43 || typ == 44 {
				le.PutUint16(b[p:], tc.typ)
				le.PutUint16(b[p+2:], tc.v)
				n++
			}
		}
		if n == 0 {
			t.Fatal("no key or velocity range generator to replace")
		}
		sf, err := render.LoadSoundFont(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		a, err := render.Render(t.Context(), scalePiece(), render.Options{SoundFont: sf, MaxTail: 0.1})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for i := range a.Left {
			if a.Left[i] != a.Left[i] || a.Right[i] != a.Right[i] {
				t.Errorf("%s: sample %d is NaN", tc.name, i)
				break
			}
		}
	}
}

// longDeltaMIDI is a format-0 MIDI file with division 1, a tempo of
// 0xFFFFFF µs a quarter (16.8 s a tick) and events 2^28-1 ticks apart:
// gaps empty text events, then notes notes, each a long delta after the
// one before. After 50,000 long deltas an event comes 2.2e14 s in, a
// sample position past int64 at any rate.
func longDeltaMIDI(gaps, notes int) []byte {
	var trk []byte
	vlq := func(v uint32) {
		var tmp []byte
		tmp = append(tmp, byte(v&0x7F))
		for v >>= 7; v > 0; v >>= 7 {
			tmp = append(tmp, byte(v&0x7F|0x80))
		}
		for i := len(tmp) - 1; i >= 0; i-- {
			trk = append(trk, tmp[i])
		}
	}
	vlq(0)
	trk = append(trk, 0xFF, 0x51, 3, 0xFF, 0xFF, 0xFF)
	for i := 0; i < gaps; i++ {
		vlq(1<<28 - 1)
		trk = append(trk, 0xFF, 0x01, 0)
	}
	for i := 0; i < notes; i++ {
		vlq(1<<28 - 1)
		trk = append(trk, 0x90, 60, 90)
		vlq(1)
		trk = append(trk, 0x80, 60, 0)
	}
	vlq(0)
	trk = append(trk, 0xFF, 0x2F, 0)
	b := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x01MTrk")
	b = binary.BigEndian.AppendUint32(b, uint32(len(trk)))
	return append(b, trk...)
}

// TestRenderMIDITooLong: sample positions are computed without overflow:
// the long-delta MIDIs are music too long to render, not a SoundFont
// fault (a note after 50,000 long deltas once gave "soundfont ...:
// malformed: runtime error: makeslice").
func TestRenderMIDITooLong(t *testing.T) {
	sf2 := needSoundFont(t)
	for _, c := range []struct{ gaps, notes int }{{0, 1}, {50000, 1}, {0, 50000}} {
		f, err := midi.Decode(bytes.NewReader(longDeltaMIDI(c.gaps, c.notes)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = render.RenderMIDI(t.Context(), f, render.Options{SoundFont: loaded(t, sf2)})
		var se *render.SoundFontError
		if !errors.Is(err, render.ErrTooLong) || errors.As(err, &se) || strings.Contains(err.Error(), "runtime error") {
			t.Errorf("%d gaps, %d notes: %v, want ErrTooLong", c.gaps, c.notes, err)
		} else if len(err.Error()) >= 300 {
			t.Errorf("%d gaps, %d notes: %d-character error", c.gaps, c.notes, len(err.Error()))
		}
	}
}

// BenchmarkLoadSoundFont loads each Debian SoundFont from its file, for
// docs/limits.md: the time and the bytes allocated, of which the sample
// data is nearly all.
func BenchmarkLoadSoundFont(b *testing.B) {
	for _, path := range []string{timGM6mb, fluidR3} {
		b.Run(filepath.Base(path), func(b *testing.B) {
			if _, err := os.Stat(path); err != nil {
				unavailable(b, "no %s", path)
			}
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				_, err = render.LoadSoundFont(f)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
