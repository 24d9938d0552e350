package band_test

import (
	"os"
	"sync"
	"testing"

	"sideman/render"
)

// The Debian SoundFonts the mix is measured through, at the paths their
// packages install them.
const (
	fluidR3  = "/usr/share/sounds/sf2/FluidR3_GM.sf2" // fluid-soundfont-gm
	timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"   // timgm6mb-soundfont
)

var soundFonts sync.Map

// soundFont is the SoundFont at path, loaded once for the test binary.
func soundFont(tb testing.TB, path string) *render.SoundFont {
	tb.Helper()
	if sf, ok := soundFonts.Load(path); ok {
		return sf.(*render.SoundFont)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sf, err := render.LoadSoundFont(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	soundFonts.Store(path, sf)
	return sf
}
