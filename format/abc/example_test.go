package abc_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"sideman/format/abc"
	"sideman/music"
)

// A jig with a pickup, chord symbols and a repeat: Decode lays it out in
// bars (the pickup, and the last bar that balances it, are bars of their
// own length), and Perform plays it with the repeat taken.
func ExampleDecode() {
	const tune = `X:1
T:Example Jig
M:6/8
L:1/8
K:G
D|:"G"GAB "D"A2F|"G"G3 G2:|
`
	charts, err := abc.Decode(strings.NewReader(tune))
	if err != nil {
		log.Fatal(err)
	}
	c := charts[0]
	fmt.Println(c.Title, c.Key, c.Meter, len(c.Bars), "bars")
	for i, m := range c.BarMeters() {
		fmt.Print("bar ", i+1, " in ", m, ":")
		for _, ch := range c.Bars[i].Chords {
			fmt.Print(" ", ch.Chord, " at ", ch.Offset)
		}
		fmt.Println()
	}
	var played []string
	for _, n := range c.Perform(1).Parts[0].Notes {
		played = append(played, music.PitchFromMIDI(int(n.Pitch), false).String())
	}
	fmt.Println(strings.Join(played, " "))
	// Output:
	// Example Jig G major 6/8 3 bars
	// bar 1 in 1/8:
	// bar 2 in 6/8: G at 0 D at 1440
	// bar 3 in 5/8: G at 0
	// D4 G4 A4 B4 A4 F#4 G4 G4 G4 A4 B4 A4 F#4 G4 G4
}

// Encode writes a chart as ABC; here a chord chart without notes.
func ExampleEncode() {
	c := &music.Chart{
		Title: "Two Chords",
		Key:   &music.Key{Tonic: music.Spelling{Step: music.F}},
		Meter: &music.Meter{Num: 4, Den: 4},
		Bars: []music.Bar{
			{Chords: []music.ChordAt{{Chord: music.MustParseChord("F")}}, RepeatStart: true},
			{Chords: []music.ChordAt{{Chord: music.MustParseChord("C7")}}, RepeatEnd: 2},
		},
	}
	if err := abc.Encode(os.Stdout, []*music.Chart{c}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// X:1
	// T:Two Chords
	// M:4/4
	// L:1/8
	// K:F
	// |:"F"z8|"C7"z8:|
}
