package band

import (
	"fmt"
	"strconv"
	"strings"

	"sideman/music"
)

// Position is a place in a bar counted in beats from 0: 0 is beat 1, 1.5
// is "the and of 2". Styles write positions the way musicians count:
// "1", "2+" (the and of 2), "3e" and "3a" (the sixteenths around it),
// "4t" and "4l" (the second and third triplet eighths).
type Position float64

// ParsePositions reads a list of counted positions ("1 2+ 4a"). A
// position may carry a velocity after a colon ("2:100").
func ParsePositions(s string) ([]Position, []int, error) {
	var pos []Position
	var vel []int
	for _, f := range strings.Fields(s) {
		v := 0
		if i := strings.IndexByte(f, ':'); i >= 0 {
			n, err := strconv.Atoi(f[i+1:])
			if err != nil || n < 1 || n > 127 {
				return nil, nil, fmt.Errorf("position %q: velocity must be 1 to 127", f)
			}
			v, f = n, f[:i]
		}
		j := 0
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		beat, err := strconv.Atoi(f[:j])
		if err != nil || beat < 1 || beat > 32 {
			return nil, nil, fmt.Errorf("position %q: want a beat number 1 to 32, then +, e, a, t or l", f)
		}
		frac := 0.0
		switch f[j:] {
		case "":
		case "e":
			frac = 0.25
		case "+", "&":
			frac = 0.5
		case "a":
			frac = 0.75
		case "t":
			frac = 1.0 / 3
		case "l":
			frac = 2.0 / 3
		default:
			return nil, nil, fmt.Errorf("position %q: want a beat number 1 to 32, then +, e, a, t or l", f)
		}
		pos = append(pos, Position(float64(beat-1)+frac))
		vel = append(vel, v)
	}
	return pos, vel, nil
}

// Tick places a position in a played bar, in ticks from the start of the
// performance, as a score writes it: "2+" half way through the second
// beat whatever the style (the piece says how its eighths are meant,
// music.Piece.Swing, and feel plays them so); positions in compound
// meters count dotted-quarter beats.
func (g *Gig) Tick(pb music.PlayedBar, p Position) music.Ticks {
	return pb.At(float64(p))
}
