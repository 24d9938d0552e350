package model

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"math"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
)

// Pearce's chorales (docs/model.md, "Evaluation protocol"): the 185
// chorale melodies of Pearce and Wiggins (2004) and Pearce (2005), IDyOM's
// chorale dataset, are the chorales of the 371 numbered BWV 253 to 438,
// four-part chorales handed down without a cantata or passion, in BWV
// order (by hymn, roughly alphabetical); BWV 279 is not in our 370, and
// BWV 250 to 252, which are, are not among the 185. This was
// established by matching the 185 MIDI files of that dataset (IDyOMpy's
// dataset/bach_Pearce, 185 MIDI files of 9,227 notes) note by
// note against the sopranos of the 370: 171 have the same pitches, 14
// differ in one to three notes, and each is the chorale of BWV 252+n
// (less one after 279). Seven of them are printed twice in the 371
// (BWV 283, 325, 335, 339, 343, 373, 402: the same soprano, the same
// rhythm); the first copy is taken.
const (
	pearceFirstBWV = 253
	pearceLastBWV  = 438
	pearceChorales = 185
	pearceNotes    = 9227 // in IDyOM's files, ties and repeated notes as they read them
)

var pearceSet struct {
	once sync.Once
	mels []Melody
	bwv  []int
	err  error
}

// readPearceChorales reads the sopranos of Pearce's 185 chorales by the
// protocol of readChorales, with the BWV number of each.
func readPearceChorales(tb testing.TB) ([]Melody, []int) {
	tb.Helper()
	file := shareddata.File(tb, "bach-chorales/bach-370-chorales-kern.tar.gz")
	pearceSet.once.Do(func() {
		bwvs, err := choraleBWVs(file)
		if err != nil {
			pearceSet.err = err
			return
		}
		seen := map[int]bool{}
		for doc, err := range load.Collection(file) {
			if err != nil {
				pearceSet.err = err
				return
			}
			n := pearceBWV(bwvs[path.Base(doc.Name)])
			if n == 0 || seen[n] {
				continue
			}
			seen[n] = true
			for _, c := range doc.Charts {
				m, err := FromChart(c, "")
				if err != nil {
					pearceSet.err = err
					return
				}
				pearceSet.mels = append(pearceSet.mels, m)
				pearceSet.bwv = append(pearceSet.bwv, n)
			}
		}
	})
	if pearceSet.err != nil {
		tb.Fatal(pearceSet.err)
	}
	return pearceSet.mels, pearceSet.bwv
}

// choraleBWVs maps each member of the archive (its base name) to its
// !!!SCT record ("BWV 245/5 & 416").
func choraleBWVs(file string) (map[string]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(h.Name, ".krn") {
			continue
		}
		sc := bufio.NewScanner(tr)
		for sc.Scan() {
			if s, ok := strings.CutPrefix(sc.Text(), "!!!SCT:"); ok {
				out[path.Base(h.Name)] = strings.TrimSpace(s)
				break
			}
		}
	}
}

// pearceBWV is the number among Pearce's (253 to 438) that an SCT record
// names, or 0.
func pearceBWV(sct string) int {
	s, ok := strings.CutPrefix(sct, "BWV")
	if !ok {
		return 0
	}
	for part := range strings.SplitSeq(s, "&") {
		num, _, _ := strings.Cut(strings.TrimSpace(part), "/")
		if n, err := strconv.Atoi(num); err == nil && n >= pearceFirstBWV && n <= pearceLastBWV {
			return n
		}
	}
	return 0
}

// TestPearceChorales checks that the subset is Pearce's: 185 chorales,
// one for each BWV number from 253 to 438 but 279, and as many notes
// as IDyOM's files within the differences of edition and reading (1%:
// 9,231 against 9,227), and that the IDyOM-like configuration on it,
// folds as IDyOM deals them, gives at most what it gave when
// docs/model.md's figures were measured (2.403) plus 0.03 bits. IDyOM's
// 2.347 is not reached (docs/model.md). Pitch only on 185 chorales takes
// under a second.
func TestPearceChorales(t *testing.T) {
	mels, bwv := readPearceChorales(t)
	if len(mels) != pearceChorales {
		t.Fatalf("%d chorales, want %d", len(mels), pearceChorales)
	}
	seen := map[int]bool{}
	notes := 0
	for i, n := range bwv {
		if seen[n] || n == 279 {
			t.Errorf("chorale %d: BWV %d again or not Pearce's", i, n)
		}
		seen[n] = true
		notes += len(mels[i].Events)
	}
	if d := float64(notes-pearceNotes) / pearceNotes; d < -0.01 || d > 0.01 {
		t.Errorf("%d notes, IDyOM's files have %d", notes, pearceNotes)
	}
	r, err := Evaluation{Config: PitchOnly(), Ungrouped: true}.Run(context.Background(), mels)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d chorales, %d titles, %d notes; cpitch ungrouped: ltm %.3f stm %.3f both %.3f", len(mels), groups(mels), notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
	if r.Bits.Both > pearcePitchBound {
		t.Errorf("cpitch on Pearce's chorales, ungrouped: %.3f bits per note, more than %.3f (IDyOM %.3f)", r.Bits.Both, pearcePitchBound, idyomPitchBits)
	}
}

