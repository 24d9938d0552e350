package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/load"
	"sideman/music"
)

// A tune in G written as a MIDI file with no chords in it: a pickup (D4
// alone on beat 4 of a bar of silence), then eight bars of block chords
// low and a melody of quarter notes over them, on a track named as a
// MIDI exporter names one ("Track 1").
var (
	heardRoots = []string{"G", "C", "D", "G", "E", "A", "D", "G"}
	heardPitch = [][]uint8{{43, 47, 50}, {36, 40, 43}, {38, 42, 45, 48}, {43, 47, 50}, {40, 43, 47}, {45, 48, 52}, {38, 42, 45, 48}, {43, 47, 50}}
	heardTune  = [][]uint8{{67, 71, 74, 71}, {72, 76, 79, 76}, {74, 72, 69, 66}, {67, 71, 74, 71}, {71, 67, 64, 67}, {69, 72, 76, 72}, {74, 78, 72, 69}, {67}}
)

// heardMIDI writes the tune to dir/name and returns its path and the
// melody's pitches in order, pickup first.
func heardMIDI(t *testing.T, dir, name string) (string, []uint8) {
	t.Helper()
	bar := music.Ticks(4 * music.PPQ)
	melody := []music.Note{{Pitch: 62, Velocity: 90, Start: 3 * music.PPQ, Duration: music.PPQ - 30}}
	pitches := []uint8{62}
	var chords []music.Note
	for b := range heardRoots {
		at := bar * music.Ticks(b+1)
		for _, p := range heardPitch[b] {
			chords = append(chords, music.Note{Pitch: p, Velocity: 70, Start: at, Duration: bar - 40})
		}
		long := 4 / len(heardTune[b])
		for i, p := range heardTune[b] {
			melody = append(melody, music.Note{Pitch: p, Velocity: 90, Start: at + music.Ticks(i*long)*music.PPQ, Duration: music.Ticks(long)*music.PPQ - 30})
			pitches = append(pitches, p)
		}
	}
	path := filepath.Join(dir, name)
	if err := writeFile(path, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{
			{Name: "Track 1", Channel: 0, Program: 73, Notes: melody},
			{Name: "Piano", Channel: 1, Notes: chords},
		}})
	}); err != nil {
		t.Fatal(err)
	}
	return path, pitches
}

// rootOf is a chord symbol's root's name ("D" of "D7").
func rootOf(t *testing.T, sym string) string {
	t.Helper()
	c, err := music.ParseChord(strings.Fields(sym)[0])
	if err != nil {
		t.Fatalf("%q: %v", sym, err)
	}
	return c.Root.String()
}

