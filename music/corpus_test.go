package music

import (
	"bufio"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"sideman/internal/testdata"
)

// This file collects every distinct chord symbol of the chord-chart corpora
// in ../shared/data (see its README): JazzStandards.json, the five iReal Pro
// playlists, the iRb corpus (Humdrum **jazz), the Jazz Chord Progressions
// SongDB (Impro-Visor notation) and POP909's chord_midi.txt annotations
// (Harte syntax). Symbols in a foreign syntax (Humdrum roots, Harte
// qualities and degree basses) are translated here to lead-sheet notation,
// so ParseChord stays a reader of chord symbols as musicians write them.
// The same collection feeds TestCorpusChordSymbols, the Name round trip and
// TestChordTonesAgainstTonal.

// corpusChords is the symbol census of one corpus.
type corpusChords struct {
	Name string
	// Uses counts occurrences of each symbol, in our notation.
	Uses map[string]int
	// Source is one original spelling of each symbol, for messages, when
	// it was translated.
	Source map[string]string
}

func (cc *corpusChords) add(sym, source string) {
	sym = strings.TrimSpace(sym)
	if sym == "" {
		return
	}
	cc.Uses[sym]++
	if source != sym {
		if _, ok := cc.Source[sym]; !ok {
			cc.Source[sym] = source
		}
	}
}

