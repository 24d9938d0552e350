package abc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// abc2midiDiffs are the Nottingham tunes whose melody, as Decode plays it,
// differs from abc2midi's rendering, with the cause. The test fails when a
// tune differs that is not listed, and when a listed tune agrees.
var abc2midiDiffs = map[string]string{
	// Accidentals: Decode carries an accidental to later notes of the
	// same letter in the same octave (printed music); abc2midi to every
	// octave (abc 2.1, 11.3). The chord symbol over the note agrees with
	// Decode in X:7, X:52, X:54 and X:62, with abc2midi in X:209 and X:335.
	"ashover.abc X:7": "accidental octave: ^G ... g under G (g natural)",
	"hpps.abc X:52":   "accidental octave: _a ... A under D7 (A natural)",
	"hpps.abc X:54":   "accidental octave: ^D ... d under E7 (d natural)",
	"jigs.abc X:62":   "accidental octave: _a ... A under Am (A natural)",
	"jigs.abc X:209":  "accidental octave: =c ... C under C (abc2midi's C natural fits)",
	"jigs.abc X:335":  "accidental octave: =c ... C under C (abc2midi's C natural fits)",
	// Ornaments: abc2midi plays rolls and trills as several notes;
	// Decode skips decorations.
	"ashover.abc X:21": "ornament: ~ rolls",
	"jigs.abc X:71":    "ornament: !trill!",
	"jigs.abc X:76":    "ornament: ~ rolls",
	// Repeats after volta brackets: abc2midi loses track of repeats that
	// follow a volta group with no start sign. Decode repeats each strain
	// from its start: the bar after the double barline that ends the
	// group, or after the previous repeat sign.
	"ashover.abc X:6":   "repeat after volta: abc2midi goes back to the first |: and skips both endings",
	"jigs.abc X:2":      "repeat after volta: abc2midi plays the second strain, with its own endings, once",
	"reelsh-l.abc X:70": "repeat after volta: abc2midi plays the second strain, with its own endings, once",
	"reelsr-t.abc X:32": "repeat after volta: abc2midi plays the second strain, with its own endings, once",
	"jigs.abc X:81":     "repeat after volta: abc2midi leaves out the last of four strains",
	"reelsa-c.abc X:81": "repeat after volta: abc2midi does not repeat the strain opened by :|:",
	// Parts: in a part played from the P: order abc2midi takes only the
	// first repeat that has no start sign; outside parts it takes them
	// all, as Decode does everywhere.
	"jigs.abc X:110":    "part order: abc2midi repeats only the first of the strains of part B",
	"reelsr-t.abc X:71": "part order: abc2midi repeats only the first of the strains of part B",
	// Notation.
	"reelsd-g.abc X:1": "[+GB]: abc2midi drops the chords written with abc 1.6 plus signs",
	"jigs.abc X:153":   "Decode rejects the unclosed chord [e2c2",
}

// forAbc2midi rewrites a tune for abc2midi: the Nottingham part order in
// Y: becomes the P: header field abc2midi reads (a header P: the tune has
// besides is dropped, as Decode ignores it), and chords sound together
// ("%%MIDI chordattack 0"; abc2midi strikes the notes of a chord a few
// ticks apart by default).
func forAbc2midi(t tuneText) string {
	var b strings.Builder
	hasY := false
	for _, ln := range t.lines() {
		hasY = hasY || strings.HasPrefix(ln.text, "Y:")
	}
	header := true
	for i, ln := range t.lines() {
		s := ln.text
		switch {
		case header && hasY && strings.HasPrefix(s, "P:"):
			continue
		case header && strings.HasPrefix(s, "Y:"):
			s = "P:" + s[2:]
		case header && strings.HasPrefix(s, "K:"):
			header = false
		}
		b.WriteString(s)
		b.WriteByte('\n')
		if i == 0 {
			b.WriteString("%%MIDI chordattack 0\n")
		}
	}
	return b.String()
}

