package learn

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"sideman/feel"
	"sideman/feel/stats"
	"sideman/format/match"
	"sideman/internal/shareddata"
)

var matchOnce struct {
	sync.Once
	ps  []feel.Performance
	err error
}

// matchCorpus reads vienna4x22 once for all the tests that need it.
func matchCorpus(t *testing.T) []feel.Performance {
	t.Helper()
	tgz := shareddata.File(t, "vienna4x22/vienna4x22.tar.gz")
	matchOnce.Do(func() { matchOnce.ps, matchOnce.err = Vienna(tgz) })
	if matchOnce.err != nil {
		t.Fatal(matchOnce.err)
	}
	return matchOnce.ps
}

func matchMean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func TestViennaCorpus(t *testing.T) {
	ps := matchCorpus(t)
	if len(ps) != 88 {
		t.Fatalf("%d performances, want 88", len(ps))
	}
	players := map[string]int{}
	pieces := map[string]int{}
	hits := 0
	for _, p := range ps {
		players[p.Player]++
		pieces[p.Style]++
		hits += len(p.Hits)
		for _, h := range p.Hits {
			if !(h.BeatDur > 0) || h.Role != feel.Piano || h.BarBeat < 0 || h.BarBeat >= p.BeatsPerBar ||
				h.Beat < 0 || h.Beat > p.Beats || h.Velocity < 1 {
				t.Fatalf("%s: hit %+v", p.Name, h)
			}
		}
		if !sort.SliceIsSorted(p.Hits, func(i, j int) bool { return p.Hits[i].Grid < p.Hits[j].Grid }) {
			t.Errorf("%s: hits not sorted", p.Name)
		}
	}
	if len(players) != 22 || players["p01"] != 4 || players["p22"] != 4 || len(pieces) != 4 {
		t.Errorf("players %v, pieces %v", players, pieces)
	}
	// Every matched note is a hit: 43,472 in the corpus.
	if hits != 43472 {
		t.Errorf("%d hits, want 43472", hits)
	}
	for _, want := range []struct {
		piece   string
		perBar  int
		lo, hi  float64 // mean tempo range, beats a minute
		minBeat int
	}{
		// The beat: quarter in 2/4 (op. 10/3, Lento ma non troppo) and 3/4
		// (D. 783), dotted quarter in 6/8 (op. 38, Andantino; K. 331,
		// Andante grazioso).
		{"Chopin_op10_no3", 2, 20, 50, 40},
		{"Chopin_op38", 2, 30, 60, 90},
		{"Mozart_K331_1st-mov", 2, 25, 60, 70},
		{"Schubert_D783_no15", 3, 100, 200, 95},
	} {
		var bpms []float64
		for _, p := range ps {
			if p.Style != want.piece {
				continue
			}
			bpms = append(bpms, p.Tempo)
			if p.BeatsPerBar != want.perBar || p.Beats < want.minBeat {
				t.Errorf("%s: %d beats a bar, %d beats", p.Name, p.BeatsPerBar, p.Beats)
			}
		}
		sort.Float64s(bpms)
		t.Logf("%s: tempo %.1f to %.1f bpm, median %.1f", want.piece, bpms[0], bpms[len(bpms)-1], bpms[len(bpms)/2])
		if len(bpms) != 22 || bpms[0] < want.lo || bpms[len(bpms)-1] > want.hi {
			t.Errorf("%s: tempi %v outside %v..%v", want.piece, bpms, want.lo, want.hi)
		}
	}
}

// matchChords groups a performance's hits by score onset (hits of one
// onset share their grid time), grace notes left out.
func matchChords(p feel.Performance) [][]feel.Hit {
	var out [][]feel.Hit
	var cur []feel.Hit
	for _, h := range p.Hits {
		if h.Articulation == 0 {
			continue
		}
		if len(cur) > 0 && cur[0].Grid != h.Grid {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, h)
	}
	return append(out, cur)
}

