package render_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"sideman/music"
	"sideman/render"
)

func renderWAV(tb testing.TB, p *music.Piece, opt render.Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := render.WAV(tb.Context(), &buf, p, opt); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestScale renders the scale and drums and checks the file is what the
// piece says: a valid header, the piece's length plus a tail of at most
// 3 s, sound where the notes are, silence-free attacks at the written
// beats, the held A4 at 440 Hz, and no clipping.
func TestScale(t *testing.T) {
	sf2 := needSoundFont(t)
	p := scalePiece()
	w := parseWAV(t, renderWAV(t, p, render.Options{SoundFont: loaded(t, sf2)}))
	if w.rate != 44100 {
		t.Errorf("rate %d, want 44100", w.rate)
	}
	dur := p.Tempo.Seconds(p.End())
	if got := w.seconds(); got < dur+0.2 || got > dur+3.01 {
		t.Errorf("%.2f s of audio for a %.2f s piece; want the piece plus a tail of 0.2-3 s", got, dur)
	}
	if w.clipped > 4 {
		t.Errorf("%d samples clipped", w.clipped)
	}
	env := w.envelope(0.05)
	var loud int
	for _, e := range env[:int(dur/0.05)] {
		if e > 0.005 {
			loud++
		}
	}
	if loud < len(env[:int(dur/0.05)])*3/4 {
		t.Errorf("only %d of %d 50 ms windows of the piece sound", loud, int(dur/0.05))
	}
	// Every written note start is heard there: the attack (halfway up the
	// rise) comes at most 20 ms late (the synthesizer's 64-sample blocks,
	// the 10 ms level window and the samples' attacks take a few ms).
	lv := w.level()
	for _, s := range starts(p) {
		if d := attack(lv, s) - s; d < -0.01 || d > 0.02 {
			t.Errorf("note start at %.3f s: the attack comes %+.0f ms off", s, d*1000)
		}
	}
	// The A4 held from 5 s, alone: its strongest partial is the fundamental
	// (a piano's A4 has a strong fundamental), 440 Hz within 1%.
	if f := w.peakFrequency(5.2, 0.5, 100, 2000); math.Abs(f-440) > 4.4 {
		t.Errorf("held A4 peaks at %.0f Hz, want 440", f)
	}
}

// TestPitch: a held note of each band instrument sounds at its pitch: the
// strongest partial of its spectrum is a harmonic of the note's
// fundamental (n f0 within 1%; a sample played a fifth or a semitone off,
// or an octave low, is not). Which harmonic is loudest depends on the
// sample: TimGM6mb's piano C3 peaks at its 7th.
func TestPitch(t *testing.T) {
	sf2 := needSoundFont(t)
	for _, c := range []struct {
		name    string
		program int
		channel uint8
		key     uint8
	}{
		{"acoustic bass E1", 32, 1, 40},
		{"acoustic bass A1", 32, 1, 45},
		{"piano C3", 0, 0, 48},
		{"piano A4", 0, 0, 69},
		{"nylon guitar E4", 24, 2, 64},
		{"jazz guitar A3", 26, 2, 57},
	} {
		p := &music.Piece{Parts: []music.Part{{Program: c.program, Channel: c.channel,
			Notes: []music.Note{{ID: 1, Pitch: c.key, Velocity: 100, Channel: c.channel, Duration: 2 * music.PPQ}}}}}
		w := parseWAV(t, renderWAV(t, p, render.Options{SoundFont: loaded(t, sf2)}))
		f0 := 440 * math.Pow(2, float64(int(c.key)-69)/12)
		f := w.peakFrequency(0.2, 0.5, 30, 2000)
		n := math.Round(f / f0)
		if n < 1 || math.Abs(f-n*f0) > 0.01*n*f0 {
			t.Errorf("%s: strongest partial %.0f Hz, not a harmonic of %.1f Hz", c.name, f, f0)
		}
	}
}

func nearest(ts []float64, want float64) float64 {
	best := math.Inf(1)
	for _, t := range ts {
		best = min(best, math.Abs(t-want))
	}
	return best
}

// TestDeterministic: the same piece renders to the same bytes, also after
// other renders in between (no state leaks through the SoundFont cache).
func TestDeterministic(t *testing.T) {
	sf2 := needSoundFont(t)
	opt := render.Options{SoundFont: loaded(t, sf2)}
	a := renderWAV(t, scalePiece(), opt)
	renderWAV(t, bluesPiece(t, 1), opt)
	b := renderWAV(t, scalePiece(), opt)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same piece differ")
	}
	dry := renderWAV(t, scalePiece(), render.Options{SoundFont: loaded(t, sf2), Dry: true})
	if bytes.Equal(a, dry) {
		t.Fatal("Dry made no difference: the effects are not on by default")
	}
}

