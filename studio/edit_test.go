package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"sideman/authorship"
	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/provenance/c2pa"
)

// bandNotes opens blues-f and plays the band at 120 bpm, returning its
// notes as the page has them.
func bandNotes(t *testing.T, url string) []noteJSON {
	t.Helper()
	c := openExample(t, url, "blues-f")
	code, body := post(t, url+"/api/band", `{"chart": "`+c.ID+`", "tempo": 120, "seed": 5}`)
	if code != 200 {
		t.Fatalf("band: %d %s", code, body)
	}
	var band struct{ Notes []noteJSON }
	json.Unmarshal([]byte(body), &band)
	if len(band.Notes) == 0 {
		t.Fatal("the band played nothing")
	}
	return band.Notes
}

// A machine note dragged up a whole tone and half a beat later becomes
// M+h, in the page's answer and in the ledger (a humanEdits modify with
// the pitch and start fields); the exported MIDI file has it there; the
// ledger verifies; bad edits are refused with one line.
func TestEditNote(t *testing.T) {
	hs, s := newStudio(t, Options{})
	notes := bandNotes(t, hs.URL)
	var n noteJSON
	for _, m := range notes {
		if m.Part == "Bass" || n.ID == "" {
			n = m
		}
		if m.Part == "Bass" {
			break
		}
	}
	if n.Class != "M" {
		t.Fatalf("the band's note is %s, want M", n.Class)
	}
	// At 120 bpm a beat is 500 ms, 960 ticks: 250 ms later is 480 ticks.
	code, body := post(t, hs.URL+"/api/edit", `{"id": "`+n.ID+`", "pitch": `+itoa(int(n.Pitch)+2)+`, "start_ms": `+ftoa(n.StartMS+250)+`}`)
	if code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	var got struct {
		noteJSON
		Fields []string
	}
	json.Unmarshal([]byte(body), &got)
	if got.Class != "M+h" || got.Pitch != n.Pitch+2 || got.StartMS < n.StartMS+249 || got.StartMS > n.StartMS+251 ||
		got.DurMS < n.DurMS-1 || got.DurMS > n.DurMS+1 || strings.Join(got.Fields, ",") != "start,pitch" {
		t.Errorf("edited %+v into %s", n, body)
	}
	// The ledger tells the note as the person left it: M+h, its pitch and
	// start changed, half a beat (480 ticks) later than the band put it.
	in, _, err := s.proj.AuthorshipInput(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rec *authorship.Note
	for i := range in.Notes {
		if strconv.FormatUint(uint64(in.Notes[i].ID), 10) == n.ID {
			rec = &in.Notes[i]
		}
	}
	if rec == nil || rec.Class != "M+h" || rec.Pitch != n.Pitch+2 || strings.Join(rec.Changed, ",") != "start,pitch" {
		t.Fatalf("the ledger has the note as %+v", rec)
	}
	tick := rec.Start
	if d := tick - music.Ticks(n.StartMS/500*music.PPQ+0.5); d != music.PPQ/2 {
		t.Errorf("moved %d ticks, want %d", d, music.PPQ/2)
	}
	// The export has the note where the person put it.
	res, err := http.Get(hs.URL + "/api/export?format=mid")
	if err != nil {
		t.Fatal(err)
	}
	p, err := midi.DecodePiece(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, part := range p.Parts {
		for _, m := range part.Notes {
			found = found || (m.Pitch == n.Pitch+2 && m.Start == tick)
		}
	}
	if !found {
		t.Errorf("the exported file has no pitch %d at tick %d", n.Pitch+2, tick)
	}
	if _, body := get(t, hs.URL+"/api/ledger/verify", nil); !strings.Contains(body, `"ok":true`) {
		t.Errorf("verify: %s", body)
	}
	for _, bad := range []string{
		`{"id": "` + n.ID + `", "pitch": 128}`,
		`{"id": "` + n.ID + `", "pitch": ` + itoa(int(n.Pitch)+2) + `}`, // changes nothing
		`{"id": "nope", "pitch": 60}`,
		`{"id": "` + n.ID + `", "start_ms": -5}`,
		`{"id": "` + n.ID + `", "path": "/etc/passwd"}`,
	} {
		if code, body := post(t, hs.URL+"/api/edit", bad); code != http.StatusBadRequest || strings.Count(body, "\n") != 1 {
			t.Errorf("%s: %d %s, want 400 and one line", bad, code, body)
		}
	}
	if code, body := post(t, hs.URL+"/api/edit", `{"id": "999999999", "pitch": 60}`); code != http.StatusNotFound {
		t.Errorf("an unknown note: %d %s, want 404", code, body)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func ftoa(f float64) string { b, _ := json.Marshal(f); return string(b) }

// checkManifest reads the C2PA manifest a studio's WAV export carries:
// signed, with sideman's authorship assertion counting the band's notes
// as the machine's, mh of them changed by a person (M+h).
func checkManifest(t *testing.T, wav []byte, mh int) {
	t.Helper()
	m, err := c2pa.Read(bytes.NewReader(wav))
	if err != nil {
		t.Fatalf("the WAV's C2PA manifest: %v", err)
	}
	if m.Authorship == nil || m.Authorship.HeadHash == "" {
		t.Fatalf("the manifest has no authorship assertion: %+v", m)
	}
	c := m.Authorship.Counts
	if c.M < 48 || c.MH != mh || c.H != 0 {
		t.Errorf("the manifest counts %+v, want the band's notes M and %d M+h", c, mh)
	}
}

// The WAV export of a band with one note edited carries a manifest
// counting it M+h; the report export is the project's authorship report
// in HTML, naming the edit.
func TestExportSignedAndReport(t *testing.T) {
	const timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"
	if _, err := os.Stat(timGM6mb); err != nil {
		msg := "no " + timGM6mb + " (apt-get install timgm6mb-soundfont)"
		if shareddata.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg + "; skipping (set " + shareddata.EnvRequire + "=1 to fail instead)")
	}
	hs, _ := newStudio(t, Options{SoundFont: timGM6mb})
	notes := bandNotes(t, hs.URL)
	n := notes[0]
	if code, body := post(t, hs.URL+"/api/edit", `{"id": "`+n.ID+`", "velocity": `+itoa(int(n.Velocity)/2+1)+`}`); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	res, err := http.Get(hs.URL + "/api/export?format=wav")
	if err != nil {
		t.Fatal(err)
	}
	wav, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("wav: %d %s", res.StatusCode, wav[:min(len(wav), 200)])
	}
	checkManifest(t, wav, 1)
	code, body := get(t, hs.URL+"/api/export?format=report", nil)
	if code != 200 || !strings.HasPrefix(strings.TrimSpace(body), "<!") || !strings.Contains(body, "M+h") {
		t.Errorf("report: %d %.300s", code, body)
	}
	if _, body := get(t, hs.URL+"/api/ledger/verify", nil); !strings.Contains(body, `"ok":true`) {
		t.Errorf("verify: %s", body)
	}
}