// TestViennaMelodyLead: the highest note of a chord sounds before the
// others, and louder (Goebl, "Melody lead in piano performance:
// expressive device or artifact?", JASA 110(1), 2001, measured about 30 ms
// on this corpus; Palmer 1996 found 20-50 ms).
func TestViennaMelodyLead(t *testing.T) {
	ps := matchCorpus(t)
	perPiece := map[string][]float64{}
	var leads, topVel, restVel []float64
	for _, p := range ps {
		for _, c := range matchChords(p) {
			if len(c) < 2 {
				continue
			}
			top := 0
			for i, h := range c {
				if h.Pitch > c[top].Pitch {
					top = i
				}
			}
			var rest, rv float64
			for i, h := range c {
				if i != top {
					rest += h.Time
					rv += float64(h.Velocity)
				}
			}
			n := float64(len(c) - 1)
			lead := rest/n - c[top].Time
			if math.Abs(lead) > 0.15 { // an arpeggio or a misplaced note, not a lead
				continue
			}
			leads = append(leads, lead)
			perPiece[p.Style] = append(perPiece[p.Style], lead)
			topVel = append(topVel, float64(c[top].Velocity))
			restVel = append(restVel, rv/n)
		}
	}
	lead := matchMean(leads) * 1000
	t.Logf("melody lead %.1f ms over %d chords; velocity top %.1f, rest %.1f", lead, len(leads), matchMean(topVel), matchMean(restVel))
	for piece, l := range perPiece {
		t.Logf("  %s: %.1f ms over %d chords", piece, matchMean(l)*1000, len(l))
	}
	// Measured: 20.7 ms over 12,238 chords (Chopin op. 38 25 ms, K. 331
	// 23 ms, op. 10/3 19 ms, D. 783 10 ms): the top note against the
	// mean of all the others, both hands, where Goebl compared the
	// melody with the other notes of its own hand.
	if lead < 10 || lead > 40 {
		t.Errorf("melody lead %.1f ms, want 10 to 40", lead)
	}
	for piece, l := range perPiece {
		if m := matchMean(l) * 1000; m < 5 || m > 50 {
			t.Errorf("%s: melody lead %.1f ms, want 5 to 50", piece, m)
		}
	}
	if matchMean(topVel) < matchMean(restVel)+5 {
		t.Errorf("top voice velocity %.1f not above the rest %.1f", matchMean(topVel), matchMean(restVel))
	}
}

// TestViennaArticulation: pianists let a note sound for about its written
// length (key and sustain pedal together), longer in pedalled legato,
// shorter in detached playing. Measured: quartiles 0.77, 0.96, 1.19 over
// the corpus; 3 of the 88 performances (Schubert D. 783, played with
// little pedal and the dance's accompaniment detached) have a median
// near 0.25.
func TestViennaArticulation(t *testing.T) {
	ps := matchCorpus(t)
	perPiece := map[string][]float64{}
	var all []float64
	short := 0
	for _, p := range ps {
		var arts []float64
		for _, h := range p.Hits {
			if h.Articulation > 0 {
				arts = append(arts, h.Articulation)
			}
		}
		if m := stats.Median(arts); m < 0.5 || m > 1.5 {
			t.Logf("%s: median articulation %.2f", p.Name, m)
			short++
		}
		perPiece[p.Style] = append(perPiece[p.Style], arts...)
		all = append(all, arts...)
	}
	sort.Float64s(all)
	t.Logf("articulation quartiles %.2f %.2f %.2f over %d notes", all[len(all)/4], all[len(all)/2], all[3*len(all)/4], len(all))
	if m := all[len(all)/2]; m < 0.5 || m > 1.5 {
		t.Errorf("median articulation %.2f", m)
	}
	for piece, a := range perPiece {
		m := stats.Median(a)
		t.Logf("  %s: median %.2f", piece, m)
		if m < 0.5 || m > 1.5 {
			t.Errorf("%s: median articulation %.2f", piece, m)
		}
	}
	if short > 5 {
		t.Errorf("%d of %d performances with a median articulation outside 0.5 to 1.5", short, len(ps))
	}
}

