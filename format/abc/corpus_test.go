package abc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

// corpusTune is one tune of the Nottingham Music Database as written.
type corpusTune struct {
	file string // base name of the .abc file
	t    tuneText
}

func (ct corpusTune) id() string { return ct.file + " X:" + ct.t.x }

// nottingham reads the tunes of the Nottingham ABC files (skipping when
// the corpus is missing) and the bytes of each file.
func nottingham(tb testing.TB) ([]corpusTune, map[string][]byte) {
	tb.Helper()
	dir := nottinghamDir(tb)
	paths, err := filepath.Glob(filepath.Join(dir, "*.abc"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no .abc files in %s: %v", dir, err)
	}
	var tunes []corpusTune
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		name := filepath.Base(p)
		files[name] = data
		f := splitFile(data)
		if f.ignored != 0 {
			tb.Errorf("%s: %d lines outside tunes", name, f.ignored)
		}
		for _, t := range f.tunes {
			tunes = append(tunes, corpusTune{name, t})
		}
	}
	return tunes, files
}

// nottinghamDir is the directory of the Nottingham ABC files.
func nottinghamDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(shareddata.Dir(tb, "nottingham"), "ABC_cleaned")
}

// decodeExceptions are the Nottingham tunes Decode rejects, with why. The
// test fails when one of them decodes, so the list stays true.
var decodeExceptions = map[string]string{
	// "[e2c2(3A/2B/2c/2|": the chord is never closed.
	"jigs.abc X:153": "unexpected '3' in a chord",
}

// TestNottinghamCorpus decodes all 1,034 tunes of the Nottingham Music
// Database one by one and through Decode on whole files.
func TestNottinghamCorpus(t *testing.T) {
	tunes, files := nottingham(t)
	if len(tunes) != 1034 {
		t.Errorf("%d tunes in the corpus, want 1034", len(tunes))
	}
	origin := &music.Origin{Kind: music.Imported, Source: "test"}
	ok, notes, bars, chords, withParts := 0, 0, 0, 0, 0
	var skipped []string
	failed := map[string]bool{}
	for _, ct := range tunes {
		c, err := decodeTune(ct.t, nil, origin)
		want, isException := decodeExceptions[ct.id()]
		switch {
		case err != nil && !isException:
			t.Errorf("%s: %v", ct.id(), err)
		case err != nil && !strings.Contains(err.Error(), want):
			t.Errorf("%s: error %q, want one with %q", ct.id(), err, want)
		case err == nil && isException:
			t.Errorf("%s decodes; remove it from decodeExceptions", ct.id())
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < ct.t.first || pe.Column < 1 {
				t.Errorf("%s: error %v is not a ParseError inside the tune", ct.id(), err)
			}
			failed[ct.id()] = true
			continue
		}
		ok++
		notes += c.WrittenNotes()
		bars += len(c.Bars)
		for _, b := range c.Bars {
			chords += len(b.Chords)
		}
		if c.Title == "" || c.Key == nil || len(c.Bars) == 0 || c.WrittenNotes() == 0 {
			t.Errorf("%s: title %q, key %v, %d bars, %d notes", ct.id(), c.Title, c.Key, len(c.Bars), c.WrittenNotes())
		}
		// Every bar laid out is played: no repeat or volta bracket
		// leaves one behind.
		seen := make([]bool, len(c.Bars))
		for _, pb := range c.Unroll(1) {
			seen[pb.Index] = true
		}
		if i := slices.Index(seen, false); i >= 0 {
			t.Errorf("%s: bar %d is never played", ct.id(), i+1)
		}
		if slices.ContainsFunc(c.Bars, func(b music.Bar) bool { return b.Section != "" }) {
			withParts++
		}
		// Chord symbols Decode does not understand are skipped: count them.
		p := newTuneParser(origin)
		ct.t.each(p.line)
		for _, ev := range p.events {
			if _, ok := parseChordSymbol(ev.text); ev.kind == evChord && !ok {
				skipped = append(skipped, ev.text)
			}
		}
	}
	if 1000*len(failed) >= 5*len(tunes) {
		t.Errorf("%d of %d tunes fail, want under 0.5%%", len(failed), len(tunes))
	}
	t.Logf("%d of %d tunes decoded: %d bars, %d notes, %d chord symbols (%d skipped: %q); %d tunes with parts",
		ok, len(tunes), bars, notes, chords, len(skipped), skipped, withParts)
	if len(skipped) > 10 {
		t.Errorf("%d chord symbols not understood, want at most 10", len(skipped))
	}

	// Decode on whole files returns the same tunes, and one ParseError
	// for each tune it skips.
	total := 0
	for name, data := range files {
		cs, err := Decoder{Source: name}.DecodeBytes(data)
		total += len(cs)
		nerr := 0
		for _, ct := range tunes {
			if ct.file == name && failed[ct.id()] {
				nerr++
			}
		}
		var pe *ParseError
		switch {
		case nerr == 0 && err != nil:
			t.Errorf("%s: %v", name, err)
		case nerr > 0 && !errors.As(err, &pe):
			t.Errorf("%s: error %v, want a ParseError", name, err)
		case nerr > 0 && strings.Count(err.Error(), "\n")+1 != nerr:
			t.Errorf("%s: error %q, want %d tune errors", name, err, nerr)
		}
		for _, c := range cs {
			for _, b := range c.Bars {
				for _, n := range b.Notes {
					if n.Origin == nil || n.Origin.Source != name || n.Origin.Kind != music.Imported || n.Origin != cs[0].Bars[0].Notes[0].Origin {
						t.Fatalf("%s: note origin %+v, want one shared origin imported from %s", name, n.Origin, name)
					}
				}
			}
		}
	}
	if total != ok {
		t.Errorf("Decode on whole files: %d tunes, want %d", total, ok)
	}
}

