package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sideman/authorship"
	"sideman/project"
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
	f := *format
	if f == "" {
		switch ext := strings.ToLower(filepath.Ext(*outPath)); ext {
		case ".html", ".htm":
			f = "html"
		case ".json":
			f = "json"
		default:
			f = "md"
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
	roll := ""
	if *outPath != "" && *outPath != "-" && ff == authorship.Markdown {
		roll = strings.TrimSuffix(*outPath, filepath.Ext(*outPath)) + ".svg"
	}
	link := ""
	if roll != "" {
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
	if *outPath == "" || *outPath == "-" {
		_, err := out.Write(buf.Bytes())
		return err
	}
	if roll != "" {
		var svg bytes.Buffer
		if err := rep.WriteSVG(&svg); err != nil {
			return err
		}
		if err := writeAtomic(roll, svg.Bytes()); err != nil {
			return err
		}
	}
	return writeAtomic(*outPath, buf.Bytes())
}

// writeAtomic writes a whole file beside path and renames it into place:
// a failure leaves the old file, if any, as it was.
func writeAtomic(path string, b []byte) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return &project.Error{Kind: project.BadInput, Name: path, Err: errors.New("is not a regular file")}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sideman-report-")
	if err != nil {
		return &project.Error{Kind: project.BadInput, Name: path, Err: errors.Unwrap(err)}
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return &project.Error{Kind: project.BadInput, Name: path, Err: err}
	}
	return nil
}
