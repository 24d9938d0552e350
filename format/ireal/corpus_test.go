package ireal

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
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
	dir := shareddata.Dir(tb, "ireal-playlists")
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
	p, err := DecodeBytes(corpus(tb)[file])
	if err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	return p
}

// customOddities are the chords of the corpus whose custom text (iReal
// Pro's "*...*", printed in place of the quality) is no chord quality;
// they are read as the chord without it.
var customOddities = []string{
	`dixieland1.txt "Big Chief Battle Axe": B*..........*`,
}

// TestCorpus decodes every song of the five playlists and checks that
// every chord symbol in them parses.
func TestCorpus(t *testing.T) {
	var odd []string
	total := 0
	for _, pl := range playlists {
		p := decodeCorpus(t, pl.file)
		if len(p.Charts) != pl.songs {
			t.Errorf("%s: %d charts, want %d", pl.file, len(p.Charts), pl.songs)
		}
		bars, chords, alts := 0, 0, 0
		for _, c := range p.Charts {
			bars += len(c.Bars)
			for _, b := range c.Bars {
				chords += len(b.Chords)
				for _, ca := range b.Chords {
					if ca.Alt != nil {
						alts++
					}
				}
			}
		}
		total += chords
		t.Logf("%-15s %q: %d songs, %d bars, %d chords, %d alternates", pl.file, p.Name, len(p.Charts), bars, chords, alts)

		// Custom text that is no quality leaves the chord without it.
		text, _, err := findLink(corpus(t)[pl.file])
		if err != nil {
			t.Fatal(err)
		}
		text, err = url.PathUnescape(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, song := range strings.Split(text, "===") {
			f := strings.Split(song, "=")
			if len(f) <= fMusic || !strings.HasPrefix(f[fMusic], musicPrefix) {
				continue
			}
			toks, err := lex(expand(scramble(f[fMusic][len(musicPrefix):])))
			if err != nil {
				t.Fatalf("%s %q: %v", pl.file, f[0], err)
			}
			for _, tk := range toks {
				if tk.kind != tokChord || tk.custom == "" {
					continue
				}
				if _, err := music.ParseChord(tk.root + tk.custom); err != nil {
					odd = append(odd, fmt.Sprintf("%s %q: %s", pl.file, f[0], tk.text))
				}
			}
		}
	}
	if !slices.Equal(odd, customOddities) {
		t.Errorf("chords with custom text that is no quality:\n got %q\nwant %q", odd, customOddities)
	}
	if frac := float64(len(odd)) / float64(total); frac >= 0.001 {
		t.Errorf("%d of %d chords are oddities, want under 0.1%%", len(odd), total)
	}
}
