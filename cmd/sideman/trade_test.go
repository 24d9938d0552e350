package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// trade answers a player's file from the built-in jazz model with no
// --model; --json says for every answer which of the player's notes it
// develops and how, each of them a note the answer heard; the same
// command writes the same file; a player's file that is not MIDI is one
// line, exit 2, and no output file.
func TestTradeCommand(t *testing.T) {
	tmp := t.TempDir()
	human := filepath.Join(tmp, "fours.mid")
	var ns []music.Note
	// Bars 1-4 and 9-12: a figure (dotted quarter, eighth, two quarters)
	// rising, then a run down.
	at := music.Ticks(0)
	for _, group := range []music.Ticks{0, 8 * 4 * music.PPQ} {
		at = group
		for i, p := range []uint8{65, 69, 72, 70, 69, 72, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60} {
			d := []music.Ticks{720, 240, 480, 480}[i%4]
			ns = append(ns, music.Note{Pitch: p, Velocity: 90, Start: at, Duration: d - 20})
			at += d
		}
	}
	if err := writeFile(human, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "trumpet", Notes: ns}}})
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "trade.mid")
	st, stdout, errs := sideman(t, "trade", "../../examples/blues-f.chart", "--human", human, "-o", out, "--json")
	if st != 0 {
		t.Fatalf("trade: status %d, stderr %q", st, errs)
	}
	var js struct {
		Model   struct{ Name, Hash string }
		Answers []struct {
			Bars         string
			Heard, Notes []music.NoteID
			Developments []struct {
				Op       string
				From, To []music.NoteID
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil {
		t.Fatalf("--json: %v: %s", err, stdout)
	}
	if js.Model.Name != "jazz" || len(js.Model.Hash) != 64 {
		t.Errorf("model %+v, want the built-in jazz model and its whole SHA-256", js.Model)
	}
	if len(js.Answers) != 2 {
		t.Fatalf("%d answers, want 2 (bars 5-8 and 13-16)", len(js.Answers))
	}
	for _, a := range js.Answers {
		if len(a.Notes) == 0 || len(a.Developments) == 0 {
			t.Errorf("answer at bars %s: %d notes, %d developments", a.Bars, len(a.Notes), len(a.Developments))
		}
		for _, d := range a.Developments {
			for _, id := range d.From {
				if !slices.Contains(a.Heard, id) {
					t.Errorf("answer at bars %s: %s develops note %d, which it did not hear", a.Bars, d.Op, id)
				}
			}
			for _, id := range d.To {
				if !slices.Contains(a.Notes, id) {
					t.Errorf("answer at bars %s: %s names note %d, not the answer's", a.Bars, d.Op, id)
				}
			}
		}
	}
	first, _ := os.ReadFile(out)
	if st, _, errs := sideman(t, "trade", "../../examples/blues-f.chart", "--human", human, "-o", out); st != 0 {
		t.Fatalf("trade again: status %d, stderr %q", st, errs)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
		t.Error("the same trade twice wrote two files")
	}

	junk := filepath.Join(tmp, "junk.mid")
	os.WriteFile(junk, []byte("not midi"), 0o644)
	bad := filepath.Join(tmp, "bad.mid")
	st, _, errs = sideman(t, "trade", "../../examples/blues-f.chart", "--human", junk, "-o", bad)
	if st != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "junk.mid") {
		t.Errorf("a player's file that is not MIDI: status %d, stderr %q", st, errs)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("an output file written after bad input")
	}
}
