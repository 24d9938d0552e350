//go:build linux

package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Issue 11, "Bounded cost": every case built here, each refused with exit
// 2 and one line, and the long-delta MIDI's memory measured against a
// normal MIDI file of the same size.

// refused runs the command line and fails unless it exits 2 with one
// line under 300 characters that names want.
func refused(t *testing.T, want string, args ...string) {
	t.Helper()
	status, _, errs := sideman(t, args...)
	line := strings.TrimSuffix(errs, "\n")
	if status != 2 || strings.Contains(line, "\n") || len(line) >= 300 || !strings.Contains(line, want) {
		t.Errorf("sideman %s: status %d, stderr %q: want 2 and one line naming %s", strings.Join(args, " "), status, errs, want)
	}
}

// spacedMIDI is a format-0 file at 960 ticks a quarter: notes of a 32nd,
// each gap ticks after the last one's end.
func spacedMIDI(notes, gap int) []byte {
	var tr []byte
	vlq := func(n int) {
		b := []byte{byte(n & 0x7f)}
		for n >>= 7; n > 0; n >>= 7 {
			b = append([]byte{byte(0x80 | n&0x7f)}, b...)
		}
		tr = append(tr, b...)
	}
	for i := range notes {
		if i == 0 {
			vlq(0)
			tr = append(tr, 0x90)
		} else {
			vlq(gap)
		}
		tr = append(tr, byte(48+i%24), 100)
		vlq(120)
		tr = append(tr, byte(48+i%24), 0)
	}
	tr = append(tr, 0, 0xff, 0x2f, 0)
	out := binary.BigEndian.AppendUint32([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xc0MTrk"), uint32(len(tr)))
	return append(out, tr...)
}

func TestLongMIDIIsRefusedByEveryCommand(t *testing.T) {
	dir := t.TempDir()
	// 50 notes 2^28-2 ticks apart (the longest delta time): 13.7 million
	// quarter notes in 600 bytes. Humanize took 2.4 GB and 12 s on it.
	long := filepath.Join(dir, "long.mid")
	normal := filepath.Join(dir, "normal.mid")
	os.WriteFile(long, spacedMIDI(50, 1<<28-2), 0o644)
	os.WriteFile(normal, spacedMIDI(50, 360), 0o644) // eighths, about the same size
	for _, args := range [][]string{
		{"humanize", long, "--feel", "swing-rhythm", "-o", filepath.Join(dir, "h.mid")},
		{"inspect", long},
		{"render", long, "-o", filepath.Join(dir, "r.wav")},
		{"convert", long, "-o", filepath.Join(dir, "c.mid")},
		{"analyze", long},
		{"feel", "learn", "--from", "midi", long, "-o", filepath.Join(dir, "learned.feel")},
	} {
		refused(t, long, args...)
	}
	if _, err := os.Stat(filepath.Join(dir, "h.mid")); err == nil {
		t.Errorf("humanize wrote a file for a piece it refused")
	}
	// Memory: the long file costs what a normal one of its size costs.
	args := func(in string) []string {
		return []string{"humanize", in, "--feel", "swing-rhythm", "-o", filepath.Join(dir, "out.mid")}
	}
	n, nStatus := peakRSS(t, args(normal)...)
	l, lStatus := peakRSS(t, args(long)...)
	t.Logf("humanize peaks at %d MB on %s, %d MB on the long-delta file (%.2f times)", n>>20, normal, l>>20, float64(l)/float64(n))
	if nStatus != 0 || lStatus != 2 {
		t.Errorf("humanize exits %d on the normal file, %d on the long one: want 0 and 2", nStatus, lStatus)
	}
	if l > 2*n {
		t.Errorf("humanize peaks at %d MB on the long file, %.1f times the normal one's %d MB", l>>20, float64(l)/float64(n), n>>20)
	}
}

func TestBandLongerThanAnHourIsRefused(t *testing.T) {
	// A 12-bar blues 64 times at 20 bpm: 3,072 beats, 2.6 hours.
	refused(t, "hour", "band", "../../examples/blues-f.chart", "--tempo", "20", "--choruses", "64", "-o", filepath.Join(t.TempDir(), "b.mid"))
	// convert plays a chart as block chords: 1,000 bars at 40 bpm are
	// 100 minutes.
	dir := t.TempDir()
	long := filepath.Join(dir, "long.chart")
	os.WriteFile(long, []byte("title: Long\ntempo: 40\n"+strings.Repeat("| C | G7 ", 500)+"|\n"), 0o644)
	refused(t, "hour", "convert", long, "-o", filepath.Join(dir, "long.mid"))
	// 64 times at 120 bpm is 26 minutes: played.
	if status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--tempo", "120", "--choruses", "64", "-o", filepath.Join(t.TempDir(), "b.mid")); status != 0 {
		t.Errorf("26 minutes: status %d: %s", status, errs)
	}
}

func TestNotARegularFileIsRefusedByName(t *testing.T) {
	dir := t.TempDir()
	fifo := func(name string) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out := filepath.Join(dir, "out.mid")
	chart := "../../examples/blues-f.chart"
	// Opened for reading, a FIFO blocks until a writer comes: each of
	// these would hang. /dev/zero ran the .feel reader out of memory.
	refused(t, "/dev/zero", "band", chart, "--feel", "/dev/zero", "-o", out)
	refused(t, "named pipe", "band", chart, "--feel", fifo("x.feel"), "-o", out)
	refused(t, "named pipe", "band", chart, "--style", fifo("x.style"), "-o", out)
	refused(t, "/dev/zero", "band", chart, "--style", "/dev/zero", "-o", out)
	refused(t, "named pipe", "inspect", fifo("in.mid"))
	refused(t, "named pipe", "humanize", filepath.Join(dir, "in.mid"), "--feel", "swing-rhythm", "-o", out)
	refused(t, "named pipe", "feel", "learn", "--from", "midi", filepath.Join(dir, "in.mid"), "-o", filepath.Join(dir, "learned.feel"))
	// In a folder, a FIFO is skipped with a warning and the rest read.
	folder := filepath.Join(dir, "tunes")
	os.Mkdir(folder, 0o755)
	os.WriteFile(filepath.Join(folder, "a.chart"), []byte("title: A\n| C | G7 | C |\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(folder, "b.mid"), 0o644); err != nil {
		t.Fatal(err)
	}
	status, stdout, errs := sideman(t, "charts", folder)
	if status != 0 || !strings.Contains(stdout, "A") || !strings.Contains(errs, "warning") || !strings.Contains(errs, "b.mid") {
		t.Errorf("charts on a folder with a FIFO: status %d\n%s\n%s", status, stdout, errs)
	}
}

func TestCorruptArchiveIsRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	body := []byte("title: A\n| C | G7 | C |\n")
	tw.WriteHeader(&tar.Header{Name: "a.chart", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
	tw.Write(body)
	tw.Close()
	zw.Close()
	data := buf.Bytes()
	data[len(data)-8] ^= 1 // the CRC-32 (RFC 1952); the data inflate as before
	p := filepath.Join(t.TempDir(), "tunes.tar.gz")
	os.WriteFile(p, data, 0o644)
	refused(t, "checksum", "charts", p)
}

// peakRSS runs a command line in a child process (this test binary, in
// TestBoundsChild) and returns its peak memory (VmHWM: its rusage would
// count this process's memory at the fork) and its exit status.
func peakRSS(t *testing.T, args ...string) (int64, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBoundsChild$")
	cmd.Env = append(os.Environ(), "SIDEMAN_BOUNDS_CHILD="+strings.Join(args, "\x1f"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var kb int64
	var status int
	_, rest, ok := strings.Cut(string(out), "VmHWM:")
	if _, err := fmt.Sscanf(rest, "%d kB status %d", &kb, &status); !ok || err != nil {
		t.Fatalf("child: no VmHWM and status in\n%s", out)
	}
	return kb << 10, status
}

// TestBoundsChild is peakRSS's child: it runs a command line and prints
// its peak memory and exit status.
func TestBoundsChild(t *testing.T) {
	line := os.Getenv("SIDEMAN_BOUNDS_CHILD")
	if line == "" {
		t.Skip("the child process of peakRSS")
	}
	var out, errs bytes.Buffer
	status := run(strings.Split(line, "\x1f"), &out, &errs)
	proc, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(proc), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Printf("VmHWM: %d kB status %d\n", fieldKB(l), status)
		}
	}
}

func fieldKB(l string) int64 {
	var kb int64
	fmt.Sscan(strings.TrimPrefix(l, "VmHWM:"), &kb)
	return kb
}
