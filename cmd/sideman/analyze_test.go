package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sideman/band"
	"strings"
	"testing"
)

// TestAnalyzeBlockChords writes the F blues as block chords (sideman
// convert) and analyses the MIDI file against its chart: the lowest voice
// of every chord is its root, so the "bass" plays chord tones and roots on
// every beat 1 of the three choruses, and the close-position chords above
// hold their guide tones inside every limit.
func TestAnalyzeBlockChords(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "x.mid")
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", mid, "--choruses", "3"); status != 0 {
		t.Fatalf("convert: status %d: %s", status, errs)
	}
	status, out, errs := sideman(t, "analyze", mid, "--chart", "../../examples/blues-f.chart", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var r struct {
		Bars, Choruses      int
		Parts               map[string]string
		ChordTones          float64                  `json:"bass_chord_tone_rate_beat1"`
		Roots               float64                  `json:"bass_root_rate_beat1"`
		GuideTones          float64                  `json:"comping_guide_tone_share"`
		LowInterval         int                      `json:"low_interval_violations"`
		Register            int                      `json:"register_violations"`
		MinorNinths         int                      `json:"minor_ninth_violations"`
		NotesPerBar         map[string]float64       `json:"notes_per_bar"`
		N                   map[string]int           `json:"n"`
		BassIntervalHist    map[string]float64       `json:"bass_interval_histogram"`
		BassApproachTypes   map[string]float64       `json:"bass_approach_types"`
		RepeatedTwoBarCells *int                     `json:"repeated_two_bar_cells"`
		VoiceMovement       *float64                 `json:"comping_voice_movement_mean"`
		BassRange           *struct{ Low, High int } `json:"bass_range"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// The form ends on the tonic, held over the last two bars (Gm7 C7
	// becomes F7): 35 bars begin with a bass note.
	if r.Bars != 36 || r.Choruses != 3 || r.N["bass_chord_tone_rate_beat1"] != 35 || r.ChordTones != 1 || r.Roots != 1 {
		t.Errorf("%d bars, %d choruses; beat 1: chord tones %v, roots %v over %d bars; want 36, 3, 1, 1 over 35",
			r.Bars, r.Choruses, r.ChordTones, r.Roots, r.N["bass_chord_tone_rate_beat1"])
	}
	if !strings.Contains(r.Parts["bass"], "lowest voice") || r.GuideTones != 1 || r.LowInterval+r.Register+r.MinorNinths != 0 {
		t.Errorf("parts %v, guide tones %v, violations %d %d %d", r.Parts, r.GuideTones, r.LowInterval, r.Register, r.MinorNinths)
	}
	// BlockChords puts the bass in E2..D#3: F2 is the lowest root of the blues.
	if r.BassRange == nil || r.BassRange.Low != 41 || r.RepeatedTwoBarCells == nil || r.VoiceMovement == nil || len(r.BassApproachTypes) != 6 {
		t.Errorf("range %+v, cells %v, movement %v, approaches %v", r.BassRange, r.RepeatedTwoBarCells, r.VoiceMovement, r.BassApproachTypes)
	}

	// Against the chart a fourth up, the roots are no longer roots.
	status, out, errs = sideman(t, "analyze", mid, "--chart", "../../examples/blues-f.chart", "--transpose", "Bb", "--json")
	if status != 0 || !strings.Contains(out, `"bass_root_rate_beat1": 0,`) {
		t.Errorf("transposed: status %d: %s%s", status, out, errs)
	}

	// The readable summary.
	status, out, errs = sideman(t, "analyze", mid, "--chart", "../../examples/blues-f.chart")
	if status != 0 || !strings.Contains(out, "chord tones on beat 1   100.0% of 35 bars") {
		t.Errorf("status %d: %s%s", status, out, errs)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "x.mid")
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", mid); status != 0 {
		t.Fatalf("convert: status %d: %s", status, errs)
	}
	nc := filepath.Join(dir, "nc.chart")
	os.WriteFile(nc, []byte("title: nothing\n| N.C. |\n"), 0o644)
	bad := filepath.Join(dir, "bad.mid")
	os.WriteFile(bad, []byte("MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk\x00\x00\x00\x08\x00\x40\x40\x00"), 0o644)
	for _, tc := range []struct {
		args  []string
		want  string
		lines int
	}{
		{[]string{"analyze", mid}, "--chart CHART", 1}, // a usage error: one line, pointing at sideman help analyze
		{[]string{"analyze"}, "want one MIDI file", 1},
		{[]string{"analyze", bad, "--chart", "../../examples/blues-f.chart"}, "bad.mid: midi: byte", 1},
		{[]string{"analyze", filepath.Join(dir, "missing.mid"), "--chart", "../../examples/blues-f.chart"}, "missing.mid", 1},
		{[]string{"analyze", "../../examples/blues-f.chart"}, "is not a MIDI file", 1},
		{[]string{"analyze", mid, "--chart", nc}, "no chords", 1},
		{[]string{"analyze", mid, "--chart", "../../examples/blues-f.chart", "--tune", "Nope"}, "no tune titled", 1},
		{[]string{"analyze", mid, "--chart", "../../examples/blues-f.chart", "--transpose", "H#"}, "--transpose", 1},
	} {
		status, _, errs := sideman(t, tc.args...)
		if status != 2 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != tc.lines {
			t.Errorf("%v: status %d, stderr %q; want 2 and %d line(s) with %q", tc.args, status, errs, tc.lines, tc.want)
		}
	}
}

// TestAnalyzeBand analyses what sideman band plays, intro and ending
// included: the form is found from the file's length and markers, the
// parts by the roles the file records, and the walking bass plays a chord
// tone on beat 1 about as often as the Weimar bassists do (72% to 89% is
// their interquartile range; one short blues may stray a little).
func TestAnalyzeBand(t *testing.T) {
	mid := filepath.Join(t.TempDir(), "band.mid")
	if status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--choruses", "3", "--intro", "--ending", "-o", mid); status != 0 {
		t.Fatalf("band: status %d: %s", status, errs)
	}
	status, out, errs := sideman(t, "analyze", mid, "--chart", "../../examples/blues-f.chart", "--json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var r struct {
		Bars, Choruses int
		Parts          map[string]string
		ChordTones     float64            `json:"bass_chord_tone_rate_beat1"`
		NotesPerBar    map[string]float64 `json:"notes_per_bar"`
		N              map[string]int     `json:"n"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// 4 bars of intro, 3 choruses of 12, a 4-bar tag and the final chord.
	if r.Bars != 45 || r.Choruses != 3 || r.Parts["bass"] != "Bass" || r.Parts["piano"] != "Piano" || r.Parts["drums"] != "Drums" {
		t.Errorf("%d bars, %d choruses, parts %v; want 45, 3, Bass Piano Drums", r.Bars, r.Choruses, r.Parts)
	}
	if r.N["bass_chord_tone_rate_beat1"] < 40 || r.ChordTones < 0.65 || r.ChordTones > 0.95 || r.NotesPerBar["drums"] == 0 {
		t.Errorf("beat-1 chord tones %v over %d bars, notes per bar %v", r.ChordTones, r.N["bass_chord_tone_rate_beat1"], r.NotesPerBar)
	}
}

// Every built-in style, played with its feel, still measures clean: the
// feel moves notes off the grid, not off the harmony (docs/band.md).
func TestAnalyzeStylesWithFeel(t *testing.T) {
	dir := t.TempDir()
	for _, s := range band.Styles() {
		mid := filepath.Join(dir, s.Name+".mid")
		if status, _, errs := sideman(t, "band", "../../examples/blues-f.chart", "--style", s.Name, "--choruses", "2", "-o", mid); status != 0 {
			t.Fatalf("%s: %s", s.Name, errs)
		}
		_, out, errs := sideman(t, "analyze", mid, "--chart", "../../examples/blues-f.chart", "--json")
		var r struct {
			ChordTones float64 `json:"bass_chord_tone_rate_beat1"`
			Guide      float64 `json:"comping_guide_tone_share"`
			Low        int     `json:"low_interval_violations"`
			Register   int     `json:"register_violations"`
			Ninths     int     `json:"minor_ninth_violations"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v: %s", s.Name, err, errs)
		}
		// The walking bass colours about one chord start in five, as the
		// Weimar bassists do; every other bass lands on a chord tone.
		low := 1.0
		if s.Players["bass"] == "walking" {
			low = 0.6
		}
		if r.ChordTones < low || r.Guide != 1 || r.Low+r.Register+r.Ninths != 0 {
			t.Errorf("%s with its feel: %+v", s.Name, r)
		}
	}
}
