package meltysynth_test

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	upstream "github.com/samhocevar/go-meltysynth/meltysynth"

	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/render/internal/meltysynth"
)

// This file plays the same MIDI messages through the same SoundFont with
// sideman's copy and with upstream go-meltysynth at the version it was
// copied from, and compares the samples. The copy's README lists its
// changes; those that could touch the output are float rounding:
//
//   - 2^x and 10^x as exp(x ln 2) and exp(x ln 10) where upstream calls
//     math.Pow: a few units in the last place of a float64, which the
//     float32 the synthesizer keeps mostly rounds away;
//   - the LFO's phase as x - floor(x/p)*p where upstream has math.Mod.
//
// The reuse of pitch ratios and filter coefficients while their inputs
// hold gives the same numbers as computing them again. The checks on
// malformed files and the clamp of extreme pitches change nothing for a
// valid SoundFont played at sane pitches. On amd64 (go1.26) every sample
// came out identical. Another machine's math.Exp may round otherwise, so
// the bound is what rounding can give: no sample differs by a 16-bit
// step (1/32768), and the difference's energy stays under 1e-9 of the
// signal's (-90 dB). A pitch off by one part in 10^9 (ten million units
// in the last place of every 2^x) already gives 3.3e-5 and 5e-11 here:
// an audible change to a voice breaks both bounds by orders of magnitude.
const (
	maxSampleDiff     = 1.0 / 32768
	maxRelativeEnergy = 1e-9
)

// synth is what both synthesizers do.
type synth interface {
	ProcessMidiMessage(channel, command, data1, data2 int32)
	Render(left, right []float32)
}

// message is a MIDI channel message at a frame.
type message struct {
	at           int64
	ch, cmd      int32
	data1, data2 int32
}

// play renders the messages, each applied once the frames before it are
// rendered, and then tail frames more.
func play(s synth, msgs []message, tail int64) (left, right []float32) {
	end := tail
	if len(msgs) > 0 {
		end += msgs[len(msgs)-1].at
	}
	left, right = make([]float32, end), make([]float32, end)
	var pos int64
	for _, m := range msgs {
		if m.at > pos {
			s.Render(left[pos:m.at], right[pos:m.at])
			pos = m.at
		}
		s.ProcessMidiMessage(m.ch, m.cmd, m.data1, m.data2)
	}
	s.Render(left[pos:], right[pos:])
	return left, right
}

// score is a seeded minute of General MIDI exercising what the
// synthesizer does: every melodic program on the 15 melodic channels, in
// turn, notes over the keyboard at every velocity, chords, the drum
// channel's keys, and the controllers (modulation wheel, volume, pan,
// expression, sustain pedal, reverb and chorus sends, bank select,
// pitch bend and its range by RPN 0).
func score(rate int) []message {
	rng := rand.New(rand.NewPCG(12, 2026))
	var msgs []message
	frame := func(secs float64) int64 { return int64(secs * float64(rate)) }
	add := func(secs float64, ch, cmd, d1, d2 int) {
		msgs = append(msgs, message{frame(secs), int32(ch), int32(cmd), int32(d1), int32(d2)})
	}
	for ch := range 16 {
		if ch == 9 {
			continue
		}
		// Pitch bend range: RPN 0 set to 2 + ch%10 semitones.
		add(0, ch, 0xB0, 101, 0)
		add(0, ch, 0xB0, 100, 0)
		add(0, ch, 0xB0, 6, 2+ch%10)
		add(0, ch, 0xB0, 91, rng.IntN(128))
		add(0, ch, 0xB0, 93, rng.IntN(128))
	}
	const secs = 60.0
	for program := range 128 {
		ch := program % 16
		if ch == 9 {
			ch = 15
		}
		at := float64(program) * secs / 128
		add(at, ch, 0xC0, program, 0)
		add(at, ch, 0xB0, 10, rng.IntN(128)) // pan
		add(at, ch, 0xB0, 7, 60+rng.IntN(68))
		for i := range 1 + rng.IntN(4) { // a note or a chord
			key := 24 + rng.IntN(84)
			on := at + 0.01*float64(i)
			off := on + 0.05 + 1.5*rng.Float64()
			add(on, ch, 0x90, key, 1+rng.IntN(127))
			add(off, ch, 0x80, key, 64)
		}
		if program%3 == 0 { // vibrato and a bend under the note
			add(at+0.2, ch, 0xB0, 1, rng.IntN(128))
			add(at+0.3, ch, 0xE0, rng.IntN(128), rng.IntN(128))
			add(at+0.6, ch, 0xE0, 0, 64)
			add(at+0.7, ch, 0xB0, 1, 0)
		}
		if program%5 == 0 { // a swell and the sustain pedal
			add(at+0.1, ch, 0xB0, 11, 40)
			add(at+0.3, ch, 0xB0, 11, 127)
			add(at, ch, 0xB0, 64, 127)
			add(at+0.9, ch, 0xB0, 64, 0)
		}
	}
	for beat := range int(secs * 4) { // sixteenths on the drum channel
		at := float64(beat) * 0.125
		key := 35 + rng.IntN(47)
		add(at, 9, 0x90, key, 1+rng.IntN(127))
		add(at+0.1, 9, 0x80, key, 0)
	}
	add(30, 9, 0xC0, 40, 0) // the GS brush kit, where the SoundFont has it
	slices.SortStableFunc(msgs, func(a, b message) int { return cmp.Compare(a.at, b.at) })
	return msgs
}

