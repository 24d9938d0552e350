package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/load"
	"sideman/music"
)

// trade --with drums: the drummer answers each of the player's fours on
// the kit, channel 10, in its own Drums track, coming in on the answer's
// downbeat and staying in its bars; --json explains its answers as the
// soloist's (what it heard, which of the player's notes each figure takes
// up); in a project the answers are recorded as the machine's, generated;
// with the band, the band lays out under the drummer's breaks.
func TestTradeWithDrums(t *testing.T) {
	userHome(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "song")
	if st, _, errs := runSideman(t, "init", root); st != 0 {
		t.Fatal(errs)
	}
	human := filepath.Join(dir, "fours.mid")
	var ns []music.Note
	// Bars 1-4 and 9-12: a figure (dotted quarter, eighth, two quarters)
	// rising, then a run down, accented on each bar's downbeat.
	for _, group := range []music.Ticks{0, 8 * 4 * music.PPQ} {
		at := group
		for i, p := range []uint8{65, 69, 72, 70, 69, 72, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60} {
			d := []music.Ticks{720, 240, 480, 480}[i%4]
			v := uint8(80)
			if i%4 == 0 {
				v = 100
			}
			ns = append(ns, music.Note{Pitch: p, Velocity: v, Start: at, Duration: d - 20})
			at += d
		}
	}
	if err := writeFile(human, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "trumpet", Notes: ns}}})
	}); err != nil {
		t.Fatal(err)
	}
	if st, _, errs := runSideman(t, "record", human, "--as", "played", "--project", root); st != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(root, "drums.mid")
	st, stdout, errs := runSideman(t, "trade", "../../examples/blues-f.chart", "--human", human, "--with", "drums", "--project", root, "-o", out, "--json")
	if st != 0 {
		t.Fatalf("trade --with drums: status %d, stderr %q", st, errs)
	}
	var js struct {
		With    string
		Answers []struct {
			Bars         string
			Downbeat     music.Ticks `json:"downbeat_tick"`
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
	if js.With != "drums" || len(js.Answers) != 2 {
		t.Fatalf("--json: with %q, %d answers; want drums, 2 (bars 5-8 and 13-16)", js.With, len(js.Answers))
	}
	d, err := load.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	var drums *music.Part
	for i, p := range d.Piece.Parts {
		t.Logf("part %q: channel %d, %d notes", p.Name, p.Channel, len(p.Notes))
		if p.Name == "Drums" || strings.HasPrefix(p.Name, "Drums (") { // in a project: "Drums (who made it)"
			drums = &d.Piece.Parts[i]
		}
	}
	if drums == nil || len(d.Piece.Parts) != 2 {
		t.Fatalf("%d parts, want the player's and a Drums track", len(d.Piece.Parts))
	}
	bar := music.Ticks(4 * music.PPQ)
	ids := map[music.NoteID]music.Note{}
	for _, n := range drums.Notes {
		ids[n.ID] = n
		if n.Channel != 9 {
			t.Errorf("drum note %d (key %d) on channel %d, want 10 (9 from 0)", n.ID, n.Pitch, n.Channel+1)
		}
	}
	total := 0
	for _, a := range js.Answers {
		if len(a.Notes) == 0 || len(a.Developments) == 0 {
			t.Errorf("answer at bars %s: %d notes, %d developments", a.Bars, len(a.Notes), len(a.Developments))
			continue
		}
		total += len(a.Notes)
		onDownbeat := false
		for _, id := range a.Notes {
			n, ok := ids[id]
			if !ok {
				t.Errorf("answer at bars %s: note %d is not in the Drums track", a.Bars, id)
				continue
			}
			if n.Start < a.Downbeat || n.End() > a.Downbeat+4*bar {
				t.Errorf("answer at bars %s: stroke %d (key %d) at tick %d-%d, outside its bars (%d-%d)", a.Bars, id, n.Pitch, n.Start, n.End(), a.Downbeat, a.Downbeat+4*bar)
			}
			onDownbeat = onDownbeat || n.Start == a.Downbeat
		}
		if !onDownbeat {
			t.Errorf("answer at bars %s: no stroke on its downbeat (tick %d)", a.Bars, a.Downbeat)
		}
		for _, dv := range a.Developments {
			for _, id := range dv.From {
				if !slices.Contains(a.Heard, id) {
					t.Errorf("answer at bars %s: %s takes up note %d, which it did not hear", a.Bars, dv.Op, id)
				}
			}
			for _, id := range dv.To {
				if !slices.Contains(a.Notes, id) {
					t.Errorf("answer at bars %s: %s names note %d, not the answer's", a.Bars, dv.Op, id)
				}
			}
		}
	}
	if total != len(drums.Notes) {
		t.Errorf("the answers hold %d notes, the Drums track %d", total, len(drums.Notes))
	}
	r := authorshipJSON(t, root)
	// The drummer's answers are the machine's, made by rules on the
	// player's rhythm (algorithmicMedia), not by a trained model: their own
	// part in the report, none among the soloist's "trade answers".
	if got := r.part("drummer's answers"); got["M"] != len(drums.Notes) || r.Total.Notes != len(ns)+len(drums.Notes) {
		t.Errorf("the ledger's drummer's answers: %v of %d notes in all, want M %d (the drummer's answers, generated) of %d", got, r.Total.Notes, len(drums.Notes), len(ns)+len(drums.Notes))
	}
	if got := r.part("trade answers"); len(got) > 0 && got["M"] > 0 {
		t.Errorf("the drummer's notes counted as a model's trade answers: %v", got)
	}

	// With the band: the band lays out in the drummer's bars.
	banded := filepath.Join(dir, "band.mid")
	if st, _, errs := runSideman(t, "trade", "../../examples/blues-f.chart", "--human", human, "--with", "drums", "--with-band", "-o", banded); st != 0 {
		t.Fatalf("trade --with drums --with-band: status %d, stderr %q", st, errs)
	}
	d, err = load.Open(banded)
	if err != nil {
		t.Fatal(err)
	}
	var band, answers int
	answer := func(p music.Part, n music.Note) bool {
		return p.Name == "Drums" && p.Channel == 9 && strings.HasPrefix(n.Origin.Root().Generator, "improv/trade")
	}
	back := map[music.Ticks]bool{} // the player's downbeats after a break, where the bass comes back
	for _, a := range js.Answers {
		back[a.Downbeat+4*bar] = false
	}
	for _, p := range d.Piece.Parts {
		for _, n := range p.Notes {
			inBreak := false
			for _, a := range js.Answers {
				// the bar a band's note is played for: up to a 32nd early is
				// the next bar's
				at := n.Start + music.PPQ/8
				if answer(p, n) {
					at = n.Start
				}
				inBreak = inBreak || (at >= a.Downbeat && at < a.Downbeat+4*bar)
			}
			switch {
			case p.Name == "Player":
			case answer(p, n) && inBreak:
				answers++
			case inBreak:
				t.Errorf("%s's note %d (pitch %d) at tick %d plays in the drummer's break", p.Name, n.ID, n.Pitch, n.Start)
			default:
				band++
				if _, ok := back[(n.Start+music.PPQ/8)/bar*bar]; ok && p.Name == "Bass" && (n.Start+music.PPQ/8)%bar < music.PPQ/4 {
					back[(n.Start+music.PPQ/8)/bar*bar] = true
				}
				// A note the feel played early for the break's downbeat is
				// the break's: left out, not cut to a click before it.
				for _, a := range js.Answers {
					if p.Channel != 9 && n.End() == a.Downbeat && n.Duration < music.PPQ/8 {
						t.Errorf("%s's note %d (pitch %d) at tick %d cut to %d ticks by the break at %d: a click", p.Name, n.ID, n.Pitch, n.Start, n.Duration, a.Downbeat)
					}
				}
			}
		}
	}
	var end music.Ticks // the band's last note
	for _, p := range d.Piece.Parts {
		if p.Name == "Bass" {
			for _, n := range p.Notes {
				end = max(end, n.Start)
			}
		}
	}
	checked := 0
	for at, ok := range back {
		if at < end {
			checked++
		}
		if !ok && at < end { // within the trade
			t.Errorf("the bass does not come back on the player's downbeat at tick %d after the break", at)
		}
	}
	if checked == 0 {
		t.Error("no break ends inside the band's bars: the band's return is not checked")
	}
	if band == 0 || answers != len(drums.Notes) {
		t.Errorf("with the band: %d band notes outside the breaks, %d drummer's notes in them; want some, and %d", band, answers, len(drums.Notes))
	}
	os.Remove(banded)
}