// TestConcurrent: renders sharing the cached SoundFont at the same time
// give the same bytes as one alone (run with -race).
func TestConcurrent(t *testing.T) {
	sf2 := needSoundFont(t)
	want := renderWAV(t, scalePiece(), render.Options{SoundFont: loaded(t, sf2)})
	got := make([][]byte, 4)
	done := make(chan int)
	for i := range got {
		go func() {
			var buf bytes.Buffer
			if err := render.WAV(t.Context(), &buf, scalePiece(), render.Options{SoundFont: loaded(t, sf2)}); err != nil {
				t.Error(err)
			}
			got[i] = buf.Bytes()
			done <- i
		}()
	}
	for range got {
		<-done
	}
	for i, g := range got {
		if !bytes.Equal(g, want) {
			t.Errorf("concurrent render %d differs", i)
		}
	}
}

// TestAgainstFluidSynth compares the render with Debian FluidSynth's of
// the same MIDI file and SoundFont, effects on in both: the loudness over
// time (50 ms RMS envelopes) must correlate, and attacks line up.
func TestAgainstFluidSynth(t *testing.T) {
	sf2 := needSoundFont(t)
	fluid := needFluidSynth(t)
	for _, tc := range []struct {
		name string
		p    *music.Piece
	}{
		{"scale and drums", scalePiece()},
		{"blues-f block chords", bluesPiece(t, 1)},
		{"brushes", brushPiece(40)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ours := parseWAV(t, renderWAV(t, tc.p, render.Options{SoundFont: loaded(t, sf2)}))
			fb, _ := fluidRender(t, fluid, sf2, tc.p)
			ref := parseWAV(t, fb)
			dur := tc.p.Tempo.Seconds(tc.p.End())
			// FluidSynth renders on until its voices end, ours until the
			// output is inaudible: compare the piece plus up to half a
			// second of its tail (a piano chord held two bars has decayed
			// to nothing within half a second of its release).
			a, b := ours.envelope(0.05), ref.envelope(0.05)
			if piece := int(dur / 0.05); len(a) < piece || len(b) < piece {
				t.Fatalf("envelopes of %d and %d windows, want the piece's %d", len(a), len(b), piece)
			}
			n := min(int((dur+0.5)/0.05), len(a), len(b))
			if r := pearson(a[:n], b[:n]); r < 0.8 {
				t.Errorf("50 ms RMS envelopes correlate at r = %.3f, want > 0.8", r)
			} else {
				t.Logf("50 ms RMS envelopes: r = %.3f", r)
			}
			// The tone colour matches: the third-octave spectra, level
			// aside, within 3 dB on average (they differ by about 1 dB;
			// the standard kit for the brushes is 9 dB off).
			ba, bb := ours.bands(dur), ref.bands(dur)
			var dev float64
			for i := range ba {
				dev += math.Abs(ba[i] - bb[i])
			}
			dev /= float64(len(ba))
			t.Logf("third-octave spectra differ by %.2f dB on average", dev)
			if dev > 3 {
				t.Errorf("third-octave spectra differ by %.1f dB on average, want at most 3", dev)
			}
			// The attacks of each written note start line up with FluidSynth's.
			ea, eb := ours.level(), ref.level()
			var off int
			for _, s := range starts(tc.p) {
				ta, tb := attack(ea, s), attack(eb, s)
				if math.Abs(ta-tb) > 0.02 {
					off++
					t.Errorf("notes at %.3f s: our attack at %.3f s, FluidSynth's at %.3f s", s, ta, tb)
				}
			}
		})
	}
}

// TestBrushKit: program 40 on channel 10 selects the GS brush kit, which
// both Debian SoundFonts hold (bank 128, preset 40), so the same keys
// sound different from the standard kit's (snare, hand clap, electric
// snare); FluidSynth is checked to agree in TestAgainstFluidSynth.
func TestBrushKit(t *testing.T) {
	sf2 := needSoundFont(t)
	brush := parseWAV(t, renderWAV(t, brushPiece(40), render.Options{SoundFont: loaded(t, sf2)}))
	std := parseWAV(t, renderWAV(t, brushPiece(0), render.Options{SoundFont: loaded(t, sf2)}))
	n := min(len(brush.left), len(std.left))
	var diff, energy float64
	for i := 0; i < n; i++ {
		d := brush.left[i] - std.left[i]
		diff += d * d
		energy += std.left[i] * std.left[i]
	}
	if energy == 0 || diff < 0.1*energy {
		t.Errorf("the brush kit sounds like the standard kit (difference %.3g of the energy)", diff/energy)
	}
}

// TestBadSoundFont: a file that is not a SoundFont is an error, not a panic.
func TestBadSoundFont(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("not a soundfont"),
		"truncated": []byte("RIFF\x00\x10\x00\x00sfbkLIST\x04\x00\x00\x00INFO"),
	} {
		var se *render.SoundFontError
		if sf, err := render.LoadSoundFont(bytes.NewReader(data)); !errors.As(err, &se) || sf != nil {
			t.Errorf("%s: %v, %v; want a SoundFontError", name, sf, err)
		}
	}
}

