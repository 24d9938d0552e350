package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
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

// sideman trade takes a MIDI file as its chart too, as help trade says:
// over a band's blues in F it trades in F (the file's key signature, the
// band's bass on F in bar 1) and answers the player's four in bars 5-8.
func TestTradeOverMIDI(t *testing.T) {
	_, help, _ := sideman(t, "help", "trade")
	if !strings.Contains(help, "CHART may be a MIDI file: the chords heard in its notes") || !strings.Contains(help, "sideman trade my-tune.mid ") {
		t.Errorf("help trade does not say it takes a MIDI file, with an example:\n%s", help)
	}
	dir := t.TempDir()
	tune := filepath.Join(dir, "my-tune.mid")
	if st, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--feel", "none", "-o", tune); st != 0 {
		t.Fatalf("band: %d %s", st, errs)
	}
	human := filepath.Join(dir, "fours.mid")
	var ns []music.Note
	for i, p := range []uint8{65, 69, 72, 70, 69, 72, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60} {
		ns = append(ns, music.Note{Pitch: p, Velocity: 90, Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ - 20})
	}
	if err := writeFile(human, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "trumpet", Notes: ns}}})
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "trade.mid")
	st, stdout, errs := sideman(t, "trade", tune, "--human", human, "--with-band", "-o", out, "--json")
	if st != 0 {
		t.Fatalf("trade over a MIDI file: %d %s", st, errs)
	}
	var js struct {
		Answers []struct {
			Bars  string
			Notes []music.NoteID
		}
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil || len(js.Answers) != 1 || js.Answers[0].Bars != "5-8" || len(js.Answers[0].Notes) == 0 {
		t.Fatalf("--json: %v %s; want one answer in bars 5-8", err, stdout)
	}
	d, err := load.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Piece.Keys) == 0 || d.Piece.Keys[0].Key.String() != "F major" {
		t.Errorf("the trade's keys %v, want F major", d.Piece.Keys)
	}
	for _, p := range d.Piece.Parts {
		if strings.HasPrefix(p.Name, "Bass") && (len(p.Notes) == 0 || p.Notes[0].Pitch%12 != 5 || p.Notes[0].Start > music.PPQ/4) {
			t.Errorf("the band's bass does not come in on F: %v", p.Notes[:min(len(p.Notes), 1)])
		}
	}
}
