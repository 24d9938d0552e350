package drums

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/chart"
	"sideman/music"
)

// drumsOnly mutes the other roles, whose players live in other packages.
var drumsOnly = map[string]bool{"bass": true, "piano": true, "guitar": true}

func loadChart(tb testing.TB, name string) *music.Chart {
	tb.Helper()
	data, err := examples.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.DecodeBytes(data)
	if err != nil || len(cs) == 0 {
		tb.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

func style(tb testing.TB, name string) *band.Style {
	tb.Helper()
	s, ok := band.LookupStyle(name)
	if !ok {
		tb.Fatalf("no style %q", name)
	}
	return s
}

// play returns the drum part of a performance.
func play(tb testing.TB, c *music.Chart, st *band.Style, opt band.Options) music.Part {
	tb.Helper()
	opt.Style, opt.Mute = st, drumsOnly
	p, err := band.Play(c, opt)
	if err != nil {
		tb.Fatalf("%s: %v", st.Name, err)
	}
	p = feel.Swing(p) // as played: the written eighths swung as the style says
	for _, part := range p.Parts {
		if part.Role == "drums" {
			return part
		}
	}
	tb.Fatalf("%s: no drum part", st.Name)
	return music.Part{}
}

// at indexes hits by tick and key.
func at(notes []music.Note) map[music.Ticks]map[uint8]int {
	m := map[music.Ticks]map[uint8]int{}
	for _, n := range notes {
		if m[n.Start] == nil {
			m[n.Start] = map[uint8]int{}
		}
		m[n.Start][n.Pitch] = int(n.Velocity)
	}
	return m
}

func TestBuiltinStylesNameRegisteredDrummers(t *testing.T) {
	have := strings.Join(standardLineup().Names("drums"), " ")
	for _, want := range []string{"swing", "brushes", "waltz", "bossa", "samba", "afro-cuban", "pop", "rock", "funk", "shuffle"} {
		if !strings.Contains(" "+have+" ", " "+want+" ") {
			t.Errorf("no drummer %q registered (have %s)", want, have)
		}
	}
	for _, s := range band.Styles() {
		name := s.Players["drums"]
		if !strings.Contains(" "+have+" ", " "+name+" ") {
			t.Errorf("style %s names drummer %q, not registered", s.Name, name)
		}
		if err := CheckStyle(s); err != nil {
			t.Errorf("style %s: %v", s.Name, err)
		}
	}
	bad, _ := band.ParseStyle("bad.style", strings.NewReader("name: bad\ndrums: swing\ndrums.kick: 1 9x\n"))
	if CheckStyle(bad) == nil {
		t.Error("a bad drums.kick passes CheckStyle")
	}
}

// TestEveryStyleEveryChart plays all built-in styles over all example
// charts with intro and ending: every note a GM percussion key with a
// sound velocity, every bar of the form with something in it.
func TestEveryStyleEveryChart(t *testing.T) {
	for _, name := range examples.Names() {
		c := loadChart(t, name)
		for _, st := range band.Styles() {
			part := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Intro: true, Ending: true, Seed: 7})
			if part.Channel != 9 {
				t.Errorf("%s/%s: channel %d", name, st.Name, part.Channel)
			}
			bars := band.Form(c, 2, true, true)
			hits := at(part.Notes)
			for i, pb := range bars {
				if len(hits[pb.Start]) == 0 {
					t.Errorf("%s/%s: bar %d has no hit on beat 1", name, st.Name, i)
					break
				}
			}
			for _, n := range part.Notes {
				if n.Pitch < 35 || n.Pitch > 81 || n.Velocity == 0 || n.Velocity > 127 {
					t.Fatalf("%s/%s: note %+v", name, st.Name, n)
				}
			}
		}
	}
}

