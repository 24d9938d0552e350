package quote

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestInput(t *testing.T) {
	if got, want := Input("Cmaj7"), `"Cmaj7"`; got != want {
		t.Errorf("Input(Cmaj7) = %s, want %s", got, want)
	}
	long := strings.Repeat("C7", 2<<20) // a 4 MB chord symbol
	got := Input(long)
	if len(got) > MaxInput+2+len(Ellipsis) || !strings.HasSuffix(got, Ellipsis) || !strings.HasPrefix(got, `"C7C7`) {
		t.Errorf("Input of %d bytes = %s (%d bytes), want at most %d bytes quoted and an ellipsis", len(long), got, len(got), MaxInput)
	}
	// A cut never splits a character: 39 bytes of ASCII then "é".
	s := strings.Repeat("a", MaxInput-1) + "éé"
	if q := Input(s); !utf8.ValidString(q) || strings.Contains(q, `\x`) {
		t.Errorf("Input split a character: %s", q)
	}
}

func TestLine(t *testing.T) {
	if s := "chart: line 1: unknown chord"; Line(s) != s {
		t.Errorf("Line changed a short line: %q", Line(s))
	}
	long := strings.Repeat("é", 1000)
	got := Line(long)
	if len(got) > MaxLine || !utf8.ValidString(got) || !strings.HasSuffix(got, Ellipsis) {
		t.Errorf("Line of %d bytes: %d bytes, valid %v", len(long), len(got), utf8.ValidString(got))
	}
}
