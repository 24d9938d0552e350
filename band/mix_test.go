package band_test

import (
	"fmt"
	"math"
	"os"
	"sideman/band/lineup"
	"slices"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/chart"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/render"
)

// styleChart is the bundled chart each style is measured on, in its
// meter and idiom; the others play the F blues.
var styleChart = map[string]string{
	"jazz-waltz": "waltz-f",
	"ballad":     "ballad-eb",
	"bossa-nova": "bossa-d",
	"samba":      "bossa-d",
}

func exampleChart(tb testing.TB, name string) *music.Chart {
	tb.Helper()
	src, err := examples.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := chart.DecodeBytes(src)
	if err != nil {
		tb.Fatal(err)
	}
	return cs[0]
}

// needSoundFonts returns the paths of the two Debian SoundFonts, skipping
// (or failing under SIDEMAN_REQUIRE_DATA=1) when one is not installed.
func needSoundFonts(tb testing.TB) []string {
	tb.Helper()
	for _, p := range []string{fluidR3, timGM6mb} {
		if _, err := os.Stat(p); err != nil {
			msg := fmt.Sprintf("no %s (apt-get install fluid-soundfont-gm timgm6mb-soundfont)", p)
			if shareddata.Required() {
				tb.Fatalf("%s (%s=1)", msg, shareddata.EnvRequire)
			}
			tb.Skipf("%s; skipping", msg)
		}
	}
	return []string{fluidR3, timGM6mb}
}

// mixWindow is how much of a style's performance the mix is measured on:
// whole bars from the top, at least 4 and at least 12 seconds.
const mixWindow = 12.0

// styleTake plays the style's chart once at the style's tempo with the
// style's feel (seed 1) and cuts it to the first bars lasting mixWindow
// seconds: the notes starting before, and the window's length in seconds.
func styleTake(tb testing.TB, st *band.Style) (*music.Piece, float64) {
	tb.Helper()
	name := styleChart[st.Name]
	if name == "" {
		name = "blues-f"
	}
	c := exampleChart(tb, name)
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Tempo: st.Tempo, Choruses: 1, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	if fn := st.FeelName(); fn != "none" {
		prof, ok := feel.Builtin(fn)
		if !ok {
			tb.Fatalf("style %s: no built-in feel %q", st.Name, fn)
		}
		p = feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	}
	var end music.Ticks
	for bars := 1; ; bars++ {
		end += p.Meters.At(end).BarTicks()
		if bars >= 4 && p.Tempo.Seconds(end) >= mixWindow || end >= p.End() {
			break
		}
	}
	for i := range p.Parts {
		p.Parts[i].Notes = slices.DeleteFunc(slices.Clone(p.Parts[i].Notes), func(n music.Note) bool { return n.Start >= end })
	}
	return p, p.Tempo.Seconds(end)
}

// partLoudness renders each part of p alone through the SoundFont, reverb
// and chorus on as a listener hears them, and returns its loudness (BS.1770
// K-weighted, ungated; render.Audio.Loudness) over the first secs seconds,
// by role.
func partLoudness(tb testing.TB, p *music.Piece, secs float64, sf2 string) map[string]float64 {
	tb.Helper()
	out := map[string]float64{}
	for i := range p.Parts {
		alone := *p
		alone.Parts = p.Parts[i : i+1]
		a, err := render.Render(tb.Context(), &alone, render.Options{SoundFont: soundFont(tb, sf2), MaxTail: 0.01})
		if err != nil {
			tb.Fatal(err)
		}
		n := int(secs * float64(a.SampleRate))
		if len(a.Left) < n {
			a.Left = append(a.Left, make([]float32, n-len(a.Left))...)
			a.Right = append(a.Right, make([]float32, n-len(a.Right))...)
		}
		a.Left, a.Right = a.Left[:n], a.Right[:n]
		// Undo the scaling a clipping render gets: the level as mixed.
		out[p.Parts[i].Role] = a.Loudness() - 20*math.Log10(a.Scaled)
	}
	return out
}

