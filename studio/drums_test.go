package studio

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sideman/format/midi"
)

// Trading with the drummer: the answer comes in on bar 5's downbeat, its
// notes on channel 9 (the GM kit), the hi-hat among them; the trade is
// recorded in the ledger and exported with a drum part. A partner the
// studio does not know is refused in one line.
//
// (Every stroke in the export names its ledger record.)
func TestTradeWithTheDrummer(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	ch := openExample(t, hs.URL, "blues-f")

	c, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	write(t, c, `{"type": "trade", "chart": "`+ch.ID+`", "bars": 4, "tempo": 200, "seed": 1, "with": "timpani"}`)
	if m := readMsg(t, c); m["type"] != "error" || !strings.Contains(m["error"].(string), "timpani") || strings.Contains(m["error"].(string), "\n") {
		t.Errorf("an unknown partner: %v, want a one-line error", m)
	} else {
		t.Logf("an unknown partner: %s", m["error"])
	}
	write(t, c, `{"type": "trade", "chart": "`+ch.ID+`", "bars": 4, "tempo": 200, "seed": 1, "with": "drums"}`)
	if m := readMsg(t, c); m["type"] != "trading" {
		t.Fatalf("trade: %v", m)
	}
	_, before := get(t, hs.URL+"/api/ledger/verify", nil)
	const beat = 300.0 // ms at 200 bpm
	now := 100000.0
	t0 := now - 16*beat + 1000
	write(t, c, fmt.Sprintf(`{"type": "start", "time_ms": %g, "now_ms": %g}`, t0, now))
	// A syncopated phrase: on the beat, then the and of each beat.
	for i, p := range []int{65, 68, 69, 72, 75, 74, 72, 69, 70, 69, 65, 63, 65} {
		at := t0 + float64(i)*beat
		if i%2 == 1 {
			at += beat / 2
		}
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": %d, "on": true, "time_ms": %g}`, p, 70+i%3*20, at))
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 0, "on": false, "time_ms": %g}`, p, at+beat/3))
	}
	var ans map[string]any
	for ans == nil {
		switch m := readMsg(t, c); m["type"] {
		case "noted", "sketch":
		case "answer":
			ans = m
		default:
			t.Fatalf("while waiting for the answer: %v", m)
		}
	}
	down := ans["downbeat_ms"].(float64) - t0
	if down < 16*beat-0.01 || down > 16*beat+0.01 {
		t.Errorf("the answer's downbeat is %.2f ms after bar 1, want bar 5's, %g", down, 16*beat)
	}
	notes := ans["notes"].([]any)
	if len(notes) == 0 {
		t.Fatal("an empty answer")
	}
	first, hats := 1e18, 0
	for _, n := range notes {
		n := n.(map[string]any)
		s := n["start_ms"].(float64) - t0
		first = min(first, s)
		if n["channel"] != 9.0 {
			t.Errorf("an answer's note %v not on channel 9", n)
		}
		if s < 16*beat-0.01 || s >= 32*beat {
			t.Errorf("an answer's note at %.1f ms, outside bars 5-8", s)
		}
		if n["pitch"] == 44.0 {
			hats++
		}
	}
	if first < 16*beat-0.01 || first > 16*beat+0.01 {
		t.Errorf("the first stroke at %.2f ms, want the downbeat %g", first, 16*beat)
	}
	if hats != 8 {
		t.Errorf("%d hi-hat strokes in four bars, want 8 (2 and 4)", hats)
	}
	if len(ans["explanation"].([]any)) == 0 {
		t.Error("the drummer's answer explains nothing")
	}
	c.Close(1000, "")

	// Recorded once the connection has closed, and exported with drums.
	for i := 0; ; i++ {
		if _, after := get(t, hs.URL+"/api/ledger/verify", nil); after != before {
			break
		}
		if i == 100 {
			t.Fatal("the trade was not recorded")
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, err := http.Get(hs.URL + "/api/export?format=mid")
	if err != nil {
		t.Fatal(err)
	}
	mid, _ := io.ReadAll(res.Body)
	res.Body.Close()
	p, err := midi.DecodePiece(bytes.NewReader(mid))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	f, err := midi.DecodeBytes(mid)
	if err != nil {
		t.Fatal(err)
	}
	hashes := midi.LedgerHashes(f)
	ids, recorded := 0, 0
	for _, track := range midi.TrackNoteIDs(f) {
		for _, id := range track {
			ids++
			if hashes[id] != "" {
				recorded++
			}
		}
	}
	drumNotes := 0
	for _, part := range p.Parts {
		if part.Channel == 9 {
			drumNotes += len(part.Notes)
		}
	}
	if drumNotes != len(notes) || ids != 13+len(notes) || recorded != ids {
		t.Errorf("the export holds %d notes on channel 9, the answer had %d; %d notes of %d (13 yours) name their ledger record", drumNotes, len(notes), recorded, ids)
	}
}
