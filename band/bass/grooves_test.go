package bass

import (
	"fmt"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/chart"
	"sideman/music"
)

// grooveStats are what a bandleader hears in a groove bass line: does
// every chord get its note, does the line move or repeat itself bar
// after bar, how many notes a bar.
type grooveStats struct {
	changes  int // chord changes (not N.C.)
	onChange int // with a bass note attacked on them
	onRoot   int // with the chord's bass note (root or slash) on them
	// midChanges are changes inside a bar; midOn those with a note.
	midChanges, midOn int
	// approached are changes whose note is entered from a half or whole
	// step away (the note before it, within two beats).
	approached int
	bars       int // bars after the first with notes in both
	repeats    int // bars that play exactly the bar before
	notes      int
	perBar     map[int]int // bars by their number of notes
	// four counts bars with a note on each of four beats (4/4 only).
	four, bars44 int
	// byChords is the mean number of notes of bars with one chord (index
	// 1) and with more (index 2), in 4/4.
	byChords [3]struct{ bars, notes int }
	// inside are the notes not on a change, insideRoots those on the
	// chord's root (or slash bass); pickups the notes inside a chord on
	// beat 2 or 4 of a 4/4 bar; offBeat the notes between beats, not on a
	// change.
	inside, insideRoots, pickups, offBeat int
}

func (s *grooveStats) add(o grooveStats) {
	s.changes += o.changes
	s.onChange += o.onChange
	s.onRoot += o.onRoot
	s.midChanges += o.midChanges
	s.midOn += o.midOn
	s.approached += o.approached
	s.bars += o.bars
	s.repeats += o.repeats
	s.notes += o.notes
	s.four += o.four
	s.inside += o.inside
	s.insideRoots += o.insideRoots
	s.pickups += o.pickups
	s.offBeat += o.offBeat
	s.bars44 += o.bars44
	if s.perBar == nil {
		s.perBar = map[int]int{}
	}
	for k, v := range o.perBar {
		s.perBar[k] += v
	}
	for i := range s.byChords {
		s.byChords[i].bars += o.byChords[i].bars
		s.byChords[i].notes += o.byChords[i].notes
	}
}

func (s grooveStats) String() string {
	nb := 0
	for _, v := range s.perBar {
		nb += v
	}
	per := ""
	for k := 0; k <= 8; k++ {
		if v := s.perBar[k]; v > 0 {
			per += fmt.Sprintf(" %d:%.1f%%", k, 100*ratio(v, nb))
		}
	}
	return fmt.Sprintf("chord changes with a bass note %.1f%% (%d of %d; mid-bar %d of %d), on the root %.1f%%, approached by step %.1f%%; "+
		"bars repeating the bar before %.1f%% (%d of %d); notes a bar %.2f (bars with one chord %.2f, with more %.2f; by count%s); bars in four %.1f%%",
		100*ratio(s.onChange, s.changes), s.onChange, s.changes, s.midOn, s.midChanges, 100*ratio(s.onRoot, s.changes), 100*ratio(s.approached, s.changes),
		100*ratio(s.repeats, s.bars), s.repeats, s.bars, float64(s.notes)/float64(max(nb, 1)),
		float64(s.byChords[1].notes)/float64(max(s.byChords[1].bars, 1)), float64(s.byChords[2].notes)/float64(max(s.byChords[2].bars, 1)),
		per, 100*ratio(s.four, s.bars44)) +
		fmt.Sprintf("; notes inside a chord %.1f%%, of them on the root %.1f%%; pickups on 2 or 4 inside a chord %.1f%% of bars; notes between beats %.1f%%",
			100*ratio(s.inside, s.notes), 100*ratio(s.insideRoots, s.inside), 100*ratio(s.pickups, s.bars44), 100*ratio(s.offBeat, s.notes))
}

