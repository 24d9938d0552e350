package ireal

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"sideman/internal/testdata"
)

// playlists are the five iReal Pro forum playlists in the shared corpus,
// with the number of songs each holds.
var playlists = []struct {
	file  string
	songs int
}{
	{"jazz1460.txt", 1460},
	{"blues50.txt", 54},
	{"country.txt", 50},
	{"dixieland1.txt", 233},
	{"pop400.txt", 403},
}

var (
	corpusOnce sync.Once
	corpusData map[string][]byte
	corpusErr  error
)

// corpus reads the playlists once per test binary.
func corpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := testdata.Dir(tb, "ireal-playlists")
	corpusOnce.Do(func() {
		corpusData = map[string][]byte{}
		for _, p := range playlists {
			b, err := os.ReadFile(filepath.Join(dir, p.file))
			if err != nil {
				corpusErr = err
				return
			}
			corpusData[p.file] = b
		}
	})
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	return corpusData
}

// decodeCorpus decodes one playlist, failing the test on any error.
func decodeCorpus(tb testing.TB, file string) *Playlist {
	tb.Helper()
	p, err := DecodeString(string(corpus(tb)[file]))
	if err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	return p
}
