package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

func init() {
	register("charts", command{
		summary: "list the tunes in a file or link, one a line: index, title, composer; a MIDI file's one tune is the chart heard in its notes",
		usage:   "sideman charts PATH|LINK",
		examples: []string{
			"sideman charts ../shared/data/jazz-standards/JazzStandards.json",
			"sideman charts ../shared/data/ireal-playlists/jazz1460.txt",
			"sideman charts my-tune.mid   # one tune, its chords heard in the notes (sideman inspect my-tune.mid shows them)",
		},
		run: listCharts,
	})
}

func listCharts(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("charts", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one PATH or LINK"}
	}
	proj, _ := newProject(errs)
	d, err := proj.Open(ctx, pos[0])
	if err != nil {
		return err
	}
	tab := strings.NewReplacer("\t", " ", "\n", " ")
	for i, c := range d.Charts {
		fmt.Fprintf(out, "%d\t%s\t%s\n", i, tab.Replace(c.Title), tab.Replace(c.Composer))
	}
	if d.Piece != nil {
		fmt.Fprintf(errs, "charts: %s: a MIDI file, its tune heard in its notes, not written (sideman inspect shows its chords)\n", d.Name)
	}
	return nil
}
