package improv_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"sideman/improv"
	"sideman/improv/judge"
	"sideman/music"
)

// avoidNote tells a pitch class that is no tone of the chord but a half
// step above one, as jazz harmony hears it: an avoid note (the 11 over a
// major or dominant chord, the natural 5 over m7b5, the b9 over a major
// or minor chord), but for the tensions a dominant or half-diminished
// chord takes (b9, #9 and b13 over a seventh, b9 over m7b5).
func avoidNote(ch music.Chord, pc int) bool {
	tones := ch.PitchClasses()
	if tones&(1<<pc) != 0 || tones&(1<<((pc+11)%12)) == 0 {
		return false
	}
	r := ch.Root.PitchClass()
	has := func(iv int) bool { return tones&(1<<((r+iv)%12)) != 0 }
	iv := (pc - r + 12) % 12
	switch {
	case has(4) && has(10) && (iv == 1 || iv == 3 || iv == 8):
		return false
	case has(3) && has(6) && has(10) && iv == 1:
		return false
	}
	return true
}

// lineFigures are what a musician listens for in a line, summed over
// solos, each over its lead's beats.
type lineFigures struct {
	strong, strongTones, avoid, resolved float64
	intervals                            [25]float64 // -12..+12, wider leaps at the ends
	steps, runOn                         float64     // steps followed by another note, and by one on in the same direction
	pitch, notes                         float64
	soloSD, solos                        float64
	windows, circling                    float64 // 8-note windows, those of three pitches or fewer
	segments, mixed                      float64 // 24-note segments, those with 3+ notes under 0.3 beats and 3+ of 0.7 and more
	copied, longest                      float64 // notes inside a verbatim repeat of 8+ notes of earlier ones (improv.Repeats); the longest repeat, summed over solos
	clicks, clicks20                     float64 // notes sounding under 30 ms (20 ms) at the lead's tempo
}

// strongBeat is the beat of the lead a note at beat position on is
// struck on when it is beat 1 or 3 (within a sixth of a beat), else -1.
func strongBeat(l judge.Lead, on float64) int {
	b := int(math.Round(on))
	if b < 0 || b >= len(l.Beats) || math.Abs(on-float64(b)) > 1.0/6 || (l.Beats[b].InBar != 1 && l.Beats[b].InBar != 3) {
		return -1
	}
	return b
}

func (f *lineFigures) add(l judge.Lead, on, dur []float64, ps []uint8) {
	line := make([]int, len(ps))
	for i, p := range ps {
		line[i] = int(p)
		if dur[i]*60000/l.Tempo < 30 {
			f.clicks++
		}
		if dur[i]*60000/l.Tempo < 20 {
			f.clicks20++
		}
	}
	share, longest := improv.Repeats(line, 8)
	f.copied += share * float64(len(ps))
	f.longest += float64(longest)
	for i, p := range ps {
		f.pitch += float64(p)
		f.notes++
		b := strongBeat(l, on[i])
		if b < 0 || l.Beats[b].Chord.NoChord {
			continue
		}
		ch := l.Beats[b].Chord
		f.strong++
		if ch.PitchClasses()&(1<<(p%12)) != 0 {
			f.strongTones++
		}
		if avoidNote(ch, int(p)%12) {
			f.avoid++
			if i+1 < len(ps) {
				nb := min(max(int(math.Round(on[i+1])), 0), len(l.Beats)-1)
				d := int(ps[i+1]) - int(p)
				if nc := l.Beats[nb].Chord; d != 0 && d >= -2 && d <= 2 && !nc.NoChord && nc.PitchClasses()&(1<<(ps[i+1]%12)) != 0 {
					f.resolved++
				}
			}
		}
	}
	for i := 1; i < len(ps); i++ {
		d := int(ps[i]) - int(ps[i-1])
		f.intervals[min(max(d, -12), 12)+12]++
		if i >= 2 {
			if a := int(ps[i-1]) - int(ps[i-2]); a != 0 && a >= -2 && a <= 2 && d != 0 {
				f.steps++
				if (a > 0) == (d > 0) {
					f.runOn++
				}
			}
		}
	}
	var sum, sq float64
	for _, p := range ps {
		sum, sq = sum+float64(p), sq+float64(p)*float64(p)
	}
	if n := float64(len(ps)); n > 10 {
		f.soloSD += math.Sqrt(sq/n - (sum/n)*(sum/n))
		f.solos++
	}
	for i := 8; i <= len(ps); i++ {
		w := slices.Clone(ps[i-8 : i])
		slices.Sort(w)
		f.windows++
		if len(slices.Compact(w)) <= 3 {
			f.circling++
		}
	}
	for i := 0; i+24 < len(on); i += 24 {
		var fast, long int
		for j := i; j < i+24; j++ {
			switch d := on[j+1] - on[j]; {
			case d < 0.3:
				fast++
			case d >= 0.7:
				long++
			}
		}
		f.segments++
		if fast >= 3 && long >= 3 {
			f.mixed++
		}
	}
}