func TestSwingRide(t *testing.T) {
	c := loadChart(t, "blues-f")
	st := style(t, "medium-swing")
	part := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 3, Seed: 1})
	bars := band.Form(c, 3, false, false)
	hits := at(part.Notes)
	beat := music.Ticks(music.PPQ)
	var on2and4, on3 []int
	rideVels := map[int]bool{}
	for i, pb := range bars[:len(bars)-1] {
		for _, b := range []music.Ticks{1, 3} {
			if _, ok := hits[pb.Start+b*beat][pedalHat]; !ok {
				t.Errorf("bar %d: no hi-hat foot on %d", i, b+1)
			}
		}
		if isStart(bars, i+1) || i+1 == len(bars)-1 {
			continue // a fill takes the last beats
		}
		for b := music.Ticks(0); b < 4; b++ {
			h := hits[pb.Start+b*beat]
			_, r := h[ride]
			_, cr := h[crash]
			if !r && !cr {
				t.Errorf("bar %d: no ride on beat %d", i, b+1)
			}
			if v, ok := h[kick]; !ok || v > 50 && v < 72 {
				t.Errorf("bar %d beat %d: kick %v %d, want feathered", i, b+1, ok, v)
			}
			rideVels[h[ride]] = true
			switch b {
			case 1, 3:
				on2and4 = append(on2and4, h[ride])
			case 2:
				on3 = append(on3, h[ride])
			}
		}
		// The skip note: the and of 2 swung to the style's share of the beat.
		if _, ok := hits[pb.Start+beat+music.Ticks(st.Swing*float64(beat)+0.5)][ride]; !ok {
			t.Errorf("bar %d: no swung skip note after 2", i)
		}
	}
	if mean(on2and4) <= mean(on3)+3 {
		t.Errorf("ride on 2 and 4 averages %.1f, on 3 %.1f: want 2 and 4 leaning", mean(on2and4), mean(on3))
	}
	if len(rideVels) < 5 {
		t.Errorf("%d ride velocities: too uniform", len(rideVels))
	}
}

func mean(xs []int) float64 {
	s := 0
	for _, x := range xs {
		s += x
	}
	return float64(s) / float64(max(1, len(xs)))
}

// TestSnareComping checks the left hand: ghost notes at 20-45, some
// accents, and a bar-to-bar pattern that does not loop.
func TestSnareComping(t *testing.T) {
	c := loadChart(t, "rhythm-changes-bb")
	part := play(t, c, style(t, "medium-swing"), band.Options{Lineup: standardLineup(), Choruses: 3, Seed: 3})
	bars := band.Form(c, 3, false, false)
	patterns := map[string]bool{}
	ghosts, accents, comped := 0, 0, 0
	for i, pb := range bars[:len(bars)-1] {
		if isStart(bars, i+1) || isStart(bars, i) || i+1 == len(bars)-1 {
			continue
		}
		var cell []string
		for _, n := range part.Notes {
			if n.Pitch == snare && n.Start >= pb.Start && n.Start < pb.End() {
				cell = append(cell, fmt.Sprint(n.Start-pb.Start))
				switch {
				case n.Velocity < 60:
					ghosts++
					if n.Velocity < 20 || n.Velocity > 45 {
						t.Errorf("ghost note velocity %d", n.Velocity)
					}
				default:
					accents++
				}
			}
		}
		if len(cell) > 0 {
			comped++
			patterns[strings.Join(cell, " ")] = true
		}
	}
	if ghosts == 0 || accents == 0 {
		t.Errorf("%d ghosts, %d accents", ghosts, accents)
	}
	if len(patterns)*3 < comped*2 {
		t.Errorf("%d distinct comping bars of %d: it loops", len(patterns), comped)
	}
}

func TestBrushes(t *testing.T) {
	c := loadChart(t, "ballad-eb")
	part := play(t, c, style(t, "ballad"), band.Options{Lineup: standardLineup(), Choruses: 2, Intro: true, Ending: true, Seed: 5})
	if part.Program != 40 {
		t.Errorf("program %d, want the GS brush kit 40", part.Program)
	}
	sweeps := 0
	gm := *style(t, "ballad")
	gm.Params = map[string]string{"drums.level": "0"}
	for _, n := range play(t, c, &gm, band.Options{Lineup: standardLineup(), Choruses: 2, Intro: true, Ending: true, Seed: 5}).Notes {
		if n.Velocity > 70 {
			t.Errorf("brush velocity %d at drums.level 0: too loud for a GM fallback", n.Velocity)
		}
	}
	for _, n := range part.Notes {
		if n.Pitch < 38 || n.Pitch > 40 {
			t.Fatalf("brush note %+v: want keys 38-40 only", n)
		}
		if n.Velocity > 100 {
			t.Errorf("brush velocity %d: too loud", n.Velocity)
		}
		if n.Pitch == swirl && n.Duration >= music.PPQ/2 {
			sweeps++
		}
	}
	// Brushes mark a section with a slap, not a crash, and end on a slap
	// with the swirl left to ring.
	p, _ := band.Play(c, band.Options{Lineup: standardLineup(), Style: style(t, "ballad"), Choruses: 2, Intro: true, Ending: true, Seed: 5, Mute: drumsOnly})
	hits := at(part.Notes)
	for _, m := range p.Markers {
		if _, ok := hits[m.At][slap]; !ok {
			t.Errorf("no slap at section %s (tick %d)", m.Text, m.At)
		}
	}
	last := band.Form(c, 2, true, true)
	end := last[len(last)-1]
	if _, ok := hits[end.Start][slap]; !ok {
		t.Error("no final slap")
	}
	for _, n := range part.Notes {
		if n.Start == end.Start && n.Pitch == swirl && n.Duration < end.Meter.BarTicks() {
			t.Errorf("final swirl of %d ticks, want the whole bar", n.Duration)
		}
	}
	if sweeps < 100 {
		t.Errorf("%d sustained swirls over 2 choruses of 32 bars", sweeps)
	}
}

