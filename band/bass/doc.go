// Package bass holds the band's bass players: walking lines, two-feel,
// waltz, bossa, samba, tumbao, pop, rock, funk and shuffle bass. Each
// registers itself with band.Register under the name styles use.
package bass
