package chart

import (
	"bytes"
	"strings"
	"testing"

	"sideman/examples"
	"sideman/music"
)

// TestWrittenForInstrument writes every example chart for Bb, Eb and F
// instruments: an "instrument:" header, the key and every chord written
// the instrument's interval above concert pitch, and Decode returns the
// concert chart.
func TestWrittenForInstrument(t *testing.T) {
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		concerts, err := DecodeBytes(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, concert := range concerts {
			for _, inst := range []music.Transposing{music.BbInstrument, music.EbInstrument, music.FInstrument} {
				var buf bytes.Buffer
				if err := Encode(&buf, concert.WrittenFor(inst)); err != nil {
					t.Fatal(err)
				}
				text := buf.String()
				if !strings.Contains(text, "\ninstrument: "+inst.Name+"\n") {
					t.Errorf("%s for %s: no instrument header in\n%s", name, inst, text)
				}
				// The written chart read as it stands: every chord a
				// fixed interval above the concert one.
				plain, err := DecodeBytes([]byte(strings.Replace(text, "instrument: "+inst.Name+"\n", "", 1)))
				if err != nil {
					t.Fatal(err)
				}
				written := plain[0]
				ck, wk := concert.KeyOrDefault(), written.KeyOrDefault()
				if d := (wk.Tonic.PitchClass() - ck.Tonic.PitchClass() + 12) % 12; d != (inst.Written.Semitones%12+12)%12 || wk.Mode != ck.Mode {
					t.Errorf("%s for %s: written in %v, concert %v", name, inst, wk, ck)
				}
				for i := range concert.Bars {
					for j, ca := range concert.Bars[i].Chords {
						w := written.Bars[i].Chords[j].Chord
						if ca.Chord.NoChord {
							continue
						}
						if d := (w.Root.PitchClass() - ca.Chord.Root.PitchClass() + 12) % 12; d != (inst.Written.Semitones%12+12)%12 {
							t.Errorf("%s for %s: bar %d: %s written for %s", name, inst, i+1, w, ca.Chord)
						}
					}
				}
				back, err := DecodeBytes(buf.Bytes())
				if err != nil {
					t.Fatalf("%s for %s: %v", name, inst, err)
				}
				if back[0].KeyOrDefault() != ck || back[0].Written != nil {
					t.Errorf("%s for %s: read back in %v (written %v), want concert %v", name, inst, back[0].KeyOrDefault(), back[0].Written, ck)
				}
				for i := range concert.Bars {
					for j, ca := range concert.Bars[i].Chords {
						b := back[0].Bars[i].Chords[j].Chord
						if b.Root != ca.Chord.Root || !b.Same(ca.Chord) {
							t.Errorf("%s for %s: bar %d: %s read back as %s", name, inst, i+1, ca.Chord, b)
						}
					}
				}
			}
		}
	}
	if _, err := DecodeBytes([]byte("instrument: A\n| C |\n")); err == nil || !strings.Contains(err.Error(), "want Bb, Eb or F") {
		t.Errorf("instrument: A read with error %v", err)
	}
}
