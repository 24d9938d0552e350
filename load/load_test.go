package load

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
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
// note id; read without, each has ids keyed by its name: the same when
// read again, none shared with the same file read under another name.
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
		got := noteIDs(d)
		if len(got) < 4 {
			t.Fatalf("%s: %d notes", in.name, len(got))
		}
		for _, id := range got {
			if id < 100 || seen[id] {
				t.Fatalf("%s: note id %d taken already or not from the project's", in.name, id)
			}
			seen[id] = true
		}
		var alone [3][]music.NoteID
		for i, name := range []string{in.name, in.name, "elsewhere/" + in.name} {
			d, err := Bytes(name, in.data)
			if err != nil {
				t.Fatal(err)
			}
			alone[i] = noteIDs(d)
		}
		mine := map[music.NoteID]bool{}
		for _, id := range alone[0] {
			if id == 0 || mine[id] {
				t.Fatalf("%s read alone: id %d zero or given twice", in.name, id)
			}
			mine[id] = true
		}
		if !slices.Equal(alone[0], alone[1]) {
			t.Errorf("%s read alone twice: ids %v, then %v", in.name, alone[0], alone[1])
		}
		for _, id := range alone[2] {
			if mine[id] {
				t.Errorf("%s read under another name: id %d again", in.name, id)
			}
		}
	}
}

// noteIDs lists the ids of a document's notes: the tunes' written notes,
// the MIDI file's, the members'.
func noteIDs(d *Document) []music.NoteID {
	var ids []music.NoteID
	for _, c := range d.Charts {
		for _, b := range c.Bars {
			for _, n := range b.Notes {
				ids = append(ids, n.ID)
			}
		}
	}
	if d.Piece != nil {
		for _, p := range d.Piece.Parts {
			for _, n := range p.Notes {
				ids = append(ids, n.ID)
			}
		}
	}
	for _, m := range d.Members {
		if m.Piece != nil { // a member's tunes are in d.Charts already
			ids = append(ids, noteIDs(&Document{Piece: m.Piece})...)
		}
	}
	return ids
}
