package trade

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"sideman/improv/motif"
	"sideman/music"
)

// cut is a four-bar phrase cut from a WJazzD solo, with the four bars of
// the solo's changes after it for the answer.
type cut struct {
	solo  string
	bar   int               // the phrase's first bar in the solo (0 the first)
	bars  []music.PlayedBar // eight bars, rebased to tick 0
	notes []music.Note      // the phrase, rebased
	bpm   float64
}

// cuts are n four-bar phrases from the held-out solos (those the model
// did not learn): from each solo in turn the next four bars, starting at
// bar 9, 17, … of the solo, that hold at least 8 notes and have four bars
// of changes after them.
func cuts(tb testing.TB, n int) []cut {
	solos := readSolos(tb)
	next := map[int]int{}
	var out []cut
	for round := 0; len(out) < n && round < 20; round++ {
		for i, s := range solos {
			if !heldOut(i) || len(out) >= n {
				continue
			}
			for b := max(next[i], 8); b+8 <= len(s.played); b += 8 {
				ns := s.notesIn(b, b+4)
				if len(ns) < 8 {
					continue
				}
				next[i] = b + 8
				base := s.played[b].Start
				c := cut{solo: s.name, bar: b, bpm: float64(s.chart.Tempo)}
				if c.bpm <= 0 {
					c.bpm = 120
				}
				for _, pb := range s.played[b : b+8] {
					pb.Start -= base
					c.bars = append(c.bars, pb)
				}
				for _, n := range ns {
					n.Start -= base
					c.notes = append(c.notes, n)
				}
				out = append(out, c)
				break
			}
		}
	}
	if len(out) < n {
		tb.Fatalf("%d phrases cut, want %d", len(out), n)
	}
	return out
}

