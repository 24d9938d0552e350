package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/music"
)

// refusedInOneLine runs a command line that must be refused as bad input:
// exit 2, and stderr one line under 300 bytes holding each of want (the
// file or the flag it names).
func refusedInOneLine(t *testing.T, args []string, want ...string) string {
	t.Helper()
	status, _, errs := sideman(t, args...)
	if status != 2 {
		t.Errorf("%.80q: status %d, want 2 (%.300s)", args, status, errs)
	}
	if n := strings.Count(errs, "\n"); n != 1 || !strings.HasSuffix(errs, "\n") {
		t.Errorf("%.80q: %d lines on stderr, want one: %.300q", args, n, errs)
	}
	if len(errs) >= 300 {
		t.Errorf("%.80q: an error line of %d bytes, want under 300: %.300q", args, len(errs), errs)
	}
	for _, w := range want {
		if !strings.Contains(errs, w) {
			t.Errorf("%.80q: stderr %.300q does not name %q", args, errs, w)
		}
	}
	return errs
}

// Numeric flags refuse NaN, infinities and values out of their range.
func TestNumericFlagsRefuseNaNAndRange(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "blues.mid")
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", in); status != 0 {
		t.Fatalf("convert: %d %s", status, errs)
	}
	out := filepath.Join(dir, "out.mid")
	for _, v := range []string{"NaN", "nan", "Inf", "-Inf", "+infinity", "1.5", "-0.1"} {
		refusedInOneLine(t, []string{"humanize", in, "--feel", "swing-rhythm", "--amount", v, "-o", out}, "--amount")
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused humanize wrote %s", out)
	}
	for _, v := range []string{"1000000000", "-5", "0", "65", "99999999999999999999"} {
		refusedInOneLine(t, []string{"demo", "--choruses", v, "-o", out}, "--choruses")
	}
	for _, tc := range []struct {
		flag string
		args []string
	}{
		{"--choruses", []string{"band", "../../examples/blues-f.chart", "--choruses", "1000000000", "-o", out}},
		{"--tempo", []string{"band", "../../examples/blues-f.chart", "--tempo", "-5", "-o", out}},
		{"--level", []string{"band", "../../examples/blues-f.chart", "--level", "bass=NaN", "-o", out}},
		{"--ramp", []string{"band", "../../examples/blues-f.chart", "--choruses", "5", "--ramp", "4611686018427387904", "-o", out}}, // 4 × 2^62 wraps to 0
		{"--choruses", []string{"convert", "../../examples/blues-f.chart", "--choruses", "-5", "-o", out}},
		{"--choruses", []string{"analyze", in, "--choruses", "1000000000"}},
	} {
		refusedInOneLine(t, tc.args, tc.flag)
	}
	// In range, demo plays.
	if status, _, errs := sideman(t, "demo", "--choruses", "1", "-o", out); status != 0 {
		t.Errorf("demo --choruses 1: %d %s", status, errs)
	}
}

// A style file's numbers are finite and in range: swing: NaN once played
// a band with no swing ratio at all, exit 0.
func TestStyleNumbersRefuseNaN(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.mid")
	for _, line := range []string{"swing: NaN", "swing: +Inf", "arc: NaN", "drums.level: NaN", "drums.level: 1e300",
		"drums.comping: -Inf", "bass.runs: NaN"} {
		style := filepath.Join(dir, "odd.style")
		if err := os.WriteFile(style, []byte("name: odd\nfeel: swing\n"+line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		key, _, _ := strings.Cut(line, ":")
		refusedInOneLine(t, []string{"band", "../../examples/blues-f.chart", "--style", style, "-o", out}, "odd.style", key)
	}
}

// Errors quote at most 40 bytes of the input and stay one line under 300
// bytes, naming the file.
func TestErrorsQuoteLittleOfTheInput(t *testing.T) {
	dir := t.TempDir()
	chord := filepath.Join(dir, "huge-chord.chart")
	huge := "title: Huge\n| C" + strings.Repeat("7", 4<<20) + " |\n" // a 4 MB chord symbol
	if err := os.WriteFile(chord, []byte(huge), 0o644); err != nil {
		t.Fatal(err)
	}
	refusedInOneLine(t, []string{"inspect", chord}, "huge-chord.chart", "line 2", "…")
	refusedInOneLine(t, []string{"band", chord, "-o", filepath.Join(dir, "x.mid")}, "huge-chord.chart")

	// A file that is not music: no more than 40 bytes of it echoed.
	secret := strings.Repeat("x", 40) + "PAST-FORTY-BYTES"
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, []byte(secret+":x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if errs := refusedInOneLine(t, []string{"inspect", passwd}, "passwd"); strings.Contains(errs, "PAST-FORTY") {
		t.Errorf("the error echoes more than 40 bytes of the file: %s", errs)
	}

	// A long title and a long tune choice are quoted short too.
	long := strings.Repeat("Autumn ", 100000)
	refusedInOneLine(t, []string{"inspect", "../../examples/blues-f.chart", "--tune", long}, "blues-f.chart")
	refusedInOneLine(t, []string{"band", "../../examples/blues-f.chart", "--transpose", long, "-o", filepath.Join(dir, "y.mid")}, "--transpose")
}

// midiTracks is a format 1 MIDI file of tracks tracks, each playing a
// note on every one of the 16 channels: 16 parts a track.
func midiTracks(tracks int) []byte {
	var b bytes.Buffer
	b.WriteString("MThd")
	binary.Write(&b, binary.BigEndian, []uint32{6})
	binary.Write(&b, binary.BigEndian, []uint16{1, uint16(tracks), 480})
	var ev []byte
	for ch := byte(0); ch < 16; ch++ {
		ev = append(ev, 0, 0x90|ch, 60, 64, 10, 0x80|ch, 60, 0)
	}
	ev = append(ev, 0, 0xFF, 0x2F, 0)
	for range tracks {
		b.WriteString("MTrk")
		binary.Write(&b, binary.BigEndian, uint32(len(ev)))
		b.Write(ev)
	}
	return b.Bytes()
}

// A piece of more parts than a MIDI file has tracks is the input's fact:
// exit 2 naming the file (it was exit 1, naming none).
func TestTooManyPartsNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "many-parts.mid")
	if err := os.WriteFile(in, midiTracks(4097), 0o644); err != nil { // 65,552 parts
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.mid")
	refusedInOneLine(t, []string{"convert", in, "-o", out}, "many-parts.mid", "65535")
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused convert wrote %s", out)
	}
	// humanize says which role plays a part in a few lines, not 65,552.
	status, _, errs := sideman(t, "humanize", in, "--feel", "swing-rhythm", "-o", out)
	last := errs[strings.LastIndex(strings.TrimSuffix(errs, "\n"), "\n")+1:]
	if status != 2 || strings.Count(errs, "\n") > 10 || !strings.Contains(last, "many-parts.mid") || !strings.Contains(last, "65535") {
		t.Errorf("humanize: status %d, %d lines, last %.300q; want 2, at most 10 lines, the last naming the file", status, strings.Count(errs, "\n"), last)
	}
}

