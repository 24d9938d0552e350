package studio_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStudioSynthLagFollowed: a synth that falls behind the audio clock
// after Play (the page's probe measured it on time, then its audio thread
// stalled) sounds the first answer late; the page hears that onset,
// corrects its lag, and the next answer sounds on time.
func TestStudioSynthLagFollowed(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := startStudio(t)
	art := artifactsDir(t)
	p := openPage(t, url, art, 90*time.Second)
	p.openExample("blues-f")
	p.do("set up", chromedp.SetValue(chromedp.CSS("#tempo"), "300"), chromedp.SetValue(chromedp.CSS("#trade-bars"), "4"),
		chromedp.SetValue(chromedp.CSS("#choruses"), "2"), chromedp.Click(chromedp.CSS("#play")))
	p.poll("trading", `window.sideman.state.playing && window.sideman.state.trade !== null && window.sideman.stats.synthLagMs !== undefined`, 30*time.Second)
	// The synth falls 20 ms behind: every note the page schedules from now
	// on sounds 20 ms late until the page notices.
	var lag0 float64
	p.eval(`(() => { window.sideman.shiftSynthLag(-0.020); return window.sideman.stats.synthLagMs; })()`, &lag0)
	var ok bool
	p.eval(tradeTurns+"(2, 6)", &ok, chromedp.EvalAwaitPromise)
	p.poll("two answers sound", `window.sideman.stats.answers.length >= 2 && window.sideman.stats.answers.every((a) => a.onset_ms !== undefined)`, 40*time.Second)
	var answers []struct {
		Bar          int     `json:"bar"`
		LateMs       float64 `json:"late_ms"`
		OnsetErrorMs float64 `json:"onset_error_ms"`
		SynthLagMs   float64 `json:"synth_lag_ms"`
	}
	p.eval(`window.sideman.stats.answers`, &answers)
	var lag float64
	p.eval(`window.sideman.stats.synthLagMs`, &lag)
	p.shot("synth-lag-followed")
	for _, a := range answers {
		t.Logf("answer at bar %d: scheduled by a lag of %.2f ms (the probe measured %.2f, then the synth fell 20 ms behind), its voice started %+.2f ms from its time", a.Bar, a.SynthLagMs, lag0, a.OnsetErrorMs)
	}
	t.Logf("the lag now: %.2f ms", lag)
	if a := answers[0]; a.LateMs > 0 || a.OnsetErrorMs < 15 {
		t.Fatalf("the first answer: %+v; want it scheduled in time and heard about 20 ms late (the synth behind)", a)
	}
	if e := answers[1].OnsetErrorMs; e < -1 || e > 10 {
		t.Errorf("the second answer started %+.2f ms from its time: the page did not follow the synth's lag (want within 10 ms after it)", e)
	}
}