// TestSectionsCrashAndFill checks that each section start and each chorus
// top gets crash and kick on 1, and the bar before it a fill: snare or
// toms in the last two beats and no ride or hi-hat time in the last beat.
func TestSectionsCrashAndFill(t *testing.T) {
	toms := map[uint8]bool{snare: true, highTom: true, midTom: true, lowTom: true, floorTom: true}
	for _, tc := range []struct{ chart, style string }{
		{"rhythm-changes-bb", "medium-swing"}, {"coda-g", "rock"}, {"bossa-d", "bossa-nova"},
		{"waltz-f", "jazz-waltz"}, {"blues-f", "funk"}, {"vamp-54", "afro-cuban"}, {"shuffle-12-8", "blues-shuffle"},
	} {
		c := loadChart(t, tc.chart)
		opt := band.Options{Lineup: standardLineup(), Choruses: 2, Intro: true, Seed: 11}
		part := play(t, c, style(t, tc.style), opt)
		p, _ := band.Play(c, band.Options{Lineup: standardLineup(), Style: style(t, tc.style), Choruses: 2, Intro: true, Seed: 11, Mute: drumsOnly})
		bars := band.Form(c, 2, true, false)
		starts := map[music.Ticks]bool{}
		for _, m := range p.Markers {
			starts[m.At] = true
		}
		for i := 1; i < len(bars); i++ {
			// The top of the form: a new chorus, or the form's first bar
			// after the intro.
			if bars[i].Chorus != bars[i-1].Chorus || bars[i].Index == 0 && bars[i-1].Index != 0 {
				starts[bars[i].Start] = true
			}
		}
		if len(starts) < 3 {
			t.Fatalf("%s: %d section starts", tc.chart, len(starts))
		}
		hits := at(part.Notes)
		for i, pb := range bars {
			if !starts[pb.Start] {
				continue
			}
			if _, ok := hits[pb.Start][crash]; !ok {
				t.Errorf("%s/%s: no crash at section start bar %d", tc.chart, tc.style, i)
			}
			if _, ok := hits[pb.Start][kick]; !ok {
				t.Errorf("%s/%s: no kick at section start bar %d", tc.chart, tc.style, i)
			}
			if i == 0 {
				continue
			}
			beat := bars[i-1].Meter.BeatTicks()
			fill := 0
			for _, n := range part.Notes {
				if n.Start >= pb.Start-2*beat && n.Start < pb.Start && toms[n.Pitch] {
					fill++
				}
				if n.Start >= pb.Start-beat && n.Start < pb.Start && (n.Pitch == ride || n.Pitch == closedHat || n.Pitch == sideStick) {
					t.Errorf("%s/%s: time (key %d) in the fill before bar %d", tc.chart, tc.style, n.Pitch, i)
				}
			}
			if fill < 3 {
				t.Errorf("%s/%s: %d fill strokes before bar %d", tc.chart, tc.style, fill, i)
			}
		}
		last := part.Notes[len(part.Notes)-1]
		if end := bars[len(bars)-1].Start; last.Start != end {
			t.Errorf("%s: last note at %d, want the final hit at %d", tc.chart, last.Start, end)
		}
	}
}

