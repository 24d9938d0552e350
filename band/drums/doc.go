// Package drums holds the band's drummers: swing, brushes, waltz, bossa,
// samba, afro-cuban, pop, rock, funk and shuffle. Hire adds them to a
// band.Lineup under the names the style files use (`drums: swing`); they
// play on General MIDI channel 10.
//
// Each is a band.Player, hired once a gig: the band asks it for the next
// bars (Play(from, to, heard)) and it plays just those, in order, keeping
// between calls where it is in the form (the bar of the section, the
// chorus's lift, a funk groove's kick cells) and its random stream, the
// gig's "drums" stream drawn bar after bar, so one bar at a time, four
// or the whole form at once play the same notes (TestBarByBarPlaysTheWholePiece).
// It reads ahead in the form, which is known in advance: a fill in the
// bar before a new section or the ending. Its strokes ring until the same
// piece is struck next, so it also plays in pencil the bars after the
// ones asked for, as far as a stroke rings, and plays them as pencilled
// when asked unless what it has heard since changes them.
//
// What it hears: every note played before the bars asked for that the band
// did not play (the human, or a machine soloist trading with it). The jazz
// drummers (swing, waltz) comp on the snare and bass drum half as often
// after a bar the soloist filled with eighth notes or more, leaving the
// line room, and half as often again after a bar the soloist rested
// through; the other grooves keep their time whatever they hear. Playing
// alone, a drummer plays as it always has.
//
// A drummer is a kit: a function that keeps time for one bar, and the
// strokes that mark the form. The form is the same for all of them: a
// crash with the kick on the first beat of each section and chorus, a fill
// that varies in the bar (or the last two beats) before it, a final hit on
// the last bar. Every meter works: beats are grouped in twos with the
// backbeat on the second of each, five as 3+2 and seven as 3+2+2, compound
// meters count dotted quarters, cut time is played in four. Velocities are
// shaped by the place in the bar, the phrase and the chorus; the small
// random part comes from the gig's "drums" stream, so the same seed plays
// the same notes.
//
// Styles may rewrite any voice with counted positions (drums.ride,
// drums.hihat, drums.kick, drums.snare, drums.cross-stick) and tune the
// players with the parameters listed in docs/style-format.md; CheckStyle
// reports the ones that cannot be read.
//
// The patterns follow the drummers' own books: John Riley, "The Art of Bop
// Drumming" and "Beyond Bop Drumming" (ride, hi-hat, feathering, comping,
// shuffles); Ed Thigpen and Clayton Cameron on brushes; Duduka da Fonseca
// and Bob Weiner, "Brazilian Rhythms for Drumset" (bossa nova, samba); Ed
// Uribe, "The Essence of Afro-Cuban Percussion and Drum Set" and "The
// Essence of Brazilian Percussion and Drum Set" (cascara, clave, tumbao,
// surdo, ganzá); David Garibaldi, "Future Sounds" (funk).
package drums
