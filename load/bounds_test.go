//go:build linux

package load

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sideman/music"
)

// The cases of issue 11's "Bounded cost", each built here: a FIFO and a
// device given as input or met in a folder, a tar.gz with a bad
// checksum, a MIDI file that lasts for weeks in 600 bytes, and an archive
// of half a megabyte whose members decode to gigabytes.

// oneLine fails unless err is one line under 300 characters naming name.
func oneLine(t *testing.T, err error, name string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T), want an *InputError", err, err)
	}
	s := err.Error()
	if strings.Contains(s, "\n") || len(s) >= 300 || !strings.Contains(s, name) {
		t.Errorf("error %q: want one line under 300 characters naming %s", s, name)
	}
}

func TestNotARegularFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "live.mid")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// Opening a FIFO for reading blocks until a writer comes: were it
	// opened, this test would never return.
	for _, name := range []string{fifo, "/dev/zero"} {
		_, err := Open(name)
		oneLine(t, err, name)
		_, err = OpenFile(name)
		oneLine(t, err, name)
	}
	if _, err := Open(fifo); !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("%v: want it called a named pipe", err)
	}
}

func TestFIFOInFolderIsSkipped(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.chart"), []byte("title: A\n| C | G7 | C |\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "b.mid")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Members) != 1 || len(d.Charts) != 1 || d.Charts[0].Title != "A" {
		t.Errorf("%d members, %d charts: want the chart A alone", len(d.Members), len(d.Charts))
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Error(), "b.mid") {
		t.Errorf("warnings %v: want one naming b.mid", d.Warnings)
	}
}

