package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"sideman/authorship"
	"sideman/internal/output"
)

func init() {
	register("authorship", command{
		summary: "the authorship report of a project: per part and per bar, how many notes are yours (H), yours processed (H+alg), the machine's (M) and the machine's changed by you (M+h); your selections; texts for a copyright application",
		usage:   "sideman authorship report [--project DIR] [--format md|html|json] [-o FILE] [--key PATH]",
		examples: []string{
			"sideman authorship report",
			"sideman authorship report --format html -o authorship.html",
			"sideman authorship report -o authorship.md   # and authorship.svg beside it: the piano roll",
		},
		subcommands: []string{"report"},
		run:         authorshipCommand,
	})
}

func authorshipCommand(args []string, out, errs io.Writer) error {
	if len(args) == 0 || args[0] != "report" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return flag.ErrHelp
		}
		return usageError{"want a subcommand: report"}
	}
	fs := flag.NewFlagSet("authorship report", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	format := fs.String("format", "", "md, html or json (default: -o's extension, else md)")
	outPath := fs.String("o", "", "file to write (default: stdout); a Markdown report gets its piano roll as FILE.svg beside it")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"authorship report takes no arguments"}
	}
	// The output is checked before the work, by the one writer every
	// command uses (never a folder, a device replaced, a link replaced).
	var target *output.Target
	if *outPath != "" {
		if target, err = outputTo(*outPath, []output.Format{output.Markdown, output.HTML, output.JSON}); err != nil {
			return err
		}
	}
	f := *format
	if f == "" {
		f = "md"
		if target != nil && *outPath != "-" {
			f = map[output.Format]string{output.Markdown: "md", output.HTML: "html", output.JSON: "json"}[target.Format]
		}
	}
	ff, err := authorship.ParseFormat(f)
	if err != nil {
		return usageError{"--format " + f + ": want md, html or json"}
	}
	root := pf.dir
	if root == "" {
		root = "."
	}
	if _, err := findProject(root); err != nil {
		return err
	}
	if pf.dir == "" {
		pf.dir = root
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	var rollTarget *output.Target
	link := ""
	if target != nil && *outPath != "-" && ff == authorship.Markdown {
		roll := strings.TrimSuffix(*outPath, filepath.Ext(*outPath)) + ".svg"
		if rollTarget, err = outputTo(roll, []output.Format{output.SVG}); err != nil {
			return err
		}
		link = filepath.Base(roll)
	}
	var buf bytes.Buffer
	rep, unknown, err := proj.AuthorshipReport(ctx, ff, &buf, link)
	if err != nil {
		return err
	}
	if unknown > 0 {
		fmt.Fprintf(errs, "sideman: authorship report: %d notes were imported with no word of who made them and are left out (sideman record --as played|written brings a person's notes in)\n", unknown)
	}
	if target == nil {
		_, err := out.Write(buf.Bytes())
		return err
	}
	if rollTarget != nil {
		if err := outputError(rollTarget.Write(out, rep.WriteSVG)); err != nil {
			return err
		}
	}
	return outputError(target.Write(out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }))
}
