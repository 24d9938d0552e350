package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// TestConvertKeepsAHumanFilesNotes: the band and the feel end a note
// where its key is struck again (music.Restrike), but convert only reads
// and writes: a pianist's file that re-strikes a held key, and strikes
// one key twice at one tick, comes out with every note where it was and
// as long as it was, overlaps and all.
func TestConvertKeepsAHumanFilesNotes(t *testing.T) {
	track := []byte{
		0x00, 0x90, 60, 80, // C4 held
		0x81, 0x70, 0x90, 60, 70, // 240 later: C4 again while held
		0x81, 0x70, 0x80, 60, 64, // at 480: the first note-off
		0x83, 0x60, 0x80, 60, 64, // at 960: the second
		0x00, 0x90, 64, 60, // E4 twice at one tick
		0x00, 0x90, 64, 90,
		0x28, 0x80, 64, 64, // at 1000
		0x87, 0x18, 0x80, 64, 64, // at 1920
		0x00, 0xFF, 0x2F, 0x00,
	}
	var smf bytes.Buffer
	smf.Write([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xC0")) // format 0, one track, 960 a quarter
	smf.Write([]byte("MTrk"))
	smf.Write([]byte{0, 0, 0, byte(len(track))})
	smf.Write(track)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pianist.mid"), filepath.Join(dir, "out.mid")
	if err := os.WriteFile(in, smf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if status, _, errs := sideman(t, "convert", in, "-o", out); status != 0 {
		t.Fatalf("convert: %s", errs)
	}
	notes := func(path string) []string {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		p, err := (&midi.Decoder{Source: path}).DecodePiece(f)
		if err != nil {
			t.Fatal(err)
		}
		var ns []music.Note
		for _, part := range p.Parts {
			ns = append(ns, part.Notes...)
		}
		music.SortNotes(ns)
		var s []string
		for _, n := range ns {
			s = append(s, fmt.Sprintf("ch%d key%d vel%d at%d for%d", n.Channel, n.Pitch, n.Velocity, n.Start, n.Duration))
		}
		return s
	}
	a, b := notes(in), notes(out)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("convert changed the notes:\n in  %v\n out %v", a, b)
	}
	if len(b) != 4 {
		t.Fatalf("%d notes out, want the 4 written: %v", len(b), b)
	}
	// The re-struck C4 still starts inside the first (at 240, the first
	// ending at 480) and the two E4s still start together.
	want := []string{"ch0 key60 vel80 at0 for480", "ch0 key60 vel70 at240 for720"}
	if b[0] != want[0] || b[1] != want[1] {
		t.Errorf("C4s out %v, want %v", b[:2], want)
	}
}
