package render

import (
	"math"
	"testing"
)

// TestKWeightingCoefficients checks the K filter designed at 48 kHz against
// the coefficients ITU-R BS.1770-4 tabulates (Tables 1 and 2).
func TestKWeightingCoefficients(t *testing.T) {
	k := newKWeighting(48000)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"shelf b0", k.shelf.b0, 1.53512485958697},
		{"shelf b1", k.shelf.b1, -2.69169618940638},
		{"shelf b2", k.shelf.b2, 1.19839281085285},
		{"shelf a1", k.shelf.a1, -1.69065929318241},
		{"shelf a2", k.shelf.a2, 0.73248077421585},
		{"high pass b0", k.highPass.b0, 1},
		{"high pass b1", k.highPass.b1, -2},
		{"high pass b2", k.highPass.b2, 1},
		{"high pass a1", k.highPass.a1, -1.99004745483398},
		{"high pass a2", k.highPass.a2, 0.99007225036621},
	} {
		if math.Abs(c.got-c.want) > 1e-8 {
			t.Errorf("%s = %.14f, BS.1770-4 gives %.14f", c.name, c.got, c.want)
		}
	}
}
