// Package bass holds the band's bass players: walking lines, two-feel,
// waltz, bossa, samba, tumbao, pop, rock, funk and shuffle bass. Each
// registers itself with band.Register under the name styles use
// ("bass: walking").
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
// "bass" random stream: same seed, same line.
package bass