// IDyOM's figures on the 185 chorales (Pearce 2005): pitch alone, and its
// best viewpoint system.
const (
	idyomPitchBits = 2.347
	idyomBestBits  = 1.911
	// pearcePitchBound is what pitch alone gave on them, ungrouped
	// (2.403), plus 0.03 bits.
	pearcePitchBound = 2.433
)

// SelectedViewpoints is the set viewpoint selection chose on the 370
// chorales, grouped folds (docs/model.md, "Viewpoint selection").
const selectedViewpoints = "cpint*dur,cpintfip*fib,cpintfref*cpint,cpintfref*posinbar,cpitch*dur,cpint*posinbar,cpintfip,cpint*ioi"

// TestPearceFigures gives docs/model.md's table of the 185 chorales: pitch
// alone, the default viewpoints and the selected ones, folds dealt one by
// one (IDyOM) and grouped by title.
func TestPearceFigures(t *testing.T) {
	figures(t)
	mels, _ := readPearceChorales(t)
	sel := DefaultConfig()
	sel.Viewpoints = must(ParseViewpoints(selectedViewpoints))
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"cpitch", PitchOnly()}, {"default", DefaultConfig()}, {"selected", sel}} {
		for _, ungrouped := range []bool{true, false} {
			r, err := Evaluation{Config: c.cfg, Ungrouped: ungrouped}.Run(context.Background(), mels)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s ungrouped=%v: %d chorales, %d notes: ltm %.3f stm %.3f both %.3f", c.name, ungrouped, r.Pieces, r.Notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
		}
	}
	t.Logf("IDyOM (Pearce 2005): cpitch %.3f, best viewpoint system %.3f", idyomPitchBits, idyomBestBits)
	// What might close the gap to IDyOM's 2.347 (pitch only, ungrouped):
	// the folds dealt otherwise, the biases, escape X, and a long-term
	// model that learns each test chorale once it has been predicted
	// (IDyOM's both+).
	for seed := range uint64(5) {
		r := must(Evaluation{Config: PitchOnly(), Ungrouped: true, Seed: seed}.Run(context.Background(), mels))
		t.Logf("cpitch ungrouped seed %d: ltm %.3f stm %.3f both %.3f", seed, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
	}
	for _, v := range []struct {
		name string
		set  func(*Config)
	}{
		{"LTM+STM bias 0", func(c *Config) { c.LTMSTMBias = 0 }},
		{"LTM+STM bias 1", func(c *Config) { c.LTMSTMBias = 1 }},
		{"LTM+STM bias 2", func(c *Config) { c.LTMSTMBias = 2 }},
		{"escape X", func(c *Config) { c.Escape = EscapeX }},
	} {
		cfg := PitchOnly()
		v.set(&cfg)
		r := must(Evaluation{Config: cfg, Ungrouped: true}.Run(context.Background(), mels))
		t.Logf("cpitch ungrouped, %s: ltm %.3f stm %.3f both %.3f", v.name, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
	}
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"cpitch", PitchOnly()}, {"default", DefaultConfig()}, {"selected", sel}} {
		ltm, stm, both := evalLTMPlus(t, Evaluation{Config: c.cfg, Ungrouped: true}, mels)
		t.Logf("%s ungrouped, LTM+ (both+): ltm %.3f stm %.3f both %.3f", c.name, ltm, stm, both)
	}
}

