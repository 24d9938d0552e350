package midi

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

// python is the interpreter Debian's python3-mido installs for; a python3
// earlier on PATH (pyenv) does not see it.
const python = "/usr/bin/python3"

// TestMido cross-checks the decoder against mido, an independent Python
// implementation, on every file of POP909 and the Groove MIDI Dataset:
// the same messages at the same absolute ticks in every track, and the
// same notes when each side pairs note-ons and note-offs on its own.
// testdata/mido_dump.py runs once over both archives.
func TestMido(t *testing.T) {
	if testing.Short() {
		t.Skip("mido cross-check takes ~20 s; skipped in -short mode")
	}
	archives := []string{
		shareddata.File(t, "pop909/POP909-main.tar.gz"),
		shareddata.File(t, "groove-midi/groove-v1.0.0-midionly.tar.gz"),
	}
	if err := exec.Command(python, "-c", "import mido").Run(); err != nil {
		msg := fmt.Sprintf("%s cannot import mido (%v); install python3-mido", python, err)
		if shareddata.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(python, append([]string{"testdata/mido_dump.py"}, archives...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()

	byName := map[string][]byte{}
	for _, name := range []string{"pop909", "groove"} {
		c := loadCorpus(t, name)
		for i, f := range c.files {
			byName[f] = c.data[i]
		}
	}

	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	var name string
	var block []string
	files, failures := 0, 0
	check := func() {
		if name == "" {
			return
		}
		files++
		data, ok := byName[name]
		if !ok {
			t.Errorf("%s: mido read a file the Go test did not load", name)
			failures++
			return
		}
		want := midoDump(data)
		if d := firstDiff("mido", block, want); d != "" {
			failures++
			if failures <= 10 {
				t.Errorf("%s: %s", name, d)
			}
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "F ") {
			check()
			_, rest, _ := strings.Cut(line[2:], " ")
			name, block = rest, block[:0]
			continue
		}
		block = append(block, line)
	}
	check()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("mido_dump.py: %v", err)
	}
	if files != len(byName) {
		t.Errorf("mido dumped %d files, the Go test loaded %d", files, len(byName))
	}
	if failures > 0 {
		t.Errorf("%d of %d files differ", failures, files)
	}
	t.Logf("%d files agree with mido", files-failures)
}

// midoDump writes what mido_dump.py writes for one file (less its F line),
// from this package's raw events and Piece.
func midoDump(data []byte) []string {
	f, err := DecodeBytes(data)
	if err != nil {
		return []string{"X " + err.Error()}
	}
	var out []string
	out = append(out, fmt.Sprintf("H %d %d %d", f.Format, len(f.Tracks), f.Division))
	for ti := range f.Tracks {
		tr := &f.Tracks[ti]
		out = append(out, fmt.Sprintf("T %d", ti))
		for _, e := range tr.Events {
			switch e.Status {
			case Meta:
				out = append(out, fmt.Sprintf("%d m%d %x", e.Tick, e.Data1, tr.Payload(e)))
			case Sysex, SysexEscape:
				// mido keeps neither the F0 nor the closing F7.
				p := tr.Payload(e)
				p = bytes.TrimPrefix(p, []byte{0xF0})
				p = bytes.TrimSuffix(p, []byte{0xF7})
				out = append(out, fmt.Sprintf("%d s %x", e.Tick, p))
			default:
				b := []byte{e.Status, e.Data1, e.Data2}[:1+dataLen[e.Status>>4]]
				out = append(out, fmt.Sprintf("%d %s", e.Tick, hex.EncodeToString(b)))
			}
		}
	}
	// Parts come in track order, then channel order, as the script's
	// groups do; the script does not know parts, so name them by track.
	p := ToPiece(f, "")
	ti := partTracks(f)
	for i, part := range p.Parts {
		out = append(out, fmt.Sprintf("P %d %d", ti[i], part.Channel))
		ns := slices.Clone(part.Notes)
		slices.SortFunc(ns, func(a, b music.Note) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Duration, b.Duration), cmp.Compare(a.Pitch, b.Pitch), cmp.Compare(a.Velocity, b.Velocity))
		})
		for _, n := range ns {
			out = append(out, fmt.Sprintf("%d %d %d %d", n.Start, n.Duration, n.Pitch, n.Velocity))
		}
	}
	return out
}

// partTracks lists, for each part ToPiece makes of f, the track it comes
// from: one part per track and channel with a note-on.
func partTracks(f *File) []int {
	var ts []int
	for ti := range f.Tracks {
		var seen [16]bool
		for _, e := range f.Tracks[ti].Events {
			if e.IsNoteOn() {
				seen[e.Channel()] = true
			}
		}
		for _, s := range seen {
			if s {
				ts = append(ts, ti)
			}
		}
	}
	return ts
}

// firstDiff describes the first line where the dumps a (by aName) and b
// differ, or returns "".
func firstDiff(aName string, a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d: %s %q, this package %q", i+1, aName, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("line %d: %s has %d lines, this package %d", min(len(a), len(b))+1, aName, len(a), len(b))
	}
	return ""
}
