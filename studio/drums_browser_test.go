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
// the pitches. The band lays out for the drummer's break: with the
// band's drums muted (the break plays on their channel), the page is
// silent in bars 5-8, from a beat after the break's downbeat (what rang
// into it dies away), and the bass and piano sound in the player's bars
// around it, back on the downbeat of bar 9 (the feel plays a downbeat a
// little early: that note is bar 9's, not the break's).
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
	// The loudest RMS in each beat (bar:beat, from 0 on the audio clock)
	// to the end of bar 10, the band's drums muted; a beat from a 32nd
	// before it (the feel plays a downbeat up to that early).
	var muted bool
	p.eval(`(() => { const d = [...document.querySelectorAll("#mixer span")].find((e) => e.textContent === "Drums"); if (!d) return false; d.nextElementSibling.nextElementSibling.click(); return true })()`, &muted)
	if !muted {
		t.Fatal("no Drums in the mixer to mute")
	}
	p.eval(`window.drumsLevels = (async () => {
  const s = window.sideman, per = {};
  while (s.state.playing) {
    const ms = (s.now() - s.state.t0) * 1000 + s.state.band.bar_ms / 32, tl = s.state.timeline, bar = tl.barAt(ms);
    if (bar >= 10) break;
    if (bar >= 0) { const k = bar + ":" + Math.floor((ms - tl.barStart(bar)) / (tl.barLength(bar) / 4)); per[k] = Math.max(per[k] || 0, s.level()); }
    await new Promise((r) => setTimeout(r, 10));
  }
  return per;
})(), true`, &muted)
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

	var levels map[string]float64
	p.eval(`window.drumsLevels`, &levels, chromedp.EvalAwaitPromise)
	loud := func(from, to int) (m float64) { // bars [from, to) from 0
		for b := from; b < to; b++ {
			for beat := range 4 {
				m = max(m, levels[fmt.Sprintf("%d:%d", b, beat)])
			}
		}
		return m
	}
	var brk float64 // the break, from its second beat
	for b := 4; b < 8; b++ {
		for beat := range 4 {
			if b > 4 || beat > 0 {
				brk = max(brk, levels[fmt.Sprintf("%d:%d", b, beat)])
			}
		}
	}
	t.Logf("loudest RMS (drums muted): bars 2-4 %.4f, the break (bars 5-8, from beat 2) %.4f, bars 9-10 %.4f; bar 5 beat 1 %.4f",
		loud(1, 4), brk, loud(8, 10), levels["4:0"])
	for b := range 10 {
		t.Logf("bar %d: %.4f %.4f %.4f %.4f", b+1, levels[fmt.Sprintf("%d:0", b)], levels[fmt.Sprintf("%d:1", b)], levels[fmt.Sprintf("%d:2", b)], levels[fmt.Sprintf("%d:3", b)])
	}
	quietest := min(loud(1, 2), loud(2, 3), loud(3, 4), loud(8, 9), loud(9, 10))
	if quietest < 0.005 || brk > quietest/10 {
		t.Errorf("the band in the player's bars at least %.4f RMS, in the drummer's break %.4f: want it sounding in each of the player's bars and laid out (under a tenth) in the break", quietest, brk)
	}
	if back := levels["8:0"]; back < quietest/4 {
		t.Errorf("the first beat of bar 9 at %.4f RMS, the player's bars at least %.4f: want the band back on the player's downbeat", back, quietest)
	}
}
