// Package comp holds the band's comping players for piano and guitar:
// voicings and rhythms per style. Hire adds them to a band.Lineup under
// the names styles use: piano "swing", "sparse", "ballad", "waltz",
// "bossa", "samba", "montuno", "pop", "rock", "funk", "shuffle", and
// beside a guitar "rock-pads" and "bossa-pads"; guitar "bossa" and "rock".
//
// Each is a band.Player, hired once a gig: the band asks it for the next
// bars in order (one at a time, four, or all of them) and it plays the
// same notes however it is asked. Between calls it keeps where it is in
// the form, its hands (the last voicing, the second bar of a two-bar
// cell), the cells it has played this chorus and its random stream,
// drawn bar after bar. It reads the form ahead (Gig.Bars and Gig.Chords:
// it anticipates the next chord on the and of 4, voices a dominant for
// the minor chord it resolves to, holds the performance's last chord)
// and writes two bars ahead of the bars it hands out, more under a long
// held chord: a held chord is lifted just before the next stroke, and a
// two-bar window is weighed whole (see below).
//
// What it hears: the notes played before the bars asked for (heard) do
// not change what it plays yet; it has written its next bars by the time
// it hears the ones before them. Where a style has a guitar the piano
// listens to it the way a partner who has played with that guitarist
// does: it knows the guitar's strokes from the guitar's own seeded
// stream, bar by bar, and leaves out any stroke of its own where the
// guitar strikes, except on a downbeat or a chord's first beat (the same
// whether or not the guitar is muted, as every player's part is); the
// pads players also keep their voicings above the guitar's compass. The
// performance's last chord is struck once, on its beat, and held to the
// end of the bar in every meter.
//
// Voicings (Voicings) follow Mark Levine, The Jazz Piano Book (1989):
// rootless A and B forms (3-5-7-9 and 7-9-3-5, the 13th for the 5th on
// dominants), shells (1-3-7, 1-7-3), drop-2, and quartal voicings (the
// "So What" voicing, fourth stacks holding the third and seventh) on
// minor seventh chords held two bars or more. Written extensions and
// alterations always sound; available tensions (music.Chord.Tensions)
// fill the rest; a dominant resolving to a minor chord takes b9 and b13.
// Every voicing keeps the low interval limits taught at Berklee
// (LowIntervalLimit), a register window, and no minor ninth between any
// two voices unless the chord has a flat nine.
//
// Rhythms are cells of one or two bars counted in beats (band.Position
// syntax, with "." short, "_" held, "~" rolled); a style's
// "piano.cells: 1 2+ | 2+ 4" replaces the built-in vocabulary and
// "piano.voicings: rootless, quartal" the voicing kinds. The player
// chooses cells at random from its seeded stream, strikes every chord
// (anticipating it on the and of 4 where a cell says so), voices each
// stroke from the one before by the smallest total movement with a pull
// back to the middle of the keyboard, and never repeats a two-bar cell
// (rhythm and voicing) over the same changes within a chorus: a bar that
// would is composed again with a fresh cell, and where 16 tries do not
// help, a guard revoices the bar once its lengths are known, drawing
// from a stream of its own so that nothing after it changes.
package comp
