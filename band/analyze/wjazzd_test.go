package analyze

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"testing"

	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/music"
)

// humanBass reads the Weimar Jazz Database's walking-bass transcriptions
// (Abeßer et al., 2017: 40 lines under csv_bass) and places each on the
// tick grid of its solo's beat track, with the solo's changes as the
// chart: the bass notes go through Solo.Piece as if they were the solo's.
func humanBass(tb testing.TB) (names []string, pieces []*music.Piece) {
	tb.Helper()
	file := shareddata.File(tb, "wjazzd/wjazzd-csv.tar.gz")
	ms, data, err := shareddata.ReadTarGz(file, shareddata.HasSuffix(".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	melody, beats, bass := map[string][]byte{}, map[string][]byte{}, map[string][]byte{}
	for i, m := range ms {
		base := strings.ToLower(path.Base(m.Name)) // case differs between folders
		switch {
		case strings.Contains(m.Name, "csv_melody/"):
			melody[base] = data[i]
		case strings.Contains(m.Name, "csv_beats/"):
			beats[base] = data[i]
		case strings.Contains(m.Name, "csv_bass/"):
			bass[path.Base(m.Name)] = data[i]
		}
	}
	for name := range bass {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		notes, err := wjazzd.Decoder{Source: name}.DecodeBassBytes(bass[name])
		if err != nil {
			tb.Fatal(err)
		}
		solo := strings.ToLower(strings.TrimSuffix(name, "_bass.csv") + ".csv")
		s, err := wjazzd.Decoder{Source: solo}.DecodeSoloBytes(melody[solo], beats[solo])
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		s.Notes = s.Notes[:0]
		for _, n := range notes {
			s.Notes = append(s.Notes, wjazzd.Note{Onset: n.Onset, Duration: n.Duration, Pitch: n.Pitch})
		}
		p, err := s.Piece(nil)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		p.Parts[0].Name, p.Parts[0].Role = "Bass", music.RoleBass
		pieces = append(pieces, p)
	}
	return names, pieces
}

// TestHumanWalkingBass cross-checks the beat-1 metrics on real players:
// issue 4 quotes about 79% chord tones on beat 1 for the WJazzD walking
// lines. The pooled rate must come out near it, not at a machine's 100%
// nor at chance.
func TestHumanWalkingBass(t *testing.T) {
	names, pieces := humanBass(t)
	if len(pieces) != 40 {
		t.Errorf("%d bass lines, want 40", len(pieces))
	}
	var tone, root, beat1, steps, intervals float64
	var rates, roots, stepShares []float64
	hist, approach := map[int]float64{}, map[string]float64{}
	for i, p := range pieces {
		r, err := Analyze(p, nil, 1)
		if err != nil {
			t.Errorf("%s: %v", names[i], err)
			continue
		}
		n := float64(r.N.BassBeat1)
		tone += r.BassChordToneRateBeat1 * n
		root += r.BassRootRateBeat1 * n
		beat1 += n
		steps += r.BassStepShare * float64(r.N.BassIntervals)
		intervals += float64(r.N.BassIntervals)
		for k, v := range r.BassIntervalHistogram {
			hist[k] += v * float64(r.N.BassIntervals)
		}
		for k, v := range r.BassApproachTypes {
			approach[k] += v * float64(r.N.BassApproaches)
		}
		if r.N.BassBeat1 > 0 {
			rates = append(rates, r.BassChordToneRateBeat1)
			roots = append(roots, r.BassRootRateBeat1)
			stepShares = append(stepShares, r.BassStepShare)
		}
	}
	iqr := func(xs []float64) string {
		sort.Float64s(xs)
		n := len(xs)
		return fmt.Sprintf("median %.1f%%, IQR %.1f..%.1f%%", 100*xs[n/2], 100*xs[n/4], 100*xs[3*n/4])
	}
	rate := tone / beat1
	t.Logf("WJazzD walking bass, %d lines, %.0f bars with a beat-1 note, %.0f intervals", len(pieces), beat1, intervals)
	t.Logf("beat-1 chord tones %.1f%% pooled (per line %s)", 100*rate, iqr(rates))
	t.Logf("beat-1 roots %.1f%% pooled (per line %s)", 100*root/beat1, iqr(roots))
	t.Logf("steps %.1f%% pooled (per line %s)", 100*steps/intervals, iqr(stepShares))
	t.Logf("intervals %s", shares(hist))
	t.Logf("approaches %s", shares(approach))
	if rate < 0.65 || rate > 0.9 {
		t.Errorf("human beat-1 chord-tone rate %.3f, want 0.65..0.9 (about 0.79)", rate)
	}
}

// shares prints a pooled histogram of counts as shares, keys in order.
func shares[K int | string](h map[K]float64) string {
	var keys []K
	var sum float64
	for k, v := range h {
		keys = append(keys, k)
		sum += v
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%v:%.1f%% ", k, 100*h[k]/sum)
	}
	return b.String()
}