// measureGroove reads a line against its gig.
func measureGroove(g *band.Gig, ns []music.Note) grooveStats {
	s := grooveStats{perBar: map[int]int{}}
	end := g.Bars[len(g.Bars)-1].End()
	attacked := map[music.Ticks][]music.Note{}
	for _, n := range ns {
		attacked[n.Start] = append(attacked[n.Start], n)
	}
	for _, sp := range g.Chords {
		if sp.Chord.NoChord || sp.Start >= end {
			continue
		}
		s.changes++
		mid := false
		for _, pb := range g.Bars {
			if sp.Start > pb.Start && sp.Start < pb.End() {
				mid = true
			}
		}
		if mid {
			s.midChanges++
		}
		on := attacked[sp.Start]
		if len(on) == 0 {
			// An anticipation tied over the change counts as its note.
			for _, n := range ns {
				if n.Start < sp.Start && n.End() > sp.Start && sp.Start-n.Start <= music.Ticks(music.PPQ) && mod12(int(n.Pitch)) == bassPC(sp.Chord) {
					on = append(on, n)
				}
			}
		}
		if len(on) == 0 {
			continue
		}
		s.onChange++
		if mid {
			s.midOn++
		}
		if mod12(int(on[0].Pitch)) == bassPC(sp.Chord) {
			s.onRoot++
		}
		// The note before: the last attack in the two beats before.
		var prev *music.Note
		for i := range ns {
			n := &ns[i]
			if n.Start < on[0].Start && on[0].Start-n.Start <= 2*music.Ticks(music.PPQ) && n.Velocity >= 50 {
				if prev == nil || n.Start > prev.Start {
					prev = n
				}
			}
		}
		if prev != nil {
			if d := abs(int(prev.Pitch) - int(on[0].Pitch)); d == 1 || d == 2 {
				s.approached++
			}
		}
	}
	for _, n := range ns {
		sp := g.ChordAt(n.Start)
		if sp.Start == n.Start || sp.Chord.NoChord || n.Velocity < 50 {
			continue
		}
		s.inside++
		if mod12(int(n.Pitch)) == bassPC(sp.Chord) {
			s.insideRoots++
		}
	}
	for _, pb := range g.Bars {
		bt := pb.Meter.BeatTicks()
		for _, n := range ns {
			if n.Start < pb.Start || n.Start >= pb.End() {
				continue
			}
			off := n.Start - pb.Start
			if g.ChordAt(n.Start).Start == n.Start {
				continue // a change falls there
			}
			if off%bt != 0 {
				s.offBeat++
			} else if b := off / bt; pb.Meter.Num == 4 && pb.Meter.Den == 4 && (b == 1 || b == 3) && g.ChordAt(n.Start).Start != n.Start {
				s.pickups++
			}
		}
	}
	type key struct {
		at, dur music.Ticks
		pitch   uint8
	}
	var before []key
	for i, pb := range g.Bars {
		var bar []key
		for _, n := range ns {
			if n.Start >= pb.Start && n.Start < pb.End() {
				bar = append(bar, key{n.Start - pb.Start, n.Duration, n.Pitch})
			}
		}
		s.notes += len(bar)
		s.perBar[len(bar)]++
		if i > 0 && len(bar) > 0 && len(before) > 0 {
			s.bars++
			same := len(bar) == len(before)
			for j := 0; same && j < len(bar); j++ {
				same = bar[j] == before[j]
			}
			if same {
				s.repeats++
			}
		}
		before = bar
		if pb.Meter.Num == 4 && pb.Meter.Den == 4 {
			s.bars44++
			beatsHit := 0
			for b := music.Ticks(0); b < 4; b++ {
				if len(attacked[pb.Start+b*music.Ticks(music.PPQ)]) > 0 {
					beatsHit++
				}
			}
			if beatsHit == 4 {
				s.four++
			}
			chords := 0
			for _, sp := range g.Chords {
				if sp.Start >= pb.Start && sp.Start < pb.End() || sp.Start < pb.Start && sp.Start+sp.Duration > pb.Start {
					chords++
				}
			}
			k := min(chords, 2)
			s.byChords[k].bars++
			s.byChords[k].notes += len(bar)
		}
	}
	return s
}

