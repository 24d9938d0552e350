package builtin_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"sideman/model"
	"sideman/model/builtin"
	"sideman/music"
)

// TestSampledLines is a listening aid, not a check (docs/model.md,
// "Built-in models"): it samples eight bars of eighth notes over
// Dm7 G7 Cmaj7 A7 twice from the jazz model (or the model file
// $SIDEMAN_LISTEN_MODEL), each note drawn from the prediction of a session
// that then learns it, for 30 seeds, and logs the lines and how many
// seeds lock into one repeated note (more than 30 of 63 repeats).
// SIDEMAN_LISTEN=ltm draws from the long-term model alone, =both (the
// default) from both.
func TestSampledLines(t *testing.T) {
	mode := os.Getenv("SIDEMAN_LISTEN")
	if mode == "" {
		t.Skip("a listening aid: SIDEMAN_LISTEN=both or ltm runs it")
	}
	b, _ := builtin.Find("jazz")
	m, err := b.Open()
	if f := os.Getenv("SIDEMAN_LISTEN_MODEL"); f != "" {
		var data []byte
		if data, err = os.ReadFile(f); err == nil {
			m, err = model.DecodeBytes(data)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	type chord struct {
		name  string
		root  int
		tones []int
	}
	changes := []chord{{"Dm7", 2, []int{2, 5, 9, 0}}, {"G7", 7, []int{7, 11, 2, 5}}, {"Cmaj7", 0, []int{0, 4, 7, 11}}, {"A7", 9, []int{9, 1, 4, 7}}}
	names := []string{"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"}
	locked, total := 0, 0
	for seed := uint64(1); seed <= 30; seed++ {
		s := m.Session()
		r := rand.New(rand.NewPCG(seed, 2))
		repeats, prev := 0, -1
		for bar := range 8 {
			c := changes[bar%4]
			var tones uint16
			for _, pc := range c.tones {
				tones |= 1 << pc
			}
			var line []string
			for e8 := range 8 {
				e := model.Event{Onset: music.Ticks(bar*3840 + e8*480), Duration: 480, HasChord: true, Root: c.root, Tones: tones,
					Bar: bar, Beat: e8 / 2, Offset: music.Ticks(e8%2) * 480, BeatTicks: 960}
				p := s.Predict(e)
				dist := p.Both
				if mode == "ltm" {
					dist = p.LTM
				}
				alpha := s.Alphabet()
				x, pick := r.Float64(), alpha[len(alpha)-1]
				for i, q := range dist {
					if x -= q; x < 0 {
						pick = alpha[i]
						break
					}
				}
				e.Pitch = pick
				s.Add(e)
				if pick == prev {
					repeats++
				}
				prev = pick
				mark := ""
				for _, pc := range c.tones {
					if pick%12 == pc {
						mark = "*" // a chord tone
					}
				}
				line = append(line, fmt.Sprintf("%s%d%s", names[pick%12], pick/12-1, mark))
			}
			t.Logf("seed %d bar %d %-6s %s", seed, bar+1, c.name, strings.Join(line, " "))
		}
		if repeats > 30 {
			locked++
		}
		total += repeats
		t.Logf("seed %d: %d of 63 notes repeat the one before", seed, repeats)
	}
	t.Logf("%s: %d of 30 seeds lock into a repeated note; %.1f repeats a line on average", mode, locked, float64(total)/30)
}
