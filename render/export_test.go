package render

// SetStandardPaths replaces the paths FindSoundFont searches, for testing
// the case of no SoundFont installed; it returns the old ones.
func SetStandardPaths(p []string) []string {
	old := standardPaths
	standardPaths = p
	return old
}

// ForgetSoundFonts empties the SoundFont cache, for timing a cold render.
func ForgetSoundFonts() {
	soundFonts.Lock()
	soundFonts.m = nil
	soundFonts.Unlock()
}
