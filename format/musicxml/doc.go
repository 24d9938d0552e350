// Package musicxml reads and writes MusicXML lead sheets and scores, as
// defined by the W3C Music Notation Community Group ("MusicXML 4.0", 2021,
// https://www.w3.org/2021/06/musicxml40/), partwise (and, for reading,
// timewise), plain (.musicxml, .xml) or compressed (.mxl: a zip archive
// whose META-INF/container.xml names the score).
//
// Decode turns a score into a music.Chart: one bar per measure, holding
// the chord symbols (<harmony>) and the notes of every part, with the
// chart's parts named from the part list. What is read:
//
//   - Notes, rests, chords (<chord/>: each pitch is a note), voices,
//     <backup> and <forward>, <divisions> (also changing mid-piece), at
//     their sounding pitch: a part's <transpose> (chromatic, octave-change,
//     double) is added to the written pitch. Unpitched notes play the
//     percussion key of their instrument (<midi-unpitched>) or their
//     display pitch.
//   - Ties: a note that starts a tie (<tie> or <tied>) and the next note of
//     the same pitch in the part that begins where it ends (in the same
//     voice, when one there does) are one note, across barlines too; the
//     note lives in the bar where it starts (music.Bar.Notes). A tie stop
//     is not required: exporters leave it out, and MuseScore ties such
//     notes as well. A tie start followed by another pitch ends there.
//   - Grace notes take no time in MusicXML and are left out (MuseScore
//     plays them, taking their time from the main note); cue notes take
//     time and do not sound, nor do notes of no duration.
//   - Key (<fifths>, <mode>) and time signatures. The chart's key is the
//     first one, at concert pitch; later key changes are not kept
//     (music.Chart has one key). A bar whose content is shorter or longer
//     than its time signature (a pickup, implicit="yes" or not, or the
//     short bar that completes one) gets a meter of its real length for
//     that bar, 1/4 for a quarter-note pickup in 4/4 (in the signature's
//     unit where it divides: 2/8 in 6/8), and the next bar restores the
//     written meter. A length no meter holds (a triplet's worth) is rounded
//     up to 64ths.
//   - Chord symbols: root, kind, degrees (add, alter, subtract) and bass,
//     or inversion, become music.Chord values at their offsets; see
//     kindSuffix for the kinds.
//   - Repeats (<repeat direction times>), volta brackets (<ending number>:
//     "1", "1, 2", "1-3"), segno, coda, fine, D.C. and D.S., from <sound>
//     attributes, from <segno/> and <coda/> signs, and from words ("D.S.
//     al Coda", "Fine", "To Coda"), since lead sheets mostly write them as
//     words. A <sound dacapo> or <sound dalsegno> without words is al Coda
//     when the piece has a to-coda sign, else al Fine when it has a fine.
//     Of two or more coda signs without a "To Coda", the last marks the
//     coda and the earlier ones the jump to it. A group of brackets whose
//     numbers repeat a pass ("1." twice) or skip one ("1." then "3.") is
//     renumbered 1, 2, 3. music.Bar has no end for a bracket: one that
//     the score closes before its repeat sign runs to the sign, as
//     music.Chart.Unroll plays brackets (MuseScore plays the bars between
//     on every pass).
//   - Rehearsal marks become section names; <sound tempo> (or a metronome
//     mark) the chart's tempo, counted in beats of its meter; <sound
//     dynamics> and the note's dynamics attribute the velocity
//     (DefaultVelocity when none).
//   - The title is <work-title>, else <movement-title>; the composer the
//     <creator type="composer"> elements.
//   - Parts: one music.Part each, named by <part-name> (or the instrument
//     name), with the MIDI channel and program of its first
//     <midi-instrument>.
//
// Every note shares one Origin: imported from the source a Decoder names
// ("musicxml" when it names none).
//
// The reader is a small XML tokenizer of its own (encoding/xml was several
// times slower on the corpora; see the benchmarks). Input is limited to
// format.MaxSize bytes, also after inflating an .mxl archive, and to
// MaxParts parts and MaxMeasures measures a part, checked as they are
// read; decoding time grows in proportion to the input. Malformed
// input gives a *ParseError with the line, part and measure; decoding
// never panics.
//
// Encode writes a chart as a MusicXML 4.0 partwise lead sheet: melody and
// chord symbols, key, meters, repeats, volta brackets and navigation, with
// notes split at barlines and tied, their durations written as note types
// with dots and tuplets. A chart without notes is written as a part of
// whole-bar rests under the chord symbols.
package musicxml
