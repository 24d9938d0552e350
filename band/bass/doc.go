// Package bass holds the band's bass players: walking lines, two-feel,
// waltz, bossa, samba, tumbao, pop, rock, funk and shuffle bass. Each
// (Walking, TwoFeel, ...) is a band.NewPlayer; Hire adds them all to a
// band.Lineup under the names styles use ("bass: walking").
//
// The walking bass follows Ed Friedland, "Building Walking Bass Lines"
// (Hal Leonard, 1995): a chord tone on each chord's first beat, scale
// and chord tones between, and an approach note (chromatic, scale or
// dominant) on the beat before each change; chord scales after Mark
// Levine, "The Jazz Theory Book" (Sher, 1995), ch. 3. How often it moves
// by each interval and approaches by each kind was set on half of the
// walking-bass transcriptions of the Weimar Jazz Database (Pfleiderer et
// al., "Inside the Jazzomat", 2017) and is measured against the other
// half, and against MMA's walking bass, in TestAgainstHumanBassists;
// docs/band.md has the figures.
//
// Every player plays the slash bass of a slash chord on its first beat,
// rests over N.C., keeps to E1..G3 and draws its choices from the gig's
// "bass" random stream: same seed, same line. (The walking bass draws how
// it plays each note, its velocity and a skip, from a second stream
// seeded from a copy of the first, so that its notes do not hang on
// their touch.)
//
// # Bar by bar
//
// A player is hired once a gig and asked for the next bars in turn
// (band.Player's Play); it plays those bars only and keeps, between
// calls, where its hand is, the chord it is on and what it planned for
// it, the pattern or figure it is in, and its random stream, drawn in the
// same order however it is asked: a bar a call, four, or the whole gig at
// once play the same notes (TestBarByBar). It looks ahead in the form,
// never at notes to come: the walking bass plans a chord's first note,
// the next chord's and the approach into it when the chord starts; the
// two-feel plans the walk's first note, which its last bar in two steps
// into; the pushed grooves see the change they anticipate; every player
// sees the final chord, so that nothing it plays before rings into it.
//
// What they hear: the notes played before the bars asked for (the
// band's and the human's) do not change the bass yet. Its line follows
// the form and its own last notes, which it keeps, so that the same
// seed plays the same line whether the bass plays alone, with the band
// or with a human, and however it is asked. Answering what it hears (a
// soloist's dynamics and register, the space in a trade) is left to
// later work.
package bass
