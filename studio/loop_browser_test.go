package studio_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStudioTradeOverALoop: bars 5-6 of the blues four times round at 120
// bpm, 8 bpm faster each time, trading fours: a loop shorter than two
// turns, so the player's four bars are the first two times round (120,
// 128 bpm) and the sideman's the next two (136, 144). The answer comes in
// at bar 5 on the band's bar start (the ramp's, not four bars at 120),
// its notes are drawn in the roll's bars 5-8 (the loop's bars on an even
// grid), and the position names the time round, its tempo and whose turn.
func TestStudioTradeOverALoop(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	p := openPage(t, url, artifactsDir(t), 120*time.Second)
	p.openExample("blues-f")

	p.do("loop 5-6, four times, +8 bpm, trading fours", chromedp.SetValue(chromedp.CSS("#loop"), "5-6"), chromedp.SetValue(chromedp.CSS("#loop-repeat"), "4"),
		chromedp.SetValue(chromedp.CSS("#loop-ramp"), "8"), chromedp.SetValue(chromedp.CSS("#tempo"), "120"),
		chromedp.SetValue(chromedp.CSS("#trade-bars"), "4"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("countin").checked = false`),
		chromedp.Click(chromedp.CSS("#play")))
	p.poll("the loop and the trade start", `window.sideman.state.playing && window.sideman.state.band && window.sideman.state.band.loop && window.sideman.state.trade !== null`, 30*time.Second)
	var msg string
	p.eval(`document.getElementById("message").textContent`, &msg)
	t.Logf("the page says %q", msg)
	if !strings.Contains(msg, "Trading 4s over the loop") {
		t.Errorf("the page says %q, want that it trades over the loop", msg)
	}
	var starts []float64
	p.eval(`window.sideman.state.band.bar_starts_ms`, &starts)
	if len(starts) != 9 {
		t.Fatalf("%d bar starts, want the 2-bar loop 4 times and the end", len(starts))
	}
	// The player's phrase in bars 1-2 (the first time round, at 120 bpm).
	var sent int
	p.eval(playPhrase+fmt.Sprintf("(1, %s, 180)", jsInts([]int{65, 69, 72, 75, 77, 75, 72})), &sent, chromedp.EvalAwaitPromise)
	p.poll("the answer", `window.sideman.stats.answers.length >= 1`, 30*time.Second)
	var answers []answerStats
	p.eval(`window.sideman.stats.answers`, &answers)
	a := answers[0]
	t.Logf("answer at bar %d: %d notes, first note %+.1f ms from the page's downbeat, arrived %.0f ms ahead", a.Bar, a.Notes, a.FirstNoteErrorMs, a.LeadMs)
	if a.Bar != 5 {
		t.Errorf("the answer is at bar %d, want 5 (the third time round)", a.Bar)
	}
	// The server's first note is on or after the downbeat it trades to:
	// the page's downbeat (the band's bar 5) must not be later. Four bars
	// at 120 bpm would put it 250 ms late (at 8000 ms, not 7750).
	if a.FirstNoteErrorMs < -1 {
		t.Errorf("the answer's first note is %.1f ms before the page's downbeat: the page and the server disagree on where bar 5 is", -a.FirstNoteErrorMs)
	}
	var drawn struct {
		In, All int
	}
	p.eval(`(() => { const s = window.sideman, b = s.state.band.bar_ms, m = s.roll.played.filter((n) => n.class === "M");
	  return {in: m.filter((n) => n.start_ms >= 4*b - 1 && n.start_ms < 8*b - 1).length, all: m.length}; })()`, &drawn)
	if drawn.All != a.Notes || drawn.In != a.Notes {
		t.Errorf("%d machine notes drawn, %d of them in the roll's bars 5-8; the answer has %d", drawn.All, drawn.In, a.Notes)
	}
	p.shot("loop-trade-answer-drawn")
	p.poll("the third time round", `document.getElementById("position").textContent.includes("time 3/4")`, 20*time.Second)
	var pos string
	p.eval(`document.getElementById("position").textContent`, &pos)
	t.Logf("position %q", pos)
	if !strings.Contains(pos, "136 bpm") || !strings.Contains(pos, "sideman") {
		t.Errorf("the third time round shows %q, want 136 bpm and the sideman's turn", pos)
	}
	// The server ends the trade after the last turn: the page says no
	// error of it.
	p.eval(`document.getElementById("message").textContent`, &msg)
	if strings.Contains(msg, "unreachable") {
		t.Errorf("after the last answer the page says %q", msg)
	}
	p.shot("loop-trade-answer-sounds")
}
