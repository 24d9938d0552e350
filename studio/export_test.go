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
	"strconv"
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
	c := openExample(t, hs.URL, "blues-f")
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

// A band exported as MusicXML after a person's edit and choice: the score
// has the bars as played with their chord symbols, the band's notes on
// the grid where it wrote them, the edited note as the person left it,
// the chosen alternative in place of the notes it replaced; MuseScore 3
// reads it.
func TestExportMusicXMLBand(t *testing.T) {
	hs, s := newStudio(t, Options{})
	notes := bandNotes(t, hs.URL) // blues-f at 120 bpm: 2000 ms a bar
	var edit noteJSON
	for _, m := range notes {
		if m.Part == "Bass" && m.StartMS >= 4000 && m.StartMS < 6000 {
			edit = m
			break
		}
	}
	if code, body := post(t, hs.URL+"/api/edit", `{"id": "`+edit.ID+`", "pitch": `+itoa(int(edit.Pitch)-1)+`}`); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	code, body := post(t, hs.URL+"/api/alternatives", `{"part": "Bass", "from_bar": 7, "to_bar": 7, "k": 2, "seed": 1}`)
	if code != 200 {
		t.Fatalf("alternatives: %d %s", code, body)
	}
	var alts struct {
		Candidates []alternativeJSON `json:"candidates"`
	}
	json.Unmarshal([]byte(body), &alts)
	if code, body := post(t, hs.URL+"/api/alternatives/choose", `{"choice": 1}`); code != 200 {
		t.Fatalf("choose: %d %s", code, body)
	}
	var chosen []int
	for _, n := range alts.Candidates[1].Notes {
		chosen = append(chosen, int(n.Pitch))
	}

	res, err := http.Get(hs.URL + "/api/export?format=musicxml")
	if err != nil {
		t.Fatal(err)
	}
	xml, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("export: %d %s", res.StatusCode, xml)
	}
	ch, err := musicxml.Decode(bytes.NewReader(xml))
	if err != nil {
		t.Fatalf("our reader: %v", err)
	}
	bass := slices.IndexFunc(ch.Parts, func(p music.Part) bool { return p.Name == "Bass" })
	if bass < 0 || len(ch.Bars) != 12 {
		t.Fatalf("the score: parts %v, %d bars; want the band's, the 12 bars played", partNames(ch.Parts), len(ch.Bars))
	}
	// The band's bass as it wrote it, bar by bar.
	s.mu.Lock()
	grid := s.score.Piece
	s.mu.Unlock()
	gi := slices.IndexFunc(grid.Parts, func(p music.Part) bool { return p.Name == "Bass" })
	bar := music.Meter{Num: 4, Den: 4}.BarTicks()
	type hit struct {
		pitch int
		at    music.Ticks // in its bar
	}
	wrote := make([][]hit, 12)
	for _, n := range grid.Parts[gi].Notes {
		wrote[n.Start/bar] = append(wrote[n.Start/bar], hit{int(n.Pitch), n.Start % bar})
	}
	for i, b := range ch.Bars {
		if len(b.Chords) == 0 {
			t.Errorf("bar %d has no chord symbol", i+1)
		}
		var got []hit
		for _, n := range b.Notes {
			if int(n.Part) == bass {
				got = append(got, hit{int(n.Pitch), n.Start})
			}
		}
		switch i + 1 {
		case 3: // the edited note as the person left it, the others on the grid
			if !slices.ContainsFunc(got, func(h hit) bool { return h.pitch == int(edit.Pitch)-1 }) || len(got) != len(wrote[i]) {
				t.Errorf("bar 3's bass %v, want the band's %v with the edited note %d", got, wrote[i], edit.Pitch-1)
			}
		case 7: // the alternative chosen, in place of the notes it varied
			// (those that sounded in bar 7: one the feel played early
			// sounded in bar 6, and stays)
			want := slices.Clone(chosen)
			for _, n := range grid.Parts[gi].Notes {
				if n.Start/bar == 6 && !slices.ContainsFunc(alts.Candidates[0].Notes, func(m noteJSON) bool { return m.ID == strconv.FormatUint(uint64(n.ID), 10) }) {
					want = append(want, int(n.Pitch))
				}
			}
			var ps []int
			for _, h := range got {
				ps = append(ps, h.pitch)
			}
			slices.Sort(ps)
			slices.Sort(want)
			if !slices.Equal(ps, want) || slices.Equal(got, wrote[i]) {
				t.Errorf("bar 7's bass %v, want the alternative chosen %v and the band's notes it did not vary, in place of the band's %v", got, chosen, wrote[i])
			}
		default:
			if !slices.Equal(got, wrote[i]) {
				t.Errorf("bar %d's bass %v, the band wrote %v", i+1, got, wrote[i])
			}
		}
	}

	ms := musescore(t)
	dir := t.TempDir()
	score, out := filepath.Join(dir, "band.musicxml"), filepath.Join(dir, "band.mid")
	os.WriteFile(score, xml, 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ms, "-o", out, score)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(ms), err, b)
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
	var ours []int
	for _, b := range ch.Bars {
		for _, n := range b.Notes {
			if int(n.Part) == bass {
				ours = append(ours, int(n.Pitch))
			}
		}
	}
	if !slices.ContainsFunc(p.Parts, func(pt music.Part) bool {
		var ps []int
		for _, n := range pt.Notes {
			ps = append(ps, int(n.Pitch))
		}
		return slices.Equal(ps, ours)
	}) {
		t.Errorf("MuseScore plays no part as the score's bass %v", ours)
	}
}
