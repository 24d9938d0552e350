package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sideman/format/midi"
	"sideman/internal/output"
	"sideman/load"
	"sideman/music"
)

// outputDir is a folder with a chart (x.chart) and a short MIDI file
// (r.mid) to write from.
func outputDir(t *testing.T) (dir, chart, mid string) {
	t.Helper()
	dir = t.TempDir()
	src, err := os.ReadFile("../../examples/blues-f.chart")
	if err != nil {
		t.Fatal(err)
	}
	chart, mid = filepath.Join(dir, "x.chart"), filepath.Join(dir, "r.mid")
	if err := os.WriteFile(chart, src, 0o644); err != nil {
		t.Fatal(err)
	}
	p := &music.Piece{Parts: []music.Part{{Name: "Piano", Notes: []music.Note{
		{ID: 1, Pitch: 60, Velocity: 90, Duration: music.PPQ},
		{ID: 2, Pitch: 64, Velocity: 90, Start: music.PPQ, Duration: music.PPQ},
	}}}}
	if err := writeFile(mid, func(w io.Writer) error { return midi.EncodePiece(w, p) }); err != nil {
		t.Fatal(err)
	}
	return dir, chart, mid
}

// outputRefused checks a refusal: exit 2 and one line under 300 characters
// that says want.
func outputRefused(t *testing.T, want string, args ...string) {
	t.Helper()
	status, _, errs := sideman(t, args...)
	if status != 2 || strings.Count(errs, "\n") != 1 || len(errs) > 300 || !strings.Contains(errs, want) {
		t.Errorf("%v: status %d, %q; want 2 and one line saying %q", args, status, errs, want)
	}
}

// noTemporaryFiles fails if a temporary file is left in dir.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.Contains(e.Name(), output.TempPrefix) {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// unchanged fails if the file no longer holds want.
func unchanged(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s changed: %d bytes, was %d (%v)", path, len(got), len(want), err)
	}
}

// An output that is the input, by name, through a symbolic link or a
// hard link, is refused before anything is written (issue 11: humanize
// left v.mid at 26 bytes; band wrote MIDI over the chart, convert
// dropped its comments, render put a WAV in the MIDI file).
func TestOutputOverTheInputIsRefused(t *testing.T) {
	dir, chart, mid := outputDir(t)
	// The MIDI: format 0, a note at tick 0 and one after a
	// delta of 2^28-2 ticks.
	v := filepath.Join(dir, "v.mid")
	vmid := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x03\xc0MTrk\x00\x00\x00\x17" +
		"\x00\x90\x3c\x40\x60\x80\x3c\x00" + "\xff\xff\xff\x7e\x90\x3e\x40\x60\x80\x3e\x00" + "\x00\xff\x2f\x00")
	os.WriteFile(v, vmid, 0o644)
	link, hard := filepath.Join(dir, "link.chart"), filepath.Join(dir, "hard.mid")
	os.Symlink("x.chart", link)
	os.Link(mid, hard)
	chartBytes, _ := os.ReadFile(chart)
	midBytes, _ := os.ReadFile(mid)
	for _, args := range [][]string{
		{"humanize", v, "--feel", "swing-rhythm", "-o", v},
		{"band", chart, "-o", chart},
		{"band", chart, "-o", link},
		{"convert", chart, "-o", chart},
		{"convert", link, "-o", chart},
		{"render", mid, "-o", mid},
		{"humanize", mid, "--feel", "swing-rhythm", "-o", hard},
		{"band", chart, "--style", mid, "-o", hard},
	} {
		out := args[len(args)-1]
		outputRefused(t, out+": is an input", args...)
	}
	unchanged(t, v, vmid)
	unchanged(t, chart, chartBytes)
	unchanged(t, mid, midBytes)
	noTemporaryFiles(t, dir)
}