// answerTo trades one turn: the phrase as the player's, the answer asked
// for 10 ms before the downbeat of bar 5.
func answerTo(tb testing.TB, c cut, seed uint64) *Answer {
	tr, err := New(c.bars, Options{Model: jazzModel(tb), ModelName: "wjazzd-heldout", Seed: seed, IDs: music.NewIDs(1 << 40)})
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range c.notes {
		if err := tr.Play(n); err != nil {
			tb.Fatal(err)
		}
	}
	a, err := tr.Answer(context.Background(), c.bars[4].Start-Ticks(Lateness, c.bpm))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestMotifDevelopment measures the motif-development rates over
// 100 phrases cut from WJazzD solos the model did not learn: the share of
// answers sharing a contour or rhythm 3-gram (improv/motif's: contour the
// sign of each interval, rhythm the inter-onset intervals on a twelfth of
// a quarter) with the phrase they answer (at least 70%), the same share
// with a random other phrase, the interval edit distance from the phrase
// (at least 3 always: no transposed copy), and that different phrases get
// different answers.
//
// The issue also asks the "or" rate to be 30 points above the random
// other's; with three-class contour 3-grams two unrelated players'
// phrases share one almost always (the test logs how often), so no
// answer can show that gap on the "or" rule. The test logs it as it is
// and asserts the gap on the rhythm 3-grams, which separate; it logs the
// contour and rhythm rates apart, and (an additional figure, not the
// issue's) the rates for 3-grams of the Jazzomat's fuzzy intervals.
func TestMotifDevelopment(t *testing.T) {
	cs := cuts(t, 100)
	answers := make([][]music.Note, len(cs))
	phrases := make([][]music.Note, len(cs))
	var fit [2][2]int // chord tones and notes on strong beats: the phrases', the answers'
	var all [2][2]int // chord tones and notes on any beat
	var notes, afterOne, pickups, cellAtStart int
	var bars float64
	ops := map[string]int{}
	for i, c := range cs {
		a := answerTo(t, c, 1)
		answers[i], phrases[i] = a.Notes, a.Heard.LineNotes()
		notes += len(a.Notes)
		switch first := a.Notes[0].Start; {
		case first < a.Turn.Downbeat:
			pickups++
		case first > a.Turn.Downbeat:
			afterOne++
		}
		last := a.Notes[len(a.Notes)-1]
		bars += float64(last.End()-a.Turn.Downbeat) / float64(4*music.PPQ)
		if a.Developments[0].From[0] == phrases[i][0].ID {
			cellAtStart++
		}
		for _, d := range a.Developments {
			ops[d.Op]++
		}
		st := &State{Bars: c.bars, Grid: music.GridOf(c.bars), spans: music.Spans(c.bars)}
		for w, ns := range [][]music.Note{phrases[i], answers[i]} {
			for _, n := range ns {
				if e := st.Event(n); e.HasChord {
					all[w][1]++
					if e.Tones&(1<<(e.Pitch%12)) != 0 {
						all[w][0]++
					}
				}
				if e := st.Event(n); e.HasChord && strong(e) {
					fit[w][1]++
					if e.Tones&(1<<(e.Pitch%12)) != 0 {
						fit[w][0]++
					}
				}
			}
		}
	}
	n := float64(len(cs))
	t.Logf("answers: %.1f notes, %.2f bars on average; %d start after the downbeat, %d before it; %d develop a cell at the phrase's start; statements %v",
		float64(notes)/n, bars/n, afterOne, pickups, cellAtStart, ops)
	t.Logf("chord tones on strong beats: the phrases %.0f%% of %d notes, the answers %.0f%% of %d; on any beat %.0f%% and %.0f%%",
		100*float64(fit[0][0])/float64(fit[0][1]), fit[0][1], 100*float64(fit[1][0])/float64(fit[1][1]), fit[1][1],
		100*float64(all[0][0])/float64(all[0][1]), 100*float64(all[1][0])/float64(all[1][1]))
	rng := rand.New(rand.NewPCG(15, 2))
	other := rng.Perm(len(cs))
	for i := range other { // a random other phrase, never its own
		if other[i] == i {
			j := (i + 1) % len(other)
			other[i], other[j] = other[j], other[i]
		}
	}
	var own, ownC, ownR, ownF, ownFR, rnd, rndC, rndR, rndF, rndFR, base, baseF int
	minDist, sumDist := 1<<30, 0
	for i := range cs {
		c, r := SharesGram(answers[i], phrases[i])
		ownC, ownR = ownC+b2i(c), ownR+b2i(r)
		own += b2i(c || r)
		f := sharesFuzzy(answers[i], phrases[i])
		ownF, ownFR = ownF+b2i(f), ownFR+b2i(f || r)
		c, r = SharesGram(answers[i], phrases[other[i]])
		rndC, rndR = rndC+b2i(c), rndR+b2i(r)
		rnd += b2i(c || r)
		f = sharesFuzzy(answers[i], phrases[other[i]])
		rndF, rndFR = rndF+b2i(f), rndFR+b2i(f || r)
		c, r = SharesGram(phrases[i], phrases[other[i]]) // what two players' phrases share by chance
		base += b2i(c || r)
		baseF += b2i(sharesFuzzy(phrases[i], phrases[other[i]]))
		d := IntervalDistance(answers[i], phrases[i])
		sumDist += d
		if d < minDist {
			minDist = d
		}
		if d < 3 {
			t.Errorf("%s bar %d: answer %d intervals from the phrase, want at least 3", cs[i].solo, cs[i].bar+1, d)
		}
	}
	same := 0
	for i := range answers {
		for j := range i {
			if !slices.Equal(phrasesKey(phrases[i]), phrasesKey(phrases[j])) && slices.Equal(phrasesKey(answers[i]), phrasesKey(answers[j])) {
				same++
			}
		}
	}
	pc := func(k int) float64 { return 100 * float64(k) / n }
	t.Logf("%d phrases: shares a contour or rhythm 3-gram with its phrase %.0f%% (contour %.0f%%, rhythm %.0f%%); with a random other %.0f%% (contour %.0f%%, rhythm %.0f%%); two of the phrases themselves share one %.0f%% of the time",
		len(cs), pc(own), pc(ownC), pc(ownR), pc(rnd), pc(rndC), pc(rndR), pc(base))
	t.Logf("the issue's gap (contour or rhythm): %.0f points; rhythm alone: %.0f points; contour alone: %.0f points",
		pc(own)-pc(rnd), pc(ownR)-pc(rndR), pc(ownC)-pc(rndC))
	t.Logf("additional figure, 3-grams of fuzzy intervals (the Jazzomat's nine classes) or rhythm: with its phrase %.0f%%, with a random other %.0f%% (%.0f points); fuzzy alone %.0f%% and %.0f%% (%.0f points); two phrases share a fuzzy one %.0f%%",
		pc(ownFR), pc(rndFR), pc(ownFR)-pc(rndFR), pc(ownF), pc(rndF), pc(ownF)-pc(rndF), pc(baseF))
	t.Logf("interval edit distance min %d mean %.1f; %d pairs of different phrases with one answer", minDist, float64(sumDist)/n, same)
	if pc(own) < 70 {
		t.Errorf("%.0f%% of answers share a 3-gram with their phrase, want at least 70%%", pc(own))
	}
	if pc(ownR)-pc(rndR) < 30 {
		t.Errorf("rhythm 3-grams: %.0f%% with their phrase, %.0f%% with a random other: %.0f points apart, want at least 30", pc(ownR), pc(rndR), pc(ownR)-pc(rndR))
	}
	if same > 0 {
		t.Errorf("%d pairs of different phrases got the same answer", same)
	}
}

// sharesFuzzy reports whether two lines share a 3-gram of fuzzy
// intervals, the Jazzomat's nine classes (Frieler, Pfleiderer et al.,
// Inside the Jazzomat, 2017: repeat, step, leap, jump, large jump, up or
// down): a finer contour than the sign, for an additional figure only.
func sharesFuzzy(a, b []music.Note) bool {
	grams := func(ns []music.Note) map[[3]int]bool {
		iv := motif.Intervals(motifLine(ns))
		out := map[[3]int]bool{}
		for i := 0; i+3 <= len(iv); i++ {
			var g [3]int
			for k := range g {
				g[k] = sign(iv[i+k]) * intervalClass(iv[i+k])
			}
			out[g] = true
		}
		return out
	}
	ga := grams(a)
	for g := range grams(b) {
		if ga[g] {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// phrasesKey is a line's pitches and onsets from its first note.
func phrasesKey(ns []music.Note) []int {
	var out []int
	for _, n := range ns {
		out = append(out, int(n.Pitch), int(n.Start-ns[0].Start))
	}
	return out
}

// BenchmarkAnswer times answers to the player's fours from a model
// already holding the player's earlier phrases: over the longest
// held-out WJazzD solos, traded from their first bar, each answer after
// the fourth (16 bars of the player and 12 of answers heard) is timed,
// the answer asked for 10 ms before its downbeat. It reports the 99th
// percentile, wall and thread CPU, as BenchmarkPredict64Bars does.
func BenchmarkAnswer(b *testing.B) {
	solos := readSolos(b)
	m := jazzModel(b)
	var long []solo
	for i, s := range solos {
		if heldOut(i) && len(s.played) >= 64 {
			long = append(long, s)
		}
	}
	if len(long) == 0 {
		b.Fatal("no long held-out solo")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var times, cpus []time.Duration
	var notes, heard int // answer notes, and player's notes learned, in the timed answers
	k := 0
	var tr *Trader
	var turn int
	var s solo
	b.ResetTimer()
	for b.Loop() {
		if tr == nil || (turn+2)*4 > len(s.played) {
			b.StopTimer()
			s = long[k%len(long)]
			k++
			tr, _ = New(s.played, Options{Model: m, ModelName: "wjazzd-heldout", Seed: uint64(k), IDs: music.NewIDs(1 << 40)})
			turn = 1
			b.StartTimer()
		}
		for _, n := range s.notesIn((turn-1)*4, turn*4) {
			tr.Play(n)
		}
		ask := s.played[turn*4].Start - Ticks(Lateness, 120)
		c0, cpu := threadCPU()
		t0 := time.Now()
		a, err := tr.Answer(context.Background(), ask)
		el := time.Since(t0)
		c1, _ := threadCPU()
		if err != nil {
			b.Fatal(err)
		}
		if turn >= 8 { // the fifth answer on
			times = append(times, el)
			if cpu {
				cpus = append(cpus, c1-c0)
			}
			notes += len(a.Notes)
			heard += len(a.Heard.Line)
		}
		turn += 2
	}
	b.StopTimer()
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(len(times)), "answers")
	b.ReportMetric(float64(notes)/float64(len(times)), "notes/answer")
	b.ReportMetric(float64(heard)/float64(len(times)), "heard/answer")
	if len(cpus) > 0 {
		slices.Sort(cpus)
		var sum time.Duration
		for _, c := range cpus {
			sum += c
		}
		b.ReportMetric(float64(sum.Microseconds())/float64(len(cpus)), "cpu-mean-µs")
		b.ReportMetric(float64(cpus[len(cpus)*99/100].Microseconds()), "cpu-p99-µs")
	}
}
