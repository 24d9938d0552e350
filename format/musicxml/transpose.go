package musicxml

// transpose writes a written part's <transpose> (music.Chart.Written):
// the interval from the written pitch down to the sounding one, as
// MusicXML counts it (chromatic and diatonic within the octave, whole
// octaves in octave-change), so that notation programs play the part at
// concert pitch.
func (e *encoder) transpose() {
	w := e.c.Written
	if w == nil || w.Written.Semitones == 0 {
		return
	}
	semis, steps := -w.Written.Semitones, -w.Written.Steps()
	oct := semis / 12
	e.printf("        <transpose>\n          <diatonic>%d</diatonic>\n          <chromatic>%d</chromatic>\n", steps-7*oct, semis-12*oct)
	if oct != 0 {
		e.printf("          <octave-change>%d</octave-change>\n", oct)
	}
	e.printf("        </transpose>\n")
}