// TestViennaGrid: the fitted grid follows the performance: residuals of
// the chord onsets are tens of milliseconds, not the seconds of rubato.
func TestViennaGrid(t *testing.T) {
	ps := matchCorpus(t)
	var devs []float64
	slots := map[feel.Slot]int{}
	for _, p := range ps {
		for _, h := range p.Hits {
			devs = append(devs, math.Abs(h.Dev()))
			slots[h.Slot]++
		}
	}
	sort.Float64s(devs)
	med, p90 := devs[len(devs)/2], devs[len(devs)*9/10]
	t.Logf("|dev| median %.1f ms, 90th percentile %.1f ms; slots %v", med*1000, p90*1000, slots)
	if med > 0.05 || p90 > 0.2 {
		t.Errorf("|dev| median %.3f s, 90th %.3f s", med, p90)
	}
}

// TestMatchPerformance places a hand-written file: a steady quarter at
// 0.5 s, the top note 30 ms early.
func TestMatchPerformance(t *testing.T) {
	src := `info(piece,Test_piece).
info(midiClockUnits,480).
info(midiClockRate,500000).
scoreprop(timeSignature,3/4,1:1,0,0.0000).
snote(a1,[C,n],5,1:1,0,1/4,0.0000,1.0000,[v1])-note(p1,72,985,1385,80,0,0).
snote(b1,[C,n],4,1:1,0,1/4,0.0000,1.0000,[v2])-note(p2,60,1015,1300,50,0,0).
snote(a2,[D,n],5,1:2,0,1/8,1.0000,1.5000,[v1])-note(p3,74,1480,1720,80,0,0).
snote(b2,[E,n],5,1:2,1/8,1/8,1.5000,2.0000,[v1])-note(p4,76,1720,1960,80,0,0).
snote(a3,[F,n],5,1:3,0,1/4,2.0000,3.0000,[v1])-note(p5,77,1960,2440,80,0,0).
snote(a4,[G,n],5,2:1,0,1/4,3.0000,4.0000,[v1])-deletion.
snote(a5,[A,n],5,2:2,0,1/4,4.0000,5.0000,[v1])-note(p6,81,2920,3400,80,0,0).
insertion-note(p7,50,1000,1100,30,0,0).
`
	f, err := match.Decode(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := MatchPerformance(f, "Test_piece_p07")
	if err != nil {
		t.Fatal(err)
	}
	if p.Player != "p07" || p.Style != "Test_piece" || p.BeatsPerBar != 3 || p.Beats != 5 || len(p.Hits) != 6 {
		t.Fatalf("%+v", p)
	}
	// 480 ticks a beat at 1/960 s a tick: 0.5 s a beat, 120 bpm.
	if math.Abs(p.Tempo-120) > 1e-6 {
		t.Errorf("tempo %.2f", p.Tempo)
	}
	b2 := p.Hits[3]
	if b2.Pitch != 76 || b2.Slot != feel.SlotAnd || b2.Beat != 1 || b2.BarBeat != 1 || math.Abs(b2.BeatDur-0.5) > 0.01 ||
		math.Abs(b2.Time-1720.0/960) > 1e-9 || math.Abs(b2.Dev()) > 1e-9 {
		t.Errorf("upbeat %+v", b2)
	}
	a5 := p.Hits[5]
	if a5.Beat != 4 || a5.BarBeat != 1 || math.Abs(a5.Articulation-1) > 1e-9 {
		t.Errorf("last note %+v", a5)
	}
	if a1 := p.Hits[0]; a1.Pitch != 72 || a1.Velocity != 80 || math.Abs(a1.Articulation-400.0/480) > 1e-9 || math.Abs(a1.Dev()+15.0/960) > 1e-9 {
		t.Errorf("first note %+v", a1)
	}
}

func TestViennaFolder(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../../format/match/testdata/k331.match")
	if err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Mozart_K331_1st-mov_p01.match"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := Vienna(dir)
	if err != nil || len(ps) != 1 || ps[0].Player != "p01" || ps[0].BeatsPerBar != 2 {
		t.Fatalf("%v %+v", err, ps)
	}
	if _, err := Vienna(t.TempDir()); err == nil {
		t.Error("empty folder read without error")
	}
}
