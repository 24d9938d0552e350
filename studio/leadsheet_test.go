package studio

import (
	"encoding/json"
	"testing"
)

// TestOpenGivesTheMelody: a lead sheet opened through the API carries its
// melody bar by bar (concert pitch, beats from the bar's start) and its
// repeats, as the page's lead sheet draws them.
func TestOpenGivesTheMelody(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	abc := "X:1\nT:Scale Tune\nM:4/4\nL:1/4\nK:C\n|:\"C\"C D E F|\"G7\"G2 A B:|\"C\"c4|]\n"
	body, _ := json.Marshal(map[string]string{"text": abc})
	code, out := post(t, hs.URL+"/api/open", string(body))
	if code != 200 {
		t.Fatalf("open: %d %s", code, out)
	}
	var c chartJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Bars) < 3 {
		t.Fatalf("%d bars, want 3: %s", len(c.Bars), out)
	}
	want := []melodyJSON{{60, 0, 1}, {62, 1, 1}, {64, 2, 1}, {65, 3, 1}}
	if got := c.Bars[0].Melody; len(got) != len(want) {
		t.Fatalf("bar 1's melody %v, want C D E F as quarters %v", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("bar 1 note %d: %+v, want %+v", i+1, got[i], want[i])
			}
		}
	}
	if m := c.Bars[1].Melody; len(m) != 3 || m[0].Pitch != 67 || m[0].Beats != 2 || m[1].Beat != 2 {
		t.Errorf("bar 2's melody %+v, want G half note then A B", m)
	}
	if !c.Bars[0].RepeatStart || c.Bars[1].RepeatEnd != 2 {
		t.Errorf("repeat marks: bar 1 start %v, bar 2 end %d; want a repeat over bars 1-2", c.Bars[0].RepeatStart, c.Bars[1].RepeatEnd)
	}
	// A chord chart has no melody to show.
	_, out = post(t, hs.URL+"/api/open", `{"example": "blues-f"}`)
	c = chartJSON{}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	for i, b := range c.Bars {
		if len(b.Melody) > 0 {
			t.Errorf("blues-f bar %d has a melody %v: the chart has none", i+1, b.Melody)
		}
	}
}

// TestBandLoopRamp: a loop of bars 9-12, 3 times, 10 bpm faster each time
// round, plays 12 bars whose lengths shrink as the tempo rises.
func TestBandLoopRamp(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	_, out := post(t, hs.URL+"/api/open", `{"example": "blues-f"}`)
	var c chartJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	code, out := post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "tempo": 120, "loop": "9-12", "repeat": 3, "ramp": 10, "seed": 1}`)
	if code != 200 {
		t.Fatalf("band with a loop: %d %s", code, out)
	}
	var b struct {
		Bars        int       `json:"bars"`
		BarStartsMS []float64 `json:"bar_starts_ms"`
		Loop        *loopJSON `json:"loop"`
		Notes       []noteJSON
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.Bars != 12 || len(b.BarStartsMS) != 13 {
		t.Fatalf("%d bars, %d bar starts; want 4 bars 3 times (12, and 13 starts)", b.Bars, len(b.BarStartsMS))
	}
	if b.Loop == nil || *b.Loop != (loopJSON{9, 12, 3, 10}) {
		t.Errorf("loop %+v, want 9-12 x3 +10", b.Loop)
	}
	// A 4/4 bar lasts 240000/bpm ms: 120, 130, 140 bpm time round.
	for k, bpm := range []float64{120, 130, 140} {
		got := b.BarStartsMS[4*k+1] - b.BarStartsMS[4*k]
		if want := 240000 / bpm; got < want-1 || got > want+1 {
			t.Errorf("time round %d: a bar lasts %.1f ms, want %.1f (%v bpm)", k+1, got, want, bpm)
		}
	}
	if len(b.Notes) == 0 {
		t.Fatal("no notes")
	}
	for _, n := range b.Notes {
		if n.StartMS >= b.BarStartsMS[12] {
			t.Errorf("a %s note at %.0f ms, after the loop's end at %.0f", n.Part, n.StartMS, b.BarStartsMS[12])
			break
		}
	}
	code, out = post(t, hs.URL+"/api/band", `{"chart": "`+c.ID+`", "loop": "9-40"}`)
	if code != 400 {
		t.Errorf("a loop past the chart's end: %d %s, want 400", code, out)
	}
}