// TestMixBalance renders the bass, the comping (piano, guitar) and the
// drums of every built-in style alone, with the style's mix and feel,
// through FluidR3 and TimGM6mb, and asks that they sit within 6 dB of
// each other: the loudest part of a style at most 6 dB over its quietest.
// SIDEMAN_MIX=off measures the parts without the styles' mixes (every
// channel at General MIDI's volume 100, centred) and logs the same table
// without failing, for the before-and-after figures in docs/band.md.
func TestMixBalance(t *testing.T) {
	sfs := needSoundFonts(t)
	noMix := os.Getenv("SIDEMAN_MIX") == "off"
	roles := []string{"bass", "piano", "guitar", "drums"}
	var table []string
	for _, st := range band.Styles() {
		if noMix {
			s := *st
			s.Mix, s.Arc = nil, 0
			st = &s
		}
		p, secs := styleTake(t, st)
		for _, sf2 := range sfs {
			lv := partLoudness(t, p, secs, sf2)
			lo, hi := math.Inf(1), math.Inf(-1)
			row := fmt.Sprintf("| %s | %s |", st.Name, strings.TrimSuffix(sf2[strings.LastIndex(sf2, "/")+1:], ".sf2"))
			for _, r := range roles {
				l, ok := lv[r]
				if !ok {
					row += " |"
					continue
				}
				row += fmt.Sprintf(" %.1f |", l)
				lo, hi = min(lo, l), max(hi, l)
			}
			row += fmt.Sprintf(" %.1f |", hi-lo)
			table = append(table, row)
			if len(lv) < 3 {
				t.Errorf("style %s: %d parts, want bass, comping and drums", st.Name, len(lv))
			}
			if hi-lo > 6 && !noMix {
				t.Errorf("style %s through %s: parts spread over %.1f dB (%v), want at most 6", st.Name, sf2, hi-lo, lv)
			}
		}
	}
	t.Logf("LUFS, K-weighted, ungated, each part alone, first %g s or more of the style's chart:\n| style | SoundFont | bass | piano | guitar | drums | spread |\n|---|---|---|---|---|---|---|\n%s",
		mixWindow, strings.Join(table, "\n"))
}

// chorusMeans returns the mean velocity of a part's notes in each chorus of
// the form as played (PlayedBar.Chorus), from the bars Form lays out.
func chorusMeans(bars []music.PlayedBar, notes []music.Note) []float64 {
	var sum, n []float64
	for _, x := range notes {
		i := sort.Search(len(bars), func(i int) bool { return bars[i].Start > x.Start }) - 1
		if i < 0 {
			continue
		}
		for len(sum) < bars[i].Chorus {
			sum, n = append(sum, 0), append(n, 0)
		}
		sum[bars[i].Chorus-1] += float64(x.Velocity)
		n[bars[i].Chorus-1]++
	}
	for i := range sum {
		sum[i] /= max(n[i], 1)
	}
	return sum
}

