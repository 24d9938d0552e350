package render_test

import (
	"fmt"
	"os"

	"sideman/music"
	"sideman/render"
)

// Render a C major triad on the piano to a WAV file through whichever
// General MIDI SoundFont is installed.
func Example() {
	if _, err := render.FindSoundFont(""); err != nil {
		fmt.Println(err)
		return
	}
	chord := music.Part{Name: "Piano", Role: music.RolePiano, Program: 0}
	for i, k := range []uint8{60, 64, 67} {
		chord.Notes = append(chord.Notes, music.Note{ID: music.NoteID(i + 1), Pitch: k, Velocity: 80, Duration: 2 * music.PPQ})
	}
	p := &music.Piece{Parts: []music.Part{chord}} // 120 bpm: one second
	f, err := os.CreateTemp("", "triad-*.wav")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := render.WAV(f, p, render.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	st, _ := f.Stat()
	secs := float64(st.Size()-44) / 4 / 44100
	fmt.Println(secs > 1 && secs <= 4)
	// Output: true
}
