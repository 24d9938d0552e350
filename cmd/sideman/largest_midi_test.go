//go:build linux

package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"sideman/format"
	"sideman/format/midi"
	"sideman/music"
)

// Issue 13, item 6: what the largest MIDI input costs. Each file is built
// here and inspected and converted in a child process (peakRSS), its peak
// memory compared with its size.

// vlq is a MIDI variable-length quantity.
func vlq(b []byte, v int) []byte {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7f)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(0x80 | v&0x7f)
	}
	return append(b, tmp[i:]...)
}

// eventLimitMIDI is a format-0 file of one event less than midi.MaxEvents:
// a name, a tempo of 960 a minute, the most notes a piece holds less a
// chord (chords of eight, a quarter note each: 34 minutes), controllers
// for the rest, and, when pad is set, a text event that makes the file
// just under format.MaxSize bytes.
func eventLimitMIDI(pad bool) []byte {
	tr := []byte("\x00\xff\x03\x04Big!\x00\xff\x51\x03\x00\xf4\x24")
	events := 2
	for c := range music.MaxNotes/8 - 1 {
		for k := range 8 {
			tr = append(tr, 0, 0x90, byte(40+5*k+c%3), 80)
		}
		for k := range 8 {
			delta := 0
			if k == 0 {
				delta = 480
			}
			tr = vlq(tr, delta)
			tr = append(tr, 0x80, byte(40+5*k+c%3), 0)
		}
		events += 16
	}
	tr = append(tr, 0, 0xb0, 1, 16)
	events++
	end := 2 // the text and the end of track
	for ; events < midi.MaxEvents-1-end; events++ {
		tr = append(tr, 0, 1, 16) // running status
	}
	if pad {
		n := format.MaxSize - 22 - len(tr) - 16
		tr = append(tr, 0, 0xff, 0x01)
		tr = vlq(tr, n)
		tr = append(tr, make([]byte, n)...)
	} else {
		tr = append(tr, 0, 0xff, 0x01, 1, 'x')
	}
	tr = append(tr, 0, 0xff, 0x2f, 0)
	out := binary.BigEndian.AppendUint32([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk"), uint32(len(tr)))
	return append(out, tr...)
}

// TestLargestMIDICost inspects and converts the largest MIDI files sideman
// accepts, at the event limit and just under 64 MiB, and a file of ten
// million events (30 MB, the issue's: 894 MB to inspect, 1.6 GB to
// convert), which is refused where the limit is passed. Each peaks under
// ten times its size. The densest file at the event limit (6.8 MB: every
// event three bytes) costs more a byte: its events (16 bytes each, held
// by the document read) and notes (56 bytes each) are most of it: 11
// to 12 times its size to inspect, 14 to 15 to convert, held under 13.5
// and 18 (15 and 22 before the sized allocations in format/midi).
func TestLargestMIDICost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100 MB of MIDI and reads it in child processes")
	}
	dir := t.TempDir()
	write := func(name string, data []byte) (string, int64) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p, int64(len(data))
	}
	largest, largestSize := write("largest.mid", eventLimitMIDI(true))
	dense, denseSize := write("dense.mid", eventLimitMIDI(false))
	ons, onsSize := write("ons.mid", spacedMIDI(5_000_000, 0))
	if largestSize > format.MaxSize || largestSize < format.MaxSize-1024 {
		t.Fatalf("the largest file is %d bytes, want just under %d", largestSize, format.MaxSize)
	}
	out := filepath.Join(dir, "out.mid")
	for _, tc := range []struct {
		name   string
		args   []string
		size   int64
		status int
		times  float64
	}{
		{"inspect, 64 MiB at the event limit", []string{"inspect", largest}, largestSize, 0, 10},
		{"convert, 64 MiB at the event limit", []string{"convert", largest, "-o", out}, largestSize, 0, 10},
		{"inspect, ten million events", []string{"inspect", ons}, onsSize, 2, 10},
		{"convert, ten million events", []string{"convert", ons, "-o", out}, onsSize, 2, 10},
		{"inspect, the densest at the event limit", []string{"inspect", dense}, denseSize, 0, 13.5},
		{"convert, the densest at the event limit", []string{"convert", dense, "-o", out}, denseSize, 0, 18},
	} {
		rss, status := peakRSS(t, tc.args...)
		ratio := float64(rss) / float64(tc.size)
		if status != tc.status || ratio > tc.times {
			t.Errorf("%s (%d MB): status %d, peak %d MB (%.1f times its size); want status %d, at most %g times",
				tc.name, tc.size>>20, status, rss>>20, ratio, tc.status, tc.times)
		} else {
			t.Logf("%s (%d MB): peak %d MB, %.1f times its size", tc.name, tc.size>>20, rss>>20, ratio)
		}
	}
}
