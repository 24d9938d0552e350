// Package analyze measures a band performance the way a teacher would
// listen to it: bass chord tones and steps, comping guide tones and voice
// leading, register and low-interval limits, repeated cells.
//
// Analyze lays the chart's played form (music.Chart.Unroll and
// music.Spans, with band.Form's intro and ending when the piece's markers
// name them) over the piece's bars as its meter map places them, finds
// the bass and comping parts (by role, by track name, by channel 10 for
// drums, by register; a block-chord part with no bass gives its lowest
// voice to the bass) and returns a Report whose JSON keys name the
// metrics of issue 4 (`bass_chord_tone_rate_beat1`,
// `comping_guide_tone_share`, ...), each with the count it is taken over.
//
// Sources for the rules:
//   - Guide tones (3rd and 7th; 4th of a sus chord, 6th of a 6 chord) as
//     music.Chord.GuideTones defines them, after M. Levine, The Jazz Piano
//     Book (Sher Music, 1989), ch. 3 and 4.
//   - No minor ninth between voices except over a chord with a b9: Levine,
//     The Jazz Piano Book, and the same rule in Berklee harmony courses.
//   - Low interval limits: the Berklee table as issue 4 gives it (minor 2nd
//     E3, major 2nd Eb3, minor 3rd C3, major 3rd Bb2, perfect 4th A2,
//     tritone B2, perfect 5th Bb1, minor 6th G2, major 6th and both 7ths
//     F2; also in Pilhofer and Day, Music Theory for Dummies), see
//     LowIntervalLimit.
//   - The human reference for the bass: the 40 walking-bass transcriptions
//     of the Weimar Jazz Database (J. Abeßer, S. Balke, K. Frieler,
//     M. Pfleiderer, M. Müller, "Deep Learning for Jazz Walking Bass
//     Transcription", AES Semantic Audio, 2017; Pfleiderer et al., Inside
//     the Jazzomat, 2017). Analysed here, they play a chord tone on 78.9%
//     of beat-1 bars and the root on 56.6%, with 58.4% of their intervals
//     steps of at most two semitones (TestHumanWalkingBass).
package analyze