// sideman inspect of a MIDI file shows the chart heard in it: G major,
// 4/4, the pickup, each bar's chord on the root the file's chords have,
// said to be heard; its notes are counted as before, once.
func TestInspectHeardChart(t *testing.T) {
	if _, help, _ := sideman(t, "help", "inspect"); !strings.Contains(help, "the chart heard in its notes") || !strings.Contains(help, "sideman inspect my-tune.mid ") {
		t.Errorf("help inspect does not say it shows a MIDI file's heard chart, with an example:\n%s", help)
	}
	tune, _ := heardMIDI(t, t.TempDir(), "in-g.mid")
	st, stdout, errs := sideman(t, "inspect", tune, "--json")
	if st != 0 {
		t.Fatalf("inspect: %d %s", st, errs)
	}
	var s struct {
		Notes int
		Tunes []struct {
			Key, Meter *string
			Bars       int
			Heard      bool
			Pickup     bool
			Changes    []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || len(s.Tunes) != 1 {
		t.Fatalf("%v: %s; want one tune", err, stdout)
	}
	want := 1 // the pickup
	for b := range heardRoots {
		want += len(heardPitch[b]) + len(heardTune[b])
	}
	if s.Notes != want {
		t.Errorf("%d notes, want the file's %d (the heard tune's melody not counted again)", s.Notes, want)
	}
	h := s.Tunes[0]
	if !h.Heard || !h.Pickup || h.Key == nil || *h.Key != "G" || h.Meter == nil || *h.Meter != "4/4" {
		t.Errorf("heard %v pickup %v key %s meter %s; want heard, a pickup, G, 4/4", h.Heard, h.Pickup, orNone(h.Key), orNone(h.Meter))
	}
	if len(h.Changes) != 1+len(heardRoots) || h.Bars != len(h.Changes) {
		t.Fatalf("%d bars %q, want the pickup and %d", h.Bars, h.Changes, len(heardRoots))
	}
	for b, root := range heardRoots {
		if got := h.Changes[b+1]; got == "" || rootOf(t, got) != root {
			t.Errorf("bar %d heard %q, want a chord on %s", b+1, got, root)
		}
	}
	_, text, _ := sideman(t, "inspect", tune)
	if !strings.Contains(text, "chords heard in the notes, not written") || !strings.Contains(text, "pickup |") || !strings.Contains(text, "   1 | "+h.Changes[1]+" |") {
		t.Errorf("inspect does not show the heard chart bar by bar:\n%s", text)
	}
}

// sideman charts lists a MIDI file's heard tune as its one tune, titled
// by the file; a file with nothing to hear (drums alone) is an error, not
// a silent nothing.
func TestChartsHeard(t *testing.T) {
	if _, help, _ := sideman(t, "help", "charts"); !strings.Contains(help, "a MIDI file's one tune is the chart heard in its notes") || !strings.Contains(help, "sideman charts my-tune.mid ") {
		t.Errorf("help charts does not say it lists a MIDI file's heard tune, with an example:\n%s", help)
	}
	dir := t.TempDir()
	tune, _ := heardMIDI(t, dir, "in-g.mid")
	st, stdout, errs := sideman(t, "charts", tune)
	if st != 0 || stdout != "0\tin-g\t\n" || !strings.Contains(errs, "heard") {
		t.Errorf("charts: %d %q %q; want one tune, in-g, said to be heard", st, stdout, errs)
	}
	drums := filepath.Join(dir, "drums.mid")
	var hits []music.Note
	for i := range 16 {
		hits = append(hits, music.Note{Pitch: 42, Velocity: 80, Start: music.Ticks(i) * music.PPQ, Duration: 100, Channel: 9})
	}
	if err := writeFile(drums, func(w io.Writer) error {
		return midi.EncodePiece(w, &music.Piece{Parts: []music.Part{{Name: "Drums", Channel: 9, Role: music.RoleDrums, Notes: hits}}})
	}); err != nil {
		t.Fatal(err)
	}
	if st, stdout, errs := sideman(t, "charts", drums); st != 2 || stdout != "" || strings.Count(errs, "\n") != 1 {
		t.Errorf("charts of drums alone: %d %q %q; want exit 2 and one line", st, stdout, errs)
	}
}

// sideman solo over a MIDI file improvises over the chords heard in it:
// its notes on the bars' downbeats are mostly tones of the file's chords.
func TestSoloOverMIDI(t *testing.T) {
	_, help, _ := sideman(t, "help", "solo")
	if !strings.Contains(help, "CHART may be a MIDI file: the chords heard in its notes") || !strings.Contains(help, "sideman solo my-tune.mid ") {
		t.Errorf("help solo does not say it takes a MIDI file, with an example:\n%s", help)
	}
	dir := t.TempDir()
	tune, _ := heardMIDI(t, dir, "my-tune.mid")
	out := filepath.Join(dir, "my-solo.mid")
	if st, _, errs := sideman(t, "solo", tune, "--choruses", "2", "--seed", "3", "-o", out); st != 0 {
		t.Fatalf("solo over a MIDI file: %d %s", st, errs)
	}
	d, err := load.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	// The chart's bar 1 follows the pickup, a beat long.
	bar := music.Ticks(4 * music.PPQ)
	on, tones := 0, 0
	for _, p := range d.Piece.Parts {
		for _, n := range p.Notes {
			at := n.Start - music.PPQ
			b := int(at / bar)
			if at < 0 || at%bar > music.PPQ/4 && at%bar < bar-music.PPQ/8 {
				continue
			}
			if at%bar >= bar-music.PPQ/8 {
				b++
			}
			chord := heardPitch[b%len(heardPitch)]
			on++
			for _, c := range chord {
				if c%12 == n.Pitch%12 {
					tones++
					break
				}
			}
		}
	}
	if on < 4 || float64(tones) < 0.6*float64(on) {
		t.Errorf("%d of the solo's %d downbeat notes are tones of the file's chords, want 60%% or more", tones, on)
	}
}

// sideman convert writes a MIDI file's heard chart: its chords as a
// .chart, its lead sheet (chords and melody) as MusicXML, the melody the
// file's top line under the name "Melody", not the file's "Track 1".
func TestConvertHeardChart(t *testing.T) {
	_, help, _ := sideman(t, "help", "convert")
	if !strings.Contains(help, "sideman convert my-tune.mid -o my-tune.chart") {
		t.Errorf("help convert has no example writing a MIDI file's chart:\n%s", help)
	}
	dir := t.TempDir()
	tune, melody := heardMIDI(t, dir, "in-g.mid")
	out := filepath.Join(dir, "in-g.chart")
	if st, _, errs := sideman(t, "convert", tune, "-o", out); st != 0 {
		t.Fatalf("convert to .chart: %d %s", st, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chart.DecodeBytes(data)
	if err != nil || len(cs) != 1 {
		t.Fatalf("the .chart written: %v %d charts\n%s", err, len(cs), data)
	}
	c := cs[0]
	if c.Key == nil || c.Key.Short() != "G" || len(c.Bars) != 1+len(heardRoots) {
		t.Fatalf("the .chart: key %v, %d bars; want G, the pickup and %d\n%s", c.Key, len(c.Bars), len(heardRoots), data)
	}
	for b, root := range heardRoots {
		if chs := c.Bars[b+1].Chords; len(chs) == 0 || chs[0].Chord.Root.String() != root {
			t.Errorf("bar %d of the .chart: %v, want a chord on %s", b+1, chs, root)
		}
	}
	xml := filepath.Join(dir, "in-g.musicxml")
	if st, _, errs := sideman(t, "convert", tune, "-o", xml, "--transpose", "A"); st != 0 {
		t.Fatalf("convert to .musicxml: %d %s", st, errs)
	}
	f, err := os.Open(xml)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ls, err := musicxml.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if ls.Key == nil || ls.Key.Short() != "A" || len(ls.Parts) != 1 || ls.Parts[0].Name != "Melody" {
		t.Fatalf("the lead sheet: key %v, parts %+v; want A (a tone up), one part named Melody", ls.Key, ls.Parts)
	}
	var got []uint8
	for _, b := range ls.Bars {
		for _, n := range b.Notes {
			got = append(got, n.Pitch)
		}
	}
	if len(got) != len(melody) {
		t.Fatalf("the lead sheet's melody has %d notes, want the file's %d", len(got), len(melody))
	}
	for i := range got {
		if got[i] != melody[i]+2 {
			t.Errorf("melody note %d: %d, want %d (the file's, a tone up)", i+1, got[i], melody[i]+2)
		}
	}
}
