package midi

import (
	"sync"
	"testing"

	"sideman/internal/shareddata"
)

// corpus is a set of MIDI files read from one of the shared archives.
type corpus struct {
	name  string
	files []string
	data  [][]byte
	bytes int64
}

// corpora lists the archives the tests read, relative to the shared data.
var corpora = []struct{ name, archive string }{
	{"pop909", "pop909/POP909-main.tar.gz"},
	{"groove", "groove-midi/groove-v1.0.0-midionly.tar.gz"},
	{"nottingham", "nottingham/nottingham-MIDI.tar.gz"},
	{"vienna4x22", "vienna4x22/vienna4x22.tar.gz"},
}

var (
	corpusMu    sync.Mutex
	corpusCache = map[string]*corpus{}
)

// loadCorpus reads every .mid member of the named corpus into memory once
// per test binary; the tests and benchmarks share it.
func loadCorpus(tb testing.TB, name string) *corpus {
	tb.Helper()
	var archive string
	for _, c := range corpora {
		if c.name == name {
			archive = c.archive
		}
	}
	path := shareddata.File(tb, archive)
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if c, ok := corpusCache[name]; ok {
		return c
	}
	ms, data, err := shareddata.ReadTarGz(path, shareddata.HasSuffix(".mid", ".midi"))
	if err != nil {
		tb.Fatal(err)
	}
	c := &corpus{name: name, data: data}
	for i, m := range ms {
		c.files = append(c.files, m.Name)
		c.bytes += int64(len(data[i]))
	}
	corpusCache[name] = c
	return c
}