// TestCorruptSoundFont damages TimGM6mb's preset, instrument and sample
// headers (the pdta chunk at the end of the file) and truncates it: each
// must load and render or be refused as it loads, never crash: what
// loads plays without error.
func TestCorruptSoundFont(t *testing.T) {
	sf2 := needSoundFont(t)
	orig, err := os.ReadFile(sf2)
	if err != nil {
		t.Fatal(err)
	}
	pdta := bytes.LastIndex(orig, []byte("pdta"))
	if pdta < 0 {
		t.Fatal("no pdta chunk")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	short := &music.Piece{Parts: []music.Part{{Program: 0, Notes: []music.Note{{ID: 1, Pitch: 60, Velocity: 90, Duration: music.PPQ}}}}}
	for i := 0; i < 24; i++ {
		b := bytes.Clone(orig)
		if i%4 == 3 {
			b = b[:pdta+rng.IntN(len(b)-pdta)]
		} else {
			for k := 0; k < 8; k++ {
				b[pdta+rng.IntN(len(b)-pdta)] = byte(rng.IntN(256))
			}
		}
		sf, err := render.LoadSoundFont(bytes.NewReader(b))
		var se *render.SoundFontError
		if err != nil {
			if !errors.As(err, &se) {
				t.Errorf("variant %d: %v, want nil or a SoundFontError", i, err)
			}
			continue
		}
		for _, p := range []*music.Piece{short, scalePiece()} {
			if err := render.WAV(t.Context(), io.Discard, p, render.Options{SoundFont: sf, MaxTail: 0.1}); err != nil {
				t.Errorf("variant %d loaded, then: %v", i, err)
			}
		}
	}
}

// TestLoudMixScaled: a mix that would clip is scaled down as a whole to
// just under full scale, not cut off.
func TestLoudMixScaled(t *testing.T) {
	sf2 := needSoundFont(t)
	a, err := render.Render(t.Context(), bluesPiece(t, 1), render.Options{SoundFont: loaded(t, sf2), Gain: 8})
	if err != nil {
		t.Fatal(err)
	}
	if a.Scaled >= 1 {
		t.Fatalf("Scaled = %g at gain 8, want < 1", a.Scaled)
	}
	var buf bytes.Buffer
	if err := a.WriteWAV(&buf); err != nil {
		t.Fatal(err)
	}
	w := parseWAV(t, buf.Bytes())
	var pk float64
	for i := range w.left {
		pk = max(pk, math.Abs(w.left[i]), math.Abs(w.right[i]))
	}
	if pk < 0.99 || w.clipped > 2 {
		t.Errorf("peak %.3f with %d samples at full scale; want about 1 and none clipped", pk, w.clipped)
	}
}

// TestSampleRate: another rate is in the header and scales the length.
func TestSampleRate(t *testing.T) {
	sf2 := needSoundFont(t)
	w := parseWAV(t, renderWAV(t, scalePiece(), render.Options{SoundFont: loaded(t, sf2), SampleRate: 48000, MaxTail: 0.5}))
	dur := scalePiece().Tempo.Seconds(scalePiece().End())
	if w.rate != 48000 || w.seconds() < dur || w.seconds() > dur+0.51 {
		t.Errorf("%d Hz, %.3f s; want 48000 Hz and %.2f s plus at most 0.5 s", w.rate, w.seconds(), dur)
	}
	if f := w.peakFrequency(5.2, 0.5, 100, 2000); math.Abs(f-440) > 4.4 {
		t.Errorf("held A4 peaks at %.0f Hz at 48 kHz, want 440", f)
	}
	// Progress: in one pass (into memory) the seconds of the piece, in
	// two (a WAV to a writer that cannot seek) twice them.
	for _, c := range []struct {
		name   string
		passes float64
		render func(render.Options) error
	}{
		{"Render", 1, func(opt render.Options) error { _, err := render.Render(t.Context(), scalePiece(), opt); return err }},
		{"WAV to a pipe", 2, func(opt render.Options) error { return render.WAV(t.Context(), io.Discard, scalePiece(), opt) }},
	} {
		var calls int
		var last float64
		want := c.passes * dur
		progress := func(done, total float64) {
			calls++
			if done < last || done > total+1e-9 || math.Abs(total-want) > 0.01 {
				t.Errorf("%s: progress %.2f of %.2f after %.2f", c.name, done, total, last)
			}
			last = done
		}
		if err := c.render(render.Options{SoundFont: loaded(t, sf2), Progress: progress}); err != nil {
			t.Fatal(err)
		}
		if lo, hi := 5*int(c.passes), 12*int(c.passes); calls < lo || calls > hi || math.Abs(last-want) > 1e-9 {
			t.Errorf("%s: progress called %d times, last at %.2f s; want %d-%d times, last at %.2f", c.name, calls, last, lo, hi, want)
		}
	}
	sf := loaded(t, sf2)
	for _, bad := range []render.Options{{SoundFont: sf, SampleRate: 8000}, {SoundFont: sf, Gain: -1}, {}} {
		if err := render.WAV(t.Context(), io.Discard, scalePiece(), bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestEmptyPiece renders a valid, short, silent file.
func TestEmptyPiece(t *testing.T) {
	sf2 := needSoundFont(t)
	w := parseWAV(t, renderWAV(t, &music.Piece{}, render.Options{SoundFont: loaded(t, sf2)}))
	if w.seconds() > 0.1 {
		t.Errorf("%.2f s for an empty piece", w.seconds())
	}
}
