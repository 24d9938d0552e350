package musicxml_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"sideman/format/musicxml"
	"sideman/music"
)

func ExampleDecode() {
	f, err := os.Open("testdata/leadsheet.musicxml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	// The Decoder's Source names the file in the notes' Origin.
	c, err := musicxml.Decoder{Source: "leadsheet.musicxml"}.Decode(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title, "by", c.Composer, "in", c.Key, c.Meter)
	for i, b := range c.Bars[:3] {
		var chords []string
		for _, ch := range b.Chords {
			chords = append(chords, ch.Chord.String())
		}
		fmt.Printf("bar %d: %d notes, chords %v\n", i+1, len(b.Notes), chords)
	}
	fmt.Println(c.Perform(1).NoteCount(), "notes played, from", c.Bars[0].Notes[0].Origin)
	// Output:
	// Lead Sheet by A. Writer in Bb major 4/4
	// bar 1: 1 notes, chords []
	// bar 2: 3 notes, chords [Bbmaj7 Gm7]
	// bar 3: 4 notes, chords [C7(b9) F7sus4]
	// 11 notes played, from imported from leadsheet.musicxml
}

func ExampleEncode() {
	four := music.Meter{Num: 4, Den: 4}
	c := &music.Chart{
		Title: "Two Bars",
		Meter: &four,
		Bars: []music.Bar{
			{Chords: []music.ChordAt{{Chord: music.MustParseChord("Dm7")}, {Offset: 1920, Chord: music.MustParseChord("G7")}}},
			{Chords: []music.ChordAt{{Chord: music.MustParseChord("Cmaj7")}}},
		},
	}
	var b strings.Builder
	if err := musicxml.Encode(&b, c); err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, "<kind") || strings.Contains(line, "<notehead") || strings.Contains(line, "<print") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// <kind text="m7">minor-seventh</kind>
	// <notehead>slash</notehead>
	// <notehead>slash</notehead>
	// <kind text="7">dominant</kind>
	// <notehead>slash</notehead>
	// <notehead>slash</notehead>
	// <kind text="maj7">major-seventh</kind>
	// <notehead>slash</notehead>
	// <notehead>slash</notehead>
	// <notehead>slash</notehead>
	// <notehead>slash</notehead>
}
