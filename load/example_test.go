package load_test

import (
	"errors"
	"fmt"

	"sideman/load"
	"sideman/music"
)

// Bytes picks the format from the name and the first bytes: here two
// tunes in ABC, one chosen by title as a musician says it.
func ExampleBytes() {
	abc := "X:1\nT:First Tune\nM:4/4\nL:1/4\nK:G\n\"G\"GABc|\"D7\"d4|\n\n" +
		"X:2\nT:Waltz, The\nM:3/4\nL:1/4\nK:D\n\"D\"DFA|\"A7\"A3|\n"
	d, err := load.Bytes("tunes.abc", []byte(abc))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Format, len(d.Charts), "tunes")
	c, err := d.Tune("the waltz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title, c.MeterOrDefault(), c.WrittenNotes(), "notes written")
	// Output:
	// abc 2 tunes
	// Waltz, The 3/4 4 notes written
}

// A document of several tunes asked for none says how many it holds; the
// caller says how to choose.
func ExampleDocument_Tune() {
	d, err := load.Bytes("two.chart", []byte("title: One\n| C | G7 |\n---\ntitle: Two\n| F | C7 |\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = d.Tune("")
	var choice *load.ChoiceError
	fmt.Println(errors.As(err, &choice), choice.Tunes, err)
	// Output: true 2 two.chart: holds 2 tunes; choose one by title or index
}

// Read with a project's IDs, the notes of separate files share no id.
func ExampleOptions() {
	ids := music.NewIDs(1000)
	for _, name := range []string{"a.abc", "b.abc"} {
		d, _ := load.Options{IDs: ids}.Bytes(name, []byte("X:1\nT:Scale\nL:1/4\nK:C\nCDEF|\n"))
		var got []music.NoteID
		for _, n := range d.Charts[0].Bars[0].Notes {
			got = append(got, n.ID)
		}
		fmt.Println(name, got)
	}
	// Output:
	// a.abc [1000 1001 1002 1003]
	// b.abc [1004 1005 1006 1007]
}
