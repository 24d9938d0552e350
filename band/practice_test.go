package band_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sideman/band/lineup"
	"slices"
	"strings"
	"testing"

	"sideman/band"
	"sideman/feel"
	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
	"sideman/render"
)

// withFeel is the humanizer the command passes WithFeel: the style's
// feel, seed 1.
func withFeel(tb testing.TB, st *band.Style) func(*music.Piece) *music.Piece {
	tb.Helper()
	prof, ok := feel.Builtin(st.FeelName())
	if !ok {
		tb.Fatalf("style %s: no built-in feel %q", st.Name, st.FeelName())
	}
	return func(p *music.Piece) *music.Piece { return feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1}) }
}

// A count-in changes nothing the band plays: in every style, every note
// of every player is the one played without it, a count-in later, and
// the count-in is one stroke a felt beat, the downbeat the loudest.
func TestCountInLeavesTheBand(t *testing.T) {
	for _, st := range band.Styles() {
		name := styleChart[st.Name]
		if name == "" {
			name = "blues-f"
		}
		c := exampleChart(t, name)
		// Ids from 1 for both: without, each performance would take ids
		// of its own, keyed by its options.
		opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Ending: true, Seed: 3, IDs: music.NewIDs(1)}
		plain, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.CountIn, opt.IDs = 2, music.NewIDs(1)
		counted, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		m := c.MeterOrDefault()
		shift := 2 * m.BarTicks()
		if len(counted.Parts) != len(plain.Parts)+1 {
			t.Fatalf("%s: %d parts with the count-in, %d without", st.Name, len(counted.Parts), len(plain.Parts))
		}
		// The count-in's notes take the first ids: the band's follow.
		nClicks := music.NoteID(len(counted.Parts[len(counted.Parts)-1].Notes))
		for i, part := range plain.Parts {
			got := counted.Parts[i].Notes
			if len(got) != len(part.Notes) {
				t.Fatalf("%s %s: %d notes after a count-in, %d without", st.Name, part.Name, len(got), len(part.Notes))
			}
			for j, n := range part.Notes {
				g := got[j]
				if g.Start != n.Start+shift || g.Pitch != n.Pitch || g.Velocity != n.Velocity || g.Duration != n.Duration || g.ID != n.ID+nClicks {
					t.Fatalf("%s %s note %d: %+v, want %+v a count-in later", st.Name, part.Name, j, g, n)
				}
			}
		}
		if a, b := counted.Tempo.Seconds(counted.End())-counted.Tempo.Seconds(shift), plain.Tempo.Seconds(plain.End()); math.Abs(a-b) > 1e-6 {
			t.Errorf("%s: the band lasts %.3f s after the count-in, %.3f s without", st.Name, a, b)
		}
		// With the style's feel the band still comes in after the
		// count-in's last half beat, and the count-in stays on the grid.
		felt := band.WithFeel(counted, withFeel(t, st))
		for _, part := range felt.Parts[:len(felt.Parts)-1] {
			for _, n := range part.Notes {
				if n.Start < shift-m.BeatTicks()/2 {
					t.Errorf("%s %s: note %d at tick %d, inside the count-in (%d)", st.Name, part.Name, n.ID, n.Start, shift)
				}
			}
		}
		if a, b := felt.Parts[len(felt.Parts)-1].Notes, counted.Parts[len(counted.Parts)-1].Notes; !slices.EqualFunc(a, b, func(x, y music.Note) bool { return x.Start == y.Start && x.Velocity == y.Velocity }) {
			t.Errorf("%s: the feel moved the count-in", st.Name)
		}
		clicks := counted.Parts[len(counted.Parts)-1]
		beats := 2 * m.Beats()
		if len(clicks.Notes) != beats {
			t.Fatalf("%s: %d count-in strokes, want %d", st.Name, len(clicks.Notes), beats)
		}
		for k, n := range clicks.Notes {
			if n.Start != music.Ticks(k)*m.BeatTicks() || (n.Pitch != 37 && n.Pitch != 44) || n.Channel != 9 {
				t.Errorf("%s: stroke %d: key %d at %d on channel %d", st.Name, k, n.Pitch, n.Start, n.Channel+1)
			}
			if down := k%m.Beats() == 0; down != (n.Velocity == clicks.Notes[0].Velocity) || !down && n.Velocity >= clicks.Notes[0].Velocity {
				t.Errorf("%s: stroke %d at velocity %d, downbeat %d", st.Name, k, n.Velocity, clicks.Notes[0].Velocity)
			}
		}
	}
}

