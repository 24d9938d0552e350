package model

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// EnvFigures names the environment variable that runs the measurements
// of docs/model.md that no test asserts: memory decay on each corpus,
// and the figures of corpora other than the chorales.
const EnvFigures = "SIDEMAN_MODEL_FIGURES"

func figures(t *testing.T) {
	t.Helper()
	if os.Getenv(EnvFigures) != "1" {
		t.Skip("measurement only: set " + EnvFigures + "=1 (docs/model.md)")
	}
}

// TestDecayFigures cross-validates the corpora with and without memory
// decay in the short-term model (docs/model.md).
func TestDecayFigures(t *testing.T) {
	figures(t)
	corpora := map[string]func(testing.TB) []Melody{"chorales": readChorales, "wjazzd": readSolos, "nottingham": readTunes}
	for _, name := range []string{"chorales", "nottingham", "wjazzd"} {
		if c := os.Getenv("SIDEMAN_MODEL_CORPUS"); c != "" && c != name {
			continue
		}
		mels := corpora[name](t)
		for _, cfg := range []struct {
			name string
			cfg  Config
		}{{"cpitch", PitchOnly()}, {"default", DefaultConfig()}} {
			for _, d := range []Decay{{}, {HalfLife: 16}, {HalfLife: 64}, {HalfLife: 32, Buffer: 16, Floor: 0.2}, {HalfLife: 128, Buffer: 32, Floor: 0.5}} {
				r, err := Evaluation{Config: cfg.cfg, Decay: d}.Run(context.Background(), mels)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s %s decay %+v: ltm %.3f stm %.3f both %.3f", name, cfg.name, d, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
			}
		}
	}
}

// NoChordViewpoints are DefaultViewpoints less the two that read the chord.
const noChordViewpoints = "cpitch,cpint*dur,cpintfref*cpint,cpint*posinbar,cpintfref*fib"

// corpusConfigs are the configurations docs/model.md gives figures of
// for every corpus: pitch only, the default viewpoints less the chord
// ones, and the default ones.
func corpusConfigs() []struct {
	name string
	cfg  Config
} {
	noChord := DefaultConfig()
	noChord.Viewpoints = must(ParseViewpoints(noChordViewpoints))
	return []struct {
		name string
		cfg  Config
	}{{"cpitch", PitchOnly()}, {"default less chord", noChord}, {"default", DefaultConfig()}}
}

// TestCorpusFigures cross-validates the 456 WJazzD solos (folds grouped
// by performer) and the Nottingham tunes (grouped by title): the figures
// of docs/model.md.
func TestCorpusFigures(t *testing.T) {
	figures(t)
	for _, c := range []struct {
		name string
		read func(testing.TB) []Melody
	}{{"nottingham", readTunes}, {"wjazzd", readSolos}} {
		if n := os.Getenv("SIDEMAN_MODEL_CORPUS"); n != "" && n != c.name {
			continue
		}
		mels := c.read(t)
		for _, cfg := range corpusConfigs() {
			r, err := Evaluation{Config: cfg.cfg}.Run(context.Background(), mels)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d pieces, %d groups, %d notes: ltm %.3f stm %.3f both %.3f", c.name, cfg.name, r.Pieces, groups(mels), r.Notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
		}
	}
}

func groups(mels []Melody) int {
	g := map[string]bool{}
	for _, m := range mels {
		g[m.Title] = true
	}
	return len(g)
}

// everyNth is every n-th melody: a subset across the corpus (the solos
// are sorted by performer, so the first few would be few players).
func everyNth(mels []Melody, n int) []Melody {
	var out []Melody
	for i := 0; i < len(mels); i += n {
		out = append(out, mels[i])
	}
	return out
}

