package music

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"sideman/internal/shareddata"
)

// tonalDifferences lists where @tonaljs/chord (tools/tonal) and ParseChord
// read a chord symbol differently, keyed by the symbol's quality written on
// C (a difference of interpretation does not depend on the root: "Bb7alt"
// and "E7alt" are both "C7alt"); the key keeps the slash bass, transposed
// likewise, only when the basses differ. Each entry says why ours is the
// reading to keep. TestChordTonesAgainstTonal fails on a difference missing
// here and on an entry that no longer differs.
var tonalDifferences = map[string]string{
	"C7alt": "alt asks for the altered scale's tensions, b9, #9, b5 and #5 (b13) " +
		"(Levine, The Jazz Theory Book, ch. 6); tonal reduces 7alt to 7#5#9",
	"C7b13":  flat13KeepsFifth,
	"C9b13":  flat13KeepsFifth,
	"C7b5b9": flatFiveIsTheFifth,
	"C7b9b5": flatFiveIsTheFifth,
	"C7b5#9": flatFiveIsTheFifth,
	"C7#9b5": flatFiveIsTheFifth,
	"C6b5":   flatFiveIsTheFifth + " (Impro-Visor's vocabulary, like tonal, makes 6b5 a 6#11)",
	"Cm13": "a minor thirteenth stacks 9, 11 and 13: the 11th is no avoid note over a " +
		"minor third (dorian), so we keep it; tonal's m13 leaves it out",
	"CM7add13": "the symbol adds a 13th to a major seventh chord and names no ninth; " +
		"tonal, following Impro-Visor's My.voc, spells M7add13 with a 9th too",
	"C4": "we read a bare 4 as sus4 (C4 = Csus4, as guitar charts write it); Impro-Visor " +
		"and tonal name a quartal chord C F Bb Eb so (3 uses in SongDB)",
}

// Shared reasons in tonalDifferences.
const (
	flat13KeepsFifth = "a flat 13th is a tension over the dominant (mixolydian b6), " +
		"not a replacement of the fifth, which we keep; tonal's 7b13 and 9b13 drop the fifth"
	flatFiveIsTheFifth = "a written b5 lowers the chord's fifth, as in 7b5 (which tonal reads " +
		"so too); tonal files 7b9b5 and 7#9b5 under 7b9#11 and 7#9#11, which keep the natural fifth"
)

// tonalDir is tools/tonal, relative to this package.
var tonalDir = filepath.Join("..", "tools", "tonal")

// tonalUnavailable skips, or fails under SIDEMAN_REQUIRE_DATA=1, when the
// reference tool cannot run.
func tonalUnavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if shareddata.Required() {
		t.Fatalf("%s (%s=1)", msg, shareddata.EnvRequire)
	}
	t.Skipf("%s; skipping (set %s=1 to fail instead)", msg, shareddata.EnvRequire)
}

// tonalNote is one line of tools/tonal/chordnotes.js output.
type tonalNote struct {
	Symbol string   `json:"symbol"`
	Tonal  string   `json:"tonal"`
	Notes  []string `json:"notes"`
	Tonic  string   `json:"tonic"`
	Bass   string   `json:"bass"`
}

// runTonal installs tools/tonal when needed and returns tonal's reading of
// each symbol, in order.
func runTonal(t *testing.T, syms []string) []tonalNote {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tonalUnavailable(t, "node not found: %v", err)
	}
	if _, err := os.Stat(filepath.Join(tonalDir, "node_modules", "@tonaljs", "chord")); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			tonalUnavailable(t, "npm not found: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "sh", "install.sh")
		cmd.Dir = tonalDir
		if out, err := cmd.CombinedOutput(); err != nil {
			tonalUnavailable(t, "tools/tonal/install.sh: %v\n%s", err, out)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "chordnotes.js")
	cmd.Dir = tonalDir
	cmd.Stdin = strings.NewReader(strings.Join(syms, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node chordnotes.js: %v\n%s", err, stderr.Bytes())
	}
	var res []tonalNote
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var n tonalNote
		if err := json.Unmarshal(sc.Bytes(), &n); err != nil {
			t.Fatalf("chordnotes.js output %q: %v", sc.Text(), err)
		}
		res = append(res, n)
	}
	if len(res) != len(syms) {
		t.Fatalf("chordnotes.js answered %d symbols, want %d", len(res), len(syms))
	}
	return res
}

