package studio_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sideman/internal/shareddata"
)

// corpusMember reads one member of a shared corpus archive.
func corpusMember(t *testing.T, archive, member string) []byte {
	t.Helper()
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, archive), func(n string) bool { return n == member })
	if err != nil || len(ms) != 1 {
		t.Fatalf("%s in %s: %v (%d found)", member, archive, err, len(ms))
	}
	return data[0]
}

// TestStudioImportInBrowser imports files through the page's file input
// as a musician would (real files nobody on the team wrote): an OpenEWLD
// MusicXML lead sheet, a Nottingham MIDI rendering with no chord symbols
// (played over the chords the server hears in it), a broken MIDI file
// (the server's one line shown in the page), a Nottingham ABC tune book
// (a tune chosen by title) and a tune dropped on the page.
func TestStudioImportInBrowser(t *testing.T) {
	chromiumPath(t)
	vendored(t)
	url := realStudio(t)
	art := artifactsDir(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mxl := write("The_Bells_of_St._Mary's.mxl", corpusMember(t, "openewld/OpenEWLD.tar.gz",
		"OpenEWLD/dataset/A._Emmett_Adams-Douglas_Furber/The_Bells_of_St._Mary's/The_Bells_of_St._Mary's.mxl"))
	midData := corpusMember(t, "nottingham/nottingham-MIDI.tar.gz", "nottingham-midi/MIDI/ashover1.mid")
	mid := write("ashover1.mid", midData)
	broken := write("broken.mid", midData[:200])
	book, err := os.ReadFile(filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "ashover.abc"))
	if err != nil {
		t.Fatal(err)
	}
	abc := write("ashover.abc", book)

	p := openPage(t, url, art, 120*time.Second)
	p.poll("the page is ready", `document.querySelector('#example option') !== null`, 10*time.Second)
	upload := func(what, path string) {
		t.Helper()
		p.do("import "+what, chromedp.SetUploadFiles(chromedp.CSS("#chart-file"), []string{path}))
	}
	type seen struct {
		Title   string   `json:"title"`
		Heading string   `json:"heading"`
		Bars    int      `json:"bars"`
		Chords  []string `json:"chords"`
		Drawn   int      `json:"drawn"`
		Heads   int      `json:"heads"`
		Message string   `json:"message"`
		Error   bool     `json:"error"`
	}
	look := func() seen {
		t.Helper()
		var s seen
		p.eval(`(() => { const c = window.sideman.state.chart, m = document.getElementById("message");
		  return { title: c ? c.title : "", heading: document.getElementById("chart-title").textContent, bars: c ? c.bars.length : 0,
		    chords: c ? c.bars.flatMap((b) => b.chords.map((x) => x.symbol)) : [],
		    drawn: document.querySelectorAll("#leadsheet .ls-chord").length,
		    heads: document.querySelectorAll("#leadsheet .ls-head-filled, #leadsheet .ls-head-hollow").length,
		    message: m.textContent, error: m.classList.contains("error") }; })()`, &s)
		return s
	}

	// 1. A MusicXML lead sheet: its title, bars, chords and melody drawn.
	upload("MusicXML", mxl)
	p.poll("the MusicXML opens", `(window.sideman.state.chart || {}).title?.includes("Bells")`, 15*time.Second)
	x := look()
	if !strings.Contains(x.Heading, "Bells") || !strings.Contains(x.Heading, "bars") || x.Bars < 16 || x.Drawn < 16 || x.Heads < 32 {
		t.Errorf("MusicXML in the page: %+v", x)
	}
	p.eval(`document.getElementById("sheet-panel").scrollIntoView(), true`, new(bool))
	p.shot("import-musicxml")

	// 2. A MIDI file: a chart of the chords heard in it; play, and the
	// band plays it.
	upload("MIDI", mid)
	p.poll("the MIDI file opens", `(window.sideman.state.chart || {}).title === "ashover1"`, 15*time.Second)
	m := look()
	if m.Bars < 16 || len(m.Chords) < 8 || !strings.Contains(m.Heading, "3/4") || m.Drawn < len(m.Chords) {
		t.Errorf("MIDI in the page: %+v", m)
	}
	p.eval(`window.scrollTo(0, 0), true`, new(bool))
	p.do("play", chromedp.Click(chromedp.CSS("#play")))
	p.poll("the band plays the MIDI file's chords", `window.sideman.state.playing && window.sideman.state.band && window.sideman.state.band.notes.length > 0`, 30*time.Second)
	var band struct {
		Notes   int `json:"notes"`
		Machine int `json:"machine"`
		Bars    int `json:"bars"`
	}
	p.eval(`(() => { const b = window.sideman.state.band; return { notes: b.notes.length, machine: b.notes.filter((n) => n.class === "M").length, bars: new Set(b.notes.map((n) => Math.floor(n.start_ms / b.bar_ms))).size }; })()`, &band)
	t.Logf("MIDI heard as %d bars, chords %v; the band plays %d notes in %d bars", m.Bars, m.Chords, band.Notes, band.Bars)
	if band.Notes < 3*m.Bars || band.Machine != band.Notes || band.Bars < m.Bars {
		t.Errorf("band over the imported MIDI: %+v for %d bars", band, m.Bars)
	}
	var level float64
	p.eval(`(async () => { let m = 0; const t = performance.now(); while (performance.now() - t < 2500) { m = Math.max(m, window.sideman.level()); await new Promise((r) => setTimeout(r, 20)); } return m; })()`,
		&level, chromedp.EvalAwaitPromise)
	if level < 0.005 {
		t.Errorf("no sound from the band over the MIDI file: loudest RMS %.5f", level)
	}
	p.shot("import-midi-playing")
	p.do("stop", chromedp.Click(chromedp.CSS("#stop")))

	// 3. A broken MIDI file: the server's one line, in the page, naming it;
	// the tune open before stays open.
	upload("a broken MIDI file", broken)
	p.poll("the error shows", `document.getElementById("message").classList.contains("error")`, 15*time.Second)
	b := look()
	if !strings.HasPrefix(b.Message, "broken.mid: ") || !strings.Contains(b.Message, "byte") || b.Title != "ashover1" {
		t.Errorf("broken file: message %q (error %v), tune %q", b.Message, b.Error, b.Title)
	}
	p.shot("import-broken")

	// 4. A tune book: the page asks which tune, and opens the one named.
	upload("an ABC tune book", abc)
	p.poll("the tune chooser shows", `!document.getElementById("import-tune-row").hidden`, 15*time.Second)
	p.do("choose a tune", chromedp.SetValue(chromedp.CSS("#import-tune"), "A and A's Waltz"), chromedp.Click(chromedp.CSS("#import-open")))
	p.poll("the tune opens", `(window.sideman.state.chart || {}).title === "A and A's Waltz"`, 15*time.Second)
	a := look()
	if a.Bars < 8 || a.Error || !strings.Contains(a.Heading, "G major") {
		t.Errorf("ABC tune: %+v", a)
	}
	p.shot("import-abc-tune")

	// 5. A file dropped on the page: the tune's text alone, as a file.
	tune, _, _ := strings.Cut(string(book), "\nX: 2")
	js, _ := json.Marshal(tune)
	var dropping bool
	p.eval(`(() => { const dt = new DataTransfer(); dt.items.add(new File([`+string(js)+`], "waltz.abc"));
	  document.getElementById("roll").dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
	  const dropping = document.body.classList.contains("dropping");
	  document.getElementById("roll").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
	  window.sideman.state.chart = null; return dropping; })()`, &dropping)
	if !dropping {
		t.Error("the page did not show it takes a dragged file")
	}
	p.poll("the dropped tune opens", `(window.sideman.state.chart || {}).title === "A and A's Waltz"`, 15*time.Second)
	p.shot("import-dropped")
}
