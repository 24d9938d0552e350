package learn

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"sideman/feel"
	"sideman/feel/eval"
	"sideman/internal/shareddata"
)

func corpora(t testing.TB) Corpora {
	t.Helper()
	shareddata.Dir(t, "wjazzd")
	shareddata.Dir(t, "groove-midi")
	shareddata.Dir(t, "vienna4x22")
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	return Corpora{Dir: root}
}

// The committed built-in feels are what their recipes learn from the
// corpora today: nobody edited a number by hand, and a change to the
// learner that moves them shows up here (make feels writes them again).
func TestBuiltinsReproduce(t *testing.T) {
	c := corpora(t)
	for _, r := range Recipes {
		p, err := r.Learn(c)
		if err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		p.Encode(&got)
		b, ok := feel.Builtin(r.Name)
		if !ok {
			t.Errorf("%s: no built-in of that name", r.Name)
			continue
		}
		b.Encode(&want)
		if got.String() != want.String() {
			t.Errorf("%s: learning again gives a different profile; run make feels and look at the diff", r.Name)
		}
	}
	if len(Recipes) != len(feel.BuiltinNames()) {
		t.Errorf("%d recipes, %d built-ins", len(Recipes), len(feel.BuiltinNames()))
	}
}

// The soloist feel agrees with the published measurements of jazz
// soloists.
func TestSoloistPublished(t *testing.T) {
	c := corpora(t)
	ps, err := wjazzdRole(c, feel.Soloist, swung)
	if err != nil {
		t.Fatal(err)
	}
	// Corcoran and Frieler (2021): eighth pairs of the WJazzD swing solos
	// have a mean beat-upbeat ratio of about 1.3. Transcribers wrote the
	// most swung pairs as triplets, so the pairs of both written slots
	// are pooled here; our profile keeps them apart (Swing and
	// TripletSwing).
	var sum float64
	var n int
	for i := range ps {
		for _, r := range ps[i].BeatUpbeatRatios(feel.Soloist) {
			if r >= 0.25 && r <= 5 {
				sum += r
				n++
			}
		}
	}
	mean := sum / float64(n)
	t.Logf("soloists' beat-upbeat ratio: mean %.3f over %d pairs", mean, n)
	if mean < 1.2 || mean > 1.4 {
		t.Errorf("mean beat-upbeat ratio %.3f, published about 1.3", mean)
	}
	prof, _ := feel.Builtin("swing-soloist")
	r := prof.Roles[feel.Soloist]
	// Nelias et al. (2022): soloists play downbeats about 30 ms behind the
	// beat at 150 bpm, less as the tempo rises.
	at := func(bpm float64) float64 {
		tm, ok := r.Timing(feel.SlotBeat, bpm)
		if !ok {
			t.Fatalf("no downbeat timing at %v bpm", bpm)
		}
		return tm.Ms.Mean
	}
	t.Logf("downbeat lateness: %.1f ms at 120, %.1f at 150, %.1f at 220, %.1f at 300 bpm", at(120), at(150), at(220), at(300))
	if l := at(150); l < 15 || l > 45 {
		t.Errorf("%.1f ms late at 150 bpm, published about 30", l)
	}
	if !(at(120) > at(150) && at(150) > at(220) && at(220) > at(300)) {
		t.Error("lateness does not shrink as the tempo rises")
	}
	// Hennig et al. (2011): human timing fluctuations are long-range
	// correlated, exponents between 0.5 and 1.
	if r.Hurst <= 0.55 || r.Hurst >= 1 {
		t.Errorf("soloists' fluctuation exponent %.2f, want long-range correlated (0.55 to 1)", r.Hurst)
	}
	rh, _ := feel.Builtin("swing-rhythm")
	for _, role := range []string{feel.Ride, feel.HiHat, feel.Kick, feel.Snare} {
		if h := rh.Roles[role].Hurst; h <= 0.55 || h >= 1 {
			t.Errorf("%s exponent %.2f, want 0.55 to 1", role, h)
		}
	}
}

// The evaluation the issue asks for: held-out human performances against
// the humanized versions of the same pieces quantized, the quantized
// pieces, and ±20 ms jitter. Ours must be closer than both on every metric
// the corpus has and within the spread between people on at least three.
// Against the other players' performances (the stricter variant) it must
// still beat the quantized pieces everywhere and the jitter on all but
// the Groove MIDI swing ratio, where the two tie (docs/feel.md).
func TestEvaluation(t *testing.T) {
	c := corpora(t)
	for _, against := range []eval.Against{eval.SamePieces, eval.OtherPlayers} {
		for _, evaluate := range []func(Corpora, eval.Options) (eval.Report, error){EvalGroove, EvalWJazzD} {
			rep, err := evaluate(c, eval.Options{Seed: 1, Runs: 5, Against: against})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Groups) < 5 {
				t.Fatalf("%s: only %d players to compare", rep.Corpus, len(rep.Groups))
			}
			within, metrics := 0, 0
			for _, m := range eval.MetricNames {
				ours := rep.Humanized.Metric(m)
				human, ok := rep.Human[m]
				if !ok {
					continue // WJazzD has no velocities
				}
				metrics++
				t.Logf("against %s: %s %s: human %.3f (%.3f-%.3f), humanized %.3f, quantized %.3f, jitter %.3f",
					against, rep.Corpus, m, human.Mean, human.Min, human.Max, ours, rep.Quantized.Metric(m), rep.Jitter.Metric(m))
				if math.IsNaN(ours) {
					t.Errorf("%s %s: nothing measured", rep.Corpus, m)
					continue
				}
				if ours <= human.Max {
					within++
				}
				if q := rep.Quantized.Metric(m); !math.IsNaN(q) && ours >= q {
					t.Errorf("against %s: %s %s: humanized %.3f not closer than quantized %.3f", against, rep.Corpus, m, ours, q)
				}
				tie := against == eval.OtherPlayers && m == "swing_ratio" && strings.HasPrefix(rep.Corpus, "Groove")
				if j := rep.Jitter.Metric(m); ours >= j && !tie {
					t.Errorf("against %s: %s %s: humanized %.3f not closer than jitter %.3f", against, rep.Corpus, m, ours, j)
				}
			}
			if within < min(3, metrics) {
				t.Errorf("against %s: %s: within the human spread on %d of %d metrics", against, rep.Corpus, within, metrics)
			}
			// Quantized pieces have no timing fluctuation to measure.
			if !math.IsNaN(rep.Quantized.Fluctuation) {
				t.Errorf("%s: quantized fluctuation %.3f, want none", rep.Corpus, rep.Quantized.Fluctuation)
			}
		}
	}
}

// BenchmarkRecipes learns every built-in feel from the corpora: reading
// WJazzD, Groove MIDI and vienna4x22 and summarizing them.
func BenchmarkRecipes(b *testing.B) {
	shareddata.Dir(b, "wjazzd")
	shareddata.Dir(b, "groove-midi")
	shareddata.Dir(b, "vienna4x22")
	root, err := shareddata.Root()
	if err != nil {
		b.Fatal(err)
	}
	c := Corpora{Dir: root}
	for b.Loop() {
		for _, r := range Recipes {
			if _, err := r.Learn(c); err != nil {
				b.Fatal(err)
			}
		}
	}
}