// playGroove plays a chart with a style's bass alone through band.Play
// and returns the gig (as Play lays it out) and the notes.
func playGroove(tb testing.TB, c *music.Chart, st *band.Style, opt band.Options) (*band.Gig, []music.Note) {
	tb.Helper()
	opt.Style = st
	opt.Mute = map[string]bool{"piano": true, "guitar": true, "drums": true}
	p, err := band.Play(c, opt)
	if err != nil {
		tb.Fatal(err)
	}
	g := &band.Gig{Chart: c, Style: st, Seed: opt.Seed}
	g.Bars = band.Form(c, max(opt.Choruses, 1), opt.Intro, opt.Ending)
	g.Chords = music.Spans(g.Bars)
	for _, part := range p.Parts {
		if part.Role == "bass" {
			return g, part.Notes
		}
	}
	tb.Fatal("no bass part")
	return nil, nil
}

func tuneNamed(tb testing.TB, title string) *music.Chart {
	tb.Helper()
	for _, c := range jazzStandards(tb) {
		if c.Title == title {
			return c
		}
	}
	tb.Fatalf("no tune %q in JazzStandards", title)
	return nil
}

// TestTwoFeelAndBalladOverJazzStandards plays Body and Soul as a
// ballad, Satin Doll in two, and every JazzStandards tune in both, and
// measures what issue 9 heard: chords without a bass note (29% of Body
// and Soul's mid-bar changes had none), bars that repeat the bar before
// (20 of 77 in Satin Doll), exactly two notes a bar whatever the harmony
// does, roots only, and a two-feel that never goes to four.
func TestTwoFeelAndBalladOverJazzStandards(t *testing.T) {
	for _, x := range []struct{ style, tune string }{{"ballad", "Body And Soul"}, {"two-feel", "Satin Doll"}} {
		st := styleNamed(x.style)
		g, ns := playGroove(t, tuneNamed(t, x.tune), st, band.Options{Lineup: standardLineup(), Choruses: 2, Intro: true, Ending: true, Seed: 1})
		s := measureGroove(g, ns)
		t.Logf("%s as %s (2 choruses, intro, ending, %d bars): %v", x.tune, x.style, len(g.Bars), s)
		if s.onChange != s.changes || s.repeats*20 > s.bars {
			t.Errorf("%s as %s: %d of %d chord changes with a bass note (want all), %d of %d bars repeat the bar before (want under 5%%)", x.tune, x.style, s.onChange, s.changes, s.repeats, s.bars)
		}
	}
	tunes := jazzStandards(t)
	for _, style := range []string{"ballad", "two-feel"} {
		st := styleNamed(style)
		var all grooveStats
		in2, in4 := [2]int{}, [2]int{} // 4/4 bars in four: in choruses 1-2, from chorus 3
		for i, c := range tunes {
			g, ns := playGroove(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: int64(i)})
			all.add(measureGroove(g, ns))
			if style != "two-feel" {
				continue
			}
			g, ns = playGroove(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 3, Seed: int64(i)})
			at := map[music.Ticks]bool{}
			for _, n := range ns {
				at[n.Start] = true
			}
			for _, pb := range g.Bars[:len(g.Bars)-1] {
				if pb.Meter.Num != 4 || pb.Meter.Den != 4 || g.ChordAt(pb.Start).Chord.NoChord {
					continue
				}
				four := at[pb.Start] && at[pb.Start+music.PPQ] && at[pb.Start+2*music.PPQ] && at[pb.Start+3*music.PPQ]
				k := 0
				if pb.Chorus >= 3 {
					k = 1
				}
				in2[k]++
				if four {
					in4[k]++
				}
			}
		}
		t.Logf("%s over JazzStandards (2 choruses): %v", style, all)
		if all.onChange != all.changes || all.onRoot != all.changes {
			t.Errorf("%s: %d of %d chord changes with a bass note, %d on the chord's bass; want all", style, all.onChange, all.changes, all.onRoot)
		}
		if r := ratio(all.repeats, all.bars); r > 0.02 {
			t.Errorf("%s: %.1f%% of bars repeat the bar before, want at most 2%%", style, 100*r)
		}
		if r := ratio(all.insideRoots, all.inside); r > 0.5 {
			t.Errorf("%s: %.1f%% of the notes inside a chord are its root, want under half (fifths, thirds, approaches)", style, 100*r)
		}
		if r := ratio(all.pickups, all.bars44); r < 0.1 {
			t.Errorf("%s: pickups on 2 or 4 in %.1f%% of bars, want at least 10%%", style, 100*r)
		}
		switch style {
		case "ballad":
			// The ballad moves with the harmony: more notes where it
			// moves, steps into the changes, and not two notes every bar.
			one, more := all.byChords[1], all.byChords[2]
			if m1, m2 := float64(one.notes)/float64(one.bars), float64(more.notes)/float64(more.bars); m2 < m1+0.25 {
				t.Errorf("ballad: %.2f notes a bar with one chord, %.2f with more; want at least a quarter note more", m1, m2)
			}
			if r := ratio(all.approached, all.changes); r < 0.45 {
				t.Errorf("ballad: %.1f%% of changes entered by a half or whole step, want at least 45%%", 100*r)
			}
			if r := ratio(all.perBar[2], all.bars); r > 0.6 {
				t.Errorf("ballad: %.1f%% of bars have exactly two notes, want at most 60%%", 100*r)
			}
			if r := ratio(all.offBeat, all.notes); r < 0.02 {
				t.Errorf("ballad: %.1f%% of notes between beats (dotted figures, skips), want at least 2%%", 100*r)
			}
		case "two-feel":
			t.Logf("two-feel, 3 choruses: 4/4 bars in four %.1f%% in choruses 1-2, %.1f%% from chorus 3", 100*ratio(in4[0], in2[0]), 100*ratio(in4[1], in2[1]))
			if r := ratio(in4[1], in2[1]); r < 0.95 {
				t.Errorf("two-feel: %.1f%% of the bars from chorus 3 walk in four, want at least 95%% (bass.four-from-chorus: 3)", 100*r)
			}
			if r := ratio(in4[0], in2[0]); r > 0.1 {
				t.Errorf("two-feel: %.1f%% of the bars of choruses 1-2 in four, want at most 10%%", 100*r)
			}
			if all.offBeat != 0 {
				t.Errorf("two-feel at 130 bpm: %d notes between beats, want none (eighth figures only below 120)", all.offBeat)
			}
		}
	}
}

