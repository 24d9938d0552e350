package comp

import "testing"

// Every built-in vocabulary's rhythms read (they are read when a player
// is hired, not at start-up), in the vocabulary's beats.
func TestVocabulariesRead(t *testing.T) {
	for _, vs := range []map[string]vocabulary{vocabularies, guitarVocabularies} {
		for name, v := range vs {
			cells, err := parseCells(v.rhythms, v.beats)
			if err != nil || len(cells) == 0 {
				t.Errorf("%s: %d cells, %v", name, len(cells), err)
			}
			if got := cellsOf(v); len(got) != len(cells) {
				t.Errorf("%s: cellsOf gives %d cells, want %d", name, len(got), len(cells))
			}
		}
	}
}