// TestAbc2midi compares the melody of every Nottingham tune as Decode
// plays it (repeats, endings and the part order expanded) with the MIDI
// file abc2midi, an independent ABC reader, makes of it: the sequences of
// pitch sets struck together must be equal for at least 97% of the tunes,
// and every tune that differs must be explained in abc2midiDiffs.
func TestAbc2midi(t *testing.T) {
	bin, err := exec.LookPath("abc2midi")
	if err != nil {
		t.Skip("abc2midi not installed (Debian package abcmidi); skipping the cross-check")
	}
	tunes, _ := nottingham(t)
	dir := t.TempDir()
	// One abc2midi run per file writes <stem><X>.mid for each of its
	// tunes; the files run in parallel.
	byFile := map[string][]corpusTune{}
	var names []string
	for _, ct := range tunes {
		if byFile[ct.file] == nil {
			names = append(names, ct.file)
		}
		byFile[ct.file] = append(byFile[ct.file], ct)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	errs := make([]error, len(names))
	for i, name := range names {
		var src strings.Builder
		for _, ct := range byFile[name] {
			src.WriteString(forAbc2midi(ct.t))
			src.WriteByte('\n')
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.Command(bin, name, "-NGUI", "-NGRA", "-silent")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("abc2midi %s: %v\n%s", name, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	origin := &music.Origin{Kind: music.Imported, Source: "test"}
	encodedSets := encodedByAbc2midi(t, bin, tunes)
	agree, encAgree := 0, 0
	theirs := map[string][][]uint8{}
	seen := map[string]bool{}
	for _, ct := range tunes {
		id := ct.id()
		why, listed := abc2midiDiffs[id]
		seen[id] = true
		diff := ""
		c, err := decodeTune(ct.t, nil, origin)
		if err != nil {
			diff = "Decode: " + err.Error()
		} else {
			mid := filepath.Join(dir, strings.TrimSuffix(ct.file, ".abc")+ct.t.x+".mid")
			data, err := os.ReadFile(mid)
			if err != nil {
				diff = "no MIDI file from abc2midi"
			} else if f, err := midi.DecodeBytes(data); err != nil {
				diff = "abc2midi's MIDI: " + err.Error()
			} else {
				ours, sets := played(t, c), melodySets(midi.ToPiece(f, mid))
				theirs[id] = sets
				if i := firstDiff(ours, sets); i >= 0 {
					diff = fmt.Sprintf("pitch set %d of %d/%d: ours %v, abc2midi %v", i, len(ours), len(sets), showSets(ours, i), showSets(sets, i))
				}
				if enc, ok := encodedSets[id]; !ok {
					t.Errorf("%s: abc2midi made nothing of what Encode wrote", id)
				} else if i := firstDiff(ours, enc); i >= 0 {
					t.Errorf("%s: abc2midi plays what Encode wrote differently at pitch set %d of %d/%d: ours %v, abc2midi %v", id, i, len(ours), len(enc), showSets(ours, i), showSets(enc, i))
				} else {
					encAgree++
				}
			}
		}
		switch {
		case diff == "":
			agree++
			if listed {
				t.Errorf("%s agrees with abc2midi; remove it from abc2midiDiffs (%s)", id, why)
			}
		case !listed:
			t.Errorf("%s: %s", id, diff)
		default:
			t.Logf("%s differs as expected (%s): %s", id, why, diff)
			if strings.HasPrefix(why, "ornament") {
				// abc2midi plays more notes, and the tune has ornaments.
				if !bytes.Contains(ct.t.data, []byte("~")) && !bytes.Contains(ct.t.data, []byte("!trill!")) || len(theirs[id]) <= len(played(t, c)) {
					t.Errorf("%s: listed for ornaments, but has none or abc2midi plays no more notes", id)
				}
			}
			if strings.HasPrefix(why, "accidental octave") {
				// The cause is the rule: with abc2midi's, the tunes agree.
				tt := ct.t
				x, rest, _ := bytes.Cut(tt.data, []byte("\n"))
				tt.data = []byte(string(x) + "\n%%propagate-accidentals pitch\n" + string(rest))
				c, err := decodeTune(tt, nil, origin)
				if err != nil {
					t.Fatal(err)
				}
				if i := firstDiff(played(t, c), theirs[id]); i >= 0 {
					t.Errorf("%s: carrying accidentals to every octave, still differs from abc2midi at pitch set %d", id, i)
				}
			}
		}
	}
	for id := range abc2midiDiffs {
		if !seen[id] {
			t.Errorf("abc2midiDiffs lists %s, which is not in the corpus", id)
		}
	}
	t.Logf("abc2midi plays what Encode wrote as Decode does for %d tunes", encAgree)
	pct := 100 * float64(agree) / float64(len(tunes))
	t.Logf("%d of %d tunes (%.1f%%) play the same pitch sequence as abc2midi", agree, len(tunes), pct)
	if pct < 97 {
		t.Errorf("agreement %.1f%%, want at least 97%%", pct)
	}
}

// melodySets is the melody of an abc2midi file: with -NGUI it writes no
// accompaniment, but only the first channel's notes are taken all the same.
func melodySets(p *music.Piece) [][]uint8 {
	var notes []music.Note
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			if n.Channel == 0 {
				notes = append(notes, n)
			}
		}
	}
	return pitchSets(notes)
}

// encodedByAbc2midi encodes every tune Decode reads, has abc2midi render
// what Encode wrote, and returns the melodies by tune.
func encodedByAbc2midi(t *testing.T, bin string, tunes []corpusTune) map[string][][]uint8 {
	t.Helper()
	dir := t.TempDir()
	origin := &music.Origin{Kind: music.Imported, Source: "test"}
	var charts []*music.Chart
	var ids []string
	for _, ct := range tunes {
		if c, err := decodeTune(ct.t, nil, origin); err == nil {
			charts = append(charts, c)
			ids = append(ids, ct.id())
		}
	}
	// Split into as many files as there are CPUs: abc2midi runs one per file.
	n := runtime.NumCPU()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for k := 0; k < n; k++ {
		lo, hi := k*len(charts)/n, (k+1)*len(charts)/n
		var buf strings.Builder
		if err := Encode(&buf, charts[lo:hi]); err != nil {
			t.Fatal(err)
		}
		// Encode numbers tunes from 1 in each file.
		name := fmt.Sprintf("enc%d.abc", k)
		var src strings.Builder
		for _, ln := range strings.SplitAfter(buf.String(), "\n") {
			src.WriteString(ln)
			if strings.HasPrefix(ln, "X:") {
				src.WriteString("%%MIDI chordattack 0\n")
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, name, "-NGUI", "-NGRA", "-silent")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[k] = fmt.Errorf("abc2midi %s: %v\n%s", name, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sets := map[string][][]uint8{}
	for k := 0; k < n; k++ {
		lo, hi := k*len(charts)/n, (k+1)*len(charts)/n
		for i := lo; i < hi; i++ {
			data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("enc%d%d.mid", k, i-lo+1)))
			if err != nil {
				continue
			}
			if f, err := midi.DecodeBytes(data); err == nil {
				sets[ids[i]] = melodySets(midi.ToPiece(f, ids[i]))
			}
		}
	}
	return sets
}
