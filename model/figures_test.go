package model

import (
	"context"
	"os"
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
