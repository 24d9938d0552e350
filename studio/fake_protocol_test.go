package studio_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"sideman/studio"
	"sideman/studio/client"
)

// The test double (fakeStudio, fake_browser_test.go) must not lie about
// the protocol the page is tested against: each check below runs against
// the fake and the real server alike, through the documented messages.

// bothStudios runs check against the fake and against the real server on
// a temporary project, side by side.
func bothStudios(t *testing.T, check func(t *testing.T, url string)) {
	t.Run("fake", func(t *testing.T) {
		t.Parallel()
		s := httptest.NewServer(newFakeStudio().handler())
		t.Cleanup(s.Close)
		check(t, s.URL)
	})
	t.Run("server", func(t *testing.T) {
		t.Parallel()
		proj, pub, _, cleanup, err := studio.TemporaryProject(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		srv := studio.New(studio.Options{Project: proj, PublicKey: pub, Log: t.Logf})
		hs := httptest.NewServer(srv)
		t.Cleanup(func() { srv.Close(); hs.Close(); cleanup() })
		check(t, hs.URL)
	})
}

func postJSON(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestFakeStudioImports: {"name", "data"} opens a file's bytes, titled as
// the file says; bytes that are not base64 are one line naming the file.
func TestFakeStudioImports(t *testing.T) {
	bothStudios(t, func(t *testing.T, url string) {
		abc := "X:1\nT:Scale Tune\nM:4/4\nL:1/4\nK:C\n|:\"C\"C D E F|\"G7\"G2 A B:|\"C\"c4|]\n"
		code, c := postJSON(t, url+"/api/open", map[string]string{"name": "scale.abc", "data": base64.StdEncoding.EncodeToString([]byte(abc))})
		if code != 200 || c["title"] != "Scale Tune" {
			t.Errorf("importing scale.abc: %d %v, want the tune titled Scale Tune", code, c)
		}
		if bars, _ := c["bars"].([]any); len(bars) < 2 {
			t.Errorf("scale.abc opened as %d bars", len(bars))
		} else {
			if mel, _ := bars[0].(map[string]any)["melody"].([]any); len(mel) != 4 {
				t.Errorf("bar 1's melody: %v, want C D E F", bars[0])
			}
			if end, _ := bars[1].(map[string]any)["repeat_end"].(float64); end != 2 {
				t.Errorf("bar 2: %v, want the repeat closing there (played twice)", bars[1])
			}
		}
		code, e := postJSON(t, url+"/api/open", map[string]string{"name": "tune.mid", "data": "not base64!"})
		if msg, _ := e["error"].(string); code != 400 || !strings.HasPrefix(msg, "tune.mid: ") {
			t.Errorf("bytes not base64: %d %v, want 400 naming tune.mid", code, e)
		}
	})
}

// TestFakeStudioTradesFours: the protocol's own client (studio/client, as
// cmd/studioload) trades fours at 300 bpm: every note acknowledged
// ("noted"), answers before their downbeats hearing every note struck
// before their cutoffs and the ones after it in the next, "end" after
// "stop".
func TestFakeStudioTradesFours(t *testing.T) {
	bothStudios(t, func(t *testing.T, url string) {
		rep, err := client.Load(context.Background(), client.Options{URL: url, Conns: 1, Duration: 7 * time.Second, Tempo: 300, Bars: 4, Seed: 3, OutputLatency: 60})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Errors > 0 || rep.Late > 0 || rep.Dropped > 0 || rep.Answers != 2 || rep.KeptLate == 0 {
			t.Errorf("%d errors %v, %d late, %d dropped, %d answers, %d notes kept for the next: want none, none, none, 2, some",
				rep.Errors, rep.ErrorLines, rep.Late, rep.Dropped, rep.Answers, rep.KeptLate)
		}
	})
}

// wsMsg is a server message, the fields these checks read.
type wsMsg struct {
	Type       string
	Error      string
	ID         string
	Pitch      int
	TimeMs     float64 `json:"time_ms"`
	Bar        int
	ToBar      int     `json:"to_bar"`
	DownbeatMs float64 `json:"downbeat_ms"`
	CutoffMs   float64 `json:"cutoff_ms"`
	Heard      []string
	Notes      []struct {
		ID      string
		Pitch   int
		StartMs float64 `json:"start_ms"`
		Channel *int
	}
	Explanation []struct {
		Op   string
		From []string
	}
}

// TestFakeStudioDrummerOverALoop: trading fours with the drummer over bars
// 5-6 of the blues four times round at 300 bpm, 8 faster each time: a
// sketch of the answer before it, the answer at bar 5 on the band's bar
// start for the same loop (the ramp's, not 8 bars at 300), every stroke on
// channel 9, its explanation from the player's notes, then "end" (no turn
// left). A "with" no one plays is one error line and no trade.
func TestFakeStudioDrummerOverALoop(t *testing.T) {
	bothStudios(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		chart, err := client.Open(ctx, url, "", "blues-f")
		if err != nil {
			t.Fatal(err)
		}
		code, band := postJSON(t, url+"/api/band", map[string]any{"chart": chart, "tempo": 300, "loop": "5-6", "repeat": 4, "ramp": 8})
		starts, _ := band["bar_starts_ms"].([]any)
		if code != 200 || len(starts) != 9 || band["loop"] == nil {
			t.Fatalf("the band over the loop: %d, %d bar starts, loop %v", code, len(starts), band["loop"])
		}
		c, err := client.Dial(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		epoch := time.Now()
		now := func() float64 { return float64(time.Since(epoch)) / float64(time.Millisecond) }
		send := func(v any) {
			b, _ := json.Marshal(v)
			if err := c.Write(ctx, websocket.MessageText, b); err != nil {
				t.Fatal(err)
			}
		}
		msgs := make(chan wsMsg, 256)
		go func() {
			defer close(msgs)
			for {
				_, b, err := c.Read(ctx)
				if err != nil {
					return
				}
				var m wsMsg
				json.Unmarshal(b, &m)
				msgs <- m
			}
		}()
		next := func(within time.Duration) (wsMsg, bool) {
			select {
			case m, ok := <-msgs:
				return m, ok
			case <-time.After(within):
				return wsMsg{}, false
			}
		}

		send(map[string]any{"type": "trade", "chart": chart, "bars": 4, "tempo": 300, "seed": 1, "with": "timpani"})
		if m, _ := next(2 * time.Second); m.Type != "error" || !strings.Contains(m.Error, `want "soloist" or "drums"`) {
			t.Errorf(`with "timpani": %+v, want one error line`, m)
		}
		send(map[string]any{"type": "trade", "chart": chart, "bars": 4, "tempo": 300, "seed": 1, "with": "drums", "output_latency_ms": 60,
			"loop": "5-6", "repeat": 4, "ramp": 8})
		if m, _ := next(5 * time.Second); m.Type != "trading" {
			t.Fatalf("after the drummer's trade: %+v, want trading (and nothing of the timpani)", m)
		}
		t0 := now() + 300
		send(map[string]any{"type": "start", "time_ms": t0, "now_ms": now()})
		// The player's phrase in bars 1-2 (the first time round: 800 ms bars).
		var struck []float64
		for i, p := range []int{65, 69, 72, 75, 77} {
			at := t0 + 100 + float64(i)*300
			time.Sleep(time.Duration((at - now()) * float64(time.Millisecond)))
			send(map[string]any{"type": "note", "pitch": p, "velocity": 90, "on": true, "time_ms": now()})
			struck = append(struck, now())
			send(map[string]any{"type": "note", "pitch": p, "velocity": 0, "on": false, "time_ms": now() + 150})
		}
		var noted []string
		var sketches []wsMsg
		var answer *wsMsg
		ended := false
		for !ended {
			m, ok := next(10 * time.Second)
			if !ok {
				break
			}
			switch m.Type {
			case "noted":
				noted = append(noted, m.ID)
			case "sketch":
				if answer == nil {
					sketches = append(sketches, m)
				}
			case "answer":
				if answer != nil {
					t.Errorf("a second answer at bar %d: the loop holds one sideman's turn", m.Bar)
				}
				answer = &m
			case "end":
				ended = true
			case "error":
				t.Errorf("error: %s", m.Error)
			}
		}
		if len(noted) != len(struck) {
			t.Errorf("%d notes acknowledged of %d", len(noted), len(struck))
		}
		if answer == nil {
			t.Fatalf("no answer (%d sketches)", len(sketches))
		}
		if !ended {
			t.Errorf("no end after the loop's last turn")
		}
		want := t0 + starts[4].(float64)
		if answer.Bar != 5 || answer.ToBar != 8 || math.Abs(answer.DownbeatMs-want) > 1 || answer.CutoffMs >= answer.DownbeatMs {
			t.Errorf("answer at bars %d-%d, downbeat %.1f cutoff %.1f; want 5-8 at the band's bar 5, %.1f", answer.Bar, answer.ToBar, answer.DownbeatMs, answer.CutoffMs, want)
		}
		if len(answer.Notes) == 0 {
			t.Fatalf("the drummer answers nothing")
		}
		for _, n := range answer.Notes {
			if n.Channel == nil || *n.Channel != 9 || n.StartMs < answer.DownbeatMs-1 {
				t.Errorf("stroke %+v: want channel 9, from the downbeat on", n)
				break
			}
		}
		for _, id := range noted {
			if !slices.Contains(answer.Heard, id) {
				t.Errorf("note %s, struck in bars 1-2, not heard by the answer (heard %v)", id, answer.Heard)
			}
		}
		if len(answer.Explanation) == 0 || len(answer.Explanation[0].From) == 0 || !slices.Contains(noted, answer.Explanation[0].From[0]) {
			t.Errorf("explanation %+v: want the player's notes it develops", answer.Explanation)
		}
		if len(sketches) == 0 {
			t.Fatalf("no sketch before the answer")
		}
		last := sketches[len(sketches)-1]
		if last.Bar != answer.Bar || len(last.Notes) != len(answer.Notes) {
			t.Errorf("the last sketch: bar %d, %d notes; the answer bar %d, %d notes (no note came between)", last.Bar, len(last.Notes), answer.Bar, len(answer.Notes))
		}
		for _, n := range last.Notes {
			if slices.ContainsFunc(answer.Notes, func(a struct {
				ID      string
				Pitch   int
				StartMs float64 `json:"start_ms"`
				Channel *int
			}) bool {
				return a.ID == n.ID
			}) {
				t.Errorf("sketch note id %s is an answer's id: a sketch's ids are its own", n.ID)
				break
			}
		}
		t.Logf("%d sketches, answer at bar %d with %d strokes, downbeat %.1f ms after start", len(sketches), answer.Bar, len(answer.Notes), answer.DownbeatMs-t0)
	})
}
