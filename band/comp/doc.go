// Package comp holds the band's comping players for piano and guitar:
// voicings and rhythms per style. Each registers itself with band.Register
// under the name styles use: piano "swing", "sparse", "ballad", "waltz",
// "bossa", "samba", "montuno", "pop", "rock", "funk", "shuffle", and
// beside a guitar "rock-pads" and "bossa-pads"; guitar "bossa" and "rock".
//
// Where a style has a guitar the piano listens to it: it knows the
// guitar's strokes (they come from the guitar's own seeded stream) and
// leaves out any stroke of its own where the guitar strikes, except on
// a downbeat or a chord's first beat; the pads players also keep their
// voicings above the guitar's compass. The performance's last chord is
// struck once, on its beat, and held to the end of the bar in every
// meter.
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
// (rhythm and voicing) over the same changes within a chorus.
package comp