// pcMask reads tonal's note names into a pitch-class mask. Tonal spells
// strictly and may stack accidentals ("Ebbb" in Fbo7), beyond what
// ParseSpelling accepts.
func pcMask(names ...string) (uint16, error) {
	var m uint16
	for _, n := range names {
		if n == "" {
			continue
		}
		sp, k, err := ParseSpelling(n[:1])
		if err != nil || k != 1 || n[0] < 'A' || n[0] > 'G' {
			return 0, fmt.Errorf("note %q", n)
		}
		pc := sp.PitchClass()
		for _, a := range n[1:] {
			switch a {
			case '#':
				pc++
			case 'b':
				pc--
			default:
				return 0, fmt.Errorf("note %q", n)
			}
		}
		m |= 1 << mod12(pc)
	}
	return m, nil
}

func maskNames(m uint16) string {
	var out []string
	for pc := 0; pc < 12; pc++ {
		if m&(1<<pc) != 0 {
			out = append(out, SpellPitchClass(pc, true).String())
		}
	}
	return strings.Join(out, " ")
}

// onC writes a symbol with its root moved to C and its bass (when
// keepBass) moved likewise: "Bb7alt/D" is "C7alt/E".
func onC(sym string, keepBass bool) string {
	root, n, err := ParseSpelling(sym)
	if err != nil {
		return sym
	}
	rest := sym[n:]
	bass := ""
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		if b, m, err := ParseSpelling(rest[i+1:]); err == nil && m == len(rest)-i-1 && rest[i+1] >= 'A' && rest[i+1] <= 'G' {
			// Move by the interval from the root down to C.
			iv := Interval{Number: mod7(-int(root.Step)) + 1, Semitones: mod12(-root.PitchClass())}
			bass = "/" + b.Transpose(iv).String()
			rest = rest[:i]
		}
	}
	if !keepBass {
		bass = ""
	}
	return "C" + rest + bass
}

// TestChordTonesAgainstTonal compares the pitch classes and bass of every
// chord symbol in the corpora with @tonaljs/chord's, an independent
// implementation (tools/tonal).
func TestChordTonesAgainstTonal(t *testing.T) {
	var syms []string
	for _, s := range allCorpusSymbols(t) {
		if c, err := ParseChord(s); err == nil && !c.NoChord {
			syms = append(syms, s)
		}
	}
	notes := runTonal(t, syms)

	type diff struct{ examples []string }
	diffs := map[string]*diff{}
	agree, unknown := 0, 0
	var unknownSyms []string
	for i, s := range syms {
		n := notes[i]
		if n.Symbol != s {
			t.Fatalf("chordnotes.js answered %q for %q", n.Symbol, s)
		}
		if len(n.Notes) == 0 {
			unknown++
			unknownSyms = append(unknownSyms, s)
			continue
		}
		theirs, err := pcMask(append(n.Notes, n.Bass)...)
		if err != nil {
			t.Fatalf("%s: tonal %v", s, err)
		}
		theirBass := n.Bass
		if theirBass == "" {
			theirBass = n.Tonic
		}
		tb, err := pcMask(theirBass)
		if err != nil {
			t.Fatalf("%s: tonal bass %v", s, err)
		}
		c := MustParseChord(s)
		ours := c.PitchClasses()
		ob := uint16(1) << c.BassNote().PitchClass()
		if ours == theirs && ob == tb {
			agree++
			continue
		}
		key := onC(s, ob != tb)
		d := diffs[key]
		if d == nil {
			d = &diff{}
			diffs[key] = d
		}
		if len(d.examples) < 3 {
			d.examples = append(d.examples, fmt.Sprintf("%s: ours [%s] bass %s, tonal %q [%s] bass %s",
				s, maskNames(ours), maskNames(ob), n.Tonal, maskNames(theirs), maskNames(tb)))
		}
	}
	keys := make([]string, 0, len(diffs))
	for k := range diffs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := tonalDifferences[k]; !ok {
			t.Errorf("%s: differs from tonal and is not in tonalDifferences:\n\t%s", k, strings.Join(diffs[k].examples, "\n\t"))
		}
	}
	for k := range tonalDifferences {
		if diffs[k] == nil {
			t.Errorf("tonalDifferences[%q]: no corpus symbol differs from tonal any more; remove the entry", k)
		}
	}
	t.Logf("%d symbols: %d agree with tonal, %d differ (%d qualities in tonalDifferences), %d unknown to tonal",
		len(syms), agree, len(syms)-agree-unknown, len(diffs), unknown)
	if testing.Verbose() {
		t.Logf("unknown to tonal: %s", strings.Join(unknownSyms, " "))
	}
}