func TestDeterminism(t *testing.T) {
	c := loadChart(t, "rhythm-changes-bb")
	for _, k := range kits {
		st := &band.Style{Name: "t", Eighths: "swing", Swing: 0.64, Tempo: 160, Players: map[string]string{"drums": k.name}, Params: map[string]string{}}
		if !k.triplet {
			st.Eighths, st.Swing = "straight", 0.5
		}
		a := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 1})
		b := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 1})
		x := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 2})
		if !reflect.DeepEqual(a.Notes, b.Notes) {
			t.Errorf("%s: same seed, different notes", k.name)
		}
		if reflect.DeepEqual(stripIDs(a.Notes), stripIDs(x.Notes)) {
			t.Errorf("%s: seeds 1 and 2 play the same", k.name)
		}
	}
}

func stripIDs(ns []music.Note) []music.Note {
	out := make([]music.Note, len(ns))
	for i, n := range ns {
		n.ID, n.Origin = 0, nil
		out[i] = n
	}
	return out
}

// TestMeters plays every meter the core knows in every style: each bar's
// notes stay inside it and beat 1 is struck.
func TestMeters(t *testing.T) {
	for _, ms := range []string{"2/4", "3/4", "4/4", "5/4", "6/4", "7/4", "2/2", "6/8", "9/8", "12/8", "1/4", "3/8", "5/8", "7/8", "3/2", "15/16"} {
		m, err := music.ParseMeter(ms)
		if err != nil {
			t.Fatal(err)
		}
		c := &music.Chart{Title: ms, Meter: &m}
		for i, ch := range []string{"C7", "F7", "C7", "G7", "Dm7", "G7", "C6", "C6"} {
			b := music.Bar{Chords: []music.ChordAt{{Chord: music.MustParseChord(ch)}}}
			if i%4 == 0 {
				b.Section = string(rune('A' + i/4))
			}
			c.Bars = append(c.Bars, b)
		}
		bars := band.Form(c, 2, false, true)
		for _, st := range band.Styles() {
			part := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Ending: true, Seed: 4})
			per := make([]int, len(bars))
			j := 0
			for _, n := range part.Notes {
				for j < len(bars) && n.Start >= bars[j].End() {
					j++
				}
				if j == len(bars) || n.Start < bars[j].Start {
					t.Fatalf("%s %s: note at %d outside the form", ms, st.Name, n.Start)
				}
				if n.Start == bars[j].Start {
					per[j]++
				}
			}
			for i, c := range per {
				if c == 0 {
					t.Errorf("%s %s: bar %d silent on beat 1", ms, st.Name, i)
				}
			}
		}
	}
}

func TestBossaCrossStick(t *testing.T) {
	c := loadChart(t, "bossa-d")
	part := play(t, c, style(t, "bossa-nova"), band.Options{Lineup: standardLineup(), Seed: 1})
	var got []string
	for _, n := range part.Notes {
		if n.Pitch == sideStick && n.Start < 2*4*music.PPQ {
			got = append(got, fmt.Sprint(n.Start*2/music.PPQ))
		}
	}
	// 1, 2+, 4 | 2, 3+ in eighths from the top.
	if want := "0 3 6 10 13"; strings.Join(got, " ") != want {
		t.Errorf("cross-stick eighths %v, want %s", got, want)
	}
}

func TestClaveDirection(t *testing.T) {
	c := loadChart(t, "blues-f")
	for dir, want := range map[string]string{"2-3": "2 4 8 11 14", "3-2": "0 3 6 10 12"} {
		st := *style(t, "afro-cuban")
		st.Params = map[string]string{"drums.clave": dir}
		part := play(t, c, &st, band.Options{Lineup: standardLineup(), Seed: 1})
		var got []int
		for _, n := range part.Notes {
			if n.Pitch == claves && n.Start < 2*4*music.PPQ {
				got = append(got, int(n.Start*2/music.PPQ))
			}
		}
		sort.Ints(got)
		if s := strings.Trim(fmt.Sprint(got), "[]"); s != want {
			t.Errorf("clave %s: eighths %s, want %s", dir, s, want)
		}
	}
}

