package render_test

import (
	"math"
	"testing"

	"sideman/music"
	"sideman/render"
)

// sine is secs of a sine at freq Hz and peak amp in the channels asked for.
func sine(rate int, freq, amp, secs float64, left, right bool) *render.Audio {
	n := int(secs * float64(rate))
	a := &render.Audio{SampleRate: rate, Left: make([]float32, n), Right: make([]float32, n), Scaled: 1}
	for i := range n {
		x := float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
		if left {
			a.Left[i] = x
		}
		if right {
			a.Right[i] = x
		}
	}
	return a
}

// TestLoudness checks the measurement against the figures BS.1770-4 and
// EBU Tech 3341 give for sines: a full-scale 997 Hz sine in both channels
// is 0 LUFS, in one channel -3.01 LUFS, and at -23 dBFS -23 LUFS, at both
// common sample rates. The K filter's response follows from its stages: at
// the high pass's corner (38.1 Hz, Q 0.5) a second-order high pass passes
// half the amplitude, -6.02 dB, and high up the shelf adds its 4 dB; both
// less the 0.691 dB the shelf adds at 997 Hz, which the -0.691 offsets.
func TestLoudness(t *testing.T) {
	for _, rate := range []int{44100, 48000} {
		for _, c := range []struct {
			name        string
			freq, amp   float64
			left, right bool
			want, tol   float64
		}{
			{"997 Hz full scale, stereo", 997, 1, true, true, 0, 0.05},
			{"997 Hz full scale, left", 997, 1, true, false, -3.01, 0.05},
			{"997 Hz at -23 dBFS, stereo", 997, math.Pow(10, -23.0/20), true, true, -23, 0.05},
			{"at the high pass's corner", 38.13547, 1, true, true, -6.71, 0.1},
			{"10 kHz", 10000, 1, true, true, 3.31, 0.1},
		} {
			got := sine(rate, c.freq, c.amp, 4, c.left, c.right).Loudness()
			if math.Abs(got-c.want) > c.tol {
				t.Errorf("%d Hz: %s: %.2f LUFS, want %.2f +- %.2f", rate, c.name, got, c.want, c.tol)
			}
		}
	}
	if l := sine(44100, 997, 0, 1, true, true).Loudness(); !math.IsInf(l, -1) {
		t.Errorf("silence: %.2f LUFS, want -Inf", l)
	}
	if l := (&render.Audio{SampleRate: 44100}).Loudness(); !math.IsInf(l, -1) {
		t.Errorf("no samples: %.2f LUFS, want -Inf", l)
	}
}

// phrase is two bars of piano (program 0) quarter-note chords at 120 bpm
// with the given volume and pan.
func phrase(volume, pan int) *music.Piece {
	const q = music.PPQ
	p := &music.Piece{Title: "mix", Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 500000}}}
	part := music.Part{Name: "Piano", Role: music.RolePiano, Channel: 0, Program: 0, Volume: volume, Pan: pan}
	id := music.NoteID(1)
	for beat := range 8 {
		for _, k := range []uint8{53, 57, 60, 64} {
			part.Notes = append(part.Notes, music.Note{ID: id, Pitch: k + uint8(beat%2)*2, Velocity: 90, Start: music.Ticks(beat) * q, Duration: q * 3 / 4})
			id++
		}
	}
	p.Parts = []music.Part{part}
	return p
}

// TestPartVolumeAndPan renders a part at channel volumes 100, 50 and 25
// and panned hard left, centre and hard right. Gain follows the square of
// the volume (General MIDI's curve, as the synthesizer's comment says), so
// halving it is 12.04 dB quieter; FluidSynth, reading the MIDI file
// EncodePiece writes, falls by the same amount within 1.5 dB. Hard left
// leaves the right channel at least 30 dB under the left, in ours and in
// FluidSynth's, and the centre within 1 dB of even.
func TestPartVolumeAndPan(t *testing.T) {
	sf2 := needSoundFont(t)
	opt := render.Options{SoundFont: loaded(t, sf2), Dry: true}
	loud := func(p *music.Piece) float64 {
		a, err := render.Render(t.Context(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		return a.Loudness() + 20*math.Log10(1/a.Scaled)
	}
	full, half, quarter := loud(phrase(100, 0)), loud(phrase(50, 0)), loud(phrase(25, 0))
	if d := half - full; math.Abs(d+12.04) > 0.3 {
		t.Errorf("volume 50 is %.2f dB from volume 100, want -12.04", d)
	}
	if d := quarter - full; math.Abs(d+24.08) > 0.5 {
		t.Errorf("volume 25 is %.2f dB from volume 100, want -24.08", d)
	}
	unset := phrase(0, 0)
	if d := loud(unset) - full; math.Abs(d) > 0.05 {
		t.Errorf("a part without a volume is %.2f dB from volume 100, the General MIDI default; want 0", d)
	}
	t.Logf("volume 100: %.1f LUFS, 50: %.1f, 25: %.1f", full, half, quarter)

	side := func(pan int) float64 { // right channel against left, dB
		a, err := render.Render(t.Context(), phrase(100, pan), opt)
		if err != nil {
			t.Fatal(err)
		}
		l := &render.Audio{SampleRate: a.SampleRate, Left: a.Left, Right: make([]float32, len(a.Left))}
		r := &render.Audio{SampleRate: a.SampleRate, Left: make([]float32, len(a.Right)), Right: a.Right}
		return r.Loudness() - l.Loudness()
	}
	if d := side(-64); d > -30 {
		t.Errorf("hard left: right channel %.1f dB against the left, want under -30", d)
	}
	if d := side(63); d < 30 {
		t.Errorf("hard right: right channel %.1f dB against the left, want over 30", d)
	}
	if d := side(0); math.Abs(d) > 1 {
		t.Errorf("centre: right channel %.1f dB against the left, want within 1", d)
	}

	fluid := needFluidSynth(t)
	fluidLoud := func(p *music.Piece) float64 {
		b, _ := fluidRender(t, fluid, sf2, p, "-R", "0", "-C", "0")
		w := parseWAV(t, b)
		a := &render.Audio{SampleRate: w.rate, Left: toFloat32(w.left), Right: toFloat32(w.right)}
		return a.Loudness()
	}
	fd := fluidLoud(phrase(50, 0)) - fluidLoud(phrase(100, 0))
	t.Logf("volume 100 to 50: ours %.2f dB, FluidSynth %.2f dB", half-full, fd)
	if math.Abs(fd-(half-full)) > 1.5 {
		t.Errorf("volume 100 to 50: ours %.2f dB, FluidSynth %.2f dB; want within 1.5", half-full, fd)
	}
	// FluidSynth pans the file's part as we do.
	b, _ := fluidRender(t, fluid, sf2, phrase(100, -64), "-R", "0", "-C", "0")
	w := parseWAV(t, b)
	l := &render.Audio{SampleRate: w.rate, Left: toFloat32(w.left), Right: make([]float32, len(w.left))}
	r := &render.Audio{SampleRate: w.rate, Left: make([]float32, len(w.right)), Right: toFloat32(w.right)}
	if d := r.Loudness() - l.Loudness(); d > -30 {
		t.Errorf("FluidSynth, hard left: right channel %.1f dB against the left, want under -30", d)
	}
}

func toFloat32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}
