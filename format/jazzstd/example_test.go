package jazzstd_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"sideman/format/jazzstd"
	"sideman/music"
)

func ExampleDecode() {
	const tune = `[{"Title": "Blues With A Bridge", "Key": "Bb", "TimeSignature": "4/4",
	  "Sections": [{"Label": "A", "MainSegment": {"Chords": "Bb7|Eb7,,,Edim7"},
	    "Endings": [{"Chords": "Bb7,G7|Cm7,F7"}, {"Chords": "Bb6(Gm7)"}]}]}]`
	charts, err := jazzstd.Decode(strings.NewReader(tune))
	if err != nil {
		log.Fatal(err)
	}
	c := charts[0]
	fmt.Println(c.Title, "in", c.Key)
	for _, pb := range c.Unroll(1) {
		var bar []string
		for _, at := range pb.Bar.Chords {
			bar = append(bar, fmt.Sprintf("%s@%d", at.Chord.Name(), at.Offset/music.PPQ))
		}
		fmt.Println(strings.Join(bar, " "))
	}
	// Output:
	// Blues With A Bridge in Bb major
	// Bb7@0
	// Eb7@0 Edim7@3
	// Bb7@0 G7@2
	// Cm7@0 F7@2
	// Bb7@0
	// Eb7@0 Edim7@3
	// Bb6@0
}

func ExampleEncode() {
	c7 := music.MustParseChord("C7")
	chart := &music.Chart{Title: "Vamp", Bars: []music.Bar{
		{RepeatStart: true, Chords: []music.ChordAt{{Chord: c7}, {Offset: 2 * music.PPQ, Chord: music.MustParseChord("F7(#11)")}}},
		{RepeatEnd: 4, Chords: []music.ChordAt{{Chord: c7}}},
	}}
	if err := jazzstd.Encode(os.Stdout, []*music.Chart{chart}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// [
	//   {
	//     "Title": "Vamp",
	//     "Composer": "",
	//     "Sections": [
	//       {
	//         "Repeats": 3,
	//         "MainSegment": {
	//           "Chords": "C7,F7#11|C7"
	//         }
	//       }
	//     ]
	//   }
	// ]
}
