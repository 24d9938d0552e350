package eval

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"sideman/feel"
)

func TestAgainstText(t *testing.T) {
	for _, a := range []Against{SamePieces, OtherPlayers} {
		text, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Against
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("%v: %q reads back as %v (%v)", a, text, back, err)
		}
	}
	if s := SamePieces.String() + " " + OtherPlayers.String(); s != "same others" {
		t.Errorf("names %q, want the command line's same and others", s)
	}
	var a Against
	if err := a.UnmarshalText([]byte("both")); err == nil {
		t.Error("against both: no error")
	}
	if _, err := Against(7).MarshalText(); err == nil {
		t.Error("mode 7 written without an error")
	}
	// Reports keep their JSON: "against": "others".
	b, err := json.Marshal(Report{Against: OtherPlayers})
	if err != nil || !strings.Contains(string(b), `"against":"others"`) {
		t.Errorf("report JSON %s (%v)", b, err)
	}
}

// players are four players' performances of 300 beats: each plays a
// ride on every beat and a swung upbeat, late by the player's own lag,
// spread by its own jitter; the fourth has one performance only.
func players() []feel.Performance {
	rng := rand.New(rand.NewPCG(3, 4))
	var out []feel.Performance
	for pi, who := range []string{"ann", "bo", "cy", "di"} {
		n := 3
		if who == "di" {
			n = 1
		}
		for k := range n {
			p := feel.Performance{Name: who + string(rune('a'+k)), Player: who, Tempo: 120, Beats: 300, BeatsPerBar: 4}
			lag, spread := 0.005*float64(pi), 0.004+0.002*float64(pi)
			for b := range 300 {
				grid := 0.5 * float64(b)
				for _, s := range []feel.Slot{feel.SlotBeat, feel.SlotLet} {
					g := grid + 0.5*s.Share()
					p.Hits = append(p.Hits, feel.Hit{Role: feel.Ride, Beat: b, BarBeat: b % 4, Slot: s, Grid: g, BeatDur: 0.5,
						Time: g + lag + spread*rng.NormFloat64(), Velocity: 60 + rng.IntN(40), Pitch: 51})
				}
			}
			p.Sort()
			out = append(out, p)
		}
	}
	return out
}

// Evaluate leaves out players with too few performances, gives the same
// report for the same seed, and compares with the other players when
// asked, the yardstick staying as it was.
func TestEvaluate(t *testing.T) {
	held := players()
	prof := feel.Learn("ride", held)
	feelFor := func(*feel.Performance) *feel.Profile { return prof }
	opt := Options{Corpus: "test", Seed: 1, Runs: 2, MinPerformances: 2}
	a := Evaluate(held, feelFor, opt)
	if got := strings.Join(a.Groups, " "); got != "ann bo cy" {
		t.Errorf("groups %q, want the three players with 2 performances or more", got)
	}
	if a.Corpus != "test" || a.Runs != 2 || a.Performances != len(held) || a.Against != SamePieces {
		t.Errorf("report header %+v", a)
	}
	if b := Evaluate(held, feelFor, opt); !reflect.DeepEqual(mustJSON(t, a), mustJSON(t, b)) {
		t.Error("same seed, different reports")
	}
	for _, m := range []float64{a.Humanized.Timing, a.Quantized.Timing, a.Jitter.Timing} {
		if math.IsNaN(m) || m <= 0 {
			t.Errorf("timing distances %v %v %v: want each measured", a.Humanized.Timing, a.Quantized.Timing, a.Jitter.Timing)
			break
		}
	}
	// Against the same pieces the quantized timing is the players' own
	// lag and spread; against the others, theirs.
	opt.Against = OtherPlayers
	o := Evaluate(held, feelFor, opt)
	if o.Against != OtherPlayers || o.Quantized.Timing == a.Quantized.Timing {
		t.Errorf("against others: quantized timing %v, against the same pieces %v", o.Quantized.Timing, a.Quantized.Timing)
	}
	if !reflect.DeepEqual(o.Human, a.Human) {
		t.Error("the yardstick (human against human) changed with the mode")
	}
}

func mustJSON(t *testing.T, r Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
