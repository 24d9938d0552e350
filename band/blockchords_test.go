package band

import (
	"testing"

	"sideman/music"
)

func TestVoicingHoldsTheChord(t *testing.T) {
	for _, sym := range []string{"C", "Cm7", "F#m7b5", "Bb7/Ab", "Ebmaj7#11", "G7alt", "Dm(maj7)", "A13", "Csus2", "C5"} {
		ch := music.MustParseChord(sym)
		keys := Voicing(ch)
		if got := keys[0] % 12; got != ch.BassNote().PitchClass() {
			t.Errorf("%s: bass pitch class %d, want %d", sym, got, ch.BassNote().PitchClass())
		}
		if keys[0] < bassLow || keys[0] >= bassLow+12 {
			t.Errorf("%s: bass %d outside E2..D#3", sym, keys[0])
		}
		var have uint16
		for _, k := range keys {
			have |= 1 << (k % 12)
		}
		// Every chord tone sounds (the root may only be in the bass).
		if want := ch.PitchClasses(); have&want != want {
			t.Errorf("%s: voicing %v misses tones (%012b of %012b)", sym, keys, have, want)
		}
		for i := 2; i < len(keys); i++ {
			if keys[i] <= keys[i-1] {
				t.Errorf("%s: upper voices not ascending: %v", sym, keys)
			}
		}
	}
	if Voicing(music.NC) != nil {
		t.Error("N.C. sounds")
	}
}

func TestBlockChordsTimingAndOrigin(t *testing.T) {
	m := music.Meter{Num: 12, Den: 8}
	c := &music.Chart{Title: "t", Meter: &m, Tempo: 60, Bars: []music.Bar{
		{Section: "A", Chords: []music.ChordAt{{Chord: music.MustParseChord("G7")}, {Offset: m.BarTicks() / 2, Chord: music.NC}}},
		{Chords: []music.ChordAt{{Chord: music.MustParseChord("C7")}}},
	}}
	p := BlockChords(c, 2)
	// 60 dotted quarters a minute is 90 quarters a minute.
	if bpm := p.Tempo[0].BPM(); bpm < 89.99 || bpm > 90.01 {
		t.Errorf("tempo %.2f quarter bpm, want 90", bpm)
	}
	if len(p.Markers) != 2 || p.Meters[0].Meter != m {
		t.Errorf("markers %v meters %v", p.Markers, p.Meters)
	}
	notes := p.Parts[0].Notes
	// Two choruses of G7 (half a bar) and C7 (a bar): 4 chords, each the
	// bass and four upper voices (the root stays above for a four-tone chord).
	if len(notes) != 20 {
		t.Fatalf("%d notes, want 20", len(notes))
	}
	seen := map[music.NoteID]bool{}
	for _, n := range notes {
		if n.Origin == nil || n.Origin.Kind != music.MachineGenerated || n.Origin.Generator != "band/blockchords" {
			t.Fatalf("note %d origin %v", n.ID, n.Origin)
		}
		if seen[n.ID] || n.ID == 0 {
			t.Fatalf("id %d repeated or zero", n.ID)
		}
		seen[n.ID] = true
	}
	if notes[0].Duration != m.BarTicks()/2 {
		t.Errorf("G7 lasts %d, want half a bar before the N.C.", notes[0].Duration)
	}
}
