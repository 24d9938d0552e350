package studio_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tradeTurns is run in the page: in each of the human's turns (trading
// 4s), a phrase of quarter notes from beat 2 of the turn's first bar, a
// different one each turn.
const tradeTurns = `(async (turns, n) => {
  const s = window.sideman, barMs = s.state.band.bar_ms, bars = s.state.trade.bars;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let k = 0; k < turns; k++) {
    const at = 2 * k * bars * barMs + barMs / 4, step = barMs / 4;
    while ((s.now() - s.state.t0) * 1000 < at) await sleep(5);
    for (let i = 0; i < n; i++) {
      const p = 60 + ((k * 5 + i * 3) % 17);
      s.input.noteOn(p, 90); await sleep(step * 0.7); s.input.noteOff(p); await sleep(step * 0.3);
    }
  }
  return true;
})`

// TestStudioLatencyInBrowser measures the browser side of the latency
// budget while trading fours at 120, 200 and 300 bpm (docs/benchmarks.md):
// key event to the note on the wire, answer received to handed to the
// synth's worklet, and where the answer's first note really starts
// sounding on the audio clock against its time; and the server's side as
// the page sees it: key event to the note at the server (to the wire,
// then half the round trip of its "noted") and the answer's compute. It
// runs in CI (`make test`), about two minutes, 4 trades a tempo (set
// SIDEMAN_STUDIO_TURNS for more; docs/benchmarks.md used 8).
func TestStudioLatencyInBrowser(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	turns := 4
	if n, err := strconv.Atoi(os.Getenv("SIDEMAN_STUDIO_TURNS")); err == nil && n > 0 {
		turns = n
	}
	url := startStudio(t)
	art := artifactsDir(t)
	for _, bpm := range []int{120, 200, 300} {
		barSec := 240.0 / float64(bpm)
		p := openPage(t, url, art, time.Duration(float64(turns*8+16)*barSec*float64(time.Second))+60*time.Second)
		p.openExample("blues-f")
		choruses := (turns*8)/12 + 2
		p.do("set up", chromedp.SetValue(chromedp.CSS("#tempo"), strconv.Itoa(bpm)), chromedp.SetValue(chromedp.CSS("#trade-bars"), "4"),
			chromedp.SetValue(chromedp.CSS("#choruses"), strconv.Itoa(choruses)), chromedp.Click(chromedp.CSS("#play")))
		p.poll("trading", `window.sideman.state.playing && window.sideman.state.trade !== null`, 30*time.Second)
		var ok bool
		p.eval(tradeTurns+fmt.Sprintf("(%d, 6)", turns), &ok, chromedp.EvalAwaitPromise)
		p.poll("the answers sound", fmt.Sprintf(`window.sideman.stats.answers.length >= %d && window.sideman.stats.answers.every((a) => a.onset_ms !== undefined)`, turns),
			time.Duration(3*barSec*float64(8*time.Second)))
		var answers []answerStats
		var keyToSend, keyToServer []float64
		var sketches int
		p.eval(`window.sideman.stats.answers`, &answers)
		p.eval(`window.sideman.stats.keyToSendMs`, &keyToSend)
		p.eval(`window.sideman.stats.keyToServerMs`, &keyToServer)
		p.eval(`window.sideman.stats.sketches.length`, &sketches)
		var lag float64
		p.eval(`window.sideman.stats.synthLagMs`, &lag)
		p.shot(fmt.Sprintf("latency-%d", bpm))
		p.close()

		col := func(f func(a answerStats) float64) []float64 {
			var v []float64
			for _, a := range answers {
				v = append(v, f(a))
			}
			return v
		}
		rows := []struct {
			name string
			v    []float64
		}{
			{"key event → note on the wire", keyToSend},
			{"key event → note at the server (½ round trip)", keyToServer},
			{"answer compute (server's compute_ms)", col(func(a answerStats) float64 { return a.ComputeMs })},
			{"answer received → handed to the worklet", col(func(a answerStats) float64 { return a.ScheduleMs })},
			{"answer arrived before its downbeat", col(func(a answerStats) float64 { return a.LeadMs })},
			{"first note: voice starts − its time", col(func(a answerStats) float64 { return *a.OnsetErrorMs })},
			{"first note: audible (−60 dBFS) − its time", col(func(a answerStats) float64 { return *a.AudibleErrorMs })},
		}
		t.Logf("%d bpm, %d answers, %d sketches before them, output latency %.1f ms (browser's figure), the synth's clock %.2f ms behind (corrected):", bpm, len(answers), sketches, answers[0].OutputLatencyMs, lag)
		summary := map[string]any{"bpm": bpm, "answers": answers, "key_to_wire_ms": keyToSend, "key_to_server_ms": keyToServer, "sketches": sketches, "synth_lag_ms": lag}
		if len(keyToServer) == 0 || sketches < len(answers) {
			t.Errorf("%d bpm: %d notes acknowledged, %d sketches for %d answers: want every note acknowledged and the answers sketched as they formed", bpm, len(keyToServer), sketches, len(answers))
		}
		for _, r := range rows {
			med, p99, mx := quantile(r.v, 0.5), quantile(r.v, 0.99), slices.Max(r.v)
			t.Logf("  %-44s median %7.2f ms  p99 %7.2f ms  max %7.2f ms  (n=%d)", r.name, med, p99, mx, len(r.v))
		}
		// Each answer's first note should sound within 10 ms of its time
		// (the bound). On a shared 2-core machine running the other
		// packages' tests, the browser's audio thread is sometimes held up
		// for tens of milliseconds (one answer of four at 120 bpm, 81 ms, in
		// one run): such a stall is logged, and the test fails on the
		// median, which a scheduling error would move and a stall does not.
		var errs []float64
		for _, a := range answers {
			e := *a.OnsetErrorMs
			errs = append(errs, e)
			if e < -1 || e > 10 {
				t.Logf("%d bpm: the answer at bar %d started sounding %+.2f ms from its time: a stall of the audio thread (more than 10 ms after it)", bpm, a.Bar, e)
			}
		}
		if med := quantile(errs, 0.5); med < -1 || med > 10 {
			t.Errorf("%d bpm: the answers' first notes start sounding %+.2f ms from their time (median of %d), want within 10 ms after it", bpm, med, len(errs))
		}
		js, _ := json.MarshalIndent(summary, "", "  ")
		os.WriteFile(filepath.Join(art, fmt.Sprintf("latency-%d.json", bpm)), js, 0o644)
	}
}

// quantile is the nearest-rank quantile of v.
func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}
