// Package examples holds the chord charts bundled with sideman, written by
// hand for the project in the .chart format. They are embedded in the
// binary so `sideman demo` works on a machine with no other files.
package examples

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.chart
var files embed.FS

// BluesLick is a four-bar blues lick in F (ABC), written note by note by
// hand for the demo: a person's notes, entered, for sideman to trade
// with (its bar 1 is bar 1 of blues-f).
//
//go:embed blues-lick.abc
var BluesLick []byte

// Names lists the bundled charts by file name without ".chart", sorted.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".chart"))
	}
	sort.Strings(out)
	return out
}

// Open returns the text of a bundled chart by name ("blues-f").
func Open(name string) ([]byte, error) {
	return files.ReadFile(name + ".chart")
}
