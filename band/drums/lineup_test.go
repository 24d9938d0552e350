package drums

import (
	"sideman/band"
	"sideman/band/bass"
	"sideman/band/comp"
)

// standardLineup is band/lineup.Standard, which a test inside package
// drums cannot import (it imports drums).
func standardLineup() *band.Lineup {
	l := &band.Lineup{}
	bass.Hire(l)
	comp.Hire(l)
	Hire(l)
	return l
}