// midoRead is what mido, which nobody here wrote, reads from a MIDI file:
// tempo changes, notes and channel volumes, at absolute ticks.
type midoRead struct {
	Tempos  [][2]float64 // tick, bpm (quarters)
	Notes   [][4]int     // tick, channel, key, velocity
	Volumes [][3]int     // tick, channel, value
	Markers []string
}

func readWithMido(tb testing.TB, path string) midoRead {
	tb.Helper()
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import mido").Run(); err != nil {
		if shareddata.Required() {
			tb.Fatalf("%s cannot import mido: %v; install python3-mido", python, err)
		}
		tb.Skipf("no mido: %v", err)
	}
	out, err := exec.Command(python, "-c", `import json, mido, sys
m = mido.MidiFile(sys.argv[1])
r = {"Tempos": [], "Notes": [], "Volumes": [], "Markers": []}
for tr in m.tracks:
    t = 0
    for e in tr:
        t += e.time
        if e.type == "set_tempo":
            r["Tempos"].append([t, mido.tempo2bpm(e.tempo)])
        elif e.type == "note_on" and e.velocity > 0:
            r["Notes"].append([t, e.channel, e.note, e.velocity])
        elif e.type == "control_change" and e.control == 7:
            r["Volumes"].append([t, e.channel, e.value])
        elif e.type == "marker":
            r["Markers"].append(e.text)
r["Tempos"].sort()
r["Notes"].sort()
print(json.dumps(r))`, path).Output()
	if err != nil {
		tb.Fatal(err)
	}
	var r midoRead
	if err := json.Unmarshal(out, &r); err != nil {
		tb.Fatal(err)
	}
	return r
}

