package match_test

import (
	"fmt"
	"os"
	"strings"

	"sideman/format/match"
)

func Example() {
	in := `info(midiClockUnits,480).
info(midiClockRate,500000).
scoreprop(timeSignature,6/8,1:1,0,0.0000).
snote(n1-1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1,staff1])-note(n0,73,2182,2675,105,0,0).
snote(n8-1,[B,n],3,1:1,3/16,1/16,1.5000,2.0000,[v4,staff2])-deletion.
insertion-note(n4,61,1906,1988,87,0,0).
sustain(2830,64).
`
	f, err := match.Decode(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	spt, _ := f.SecondsPerTick()
	for _, l := range f.Lines {
		switch l.Kind {
		case match.Matched:
			s, p := l.Score, l.Performed
			fmt.Printf("%s (key %d), %v whole, beat %.1f: played %d at %.3f s, velocity %d\n",
				s.ID, s.Pitch(), s.Duration, s.Onset, p.Pitch, float64(p.Onset)*spt, p.Velocity)
		case match.Deleted:
			fmt.Println(l.Score.ID, "not played")
		case match.Inserted:
			fmt.Println(l.Performed.Pitch, "not in the score")
		default:
			fmt.Println(l.Kind)
		}
	}
	match.Encode(os.Stdout, &match.File{Lines: f.Lines[1:2]})
	// Output:
	// property
	// n1-1 (key 73), 3/16 whole, beat 0.0: played 73 at 2.273 s, velocity 105
	// n8-1 not played
	// 61 not in the score
	// pedal
	// snote(n1-1,[C,#],5,1:1,0,3/16,0.0000,1.5000,[v1,staff1])-note(n0,73,2182,2675,105,0,0).
}
