package studio_test

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStudioScreenshot takes README's picture of the studio (docs/studio.png)
// against the real server, mid-trade, when SIDEMAN_STUDIO_SCREENSHOT names a
// folder to write it to; else it is skipped (it is a picture, not a check,
// though each step it waits for must happen). It opens Moten Swing (E♭, a
// lead sheet from OpenEWLD, pasted as MusicXML), trades fours at 160 bpm
// and takes two pictures:
//
//   - roll.png, the roll while the sideman's first answer sounds in bars
//     5–8, the notes of yours a development restates outlined;
//   - page.png, the whole page while you play bars 9–12 and the next answer
//     forms, sketched dashed in bars 13–16, the first one's explanation
//     beside the controls and the lead sheet (key signature, beamed
//     eighths) below.
//
// and studio.png, the two, the page above the roll, for docs/studio.png:
//
//	SIDEMAN_STUDIO_SCREENSHOT=/tmp/shot go test -count=1 -run TestStudioScreenshot ./studio/
//	cp /tmp/shot/studio.png docs/studio.png
func TestStudioScreenshot(t *testing.T) {
	out := os.Getenv("SIDEMAN_STUDIO_SCREENSHOT")
	if out == "" {
		t.Skip("set SIDEMAN_STUDIO_SCREENSHOT to a folder to take README's picture of the studio")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	chromiumPath(t)
	vendored(t)
	moten := openEWLD(t, "Moten_Swing")
	url := realStudio(t)
	p := openPage(t, url, artifactsDir(t), 180*time.Second)
	p.do("a taller window", chromedp.EmulateViewport(1280, 1420))
	p.poll("the page starts", `document.querySelector("#example option") !== null`, 10*time.Second)
	p.do("paste Moten Swing", chromedp.Evaluate[chromedp.Void](`document.querySelector("details").open = true`),
		chromedp.SetValue(chromedp.CSS("#chart-text"), moten), chromedp.Click(chromedp.CSS("#open-text")))
	p.poll("the lead sheet opens", `window.sideman.state.chart && window.sideman.state.chart.title.includes("Moten")`, 20*time.Second)
	p.do("close the paste box, trade fours at 160", chromedp.Evaluate[chromedp.Void](`document.querySelector("details").open = false`),
		chromedp.SetValue(chromedp.CSS("#tempo"), "160"), chromedp.SetValue(chromedp.CSS("#trade-bars"), "4"),
		chromedp.Click(chromedp.CSS("#play")))
	p.poll("trading", `window.sideman.state.playing && window.sideman.state.trade !== null`, 30*time.Second)

	save := func(name string, png []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Bars 1-4: a phrase on the E♭ blues scale, up and back.
	var sent int
	p.eval(playPhrase+"(1, [63, 66, 67, 70, 72, 70, 67, 66, 63, 58, 61, 63], 230)", &sent, chromedp.EvalAwaitPromise)
	p.poll("the first answer sounds", `window.sideman.stats.answers.length >= 1 && (window.sideman.now() - window.sideman.state.t0) * 1000 > 6.6 * window.sideman.state.band.bar_ms`, 30*time.Second)
	p.eval(`(() => { document.querySelector("#answers .answer li").dispatchEvent(new Event("mouseenter")); return true; })()`, new(bool))
	roll, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.ID("roll-panel")))
	if err != nil {
		t.Fatalf("the roll: %v", err)
	}
	save("roll.png", roll)
	p.eval(`(() => { document.querySelector("#answers .answer li").dispatchEvent(new Event("mouseleave")); return true; })()`, new(bool))

	// Bars 9-12: another phrase; the next answer forms as it is played.
	p.eval(playPhrase+"(9, [70, 72, 75, 72, 70, 67, 70, 63], 260)", &sent, chromedp.EvalAwaitPromise)
	p.poll("the next answer forming", `window.sideman.stats.sketches.some((s) => s.bar === 13 && s.notes > 0) && window.sideman.roll.sketch.length > 0 && window.sideman.stats.answers.length === 1`, 20*time.Second)
	p.do("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	page, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("the page: %v", err)
	}
	save("page.png", page)
	var forming string
	p.eval(`document.getElementById("forming").textContent`, &forming)
	t.Logf("the page says %q", forming)
	if !strings.Contains(forming, "13–16") {
		t.Errorf("the picture shows %q, want the answer for bars 13–16 forming", forming)
	}
	p.do("stop", chromedp.Click(chromedp.CSS("#stop")))
	both, err := stack(page, roll)
	if err != nil {
		t.Fatal(err)
	}
	save("studio.png", both)
	t.Logf("%s: %d bytes", filepath.Join(out, "studio.png"), len(both))
}

// stack puts the second picture under the first, centred on the first's
// background (its top-left pixel), as one PNG.
func stack(top, bottom []byte) ([]byte, error) {
	a, err := png.Decode(bytes.NewReader(top))
	if err != nil {
		return nil, err
	}
	b, err := png.Decode(bytes.NewReader(bottom))
	if err != nil {
		return nil, err
	}
	ab, bb := a.Bounds(), b.Bounds()
	w := max(ab.Dx(), bb.Dx())
	img := image.NewRGBA(image.Rect(0, 0, w, ab.Dy()+bb.Dy()))
	draw.Draw(img, img.Bounds(), image.NewUniform(a.At(ab.Min.X, ab.Min.Y)), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, ab.Dx(), ab.Dy()), a, ab.Min, draw.Src)
	x := (w - bb.Dx()) / 2
	draw.Draw(img, image.Rect(x, ab.Dy(), x+bb.Dx(), ab.Dy()+bb.Dy()), b, bb.Min, draw.Src)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
