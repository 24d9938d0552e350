package harmony_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"sideman/harmony"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
)

// nottinghamPair is a Nottingham tune as its MIDI rendering and as its
// ABC source writes it.
type nottinghamPair struct {
	name    string // the MIDI file's name, "jigs12.mid"
	midi    []byte
	written *music.Chart
}

var midiName = regexp.MustCompile(`^nottingham-midi/MIDI/([a-z-]+)([0-9]+)\.mid$`)

// nottinghamPairs reads the Nottingham MIDI files with their ABC tunes:
// "jigs12.mid" is tune X: 12 of jigs.abc, each tune read on its own so
// that a tune that cannot be read leaves the others paired right.
func nottinghamPairs(t *testing.T) []nottinghamPair {
	t.Helper()
	arch := shareddata.File(t, "nottingham/nottingham-MIDI.tar.gz")
	abcDir := filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned")
	ms, data, err := shareddata.ReadTarGz(arch, func(n string) bool { return midiName.MatchString(n) })
	if err != nil {
		t.Fatal(err)
	}
	books := map[string]map[int][]byte{}
	var pairs []nottinghamPair
	for i, m := range ms {
		sub := midiName.FindStringSubmatch(m.Name)
		book := sub[1]
		if books[book] == nil {
			src, err := os.ReadFile(filepath.Join(abcDir, book+".abc"))
			if err != nil {
				t.Fatal(err)
			}
			books[book] = splitTunes(src)
		}
		x, _ := strconv.Atoi(sub[2])
		tune, ok := books[book][x]
		if !ok {
			continue
		}
		d, err := load.Bytes(fmt.Sprintf("%s-%d.abc", book, x), tune)
		if err != nil || len(d.Charts) != 1 {
			continue
		}
		pairs = append(pairs, nottinghamPair{filepath.Base(m.Name), data[i], d.Charts[0]})
	}
	if len(pairs) < 900 {
		t.Fatalf("paired %d Nottingham MIDI files with their ABC tunes; there are about a thousand", len(pairs))
	}
	return pairs
}

// shortFirstBar is an ABC tune that starts with a pickup: its first bar
// is shorter than the second (with a repeat sign on it or not).
func shortFirstBar(c *music.Chart) bool {
	ms := c.BarMeters()
	return len(ms) > 1 && ms[0].BarTicks() < ms[1].BarTicks()
}

// splitTunes cuts an ABC tune book into its tunes by X: number.
func splitTunes(src []byte) map[int][]byte {
	tunes := map[int][]byte{}
	x := -1
	var cur []byte
	for line := range bytes.Lines(src) {
		if bytes.HasPrefix(line, []byte("X:")) {
			if x >= 0 {
				tunes[x] = cur
			}
			x, _ = strconv.Atoi(string(bytes.TrimSpace(line[2:])))
			cur = nil
		}
		cur = append(cur, line...)
	}
	if x >= 0 {
		tunes[x] = cur
	}
	return tunes
}

// The Nottingham MIDI files heard are the chords their ABC sources
// write, beat for beat, as often for the tunes that start with a pickup
// as for the others: the pickup is heard as one and bar 1 starts on the
// first full bar.
func TestHearsNottinghamMIDIPickups(t *testing.T) {
	var with, without agreement
	tunes := [2]int{}
	for _, p := range nottinghamPairs(t) {
		d, err := load.Bytes(p.name, p.midi)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		heard, err := harmony.Chart(d.Piece)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if shortFirstBar(p.written) {
			with.add(p.written, heard)
			tunes[1]++
		} else {
			without.add(p.written, heard)
			tunes[0]++
		}
	}
	rw, rwo := float64(with.root)/float64(with.beats), float64(without.root)/float64(without.beats)
	t.Logf("with a pickup: %d tunes, %d beats, root right %.1f%%, root and third %.1f%%", tunes[1], with.beats, 100*rw, 100*float64(with.third)/float64(with.beats))
	t.Logf("without: %d tunes, %d beats, root right %.1f%%, root and third %.1f%%", tunes[0], without.beats, 100*rwo, 100*float64(without.third)/float64(without.beats))
}

func TestDebugPair(t *testing.T) {
	want := os.Getenv("PAIR")
	if want == "" {
		t.Skip()
	}
	for _, p := range nottinghamPairs(t) {
		if p.name != want {
			continue
		}
		d, _ := load.Bytes(p.name, p.midi)
		heard, _ := harmony.Chart(d.Piece)
		show := func(c *music.Chart) {
			for _, s := range music.Spans(c.Unroll(1)) {
				fmt.Printf("%d:%s ", s.Start/music.PPQ, s.Chord)
			}
			fmt.Println()
		}
		fmt.Println(p.written.Pickup(), p.written.BarMeters()[:3], d.Piece.Meters)
		show(p.written)
		show(heard)
	}
}
