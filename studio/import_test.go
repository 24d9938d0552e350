package studio

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/project"
)

// corpusFile reads one member of a shared corpus archive.
func corpusFile(t *testing.T, archive, member string) []byte {
	t.Helper()
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, archive), func(n string) bool { return n == member })
	if err != nil || len(ms) != 1 {
		t.Fatalf("%s in %s: %v (%d found)", member, archive, err, len(ms))
	}
	return data[0]
}

// importBody is the request the page sends for a file.
func importBody(name string, data []byte, tune string) string {
	b, _ := json.Marshal(map[string]string{"name": name, "data": base64.StdEncoding.EncodeToString(data), "tune": tune})
	return string(b)
}

// importFixtures are real files nobody on the team wrote: a compressed
// MusicXML lead sheet (OpenEWLD), an ABC tune book (Nottingham) and a
// MIDI rendering of one of its tunes, with no chord symbols in it.
func importFixtures(t *testing.T) (mxl, abcBook, mid []byte) {
	t.Helper()
	mxl = corpusFile(t, "openewld/OpenEWLD.tar.gz", "OpenEWLD/dataset/A._Emmett_Adams-Douglas_Furber/The_Bells_of_St._Mary's/The_Bells_of_St._Mary's.mxl")
	abcBook, err := os.ReadFile(filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "ashover.abc"))
	if err != nil {
		t.Fatal(err)
	}
	mid = corpusFile(t, "nottingham/nottingham-MIDI.tar.gz", "nottingham-midi/MIDI/ashover1.mid")
	return mxl, abcBook, mid
}