// TestArc plays every built-in style over its chart for three choruses,
// with the style's arc and with none (the same seed, so the same notes),
// and checks the bass and the comping: the arc's scale of each chorus
// (the mean velocity with it over the mean without) rises from chorus to
// chorus, by at least half the arc from the first to the last; where a
// player is flat by itself (chorus means within 3% without the arc, most
// of them), the means rise with it, by at least a quarter of the arc, and
// still do after the style's feel; and the arc keeps the rank order of the
// velocities within each bar (a ghost stays under the note it ghosts, an
// accent over its neighbours).
func TestArc(t *testing.T) {
	flatParts := 0
	for _, st := range band.Styles() {
		if st.Arc == 0 {
			t.Errorf("style %s: no arc", st.Name)
			continue
		}
		name := styleChart[st.Name]
		if name == "" {
			name = "blues-f"
		}
		c := exampleChart(t, name)
		flat := *st
		flat.Arc = 0
		opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 3, Seed: 1}
		shaped, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Style = &flat
		plain, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		heard := shaped
		if fn := st.FeelName(); fn != "none" {
			prof, _ := feel.Builtin(fn)
			heard = feel.Humanize(shaped, prof, feel.Options{Amount: 1, Seed: 1})
		}
		bars := band.Form(c, 3, false, false)
		for pi := range shaped.Parts {
			sp, pp := shaped.Parts[pi], plain.Parts[pi]
			if sp.Role == "drums" {
				continue
			}
			what := st.Name + " " + sp.Role
			if len(sp.Notes) != len(pp.Notes) {
				t.Fatalf("%s: %d notes with the arc, %d without: the arc changed what was played", what, len(sp.Notes), len(pp.Notes))
			}
			with, without := chorusMeans(bars, sp.Notes), chorusMeans(bars, pp.Notes)
			after := chorusMeans(bars, heard.Parts[pi].Notes)
			t.Logf("%s: chorus means %.1f with the arc (%.1f after the feel), %.1f without", what, with, after, without)
			if len(with) != 3 {
				t.Fatalf("%s: %d choruses, want 3", what, len(with))
			}
			// The arc's own part, whatever the player does by itself: the
			// ratio of the means with and without it.
			var ratio []float64
			for k := range with {
				ratio = append(ratio, with[k]/without[k])
			}
			if !(ratio[0] < ratio[1] && ratio[1] < ratio[2]) || ratio[2]-ratio[0] < st.Arc/2 {
				t.Errorf("%s: the arc scales the choruses by %.3f, want rising by at least %.3f", what, ratio, st.Arc/2)
			}
			// Where the player is flat by itself, the band is heard to
			// build: the means rise, and still do after the feel. The last
			// chorus holds the arc's fall to the final chord, which weighs
			// more in a sparse part (the bossa pads): it may stay level
			// with the second, within 2%, but must end above the first.
			if lo, hi := slices.Min(without), slices.Max(without); hi-lo <= 0.03*hi {
				flatParts++
				for _, m := range [][]float64{with, after} {
					if !(m[0] < m[1] && 0.98*m[1] < m[2]) || m[2]-m[0] < st.Arc/4*without[0] {
						t.Errorf("%s: chorus means %.1f, want rising by at least %.1f", what, m, st.Arc/4*without[0])
					}
				}
			} else {
				t.Logf("%s: the player is not flat by itself (%.1f); its arc is checked by ratio only", what, without)
			}
			// Rank order within each bar.
			bar := func(x music.Ticks) int {
				return sort.Search(len(bars), func(i int) bool { return bars[i].Start > x }) - 1
			}
			inverted := 0
			for i := range sp.Notes {
				for j := i + 1; j < len(sp.Notes) && bar(sp.Notes[j].Start) == bar(sp.Notes[i].Start); j++ {
					a0, b0, a1, b1 := pp.Notes[i].Velocity, pp.Notes[j].Velocity, sp.Notes[i].Velocity, sp.Notes[j].Velocity
					if a0 < b0 && a1 > b1 || a0 > b0 && a1 < b1 {
						inverted++
					}
				}
			}
			if inverted > 0 {
				t.Errorf("%s: %d pairs of notes in a bar change their order of loudness with the arc", what, inverted)
			}
		}
	}
	if flatParts < 12 {
		t.Errorf("%d bass and comping parts flat by themselves, want at least 12 to hear the arc build on", flatParts)
	}
}