// fileMessages lays out a Standard MIDI File's channel messages at
// frames, through its tempo changes, to secs seconds.
func fileMessages(f *midi.File, rate int, secs float64) []message {
	type change struct {
		at int64
		us int
	}
	var tempo []change
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaTempo {
				if us, ok := midi.ParseTempo(t.Payload(e)); ok && us > 0 {
					tempo = append(tempo, change{e.Tick, us})
				}
			}
		}
	}
	slices.SortStableFunc(tempo, func(a, b change) int { return cmp.Compare(a.at, b.at) })
	tpq := float64(max(f.Division.TicksPerQuarter(), 1))
	seconds := func(tick int64) float64 {
		s, last, us := 0.0, int64(0), 500000
		for _, c := range tempo {
			if c.at > tick {
				break
			}
			s += float64(c.at-last) * float64(us) / 1e6 / tpq
			last, us = c.at, c.us
		}
		return s + float64(tick-last)*float64(us)/1e6/tpq
	}
	var msgs []message
	for _, t := range f.Tracks {
		for _, e := range t.Events {
			if e.Status < 0x80 || e.Status >= 0xF0 {
				continue
			}
			s := seconds(e.Tick)
			if s > secs {
				break
			}
			msgs = append(msgs, message{int64(s * float64(rate)), int32(e.Status & 0x0F), int32(e.Status & 0xF0), int32(e.Data1), int32(e.Data2)})
		}
	}
	slices.SortStableFunc(msgs, func(a, b message) int { return cmp.Compare(a.at, b.at) })
	return msgs
}

// compare fails unless the two renders agree within the bounds, and
// reports how closely they do.
func compare(t *testing.T, name string, ol, or, ul, ur []float32) {
	t.Helper()
	if len(ol) != len(ul) {
		t.Fatalf("%s: %d and %d frames", name, len(ol), len(ul))
	}
	var diff, signal, worst float64
	var at, same int
	for i := range ol {
		for _, p := range [2][2]float32{{ol[i], ul[i]}, {or[i], ur[i]}} {
			d := float64(p[0]) - float64(p[1])
			if d == 0 {
				same++
			}
			diff += d * d
			signal += float64(p[1]) * float64(p[1])
			if math.Abs(d) > worst {
				worst, at = math.Abs(d), i
			}
		}
	}
	if signal == 0 {
		t.Fatalf("%s: upstream rendered silence", name)
	}
	rel := diff / signal
	t.Logf("%s: %d frames, %.4f%% of samples identical, difference energy %.2g of the signal's, largest difference %.2g (frame %d)",
		name, len(ol), 100*float64(same)/float64(2*len(ol)), rel, worst, at)
	if rel > maxRelativeEnergy || worst > maxSampleDiff {
		t.Errorf("%s: difference energy %.3g of the signal's (at most %g), largest difference %.3g at frame %d (at most %g)",
			name, rel, maxRelativeEnergy, worst, at, maxSampleDiff)
	}
}