// TestSmallModelFigures measures what a smaller WJazzD model costs
// (docs/model.md, "A smaller model"): the file's size learned from all
// the solos and the bits per note cross-validated, for bounded orders and
// pruning against the full unbounded model.
func TestSmallModelFigures(t *testing.T) {
	figures(t)
	mels := readSolos(t)
	if c := os.Getenv("SIDEMAN_MODEL_CORPUS"); c == "chorales" {
		mels = readChorales(t)
	}
	type setting struct {
		name  string
		cfg   Config
		prune int
	}
	var settings []setting
	base := DefaultConfig()
	if os.Getenv("SIDEMAN_MODEL_VIEWPOINTS") == "cpitch" {
		base = PitchOnly()
	}
	settings = append(settings, setting{"full", base, 0})
	for _, o := range []int{3, 4, 5} {
		c := base
		c.Unbounded, c.Order = false, o
		settings = append(settings, setting{fmt.Sprintf("order %d", o), c, 0})
	}
	settings = append(settings, setting{"prune 2", base, 2}, setting{"prune 3", base, 3})
	for _, o := range []int{4, 5} {
		c := base
		c.Unbounded, c.Order = false, o
		settings = append(settings, setting{fmt.Sprintf("order %d prune 2", o), c, 2})
	}
	only := os.Getenv("SIDEMAN_MODEL_SETTING") // names, comma-separated
	for _, s := range settings {
		if only != "" && !slices.Contains(strings.Split(only, ","), s.name) {
			continue
		}
		m := learnAll(s.cfg, mels)
		if s.prune > 1 {
			m = m.Prune(s.prune)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, m); err != nil {
			t.Fatal(err)
		}
		r, err := Evaluation{Config: s.cfg, Prune: s.prune}.Run(context.Background(), mels)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d strings, %d bytes; ltm %.3f stm %.3f both %.3f", s.name, m.size(), buf.Len(), r.Bits.LTM, r.Bits.STM, r.Bits.Both)
	}
}

// TestSelectChoraleViewpointsFrom goes on with the selection of
// TestSelectChoraleViewpoints from a set it reached, given in
// SIDEMAN_MODEL_SELECT_FROM (viewpoint names, comma-separated). Forward
// stepwise selection remembers nothing but the set it is at, so going on
// from a step's set takes the steps the whole search would take after it
// (the set's figure, evaluated first, is the step's).
func TestSelectChoraleViewpointsFrom(t *testing.T) {
	figures(t)
	from := os.Getenv("SIDEMAN_MODEL_SELECT_FROM")
	if from == "" {
		t.Skip("set SIDEMAN_MODEL_SELECT_FROM to the set to go on from")
	}
	mels := readChorales(t)
	var cands []Viewpoint
	for _, v := range must(ParseViewpoints(Candidates)) {
		if !strings.Contains(v.Name, "froot") && !strings.Contains(v.Name, "chordtone") {
			cands = append(cands, v)
		}
	}
	chosen := must(ParseViewpoints(from))
	eval := func(vs []Viewpoint) float64 {
		cfg := DefaultConfig()
		cfg.Viewpoints = vs
		return must(Evaluation{Config: cfg}.Run(context.Background(), mels)).Bits.Both
	}
	best := eval(chosen)
	t.Logf("from %.4f bits: %s", best, names(chosen))
	for {
		var next []Viewpoint
		nextBits := best
		try := func(vs []Viewpoint, what string) {
			b := eval(vs)
			t.Logf("  %s: %.4f", what, b)
			if b < nextBits {
				next, nextBits = vs, b
			}
		}
		for _, c := range cands {
			if !slices.ContainsFunc(chosen, func(v Viewpoint) bool { return v.Name == c.Name }) {
				try(append(slices.Clone(chosen), c), "+ "+c.Name)
			}
		}
		for i := range chosen {
			if len(chosen) > 1 {
				try(slices.Delete(slices.Clone(chosen), i, i+1), "- "+chosen[i].Name)
			}
		}
		if next == nil {
			t.Logf("chosen %s: %.4f bits (no step lowers them)", names(chosen), best)
			return
		}
		chosen, best = next, nextBits
		t.Logf("%.4f bits: %s", best, names(chosen))
	}
}

// TestSelectedFigures cross-validates the set viewpoint selection chose on
// the chorales on the other corpora (WJazzD grouped by performer,
// Nottingham by title), alone and with the two chord viewpoints of the
// default set added: is it a better default? (docs/model.md, "Viewpoint
// selection").
func TestSelectedFigures(t *testing.T) {
	figures(t)
	sel := DefaultConfig()
	sel.Viewpoints = must(ParseViewpoints(selectedViewpoints))
	chords := DefaultConfig()
	chords.Viewpoints = must(ParseViewpoints(selectedViewpoints + ",cpintfroot*dur,chordtone*cpint"))
	for _, c := range []struct {
		name string
		read func(testing.TB) []Melody
	}{{"nottingham", readTunes}, {"wjazzd", readSolos}} {
		if n := os.Getenv("SIDEMAN_MODEL_CORPUS"); n != "" && n != c.name {
			continue
		}
		mels := c.read(t)
		for _, cfg := range []struct {
			name string
			cfg  Config
		}{{"selected", sel}, {"selected with chord ones", chords}} {
			r, err := Evaluation{Config: cfg.cfg}.Run(context.Background(), mels)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d pieces, %d notes: ltm %.3f stm %.3f both %.3f", c.name, cfg.name, r.Pieces, r.Notes, r.Bits.LTM, r.Bits.STM, r.Bits.Both)
		}
	}
}