// pitchSets is a melody as the sequence of the pitch sets struck together.
func pitchSets(notes []music.Note) [][]uint8 {
	ns := append([]music.Note(nil), notes...)
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].Start != ns[j].Start {
			return ns[i].Start < ns[j].Start
		}
		return ns[i].Pitch < ns[j].Pitch
	})
	var out [][]uint8
	for i := 0; i < len(ns); {
		j := i
		var set []uint8
		for j < len(ns) && ns[j].Start == ns[i].Start {
			if len(set) == 0 || set[len(set)-1] != ns[j].Pitch {
				set = append(set, ns[j].Pitch)
			}
			j++
		}
		out = append(out, set)
		i = j
	}
	return out
}

// firstDiff is the index of the first pitch set where a and b differ, -1
// when they are equal.
func firstDiff(a, b [][]uint8) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if !bytes.Equal(a[i], b[i]) {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func showSets(s [][]uint8, from int) string {
	var b strings.Builder
	for i := from; i < len(s) && i < from+8; i++ {
		fmt.Fprint(&b, s[i], " ")
	}
	return b.String()
}

// played decodes a tune and returns its melody's pitch sets as played.
func played(tb testing.TB, c *music.Chart) [][]uint8 {
	tb.Helper()
	p := c.Perform(1)
	if len(p.Parts) != 1 {
		tb.Fatalf("%d parts, want 1", len(p.Parts))
	}
	return pitchSets(p.Parts[0].Notes)
}

// TestAccidentalsAgainstChords weighs the two ways of carrying an
// accidental through a bar against the chord symbols the Nottingham
// transcribers wrote: where Decode's default (same letter, same octave)
// and abc2midi's (same letter, every octave) give different pitches, the
// default must fit the chord sounding at the note at least as often.
func TestAccidentalsAgainstChords(t *testing.T) {
	tunes, _ := nottingham(t)
	origin := &music.Origin{Kind: music.Imported, Source: "test"}
	octaveFits, pitchFits, differ := 0, 0, 0
	for _, ct := range tunes {
		var cs [2]*music.Chart
		for i, mode := range []string{"octave", "pitch"} {
			tt := ct.t
			x, rest, _ := bytes.Cut(tt.data, []byte("\n"))
			tt.data = []byte(string(x) + "\n%%propagate-accidentals " + mode + "\n" + string(rest))
			c, err := decodeTune(tt, nil, origin)
			if err != nil {
				break
			}
			cs[i] = c
		}
		if cs[1] == nil {
			continue
		}
		fits := func(ch *music.Chord, p uint8) bool { return ch != nil && ch.PitchClasses()&(1<<(p%12)) != 0 }
		var chord *music.Chord
		for bi := range cs[0].Bars {
			a, b := cs[0].Bars[bi], cs[1].Bars[bi]
			for ni, n := range a.Notes {
				for _, ca := range a.Chords {
					if ca.Offset <= n.Start {
						chord = &ca.Chord
					}
				}
				p, q := n.Pitch, b.Notes[ni].Pitch
				if p == q {
					continue
				}
				differ++
				if fits(chord, p) && !fits(chord, q) {
					octaveFits++
				}
				if fits(chord, q) && !fits(chord, p) {
					pitchFits++
				}
			}
		}
	}
	t.Logf("%d notes differ: the chord fits the octave rule's pitch %d times, the pitch rule's %d times", differ, octaveFits, pitchFits)
	if differ == 0 || octaveFits < pitchFits {
		t.Errorf("octave rule fits %d, pitch rule %d of %d notes", octaveFits, pitchFits, differ)
	}
}
