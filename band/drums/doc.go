// Package drums holds the band's drummers: swing, brushes, waltz, bossa,
// samba, afro-cuban, pop, rock, funk and shuffle. Each registers itself in
// init with band.Register("drums", name, ...) under the name the style
// files use (`drums: swing`), and plays on General MIDI channel 10.
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
