package studio_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// realStudio is startStudio against the real server always: these tests
// measure what the server makes (melodies, loops, spelling), which the
// fake only imitates.
func realStudio(t *testing.T) string {
	t.Setenv("SIDEMAN_STUDIO_FAKE", "")
	return startStudio(t)
}

// TestStudioLeadSheet: the lead sheet writes each part as its player
// reads it: a chart in C minor shows Cm7 in concert, Dm7 for a B♭
// instrument, Am7 for E♭, Gm7 for F; a melody's first note, concert C4,
// is written D4 for B♭, a staff step higher.
func TestStudioLeadSheet(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	art := artifactsDir(t)
	p := openPage(t, url, art, 90*time.Second)
	p.openExample("minor-blues-c")

	type view struct {
		Symbols [][]string
		Drawn   []string
		Key     string
		Melody  [][]struct {
			Name string
		}
		Heads []float64
	}
	look := func(part string) view {
		t.Helper()
		var v view
		p.do("part "+part, chromedp.SetValue(chromedp.CSS("#part"), part),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("part").dispatchEvent(new Event("change"))`))
		p.eval(`(() => { const s = window.sideman.leadsheet;
		  return {symbols: s.symbols(), key: s.keyName(), melody: s.melody(),
		    drawn: [...document.querySelectorAll('#leadsheet [data-bar="0"] .ls-chord')].map((e) => e.textContent),
		    heads: [...document.querySelectorAll('#leadsheet [data-bar="0"] ellipse')].map((e) => Number(e.getAttribute("cy")))}; })()`, &v)
		return v
	}
	for _, c := range []struct{ part, bar1, key string }{{"C", "Cm7", "C minor"}, {"Bb", "Dm7", "D minor"}, {"Eb", "Am7", "A minor"}, {"F", "Gm7", "G minor"}} {
		v := look(c.part)
		if len(v.Symbols) != 12 {
			t.Fatalf("%s part: %d bars, want the minor blues's 12", c.part, len(v.Symbols))
		}
		if !slices.Equal(v.Symbols[0], []string{c.bar1}) || !slices.Equal(v.Drawn, []string{c.bar1}) {
			t.Errorf("%s part: bar 1 reads %v, drawn %v; want %s", c.part, v.Symbols[0], v.Drawn, c.bar1)
		}
		if v.Key != c.key {
			t.Errorf("%s part: in %q, want %q", c.part, v.Key, c.key)
		}
	}
	p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
	p.shot("leadsheet-bb-part")
	var rows int
	p.eval(`(() => { const r = new Set([...document.querySelectorAll("#leadsheet .ls-chord")].map((e) => e.getAttribute("y"))); return r.size; })()`, &rows)
	if rows != 3 {
		t.Errorf("12 bars drawn in %d rows, want 3 rows of four", rows)
	}

	// A lead sheet with a melody: "Scale Tune" in C, C D E F | G2 A B.
	abc := "X:1\nT:Scale Tune\nM:4/4\nL:1/4\nK:C\n|:\"C\"C D E F|\"G7\"G2 A B:|\"C\"c4|]\n"
	p.do("paste a lead sheet", chromedp.Evaluate[chromedp.Void](`document.querySelector("details").open = true`),
		chromedp.SetValue(chromedp.CSS("#chart-text"), abc), chromedp.Click(chromedp.CSS("#open-text")))
	p.poll("the lead sheet opens", `window.sideman.state.chart && window.sideman.state.chart.title === "Scale Tune"`, 10*time.Second)
	concert, bb := look("C"), look("Bb")
	if len(concert.Melody) < 2 || len(concert.Melody[0]) != 4 || concert.Melody[0][0].Name != "C4" || bb.Melody[0][0].Name != "D4" {
		t.Fatalf("melody bar 1: concert %v, B♭ %v; want C4 D E F concert, D4 … for B♭", concert.Melody, bb.Melody)
	}
	if bb.Symbols[1][0] != "A7" || bb.Key != "D major" {
		t.Errorf("B♭ part: bar 2 %v in %s, want A7 in D major", bb.Symbols[1], bb.Key)
	}
	if len(concert.Heads) != 4 || len(bb.Heads) != 4 {
		t.Fatalf("noteheads in bar 1: %d concert, %d B♭; want 4", len(concert.Heads), len(bb.Heads))
	}
	for i := range 4 {
		// A whole tone up is one staff step: half a line space, 4 px.
		if d := concert.Heads[i] - bb.Heads[i]; d != 4 {
			t.Errorf("note %d: the B♭ head is %.1f px above the concert one, want one staff step (4)", i+1, d)
		}
	}
	if concert.Heads[0] <= concert.Heads[3] {
		t.Errorf("C D E F drawn at heights %v: want them rising", concert.Heads)
	}
	var repeats int
	p.eval(`document.querySelectorAll("#leadsheet .ls-thick").length`, &repeats)
	if repeats < 3 {
		t.Errorf("%d thick barlines, want the repeat's two and the final one", repeats)
	}
	p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
	p.shot("leadsheet-melody")
}

// TestStudioLoopRamp: bars 9-12 of the blues, three times round, 20 bpm
// faster each time: the band's bars shorten, the roll shows the loop's
// bars, the lead sheet marks them and follows the playhead, and the
// position says which time round at what tempo.
func TestStudioLoopRamp(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	p := openPage(t, url, artifactsDir(t), 120*time.Second)
	p.openExample("blues-f")

	p.do("a loop no tune has", chromedp.SetValue(chromedp.CSS("#loop"), "Z"), chromedp.Click(chromedp.CSS("#play")))
	p.poll("an error", `document.getElementById("message").classList.contains("error")`, 10*time.Second)
	var msg string
	p.eval(`document.getElementById("message").textContent`, &msg)
	if !strings.Contains(msg, "no such section") {
		t.Errorf("loop Z says %q, want that there is no such section", msg)
	}

	p.do("loop 9-12", chromedp.SetValue(chromedp.CSS("#loop"), "9-12"), chromedp.SetValue(chromedp.CSS("#loop-repeat"), "3"),
		chromedp.SetValue(chromedp.CSS("#loop-ramp"), "20"), chromedp.SetValue(chromedp.CSS("#tempo"), "120"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("countin").checked = false`),
		chromedp.Click(chromedp.CSS("#play")))
	p.poll("the loop plays", `window.sideman.state.playing && window.sideman.state.band && window.sideman.state.band.loop`, 30*time.Second)
	var st struct {
		Starts  []float64
		Roll    [][]string
		Chart   []string
		Looped  []string
		Symbols []string
	}
	p.eval(`(() => { const s = window.sideman, c = s.state.chart;
	  return {starts: s.state.band.bar_starts_ms,
	    roll: [0, 1, 2, 3, 4].map((b) => s.roll.symbolsAt(b).map((x) => x.symbol)),
	    chart: c.bars.slice(8, 12).map((b) => b.chords[0].symbol),
	    looped: [...document.querySelectorAll("#leadsheet .ls-loop")].map((e) => e.parentNode.dataset.bar)}; })()`, &st)
	if len(st.Starts) != 13 {
		t.Fatalf("%d bar starts, want 12 bars and the end", len(st.Starts))
	}
	for k, bpm := range []float64{120, 140, 160} {
		if got, want := st.Starts[4*k+1]-st.Starts[4*k], 240000/bpm; got < want-1 || got > want+1 {
			t.Errorf("time round %d: bars of %.0f ms, want %.0f (%v bpm)", k+1, got, want, bpm)
		}
	}
	for b, syms := range st.Roll {
		if len(syms) == 0 || syms[0] != st.Chart[b%4] {
			t.Errorf("roll bar %d shows %v, want bar %d of the chart (%s)", b+1, syms, 9+b%4, st.Chart[b%4])
		}
	}
	if !slices.Equal(st.Looped, []string{"8", "9", "10", "11"}) {
		t.Errorf("the lead sheet marks bars %v (from 0) as looped, want 8-11", st.Looped)
	}
	p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
	p.shot("loop-first-time")
	// The second time round, 140 bpm, the lead sheet follows the written bar.
	p.poll("the second time round", `document.getElementById("position").textContent.includes("time 2/3")`, 20*time.Second)
	var pos string
	var now int
	p.eval(`document.getElementById("position").textContent`, &pos)
	p.eval(`(() => { const e = document.querySelector("#leadsheet .ls-now"); return e ? Number(e.dataset.bar) : -1; })()`, &now)
	t.Logf("position %q, lead sheet at bar %d", pos, now+1)
	if !strings.Contains(pos, "140 bpm") {
		t.Errorf("second time round shows %q, want 140 bpm", pos)
	}
	if now < 8 || now > 11 {
		t.Errorf("the lead sheet shows bar %d sounding, want one of 9-12", now+1)
	}
	p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
	p.shot("loop-second-time")
}