// The extension decides what is written; an output named for another
// format is refused before any work.
func TestOutputExtensionDecidesTheFormat(t *testing.T) {
	dir, chart, mid := outputDir(t)
	for _, c := range []struct {
		want string
		args []string
	}{
		{`want .wav, not ".mid"`, []string{"band", chart, "--wav", filepath.Join(dir, "y.mid")}},
		{`not ".txt"`, []string{"band", chart, "-o", filepath.Join(dir, "song.txt")}},
		{"not a name without one", []string{"band", chart, "-o", filepath.Join(dir, "song")}},
		{`want .wav, not ".mid"`, []string{"render", mid, "-o", filepath.Join(dir, "out.mid")}},
		{`want .mid, not ".wav"`, []string{"humanize", mid, "--feel", "swing-rhythm", "-o", filepath.Join(dir, "h.wav")}},
		{`not ".wav"`, []string{"convert", chart, "-o", filepath.Join(dir, "c.wav")}},
		{`want .svg, not ".png"`, []string{"feel", "plot", "swing-rhythm", "-o", filepath.Join(dir, "f.png")}},
		{`want .mid, not ".chart"`, []string{"demo", "-o", filepath.Join(dir, "d.chart")}},
	} {
		outputRefused(t, c.want, c.args...)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 2 {
		t.Errorf("%d files in the folder, want the 2 inputs", len(es))
	}
	// Each extension band and convert write gives its format.
	for _, c := range []struct {
		args  []string
		magic string
	}{
		{[]string{"band", chart, "--feel", "none", "-o", "b.MID"}, "MThd"},
		{[]string{"band", chart, "--feel", "none", "-o", "b.musicxml"}, "<?xml"},
		{[]string{"convert", chart, "-o", "c.abc"}, "X:"},
		{[]string{"convert", chart, "-o", "c.mid"}, "MThd"},
		{[]string{"feel", "plot", "swing-rhythm", "-o", "f.svg"}, "<?xml"},
	} {
		out := filepath.Join(dir, c.args[len(c.args)-1])
		c.args[len(c.args)-1] = out
		if status, _, errs := sideman(t, c.args...); status != 0 {
			t.Errorf("%v: %s", c.args, errs)
			continue
		}
		if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte(c.magic)) {
			t.Errorf("%v: the file starts %.8q, want %q", c.args, b, c.magic)
		}
	}
	noTemporaryFiles(t, dir)
}

// band -o OUT.wav renders the WAV, as --wav does.
func TestBandOutputWAV(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir, chart, _ := outputDir(t)
	wav := filepath.Join(dir, "song.wav")
	if status, _, errs := sideman(t, "band", chart, "--feel", "none", "--soundfont", sf2, "-o", wav); status != 0 {
		t.Fatal(errs)
	}
	mid := filepath.Join(dir, "song.mid")
	if status, _, errs := sideman(t, "band", chart, "--feel", "none", "-o", mid); status != 0 {
		t.Fatal(errs)
	}
	d, err := load.Open(mid)
	if err != nil {
		t.Fatal(err)
	}
	want := d.Piece.Tempo.Seconds(d.Piece.End())
	if secs := checkWAV(t, wav); secs < want || secs > want+3.1 {
		t.Errorf("%.1f s of audio for %.1f s of music", secs, want)
	}
	outputRefused(t, "one WAV at a time", "band", chart, "-o", wav, "--wav", filepath.Join(dir, "other.wav"))
}