func writeMIDI(tb testing.TB, p *music.Piece) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "practice.mid")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := midi.EncodePiece(f, p); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// The practice controls, read back from the written MIDI file by mido:
// a 2-bar count-in from tick 0 with nothing else before its last half
// beat, bars 5-8 three times (the bass on their chords, not on bars
// 1-4's), 4 bpm faster each time, the bass 6 dB down and the drums 2 dB
// up by channel volume with every velocity as the band played it.
func TestPracticeReadByMido(t *testing.T) {
	// Bars 5-8 a tritone from the tune's key: a bass in the wrong bars
	// shows.
	c := chartOf(t, "C", "C", "Am7", "Dm7", "G7", "Eb7", "Ab7", "Db7", "Gb7", "C", "Am7", "Dm7 G7", "C")
	st, _ := band.LookupStyle("medium-swing")
	const base, step, times = 132, 4, 3
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Tempo: base, Seed: 7, CountIn: 2, Loop: band.BarRange{First: 5, Last: 8}, Repeat: times, Ramp: step,
		Levels: map[string]float64{"bass": -6, "drums": 2}}
	p, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	p = band.WithFeel(p, withFeel(t, st))
	r := readWithMido(t, writeMIDI(t, p))
	const bar, beat = 4 * music.PPQ, music.PPQ
	countEnd := 2 * bar

	// The count-in: sticks on every beat from tick 0, the downbeats
	// louder, then the band.
	var clicks [][4]int
	for _, n := range r.Notes {
		if n[0] < countEnd-beat/2 {
			if n[1] != 9 || (n[2] != 37 && n[2] != 44) {
				t.Errorf("key %d on channel %d at tick %d, inside the count-in", n[2], n[1]+1, n[0])
			}
			clicks = append(clicks, n)
		}
	}
	if len(clicks) != 8 {
		t.Fatalf("%d strokes in the count-in, want 8", len(clicks))
	}
	for k, n := range clicks {
		if n[0] != k*beat {
			t.Errorf("stroke %d at tick %d, want %d", k, n[0], k*beat)
		}
		if down := clicks[k-k%4][3]; k%4 != 0 && n[3] >= down {
			t.Errorf("stroke %d at velocity %d, its downbeat at %d: the downbeat is not marked", k, n[3], down)
		}
	}

	// The band is humanized, the count-in (above) is not.
	var off, all int
	for _, n := range r.Notes {
		if n[0] >= countEnd-beat/2 {
			all++
			if n[0]%(music.PPQ/12) != 0 {
				off++
			}
		}
	}
	if off < all/2 {
		t.Errorf("%d of the band's %d notes off the grid: the feel did not play", off, all)
	}

	// The loop: the bass plays the chords of bars 5-8 as written, time
	// after time, and not those of bars 1-4.
	tones := func(first int) []uint16 {
		var out []uint16
		for i := first - 1; i < first+3; i++ {
			out = append(out, c.Bars[i].Chords[0].Chord.PitchClasses())
		}
		return out
	}
	share := func(want []uint16) float64 {
		var in, all int
		for _, x := range r.Notes {
			if b := (x[0] - countEnd + beat/4) / bar; x[1] == 1 && x[0] >= countEnd-beat/4 {
				all++
				if want[b%4]&(1<<(x[2]%12)) != 0 {
					in++
				}
			}
		}
		return float64(in) / float64(all)
	}
	got, other := share(tones(5)), share(tones(1))
	if got < 0.6 || other > got/2 {
		t.Errorf("the bass: %.0f%% of its notes tones of bars 5-8's chords, %.0f%% of bars 1-4's", 100*got, 100*other)
	}
	t.Logf("the bass: %.0f%% of its notes tones of bars 5-8's chords, %.0f%% of bars 1-4's", 100*got, 100*other)
	last := 0
	for _, n := range r.Notes {
		last = max(last, n[0])
	}
	if end := countEnd + times*4*bar; last >= end || last < end-bar {
		t.Errorf("last note at tick %d, want in the last bar of %d times round (%d to %d)", last, times, end-bar, end)
	}
	if len(r.Markers) < 2 || r.Markers[0] != "Count-in" || r.Markers[1] != "Count-in" {
		t.Errorf("markers %q, want Count-in on each count-in bar first", r.Markers)
	}

	// The ramp: one tempo a time round, the count-in at the first.
	if len(r.Tempos) != times {
		t.Fatalf("tempo changes %v, want %d", r.Tempos, times)
	}
	for k, tc := range r.Tempos {
		at, bpm := countEnd+k*4*bar, float64(base+k*step)
		if k == 0 {
			at = 0
		}
		if int(tc[0]) != at || math.Abs(tc[1]-bpm) > 0.01 {
			t.Errorf("tempo %d: %.2f bpm at tick %d, want %.0f at %d", k, tc[1], int(tc[0]), bpm, at)
		}
	}

	// The levels: channel volume, not velocities.
	opt.Levels = nil
	flat, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	flat = band.WithFeel(flat, withFeel(t, st))
	rf := readWithMido(t, writeMIDI(t, flat))
	vol := func(r midoRead, ch int) (v int) {
		for _, x := range r.Volumes {
			if x[1] == ch {
				if v != 0 && v != x[2] {
					t.Errorf("channel %d set to %d and %d", ch+1, v, x[2])
				}
				v = x[2]
			}
		}
		return v
	}
	// Levels are the mix as asked: each channel against the piano's,
	// which was asked nothing (the drums are at 127 in this style, so
	// going up they hold and the band goes down). Gain follows the
	// volume's square; rounding to whole volumes moves a ratio at most
	// 40*log10(1+0.5/v) dB for each of the two.
	change := func(ch int) (db, tol float64) {
		a, b := vol(rf, ch), vol(r, ch)
		return 40 * math.Log10(float64(b)/float64(a)), 40 * math.Log10(1+0.5/float64(min(a, b)))
	}
	piano, ptol := change(0)
	for _, tc := range []struct {
		ch int
		db float64
	}{{1, -6}, {9, 2}} {
		got, tol := change(tc.ch)
		if got-piano < tc.db-tol-ptol || got-piano > tc.db+tol+ptol {
			t.Errorf("channel %d: volume %d, %d without levels: %+.2f dB against the piano, want %+.0f", tc.ch+1, vol(r, tc.ch), vol(rf, tc.ch), got-piano, tc.db)
		}
	}
	if v := vol(r, 9); v != 127 {
		t.Errorf("drums at volume %d, want 127: asked up, they hold the loudest", v)
	}
	if len(rf.Notes) != len(r.Notes) {
		t.Fatalf("%d notes without levels, %d with", len(rf.Notes), len(r.Notes))
	}
	for i := range r.Notes {
		if r.Notes[i] != rf.Notes[i] {
			t.Fatalf("note %d: %v with levels, %v without: the dynamics moved", i, r.Notes[i], rf.Notes[i])
		}
	}
}