// TestStyleMix reads mix and arc lines, refuses bad ones with their line,
// and checks that Play gives each part its style's volume and pan (and a
// part the style does not mix none).
func TestStyleMix(t *testing.T) {
	src := "name: mixed\nbass: walking\npiano: swing\ndrums: swing\n" +
		"mix.bass: volume 90\nmix.piano: pan -30 volume 70\nmix.bass: pan 5\narc: 0.2\n"
	st, err := band.ParseStyle("mixed.style", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mix["bass"] != (band.Mix{Volume: 90, Pan: 5}) || st.Mix["piano"] != (band.Mix{Volume: 70, Pan: -30}) || st.Arc != 0.2 {
		t.Errorf("mix %v, arc %g; want bass 90 5, piano 70 -30, arc 0.2", st.Mix, st.Arc)
	}
	p, err := band.Play(exampleChart(t, "blues-f"), band.Options{Lineup: lineup.Standard(), Style: st, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]band.Mix{"bass": {90, 5}, "piano": {70, -30}, "drums": {}}
	for _, part := range p.Parts {
		if got := (band.Mix{Volume: part.Volume, Pan: part.Pan}); got != want[part.Role] {
			t.Errorf("%s: volume %d pan %d, want %v", part.Role, part.Volume, part.Pan, want[part.Role])
		}
	}
	plain, err := band.ParseStyle("plain.style", strings.NewReader("name: plain\n"))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Arc != band.DefaultArc || len(plain.Mix) != 0 {
		t.Errorf("a style without mix or arc lines: mix %v, arc %g; want none and %g", plain.Mix, plain.Arc, band.DefaultArc)
	}
	for _, tc := range []struct{ line, want string }{
		{"mix.flute: volume 90", "line 2: mix.flute"},
		{"mix.bass: volume 0", "volume \"0\""},
		{"mix.bass: volume 128", "volume \"128\""},
		{"mix.bass: pan 64", "pan \"64\""},
		{"mix.bass: pan -65", "pan \"-65\""},
		{"mix.bass: level 90", "want volume or pan"},
		{"mix.bass: volume", "want volume 1-127"},
		{"mix.bass:", "want volume 1-127"},
		{"arc: 0.6", "arc \"0.6\""},
		{"arc: -0.1", "arc \"-0.1\""},
		{"arc: loud", "arc \"loud\""},
	} {
		_, err := band.ParseStyle("bad.style", strings.NewReader("name: bad\n"+tc.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want one line saying %q", tc.line, err, tc.want)
		}
	}
}

// TestArcEnds plays rhythm changes in medium swing for two choruses with
// an intro and an ending, with the arc and without, and follows the arc's
// scale (velocity with it over velocity without) bar by bar through the
// bass and the piano: the intro and the top of the first chorus sit under
// the written level, the second chorus's climax over it, and the ending
// comes down bar by bar to where the first chorus began.
func TestArcEnds(t *testing.T) {
	st, _ := band.LookupStyle("medium-swing")
	c := exampleChart(t, "rhythm-changes-bb")
	flat := *st
	flat.Arc = 0
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Intro: true, Ending: true, Seed: 3}
	shaped, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Style = &flat
	plain, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	bars := band.Form(c, 2, true, true)
	scale := make([]float64, len(bars))
	for pi := range shaped.Parts {
		if shaped.Parts[pi].Role == "drums" {
			continue
		}
		with, without := make([]float64, len(bars)), make([]float64, len(bars))
		for i, n := range shaped.Parts[pi].Notes {
			b := sort.Search(len(bars), func(j int) bool { return bars[j].Start > n.Start }) - 1
			with[b] += float64(n.Velocity)
			without[b] += float64(plain.Parts[pi].Notes[i].Velocity)
		}
		for b := range bars {
			if without[b] > 0 {
				scale[b] += with[b] / without[b] / 2 // bass and piano
			}
		}
	}
	intro, ending := 8, len(bars)-5 // 32-bar form: 8 intro bars; a 4-bar tag and the final bar
	if bars[0].Bar.Section != "Intro" || bars[ending].Bar.Section != "Ending" {
		t.Fatalf("form: %q at 0, %q at %d; want the intro and the ending there", bars[0].Bar.Section, bars[ending].Bar.Section, ending)
	}
	climax := intro + 32 + 23 // the bar before the second chorus's last A
	first := scale[intro]
	t.Logf("scale: intro %.3f, first chorus top %.3f, second chorus climax %.3f, ending %.3f", scale[:intro], first, scale[climax], scale[ending:])
	if scale[0] > 1 || first > 1 || scale[climax] < 1+st.Arc/2 {
		t.Errorf("intro %.3f, first chorus %.3f, climax %.3f; want the first two under 1 and the climax at least %.3f", scale[0], first, scale[climax], 1+st.Arc/2)
	}
	for b := ending + 1; b < len(bars); b++ {
		if scale[b] >= scale[b-1] {
			t.Errorf("ending bar %d scaled %.3f after %.3f: want coming down", b-ending, scale[b], scale[b-1])
		}
	}
	if d := scale[len(bars)-1] - first; math.Abs(d) > 0.02 {
		t.Errorf("the last bar is scaled %.3f, the first chorus's top %.3f: want the same within 0.02", scale[len(bars)-1], first)
	}
}
