package render_test

import (
	"math"
	"testing"

	"sideman/format/midi"
	"sideman/render"
)

// heldFile is an organ chord struck at the start of a file whose End of
// Track comes at endSec seconds (120 bpm, 480 ticks a quarter); offSec > 0
// turns the chord off then, 0 never.
func heldFile(endSec, offSec float64) *midi.File {
	const q = 480
	tick := func(s float64) int64 { return int64(s * 2 * q) }
	f := &midi.File{Format: 0, Division: q, Tracks: make([]midi.Track, 1)}
	t := &f.Tracks[0]
	t.Add(0, midi.ProgramChange, 19, 0) // church organ: it sounds while held
	for _, k := range []byte{48, 55, 64} {
		t.Add(0, midi.NoteOn, k, 100)
	}
	if offSec > 0 {
		for _, k := range []byte{48, 55, 64} {
			t.Add(tick(offSec), midi.NoteOff, k, 64)
		}
	}
	t.AddMeta(tick(endSec), midi.MetaEndOfTrack, nil)
	return f
}

// rmsDB is the level of the left channel between two times, in dBFS.
func rmsDB(a *render.Audio, from, to float64) float64 {
	hi := min(int(to*float64(a.SampleRate)), len(a.Left))
	lo := min(int(from*float64(a.SampleRate)), hi)
	var sum float64
	for _, v := range a.Left[lo:hi] {
		sum += float64(v) * float64(v)
	}
	return 10 * math.Log10(sum/float64(max(hi-lo, 1))+1e-30)
}

// TestRenderMIDIPlaysToEndOfTrack renders what a file holds: notes never
// turned off sound until its End of Track, 20 s on, instead of the 3 s
// tail after their note-on; a chord turned off after a second leaves the
// rest of the file silent, but there.
func TestRenderMIDIPlaysToEndOfTrack(t *testing.T) {
	sf2 := needSoundFont(t)
	opt := render.Options{SoundFont: loaded(t, sf2), SampleRate: 16000, Dry: true}
	held, err := render.RenderMIDI(t.Context(), heldFile(20, 0), opt)
	if err != nil {
		t.Fatal(err)
	}
	if s := held.Seconds(); s < 20 || s > 23.5 {
		t.Errorf("a chord held to the End of Track at 20 s renders %.1f s, want 20 s and at most the 3 s tail", s)
	}
	early, late := rmsDB(held, 1, 2), rmsDB(held, 18, 19.5)
	if late < early-12 || late < -50 {
		t.Errorf("the held organ chord at 18-19.5 s is %.1f dBFS, at 1-2 s %.1f dBFS: want it still sounding", late, early)
	}
	off, err := render.RenderMIDI(t.Context(), heldFile(20, 1), opt)
	if err != nil {
		t.Fatal(err)
	}
	if s := off.Seconds(); s < 20 {
		t.Errorf("a file ending at 20 s with a chord turned off at 1 s renders %.1f s, want 20", s)
	}
	if l := rmsDB(off, 18, 19.5); l > late-30 {
		t.Errorf("after the note-off the file is %.1f dBFS at 18-19.5 s, the held chord %.1f: want silence", l, late)
	}
}