// A ramp over choruses keeps the ending's ritard and fermata in
// proportion to the last chorus's tempo; the intro plays at the first.
func TestRampKeepsTheRitard(t *testing.T) {
	c := exampleChart(t, "blues-f")
	st, _ := band.LookupStyle("medium-swing")
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Tempo: 120, Choruses: 3, Intro: true, Ending: true, Seed: 1}
	plain, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Ramp = -10
	ramped, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	bpm := func(tm music.TempoMap, at music.Ticks) float64 { return 6e7 / float64(tm.At(at).MicrosPerQuarter) }
	bars := band.Form(c, 3, true, true)
	for _, pb := range bars {
		k := pb.Chorus
		if pb.Start < bars[4].Start { // the intro
			k = 1
		}
		if pb.Start >= bars[4+36].Start { // the ending's tag
			k = 3
		}
		for _, at := range []music.Ticks{pb.Start, pb.Start + 3*music.PPQ} {
			want := bpm(plain.Tempo, at) * float64(120-10*(k-1)) / 120
			if got := bpm(ramped.Tempo, at); math.Abs(got-want) > 0.01 {
				t.Fatalf("bar %d (chorus %d) beat %d: %.2f bpm, want %.2f", pb.Index+1, k, (at-pb.Start)/music.PPQ+1, got, want)
			}
		}
	}
}

// Options the chart cannot take are refused with an OptionError naming
// the option.
func TestPracticeRefused(t *testing.T) {
	c := exampleChart(t, "blues-f")
	st, _ := band.LookupStyle("medium-swing")
	for _, tc := range []struct {
		opt        band.Options
		option, in string
	}{
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 9, Last: 16}}, "loop", "has 12 bars"},
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 5, Last: 4}}, "loop", "FIRST-LAST"},
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 1, Last: 4}, Intro: true}, "loop", "intro"},
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 1, Last: 4}, Repeat: 1000}, "repeat", "1 to 256"},
		{band.Options{Lineup: lineup.Standard(), CountIn: -1}, "count-in", "0 to 16"},
		{band.Options{Lineup: lineup.Standard(), Choruses: 40, Ramp: 8, Tempo: 132}, "ramp", "reaches 444 bpm"},
		// A loop goes round: its ramp's errors count times round, not choruses.
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 1, Last: 4}, Repeat: 4, Ramp: 20, Tempo: 390}, "ramp", "390 bpm reaches 450 bpm by the 4th time round"},
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 1, Last: 4}, Repeat: 22, Ramp: -5, Tempo: 120}, "ramp", "reaches 15 bpm by the 22nd time round"},
		{band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 1, Last: 4}, Ramp: 400}, "ramp", "beats per minute a time round"},
		{band.Options{Lineup: lineup.Standard(), Levels: map[string]float64{"tuba": 3}}, "level", "a role of"},
		{band.Options{Lineup: lineup.Standard(), Levels: map[string]float64{"bass": -90}}, "level", "quietest"},
		{band.Options{Lineup: lineup.Standard(), Levels: map[string]float64{"piano": 120}}, "level", "quietest"},
	} {
		tc.opt.Style = st
		_, err := band.Play(c, tc.opt)
		var oe *band.OptionError
		if !errors.As(err, &oe) || oe.Option != tc.option || !strings.Contains(err.Error(), tc.in) {
			t.Errorf("%+v: %v, want a %s error saying %q", tc.opt, err, tc.option, tc.in)
		}
	}
	for _, bad := range []string{"", "0-4", "8-4", "x", "3-", "9-16x", "9-16-20"} {
		if _, err := band.ParseBarRange(bad); err == nil {
			t.Errorf("bar range %q read", bad)
		}
	}
	if r, err := band.ParseBarRange(" 9-16"); err != nil || r != (band.BarRange{First: 9, Last: 16}) {
		t.Errorf("9-16: %v %v", r, err)
	}
	if l, err := band.ParseLevels("bass=-6, drums=+2"); err != nil || l["bass"] != -6 || l["drums"] != 2 {
		t.Errorf("levels %v %v", l, err)
	}
	for _, bad := range []string{"bass", "bass=loud", "tuba=3", "bass=NaN", "bass=-6x"} {
		if _, err := band.ParseLevels(bad); err == nil {
			t.Errorf("levels %q read", bad)
		}
	}
}

