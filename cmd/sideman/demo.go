package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"sideman/examples"
	"sideman/format/chart"
	"sideman/internal/output"
	"sideman/project"
)

func init() {
	register("demo", command{
		summary: "play a bundled example chart with the band: write it as MIDI and summarise the result",
		usage:   "sideman demo [--chart NAME] [-o OUT.mid] [--choruses N]   (NAME: " + strings.Join(examples.Names(), ", ") + ")",
		examples: []string{
			"sideman demo",
			"sideman demo --chart bossa-d --choruses 3 -o bossa.mid",
		},
		run: demo,
	})
}

func demo(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	name := fs.String("chart", "blues-f", "bundled chart to play")
	outPath := fs.String("o", "demo.mid", "MIDI file to write (.mid)")
	choruses := fs.Int("choruses", 2, "choruses to play, 1 to 64")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"demo takes no positional arguments"}
	}
	if *choruses < 1 || *choruses > 64 {
		return usageError{"--choruses must be 1 to 64"}
	}
	if *outPath == "-" {
		return usageError{"-o -: demo prints the chart and a summary on stdout; write the MIDI to a file"}
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI})
	if err != nil {
		return err
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	d, err := proj.Demo(ctx, project.DemoOptions{Chart: *name, Choruses: *choruses})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "chart %q (bundled %s.chart):\n", d.Chart.Title, *name)
	if err := chart.Encode(out, d.Chart); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nthe band plays it in the %s style with the %s feel, %d choruses with an intro and an ending\n", d.Performance.Summary.Style, d.Performance.Summary.Feel, *choruses)
	// The summary is of the bytes written, not the file: -o may be
	// /dev/null or a FIFO.
	if err := writeBytes(target, out, d.MIDI); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nwrote %s; sideman inspect %s says:\n", *outPath, *outPath)
	return writeJSON(out, d.Summary)
}
