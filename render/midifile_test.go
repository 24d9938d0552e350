package render_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"sideman/format/midi"
	"sideman/render"
)

// controllerFile is a MIDI file whose sound depends on its controllers:
// staccato piano chords held by the sustain pedal for two bars, then the
// channel volume dropped to a quarter (CC 7 = 30) and the pedal up for two
// more, with a tempo change to 90 bpm between, at 480 ticks a quarter.
func controllerFile() *midi.File {
	const q = 480
	f := &midi.File{Format: 1, Division: q, Tracks: make([]midi.Track, 2)}
	f.Tracks[0].AddMeta(0, midi.MetaTempo, midi.TempoPayload(500000))
	f.Tracks[0].AddMeta(8*q, midi.MetaTempo, midi.TempoPayload(666667))
	t := &f.Tracks[1]
	t.Add(0, midi.ProgramChange, 0, 0)
	t.Add(0, midi.ControlChange, 64, 127) // sustain pedal down
	for beat := int64(0); beat < 16; beat++ {
		at := beat * q
		if beat == 8 {
			t.Add(at, midi.ControlChange, 64, 0) // pedal up
			t.Add(at, midi.ControlChange, 7, 30) // volume down
		}
		for _, k := range []byte{48, 55, 64} {
			t.Add(at, midi.NoteOn, k+byte(beat%4), 100)
		}
		for _, k := range []byte{48, 55, 64} {
			t.Add(at+q/8, midi.NoteOff, k+byte(beat%4), 64)
		}
	}
	return f
}

// TestRenderMIDIControllers renders a file whose controllers shape the
// sound and compares with FluidSynth: the envelopes correlate, and the
// level falls from the pedalled first half to the quiet second half by
// the same amount within 3 dB. The same notes without the controllers
// (through a Piece, which keeps none) would fall by far less.
func TestRenderMIDIControllers(t *testing.T) {
	sf2 := needSoundFont(t)
	fluid := needFluidSynth(t)
	f := controllerFile()
	var buf bytes.Buffer
	if err := render.MIDIWAV(t.Context(), &buf, f, render.Options{SoundFont: loaded(t, sf2)}); err != nil {
		t.Fatal(err)
	}
	ours := parseWAV(t, buf.Bytes())
	dir := t.TempDir()
	mid := filepath.Join(dir, "cc.mid")
	var mb bytes.Buffer
	if err := midi.Encode(&mb, f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mid, mb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "fluid.wav")
	runFluid(t, fluid, sf2, mid, out)
	fb, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ref := parseWAV(t, fb)
	// 8 beats at 120 bpm, then 8 at 90: the last chord ends an eighth of
	// a beat after 4 s + 7 beats of 2/3 s.
	const half, end = 4.0, 4.0 + 7*2.0/3 + 1.0/12
	if got := ours.seconds(); got < end {
		t.Fatalf("%.2f s of audio, want more than %.2f", got, end)
	}
	n := int(math.Floor(end / 0.05))
	a, b := ours.envelope(0.05)[:n], ref.envelope(0.05)[:n]
	if r := pearson(a, b); r < 0.8 {
		t.Errorf("50 ms RMS envelopes correlate at r = %.3f, want > 0.8", r)
	} else {
		t.Logf("r = %.3f", r)
	}
	drop := func(env []float64) float64 {
		var first, second float64
		k := int(half / 0.05)
		for i, e := range env {
			if i < k {
				first += e * e / float64(k)
			} else {
				second += e * e / float64(len(env)-k)
			}
		}
		return 10 * math.Log10(first/second)
	}
	da, db := drop(a), drop(b)
	t.Logf("level drop: ours %.1f dB, FluidSynth %.1f dB", da, db)
	if math.Abs(da-db) > 3 || da < 10 {
		t.Errorf("level falls by %.1f dB, FluidSynth's by %.1f dB; want within 3 dB and at least 10", da, db)
	}
}
