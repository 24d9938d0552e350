package stats

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
			m, sd := MeanSD(x)
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
		a, _ := MeanSD(alphas)
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

func TestMedianMeanSD(t *testing.T) {
	x := []float64{5, 1, 4, 2, 3}
	if m := Median(x); m != 3 {
		t.Errorf("median of 1..5: %v", m)
	}
	if x[0] != 5 || x[4] != 3 {
		t.Errorf("Median sorted its input: %v", x)
	}
	if m := Median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 1..4: %v, want 2.5", m)
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("median of nothing should be NaN")
	}
	// 1..5: mean 3, sample variance 10/4.
	if m, sd := MeanSD(x); m != 3 || math.Abs(sd-math.Sqrt(2.5)) > 1e-12 {
		t.Errorf("MeanSD of 1..5: %v, %v, want 3, %v", m, sd, math.Sqrt(2.5))
	}
	if m, sd := MeanSD([]float64{7}); m != 7 || sd != 0 {
		t.Errorf("MeanSD of one value: %v, %v", m, sd)
	}
	if m, sd := MeanSD(nil); m != 0 || sd != 0 {
		t.Errorf("MeanSD of nothing: %v, %v", m, sd)
	}
}

// The scales noise draws with are kept for a few exponents only, so that
// a server humanizing with ever new profiles does not grow, and a scale
// computed again after it was dropped draws the same noise.
func TestNoiseScalesBounded(t *testing.T) {
	first := Noise(rand.New(rand.NewPCG(3, 3)), 300, 0.71)
	for i := range 5 * noiseCacheSize {
		Noise(rand.New(rand.NewPCG(1, 1)), 300, 0.5+float64(i)/100)
	}
	noiseScales.Lock()
	held := len(noiseScales.recent)
	for _, e := range noiseScales.recent {
		if e.h == 0.71 {
			t.Error("the first exponent is still held after many others")
		}
	}
	noiseScales.Unlock()
	if held > noiseCacheSize {
		t.Errorf("%d scales held, want at most %d", held, noiseCacheSize)
	}
	again := Noise(rand.New(rand.NewPCG(3, 3)), 300, 0.71)
	cached := Noise(rand.New(rand.NewPCG(3, 3)), 300, 0.71)
	for i := range first {
		if first[i] != again[i] || again[i] != cached[i] {
			t.Fatalf("sample %d: %g, recomputed %g, cached %g", i, first[i], again[i], cached[i])
		}
	}
}
