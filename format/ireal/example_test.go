package ireal_test

import (
	"fmt"
	"log"
	"strings"

	"sideman/format/ireal"
	"sideman/music"
)

func ExampleDecode() {
	// A song in the older, unscrambled link form; irealb:// links read
	// the same way.
	link := "irealbook://Blues For Ten=Doe Jane=Medium Swing=F=n=" +
		"{*AT44F7   |Bb7   |F7   | x  |Bb7   | x  |F7   |D7   |G-7   |C7   |F7 D-7 |G-7 C7 }"
	p, err := ireal.Decode(strings.NewReader(link))
	if err != nil {
		log.Fatal(err)
	}
	c := p.Charts[0]
	fmt.Println(c.Title, "in", c.Key, c.MeterOrDefault())
	for _, s := range music.Spans(c.Unroll(1))[:5] {
		fmt.Printf("%s for %d beats\n", s.Chord, s.Duration/music.PPQ)
	}
	// Output:
	// Blues For Ten in F major 4/4
	// F7 for 4 beats
	// Bb7 for 4 beats
	// F7 for 8 beats
	// Bb7 for 8 beats
	// F7 for 4 beats
}

func ExampleEncode() {
	c := &music.Chart{Title: "Two Five One", Composer: "Doe Jane", Style: "Medium Swing"}
	for _, bar := range [][]string{{"Dm7", "G7"}, {"Cmaj7"}} {
		var b music.Bar
		for i, sym := range bar {
			b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(i) * 2 * music.PPQ, Chord: music.MustParseChord(sym)})
		}
		c.Bars = append(c.Bars, b)
	}
	var link strings.Builder
	if err := ireal.Encode(&link, &ireal.Playlist{Charts: []*music.Chart{c}}); err != nil {
		log.Fatal(err)
	}
	p, err := ireal.DecodeBytes([]byte(link.String()))
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range p.Charts[0].Bars {
		for _, ca := range b.Chords {
			fmt.Printf("%s at beat %d\n", ca.Chord, ca.Offset/music.PPQ+1)
		}
	}
	// Output:
	// D-7 at beat 1
	// G7 at beat 3
	// C^7 at beat 1
}
