package music_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sideman/format/ireal"
	"sideman/internal/shareddata"
	"sideman/music"
)

// TestIRealCensusAgainstDecoder checks the rough iReal tokenizer of the
// chord census (corpus_test.go) against sideman/format/ireal, a full
// reader of the same playlists: every chord symbol the decoder places in a
// chart must be in the census.
func TestIRealCensusAgainstDecoder(t *testing.T) {
	var census map[string]int
	for _, cc := range music.LoadCorpusChords(t) {
		if cc.Name == "ireal-playlists" {
			census = cc.Uses
		}
	}
	files, err := filepath.Glob(filepath.Join(shareddata.Dir(t, "ireal-playlists"), "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	decoded := map[string]bool{}
	songs := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := ireal.DecodeBytes(data)
		if pl == nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range pl.Charts {
			songs++
			for _, b := range c.Bars {
				for _, at := range b.Chords {
					for _, ch := range []*music.Chord{&at.Chord, at.Alt} {
						if ch != nil && !ch.NoChord {
							decoded[ch.Symbol] = true
						}
					}
				}
			}
		}
	}
	// The decoder writes some chords itself: "W/C#" (the chord before over
	// a new bass) becomes "A-/C#", and it may respell a quality. Each such
	// symbol must sound, without its bass, like one the census found.
	type shape struct {
		root int
		pcs  uint16
	}
	known := map[shape]bool{}
	for s := range census {
		if c, err := music.ParseChord(s); err == nil && !c.NoChord {
			c.HasBass = false
			known[shape{c.Root.PitchClass(), c.PitchClasses()}] = true
		}
	}
	var missing, unexplained []string
	for s := range decoded {
		if census[s] > 0 {
			continue
		}
		missing = append(missing, s)
		c, err := music.ParseChord(s)
		if err == nil {
			c.HasBass = false
		}
		if err != nil || !known[shape{c.Root.PitchClass(), c.PitchClasses()}] {
			unexplained = append(unexplained, s)
		}
	}
	sort.Strings(unexplained)
	t.Logf("format/ireal: %d songs, %d distinct symbols; census: %d; written by the decoder, not in the text: %d",
		songs, len(decoded), len(census), len(missing))
	if len(decoded) < 1000 {
		t.Fatalf("the decoder found only %d symbols", len(decoded))
	}
	if len(unexplained) > 0 {
		t.Errorf("symbols in the decoder's charts that sound like nothing in the census: %s", strings.Join(unexplained, " "))
	}
}
