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

	"sideman/internal/shareddata"
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
	jazz := shareddata.File(tb, "jazz-standards/JazzStandards.json")
	ireal := shareddata.Dir(tb, "ireal-playlists")
	irb := shareddata.File(tb, "irb-jazz/iRb_v1-0.tar.gz")
	songdb := shareddata.File(tb, "jazz-chord-progressions/SongDB.tar.gz")
	pop := shareddata.File(tb, "pop909/POP909-main.tar.gz")
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
				if body, ok := strings.CutPrefix(field, "1r34LbKcu7"); ok {
					for _, sym := range iRealTokenChords(iRealUnscramble(body)) {
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
	return shareddata.WalkTarGz(path, shareddata.HasSuffix(".jazz"), func(_ shareddata.Member, r io.Reader) error {
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
	return shareddata.WalkTarGz(path, shareddata.HasSuffix(".txt"), func(_ shareddata.Member, r io.Reader) error {
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
	return shareddata.WalkTarGz(path, keep, func(_ shareddata.Member, r io.Reader) error {
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

// TestZeroMeansDiminished backs the reading of JazzStandards.json's "07"
// and "0" as diminished (see dimTokens) with the iReal Pro jazz playlist,
// which writes the same tunes with o7 (diminished) and h7 (half-diminished):
// for every "X07" or "X0" in a tune found in both, it looks up which of
// those iReal writes on the same root in that tune.
func TestZeroMeansDiminished(t *testing.T) {
	data, err := os.ReadFile(shareddata.File(t, "jazz-standards/JazzStandards.json"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(shareddata.File(t, "ireal-playlists/jazz1460.txt"))
	if err != nil {
		t.Fatal(err)
	}
	playlist, err := url.PathUnescape(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	// iReal: tune title -> root pitch class -> diminished-family qualities written on it.
	ireal := map[string]map[int]map[string]bool{}
	for _, song := range strings.Split(playlist, "===") {
		fields := strings.Split(strings.TrimPrefix(song, "irealb://"), "=")
		for _, f := range fields {
			body, ok := strings.CutPrefix(f, "1r34LbKcu7")
			if !ok {
				continue
			}
			roots := map[int]map[string]bool{}
			for _, sym := range iRealTokenChords(iRealUnscramble(body)) {
				root, n, err := ParseSpelling(sym)
				if err != nil {
					continue
				}
				q, _, _ := strings.Cut(sym[n:], "/")
				if q == "o7" || q == "o" || q == "h7" || q == "h" {
					if roots[root.PitchClass()] == nil {
						roots[root.PitchClass()] = map[string]bool{}
					}
					roots[root.PitchClass()][q] = true
				}
			}
			ireal[strings.ToLower(strings.TrimSpace(fields[0]))] = roots
		}
	}
	var tunes []struct {
		Title    string
		Sections []struct {
			MainSegment struct{ Chords string }
			Endings     []struct{ Chords string }
		}
	}
	if err := json.Unmarshal(data, &tunes); err != nil {
		t.Fatal(err)
	}
	// counts[written quality][what iReal writes on that root]
	counts := map[string]map[string]int{"07": {}, "0": {}}
	for _, tune := range tunes {
		roots, ok := ireal[strings.ToLower(strings.TrimSpace(tune.Title))]
		if !ok {
			continue
		}
		for _, s := range tune.Sections {
			segs := []string{s.MainSegment.Chords}
			for _, e := range s.Endings {
				segs = append(segs, e.Chords)
			}
			for _, sym := range strings.FieldsFunc(strings.Join(segs, "|"), func(r rune) bool { return strings.ContainsRune("|,()", r) }) {
				root, n, err := ParseSpelling(sym)
				if err != nil {
					continue
				}
				q, _, _ := strings.Cut(sym[n:], "/")
				if q != "07" && q != "0" {
					continue
				}
				got := roots[root.PitchClass()]
				dim, half := got["o7"] || got["o"], got["h7"] || got["h"]
				switch {
				case dim && !half:
					counts[q]["diminished only"]++
				case half && !dim:
					counts[q]["half-diminished only"]++
				case dim && half:
					counts[q]["both"]++
				default:
					counts[q]["neither"]++
				}
			}
		}
	}
	t.Logf("JazzStandards 07 against iReal: %v; 0: %v", counts["07"], counts["0"])
	// Measured: 07 is diminished only 1,024 times, half-diminished only 3
	// times (42 roots have both); 0 is diminished only 64 times, never
	// half-diminished only.
	for q, c := range counts {
		if c["diminished only"] < 20*c["half-diminished only"] || c["diminished only"] < 40 {
			t.Errorf("%q: iReal writes %v on the same roots; not a diminished sign", q, c)
		}
	}
	for _, q := range []string{"C07", "C0"} {
		if c := MustParseChord(q); c.Third != 3 || c.Fifth != 6 || (q == "C07") != (c.Seventh == 9) || (q == "C0") != (c.Seventh == 0) {
			t.Errorf("%s = %s, want a diminished %s", q, c.Name(), map[bool]string{true: "seventh", false: "triad"}[q == "C07"])
		}
	}
}

// chordOddities are the corpus symbols ParseChord rejects, by corpus and
// symbol as collected, each with the reason it is not a chord symbol to
// read. TestCorpusChordSymbols fails on an unparsed symbol missing here,
// on an entry that parses now, and when these exceed 0.1% of a corpus.
var chordOddities = map[string]map[string]string{
	"irb-jazz": {
		// iRb lost the s's of "sus" (iReal's "s" prefix marks small chords):
		// Litha's iReal chart has F7sus, Bb7sus, Eb7sus where iRb has F7u,
		// Bb7u, Eb7u, and The Lamp Is Low's alternate chord is a 13sus in
		// iReal and D13u in iRb.
		"F7u":  irbDroppedS,
		"Bb7u": irbDroppedS,
		"Eb7u": irbDroppedS,
		"D13u": irbDroppedS,
		// iReal's private text between asterisks, kept as the chord
		// (Someday You'll Be Sorry's iReal chart has Bb7#5 there).
		"Bb*7+*": "iReal private text *7+* in place of a quality",
		"E*7+*":  "iReal private text *7+* in place of a quality",
		"G*7+*":  "iReal private text *7+* in place of a quality",
		"Eb769":  "two qualities run together (I See Your Face Before Me)",
		// An alternate in the middle of a token, a second chord after it.
		"Amin(C7/B-)D7": "two chords and an alternate in one iRb token",
	},
}

const irbDroppedS = `iRb's "sus" without its s's ("7u" for "7sus")`

// TestCorpusChordSymbols reads every distinct chord symbol of the corpora.
func TestCorpusChordSymbols(t *testing.T) {
	for _, cc := range loadCorpusChords(t) {
		bad := map[string]error{}
		badUses := 0
		for s, uses := range cc.Uses {
			if _, err := ParseChord(s); err != nil {
				bad[s] = err
				badUses += uses
			}
		}
		total := cc.total()
		t.Logf("%s: %d distinct symbols, %d uses; unparsed %d distinct, %d uses (%.3f%%)",
			cc.Name, len(cc.Uses), total, len(bad), badUses, 100*float64(badUses)/float64(total))
		// A reader that lost its way would find far fewer chords.
		if len(cc.Uses) < 300 || total < 40000 {
			t.Errorf("%s: only %d distinct symbols, %d uses", cc.Name, len(cc.Uses), total)
		}
		odd := chordOddities[cc.Name]
		for s, err := range bad {
			if _, ok := odd[s]; !ok {
				t.Errorf("%s: %q (from %q, %d uses) does not parse: %v", cc.Name, s, cc.Source[s], cc.Uses[s], err)
			}
		}
		for s := range odd {
			if _, ok := bad[s]; !ok {
				t.Errorf("%s: chordOddities[%q] parses or is gone; remove the entry", cc.Name, s)
			}
		}
		if 1000*badUses >= total {
			t.Errorf("%s: %d of %d uses unparsed, over 0.1%%", cc.Name, badUses, total)
		}
	}
}

// TestCorpusNamesReadBack checks, for every symbol in the corpora, that the
// standard name reads back to the same chord and is stable, and that
// transposing keeps the chord's shape.
func TestCorpusNamesReadBack(t *testing.T) {
	n := 0
	for _, s := range allCorpusSymbols(t) {
		c, err := ParseChord(s)
		if err != nil {
			continue
		}
		n++
		name := c.Name()
		back, err := ParseChord(name)
		if err != nil || !back.Same(c) {
			t.Errorf("%s: Name %q reads back as %v (%v)", s, name, back.Name(), err)
			continue
		}
		if again := back.Name(); again != name {
			t.Errorf("%s: Name %q reads back with Name %q", s, name, again)
		}
		up := c.Transpose(MajorSecond)
		if down := up.Transpose(Interval{-2, -2}); !down.Same(c) || down.Root != c.Root {
			t.Errorf("%s: up and down a tone is %s", s, down.Name())
		}
		if !c.NoChord && up.PitchClasses() != rotate(c.PitchClasses(), 2) {
			t.Errorf("%s: a tone up is %s, not the same shape", s, up.Name())
		}
	}
	if n < 2500 {
		t.Errorf("only %d symbols", n)
	}
}

// rotate moves a pitch-class mask up by k semitones.
func rotate(m uint16, k int) uint16 {
	return (m<<k | m>>(12-k)) & 0xfff
}
