package project_test

import (
	"context"
	"fmt"

	"sideman/music"
	"sideman/project"
)

// The notes of a lead sheet, as `sideman inspect --notes` lists them: in
// a project whose ids start at 1, the written notes keep theirs, and the
// repeat's second time plays new notes.
func ExampleProject_Notes() {
	p := &project.Project{IDs: music.NewIDs(1)}
	lines, err := p.Notes(context.Background(), "testdata/little-head.abc", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines[6:10] {
		fmt.Printf("%d\tbar %d beat %g\tkey %d\t%s\n", l.ID, l.Bar, l.Beat, l.Pitch, l.Origin.Kind)
	}
	// Output:
	// 7	bar 2 beat 3	key 64	imported
	// 8	bar 2 beat 4	key 67	imported
	// 10	bar 3 beat 1	key 69	imported
	// 11	bar 3 beat 2	key 72	imported
}

// An edge maps the kind of an operation's error to its own codes: an exit
// status, an HTTP status.
func ExampleKindOf() {
	var p project.Project
	_, err := p.Play(context.Background(), "testdata/none.chart", project.PlayOptions{})
	fmt.Println(project.KindOf(err), "|", err)
	// Output: not found | testdata/none.chart: no such file or directory
}