// evalLTMPlus cross-validates as Evaluation.Run does, one fold after
// another, but the long-term model learns each test melody once it has
// been predicted, before the next (IDyOM's LTM+, "both+"). A measurement
// only: Evaluation has no such option.
func evalLTMPlus(tb testing.TB, e Evaluation, mels []Melody) (ltm, stm, both float64) {
	tb.Helper()
	fold := e.folds(mels)
	cfg := e.Config
	for _, m := range mels {
		for _, ev := range m.Events {
			if !slices.Contains(cfg.Alphabet, ev.Pitch) {
				cfg.Alphabet = append(cfg.Alphabet, ev.Pitch)
			}
		}
	}
	notes := 0
	for f := range 10 {
		m := must(New(cfg))
		for i, mel := range mels {
			if fold[i] != f {
				m.Learn(mel)
			}
		}
		for i, mel := range mels {
			if fold[i] != f {
				continue
			}
			s := m.Session()
			idx := map[int]int{}
			for a, p := range s.Alphabet() {
				idx[p] = a
			}
			for _, ev := range mel.Events {
				p := s.Predict(ev)
				a := idx[ev.Pitch]
				ltm -= math.Log2(p.LTM[a])
				stm -= math.Log2(p.STM[a])
				both -= math.Log2(p.Both[a])
				notes++
				s.Add(ev)
			}
			m.Learn(mel)
		}
	}
	n := float64(notes)
	return ltm / n, stm / n, both / n
}

// evalSplit cross-validates as Evaluation.Run does (e's folds), with the
// long-term model of ltmCfg and the short-term model of stmCfg (IDyOM
// sets the two apart: by default escape C without update exclusion for
// the long-term model, escape X with it for the short-term one),
// combined with LTM+STM bias b. A measurement only: Config has one
// setting for both.
func evalSplit(tb testing.TB, e Evaluation, mels []Melody, ltmCfg, stmCfg Config, b float64) (ltm, stm, both float64) {
	tb.Helper()
	fold := e.folds(mels)
	var alphabet []int
	for _, m := range mels {
		for _, ev := range m.Events {
			if !slices.Contains(alphabet, ev.Pitch) {
				alphabet = append(alphabet, ev.Pitch)
			}
		}
	}
	ltmCfg.Alphabet, stmCfg.Alphabet = alphabet, alphabet
	notes := 0
	out := make([]float64, len(alphabet))
	for f := range 10 {
		lm, sm := must(New(ltmCfg)), must(New(stmCfg))
		for i, mel := range mels {
			if fold[i] != f {
				lm.Learn(mel)
			}
		}
		for i, mel := range mels {
			if fold[i] != f {
				continue
			}
			ls, ss := lm.Session(), sm.Session()
			idx := map[int]int{}
			for a, p := range ls.Alphabet() {
				idx[p] = a
			}
			for _, ev := range mel.Events {
				pl, ps := ls.Predict(ev), ss.Predict(ev)
				combine([][]float64{pl.LTM, ps.STM}, b, out)
				a := idx[ev.Pitch]
				ltm -= math.Log2(pl.LTM[a])
				stm -= math.Log2(ps.STM[a])
				both -= math.Log2(out[a])
				notes++
				ls.Add(ev)
				ss.Add(ev)
			}
		}
	}
	n := float64(notes)
	return ltm / n, stm / n, both / n
}

// TestPearceSplitFigures measures pitch alone on Pearce's chorales,
// ungrouped, with the long- and short-term models set apart as IDyOM
// sets them (docs/model.md).
func TestPearceSplitFigures(t *testing.T) {
	figures(t)
	mels, _ := readPearceChorales(t)
	set := func(esc Escape, excl bool) Config {
		c := PitchOnly()
		c.Escape, c.Exclusion = esc, excl
		return c
	}
	for _, c := range []struct {
		name     string
		ltm, stm Config
	}{
		{"LTM C excl, STM C excl (ours)", set(EscapeC, true), set(EscapeC, true)},
		{"LTM C, STM X excl", set(EscapeC, false), set(EscapeX, true)},
		{"LTM C excl, STM X excl", set(EscapeC, true), set(EscapeX, true)},
		{"LTM C, STM C excl", set(EscapeC, false), set(EscapeC, true)},
	} {
		for _, b := range []float64{0.5, 1, 2} {
			ltm, stm, both := evalSplit(t, Evaluation{Config: PitchOnly(), Ungrouped: true}, mels, c.ltm, c.stm, b)
			t.Logf("%s, bias %g: ltm %.3f stm %.3f both %.3f", c.name, b, ltm, stm, both)
		}
	}
	// Bounded orders against PPM*: in Pearce's study PPM* did best.
	for _, o := range []int{2, 3, 4, 5, 6, 8} {
		c := PitchOnly()
		c.Unbounded, c.Order = false, o
		r := must(Evaluation{Config: c, Ungrouped: true}.Run(context.Background(), mels))
		t.Logf("order %d: ltm %.3f stm %.3f both %.3f", o, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
	}
}
