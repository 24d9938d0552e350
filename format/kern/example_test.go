package kern_test

import (
	"fmt"
	"strings"

	"sideman/format/kern"
)

func Example() {
	score := "!!!OTL: Example\n" +
		"**kern\t**kern\n" +
		"*Ibass\t*Isoprn\n" +
		"*M3/4\t*M3/4\n" +
		"4C\t4e\n" +
		"=1\t=1\n" +
		"2G\t[2d\n" +
		"4C\t4d]\n" +
		"==\t==\n" +
		"*-\t*-\n"
	c, err := kern.Decode(strings.NewReader(score))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title, c.Meter, c.Parts[0].Name, c.Parts[1].Name)
	for i, b := range c.Bars {
		fmt.Print("bar ", i, ":")
		if b.Meter != nil {
			fmt.Print(" (", b.Meter, ")")
		}
		for _, n := range b.Notes {
			fmt.Printf(" %s %d@%d+%d", c.Parts[n.Part].Name, n.Pitch, n.Start, n.Duration)
		}
		fmt.Println()
	}
	// Output:
	// Example 3/4 Bass Soprano
	// bar 0: (1/4) Bass 48@0+960 Soprano 64@0+960
	// bar 1: (3/4) Bass 55@0+1920 Soprano 62@0+2880 Bass 48@1920+960
}
