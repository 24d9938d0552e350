package studio_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStudioTradeWithTheDrummer: choosing "Trade with: drummer", the
// answer to a phrase in bars 1-4 comes at bar 5 and plays on the drum
// channel (9), explained; none of its strokes is drawn on the roll among
// the pitches.
func TestStudioTradeWithTheDrummer(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	art := artifactsDir(t)
	p := openPage(t, url, art, 120*time.Second)
	p.openExample("blues-f")
	p.do("trade fours with the drummer", chromedp.SetValue(chromedp.CSS("#tempo"), "200"), chromedp.SetValue(chromedp.CSS("#trade-bars"), "4"),
		chromedp.SetValue(chromedp.CSS("#trade-with"), "drums"), chromedp.Click(chromedp.CSS("#play")))
	p.poll("the band plays", `window.sideman.state.playing && window.sideman.state.trade !== null`, 30*time.Second)
	var sent int
	p.eval(playPhrase+fmt.Sprintf("(1, %s, 180)", jsInts([]int{65, 69, 72, 75, 77, 75, 72})), &sent, chromedp.EvalAwaitPromise)
	p.poll("the drummer's answer", `window.sideman.stats.answers.length >= 1`, 20*time.Second)
	var raw json.RawMessage
	p.eval(`window.sideman.stats.answers[0]`, &raw)
	var a struct {
		Bar, Notes, Channel int
	}
	json.Unmarshal(raw, &a)
	if a.Bar != 5 || a.Notes == 0 || a.Channel != 9 {
		t.Errorf("the drummer's answer: %s, want bar 5, on channel 9", raw)
	}
	var explained, drawn int
	p.eval(`document.querySelectorAll("#answers .answer li").length`, &explained)
	p.eval(`(() => { const s = window.sideman, b = s.state.band.bar_ms; return s.roll.played.filter((n) => n.class === "M" && n.start_ms >= 4*b - 1 && n.start_ms < 8*b - 1).length })()`, &drawn)
	if explained == 0 || drawn != 0 {
		t.Errorf("%d developments explained, %d strokes drawn among the pitches: want some, and none", explained, drawn)
	}
	p.shot("drummer-answer")
}
