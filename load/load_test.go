package load

import (
	"errors"
	"testing"
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