// TestOverrides checks that a style's counted positions replace a voice.
func TestOverrides(t *testing.T) {
	c := loadChart(t, "blues-f")
	st := *style(t, "even-8ths-pop")
	st.Params = map[string]string{"drums.kick": "1:100 2+ 3:90", "drums.snare": "4:110"}
	part := play(t, c, &st, band.Options{Lineup: standardLineup(), Seed: 1})
	bar := music.Ticks(4 * music.PPQ)
	var kicks, snares []string
	for _, n := range part.Notes {
		if n.Start >= bar && n.Start < 2*bar {
			switch n.Pitch {
			case kick:
				kicks = append(kicks, fmt.Sprint((n.Start-bar)*2/music.PPQ, ":", n.Velocity))
			case snare:
				snares = append(snares, fmt.Sprint((n.Start-bar)*2/music.PPQ, ":", n.Velocity))
			}
		}
	}
	if k := strings.Join(kicks, " "); !strings.HasPrefix(k, "0:100 3:") || !strings.HasSuffix(k, " 4:90") || len(kicks) != 3 {
		t.Errorf("kicks %s, want 0:100 3:? 4:90", k)
	}
	if s := strings.Join(snares, " "); s != "6:110" {
		t.Errorf("snares %s, want 6:110", s)
	}
}