// tarGz writes the files, in order, as a gzip-compressed tar.
func tarGz(t testing.TB, files map[string][]byte, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	for _, name := range order {
		data := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

func TestArchiveChecksumIsChecked(t *testing.T) {
	dir := t.TempDir()
	good := tarGz(t, map[string][]byte{"a.chart": []byte("title: A\n| C | G7 | C |\n")}, "a.chart")
	// A gzip stream ends with the CRC-32 of what it holds and its length
	// (RFC 1952): flip a bit of the CRC, and the data inflate as before.
	bad := append([]byte(nil), good...)
	bad[len(bad)-8] ^= 1
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{{"good.tar.gz", good, true}, {"bad.tar.gz", bad, false}} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := Open(p)
		if tc.ok {
			if err != nil || len(d.Charts) != 1 {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		oneLine(t, err, p)
		if err != nil && !strings.Contains(err.Error(), "checksum") {
			t.Errorf("%v: want the checksum named", err)
		}
	}
}

// smf is a format-0 Standard MIDI File at 960 ticks a quarter: a tempo
// (microseconds a quarter, 0 for none), then notes of a 32nd each, the
// first at tick 0 and each next gap ticks after the last one's end.
func smf(tempo, notes, gap int) []byte {
	var tr []byte
	vlq := func(n int) {
		var b []byte
		b = append(b, byte(n&0x7f))
		for n >>= 7; n > 0; n >>= 7 {
			b = append([]byte{byte(0x80 | n&0x7f)}, b...)
		}
		tr = append(tr, b...)
	}
	if tempo > 0 {
		tr = append(tr, 0, 0xff, 0x51, 3, byte(tempo>>16), byte(tempo>>8), byte(tempo))
	}
	for i := range notes {
		if i == 0 {
			vlq(0)
		} else {
			vlq(gap)
		}
		// Running status after the first: note on, then a note on at
		// velocity 0 (off) a 32nd later: 3 to 8 bytes a note.
		if i == 0 {
			tr = append(tr, 0x90)
		}
		tr = append(tr, 60, 100)
		vlq(120)
		tr = append(tr, 60, 0)
	}
	tr = append(tr, 0, 0xff, 0x2f, 0)
	out := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xc0MTrk")
	out = binary.BigEndian.AppendUint32(out, uint32(len(tr)))
	return append(out, tr...)
}

func TestLongMIDIIsRefused(t *testing.T) {
	dir := t.TempDir()
	// 50 notes 2^28-2 ticks apart, the longest gap a delta time holds:
	// 13.7 million quarter notes, seven weeks at 120 bpm, in 600 bytes.
	long := smf(0, 50, 1<<28-2)
	// At a microsecond a quarter the same notes last 14 s: the length in
	// quarter notes refuses it, not the seconds.
	fast := smf(1, 50, 1<<28-2)
	// An hour and a minute at 120 bpm.
	hour := smf(0, 61, 120*960-120)
	for name, data := range map[string][]byte{"long.mid": long, "fast.mid": fast, "hour.mid": hour} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(p)
		oneLine(t, err, p)
		if !errors.Is(err, music.ErrTooLong) {
			t.Errorf("%s: %v: want music.ErrTooLong", name, err)
		}
	}
	// A minute short of the hour plays.
	p := filepath.Join(dir, "fine.mid")
	os.WriteFile(p, smf(0, 59, 120*960-120), 0o644)
	if d, err := Open(p); err != nil || d.Piece.NoteCount() != 59 {
		t.Errorf("59 minutes: %v", err)
	}
}

// repeated is a MIDI file of about size bytes: one note struck over and
// over at the same tick, 6 bytes a note, which gzip shrinks a
// thousandfold and the decoder turns into 16-byte events and 56-byte
// notes.
func repeated(size int) []byte {
	tr := []byte{0, 0x90, 60, 100}
	for len(tr) < size-30 {
		tr = append(tr, 0, 60, 0, 0, 60, 100)
	}
	tr = append(tr, 0, 0xff, 0x2f, 0)
	out := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xc0MTrk")
	out = binary.BigEndian.AppendUint32(out, uint32(len(tr)))
	return append(out, tr...)
}

func TestCollectionDecodedSizeIsBounded(t *testing.T) {
	dir := t.TempDir()
	// 233,000 notes: under music.MaxNotes, so each member is kept.
	member := repeated(1400 << 10)
	m, err := Bytes("m.mid", member)
	if err != nil {
		t.Fatal(err)
	}
	each := decodedSize(m, len(member))
	m = nil
	if each < 8*int64(len(member)) {
		t.Fatalf("a member decodes to %d bytes, %d times its size: want the archive to exceed the limit on what it decodes to", each, each/int64(len(member)))
	}
	// 64 members: 88 MiB of files, under the 1 GiB limit on bytes, in
	// about 400 KB of archive; 1.4 GB decoded.
	const members = 64
	files := map[string][]byte{}
	var order []string
	for i := range members {
		name := fmt.Sprintf("m%02d.mid", i)
		files[name], order = member, append(order, name)
	}
	bomb := filepath.Join(dir, "bomb.tar.gz")
	if err := os.WriteFile(bomb, tarGz(t, files, order...), 0o644); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "m.mid")
	if err := os.WriteFile(single, member, 0o644); err != nil {
		t.Fatal(err)
	}
	// Eight members of 24 MiB, each of which could decode past the
	// limit: refused before the first is decoded (issue 11's archive,
	// 8 members of 42 MB, took 5.77 GB).
	big := repeated(24 << 20)
	files = map[string][]byte{}
	order = nil
	for i := range 8 {
		name := fmt.Sprintf("big%d.mid", i)
		files[name], order = big, append(order, name)
	}
	bigBomb := filepath.Join(dir, "big.tar.gz")
	if err := os.WriteFile(bigBomb, tarGz(t, files, order...), 0o644); err != nil {
		t.Fatal(err)
	}
	big, files = nil, nil
	st, _ := os.Stat(bomb)
	// Memory: the archive may cost what the members up to the limit
	// cost, and one more, however many it holds.
	upTo := MaxDecodedSize/each + 2
	one, many, bigs := peakRSS(t, single), peakRSS(t, bomb), peakRSS(t, bigBomb)
	t.Logf("8 members of 24 MiB: peak %d MB, %.1f times one small member", bigs>>20, float64(bigs)/float64(one))
	if bigs > 2*one {
		t.Errorf("the archive of 24 MiB members peaks at %d MB: want it refused before decoding, at most twice the %d MB of one small member", bigs>>20, one>>20)
	}
	_, err = Open(bigBomb)
	oneLine(t, err, bigBomb)
	_, err = Open(bomb)
	oneLine(t, err, bomb)
	if err != nil && !strings.Contains(err.Error(), "decode to more than") {
		t.Errorf("%v: want the decoded size named", err)
	}
	t.Logf("%d KB archive of %d members of %d KB (%d MB decoded each): peak %d MB, one member %d MB, ratio %.1f (bound %d)",
		st.Size()>>10, members, len(member)>>10, each>>20, many>>20, one>>20, float64(many)/float64(one), upTo)
	if many > upTo*one {
		t.Errorf("the archive peaks at %d MB, %.1f times one member's %d MB: want at most %d times", many>>20, float64(many)/float64(one), one>>20, upTo)
	}
}

// peakRSS opens name in a child process (this test binary, in
// TestChildOpen) and returns its peak resident memory in bytes: the
// child's VmHWM, the high-water mark of its own memory (its rusage
// would count this process's memory at the fork).
func peakRSS(t *testing.T, name string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildOpen$")
	cmd.Env = append(os.Environ(), "SIDEMAN_LOAD_CHILD="+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	_, hwm, ok := strings.Cut(string(out), "VmHWM:")
	var kb int64
	if _, err := fmt.Sscan(hwm, &kb); !ok || err != nil {
		t.Fatalf("child: no VmHWM in\n%s", out)
	}
	return kb << 10
}

// TestChildOpen is peakRSS's child: it opens a file and prints its peak
// memory.
func TestChildOpen(t *testing.T) {
	name := os.Getenv("SIDEMAN_LOAD_CHILD")
	if name == "" {
		t.Skip("the child process of peakRSS")
	}
	d, err := Open(name)
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Println(l)
		}
	}
	fmt.Println(d != nil, err)
}

// A MIDI file decodes to at most maxMIDIDecoded times its size, which
// lets a collection refuse a member before decoding it.
func TestMIDIDecodedSizeBound(t *testing.T) {
	for name, pattern := range map[string][]byte{
		"a note on and off at one tick": {0, 60, 0, 0, 60, 100},
		"note-ons only":                 {0, 60, 100},
		"note-ons a tick apart":         {1, 61, 100, 1, 62, 100},
		"controllers":                   {0, 0xb0, 7, 100},
	} {
		tr := []byte{0, 0x90, 60, 100}
		for len(tr) < 1<<19 { // under music.MaxNotes
			tr = append(tr, pattern...)
		}
		tr = append(tr, 0, 0xff, 0x2f, 0)
		data := binary.BigEndian.AppendUint32([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xc0MTrk"), uint32(len(tr)))
		data = append(data, tr...)
		d, err := Bytes("x.mid", data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := decodedSize(d, len(data)); got > maxMIDIDecoded*int64(len(data)) {
			t.Errorf("%s: decodes to %d bytes, %.1f times its %d: want at most %d times", name, got, float64(got)/float64(len(data)), len(data), maxMIDIDecoded)
		}
	}
}
