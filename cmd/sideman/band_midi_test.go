package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sideman/load"
	"sideman/music"
)

// sideman help band says a MIDI file is played over the chords heard in
// it, with an example; the example does what it says: a band over a
// band's blues in F hears F major, plays its 12 bars or more, and its
// bass comes in on the root of bar 1's F7.
func TestBandHelpMIDI(t *testing.T) {
	_, help, _ := sideman(t, "help", "band")
	if !strings.Contains(help, "MIDI file: the band plays over the chords heard in its notes") {
		t.Errorf("help band does not say a MIDI file is played over its heard chords:\n%s", help)
	}
	var example string
	for _, line := range strings.Split(help, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "sideman band ") && strings.Contains(l, ".mid --") {
			example = l
		}
	}
	if example == "" {
		t.Fatalf("help band has no example playing a MIDI file:\n%s", help)
	}
	dir := t.TempDir()
	tune := filepath.Join(dir, "my-tune.mid")
	if st, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--feel", "none", "-o", tune); st != 0 {
		t.Fatalf("band: %d %s", st, errs)
	}
	// The example's arguments, the file and the output in dir.
	args := strings.Fields(strings.SplitN(example, "#", 2)[0])[1:]
	for i, a := range args {
		if strings.HasSuffix(a, ".mid") {
			args[i] = filepath.Join(dir, a)
		}
	}
	st, stdout, errs := sideman(t, append(args, "--json")...)
	if st != 0 {
		t.Fatalf("%s: %d %s", example, st, errs)
	}
	var sum struct {
		Key  string
		Bars int
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil || sum.Key != "F major" || sum.Bars < 12 {
		t.Errorf("%s: %v %s, want the band in F major, 12 bars or more", example, err, stdout)
	}
	d, err := load.Open(filepath.Join(dir, "bossa.mid"))
	if err != nil {
		t.Fatal(err)
	}
	bar := music.Ticks(4 * music.PPQ)
	for _, p := range d.Piece.Parts {
		if p.Role != music.RoleBass && !strings.HasPrefix(p.Name, "Bass") {
			continue
		}
		for b, root := range map[int]int{0: 5} {
			first := -1
			for _, n := range p.Notes {
				if n.Start >= music.Ticks(b)*bar-music.PPQ/8 && n.Start < music.Ticks(b)*bar+music.PPQ/2 {
					first = int(n.Pitch) % 12
					break
				}
			}
			if first != root {
				t.Errorf("bar %d: the bass starts on pitch class %d, want %d (the blues' root there)", b+1, first, root)
			}
		}
		return
	}
	t.Error("no bass part in the band")
}
