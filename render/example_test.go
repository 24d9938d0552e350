package render_test

import (
	"context"
	"fmt"
	"os"

	"sideman/music"
	"sideman/render"
)

// Render a C major triad on the piano to a WAV file through Debian's
// small General MIDI SoundFont (timgm6mb-soundfont). The SoundFont is
// loaded once and may play any number of pieces.
func Example() {
	f, err := os.Open("/usr/share/sounds/sf2/TimGM6mb.sf2")
	if err != nil {
		fmt.Println(err)
		return
	}
	sf, err := render.LoadSoundFont(f)
	f.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	chord := music.Part{Name: "Piano", Role: music.RolePiano, Program: 0}
	for i, k := range []uint8{60, 64, 67} {
		chord.Notes = append(chord.Notes, music.Note{ID: music.NoteID(i + 1), Pitch: k, Velocity: 80, Duration: 2 * music.PPQ})
	}
	p := &music.Piece{Parts: []music.Part{chord}} // 120 bpm: one second
	out, err := os.CreateTemp("", "triad-*.wav")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(out.Name())
	defer out.Close()
	if err := render.WAV(context.Background(), out, p, render.Options{SoundFont: sf}); err != nil {
		fmt.Println(err)
		return
	}
	st, _ := out.Stat()
	secs := float64(st.Size()-44) / 4 / 44100
	fmt.Println(secs > 1 && secs <= 4)
	// Output: true
}
