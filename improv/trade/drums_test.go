package trade

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"sideman/band/drums"
	"sideman/model"
	"sideman/music"
)

// drummer is a Trader whose answers are the drummer's, over bars, on an
// empty model (the drummer reads none).
func drummer(t testing.TB, bars []music.PlayedBar, seed uint64) *Trader {
	t.Helper()
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(bars, Options{Model: m, ModelName: "empty", Seed: seed, IDs: music.NewIDs(1 << 20), Answerer: Drums{}})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// drumAnswer feeds the notes and asks for the answer an eighth before
// the downbeat of bar 5.
func drumAnswer(t testing.TB, bars []music.PlayedBar, seed uint64, notes []music.Note) *Answer {
	t.Helper()
	tr := drummer(t, bars, seed)
	for _, n := range notes {
		if err := tr.Play(n); err != nil {
			t.Fatal(err)
		}
	}
	a, err := tr.Answer(context.Background(), bars[4].Start-music.PPQ/2)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDrumsAnswerTheFour: the drummer's answer to a four comes in on the
// downbeat, stays in its bars on the drum channel, keeps the hi-hat on 2
// and 4 in every bar, ends with a fill in the last bar, and explains
// every other stroke by the player's notes it comes from.
func TestDrumsAnswerTheFour(t *testing.T) {
	ph := phrase(music.PPQ, 1)
	a := drumAnswer(t, iiVI(), 7, ph)
	if len(a.Notes) == 0 {
		t.Fatal("no answer")
	}
	if a.Notes[0].Start != a.Turn.Downbeat {
		t.Errorf("the answer starts at %d, the downbeat is %d", a.Notes[0].Start, a.Turn.Downbeat)
	}
	heard := map[music.NoteID]bool{}
	for _, n := range ph {
		heard[n.ID] = true
	}
	hat := map[music.Ticks]bool{}
	explained := map[music.NoteID]bool{}
	for _, d := range a.Developments {
		if len(d.From) == 0 && d.Op != "downbeat" && d.Op != "comp" { // the downbeat and the comping keep time
			t.Errorf("%s develops none of the player's notes", d.Op)
		}
		for _, id := range d.From {
			if !heard[id] {
				t.Errorf("%s develops note %d, which the player did not play", d.Op, id)
			}
		}
		for _, id := range d.To {
			explained[id] = true
		}
	}
	for _, n := range a.Notes {
		if n.Start < a.Turn.Downbeat || n.Start >= a.Turn.End {
			t.Errorf("a stroke at %d, out of the turn %d to %d", n.Start, a.Turn.Downbeat, a.Turn.End)
		}
		if n.Channel != drums.Channel {
			t.Errorf("a stroke on channel %d", n.Channel)
		}
		if n.Origin == nil || n.Origin.Generator != Generator {
			t.Errorf("stroke %d: origin %v", n.ID, n.Origin)
		} else if from := len(n.Origin.DerivedFrom) > 0; from != (n.Origin.Kind == music.MachineTransformed) {
			t.Errorf("stroke %d (key %d): kind %v derived from %v", n.ID, n.Pitch, n.Origin.Kind, n.Origin.DerivedFrom)
		}
		if n.Pitch == drums.PedalHat {
			hat[n.Start] = true
			continue
		}
		if !explained[n.ID] {
			t.Errorf("stroke %d (key %d at %d) is in no development", n.ID, n.Pitch, n.Start)
		}
	}
	for b := a.Turn.From; b < a.Turn.To; b++ {
		s := iiVI()[b].Start
		if !hat[s+music.PPQ] || !hat[s+3*music.PPQ] {
			t.Errorf("bar %d: the hi-hat is not on 2 and 4", b+1)
		}
		if hat[s] || hat[s+2*music.PPQ] {
			t.Errorf("bar %d: the hi-hat on 1 or 3", b+1)
		}
	}
	var ops []string
	start := map[music.NoteID]music.Ticks{}
	for _, n := range a.Notes {
		start[n.ID] = n.Start
	}
	for _, d := range a.Developments {
		ops = append(ops, d.Op)
		if d.Op != "fill" {
			continue
		}
		last := music.Ticks(0)
		for _, id := range d.To {
			if start[id] < a.Turn.End-2*music.PPQ {
				t.Errorf("the fill starts at %d, more than two beats before the player's downbeat %d", start[id], a.Turn.End)
			}
			last = max(last, start[id])
		}
		if len(d.To) < 3 || last < a.Turn.End-music.PPQ/3 {
			t.Errorf("the fill has %d strokes, the last at %d: want 3 or more, up to the last triplet before %d", len(d.To), last, a.Turn.End)
		}
	}
	if !slices.Contains(ops, "fill") {
		t.Errorf("no fill into the player's downbeat: %v", ops)
	}
	if !slices.Contains(ops, "orchestrate") || !slices.Contains(ops, "displace") {
		t.Errorf("the middle bars neither orchestrate nor displace: %v", ops)
	}
}

// onsetShare compares the player's onset positions in the bar (any bar
// of the phrase) with the answer's strokes' (any bar of the turn, the
// hi-hat's aside), on the drummer's grid (the triplet eighths and
// sixteenths): carried is the share of the player's positions the answer
// also strikes on, own the share of the answer's positions that are the
// player's.
func onsetShare(player []music.Note, answer []music.Note, bars []music.PlayedBar) (carried, own float64) {
	g := music.GridOf(bars)
	pos := func(t music.Ticks) music.Ticks {
		s := g.Locate(t)
		return snap(t-s.BarStart, s.BeatTicks) % s.Meter.BarTicks()
	}
	want := map[music.Ticks]bool{}
	for _, n := range player {
		want[pos(n.Start)] = true
	}
	got := map[music.Ticks]bool{}
	for _, n := range answer {
		if n.Pitch != drums.PedalHat {
			got[pos(n.Start)] = true
		}
	}
	c := 0
	for p := range want {
		if got[p] {
			c++
		}
	}
	return float64(c) / float64(len(want)), float64(c) / float64(max(len(got), 1))
}

// snap puts an offset from a bar's downbeat on the nearest triplet eighth
// or sixteenth of its beat: the grid the measures below compare on.
func snap(off, bt music.Ticks) music.Ticks {
	b, in := off/bt*bt, off%bt
	best := music.Ticks(0)
	for _, q := range []music.Ticks{0, bt / 4, bt / 3, bt / 2, 2 * bt / 3, 3 * bt / 4, bt} {
		if abs(int(in-q)) < abs(int(in-best)) {
			best = q
		}
	}
	return b + best
}

// barShare is the share of the answer's stroke positions (the hi-hat's
// aside) that the player struck in the bar it answers (bar k of the turn
// answers bar k of the phrase), over the turn: the bar-by-bar
// correspondence a listener hears.
func barShare(player []music.Note, a *Answer, bars []music.PlayedBar, phraseFrom int) float64 {
	type spot struct {
		bar int
		at  music.Ticks
	}
	g := music.GridOf(bars)
	where := func(t music.Ticks, from int) spot {
		s := g.Locate(t)
		at := snap(t-s.BarStart, s.BeatTicks)
		if at >= s.Meter.BarTicks() {
			return spot{s.Bar + 1 - from, 0}
		}
		return spot{s.Bar - from, at}
	}
	want := map[spot]bool{}
	for _, n := range player {
		want[where(n.Start, phraseFrom)] = true
	}
	got := map[spot]bool{}
	for _, n := range a.Notes {
		if n.Pitch != drums.PedalHat {
			got[where(n.Start, a.Turn.From)] = true
		}
	}
	c := 0
	for p := range got {
		if want[p] {
			c++
		}
	}
	return float64(c) / float64(max(len(got), 1))
}

// randomDrummer answers with as many strokes in each bar as the drummer
// did, at positions drawn on the triplet and sixteenth grid.
func randomDrummer(a *Answer, bars []music.PlayedBar, r *rand.Rand) []music.Note {
	var grid []music.Ticks
	for b := music.Ticks(0); b < 4; b++ {
		for _, o := range []music.Ticks{0, 240, 320, 480, 640, 720} {
			grid = append(grid, b*music.PPQ+o)
		}
	}
	var out []music.Note
	for b := a.Turn.From; b < a.Turn.To; b++ {
		at := map[music.Ticks]bool{}
		for _, n := range a.Notes {
			if n.Pitch != drums.PedalHat && n.Start >= bars[b].Start && n.Start < bars[b].End() {
				at[n.Start] = true
			}
		}
		for range len(at) {
			out = append(out, music.Note{Pitch: drums.Snare, Start: bars[b].Start + grid[r.IntN(len(grid))]})
		}
	}
	return out
}

// TestDrumsCarryThePlayersRhythm measures, over the first four bars of
// the WJazzD solos in 4/4 the model is measured on (every fourth), how
// much of the player's rhythm the drummer's answer carries (onsetShare),
// against a drummer striking as often at random on the same grid. The
// random one, striking often, lands on many of the player's positions
// in the bar too; bar by bar (barShare) few of its strokes are where the
// player struck.
func TestDrumsCarryThePlayersRhythm(t *testing.T) {
	solos := readSolos(t)
	r := rand.New(rand.NewPCG(1, 2))
	var carried, own, rCarried, rOwn, byBar, rByBar float64
	n := 0
	for i, s := range solos {
		if !heldOut(i) || len(s.played) < 8 || s.played[0].Meter != (music.Meter{Num: 4, Den: 4}) {
			continue
		}
		notes := s.notesIn(0, 4)
		if len(notes) < 8 {
			continue
		}
		a := drumAnswer(t, s.played[:8], uint64(i), notes)
		c, o := onsetShare(notes, a.Notes, s.played)
		rc, ro := onsetShare(notes, randomDrummer(a, s.played, r), s.played)
		carried, own, rCarried, rOwn = carried+c, own+o, rCarried+rc, rOwn+ro
		bs, rbs := barShare(notes, a, s.played, 0), barShare(notes, &Answer{Turn: a.Turn, Notes: randomDrummer(a, s.played, r)}, s.played, 0)
		byBar, rByBar = byBar+bs, rByBar+rbs
		n++
	}
	if n < 50 {
		t.Fatalf("only %d phrases", n)
	}
	f := float64(n)
	carried, own, rCarried, rOwn = carried/f, own/f, rCarried/f, rOwn/f
	byBar, rByBar = byBar/f, rByBar/f
	t.Logf("bar by bar, %.2f of the drummer's strokes fall where the player struck in the bar answered, %.2f of a random drummer's", byBar, rByBar)
	t.Logf("%d phrases: the drummer's answers strike on %.2f of the player's onset positions in the bar, %.2f of their positions the player's; a random drummer's %.2f and %.2f",
		n, carried, own, rCarried, rOwn)
	if carried < 0.8 || carried < rCarried+0.1 {
		t.Errorf("the drummer strikes on %.2f of the player's positions, a random drummer on %.2f: want 0.8 and 0.1 more", carried, rCarried)
	}
	if byBar < 2*rByBar {
		t.Errorf("bar by bar, %.2f of the drummer's strokes are where the player struck, %.2f of a random drummer's: want twice as many", byBar, rByBar)
	}
}

// TestDrumsFollowThePlayer: different phrases get different answers (in
// rhythm), the same seed the same answer, and a loud phrase a louder
// answer than a soft one.
func TestDrumsFollowThePlayer(t *testing.T) {
	bars := iiVI()
	onsets := func(a *Answer) []music.Ticks {
		var out []music.Ticks
		for _, n := range a.Notes {
			if n.Pitch != drums.PedalHat {
				out = append(out, n.Start)
			}
		}
		return slices.Compact(out)
	}
	ph := phrase(music.PPQ, 1)
	a1, a2 := drumAnswer(t, bars, 3, ph), drumAnswer(t, bars, 3, ph)
	if !slices.EqualFunc(a1.Notes, a2.Notes, func(x, y music.Note) bool {
		return x.ID == y.ID && x.Pitch == y.Pitch && x.Start == y.Start && x.Velocity == y.Velocity
	}) {
		t.Error("the same seed answered differently")
	}
	// Another phrase: quarter-note triplets and syncopation.
	var other []music.Note
	for i, at := range []music.Ticks{0, 640, 1280, 2880, 3360, bar + 480, bar + 1440, bar + 2400, 2*bar + 320, 2*bar + 960, 2*bar + 1600, 3*bar + 1200, 3*bar + 2000} {
		other = append(other, music.Note{ID: music.NoteID(500 + i), Pitch: uint8(60 + i%5*3), Velocity: 80, Start: at, Duration: 300,
			Origin: &music.Origin{Kind: music.HumanPlayed}})
	}
	if b := drumAnswer(t, bars, 3, other); slices.Equal(onsets(a1), onsets(b)) {
		t.Error("two phrases, one rhythm in the answer")
	}
	level := func(v uint8) float64 {
		p := phrase(music.PPQ, 1)
		for i := range p {
			p[i].Velocity = v
		}
		a := drumAnswer(t, bars, 3, p)
		var sum, n float64
		for _, x := range a.Notes {
			if x.Pitch != drums.PedalHat {
				sum += float64(x.Velocity)
				n++
			}
		}
		return sum / n
	}
	if soft, loud := level(50), level(110); loud-soft < 30 {
		t.Errorf("the answer to a phrase at velocity 50 averages %.0f, to one at 110 %.0f: want it to follow the player", soft, loud)
	}
}

// TestDrumsTradeEights: trading eights, the drummer answers bars 9-16,
// bar k of its turn from bar k of the phrase (the player's long phrase
// played twice over), the hi-hat on 2 and 4 in all eight, the fill in the
// last.
func TestDrumsTradeEights(t *testing.T) {
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	bars := iiVI()
	tr, err := New(bars, Options{Bars: 8, Model: m, Seed: 5, IDs: music.NewIDs(1 << 20), Answerer: Drums{}})
	if err != nil {
		t.Fatal(err)
	}
	ph := append(phrase(music.PPQ, 1), phrase(music.PPQ, 200)...)
	for i := 21; i < len(ph); i++ {
		ph[i].Start += 4 * bar
	}
	for _, n := range ph {
		if err := tr.Play(n); err != nil {
			t.Fatal(err)
		}
	}
	a, err := tr.Answer(context.Background(), bars[8].Start-music.PPQ/2)
	if err != nil {
		t.Fatal(err)
	}
	if a.Turn.From != 8 || a.Turn.To != 16 || a.Notes[0].Start != bars[8].Start {
		t.Fatalf("turn %d-%d, first stroke at %d: want bars 9-16 from %d", a.Turn.From+1, a.Turn.To, a.Notes[0].Start, bars[8].Start)
	}
	hats := 0
	for _, n := range a.Notes {
		if n.Start < a.Turn.Downbeat || n.Start >= a.Turn.End {
			t.Errorf("a stroke at %d, out of the turn", n.Start)
		}
		if n.Pitch == drums.PedalHat {
			hats++
		}
	}
	if hats != 16 {
		t.Errorf("%d hi-hat strokes in eight bars, want 16", hats)
	}
	if d := a.Developments[len(a.Developments)-1]; d.Op != "fill" {
		t.Errorf("the answer ends with %q, want the fill", d.Op)
	}
}

// TestDrumsBeforeAnyPhrase: a turn the player played nothing in, with no
// phrase before it, is answered by time alone: on the downbeat, the
// hi-hat, time on the ride and snare in every bar (comp), a fill, every
// stroke made rather than derived.
func TestDrumsBeforeAnyPhrase(t *testing.T) {
	a := drumAnswer(t, iiVI(), 1, nil)
	if len(a.Notes) == 0 || a.Notes[0].Start != a.Turn.Downbeat {
		t.Fatalf("%d strokes, want some from the downbeat %d", len(a.Notes), a.Turn.Downbeat)
	}
	var ops []string
	for _, d := range a.Developments {
		ops = append(ops, d.Op)
		if len(d.From) > 0 {
			t.Errorf("%s develops notes %v, none played", d.Op, d.From)
		}
	}
	if !slices.Equal(ops, []string{"downbeat", "comp", "fill"}) {
		t.Errorf("developments %v, want the downbeat, the comping and the fill", ops)
	}
	perBar := map[int]int{}
	for _, n := range a.Notes {
		if n.Origin.Kind != music.MachineGenerated {
			t.Errorf("stroke %d: %v", n.ID, n.Origin.Kind)
		}
		if n.Pitch != drums.PedalHat {
			perBar[int((n.Start-a.Turn.Downbeat)/bar)]++
		}
	}
	for b := range 4 {
		if perBar[b] < 3 {
			t.Errorf("bar %d of the answer: %d strokes besides the hi-hat, want time kept (3 or more)", b+1, perBar[b])
		}
	}
}

// halves compares an eight-bar answer's two fours: the share of the
// second's strokes (the hi-hat's aside) that strike where and what the
// first struck (same bar of the four, same place, same drum), how many
// strokes each has, and their mean velocity.
func halves(a *Answer) (repeated float64, n1, n2 int, v1, v2 float64) {
	type spot struct {
		bar int
		at  music.Ticks
		key uint8
	}
	first := map[spot]bool{}
	var second []spot
	for _, n := range a.Notes {
		if n.Pitch == drums.PedalHat {
			continue
		}
		off := n.Start - a.Turn.Downbeat
		s := spot{int(off/bar) % 4, off % bar, n.Pitch}
		if off < 4*bar {
			first[s] = true
			n1++
			v1 += float64(n.Velocity)
			continue
		}
		second = append(second, s)
		n2++
		v2 += float64(n.Velocity)
	}
	c := 0
	for _, s := range second {
		if first[s] {
			c++
		}
	}
	return float64(c) / float64(max(len(second), 1)), n1, n2, v1 / float64(max(n1, 1)), v2 / float64(max(n2, 1))
}

// TestDrumsEightsBuild: trading eights, the drummer's eight is two
// related fours, not the four-bar plan twice. Given the hardest case, the
// player's four played twice over, the second four of the answer strikes
// other places and other drums than the first (under half its strokes
// where and what the first struck), comes in with a crash on its
// downbeat, and is at least as dense and as loud, rising to the fill,
// for every seed tried.
func TestDrumsEightsBuild(t *testing.T) {
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	bars := iiVI()
	ph := append(phrase(music.PPQ, 1), phrase(music.PPQ, 200)...)
	for i := 21; i < len(ph); i++ {
		ph[i].Start += 4 * bar
	}
	for seed := uint64(1); seed <= 8; seed++ {
		a := eightAnswer(t, m, bars, ph, seed)
		rep, n1, n2, v1, v2 := halves(a)
		t.Logf("seed %d: %.2f of the second four's strokes repeat the first's; %d strokes then %d, mean velocity %.0f then %.0f", seed, rep, n1, n2, v1, v2)
		if rep >= 0.5 {
			t.Errorf("seed %d: %.2f of the second four's strokes are the first's again (place and drum), want under half", seed, rep)
		}
		if n2 < n1 || v2 < v1 {
			t.Errorf("seed %d: the second four has %d strokes at %.0f on average, the first %d at %.0f: want it to build", seed, n2, v2, n1, v1)
		}
		crash := false
		for _, n := range a.Notes {
			crash = crash || n.Start == bars[12].Start && n.Pitch == drums.Crash
		}
		if !crash {
			t.Errorf("seed %d: no crash on the downbeat of the second four (bar 13)", seed)
		}
	}
}

// TestDrumsSparsePhrase: a player who plays three long notes in four bars
// still gets a break: strokes at three places or more in every bar (time
// on the ride and snare comping in the space, a pickup), the player's
// three onsets struck where they were played (anchors), each louder than
// any stroke that keeps time around it.
func TestDrumsSparsePhrase(t *testing.T) {
	var ph []music.Note
	for i, at := range []music.Ticks{0, bar + 2*music.PPQ, 3*bar + music.PPQ*2/3} {
		ph = append(ph, music.Note{ID: music.NoteID(1 + i), Pitch: uint8(67 - 3*i), Velocity: 80, Start: at, Duration: 5 * music.PPQ,
			Origin: &music.Origin{Kind: music.HumanPlayed}})
	}
	for seed := uint64(1); seed <= 6; seed++ {
		a := drumAnswer(t, iiVI(), seed, ph)
		kind := map[music.NoteID]string{}
		for _, d := range a.Developments {
			for _, id := range d.To {
				kind[id] = d.Op
			}
		}
		places := make([]map[music.Ticks]bool, 4)
		for b := range places {
			places[b] = map[music.Ticks]bool{}
		}
		loudest := map[music.Ticks]int{} // the loudest stroke at a place (from the downbeat)
		keepTime := 0                    // the loudest stroke keeping time
		for _, n := range a.Notes {
			if n.Pitch == drums.PedalHat {
				continue
			}
			off := n.Start - a.Turn.Downbeat
			places[off/bar][off%bar] = true
			loudest[off] = max(loudest[off], int(n.Velocity))
			if kind[n.ID] == "comp" {
				keepTime = max(keepTime, int(n.Velocity))
			}
		}
		for b, p := range places {
			if len(p) < 3 {
				t.Errorf("seed %d: bar %d of the answer strikes at %d places, want a break (3 or more)", seed, b+1, len(p))
			}
		}
		if keepTime == 0 {
			t.Errorf("seed %d: no time kept in the space", seed)
		}
		for _, n := range ph {
			if v := loudest[n.Start]; v <= keepTime {
				t.Errorf("seed %d: the player's onset at beat %s of bar %d: the answer's stroke there at %d, the time kept at %d: want the anchor struck, louder",
					seed, beatWords(n.Start%bar, music.PPQ), n.Start/bar+1, v, keepTime)
			}
		}
	}
}

// TestDrumsEightsOnTheCorpus answers the first eight bars of the WJazzD
// solos in 4/4 the model is measured on (every fourth, sixteen notes or
// more) as eights, and measures the two fours of each answer as
// TestDrumsEightsBuild does: on average, under half the second four's
// strokes repeat the first's (place and drum), and in every eight the
// second four is as loud or louder (it builds to the fill); how much
// denser it is, and how often, is logged (it follows the player: one who
// plays less in bars 5-8 gets a sparser second four).
func TestDrumsEightsOnTheCorpus(t *testing.T) {
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var rep, dens, v1s, v2s float64
	n, louder, denser := 0, 0, 0
	for i, s := range readSolos(t) {
		if !heldOut(i) || len(s.played) < 16 || s.played[0].Meter != (music.Meter{Num: 4, Den: 4}) {
			continue
		}
		notes := s.notesIn(0, 8)
		if len(notes) < 16 {
			continue
		}
		tr, err := New(s.played[:16], Options{Bars: 8, Model: m, Seed: uint64(i), IDs: music.NewIDs(1 << 20), Answerer: Drums{}})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range notes {
			if err := tr.Play(x); err != nil {
				t.Fatal(err)
			}
		}
		a, err := tr.Answer(context.Background(), s.played[8].Start-music.PPQ/2)
		if err != nil {
			t.Fatal(err)
		}
		r, n1, n2, v1, v2 := halves(a)
		rep, dens, v1s, v2s = rep+r, dens+float64(n2)/float64(max(n1, 1)), v1s+v1, v2s+v2
		if v2 >= v1 {
			louder++
		}
		if n2 >= n1 {
			denser++
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d eights", n)
	}
	f := float64(n)
	t.Logf("%d eights: %.2f of the second four's strokes repeat the first's (place and drum); the second has %.2f times the strokes (as many or more in %d), mean velocity %.0f against %.0f (as loud or louder in %d)",
		n, rep/f, dens/f, denser, v2s/f, v1s/f, louder)
	if rep/f >= 0.5 || louder < n {
		t.Errorf("the second four repeats %.2f of the first, as loud or louder in %d eights of %d: want under half, and in every one", rep/f, louder, n)
	}
}

// TestDrumsRestedBarsVary: a player who plays the first four bars of an
// eight (a swung line with long notes) and rests the next four gets, in
// the bars that answer the rests, the cell moved somewhere new each time
// there is room, not one bar played again and again (the fill's bar
// aside).
func TestDrumsRestedBarsVary(t *testing.T) {
	m, err := model.New(model.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	bars := iiVI()
	// beat (from bar 1's downbeat, in quarter notes), length in beats, pitch, velocity
	line := [][4]float64{{1, 0.66, 65, 90}, {1.66, 0.34, 67, 70}, {2, 0.5, 68, 95}, {2.66, 0.34, 69, 75}, {3, 1, 72, 100},
		{4.66, 0.34, 74, 80}, {5, 0.5, 72, 90}, {5.66, 0.34, 69, 70}, {6, 1.5, 65, 100},
		{8, 0.66, 70, 85}, {8.66, 0.34, 69, 70}, {9, 0.5, 67, 90}, {9.66, 0.34, 65, 75}, {10, 2, 64, 105},
		{13, 0.5, 65, 80}, {13.66, 0.34, 67, 70}, {14, 1, 69, 95}}
	var ph []music.Note
	for i, x := range line {
		at := music.Ticks(x[0]*music.PPQ + 0.5)
		if f := x[0] - float64(int(x[0])); f > 0.6 && f < 0.7 { // the swung eighth: a triplet
			at = music.Ticks(int(x[0]))*music.PPQ + 2*music.PPQ/3
		}
		ph = append(ph, music.Note{ID: music.NoteID(i + 1), Pitch: uint8(x[2]), Velocity: uint8(x[3]), Start: at, Duration: music.Ticks(x[1]*music.PPQ) - 10})
	}
	for seed := uint64(1); seed <= 8; seed++ {
		a := eightAnswer(t, m, bars, ph, seed)
		// The strokes of the answer's bars 5 to 7 (13-15), each bar as its
		// places and drums.
		pattern := map[int]string{}
		for _, n := range a.Notes {
			for b := 12; b < 15; b++ {
				if n.Start >= bars[b].Start && n.Start < bars[b].End() {
					pattern[b] += fmt.Sprintf("%d:%d ", n.Start-bars[b].Start, n.Pitch)
				}
			}
		}
		if pattern[12] == pattern[13] || pattern[13] == pattern[14] {
			t.Errorf("seed %d: a bar answering the rests is the bar before it again: %q, %q, %q", seed, pattern[12], pattern[13], pattern[14])
		}
	}
}

// eightAnswer is the drummer's answer, trading eights, to the phrase
// played in bars 1-8, asked for an eighth before bar 9.
func eightAnswer(t *testing.T, m *model.Model, bars []music.PlayedBar, ph []music.Note, seed uint64) *Answer {
	t.Helper()
	tr, err := New(bars, Options{Bars: 8, Model: m, Seed: seed, IDs: music.NewIDs(1 << 20), Answerer: Drums{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ph {
		if err := tr.Play(n); err != nil {
			t.Fatal(err)
		}
	}
	a, err := tr.Answer(context.Background(), bars[8].Start-music.PPQ/2)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
