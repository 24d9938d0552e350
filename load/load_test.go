package load

import (
	"errors"
	"path/filepath"
	"testing"

	"sideman/internal/shareddata"
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
