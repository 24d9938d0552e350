package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// longDeltaMIDI is a format-0 MIDI file with division 1, a tempo of
// 0xFFFFFF µs a quarter (16.8 s a tick), 50,000 empty text events 2^28-1
// ticks apart and then a note: 1 MB that plays 2.2e14 s in, a sample
// position past int64.
func longDeltaMIDI() []byte {
	var trk []byte
	vlq := func(v uint32) {
		tmp := []byte{byte(v & 0x7F)}
		for v >>= 7; v > 0; v >>= 7 {
			tmp = append(tmp, byte(v&0x7F|0x80))
		}
		for i := len(tmp) - 1; i >= 0; i-- {
			trk = append(trk, tmp[i])
		}
	}
	vlq(0)
	trk = append(trk, 0xFF, 0x51, 3, 0xFF, 0xFF, 0xFF)
	for i := 0; i < 50000; i++ {
		vlq(1<<28 - 1)
		trk = append(trk, 0xFF, 0x01, 0)
	}
	vlq(1)
	trk = append(trk, 0x90, 60, 90)
	vlq(1)
	trk = append(trk, 0x80, 60, 0)
	vlq(0)
	trk = append(trk, 0xFF, 0x2F, 0)
	b := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x01MTrk")
	b = binary.BigEndian.AppendUint32(b, uint32(len(trk)))
	return append(b, trk...)
}

// noteMIDI is one middle C, a quarter note at 480 ticks a quarter.
const noteMIDI = "MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x0d" +
	"\x00\x90\x3c\x5a\x83\x60\x80\x3c\x00\x00\xff\x2f\x00"

// checkOneLine fails unless errs is one line under 300 characters holding
// every one of want, and not a recovered panic.
func checkOneLine(t *testing.T, what, errs string, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(errs, "\n")
	if strings.Contains(line, "\n") || len(line) >= 300 {
		t.Errorf("%s: %q, want one line under 300 characters", what, errs)
	}
	if strings.Contains(line, "runtime error") || strings.Contains(line, "internal error") {
		t.Errorf("%s: %q, a recovered panic", what, line)
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("%s: %q, want %q in it", what, line, w)
		}
	}
}

// TestRenderLongDeltas: the long-delta MIDI is refused as too long,
// naming the MIDI file, not the SoundFont (render once said "soundfont
// .../FluidR3_GM.sf2: malformed: runtime error: makeslice").
func TestRenderLongDeltas(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir := t.TempDir()
	mid, wav := filepath.Join(dir, "long.mid"), filepath.Join(dir, "long.wav")
	if err := os.WriteFile(mid, longDeltaMIDI(), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, errs := sideman(t, "render", mid, "--soundfont", sf2, "-o", wav)
	if status != 2 {
		t.Errorf("exit %d, want 2: %s", status, errs)
	}
	checkOneLine(t, "render", errs, mid, "lasts")
	if strings.Contains(errs, sf2) {
		t.Errorf("%q blames the SoundFont", errs)
	}
	if _, err := os.Stat(wav); err == nil {
		t.Errorf("%s written", wav)
	}
}

// TestRenderMalformedSoundFont: TimGM6mb with its instruments' bag
// indices out of order, or a sample header pointing past the sample data,
// is refused in one line naming the SoundFont and what is wrong in it,
// exit 2; with its sample data padded so its headers cross the loader's
// 1 MiB buffer boundary it plays.
func TestRenderMalformedSoundFont(t *testing.T) {
	sf2 := needTimGM6mb(t)
	orig, err := os.ReadFile(sf2)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	pdta := bytes.LastIndex(orig, []byte("pdta"))
	inst := pdta + bytes.Index(orig[pdta:], []byte("inst"))
	shdr := pdta + bytes.Index(orig[pdta:], []byte("shdr"))
	smpl := bytes.Index(orig, []byte("smpl"))
	if pdta < 0 || inst < pdta || shdr < pdta || smpl < 0 {
		t.Fatal("no pdta, inst, shdr or smpl chunk")
	}
	dir := t.TempDir()
	mid := filepath.Join(dir, "note.mid")
	if err := os.WriteFile(mid, []byte(noteMIDI), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		corrupt    func([]byte) []byte
	}{
		{"bag.sf2", "its zones start at ibag", func(b []byte) []byte { le.PutUint16(b[inst+8+20:], 0xFFFF); return b }},
		{"end.sf2", "points of sample data", func(b []byte) []byte { le.PutUint32(b[shdr+8+24:], 0x7FFFFFF0); return b }},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.corrupt(bytes.Clone(orig)), 0o644); err != nil {
			t.Fatal(err)
		}
		status, _, errs := sideman(t, "render", mid, "--soundfont", path, "-o", filepath.Join(dir, "x.wav"))
		if status != 2 {
			t.Errorf("%s: exit %d, want 2: %s", c.name, status, errs)
		}
		checkOneLine(t, c.name, errs, path, c.want)
	}
	// Padded: the sample data grows by n zero bytes, so the shdr chunk
	// starts 10 bytes before the first 1 MiB boundary past the file's end.
	boundary := (len(orig) + 1<<20) &^ (1<<20 - 1)
	n := (boundary - (shdr + 8) - 10) &^ 1
	end := smpl + 8 + int(le.Uint32(orig[smpl+4:]))
	padded := append(append(append([]byte{}, orig[:end]...), make([]byte, n)...), orig[end:]...)
	sdta := smpl - 12
	if string(orig[sdta:sdta+4]) != "LIST" || string(orig[sdta+8:sdta+12]) != "sdta" {
		t.Fatal("smpl is not the first chunk of the sdta list")
	}
	for _, at := range []int{4, sdta + 4, smpl + 4} {
		le.PutUint32(padded[at:], le.Uint32(padded[at:])+uint32(n))
	}
	path := filepath.Join(dir, "padded.sf2")
	if err := os.WriteFile(path, padded, 0o644); err != nil {
		t.Fatal(err)
	}
	wav := filepath.Join(dir, "padded.wav")
	if status, _, errs := sideman(t, "render", mid, "--soundfont", path, "-o", wav); status != 0 {
		t.Errorf("padded: exit %d: %s", status, errs)
	} else if secs := checkWAV(t, wav); secs < 0.5 {
		t.Errorf("padded: %.2f s of audio for a half-second note", secs)
	}
}
