package bass

import (
	"sideman/band"
	"sideman/band/comp"
	"sideman/band/drums"
)

// standardLineup is band/lineup.Standard, which a test inside package
// bass cannot import (it imports bass).
func standardLineup() *band.Lineup {
	l := &band.Lineup{}
	Hire(l)
	comp.Hire(l)
	drums.Hire(l)
	return l
}