func (f *lineFigures) String() string {
	iv := func(ds ...int) float64 {
		n, all := 0.0, 0.0
		for k, v := range f.intervals {
			all += v
			if slices.Contains(ds, k-12) {
				n += v
			}
		}
		return n / all
	}
	return fmt.Sprintf("strong-beat chord tones %.3f, avoid notes %.3f (resolved by step %.3f); intervals: repeats %.3f, half steps %.3f, whole steps %.3f, a sixth or more %.3f; a step runs on %.3f; mean pitch %.1f, sd in a solo %.2f; 8-note windows of 3 pitches or fewer %.3f; 24-note segments mixing fast and long notes %.3f; notes in verbatim repeats of 8+ %.3f, the longest repeat %.1f notes (mean over solos); notes under 30 ms %.4f, under 20 ms %.4f",
		f.strongTones/f.strong, f.avoid/f.strong, f.resolved/f.avoid, iv(0), iv(-1, 1), iv(-2, 2), iv(-12, -11, -10, -9, -8, 8, 9, 10, 11, 12),
		f.runOn/f.steps, f.pitch/f.notes, f.soloSD/f.solos, f.circling/f.windows, f.mixed/f.segments, f.copied/f.notes, f.longest/f.solos, f.clicks/f.notes, f.clicks20/f.notes)
}

// TestLineFigures measures, as docs/model.md ("Solo") reports them, what
// a musician listens for in sideman's lines and in WJazzD's over the same
// leads (every 10th solo; the model learned from the performers of none
// of them): SIDEMAN_MODEL_FIGURES=1 runs it.
func TestLineFigures(t *testing.T) {
	if os.Getenv("SIDEMAN_MODEL_FIGURES") != "1" {
		t.Skip("measurement only: set SIDEMAN_MODEL_FIGURES=1 (docs/model.md)")
	}
	c, mels := readWJazzD(t)
	var train, test []*judge.Solo
	held := map[string]bool{}
	for i, s := range c.Solos {
		if i%10 == 0 {
			test = append(test, s)
			held[s.Performer] = true
		}
	}
	for _, s := range c.Solos {
		if !held[s.Performer] {
			train = append(train, s)
		}
	}
	player, err := sideman(mels).Train(context.Background(), train)
	if err != nil {
		t.Fatal(err)
	}
	var human, ours lineFigures
	for _, s := range test {
		l := judge.LeadOf(s, 1)
		notes, err := player.Solo(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		var on, dur []float64
		var ps []uint8
		for _, n := range s.Notes {
			on, dur, ps = append(on, n.Onset), append(dur, n.Duration), append(ps, n.Pitch)
		}
		human.add(l, on, dur, ps)
		on, dur, ps = on[:0], dur[:0], ps[:0]
		for _, n := range notes {
			on, dur, ps = append(on, float64(n.Start)/judge.TicksPerBeat), append(dur, float64(n.Duration)/judge.TicksPerBeat), append(ps, n.Pitch)
		}
		ours.add(l, on, dur, ps)
	}
	t.Logf("%d solos held out, the model learned from %d\nWJazzD:  %v\nsideman: %v", len(test), len(train), &human, &ours)
}
