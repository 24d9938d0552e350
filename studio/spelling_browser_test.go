package studio_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStudioRollSpellsAsLeadSheet: the page spells a chord symbol one way.
// A B♭ player reads the chart a whole tone up and an E♭ player a major
// sixth up; the band transposed by as much plays what they read, and the
// roll above its notes must show the very symbols the lead sheet writes
// for that part (in G, Em7 is F♯m7 for B♭ and C♯m7 for E♭, never G♭m7 or
// D♭m7; in F, the passing B°7 is C♯°7 and G♯°7).
func TestStudioRollSpellsAsLeadSheet(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	p := openPage(t, url, artifactsDir(t), 120*time.Second)

	sharps := 0
	for _, chart := range []string{"coda-g", "blues-f"} {
		p.openExample(chart)
		for _, part := range []struct {
			name  string
			shift int
		}{{"Bb", 2}, {"Eb", 9}} {
			// The lead sheet's part, concert transposition 0.
			var sheet [][]string
			p.do(chart+": "+part.name+" part", chromedp.SetValue(chromedp.CSS("#transpose"), "0"),
				chromedp.SetValue(chromedp.CSS("#part"), part.name),
				chromedp.Evaluate[chromedp.Void](`document.getElementById("part").dispatchEvent(new Event("change"))`))
			p.eval(`window.sideman.leadsheet.symbols()`, &sheet)

			// The band moved by the part's interval, drawn on the roll.
			p.do(chart+": the band transposed", chromedp.SetValue(chromedp.CSS("#part"), "C"),
				chromedp.SetValue(chromedp.CSS("#transpose"), fmt.Sprint(part.shift)),
				chromedp.SetValue(chromedp.CSS("#trade-bars"), "0"),
				chromedp.Evaluate[chromedp.Void](`document.getElementById("countin").checked = false`),
				chromedp.Click(chromedp.CSS("#play")))
			p.poll("the band plays", fmt.Sprintf(`window.sideman.state.playing && window.sideman.roll.transpose === %d`, part.shift), 30*time.Second)
			var roll [][]string
			p.eval(`(() => { const r = window.sideman.roll;
			  return r.chart.bars.map((_, b) => r.symbolsAt(b).map((x) => x.symbol)); })()`, &roll)
			p.do("stop", chromedp.Click(chromedp.CSS("#stop")))

			if len(roll) != len(sheet) || len(sheet) == 0 {
				t.Fatalf("%s %s: the roll has %d bars, the lead sheet %d", chart, part.name, len(roll), len(sheet))
			}
			for b := range sheet {
				if !slices.Equal(roll[b], sheet[b]) {
					t.Errorf("%s, %s part, bar %d: the roll shows %v, the lead sheet %v", chart, part.name, b+1, roll[b], sheet[b])
				}
				for _, s := range sheet[b] {
					if len(s) > 1 && s[1] == '#' {
						sharps++
					}
				}
			}
			t.Logf("%s %s: %d bars, bar 1 %v", chart, part.name, len(sheet), sheet[0])
		}
	}
	// Both charts have roots that a part reads sharp (F♯m7, C♯°7): the
	// test compares spellings where the roll used to spell them flat.
	if sharps == 0 {
		t.Errorf("no sharp root in either part of either chart: nothing that tells the spellings apart")
	}
}
