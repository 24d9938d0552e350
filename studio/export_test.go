package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/internal/shareddata"
	"sideman/music"
)

// musescore is MuseScore 3's command (Debian's musescore3), skipping, or
// failing under SIDEMAN_REQUIRE_DATA=1, without it.
func musescore(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"mscore3", "musescore3"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "MuseScore 3 (mscore3) not found; install Debian's musescore3"
	if shareddata.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// exportAfterTrade waits for the trade a closed websocket played to be
// recorded (the session finishes after its connection closes), then
// exports it in format.
func exportAfterTrade(t *testing.T, url, format string) []byte {
	t.Helper()
	for range 200 {
		res, err := http.Get(url + "/api/export?format=" + format)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == 200 {
			return b
		}
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("export %s: %d %s", format, res.StatusCode, b)
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("export %s: the trade was never recorded", format)
	return nil
}

// A trade exported as MusicXML: our reader reads it back with the
// sideman's answer in bars 5-8, its pitches in order, each within a
// sixteenth of where it sounded (the score puts notes on sixteenths or
// triplets); MuseScore 3 opens it and plays it back as MIDI with the
// same pitches; the export is recorded in the ledger, which verifies.
func TestExportMusicXML(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	_, body := post(t, hs.URL+"/api/open", `{"example": "blues-f"}`)
	var c chartJSON
	json.Unmarshal([]byte(body), &c)
	lick := []int{65, 68, 69, 72, 75, 74, 72, 69, 70, 69, 65, 63, 65}
	answer := tradeOnce(t, hs, c.ID, 1, lick)
	if answer == nil {
		t.FailNow()
	}
	type note struct {
		pitch int
		tick  music.Ticks // from bar 1
	}
	const beatMS = 300.0 // 200 bpm
	var want []note
	for _, n := range answer["notes"].([]any) {
		n := n.(map[string]any)
		want = append(want, note{int(n["pitch"].(float64)), music.Ticks(math.Round(n["start_ms"].(float64) / beatMS * music.PPQ))})
	}
	if len(want) < 2 {
		t.Fatalf("the answer has %d notes", len(want))
	}
	_, before := get(t, hs.URL+"/api/ledger/verify", nil)
	xml := exportAfterTrade(t, hs.URL, "musicxml")
	dir := t.TempDir()
	score := filepath.Join(dir, "trade.musicxml")
	os.WriteFile(score, xml, 0o644)
	if d := os.Getenv("SIDEMAN_KEEP"); d != "" {
		os.WriteFile(filepath.Join(d, "trade.musicxml"), xml, 0o644)
	}

	ch, err := musicxml.Decode(bytes.NewReader(xml))
	if err != nil {
		t.Fatalf("our reader: %v\n%.400s", err, xml)
	}
	part := slices.IndexFunc(ch.Parts, func(p music.Part) bool { return p.Name == "Sideman" })
	if part < 0 || len(ch.Parts) != 2 {
		t.Fatalf("the score's parts %v, want the player's and the sideman's", partNames(ch.Parts))
	}
	var got []note
	bar := music.Meter{Num: 4, Den: 4}.BarTicks()
	for i, b := range ch.Bars {
		for _, n := range b.Notes {
			if int(n.Part) == part {
				got = append(got, note{int(n.Pitch), music.Ticks(i)*bar + n.Start})
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the score's sideman part has %d notes %v, the answer %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if d := got[i].tick - want[i].tick; got[i].pitch != want[i].pitch || d < -music.PPQ/8 || d > music.PPQ/8 ||
			got[i].tick < 4*bar || got[i].tick >= 8*bar {
			t.Errorf("the score's note %d: pitch %d at tick %d; the answer's: %d at %d (bars 5-8: ticks %d to %d)",
				i, got[i].pitch, got[i].tick, want[i].pitch, want[i].tick, 4*bar, 8*bar)
		}
	}

	// MuseScore reads the score and plays it back.
	ms := musescore(t)
	out := filepath.Join(dir, "musescore.mid")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ms, "-o", out, score)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s -o %s: %v\n%s", filepath.Base(ms), filepath.Base(out), err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := midi.DecodePiece(f)
	if err != nil {
		t.Fatalf("MuseScore's MIDI: %v", err)
	}
	var heard [][]int
	for _, pt := range p.Parts {
		var ps []int
		for _, n := range pt.Notes {
			ps = append(ps, int(n.Pitch))
		}
		heard = append(heard, ps)
	}
	var answerPitches []int
	for _, n := range want {
		answerPitches = append(answerPitches, n.pitch)
	}
	if !slices.ContainsFunc(heard, func(ps []int) bool { return slices.Equal(ps, answerPitches) }) {
		t.Errorf("MuseScore plays the score's parts as %v; none is the answer %v", heard, answerPitches)
	}
	t.Logf("the answer %v in bars 5-8 of the score; MuseScore plays %d parts back", answerPitches, len(heard))

	if _, after := get(t, hs.URL+"/api/ledger/verify", nil); after == before || !strings.Contains(after, `"ok":true`) {
		t.Errorf("the export was not recorded, or the ledger does not verify: %s before, %s after", before, after)
	}
}

func partNames(ps []music.Part) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Name)
	}
	return s
}
