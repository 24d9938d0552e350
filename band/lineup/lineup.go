// Package lineup gathers sideman's rhythm section into one band.Lineup:
// the bass players (band/bass), the pianists and guitarists (band/comp)
// and the drummers (band/drums). A caller that wants other players builds
// its own Lineup with the same Hire functions and its own.
package lineup

import (
	"sideman/band"
	"sideman/band/bass"
	"sideman/band/comp"
	"sideman/band/drums"
)

// Standard returns a new lineup with every player sideman has.
func Standard() *band.Lineup {
	l := &band.Lineup{}
	bass.Hire(l)
	comp.Hire(l)
	drums.Hire(l)
	return l
}
