package feel

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestWasserstein(t *testing.T) {
	// Shifting a sample by c moves it c away.
	a := []float64{1, 2, 3, 4}
	b := []float64{3, 4, 5, 6}
	if d := Wasserstein(a, b); math.Abs(d-2) > 1e-12 {
		t.Errorf("shift by 2: %v", d)
	}
	if d := Wasserstein(a, a); d != 0 {
		t.Errorf("same sample: %v", d)
	}
	// Point masses at 0 and at 0/10 half and half: half the mass moves 10.
	if d := Wasserstein([]float64{0, 0}, []float64{0, 10}); math.Abs(d-5) > 1e-12 {
		t.Errorf("half moved: %v", d)
	}
	if !math.IsNaN(Wasserstein(nil, a)) {
		t.Error("empty sample should give NaN")
	}
}

// The generator and the estimator check each other: fractional Gaussian
// noise of Hurst exponent h has a DFA exponent of h.
func TestNoiseDFA(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, h := range []float64{0.5, 0.7, 0.9} {
		var alphas []float64
		for range 20 {
			x := Noise(rng, 2048, h)
			m, sd := meanSD(x)
			// The mean of long-range correlated noise wanders: its
			// standard error is n^(h-1), 0.47 for h=0.9.
			if math.Abs(m) > 4*math.Pow(2048, h-1) || sd < 0.5 || sd > 1.5 {
				t.Fatalf("h=%v: mean %.2f sd %.2f, want about 0 and 1", h, m, sd)
			}
			a, ok := DFA(x)
			if !ok {
				t.Fatal("DFA refused a long series")
			}
			alphas = append(alphas, a)
		}
		a, _ := meanSD(alphas)
		if math.Abs(a-h) > 0.07 {
			t.Errorf("h=%v: DFA exponent %.3f", h, a)
		}
	}
	// A random walk measures about 1.5.
	walk := make([]float64, 4096)
	for i := 1; i < len(walk); i++ {
		walk[i] = walk[i-1] + rng.NormFloat64()
	}
	if a, _ := DFA(walk); math.Abs(a-1.5) > 0.1 {
		t.Errorf("random walk: %.3f, want 1.5", a)
	}
	if _, ok := DFA(make([]float64, 512)); ok {
		t.Error("a flat series has no exponent")
	}
}

func TestNoiseSeed(t *testing.T) {
	a := Noise(rand.New(rand.NewPCG(7, 7)), 100, 0.8)
	b := Noise(rand.New(rand.NewPCG(7, 7)), 100, 0.8)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different noise")
		}
	}
}

func TestBeatUpbeatRatios(t *testing.T) {
	// Four beats of swung eighths at 2:1, then a beat with a sixteenth
	// between, which does not count.
	p := &Performance{}
	for b := 0; b < 4; b++ {
		p.Hits = append(p.Hits,
			Hit{Beat: b, Slot: SlotBeat, Time: float64(b)},
			Hit{Beat: b, Slot: SlotLet, Time: float64(b) + 2.0/3})
	}
	p.Hits = append(p.Hits, Hit{Beat: 4, Slot: SlotBeat, Time: 4}, Hit{Beat: 4, Slot: SlotE, Time: 4.25},
		Hit{Beat: 4, Slot: SlotAnd, Time: 4.5}, Hit{Beat: 5, Slot: SlotBeat, Time: 5})
	r := BeatUpbeatRatios(p, "")
	if len(r) != 4 {
		t.Fatalf("got %d ratios, want 4: %v", len(r), r)
	}
	for _, v := range r {
		if math.Abs(v-2) > 1e-9 {
			t.Errorf("ratio %v, want 2", v)
		}
	}
}
