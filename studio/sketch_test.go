package studio

import (
	"encoding/json"
	"fmt"
	"testing"
)

// The coming answer is sketched as the phrase comes in: sketches of the
// answer for bar 5 before it, each from the notes heard by then, the last
// (all the phrase heard) the answer itself but for the ids; the answer
// is the one a session that saw no sketch gives (TestTradeAnswersThePhrase
// plays the same lick).
func TestSketchesAsTheAnswerForms(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	ch := openExample(t, hs.URL, "blues-f")
	c, _, err := dial(t, hs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	write(t, c, `{"type": "trade", "chart": "`+ch.ID+`", "bars": 4, "tempo": 200, "seed": 1}`)
	if m := readMsg(t, c); m["type"] != "trading" {
		t.Fatalf("trade: %v", m)
	}
	const beat = 300.0
	now := 100000.0
	t0 := now - 16*beat + 1000 // bar 5's downbeat is a second ahead
	write(t, c, fmt.Sprintf(`{"type": "start", "time_ms": %g, "now_ms": %g}`, t0, now))
	lick := []int{65, 68, 69, 72, 75, 74, 72, 69, 70, 69, 65, 63, 65}
	for i, p := range lick {
		at := t0 + float64(i)*beat
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 90, "on": true, "time_ms": %g}`, p, at))
		write(t, c, fmt.Sprintf(`{"type": "note", "pitch": %d, "velocity": 0, "on": false, "time_ms": %g}`, p, at+beat/2))
	}
	type note struct {
		ID       string  `json:"id"`
		Pitch    int     `json:"pitch"`
		Velocity int     `json:"velocity"`
		Start    float64 `json:"start_ms"`
		Dur      float64 `json:"duration_ms"`
	}
	type answer struct {
		Type    string   `json:"type"`
		Bar     int      `json:"bar"`
		Notes   []note   `json:"notes"`
		Heard   []string `json:"heard"`
		Compute float64  `json:"compute_ms"`
	}
	var sketches []answer
	var final answer
	for final.Type == "" {
		m := readMsg(t, c)
		if m["type"] != "sketch" && m["type"] != "answer" {
			if m["type"] != "noted" {
				t.Fatalf("while waiting for the answer: %v", m)
			}
			continue
		}
		b, _ := json.Marshal(m)
		var a answer
		json.Unmarshal(b, &a)
		if a.Type == "sketch" {
			sketches = append(sketches, a)
		} else {
			final = a
		}
	}
	if len(sketches) == 0 {
		t.Fatal("no sketch of the answer came before it")
	}
	heard := 0
	for i, s := range sketches {
		t.Logf("sketch %d: bar %d, %d notes heard, %d notes, %.2f ms", i+1, s.Bar, len(s.Heard), len(s.Notes), s.Compute)
		if s.Bar != 5 || len(s.Heard) < heard {
			t.Errorf("sketch %d: bar %d, %d notes heard after %d: want bar 5, the phrase growing", i+1, s.Bar, len(s.Heard), heard)
		}
		heard = len(s.Heard)
	}
	last := sketches[len(sketches)-1]
	if len(last.Heard) != len(lick) || len(last.Notes) != len(final.Notes) {
		t.Fatalf("the last sketch heard %d notes and has %d; the answer heard %d and has %d", len(last.Heard), len(last.Notes), len(final.Heard), len(final.Notes))
	}
	for i, n := range last.Notes {
		a := final.Notes[i]
		if n.ID == a.ID {
			t.Errorf("note %d: the sketch took the answer's id %s", i, a.ID)
		}
		n.ID = a.ID
		if n != a {
			t.Errorf("note %d: sketched %+v, answered %+v", i, n, a)
		}
	}
}