// What -o names decides how it is written: a folder or a missing folder
// refused in one line naming it (never the temporary file), a link
// written through, a FIFO and a device written as they are, - on stdout.
func TestOutputTargets(t *testing.T) {
	dir, chart, mid := outputDir(t)
	odir := filepath.Join(dir, "odir")
	os.Mkdir(odir, 0o755)
	outputRefused(t, odir+": is a folder", "band", chart, "-o", odir)
	missing := filepath.Join(dir, "missing")
	outputRefused(t, "no folder "+missing, "band", chart, "-o", filepath.Join(missing, "x.mid"))
	outputRefused(t, "no folder "+missing, "render", mid, "-o", filepath.Join(missing, "x.wav"))
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing folder was created")
	}

	// Links: the file they name is written, the link kept.
	real := filepath.Join(dir, "real.mid")
	os.WriteFile(real, []byte("old"), 0o644)
	link, dangling := filepath.Join(dir, "link.mid"), filepath.Join(dir, "dangling.mid")
	os.Symlink("real.mid", link)
	os.Symlink("made.mid", dangling)
	for l, target := range map[string]string{link: real, dangling: filepath.Join(dir, "made.mid")} {
		if status, _, errs := sideman(t, "band", chart, "-o", l); status != 0 {
			t.Fatalf("-o %s: %s", l, errs)
		}
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link", l)
		}
		if _, err := load.Open(target); err != nil {
			t.Errorf("-o %s: %s: %v", l, target, err)
		}
	}

	// A FIFO: the reader gets the MIDI file, the FIFO stays.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if status, _, errs := sideman(t, "band", chart, "-o", fifo); status != 0 {
		t.Fatal(errs)
	}
	if b := <-got; !bytes.HasPrefix(b, []byte("MThd")) {
		t.Errorf("the FIFO's reader got %.8q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}

	// Devices are written, never replaced.
	if status, _, errs := sideman(t, "band", chart, "-o", os.DevNull); status != 0 {
		t.Errorf("-o %s: %s", os.DevNull, errs)
	}
	if status, _, errs := sideman(t, "demo", "-o", os.DevNull); status != 0 {
		t.Errorf("demo -o %s: %s", os.DevNull, errs)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		status, _, errs := sideman(t, "convert", chart, "-o", "/dev/full")
		if status != 1 || !strings.HasPrefix(errs, "sideman: /dev/full: no space left") || strings.Count(errs, "\n") != 1 {
			t.Errorf("-o /dev/full: status %d, %q", status, errs)
		}
	}
	for _, dev := range []string{os.DevNull, "/dev/full"} {
		if fi, err := os.Lstat(dev); err == nil && fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s was replaced: %v", dev, fi.Mode())
		}
	}

	// - is stdout.
	status, out, errs := sideman(t, "band", chart, "-o", "-")
	if status != 0 || !strings.HasPrefix(out, "MThd") {
		t.Errorf("band -o -: status %d, stdout %.8q, %s", status, out, errs)
	}
	if _, err := load.Bytes("stdout.mid", []byte(out)); err != nil {
		t.Errorf("band -o -: %v", err)
	}
	status, out, _ = sideman(t, "convert", chart, "-o", "-")
	if status != 0 || !strings.HasPrefix(out, "MThd") {
		t.Errorf("convert -o -: status %d, stdout %.8q", status, out)
	}
	noTemporaryFiles(t, dir)
}

// A render that fails (a SoundFont that does not load) leaves the file
// it was to replace as it was, and no temporary file.
func TestFailedRenderLeavesTheOldFile(t *testing.T) {
	dir, _, mid := outputDir(t)
	bad := filepath.Join(dir, "bad.sf2")
	os.WriteFile(bad, append([]byte("RIFF\xff\x00\x00\x00sfbkLIST"), make([]byte, 200)...), 0o644)
	wav := filepath.Join(dir, "r.wav")
	old := []byte("the take I want to keep")
	os.WriteFile(wav, old, 0o644)
	status, _, errs := sideman(t, "render", mid, "--soundfont", bad, "-o", wav)
	if status != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, bad) {
		t.Errorf("status %d, %q; want 2 and one line naming %s", status, errs, bad)
	}
	unchanged(t, wav, old)
	noTemporaryFiles(t, dir)
}

