package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/feel"
	"sideman/format/midi"
	"sideman/music"
)

// writeMelody writes a one-track MIDI file: a melody of straight eighths
// at one velocity, 64 beats at 160 bpm, on channel 1.
func writeMelody(t *testing.T, path string) {
	t.Helper()
	p := &music.Piece{
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: 375000}},
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}},
	}
	origin := &music.Origin{Kind: music.HumanEntered, Who: "test"}
	part := music.Part{Name: "Melody"}
	for i := 0; i < 128; i++ {
		part.Notes = append(part.Notes, music.Note{
			ID: music.NoteID(i + 1), Pitch: uint8(60 + i%12), Velocity: 90,
			Start: music.Ticks(i) * music.PPQ / 2, Duration: music.PPQ / 2, Origin: origin,
		})
	}
	p.Parts = []music.Part{part}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := midi.EncodePiece(f, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// moved counts the notes whose onset the humanized file moves off the
// written one, by id.
func moved(t *testing.T, in, out string) (n, of int) {
	t.Helper()
	written := map[music.NoteID]music.Ticks{}
	for _, part := range readPiece(t, in).Parts {
		for _, note := range part.Notes {
			written[note.ID] = note.Start
		}
	}
	for _, part := range readPiece(t, out).Parts {
		for _, note := range part.Notes {
			of++
			if note.Start != written[note.ID] {
				n++
			}
		}
	}
	return n, of
}

// Humanize never leaves a part on the grid in silence (issue 9, item
// 10): a melody humanized with each built-in feel moves, and where the
// feel has no soloist, stderr names the role whose timing it takes.
// --role says another; a role the feel lacks is refused.
func TestHumanizeMelodyEveryFeel(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "melody.mid")
	writeMelody(t, in)
	for _, name := range feel.BuiltinNames() {
		prof, _ := feel.Builtin(name)
		out := filepath.Join(dir, name+".mid")
		status, _, errs := sideman(t, "humanize", in, "--feel", name, "-o", out)
		if status != 0 {
			t.Fatalf("%s: status %d: %s", name, status, errs)
		}
		n, of := moved(t, in, out)
		if n < of*3/4 {
			t.Errorf("%s: %d of %d melody notes moved off the grid, want most", name, n, of)
		}
		_, hasSoloist := prof.Roles[feel.Soloist]
		said := strings.Contains(errs, "has no soloist") && strings.Contains(errs, "--role 0=ROLE")
		if hasSoloist == said {
			t.Errorf("%s (soloist %v): stderr %q", name, hasSoloist, errs)
		}
		if !hasSoloist && !strings.Contains(errs, "take the "+prof.PlayedAs(feel.Soloist)+"'s timing") {
			t.Errorf("%s: stderr %q does not name the role played", name, errs)
		}
	}
	// Saying the role: the melody as the bass of swing-rhythm, by name.
	out := filepath.Join(dir, "as-bass.mid")
	status, _, errs := sideman(t, "humanize", in, "--feel", "swing-rhythm", "--role", "melody=bass", "-o", out)
	if status != 0 || errs != "" {
		t.Fatalf("--role melody=bass: status %d, stderr %q", status, errs)
	}
	if n, of := moved(t, in, out); n < of*3/4 {
		t.Errorf("--role melody=bass: %d of %d notes moved", n, of)
	}
	// A role the feel lacks, and a part the piece lacks, are refused.
	for _, role := range []string{"0=soloist", "3=bass", "0bass"} {
		status, _, errs := sideman(t, "humanize", in, "--feel", "swing-rhythm", "--role", role, "-o", filepath.Join(dir, "x.mid"))
		first, _, _ := strings.Cut(errs, "\n")
		if status != 2 || !strings.Contains(first, "--role") {
			t.Errorf("--role %s: status %d, stderr %q: want a refusal (2) that names --role", role, status, errs)
		}
	}
}
