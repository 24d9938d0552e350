package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// noteLine is a line of inspect --notes --json, read as a user's program
// reads it.
type noteLine struct {
	ID       uint64  `json:"id"`
	Part     int     `json:"part"`
	Bar      int     `json:"bar"`
	Beat     float64 `json:"beat"`
	Pitch    int     `json:"pitch"`
	Duration float64 `json:"duration"`
	Velocity int     `json:"velocity"`
	Origin   struct {
		Kind      string `json:"kind"`
		Generator string `json:"generator"`
	} `json:"origin"`
}

func inspectNotes(t *testing.T, path string) []noteLine {
	t.Helper()
	status, out, errs := sideman(t, "inspect", path, "--notes", "--json")
	if status != 0 {
		t.Fatalf("inspect --notes %s: status %d: %s", path, status, errs)
	}
	var lines []noteLine
	if err := json.Unmarshal([]byte(out), &lines); err != nil {
		t.Fatal(err)
	}
	return lines
}

// A band on a real lead sheet (Dear Old Stockholm, Impro-Visor) with its
// melody, a count-in, an intro and an ending, converted MIDI to MIDI and
// humanized: inspect --notes lists the same notes at every step, every id
// once and unchanged, with the same maker; the humanized notes moved.
// The text listing says the same, one note a line.
func TestNotesSurviveTheCommands(t *testing.T) {
	ls := leadSheets(t)[2]
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.mid"), filepath.Join(dir, "b.mid"), filepath.Join(dir, "c.mid")
	for _, args := range [][]string{
		{"band", ls.path, "--choruses", "3", "--count-in", "1", "--intro", "--ending", "--feel", "none", "--seed", "9", "-o", a},
		{"convert", a, "-o", b},
		{"humanize", b, "--feel", "swing-rhythm", "--seed", "3", "-o", c},
	} {
		if status, _, errs := sideman(t, args...); status != 0 {
			t.Fatalf("%v: status %d: %s", args, status, errs)
		}
	}
	want := inspectNotes(t, a)
	byID := map[uint64]noteLine{}
	kinds := map[string]int{}
	for _, l := range want {
		if _, ok := byID[l.ID]; ok || l.ID == 0 {
			t.Fatalf("id %d twice or zero", l.ID)
		}
		byID[l.ID] = l
		kinds[l.Origin.Kind+" "+l.Origin.Generator]++
	}
	if kinds["imported "] < 100 || kinds["machine-generated band/bass/walking"] < 100 || kinds["machine-generated band/count-in"] == 0 {
		t.Fatalf("notes by maker %v: want the melody, the band and the count-in", kinds)
	}
	for _, path := range []string{b, c} {
		got := inspectNotes(t, path)
		if len(got) != len(want) {
			t.Fatalf("%s: %d notes, want %d", path, len(got), len(want))
		}
		moved := 0
		for _, l := range got {
			w, ok := byID[l.ID]
			if !ok || l.Pitch != w.Pitch || l.Part != w.Part || l.Origin != w.Origin {
				t.Fatalf("%s: note %+v, was %+v", path, l, w)
			}
			if l.Bar != w.Bar || l.Beat != w.Beat {
				moved++
			}
		}
		if path == b && moved != 0 || path == c && moved < len(got)/2 {
			t.Errorf("%s: %d of %d notes moved", path, moved, len(got))
		}
	}
	status, out, errs := sideman(t, "inspect", a, "--notes")
	if status != 0 {
		t.Fatalf("inspect --notes: %d %s", status, errs)
	}
	text := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(text) != len(want) {
		t.Fatalf("%d lines, want one a note (%d)", len(text), len(want))
	}
	for i, line := range text {
		f := strings.Split(line, "\t")
		w := want[i]
		gen := w.Origin.Generator
		if gen == "" {
			gen = "-"
		}
		if len(f) != 8 || f[0] != strconv.FormatUint(w.ID, 10) || f[2] != strconv.Itoa(w.Bar)+":"+strconv.FormatFloat(w.Beat, 'f', -1, 64) ||
			f[3] != strconv.Itoa(w.Pitch) || f[6] != w.Origin.Kind || f[7] != gen {
			t.Fatalf("line %d %q, want %+v", i, line, w)
		}
	}
}