// Symbols are the distinct symbols, sorted.
func (cc *corpusChords) Symbols() []string {
	out := make([]string, 0, len(cc.Uses))
	for s := range cc.Uses {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func (cc *corpusChords) total() int {
	n := 0
	for _, u := range cc.Uses {
		n += u
	}
	return n
}

var corpusOnce struct {
	sync.Once
	chords []*corpusChords
	err    error
}

// loadCorpusChords returns the census of all five corpora, read once per
// test binary. It skips (or fails under SIDEMAN_REQUIRE_DATA=1) when a
// corpus is missing.
func loadCorpusChords(tb testing.TB) []*corpusChords {
	tb.Helper()
	jazz := testdata.File(tb, "jazz-standards/JazzStandards.json")
	ireal := testdata.Dir(tb, "ireal-playlists")
	irb := testdata.File(tb, "irb-jazz/iRb_v1-0.tar.gz")
	songdb := testdata.File(tb, "jazz-chord-progressions/SongDB.tar.gz")
	pop := testdata.File(tb, "pop909/POP909-main.tar.gz")
	corpusOnce.Do(func() {
		readers := []struct {
			name string
			read func(*corpusChords) error
		}{
			{"jazz-standards", func(cc *corpusChords) error { return readJazzStandardsChords(jazz, cc) }},
			{"ireal-playlists", func(cc *corpusChords) error { return readIRealChords(ireal, cc) }},
			{"irb-jazz", func(cc *corpusChords) error { return readIRbChords(irb, cc) }},
			{"jazz-chord-progressions", func(cc *corpusChords) error { return readSongDBChords(songdb, cc) }},
			{"pop909", func(cc *corpusChords) error { return readPOP909Chords(pop, cc) }},
		}
		for _, r := range readers {
			cc := &corpusChords{Name: r.name, Uses: map[string]int{}, Source: map[string]string{}}
			if err := r.read(cc); err != nil {
				corpusOnce.err = err
				return
			}
			corpusOnce.chords = append(corpusOnce.chords, cc)
		}
	})
	if corpusOnce.err != nil {
		tb.Fatal(corpusOnce.err)
	}
	return corpusOnce.chords
}

// allCorpusSymbols is the union of the distinct symbols of all corpora, sorted.
func allCorpusSymbols(tb testing.TB) []string {
	tb.Helper()
	set := map[string]bool{}
	for _, cc := range loadCorpusChords(tb) {
		for s := range cc.Uses {
			set[s] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// splitAlternate splits "Ab7sus(Ebm7)" into the chord and its alternate;
// both may be empty ("(C7)" is an alternate over a continued chord).
func splitAlternate(slot string) (main, alt string) {
	if i := strings.IndexByte(slot, '('); i >= 0 && strings.HasSuffix(slot, ")") {
		return slot[:i], slot[i+1 : len(slot)-1]
	}
	return slot, ""
}

// readJazzStandardsChords reads the "Chords" strings of JazzStandards.json:
// "|" between bars, "," between equal slots, "(X)" an alternate chord.
func readJazzStandardsChords(path string, cc *corpusChords) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	type segment struct{ Chords string }
	var tunes []struct {
		Sections []struct {
			MainSegment segment
			Endings     []segment
		}
	}
	if err := json.Unmarshal(data, &tunes); err != nil {
		return err
	}
	for _, t := range tunes {
		for _, s := range t.Sections {
			for _, seg := range append([]segment{s.MainSegment}, s.Endings...) {
				for _, bar := range strings.Split(seg.Chords, "|") {
					for _, slot := range strings.Split(bar, ",") {
						m, a := splitAlternate(slot)
						cc.add(m, m)
						cc.add(a, a)
					}
				}
			}
		}
	}
	return nil
}

// iRealUnscramble undoes iReal Pro's obfuscation of the music string: in
// each full 50-character block (except one followed by fewer than 2
// characters) characters 0-4 and 10-23 are swapped with their mirror
// images 45-49 and 26-39. This is the public algorithm used by
// pianosnake/ireal-reader and infojunkie/ireal-musicxml.
func iRealUnscramble(s string) string {
	var b strings.Builder
	for len(s) > 50 {
		p := []byte(s[:50])
		s = s[50:]
		if len(s) >= 2 {
			q := append([]byte(nil), p...)
			for i := 0; i < 5; i++ {
				q[49-i], q[i] = p[i], p[49-i]
			}
			for i := 10; i < 24; i++ {
				q[49-i], q[i] = p[i], p[49-i]
			}
			p = q
		}
		b.Write(p)
	}
	b.WriteString(s)
	return b.String()
}

// iRealChordRE is the chord token of the iReal Pro grammar as read by
// ireal-musicxml: root, quality, private *text*, /bass, (alternate).
var iRealChordRE = regexp.MustCompile(`^([A-G][b#]?)((?:sus|alt|add|[-+^\dhob#])*)(?:\*[^*]*\*)*(/[A-G][#b]?)?(\([^)]*\))?`)

// iRealSpacerRE is a spacer, W (invisible root) or p (pause) carrying a bass or an alternate.
var iRealSpacerRE = regexp.MustCompile(`^[ Wp](/[A-G][#b]?)?(\([^)]*\))?`)

// iRealTokenChords returns the chord symbols of an unscrambled iReal music
// string, alternates included ("W/C" symbols name no root and are left out).
func iRealTokenChords(music string) []string {
	var out []string
	for s := music; s != ""; {
		switch {
		case s[0] == '*' && len(s) > 1:
			s = s[2:] // section mark
			continue
		case s[0] == 'T' && len(s) > 2 && isDigit(s[1]) && isDigit(s[2]):
			s = s[3:] // time signature
			continue
		case s[0] == 'N' && len(s) > 1:
			s = s[2:] // ending
			continue
		case s[0] == '<':
			if i := strings.IndexByte(s, '>'); i >= 0 {
				s = s[i+1:] // comment
				continue
			}
		}
		if m := iRealChordRE.FindStringSubmatch(s); m != nil {
			out = append(out, m[1]+m[2]+m[3])
			if m[4] != "" {
				out = append(out, iRealAlternates(m[4])...)
			}
			s = s[len(m[0]):]
			continue
		}
		if m := iRealSpacerRE.FindStringSubmatch(s); m != nil && len(m[0]) > 1 {
			if m[2] != "" {
				out = append(out, iRealAlternates(m[2])...)
			}
			s = s[len(m[0]):]
			continue
		}
		s = s[1:]
	}
	return out
}

// iRealAlternates reads the chord inside an alternate "(Eb7)".
func iRealAlternates(paren string) []string {
	inner := strings.TrimSuffix(strings.TrimPrefix(paren, "("), ")")
	if m := iRealChordRE.FindStringSubmatch(inner); m != nil && len(m[0]) == len(inner) {
		return []string{m[1] + m[2] + m[3]}
	}
	return nil
}

// readIRealChords reads every song of every irealb:// playlist in dir.
func readIRealChords(dir string, cc *corpusChords) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		s, err := url.PathUnescape(strings.TrimSpace(string(data)))
		if err != nil {
			return err
		}
		for _, song := range strings.Split(s, "===") {
			for _, field := range strings.Split(song, "=") {
				if music, ok := strings.CutPrefix(field, "1r34LbKcu7"); ok {
					for _, sym := range iRealTokenChords(iRealUnscramble(music)) {
						cc.add(sym, sym)
					}
				}
			}
		}
	}
	return nil
}

// humdrumSpelling translates a Humdrum note name ("B-", "F#", "E--") at the
// start of s to ours ("Bb"); n is the number of bytes read.
func humdrumSpelling(s string) (name string, n int) {
	if s == "" || s[0] < 'A' || s[0] > 'G' {
		return "", 0
	}
	name, n = s[:1], 1
	for n < len(s) && (s[n] == '-' || s[n] == '#') {
		if s[n] == '-' {
			name += "b"
		} else {
			name += "#"
		}
		n++
	}
	return name, n
}

// humdrumChord translates one iRb **jazz chord (duration removed): a
// Humdrum root where '-' is a flat ("E-:maj7" is E-flat major seventh),
// then either ':' and a spelled-out quality ("min7", "min:maj7", "minb6")
// or an iReal-style quality ("7", "h7", "o7", "^9"), a "/bass" and an
// optional "(alternate)". "r" (a rest) is no chord.
func humdrumChord(tok string) (main, alt string) {
	// ';' is a Humdrum fermata, not part of the chord.
	tok = strings.ReplaceAll(tok, ";", "")
	if tok == "r" {
		return "N.C.", ""
	}
	if i := strings.IndexByte(tok, '('); i >= 0 && strings.HasSuffix(tok, ")") {
		alt, _ = humdrumChord(tok[i+1 : len(tok)-1])
		tok = tok[:i]
	}
	root, n := humdrumSpelling(tok)
	if n == 0 {
		return tok, alt // left as written: it will show up as unparsed
	}
	rest := tok[n:]
	bass := ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		if b, m := humdrumSpelling(rest[i+1:]); m > 0 && m == len(rest)-i-1 {
			bass, rest = "/"+b, rest[:i]
		}
	}
	// Humdrum separates quality words with ':' ("min:maj7"); drop them.
	rest = strings.ReplaceAll(rest, ":", "")
	return root + rest + bass, alt
}

// readIRbChords reads the **jazz spines of the iRb corpus: one chord per
// data line after a duration ("2.E-:maj7").
func readIRbChords(path string, cc *corpusChords) error {
	return testdata.WalkTarGz(path, testdata.HasSuffix(".jazz"), func(_ testdata.Member, r io.Reader) error {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.ContainsAny(line[:1], "!*=") {
				continue
			}
			tok := strings.TrimLeft(line, "0123456789.")
			m, a := humdrumChord(tok)
			cc.add(m, tok)
			if a != "" {
				cc.add(a, tok)
			}
		}
		return sc.Err()
	})
}