// finalChordCharts are short charts in 3/4, 4/4, 5/4 and 6/8 that end on
// a bar of one chord, most with a change in the bar before it (where a
// pushed bass would anticipate the final chord), and a few tunes of
// JazzStandards in those meters.
func finalChordCharts(t *testing.T) []*music.Chart {
	var out []*music.Chart
	for i, src := range []string{
		"meter: 4/4\n| Cmaj7 | A7 | Dm7 G7 | Cmaj7 |",
		"meter: 4/4\nkey: Cm\n| Fm7 | Bb7 | Ebmaj7 | Abmaj7 | Dm7b5 G7b9 | Cm6 |",
		"meter: 3/4\nkey: F\n| Gm7 | C7 | Fmaj7 | Gm7 C7 | F6 |",
		"meter: 5/4\nkey: Ebm\n| Ebm7 | Bbm7 | Ebm7 | Bbm7 F7 | Ebm7 |",
		"meter: 6/8\nkey: G\n| Am7 | D7 | Gmaj7 | Am7 D7 | G/B |",
		"meter: 6/8\nkey: Am\n| Dm | E7 | Am | E7 |",
	} {
		cs, err := chart.DecodeBytes([]byte(fmt.Sprintf("title: final %d\n%s\n", i, src)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cs[0])
	}
	per := map[string]int{}
	for _, c := range jazzStandards(t) {
		m := c.MeterOrDefault().String()
		if (m == "3/4" || m == "4/4" || m == "5/4" || m == "6/8") && per[m] < 6 {
			per[m]++
			out = append(out, c)
		}
	}
	return out
}

// TestFinalChordEveryStyle: at the performance's final chord (a last bar
// holding one chord) every style's bass plays that chord's bass note on
// 1 (or, in a pushed groove, anticipates it by at most a beat, tied
// over), in the low octave, held to the end of the bar, and nothing else
// sounds there: nothing ringing on from before, no second note.
func TestFinalChordEveryStyle(t *testing.T) {
	charts := finalChordCharts(t)
	for _, st := range band.Styles() {
		failed, checked := 0, 0
		for _, c := range charts {
			for _, ending := range []bool{false, true} {
				g, ns := playGroove(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Ending: ending, Seed: 3})
				fb, ok := finalBar(g)
				if !ok {
					if ending {
						t.Errorf("%s: the ending's last bar is not one chord", c.Title)
					}
					continue
				}
				checked++
				pb := g.Bars[fb]
				want := bassPC(g.ChordAt(pb.Start).Chord)
				var held *music.Note
				msg := ""
				for i := range ns {
					n := &ns[i]
					// The held note is attacked on 1, or anticipates it
					// by at most a beat and is tied over the bar line.
					anticipates := n.Start < pb.Start && pb.Start-n.Start <= pb.Meter.BeatTicks() && n.End() >= pb.End()-pb.Meter.BarTicks()/10
					switch {
					case (n.Start == pb.Start || anticipates) && held == nil:
						held = n
					case n.Start >= pb.Start:
						msg = fmt.Sprintf("a second note %d at %d", n.Pitch, n.Start-pb.Start)
					case n.End() > pb.Start:
						msg = fmt.Sprintf("note %d from before rings into it", n.Pitch)
					}
				}
				switch {
				case msg != "":
				case held == nil:
					msg = "no note on 1"
				case mod12(int(held.Pitch)) != want:
					msg = fmt.Sprintf("pitch %d, not the chord's bass", held.Pitch)
				case held.Pitch > 40:
					msg = fmt.Sprintf("pitch %d, not in the low octave (E1-E2)", held.Pitch)
				case held.End() < pb.Start+pb.Meter.BarTicks()*9/10:
					msg = fmt.Sprintf("held %d of %d ticks", held.End()-pb.Start, pb.Meter.BarTicks())
				}
				if msg != "" {
					failed++
					if failed <= 3 {
						t.Errorf("%s (%s) over %s in %v, ending %v: final chord: %s", st.Name, st.Players["bass"], c.Title, pb.Meter, ending, msg)
					}
				}
			}
		}
		t.Logf("%s (%s): %d of %d final chords with the bass on its root, held", st.Name, st.Players["bass"], checked-failed, checked)
		if failed > 3 {
			t.Errorf("%s: %d endings wrong in all", st.Name, failed)
		}
	}
}

// TestCheckStyle: a bass parameter the players cannot read is an error,
// and the built-in styles have none.
func TestCheckStyle(t *testing.T) {
	for _, st := range band.Styles() {
		if err := standardLineup().Check(st); err != nil {
			t.Errorf("%s: %v", st.Name, err)
		}
	}
	for _, bad := range []string{"bass.motion: 1.5", "bass.four-from-chorus: two", "bass.four-from-chorus: 2.5", "bass.skips: -1", "bass.colour: 2", "bass.runs: x"} {
		st, err := band.ParseStyle("x.style", strings.NewReader("name: x\nbass: two-feel\n"+bad+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := standardLineup().Check(st); err == nil || !strings.Contains(err.Error(), strings.Split(bad, ":")[0]) {
			t.Errorf("%q: error %v, want one naming the parameter", bad, err)
		}
	}
}