// The WAV starts with the count-in: the count-in, on the grid while the
// band is humanized, strikes at tick 0, and the render adds no silence
// before it: through FluidR3_GM, the SoundFont render takes first, the
// first sample above -60 dBFS is inside the synthesizer's first block of
// 64 samples (1.45 ms).
func TestCountInStartsTheAudio(t *testing.T) {
	if _, err := os.Stat(fluidR3); err != nil {
		msg := "no " + fluidR3 + " (apt-get install fluid-soundfont-gm)"
		if shareddata.Required() {
			t.Fatalf("%s (%s=1)", msg, shareddata.EnvRequire)
		}
		t.Skip(msg)
	}
	c := exampleChart(t, "ballad-eb")
	st, _ := band.LookupStyle("ballad")
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Seed: 1, CountIn: 1})
	if err != nil {
		t.Fatal(err)
	}
	p = band.WithFeel(p, withFeel(t, st))
	first := p.End()
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			first = min(first, n.Start)
		}
	}
	if first != 0 {
		t.Errorf("first note at tick %d, want 0", first)
	}
	// One bar is enough to hear where the sound starts.
	for i := range p.Parts {
		var keep []music.Note
		for _, n := range p.Parts[i].Notes {
			if n.Start < 4*music.PPQ {
				keep = append(keep, n)
			}
		}
		p.Parts[i].Notes = keep
	}
	a, err := render.Render(t.Context(), p, render.Options{SoundFont: soundFont(t, fluidR3), MaxTail: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i := range a.Left {
		if math.Abs(float64(a.Left[i])) > 1e-3 || math.Abs(float64(a.Right[i])) > 1e-3 {
			at = i
			break
		}
	}
	if at < 0 || at > 64 {
		t.Errorf("the first sample above -60 dBFS is sample %d (%.2f ms), want within the first 64", at, 1000*float64(at)/float64(a.SampleRate))
	}
	t.Logf("first sample above -60 dBFS: %.2f ms", 1000*float64(at)/float64(a.SampleRate))
}

// Loop bars are numbered as printed: a pickup bar is bar 0, so bar 1 is
// the first full bar.
func TestLoopCountsFromThePickup(t *testing.T) {
	c := chartOf(t, "C", "G7", "C", "F", "G7", "C")
	pickup, full := music.Meter{Num: 1, Den: 4}, music.Meter{Num: 4, Den: 4}
	c.Bars[0].Meter, c.Bars[1].Meter = &pickup, &full
	bars, err := band.Played(c, band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 2, Last: 3}, Repeat: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pb := range bars {
		got = append(got, pb.Bar.Chords[0].Chord.String())
	}
	if want := "F G7 F G7"; strings.Join(got, " ") != want {
		t.Errorf("bars 2-3 twice: %s, want %s", strings.Join(got, " "), want)
	}
	if _, err := band.Played(c, band.Options{Lineup: lineup.Standard(), Loop: band.BarRange{First: 5, Last: 5}}); err == nil || !strings.Contains(err.Error(), "has 4 bars") {
		t.Errorf("bar 5 of 4 and a pickup: %v", err)
	}
}