// BenchmarkDrums times the drummer alone over a 3-chorus performance of
// each example chart in its own style (or medium swing); ns/tune is the
// figure docs/benchmarks.md records.
func BenchmarkDrums(b *testing.B) {
	type tune struct {
		g *band.Gig
		k *kit
	}
	var tunes []tune
	for _, name := range examples.Names() {
		c := loadChart(b, name)
		st, ok := band.LookupStyle(c.Style)
		if !ok {
			st = style(b, "medium-swing")
		}
		g := &band.Gig{Chart: c, Style: st, Tempo: st.Tempo, Seed: 1, Bars: band.Form(c, 3, true, true)}
		for _, k := range kits {
			if k.name == st.Players["drums"] {
				tunes = append(tunes, tune{g, k})
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, tu := range tunes {
			tu.k.hire(tu.g).Play(0, len(tu.g.Bars), nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tunes)), "ns/tune")
}

// TestDocExamples reads the example styles in docs/style-format.md, so the
// documentation cannot drift from what the parser and drummers accept.
func TestDocExamples(t *testing.T) {
	data, err := os.ReadFile("../../docs/style-format.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```")
	n := 0
	c := loadChart(t, "bossa-d")
	for i := 1; i < len(blocks); i += 2 {
		if !strings.Contains(blocks[i], "\nname:") {
			continue
		}
		n++
		st, err := band.ParseStyle("doc", strings.NewReader(blocks[i]))
		if err != nil {
			t.Fatalf("doc example %d: %v", n, err)
		}
		if err := CheckStyle(st); err != nil {
			t.Errorf("doc example %s: %v", st.Name, err)
		}
		part := play(t, c, st, band.Options{Lineup: standardLineup(), Seed: 1})
		if len(part.Notes) == 0 {
			t.Errorf("doc example %s: no drums", st.Name)
		}
		if st.Name == "late-night-bossa" {
			var got []string
			for _, n := range part.Notes {
				if n.Pitch == sideStick && n.Start < 2*4*music.PPQ {
					got = append(got, fmt.Sprint(n.Start*2/music.PPQ))
				}
			}
			if s := strings.Join(got, " "); s != "0 3 6 10 13" {
				t.Errorf("written-out bossa clave at eighths %s, want 0 3 6 10 13", s)
			}
		}
	}
	if n < 2 {
		t.Errorf("%d example styles in the doc", n)
	}
}

// timeBars returns the bars that only keep time: no section start, no
// fill after them, not the ending.
func timeBars(bars []music.PlayedBar) []int {
	var out []int
	for i := 0; i+2 < len(bars); i++ {
		if !isStart(bars, i) && !isStart(bars, i+1) {
			out = append(out, i)
		}
	}
	return out
}

// TestGrooveFacts checks what each groove must play in a bar of time, in
// eighths (or sixteenths) from the bar's start, in 4/4 and 3/4.
func TestGrooveFacts(t *testing.T) {
	type fact struct {
		key  uint8
		at   []int // positions in units of unit ticks from the bar start
		unit music.Ticks
	}
	e, s := music.Ticks(music.PPQ/2), music.Ticks(music.PPQ/4)
	for _, tc := range []struct {
		style, chart string
		facts        []fact
	}{
		{"even-8ths-pop", "blues-f", []fact{{snare, []int{2, 6}, e}, {kick, []int{0}, e}, {closedHat, []int{1, 2, 3, 5, 6, 7}, e}}},
		{"rock", "blues-f", []fact{{snare, []int{2, 6}, e}, {kick, []int{0, 4}, e}}},
		{"funk", "blues-f", []fact{{snare, []int{4, 12}, s}, {kick, []int{0}, s}}},
		{"samba", "blues-f", []fact{{kick, []int{0, 3, 4, 7, 8, 11, 12, 15}, s}}},
		{"blues-shuffle", "blues-f", []fact{{snare, []int{1, 3}, music.PPQ}, {pedalHat, []int{1, 3}, music.PPQ}}},
		{"jazz-waltz", "waltz-f", []fact{{ride, []int{1, 2}, music.PPQ}, {pedalHat, []int{1}, music.PPQ}, {kick, []int{0}, music.PPQ}}},
		{"bossa-nova", "bossa-d", []fact{{kick, []int{0, 3, 4, 7}, e}, {closedHat, []int{1, 2, 3, 4, 5, 6, 7}, e}}},
	} {
		c := loadChart(t, tc.chart)
		st := style(t, tc.style)
		opt := band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 9}
		if tc.style == "samba" {
			opt.Tempo = 120 // felt in four: sixteenths
		}
		part := play(t, c, st, opt)
		hits := at(part.Notes)
		bars := band.Form(c, 2, false, false)
		tb := timeBars(bars)
		if len(tb) < 8 {
			t.Fatalf("%s: %d bars of time", tc.style, len(tb))
		}
		for _, i := range tb {
			for _, f := range tc.facts {
				for _, u := range f.at {
					if _, ok := hits[bars[i].Start+music.Ticks(u)*f.unit][f.key]; !ok {
						t.Errorf("%s bar %d: no key %d at %d×%d ticks", tc.style, i, f.key, u, f.unit)
					}
				}
			}
		}
	}
}

// TestFillsVary plays a long AABA and checks that the fills are not one
// fill repeated: the setups into the sections differ.
func TestFillsVary(t *testing.T) {
	c := loadChart(t, "rhythm-changes-bb")
	for _, name := range []string{"medium-swing", "rock", "ballad"} {
		part := play(t, c, style(t, name), band.Options{Lineup: standardLineup(), Choruses: 3, Seed: 2})
		bars := band.Form(c, 3, false, false)
		fills := map[string]bool{}
		n := 0
		for i := 0; i+1 < len(bars); i++ {
			if !isStart(bars, i+1) {
				continue
			}
			n++
			var f []string
			for _, nt := range part.Notes {
				if nt.Start >= bars[i].Start && nt.Start < bars[i].End() && nt.Pitch != pedalHat {
					f = append(f, fmt.Sprint(nt.Start-bars[i].Start, nt.Pitch))
				}
			}
			fills[strings.Join(f, " ")] = true
		}
		if n < 8 || len(fills) < n*3/4 {
			t.Errorf("%s: %d different fill bars of %d", name, len(fills), n)
		}
	}
}

// TestVelocityShape checks that dynamics come from the pattern, not from
// noise: in every straight groove the hi-hat is louder on the beat than
// between beats, and no voice plays one velocity throughout.
func TestVelocityShape(t *testing.T) {
	c := loadChart(t, "blues-f")
	for _, st := range band.Styles() {
		part := play(t, c, st, band.Options{Lineup: standardLineup(), Choruses: 2, Seed: 6})
		vels := map[uint8]map[uint8]bool{}
		var on, off []int
		for _, n := range part.Notes {
			if vels[n.Pitch] == nil {
				vels[n.Pitch] = map[uint8]bool{}
			}
			vels[n.Pitch][n.Velocity] = true
			if n.Pitch == closedHat {
				if n.Start%music.PPQ == 0 {
					on = append(on, int(n.Velocity))
				} else {
					off = append(off, int(n.Velocity))
				}
			}
		}
		for key, vs := range vels {
			count := 0
			for _, n := range part.Notes {
				if n.Pitch == key {
					count++
				}
			}
			if count >= 20 && len(vs) < 4 {
				t.Errorf("%s: key %d plays %d velocities in %d strokes", st.Name, key, len(vs), count)
			}
		}
		if len(on) > 20 && mean(on) < mean(off)+4 {
			t.Errorf("%s: hi-hat on the beat %.1f, between %.1f", st.Name, mean(on), mean(off))
		}
	}
}
