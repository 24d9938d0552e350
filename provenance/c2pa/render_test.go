package c2pa

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"sideman/music"
	"sideman/render"
)

const timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2" // Debian's timgm6mb-soundfont

// TestSignRenderedWAV: a WAV file as render writes it (streamed to a
// file, sizes patched after the samples) signs, verifies here, and reads
// in c2pa-rs with only signingCredential.untrusted.
func TestSignRenderedWAV(t *testing.T) {
	f, err := os.Open(timGM6mb)
	if err != nil {
		skipTool(t, timGM6mb, "Debian package timgm6mb-soundfont")
	}
	sf, err := render.LoadSoundFont(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bass := music.Part{Name: "Bass", Role: music.RoleBass, Program: 32}
	for i, k := range []uint8{38, 45, 43, 45} {
		bass.Notes = append(bass.Notes, music.Note{ID: music.NoteID(i + 1), Pitch: k, Velocity: 90, Start: music.Ticks(i) * music.PPQ, Duration: music.PPQ})
	}
	path := filepath.Join(t.TempDir(), "bass.wav")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = render.WAV(context.Background(), out, &music.Piece{Parts: []music.Part{bass}}, render.Options{SoundFont: sf, MaxTail: 0.5})
	out.Close()
	if err != nil {
		t.Fatal(err)
	}
	wav, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id := newIdentity(t)
	in := sampleInputs()
	in.Counts = Counts{M: len(bass.Notes)}
	in.Actions = []Action{{Action: ActionCreated, SourceType: AlgorithmicMedia, Description: "bass line from rules"}}
	signed := sign(t, wav, in, id)
	m, err := Read(bytes.NewReader(signed))
	if err != nil || !m.Signer.Is(id.Public()) || m.Authorship.Counts.M != 4 {
		t.Fatalf("Read: %+v, %v", m, err)
	}
	s := readWithC2PARS(t, signed)
	for _, f := range append(s.Status, s.Results.Active.Failure...) {
		if f.Code != "signingCredential.untrusted" {
			t.Errorf("c2pa-rs validation failure %s: %s", f.Code, f.Explanation)
		}
	}
	if _, ok := s.Manifests[m.Label]; !ok || s.Active != m.Label {
		t.Errorf("c2pa-rs active manifest %q, ours %q", s.Active, m.Label)
	}
}
