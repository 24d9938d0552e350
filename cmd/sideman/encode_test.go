package main

import (
	"os"
	"path/filepath"
	"testing"
)

// What an output format cannot write of the music is the input's, not
// sideman's: a chord a sixty-fourth into the bar, which no .chart grid
// of 32 slots holds, is refused in one line naming the input, exit 2 (it
// was reported as an internal error, exit 1). The other formats write it.
func TestConvertRefusesWhatTheFormatCannotWrite(t *testing.T) {
	dir := t.TempDir()
	abc := filepath.Join(dir, "grace.abc")
	os.WriteFile(abc, []byte("X:1\nT:Grace\nM:4/4\nL:1/8\nK:C\n\"C\"C/8\"F\"D15/8 F2 G2 A2 | \"G\"G8 |\n"), 0o644)
	refusedInOneLine(t, []string{"convert", abc, "-o", filepath.Join(dir, "grace.chart")}, "grace.abc: ", "32 slots")
	if _, err := os.Stat(filepath.Join(dir, "grace.chart")); err == nil {
		t.Error("a refused conversion left a file")
	}
	for _, out := range []string{"grace.musicxml", "grace.abc2.abc", "grace.mid"} {
		if status, _, errs := sideman(t, "convert", abc, "-o", filepath.Join(dir, out)); status != 0 {
			t.Errorf("convert to %s: status %d: %s", out, status, errs)
		}
	}
}
