package output

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

var errWrite = errors.New("the encoder failed")

// writeString is a write func that writes s, then fails if fail is set.
func writeString(s string, fail bool) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, s)
		if fail {
			return errWrite
		}
		return nil
	}
}

// leftovers lists the temporary files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.Contains(e.Name(), TempPrefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

func check(t *testing.T, path string, formats []Format, inputs ...string) *Target {
	t.Helper()
	tg, err := Check(path, formats, inputs...)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A failed write leaves the old file as it was and no temporary file;
// a good one replaces it, keeping its permissions.
func TestWriteReplacesOnlyOnSuccess(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "song.mid")
	if err := os.WriteFile(out, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	tg := check(t, out, []Format{MIDI})
	if err := tg.Write(nil, writeString("half a fi", true)); !errors.Is(err, errWrite) {
		t.Fatalf("failed write: %v", err)
	}
	if got := readString(t, out); got != "old" {
		t.Errorf("after a failed write the file holds %q", got)
	}
	if l := leftovers(t, dir); len(l) != 0 || Pending() != 0 {
		t.Errorf("left behind %v (%d pending)", l, Pending())
	}
	if err := tg.Write(nil, writeString("new", false)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, out); got != "new" || fi.Mode().Perm() != 0o640 {
		t.Errorf("after a good write: %q, mode %v", got, fi.Mode().Perm())
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind %v", l)
	}
}

// A panic in the encoder also leaves nothing behind.
func TestWritePanicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.wav")
	tg := check(t, out, []Format{WAV})
	func() {
		defer func() { recover() }()
		tg.Write(nil, func(w io.Writer) error { io.WriteString(w, "RIFF"); panic("boom") })
	}()
	if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("target after a panic: %v", err)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind %v", l)
	}
}

// A symbolic link is written through: the file it names is replaced (or
// created, for a dangling link) and the link stays a link.
func TestWriteThroughLinks(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	real := filepath.Join(sub, "real.mid")
	os.WriteFile(real, []byte("old"), 0o644)
	// A relative link in a linked folder: read from where the link is.
	os.Symlink("sub", filepath.Join(dir, "via"))
	link := filepath.Join(dir, "via", "link.mid")
	if err := os.Symlink("real.mid", link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.mid")
	os.Symlink(filepath.Join("sub", "new.mid"), dangling)
	for _, c := range []struct{ link, target string }{{link, real}, {dangling, filepath.Join(sub, "new.mid")}} {
		if err := check(t, c.link, []Format{MIDI}).Write(nil, writeString("MThd", false)); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(c.link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", c.link, err)
		}
		if got := readString(t, c.target); got != "MThd" {
			t.Errorf("%s holds %q", c.target, got)
		}
	}
	if l := append(leftovers(t, dir), leftovers(t, sub)...); len(l) != 0 {
		t.Errorf("left behind %v", l)
	}
}

// A FIFO and a character device are written as they are, never replaced.
func TestWriteDirect(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	tg := check(t, fifo, []Format{MIDI, WAV})
	if tg.Format != MIDI {
		t.Errorf("a FIFO gets %v, want the command's first format", tg.Format)
	}
	if err := tg.Write(nil, writeString("MThd", false)); err != nil {
		t.Fatal(err)
	}
	if b := <-got; string(b) != "MThd" {
		t.Errorf("the FIFO's reader got %q", b)
	}
	if err := check(t, os.DevNull, []Format{WAV}).Write(nil, writeString("RIFF", false)); err != nil {
		t.Fatalf("%s: %v", os.DevNull, err)
	}
	if fi, err := os.Stat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("%s was replaced: %v", os.DevNull, err)
	}
	// /dev/full takes nothing: an error naming it, and it stays a device.
	if _, err := os.Stat("/dev/full"); err == nil {
		err := check(t, "/dev/full", []Format{WAV}).Write(nil, writeString(strings.Repeat("x", 1<<17), false))
		if err == nil || !strings.HasPrefix(err.Error(), "/dev/full: ") {
			t.Errorf("/dev/full: %v", err)
		}
		if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("/dev/full was replaced: %v", err)
		}
	}
	var buf bytes.Buffer
	tg = check(t, "-", []Format{SVG})
	if err := tg.Write(&buf, writeString("<svg", false)); err != nil || buf.String() != "<svg" || tg.Format != SVG {
		t.Errorf("-: %q, %v, %v", buf.String(), tg.Format, err)
	}
}

