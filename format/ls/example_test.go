package ls_test

import (
	"fmt"
	"strings"

	"sideman/format/ls"
)

func Example() {
	sheet := `(title Example)
(meter 4 4)
(key -1)
(part (type chords))
F7 | Bb7 / Bo7 / |
(part (type melody) (composer Ada))
a4 c+8/3 d+8/3 eb+8/3 f+2 r1
`
	c, err := ls.Decode(strings.NewReader(sheet))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title, c.Key, c.Meter)
	for i, b := range c.Bars {
		fmt.Print("bar ", i+1, ":")
		for _, ch := range b.Chords {
			fmt.Printf(" %s@%d", ch.Chord.Symbol, ch.Offset)
		}
		fmt.Print(" |")
		for _, n := range b.Notes {
			fmt.Printf(" %d@%d+%d", n.Pitch, n.Start, n.Duration)
		}
		fmt.Println()
	}
	fmt.Println(c.Bars[0].Notes[0].Origin)
	// Output:
	// Example F major 4/4
	// bar 1: F7@0 | 69@0+960 72@960+320 74@1280+320 75@1600+320 77@1920+1920
	// bar 2: Bb7@0 Bo7@1920 |
	// imported by Ada from ls
}
