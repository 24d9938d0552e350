package studio

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// Trading over a loop that speeds up: bars 5-8 of the F blues four times
// round at 120 bpm, 8 bpm faster each time (128, 136, 144). The player
// takes the first and third times round, the sideman answers in the
// second and fourth; each answer's downbeat is the band's bar start for
// the same loop (/api/band), its notes sit in its own bars, and the notes
// played after the first answer's cutoff (before its downbeat, over it,
// and the next phrase) are heard by the second answer, not the first.
func TestTradeOverALoopWithARamp(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	c := openExample(t, hs.URL, "blues-f")
	const loop = `"loop": "5-8", "repeat": 4, "ramp": 8, "tempo": 120`
	code, body := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "seed": 1, `+loop+`}`)
	if code != 200 {
		t.Fatalf("band: %d %s", code, body)
	}
	var bandOut struct {
		Starts []float64 `json:"bar_starts_ms"`
	}
	json.Unmarshal([]byte(body), &bandOut)
	S := bandOut.Starts
	if len(S) != 17 {
		t.Fatalf("the band played %d bars, want 16", len(S)-1)
	}
	for k := range 16 {
		bpm := 120 + 8*float64(k/4)
		if got := S[k+1] - S[k]; math.Abs(got-4*60000/bpm) > 0.01 {
			t.Fatalf("the band's bar %d lasts %.3f ms, want %.3f at %g bpm", k+1, got, 4*60000/bpm, bpm)
		}
	}

	ws, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	write(t, ws, `{"type": "trade", "chart": "`+c.ID+`", "bars": 4, "seed": 1, `+loop+`}`)
	if m := readMsg(t, ws); m["type"] != "trading" {
		t.Fatalf("trade: %v", m)
	}
	now := 100000.0         // the client's clock, ms
	t0 := now - S[4] + 1000 // the sideman's first downbeat is 1 s ahead
	write(t, ws, fmt.Sprintf(`{"type": "start", "time_ms": %g, "now_ms": %g}`, t0, now))
	// at is beat j (from 0) of played bar b (from 0), on the band's bars.
	at := func(b int, j float64) float64 { return t0 + S[b] + j*(S[b+1]-S[b])/4 }
	var sent []string // ids, in the order played
	play := func(pitch int, on, off float64) {
		write(t, ws, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 90, "on": true, "time_ms": %.3f}`, pitch, on))
		write(t, ws, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 0, "on": false, "time_ms": %.3f}`, pitch, off))
	}
	answer := func() map[string]any {
		t.Helper()
		for {
			m := readMsg(t, ws)
			switch m["type"] {
			case "noted":
				sent = append(sent, fmt.Sprint(m["id"]))
			case "pong", "sketch":
			case "answer":
				return m
			default:
				t.Fatalf("while waiting for an answer: %v", m)
			}
		}
	}
	check := func(m map[string]any, from int) {
		t.Helper()
		if d := m["downbeat_ms"].(float64) - t0; math.Abs(d-S[from]) > 0.002 {
			t.Errorf("the answer in bars %d-%d comes in at %.3f ms, the band's bar %d at %.3f", from+1, from+4, d, from+1, S[from])
		}
		if b := int(m["bar"].(float64)); b != from+1 {
			t.Errorf("the answer is at bar %d, want %d", b, from+1)
		}
		notes := m["notes"].([]any)
		if len(notes) == 0 {
			t.Errorf("an empty answer in bars %d-%d", from+1, from+4)
		}
		for _, n := range notes {
			s := n.(map[string]any)["start_ms"].(float64) - t0
			if s < S[from]-0.002 || s >= S[from+4] {
				t.Errorf("a note of the answer in bars %d-%d at %.1f ms, outside %.1f to %.1f", from+1, from+4, s, S[from], S[from+4])
			}
		}
	}
	heard := func(m map[string]any) []string {
		var ids []string
		for _, id := range m["heard"].([]any) {
			ids = append(ids, id.(string))
		}
		return ids
	}

	// The first time round: the player's phrase, a note a beat.
	lick := []int{65, 68, 69, 72, 75, 74, 72, 69, 70, 69, 65, 63, 65}
	for i, p := range lick {
		play(p, at(i/4, float64(i%4)), at(i/4, float64(i%4)+0.5))
	}
	a1 := answer()
	check(a1, 4)
	if h := heard(a1); !slices.Equal(h, sent) {
		t.Errorf("the first answer heard %v, want the phrase %v", h, sent)
	}
	cut1 := a1["cutoff_ms"].(float64)
	first := len(sent)

	// The session's clock estimate moves on to 1 s before the second
	// answer's downbeat (the server takes the fastest message's stamp as
	// the client's clock), so the test need not wait 15 s of music.
	write(t, ws, fmt.Sprintf(`{"type": "ping", "time_ms": %.3f}`, t0+S[12]-1000))
	// After the cutoff: a note before the downbeat, two over the answer,
	// then the third time round's phrase.
	down1 := a1["downbeat_ms"].(float64)
	play(77, (cut1+down1)/2, down1+5)
	play(72, at(5, 0), at(5, 1))
	play(74, at(7, 3.5), at(7, 3.9))
	other := []int{77, 76, 74, 72, 70, 69, 67, 65, 64, 62, 60, 58}
	for i, p := range other {
		play(p, at(8+i/4, float64(i%4)), at(8+i/4, float64(i%4)+0.5))
	}
	a2 := answer()
	check(a2, 12)
	if h, want := heard(a2), sent[first:]; !slices.Equal(h, want) {
		t.Errorf("the second answer heard %v, want every note after the first cutoff %v", h, want)
	}
	if len(sent[first:]) != 3+len(other) {
		t.Errorf("%d notes noted after the first answer, want %d", len(sent[first:]), 3+len(other))
	}
	if m := readMsg(t, ws); m["type"] != "end" {
		t.Errorf("after the last time round: %v, want the end", m)
	}
	ws.Close(websocket.StatusNormalClosure, "")
	for i, a := range []map[string]any{a1, a2} {
		b, _ := json.Marshal(a["notes"])
		t.Logf("answer %d at %.1f ms (cutoff %.1f): %s", i+1, a["downbeat_ms"].(float64)-t0, a["cutoff_ms"].(float64)-t0, b)
	}
}

// A loop the chart cannot play gets one error line, as /api/band words
// it, and the connection stays to trade again.
func TestTradeLoopRefused(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	c := openExample(t, hs.URL, "blues-f")
	ws, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	for loop, want := range map[string]string{
		`"loop": "9-16"`:               "has 12 bars",
		`"loop": "x"`:                  "loop",
		`"loop": "1-4", "repeat": 300`: "want 1 to 256",
		`"loop": "1-4", "ramp": 200`:   "reaches",
		`"loop": "12-1"`:               "FIRST-LAST",
	} {
		write(t, ws, `{"type": "trade", "chart": "`+c.ID+`", "bars": 4, "tempo": 120, `+loop+`}`)
		m := readMsg(t, ws)
		if e, _ := m["error"].(string); m["type"] != "error" || !strings.Contains(e, want) {
			t.Errorf("%s: %v, want an error saying %q", loop, m, want)
		} else {
			t.Logf("%s: %s", loop, e)
		}
	}
	write(t, ws, `{"type": "trade", "chart": "`+c.ID+`", "bars": 4, "tempo": 120, "loop": "1-4"}`)
	if m := readMsg(t, ws); m["type"] != "trading" {
		t.Errorf("a good loop after the bad ones: %v", m)
	}
}