// inspect --notes lists a lead sheet's notes as played once through, and
// refuses a chord chart, which has none.
func TestInspectNotesLeadSheet(t *testing.T) {
	lines := inspectNotes(t, "../../project/testdata/little-head.abc")
	// Eight notes played twice (the repeat) and the last one.
	if len(lines) != 17 || lines[0].Bar != 1 || lines[0].Beat != 1 || lines[16].Bar != 5 || lines[16].Duration != 4 {
		t.Fatalf("%d notes, first %+v, last %+v", len(lines), lines[0], lines[len(lines)-1])
	}
	refusedInOneLine(t, []string{"inspect", "../../examples/blues-f.chart", "--notes"}, "blues-f.chart", "no notes")
}

// inspect --notes places notes on the one beat grid (music.MeterMap.Grid)
// wherever the meter changes. A MIDI file as a sequencer writes one: no
// time signature for a count-in of two bars (4/4, the MIDI file's
// default), a pickup of one beat, a waltz, then 4/4; every note at the
// bar and beat a musician counts (a reader that took the first time
// signature for the count-in put the pickup in bar 9). And a lead sheet
// with a pickup and a change of meter lists the same bars and beats read
// as ABC and converted to MIDI.
func TestInspectNotesBarsAcrossMeters(t *testing.T) {
	const q music.Ticks = music.PPQ
	waltz := 2*4*q + q // after the count-in and the pickup
	fourFour := waltz + 4*3*q
	notes := []struct {
		at   music.Ticks
		want string
	}{
		{0, "1:1"}, {4*q + 2*q, "2:3"}, // the count-in
		{2 * 4 * q, "3:1"},                                               // the pickup
		{waltz, "4:1"}, {waltz + q, "4:2"}, {waltz + 3*3*q + 2*q, "7:3"}, // the waltz
		{fourFour, "8:1"}, {fourFour + 3*q + q/2, "8:4.5"}, {fourFour + 4*q + q, "9:2"},
	}
	p := &music.Piece{
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: 500000}},
		Meters: music.MeterMap{{At: 2 * 4 * q, Meter: music.Meter{Num: 1, Den: 4}}, {At: waltz, Meter: music.Meter{Num: 3, Den: 4}}, {At: fourFour, Meter: music.Meter{Num: 4, Den: 4}}},
	}
	part := music.Part{Name: "Melody"}
	for i, n := range notes {
		part.Notes = append(part.Notes, music.Note{ID: music.NoteID(i + 1), Start: n.at, Duration: q / 2, Pitch: uint8(60 + i), Velocity: 80})
	}
	p.Parts = []music.Part{part}
	dir := t.TempDir()
	mid := filepath.Join(dir, "meters.mid")
	if err := writeFile(mid, func(w io.Writer) error { return midi.EncodePiece(w, p) }); err != nil {
		t.Fatal(err)
	}
	lines := inspectNotes(t, mid)
	if len(lines) != len(notes) {
		t.Fatalf("%d notes listed, want %d", len(lines), len(notes))
	}
	for i, l := range lines {
		if got := strconv.Itoa(l.Bar) + ":" + strconv.FormatFloat(l.Beat, 'f', -1, 64); got != notes[i].want || l.Duration != 0.5 {
			t.Errorf("note at tick %d: %s, %g beats; want %s, 0.5", notes[i].at, got, l.Duration, notes[i].want)
		}
	}

	abc := filepath.Join(dir, "pickup.abc")
	os.WriteFile(abc, []byte("X:1\nT:Pickup\nM:3/4\nL:1/4\nK:C\nC | E G c | [M:4/4] d c B A | G4 |]\n"), 0o644)
	want := []string{"1:1", "2:1", "2:2", "2:3", "3:1", "3:2", "3:3", "3:4", "4:1"}
	converted := filepath.Join(dir, "pickup.mid")
	if status, _, errs := sideman(t, "convert", abc, "-o", converted); status != 0 {
		t.Fatal(errs)
	}
	for _, path := range []string{abc, converted} {
		var got []string
		for _, l := range inspectNotes(t, path) {
			if l.Origin.Kind == "imported" { // the melody, not the block chords
				got = append(got, strconv.Itoa(l.Bar)+":"+strconv.FormatFloat(l.Beat, 'f', -1, 64))
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: notes at %v, want %v", filepath.Base(path), got, want)
		}
	}
}