// readSongDBChords reads the SongDB text files: "Key = value" header
// lines, then bars separated by '|' with chords separated by spaces.
func readSongDBChords(path string, cc *corpusChords) error {
	return testdata.WalkTarGz(path, testdata.HasSuffix(".txt"), func(_ testdata.Member, r io.Reader) error {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "=") {
				continue
			}
			for _, f := range strings.Fields(strings.ReplaceAll(line, "|", " ")) {
				cc.add(f, f)
			}
		}
		return sc.Err()
	})
}

// harteQualities maps the Harte et al. (ISMIR 2005) shorthands used by
// POP909 to lead-sheet qualities.
var harteQualities = map[string]string{
	"maj": "", "min": "m", "dim": "dim", "aug": "aug",
	"maj7": "maj7", "min7": "m7", "7": "7", "dim7": "dim7", "hdim7": "m7b5",
	"minmaj7": "m(maj7)", "maj6": "6", "min6": "m6", "9": "9", "maj9": "maj9", "min9": "m9",
	"sus2": "sus2", "sus4": "sus4", "sus4(b7)": "7sus4",
}

// harteChord translates a Harte symbol ("C:maj7", "A:min/b3", "N") to
// lead-sheet notation; the bass is a degree above the root, spelled here.
func harteChord(sym string) (string, bool) {
	if sym == "N" || sym == "X" {
		return "N.C.", true
	}
	rootText, rest, _ := strings.Cut(sym, ":")
	if rest == "" {
		rest = "maj"
	}
	quality, degree, hasBass := strings.Cut(rest, "/")
	q, ok := harteQualities[quality]
	if !ok {
		return sym, false
	}
	out := rootText + q
	if hasBass {
		root, n, err := ParseSpelling(rootText)
		deg, alter, m := readDegree(degree)
		if err != nil || n != len(rootText) || m != len(degree) {
			return sym, false
		}
		out += "/" + root.Transpose(Degree(deg, alter)).String()
	}
	return out, true
}

// readPOP909Chords reads chord_midi.txt of every song: "start end chord".
func readPOP909Chords(path string, cc *corpusChords) error {
	keep := func(name string) bool { return strings.HasSuffix(name, "/chord_midi.txt") }
	return testdata.WalkTarGz(path, keep, func(_ testdata.Member, r io.Reader) error {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 {
				continue
			}
			sym, _ := harteChord(f[2])
			cc.add(sym, f[2])
		}
		return sc.Err()
	})
}
