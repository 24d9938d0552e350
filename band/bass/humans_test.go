package bass

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/midi"
	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/tools/mma"
)

// wjTune is one solo of the Weimar Jazz Database with its transcribed
// walking bass (Abeßer et al., "Score-informed analysis of tuning,
// intonation, pitch modulation, and dynamics in jazz solos", and the
// walking-bass annotations of the Jazzomat project, 2017): the changes
// as a chart, and the bass on each beat of the beat track.
type wjTune struct {
	name  string
	meta  *wjazzd.Meta
	chart *music.Chart
	human []beatNote
}

// readWalkingTunes reads the 40 solos that have a bass transcription.
func readWalkingTunes(tb testing.TB) []*wjTune {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	ms, data, err := shareddata.ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	melody, beats, bass := map[string][]byte{}, map[string][]byte{}, map[string][]byte{}
	realName := map[string]string{}
	for i, m := range ms {
		base := path.Base(m.Name)
		switch {
		case strings.Contains(m.Name, "csv_melody/"):
			melody[strings.ToLower(base)] = data[i]
		case strings.Contains(m.Name, "csv_beats/"):
			beats[strings.ToLower(base)] = data[i]
			realName[strings.ToLower(base)] = base
		case strings.Contains(m.Name, "csv_bass/"):
			// The bass files' names differ in case from the solos'
			// ("BluesforBlanche", "BluesForBlanche").
			bass[strings.ToLower(strings.TrimSuffix(base, "_bass.csv")+".csv")] = data[i]
		}
	}
	f, err := os.Open(filepath.Join(dir, "wjd_file_index.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	index, err := wjazzd.DecodeIndex(f)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := os.Open(filepath.Join(dir, "wjd_meta.csv.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer g.Close()
	metas, err := wjazzd.DecodeMeta(g)
	if err != nil {
		tb.Fatal(err)
	}
	byID := map[string]*wjazzd.Meta{}
	for i := range metas {
		byID[metas[i].ID] = &metas[i]
	}
	idOf := map[string]string{}
	for _, e := range index {
		idOf[strings.ToLower(e.CSVName)] = e.WJDID
	}
	var out []*wjTune
	for key, b := range bass {
		name := realName[key]
		s, err := wjazzd.Decoder{Source: name}.DecodeSoloBytes(melody[key], beats[key])
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		meta := byID[idOf[key]]
		if meta == nil {
			tb.Fatalf("%s: no metadata", name)
		}
		c, err := s.Chart(meta)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		notes, err := wjazzd.Decoder{Source: name}.DecodeBassBytes(b)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		out = append(out, &wjTune{name: strings.TrimSuffix(name, "_Solo.csv"), meta: meta, chart: c, human: humanLine(tb, s, notes)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// humanLine reads the transcribed bass on each beat of the beat track:
// the note whose onset is nearest the beat, within a quarter of a beat
// before and after (players push and lay back).
func humanLine(tb testing.TB, s *wjazzd.Solo, notes []wjazzd.BassNote) []beatNote {
	chords := map[string]music.Chord{}
	var out []beatNote
	j := 0
	for k, b := range s.Beats {
		var l float64
		switch {
		case k+1 < len(s.Beats):
			l = s.Beats[k+1].Onset - b.Onset
		case k > 0:
			l = b.Onset - s.Beats[k-1].Onset
		}
		c, ok := chords[b.Chord]
		if !ok {
			var err error
			if c, err = wjazzd.ParseChord(b.Chord); err != nil {
				c = music.NC
			}
			chords[b.Chord] = c
		}
		bn := beatNote{chord: c, bar: b.Bar - s.Beats[0].Bar, index: b.Beat - 1, downbeat: b.Beat == 1, strong: b.Beat == 1 || b.Beat == 3 && strings.HasPrefix(b.Signature, "4/")}
		bn.change = k == 0 || !out[k-1].chord.Same(c)
		for j < len(notes) && notes[j].Onset < b.Onset-l/4 {
			j++
		}
		best := -1.0
		i := j
		for ; i < len(notes) && notes[i].Onset <= b.Onset+l/4; i++ {
			d := notes[i].Onset - b.Onset
			if d < 0 {
				d = -d
			}
			if best < 0 || d < best {
				best, bn.pitch = d, int(notes[i].Pitch)
				bn.dev, bn.dur = (notes[i].Onset-b.Onset)/l, notes[i].Duration/l
			}
		}
		for ; i < len(notes) && notes[i].Onset < b.Onset+3*l/4; i++ {
			bn.extra++
		}
		out = append(out, bn)
	}
	return out
}

// ourLine plays our walking bass over a tune's changes at its tempo.
func ourLine(tb testing.TB, t *wjTune, seed int64) []beatNote {
	st, _ := band.LookupStyle("medium-swing")
	c := *t.chart
	c.Parts = nil
	for i := range c.Bars {
		c.Bars[i].Notes = nil
	}
	p, err := band.Play(&c, band.Options{Lineup: standardLineup(), Style: st, Choruses: 1, Seed: seed, Tempo: c.Tempo,
		Mute: map[string]bool{"piano": true, "guitar": true, "drums": true}})
	if err != nil {
		tb.Fatalf("%s: %v", t.name, err)
	}
	g := &band.Gig{Chart: &c, Style: st}
	g.Bars = band.Form(&c, 1, false, false)
	g.Chords = music.Spans(g.Bars)
	return gigLine(g, p.Parts[0].Notes)
}

// splitSwing takes the swing-feel tunes in name order and deals them
// alternately into a tuning half (18) and a held-out half (17).
func splitSwing(ts []*wjTune) (tune, held []*wjTune) {
	for _, t := range ts {
		if t.meta.RhythmFeel != "SWING" {
			continue
		}
		if (len(tune)+len(held))%2 == 0 {
			tune = append(tune, t)
		} else {
			held = append(held, t)
		}
	}
	return tune, held
}

// mask lays our beats on the human's, by bar and beat (the beat track
// may start and end inside a bar, the chart does not), and keeps a pitch
// only where the human played one, so that both lines are measured over
// the same beats and chords.
func mask(ours, human []beatNote) []beatNote {
	at := map[[2]int]int{}
	for i, b := range ours {
		at[[2]int{b.bar, b.index}] = i
	}
	out := make([]beatNote, len(human))
	for i, h := range human {
		k, ok := at[[2]int{h.bar, h.index}]
		if !ok {
			out[i] = h
			out[i].pitch = 0
			continue
		}
		out[i] = ours[k]
		if h.pitch == 0 {
			out[i].pitch = 0
		}
	}
	return out
}

// mmaLine plays MMA's walking bass (groove JazzCombo: a swing combo
// whose Walk track walks in four with skips) over a tune's changes at its
// tempo and reads it beat by beat; ok is false when mma is not installed.
func mmaLine(tb testing.TB, t *wjTune, dir string) ([]beatNote, bool) {
	notes, ok := runMMA(tb, t.chart, t.chart.Tempo, dir)
	if !ok {
		return nil, false
	}
	st, _ := band.LookupStyle("medium-swing")
	g := &band.Gig{Chart: t.chart, Style: st}
	g.Bars = band.Form(t.chart, 1, false, false)
	g.Chords = music.Spans(g.Bars)
	return gigLine(g, notes), true
}

// mmaGroove is the MMA groove the bass is measured against.
const mmaGroove = "JazzCombo"

// mmaWaltz is MMA's groove for tunes in three.
const mmaWaltz = "JazzWaltz"

// runMMA types a chart for MMA, runs it and returns the notes of its
// walking-bass track.
func runMMA(tb testing.TB, c *music.Chart, tempo int, dir string) ([]music.Note, bool) {
	tb.Helper()
	bin, err := exec.LookPath("mma")
	if err != nil {
		return nil, false
	}
	src := filepath.Join(dir, "song.mma")
	var buf bytes.Buffer
	groove := mmaGroove
	if c.MeterOrDefault().Beats() == 3 {
		groove = mmaWaltz
	}
	if err := mma.Write(&buf, c, 1, tempo, groove); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(dir, "song.mid")
	if msg, err := exec.Command(bin, "-f", out, src).CombinedOutput(); err != nil {
		tb.Fatalf("mma on %s: %v\n%s\n%s", c.Title, err, msg, buf.Bytes()[:min(buf.Len(), 400)])
	}
	data, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := midi.DecodeBytes(data)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range midi.ToPiece(f, "mma").Parts {
		if p.Name == "Walk" || p.Name == "Bass" {
			return p.Notes, true
		}
	}
	tb.Fatalf("mma wrote no Walk track")
	return nil, false
}

// tuneMeasures are the measures of one tune's line that ours must hold
// inside the humans' interquartile range.
var tuneMeasures = []struct {
	name string
	of   func(bassStats) float64
}{
	{"beat-1 chord-tone rate", bassStats.chordToneRate},
	{"beat-1 root share", bassStats.rootRate},
	{"step share (|interval| <= 2)", bassStats.stepShare},
	{"strong beats (1, 3): root", func(s bassStats) float64 { return s.strongShare(degRoot) }},
	{"strong beats: 3rd", func(s bassStats) float64 { return s.strongShare(degThird) }},
	{"strong beats: 5th", func(s bassStats) float64 { return s.strongShare(degFifth) }},
	{"strong beats: 7th", func(s bassStats) float64 { return s.strongShare(degSeventh) }},
	{"strong beats: non-chord tone", func(s bassStats) float64 { return s.strongShare(degNone) }},
	{"non-chord tones entered by step", bassStats.nctStepIn},
	{"non-chord tones entered and left by step", bassStats.nctStepBoth},
	{"mean pitch (MIDI)", bassStats.meanPitch},
}

// summary is a measure over tunes: the humans' quartiles, and the median
// per tune of ours and MMA's.
type summary struct {
	name                      string
	q1, med, q3, ours, mmaMed float64
}

// TestAgainstHumanBassists measures our walking bass against the 35
// swing-feel walking lines transcribed in the Weimar Jazz Database, on
// the same changes and tempi, and against MMA's walking bass. The tunes
// are dealt alternately into a tuning half (18, which the approach
// weights and root share were set on) and a held-out half (17), which the
// assertions and the table in docs/band.md use. Run with -v for the
// table; SIDEMAN_BASS_HALF=tune measures the tuning half instead.
func TestAgainstHumanBassists(t *testing.T) {
	ts := readWalkingTunes(t)
	tuneHalf, held := splitSwing(ts)
	if len(tuneHalf) != 18 || len(held) != 17 {
		t.Fatalf("%d tuning and %d held-out swing tunes, want 18 and 17", len(tuneHalf), len(held))
	}
	set := held
	if os.Getenv("SIDEMAN_BASS_HALF") == "tune" {
		set = tuneHalf
	}
	dir := t.TempDir()
	var hum, our, mm bassStats
	// Per tune, each measure of the humans, ours and MMA's.
	hv, ov, mv := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	collect := func(to map[string][]float64, s bassStats) {
		for _, m := range tuneMeasures {
			to[m.name] = append(to[m.name], m.of(s))
		}
		for i, x := range normalized(s.hist[:]) {
			to["interval "+intervalNames[i]] = append(to["interval "+intervalNames[i]], x)
		}
	}
	haveMMA := true
	for _, tu := range set {
		h := measure(tu.human)
		o := measure(mask(ourLine(t, tu, 1), tu.human))
		hum.add(h)
		our.add(o)
		collect(hv, h)
		collect(ov, o)
		if !haveMMA {
			continue
		}
		ml, ok := mmaLine(t, tu, dir)
		if !ok {
			haveMMA = false
			continue
		}
		m := measure(mask(ml, tu.human))
		mm.add(m)
		collect(mv, m)
	}
	med := func(xs []float64) float64 { _, m, _ := quartiles(xs); return m }
	row := func(name string) summary {
		q1, md, q3 := quartiles(hv[name])
		s := summary{name: name, q1: q1, med: md, q3: q3, ours: med(ov[name]), mmaMed: math.NaN()}
		if haveMMA {
			s.mmaMed = med(mv[name])
		}
		return s
	}
	var rows []summary
	for _, m := range tuneMeasures {
		rows = append(rows, row(m.name))
	}
	for _, n := range intervalNames {
		rows = append(rows, row("interval "+n))
	}
	var lines [][]string
	for _, r := range rows {
		mcol := "-"
		f := pct
		if r.name == "mean pitch (MIDI)" {
			f = func(x float64) string { return fmt.Sprintf("%.1f", x) }
		}
		if haveMMA {
			mcol = f(r.mmaMed)
		}
		lines = append(lines, []string{r.name, f(r.med), f(r.q1) + " - " + f(r.q3), f(r.ours), mcol})
	}
	jsI, jsA := jsDistance(our.hist[:], hum.hist[:]), jsDistance(our.approach[:], hum.approach[:])
	mjsI, mjsA := math.NaN(), math.NaN()
	if haveMMA {
		mjsI, mjsA = jsDistance(mm.hist[:], hum.hist[:]), jsDistance(mm.approach[:], hum.approach[:])
	}
	lines = append(lines,
		[]string{"JS distance to humans, intervals", "0", "", fmt.Sprintf("%.3f", jsI), fmt.Sprintf("%.3f", mjsI)},
		[]string{"JS distance to humans, approach types", "0", "", fmt.Sprintf("%.3f", jsA), fmt.Sprintf("%.3f", mjsA)})
	ap := func(s bassStats) string {
		n := normalized(s.approach[:])
		var parts []string
		for i, x := range n {
			parts = append(parts, fmt.Sprintf("%s %s", apNames[i], pct(x)))
		}
		return strings.Join(parts, ", ")
	}
	t.Logf("%d tunes, pooled beat-1 chord-tone rate: humans %s, ours %s, MMA %s\n\n%s\napproach types into changes (pooled):\n  humans: %s\n  ours:   %s\n  MMA:    %s",
		len(set), pct(hum.chordToneRate()), pct(our.chordToneRate()), pct(mm.chordToneRate()),
		table([]string{"measure", "humans median", "humans IQR", "ours (median)", "MMA " + mmaGroove + " (median)"}, lines),
		ap(hum), ap(our), ap(mm))

	// The measures of tuneMeasures must lie inside the humans'
	// interquartile range. Of the ten interval bins, the held-out half
	// has one or two outside it (docs/band.md), so the test holds the
	// bins to at least 7 of 10 inside, and logs the misses.
	outside := 0
	for i, r := range rows {
		if r.ours >= r.q1 && r.ours <= r.q3 {
			continue
		}
		if i < len(tuneMeasures) {
			t.Errorf("%s: ours %.3f outside the humans' interquartile range %.3f - %.3f", r.name, r.ours, r.q1, r.q3)
			continue
		}
		outside++
		t.Logf("%s: ours %s outside the humans' interquartile range %s - %s", r.name, pct(r.ours), pct(r.q1), pct(r.q3))
	}
	if outside > 3 {
		t.Errorf("%d of %d interval bins outside the humans' interquartile range, want at most 3", outside, intervalBins)
	}
	if haveMMA {
		if jsI >= mjsI {
			t.Errorf("interval histogram: JS distance to humans %.3f, MMA's %.3f; want ours smaller", jsI, mjsI)
		}
		if jsA >= mjsA {
			t.Errorf("approach types: JS distance to humans %.3f, MMA's %.3f; want ours smaller", jsA, mjsA)
		}
	} else {
		t.Log("mma is not installed (apt-get install mma): the comparison with MMA is skipped")
	}
}

// TestHumanBassists prints the walking-bass measures of the human players
// per tune (go test -run HumanBassists -v).
func TestHumanBassists(t *testing.T) {
	ts := readWalkingTunes(t)
	if len(ts) != 40 {
		t.Fatalf("%d tunes with a bass transcription, want 40", len(ts))
	}
	var all bassStats
	for _, tu := range ts {
		s := measure(tu.human)
		all.add(s)
		o := measure(ourLine(t, tu, 1))
		t.Logf("%-40s %-7s %3d bpm  human ct %5.1f%% root %5.1f%% step %5.1f%%   ours ct %5.1f%% root %5.1f%% step %5.1f%%", tu.name, tu.meta.RhythmFeel, tu.chart.Tempo,
			100*s.chordToneRate(), 100*s.rootRate(), 100*s.stepShare(), 100*o.chordToneRate(), 100*o.rootRate(), 100*o.stepShare())
	}
	t.Logf("all: ct %.1f%% root %.1f%% step %.1f%%, approach from a half step, whole step or fifth of the next root %.1f%%",
		100*all.chordToneRate(), 100*all.rootRate(), 100*all.stepShare(), 100*ratio(all.toRoot, all.changes))
}
