package abc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/internal/shareddata"
	"sideman/music"
)

// concertTune is a lead sheet in G minor, with the leading tone and a
// chromatic passing note.
func concertTune() *music.Chart {
	k := music.Key{Tonic: music.Spelling{Step: music.G}, Mode: music.Minor}
	o := &music.Origin{Kind: music.HumanEntered, Source: "built"}
	melody := []uint8{67, 69, 70, 75, 74, 72, 70, 69, 69, 66, 72, 74, 67, 70, 65, 62, 63, 67, 66, 62, 67, 67, 67, 67}
	syms := []string{"Cm7 F7", "Bbmaj7 Ebmaj7", "Am7b5 D7b9", "Gm6 Gm/F", "Ebmaj7 D7#5", "Gm"}
	c := &music.Chart{Title: "Concert Tune", Key: &k, Meter: meterPtr(4, 4), Parts: []music.Part{{Name: "Melody", Role: music.RoleMelody}}}
	for i, s := range syms {
		var b music.Bar
		for j, sym := range strings.Fields(s) {
			b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(j) * 2 * music.PPQ, Chord: music.MustParseChord(sym)})
		}
		for beat := 0; beat < 4 && 4*i+beat < len(melody); beat++ {
			b.Notes = append(b.Notes, music.Note{Pitch: melody[4*i+beat], Velocity: 80, Start: music.Ticks(beat) * music.PPQ, Duration: music.PPQ, Origin: o})
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// TestWrittenPartsAbc2midi writes the tune for Bb, Eb and F instruments:
// the ABC names the instruments and the written key, and abc2midi, which
// reads %%MIDI transpose, plays every note at concert pitch.
func TestWrittenPartsAbc2midi(t *testing.T) {
	bin, err := exec.LookPath("abc2midi")
	if err != nil {
		if shareddata.Required() {
			t.Fatal("abc2midi not installed (Debian package abcmidi)")
		}
		t.Skip("abc2midi not installed (Debian package abcmidi); skipping the cross-check")
	}
	concert := concertTune()
	var want []uint8
	for _, b := range concert.Bars {
		for _, n := range b.Notes {
			want = append(want, n.Pitch)
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		inst      music.Transposing
		key, note string
	}{
		{music.BbInstrument, "K:Am", "N:part for Bb instruments, written a major second above concert pitch"},
		{music.EbInstrument, "K:Em", "N:part for Eb instruments, written a major sixth above concert pitch"},
		{music.FInstrument, "K:Dm", "N:part for F instruments, written a fifth above concert pitch"},
	} {
		part := concert.WrittenFor(tc.inst)
		var buf bytes.Buffer
		if err := Encode(&buf, []*music.Chart{part}); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		for _, line := range []string{tc.key, tc.note, fmt.Sprintf("%%%%MIDI transpose %d", -part.Written.Written.Semitones)} {
			if !strings.Contains(text, "\n"+line+"\n") {
				t.Errorf("%s part: no line %q in\n%s", tc.inst.Name, line, text)
			}
		}
		if _, err := DecodeBytes(buf.Bytes()); err != nil {
			t.Errorf("%s part: Decode refuses what Encode wrote: %v", tc.inst.Name, err)
		}
		name := "part" + tc.inst.Name + ".abc"
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, name, "-NGUI", "-NGRA", "-silent")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("abc2midi %s: %v\n%s", name, err, out)
		}
		mb, err := os.ReadFile(filepath.Join(dir, "part"+tc.inst.Name+"1.mid"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := midi.DecodeBytes(mb)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint8
		for _, set := range melodySets(midi.ToPiece(f, name)) {
			got = append(got, set...)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s part: abc2midi plays\n%v\nthe concert tune is\n%v", tc.inst.Name, got, want)
		}
	}
}