// Two humanize runs to one -o both succeed and leave one whole file, as
// either writes it (issue 11: a 45 MB unreadable file).
func TestConcurrentRunsToOneOutput(t *testing.T) {
	dir, chart, _ := outputDir(t)
	grid := filepath.Join(dir, "grid.mid")
	if status, _, errs := sideman(t, "band", chart, "--choruses", "4", "--feel", "none", "-o", grid); status != 0 {
		t.Fatal(errs)
	}
	alone := filepath.Join(dir, "alone.mid")
	if status, _, errs := sideman(t, "humanize", grid, "--feel", "swing-rhythm", "-o", alone); status != 0 {
		t.Fatal(errs)
	}
	want, _ := os.ReadFile(alone)
	out := filepath.Join(dir, "both.mid")
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	for i := range statuses {
		wg.Go(func() {
			var o, e bytes.Buffer
			statuses[i] = run([]string{"humanize", grid, "--feel", "swing-rhythm", "-o", out}, &o, &e)
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 0 {
			t.Errorf("run %d: status %d", i, s)
		}
	}
	unchanged(t, out, want)
	noTemporaryFiles(t, dir)
}

// TestOutputChild is the child process of the signal tests: it runs a
// command line as main does, signal handling included. A command has a
// minute to stop on a signal (signalGrace), so that the tests see the
// cancel reach it, on any machine.
func TestOutputChild(t *testing.T) {
	line := os.Getenv("SIDEMAN_OUTPUT_CHILD")
	if line == "" {
		t.Skip("the child process of TestInterruptLeavesNothing")
	}
	signalGrace = time.Minute
	// syscall.Exit: the testing package refuses os.Exit(0), and would
	// print PASS on the command's stdout.
	syscall.Exit(runWithSignals(strings.Split(line, "\x1f"), os.Stdout, os.Stderr))
}

// child starts this test binary running a command line.
func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutputChild$")
	cmd.Env = append(os.Environ(), "SIDEMAN_OUTPUT_CHILD="+strings.Join(args, "\x1f"))
	return cmd
}

// Interrupted mid-render by SIGINT or SIGTERM, render and band --wav
// stop (the signal cancels the operation's context: the command says it
// stopped), exit 130 or 143 and leave nothing behind: no partial WAV, no
// temporary file, an old WAV as it was (issue 11: Ctrl-C left an empty
// .sideman-NNNN).
func TestInterruptLeavesNothing(t *testing.T) {
	sf2 := needTimGM6mb(t)
	for _, c := range []struct {
		sig  syscall.Signal
		want int
		old  []byte
		band bool
	}{{syscall.SIGINT, 130, nil, false}, {syscall.SIGTERM, 143, []byte("an older take"), false}, {syscall.SIGINT, 130, nil, true}} {
		dir := t.TempDir()
		// Five minutes of one note, or 64 choruses of the blues: long
		// enough to show progress, which says the render is under way.
		long := filepath.Join(dir, "long.mid")
		p := &music.Piece{Parts: []music.Part{{Notes: []music.Note{{ID: 1, Pitch: 60, Velocity: 90, Duration: 5 * 60 * 2 * music.PPQ}}}}}
		if err := writeFile(long, func(w io.Writer) error { return midi.EncodePiece(w, p) }); err != nil {
			t.Fatal(err)
		}
		wav := filepath.Join(dir, "long.wav")
		if c.old != nil {
			os.WriteFile(wav, c.old, 0o644)
		}
		cmd := child("render", long, "--soundfont", sf2, "-o", wav)
		if c.band {
			cmd = child("band", "../../examples/blues-f.chart", "--choruses", "64", "--soundfont", sf2, "-o", wav)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stderr)
		for lines.Scan() && !strings.Contains(lines.Text(), "rendering") {
		}
		cmd.Process.Signal(c.sig)
		var rest []string
		for lines.Scan() {
			rest = append(rest, lines.Text())
		}
		err = cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != c.want {
			t.Errorf("%v: %v, want exit status %d", cmd.Args, err, c.want)
		}
		if n := len(rest); n == 0 || !strings.HasPrefix(rest[n-1], "sideman: stopped: ") || !strings.Contains(rest[n-1], "signal received") {
			t.Errorf("%v: stderr after the signal %q; want the command to say it stopped on the signal", c.sig, rest)
		}
		es, _ := os.ReadDir(dir)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		want := "long.mid"
		if c.old != nil {
			want += " long.wav"
			unchanged(t, wav, c.old)
		}
		if strings.Join(names, " ") != want {
			t.Errorf("%v: the folder holds %v, want %s", c.sig, names, want)
		}
	}
}

// -o /dev/stdout writes to the process's stdout (a pipe here) and leaves
// the link alone (issue 11: the rename replaced it).
func TestOutputDevStdout(t *testing.T) {
	if _, err := os.Lstat("/dev/stdout"); err != nil {
		t.Skip("no /dev/stdout")
	}
	_, chart, _ := outputDir(t)
	before, _ := os.Lstat("/dev/stdout")
	cmd := child("band", chart, "-o", "/dev/stdout")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load.Bytes("stdout.mid", out); err != nil || !bytes.HasPrefix(out, []byte("MThd")) {
		t.Errorf("stdout %.8q: %v", out, err)
	}
	after, err := os.Lstat("/dev/stdout")
	if err != nil || after.Mode() != before.Mode() {
		t.Errorf("/dev/stdout was %v, is %v (%v)", before.Mode(), after.Mode(), err)
	}
}
