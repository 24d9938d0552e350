package music_test

import (
	"fmt"

	"sideman/music"
)

// A chord symbol, read as a musician writes it, spells its notes and
// names its guide tones.
func ExampleParseChord() {
	c, err := music.ParseChord("Bbm7b5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name(), c.Notes(), c.GuideTones())
	// Output: Bbm7b5 [Bb Db Fb Ab] [m3 m7]
}

// A chart's form with a repeat and first and second endings, unrolled
// into the bars as played.
func ExampleChart_Unroll() {
	bar := func(sym string) music.Bar {
		return music.Bar{Chords: []music.ChordAt{{Chord: music.MustParseChord(sym)}}}
	}
	c := &music.Chart{Bars: []music.Bar{bar("F7"), bar("Bb7"), bar("C7"), bar("F7")}}
	c.Bars[0].RepeatStart = true
	c.Bars[2].Ending, c.Bars[2].RepeatEnd = 1, 2
	c.Bars[3].Ending = 2
	for _, pb := range c.Unroll(1) {
		fmt.Print(pb.Bar.Chords[0].Chord, " ")
	}
	fmt.Println()
	// Output: F7 Bb7 C7 F7 Bb7 F7
}

// A lead sheet's melody played twice through its repeat: the first time
// the written notes themselves, keeping their ids; the second time new
// notes, with ids from the project's, derived from the written ones.
func ExampleChart_PerformWith() {
	written := &music.Origin{Kind: music.HumanEntered, Who: "the composer"}
	note := func(id music.NoteID, key uint8) music.Note {
		return music.Note{ID: id, Pitch: key, Velocity: 80, Duration: music.PPQ, Origin: written}
	}
	c := &music.Chart{Parts: []music.Part{{Name: "Melody"}}, Bars: []music.Bar{
		{RepeatStart: true, RepeatEnd: 2, Notes: []music.Note{note(1, 60), note(2, 64)}},
	}}
	p := c.PerformWith(1, music.NewIDs(100))
	for _, n := range p.Parts[0].Notes {
		fmt.Printf("id %d key %d %v derived from %v\n", n.ID, n.Pitch, n.Origin.Kind, n.Origin.DerivedFrom)
	}
	// Output:
	// id 1 key 60 human-entered derived from []
	// id 2 key 64 human-entered derived from []
	// id 100 key 60 human-entered derived from [1]
	// id 101 key 64 human-entered derived from [2]
}