// A form that asks for more bars than music.MaxPlayedBars is cut there,
// and the command says so on stderr, naming the file. Cut, it still
// lasts longer than the hour sideman plays (65,536 bars are 65,536 felt
// beats at least, 2.7 hours at 400 bpm), so it is then refused: the
// warning says why it is as long as it is.
func TestFormCutIsReported(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "endless.chart")
	// 1,025 bars each repeated 64 times: 65,600 played bars.
	chart := "title: Endless\nmeter: 1/16\n" + strings.Repeat("|: C7 :|x64 ", music.MaxPlayedBars/64+1) + "|\n"
	if err := os.WriteFile(in, []byte(chart), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, errs := sideman(t, "convert", in, "-o", filepath.Join(dir, "out.mid"))
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if status != 2 || len(lines) != 2 || !strings.Contains(lines[0], "endless.chart: warning:") || !strings.Contains(lines[0], "65536") ||
		!strings.Contains(lines[1], "endless.chart") || !strings.Contains(lines[1], "hour") || len(lines[0]) >= 300 || len(lines[1]) >= 300 {
		t.Errorf("status %d, stderr %q: want 2, a warning line naming endless.chart and the 65536 bars played, then the refusal", status, errs)
	}
	// A form that fits says nothing.
	if _, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "--choruses", "64", "-o", filepath.Join(dir, "blues.mid")); strings.Contains(errs, "warning") {
		t.Errorf("64 choruses of a blues warned: %s", errs)
	}
}

// Usage errors are one line too, naming the command.
func TestUsageErrorIsOneLine(t *testing.T) {
	refusedInOneLine(t, []string{"humanize", "x.mid"}, "sideman humanize:", "sideman help humanize")
	refusedInOneLine(t, []string{strings.Repeat("band", 1<<20)}, "unknown command")
	refusedInOneLine(t, []string{"band", "../../examples/blues-f.chart", "--choruses", "x", "-o", "y.mid"}, "--choruses")
}

// A MIDI file whose End of Track comes after the hour render takes is
// refused naming the file (render once said "sideman: sideman: render: too
// long"), and one ending in the hour renders to its end.
func TestRenderTooLongNamesTheFile(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir := t.TempDir()
	// One quarter note at tick 0, then the End of Track: 960 ticks a
	// quarter at 120 bpm, so q quarters last q/2 s.
	file := func(name string, quarters int) string {
		var ev []byte
		ev = append(ev, 0, 0x90, 60, 64, 0x87, 0x40, 0x80, 60, 0) // 960 = 0x87 0x40
		d := quarters * 960
		ev = append(ev, byte(0x80|d>>21&0x7F), byte(0x80|d>>14&0x7F), byte(0x80|d>>7&0x7F), byte(d&0x7F), 0xFF, 0x2F, 0)
		var b bytes.Buffer
		b.WriteString("MThd")
		binary.Write(&b, binary.BigEndian, []uint32{6})
		binary.Write(&b, binary.BigEndian, []uint16{0, 1, 960})
		b.WriteString("MTrk")
		binary.Write(&b, binary.BigEndian, uint32(len(ev)))
		b.Write(ev)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	long := file("ends-late.mid", 8000) // 4,000 s
	refusedInOneLine(t, []string{"render", long, "--soundfont", sf2, "-o", filepath.Join(dir, "x.wav")}, "ends-late.mid", "3600")
	short := file("ends-at-ten.mid", 20) // 10.5 s
	out := filepath.Join(dir, "y.wav")
	if status, _, errs := sideman(t, "render", short, "--soundfont", sf2, "-o", out); status != 0 {
		t.Fatalf("render: %d %s", status, errs)
	}
	if secs := checkWAV(t, out); secs < 10.5 {
		t.Errorf("a file whose End of Track is at 10.5 s renders %.2f s", secs)
	}
}