func TestImportFiles(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	mxl, abcBook, mid := importFixtures(t)
	open := func(name string, data []byte, tune string) chartJSON {
		t.Helper()
		code, body := post(t, hs.URL+"/api/open", importBody(name, data, tune))
		if code != 200 {
			t.Fatalf("import %s: %d %s", name, code, body)
		}
		var c chartJSON
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	chords := func(c chartJSON) map[string]int {
		n := map[string]int{}
		for _, b := range c.Bars {
			for _, ch := range b.Chords {
				n[ch.Symbol]++
			}
		}
		return n
	}

	// The lead sheet: its title, chords and melody as written.
	x := open("The_Bells_of_St._Mary's.mxl", mxl, "")
	melody := 0
	for _, b := range x.Bars {
		melody += len(b.Melody)
	}
	if !strings.Contains(x.Title, "Bells") || len(x.Bars) < 16 || len(chords(x)) < 3 || melody < 32 {
		t.Errorf("MusicXML: %q, %d bars, chords %v, %d melody notes", x.Title, len(x.Bars), chords(x), melody)
	}

	// A tune of the ABC book, chosen by title: 3/4 in G, the chords its
	// first line writes.
	a := open("ashover.abc", abcBook, "A and A's Waltz")
	if a.Title != "A and A's Waltz" || a.Meter != [2]int{3, 4} || a.Key != "G major" || chords(a)["G"] == 0 || chords(a)["D"] == 0 {
		t.Errorf("ABC: %q %v %s, chords %v", a.Title, a.Meter, a.Key, chords(a))
	}
	// The book without a tune named asks for one, in one line naming it.
	if code, body := post(t, hs.URL+"/api/open", importBody("ashover.abc", abcBook, "")); code != 400 || !strings.Contains(body, "ashover.abc: holds") {
		t.Errorf("ABC book, no tune: %d %s", code, body)
	}

	// The MIDI rendering of the same tune: heard in 3/4 and G, over the
	// chords the ABC writes for most of its length, and the band plays it.
	m := open("ashover1.mid", mid, "")
	heard, on := chords(m), 0
	written := chords(a)
	for sym, n := range heard {
		if written[sym] > 0 {
			on += n
		}
	}
	total := 0
	for _, n := range heard {
		total += n
	}
	t.Logf("MIDI heard as %q %v %s, %d bars, chords %v", m.Title, m.Meter, m.Key, len(m.Bars), heard)
	if m.Title != "ashover1" || m.Meter != [2]int{3, 4} || m.Key != "G major" || len(m.Bars) < 16 || 2*on < total {
		t.Errorf("MIDI: %q %v %s, %d bars; %d of %d chords heard are the ABC's", m.Title, m.Meter, m.Key, len(m.Bars), on, total)
	}
	code, body := post(t, hs.URL+"/api/band", `{"chart": "`+m.ID+`", "seed": 1}`)
	if code != 200 {
		t.Fatalf("band over the MIDI file: %d %s", code, body)
	}
	var band struct {
		Bars  int        `json:"bars"`
		Notes []noteJSON `json:"notes"`
	}
	json.Unmarshal([]byte(body), &band)
	if band.Bars != len(m.Bars) || len(band.Notes) < 3*band.Bars {
		t.Errorf("band over the MIDI file: %d bars, %d notes", band.Bars, len(band.Notes))
	}
}

// A file that cannot be read is refused with 400 and one line naming it
// (and where it goes wrong, when the decoder says): never a 500.
func TestImportBadFiles(t *testing.T) {
	hs, _ := newStudio(t, Options{})
	_, _, mid := importFixtures(t)
	drums := corpusFile(t, "groove-midi/groove-v1.0.0-midionly.tar.gz", "groove/drummer1/eval_session/1_funk-groove1_138_beat_4-4.mid")
	for _, tc := range []struct {
		name, body, want string
	}{
		{"truncated MIDI", importBody("ashover1.mid", mid[:200], ""), "ashover1.mid: "},
		{"garbage as MIDI", importBody("noise.mid", []byte("MThd\x00\x00\x00\x06garbage garbage"), ""), "noise.mid: "},
		{"garbage as MusicXML", importBody("score.mxl", []byte("PK\x03\x04 not a zip"), ""), "score.mxl: "},
		{"drums alone", importBody("groove.mid", drums, ""), "groove.mid: no pitched notes"},
		{"not base64", `{"name": "a.mid", "data": "%%%"}`, "a.mid: data is not base64"},
		{"no bytes", `{"name": "a.mid", "data": ""}`, "a.mid: an empty file"},
		{"a file and an example", `{"name": "a.mid", "data": "TVRoZA==", "example": "blues-f"}`, "give one of"},
		{"a path is only a name", importBody("../../../etc/passwd", []byte("root:x:0:0"), ""), "passwd: "},
	} {
		code, body := post(t, hs.URL+"/api/open", tc.body)
		var e struct{ Error string }
		json.Unmarshal([]byte(body), &e)
		if code != 400 || !strings.HasPrefix(e.Error, tc.want) || strings.Contains(e.Error, "\n") || strings.Contains(e.Error, "/etc/") {
			t.Errorf("%s: %d %q, want 400 and one line starting %q", tc.name, code, e.Error, tc.want)
		}
		t.Logf("%s: %s", tc.name, e.Error)
	}
	// Over the body limit: 413, one line saying how large a file may be.
	big := importBody("big.mid", make([]byte, 800<<10), "")
	code, body := post(t, hs.URL+"/api/open", big)
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "a file to import: ") {
		t.Errorf("an 800 KiB file: %d %s, want 413 saying the largest file", code, body)
	}
	// Just under it, the file is read (and is not a MIDI file).
	code, body = post(t, hs.URL+"/api/open", importBody("big.mid", make([]byte, maxImport(DefaultLimits.Body)), ""))
	if code != 400 || !strings.Contains(body, "big.mid: ") {
		t.Errorf("a file of the largest size: %d %s, want it read and refused as not MIDI", code, body)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"tune.mid": "tune.mid", `C:\Users\me\tune.abc`: "tune.abc", "../../etc/passwd": "passwd", "": "imported", "a/..": "imported",
		"bad\x00\nname.xml": "badname.xml", strings.Repeat("x", 300) + ".mid": strings.Repeat("x", maxNameLen-4) + ".mid",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzImport reads any bytes under any of the names that pick a format
// the way the studio's import does: an error is the input's fault (bad
// input, not internal) and a chart read has bars the page can draw.
func FuzzImport(f *testing.F) {
	var buf strings.Builder
	p := &music.Piece{Parts: []music.Part{{Channel: 0, Program: -1, Notes: []music.Note{
		{Pitch: 48, Velocity: 80, Duration: 2 * music.PPQ}, {Pitch: 64, Velocity: 80, Duration: 2 * music.PPQ},
		{Pitch: 67, Velocity: 80, Start: 2 * music.PPQ, Duration: 2 * music.PPQ}, {Pitch: 71, Velocity: 80, Start: 4 * music.PPQ, Duration: music.PPQ}}}}}
	if err := midi.EncodePiece(&buf, p); err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), []byte(buf.String()))
	f.Add(uint8(1), []byte("X:1\nT:t\nM:3/4\nK:G\n\"G\"d2B|\"D7\"A3|\n"))
	f.Add(uint8(2), []byte(`<score-partwise><part-list/></score-partwise>`))
	f.Add(uint8(3), []byte("title: x\n| C | G7 |\n"))
	names := []string{"f.mid", "f.abc", "f.musicxml", "f.chart", "f.mxl", "f"}
	proj, _, _, cleanup, err := TemporaryProject(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(cleanup)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name, b, err := importedFile(names[int(which)%len(names)], base64.StdEncoding.EncodeToString(data))
		if err != nil {
			if len(data) > 0 {
				t.Fatalf("%d bytes: %v", len(data), err)
			}
			return
		}
		d, err := proj.OpenBytes(context.Background(), name, b)
		if err == nil {
			var c *music.Chart
			if c, err = d.Tune(""); err == nil {
				describe("c1", c)
				return
			}
		}
		if k := project.KindOf(err); k == project.Internal || !strings.HasPrefix(err.Error(), name+": ") {
			t.Fatalf("%s: %v (kind %v), want bad input naming the file", name, err, k)
		}
	})
}