// Refusals, before anything is written: one line naming the output.
func TestCheckRefuses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.mid")
	os.WriteFile(in, []byte("MThd"), 0o644)
	hard := filepath.Join(dir, "hard.mid")
	os.Link(in, hard)
	soft := filepath.Join(dir, "soft.mid")
	os.Symlink("in.mid", soft)
	cases := []struct {
		path, want string
		formats    []Format
	}{
		{in, "is an input", []Format{MIDI}},
		{hard, "is an input", []Format{MIDI}},
		{soft, "is an input", []Format{MIDI}},
		{dir, "is a folder", []Format{MIDI}},
		{filepath.Join(dir, "missing", "x.mid"), "no folder " + filepath.Join(dir, "missing"), []Format{MIDI}},
		{filepath.Join(in, "x.mid"), "is not a folder", []Format{MIDI}},
		{filepath.Join(dir, "song.wav"), `want .mid, not ".wav"`, []Format{MIDI}},
		{filepath.Join(dir, "y.mid"), `want .wav, not ".mid"`, []Format{WAV}},
		{filepath.Join(dir, "song"), "want .mid or .musicxml, not a name without one", []Format{MIDI, MusicXML}},
		{"", "no output", []Format{MIDI}},
	}
	for _, c := range cases {
		_, err := Check(c.path, c.formats, in)
		var oe *Error
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || len(err.Error()) > 300 {
			t.Errorf("%s: %v, want an *Error saying %q", c.path, err, c.want)
		}
		if oe != nil && !strings.HasPrefix(err.Error(), c.path) && c.path != "" {
			t.Errorf("%s: %v does not name the output first", c.path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing folder was created")
	}
	if got := readString(t, in); got != "MThd" {
		t.Errorf("the input holds %q", got)
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]Format{"a.MID": MIDI, "b.midi": MIDI, "c.wav": WAV, "d.xml": MusicXML, "e.musicxml": MusicXML, "f.abc": ABC, "g.chart": Chart, "h.feel": Feel, "i.svg": SVG} {
		if got, ok := FormatOf(path); !ok || got != want {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	if f, ok := FormatOf("notes.txt"); ok {
		t.Errorf("notes.txt: %v", f)
	}
}

// Two writers to one file: each writes its own temporary file, so the
// file ends as one of them wrote it, whole.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.mid")
	a, b := strings.Repeat("a", 1<<20), strings.Repeat("b", 1<<20)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []string{a, b} {
		wg.Go(func() {
			errs[i] = check(t, out, []Format{MIDI}).Write(nil, func(w io.Writer) error {
				for j := 0; j < len(s); j += 4096 {
					io.WriteString(w, s[j:j+4096])
				}
				return nil
			})
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if got := readString(t, out); got != a && got != b {
		t.Errorf("the file is neither writer's output (%d bytes, starts %q)", len(got), got[:4])
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind %v", l)
	}
}

// /proc/self/fd/N (as /dev/stdout is) names a descriptor a shell opened:
// written as it is, appending as >> does, never replaced by a rename.
func TestWriteDescriptor(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.mid")
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	io.WriteString(f, "log:")
	before, _ := os.Stat(out)
	fd := filepath.Join("/proc/self/fd", strconv.Itoa(int(f.Fd())))
	if _, err := os.Stat(fd); err != nil {
		t.Skipf("no /proc: %v", err)
	}
	if err := check(t, fd, []Format{MIDI}).Write(nil, writeString("MThd", false)); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(out)
	if got := readString(t, out); got != "log:MThd" || !os.SameFile(before, after) {
		t.Errorf("through %s the file holds %q (same file: %v)", fd, got, os.SameFile(before, after))
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("left behind %v", l)
	}
}