// soundFont reads the file at path with both loaders.
func soundFont(t *testing.T, path string) (*meltysynth.SoundFont, *upstream.SoundFont) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		if shareddata.Required() {
			t.Fatalf("%v (%s=1)", err, shareddata.EnvRequire)
		}
		t.Skipf("%v; skipping (apt-get install timgm6mb-soundfont)", err)
	}
	ours, err := meltysynth.NewSoundFont(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := upstream.NewSoundFont(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return ours, theirs
}

// TestSoundFontAsUpstream: both loaders read the same SoundFont: the same
// sample data, sample headers, presets and instruments.
func TestSoundFontAsUpstream(t *testing.T) {
	ours, theirs := soundFont(t, timGM6mb)
	if !slices.Equal(ours.WaveData, theirs.WaveData) {
		t.Errorf("sample data: %d and %d points, not the same", len(ours.WaveData), len(theirs.WaveData))
	}
	describe := func(v any) string { return fmt.Sprintf("%+v", v) }
	if len(ours.SampleHeaders) != len(theirs.SampleHeaders) || len(ours.Presets) != len(theirs.Presets) || len(ours.Instruments) != len(theirs.Instruments) {
		t.Fatalf("%d, %d, %d sample headers, presets, instruments; upstream %d, %d, %d",
			len(ours.SampleHeaders), len(ours.Presets), len(ours.Instruments), len(theirs.SampleHeaders), len(theirs.Presets), len(theirs.Instruments))
	}
	for i := range ours.SampleHeaders {
		if a, b := describe(*ours.SampleHeaders[i]), describe(*theirs.SampleHeaders[i]); a != b {
			t.Errorf("sample header %d: %s, upstream %s", i, a, b)
		}
	}
	for i := range ours.Presets {
		a, b := ours.Presets[i], theirs.Presets[i]
		if a.Name != b.Name || a.PatchNumber != b.PatchNumber || a.BankNumber != b.BankNumber || len(a.Regions) != len(b.Regions) {
			t.Errorf("preset %d: %s %d:%d with %d regions, upstream %s %d:%d with %d", i,
				a.Name, a.BankNumber, a.PatchNumber, len(a.Regions), b.Name, b.BankNumber, b.PatchNumber, len(b.Regions))
		}
	}
	for i := range ours.Instruments {
		a, b := ours.Instruments[i], theirs.Instruments[i]
		if a.Name != b.Name || len(a.Regions) != len(b.Regions) {
			t.Errorf("instrument %d: %s with %d regions, upstream %s with %d", i, a.Name, len(a.Regions), b.Name, len(b.Regions))
			continue
		}
		for j := range a.Regions {
			if a.Regions[j].GetSampleStart() != b.Regions[j].GetSampleStart() || a.Regions[j].GetSampleEndLoop() != b.Regions[j].GetSampleEndLoop() ||
				a.Regions[j].GetRootKey() != b.Regions[j].GetRootKey() {
				t.Errorf("instrument %s, region %d differs", a.Name, j)
			}
		}
	}
}

// timGM6mb is Debian's small General MIDI SoundFont (timgm6mb-soundfont).
const timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"

// TestRenderAsUpstream plays the score, with and without reverb and
// chorus, at two sample rates, and the first 30 s of a POP909 song (a
// real file: piano, melody and bridge; where the corpus is present),
// through both synthesizers.
func TestRenderAsUpstream(t *testing.T) {
	ours, theirs := soundFont(t, timGM6mb)
	run := func(name string, rate int, effects bool, polyphony int32, msgs []message) {
		t.Helper()
		oset := meltysynth.NewSynthesizerSettings(int32(rate))
		oset.EnableReverbAndChorus, oset.MaximumPolyphony = effects, polyphony
		uset := upstream.NewSynthesizerSettings(int32(rate))
		uset.EnableReverbAndChorus, uset.MaximumPolyphony = effects, polyphony
		o, err := meltysynth.NewSynthesizer(ours, oset)
		if err != nil {
			t.Fatal(err)
		}
		u, err := upstream.NewSynthesizer(theirs, uset)
		if err != nil {
			t.Fatal(err)
		}
		o.MasterVolume, u.MasterVolume = 1, 1
		tail := int64(2 * rate)
		ol, or := play(o, msgs, tail)
		ul, ur := play(u, msgs, tail)
		compare(t, name, ol, or, ul, ur)
	}
	run("score, 44.1 kHz, reverb and chorus", 44100, true, 256, score(44100))
	run("score, 44.1 kHz, dry, 64 voices", 44100, false, 64, score(44100))
	run("score, 22.05 kHz, reverb and chorus", 22050, true, 256, score(22050))

	path := shareddata.File(t, "pop909/POP909-main.tar.gz")
	var song *midi.File
	err := shareddata.WalkTarGz(path, shareddata.HasSuffix("/001.mid"), func(m shareddata.Member, r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if song, err = midi.DecodeBytes(b); err != nil {
			return err
		}
		return shareddata.SkipAll
	})
	if err != nil || song == nil {
		t.Fatalf("POP909 001: %v", err)
	}
	run("POP909 001, first 30 s", 44100, true, 256, fileMessages(song, 44100, 30))
}
