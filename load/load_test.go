package load

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"x.mid", "", FormatMIDI},
		{"noext", "MThd\x00\x00\x00\x06", FormatMIDI},
		{"x.chart", "", FormatChart},
		{"tunes.abc", "", FormatABC},
		{"noext", "%abc\nX:1\nT:x\nK:G\nGAB|", FormatABC},
		{"song.mxl", "", FormatMusicXML},
		{"noext", "<?xml version=\"1.0\"?>\n<score-partwise version=\"4.0\">", FormatMusicXML},
		{"playlist.txt", "<a href=\"irealb://x=y\">", FormatIReal},
		{"tune.ls", "", FormatLS},
		{"chorale.krn", "", FormatKern},
		{"noext", "**kern\t**kern\n", FormatKern},
		{"book.json", "", FormatJazzStd},
		{"noext", "| C | G7 |", ""},
	} {
		if got := Detect(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", tc.name, tc.data, got, tc.want)
		}
	}
}

func TestBadInputIsInputError(t *testing.T) {
	_, err := Bytes("x.mid", []byte("MThd"))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Name != "x.mid" {
		t.Fatalf("error %v", err)
	}
	if _, err := Open("/nonexistent/file.chart"); !errors.As(err, &ie) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestExtractLink(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"irealb://'S%20Wonderful=x\n", "irealb://'S%20Wonderful=x"},
		{`<a href="irealb://A=B">x</a>`, "irealb://A=B"},
		{"see irealbook://T=C=D here", "irealbook://T=C=D"},
	} {
		if got := string(extractLink([]byte(tc.in))); got != tc.want {
			t.Errorf("extractLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every iReal playlist opens through load with all its tunes (the first
// tune of dixieland1.txt starts with an apostrophe).
func TestOpenPlaylists(t *testing.T) {
	dir := shareddata.Dir(t, "ireal-playlists")
	for name, want := range map[string]int{"jazz1460.txt": 1460, "blues50.txt": 54, "country.txt": 50, "dixieland1.txt": 233, "pop400.txt": 403} {
		d, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Charts) != want || len(d.Warnings) != 0 {
			t.Errorf("%s: %d tunes, %d warnings; want %d tunes", name, len(d.Charts), len(d.Warnings), want)
		}
	}
}

// Read with a project's IDs, two lead sheets and a MIDI file share no
// note id; read without, each numbers its notes from 1.
func TestOptionsIDs(t *testing.T) {
	abc := []byte("X:1\nT:Scale\nM:4/4\nL:1/4\nK:C\n|: CDEF | GABc :|\n")
	mid, err := os.ReadFile("../format/midi/testdata/format1.mid")
	if err != nil {
		t.Fatal(err)
	}
	ids := music.NewIDs(100)
	seen := map[music.NoteID]bool{}
	for _, in := range []struct {
		name string
		data []byte
	}{{"a.abc", abc}, {"b.abc", abc}, {"c.mid", mid}} {
		d, err := Options{IDs: ids}.Bytes(in.name, in.data)
		if err != nil {
			t.Fatal(err)
		}
		var notes []music.Note
		for _, c := range d.Charts {
			for _, b := range c.Bars {
				notes = append(notes, b.Notes...)
			}
		}
		if d.Piece != nil {
			for _, p := range d.Piece.Parts {
				notes = append(notes, p.Notes...)
			}
		}
		if len(notes) < 4 {
			t.Fatalf("%s: %d notes", in.name, len(notes))
		}
		for _, n := range notes {
			if n.ID < 100 || seen[n.ID] {
				t.Fatalf("%s: note id %d taken already or not from the project's", in.name, n.ID)
			}
			seen[n.ID] = true
		}
		plain, err := Bytes(in.name, in.data)
		if err != nil {
			t.Fatal(err)
		}
		if len(plain.Charts) > 0 && plain.Charts[0].MaxID() != 8 {
			t.Errorf("%s read alone: written ids up to %d, want 1 to 8", in.name, plain.Charts[0].MaxID())
		}
	}
}
