package main

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/load"
	"sideman/music"
)

// needTimGM6mb skips without the small Debian SoundFont the tests render with.
func needTimGM6mb(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(timGM6mb); err != nil {
		if os.Getenv("SIDEMAN_REQUIRE_DATA") == "1" {
			t.Fatalf("no %s (apt-get install timgm6mb-soundfont)", timGM6mb)
		}
		t.Skipf("no %s (apt-get install timgm6mb-soundfont)", timGM6mb)
	}
	return timGM6mb
}

// checkWAV reads the header of a WAV file sideman wrote and returns its
// length in seconds.
func checkWAV(t *testing.T, path string) float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("%s: not a canonical WAV file", path)
	}
	rate, data := binary.LittleEndian.Uint32(b[24:]), binary.LittleEndian.Uint32(b[40:])
	if int(data) != len(b)-44 {
		t.Fatalf("%s: data chunk of %d bytes, file holds %d", path, data, len(b)-44)
	}
	return float64(data) / 4 / float64(rate)
}

func TestRender(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir := t.TempDir()
	mid, wav := filepath.Join(dir, "demo.mid"), filepath.Join(dir, "demo.wav")
	if status, _, errs := sideman(t, "demo", "--choruses", "1", "-o", mid); status != 0 {
		t.Fatalf("demo: %s", errs)
	}
	if status, _, errs := sideman(t, "render", mid, "-o", wav, "--soundfont", sf2); status != 0 {
		t.Fatalf("render: %s", errs)
	}
	// The MIDI file's length plus the release tail.
	d, err := load.Open(mid)
	if err != nil {
		t.Fatal(err)
	}
	want := d.Piece.Tempo.Seconds(d.Piece.End())
	if secs := checkWAV(t, wav); secs < want || secs > want+3.1 {
		t.Errorf("%.1f s of audio for %.1f s of MIDI", secs, want)
	}
}

// Bad input and a missing SoundFont are one line and exit status 2.
func TestRenderBadInput(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "demo.mid")
	if status, _, errs := sideman(t, "demo", "--choruses", "1", "-o", mid); status != 0 {
		t.Fatalf("demo: %s", errs)
	}
	// Two hours of one note: more than render takes.
	long := filepath.Join(dir, "long.mid")
	lp := &music.Piece{Parts: []music.Part{{Program: 0, Notes: []music.Note{{ID: 1, Pitch: 60, Velocity: 90, Duration: 2 * 3600 * 2 * music.PPQ}}}}}
	if err := writeFile(long, func(w io.Writer) error { return midi.EncodePiece(w, lp) }); err != nil {
		t.Fatal(err)
	}
	notSF := filepath.Join(dir, "x.sf2")
	if err := os.WriteFile(notSF, []byte("not a soundfont"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"render", mid, "-o", filepath.Join(dir, "a.wav"), "--soundfont", filepath.Join(dir, "none.sf2")}, "none.sf2"},
		{[]string{"render", mid, "-o", filepath.Join(dir, "a.wav"), "--soundfont", notSF}, "x.sf2"},
		{[]string{"render", filepath.Join("..", "..", "examples", "blues-f.chart"), "-o", filepath.Join(dir, "a.wav")}, "not a MIDI file"},
		{[]string{"render", filepath.Join(dir, "missing.mid"), "-o", filepath.Join(dir, "a.wav")}, "missing.mid"},
		{[]string{"render", mid}, "want -o OUT.wav"},
	}
	if _, err := findSoundFont(""); err == nil {
		// The length is checked once a SoundFont is found.
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"render", long, "-o", filepath.Join(dir, "a.wav")}, "longer than"})
	}
	for _, tc := range cases {
		status, _, errs := sideman(t, tc.args...)
		if status != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: status %d, stderr %q; want 2 and %q", tc.args, status, errs, tc.want)
		}
		if tc.want != "want -o OUT.wav" && strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%q: want one line, got %q", tc.args, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.wav")); err == nil {
		t.Error("a failed render left a WAV file behind")
	}
}

func TestBandWAV(t *testing.T) {
	sf2 := needTimGM6mb(t)
	dir := t.TempDir()
	mid, wav := filepath.Join(dir, "band.mid"), filepath.Join(dir, "band.wav")
	status, _, errs := sideman(t, "band", filepath.Join("..", "..", "examples", "blues-f.chart"), "-o", mid, "--wav", wav, "--soundfont", sf2)
	if status != 0 {
		t.Fatalf("band --wav: %s", errs)
	}
	if _, err := os.Stat(mid); err != nil {
		t.Errorf("band --wav wrote no MIDI: %v", err)
	}
	if secs := checkWAV(t, wav); secs < 20 {
		t.Errorf("%.1f s of audio for a chorus of the blues", secs)
	}
}
