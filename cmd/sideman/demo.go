package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sideman/authorship"
	"sideman/examples"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/internal/output"
	"sideman/project"
)

func init() {
	register("demo", command{
		summary: "play a bundled example chart with the band: write it as MIDI and summarise the result; or, with --new-project, make a project with a person's lick, a band and a traded solo in it, and print its authorship summary",
		usage:   "sideman demo [--chart NAME] [-o OUT.mid] [--choruses N]   (NAME: " + strings.Join(examples.Names(), ", ") + ")\n       sideman demo --new-project DIR [--soundfont FILE.sf2] [--key PATH]",
		examples: []string{
			"sideman demo",
			"sideman demo --chart bossa-d --choruses 3 -o bossa.mid",
			"sideman demo --new-project out/demo-project   # what make demo runs",
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
	newDir := fs.String("new-project", "", "make DIR a demo project (replacing only an earlier demo project there): the bundled lick recorded as yours, a trade with a band over blues-f, MIDI (and WAV with a SoundFont), the authorship report")
	soundFont := fs.String("soundfont", "", "SoundFont for --new-project's WAV (none found: no WAV)"+soundFontFlag)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{"demo takes no positional arguments"}
	}
	if *newDir != "" {
		return demoProject(out, errs, *newDir, *soundFont, pf.key)
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

// demoProject makes the demo project (project.DemoProject) and prints
// what it holds and its authorship summary.
func demoProject(out, errs io.Writer, dir, soundFont, key string) error {
	pf := projectFlags{key: key}
	id, err := pf.identity(true)
	if err != nil {
		return err
	}
	opt := project.DemoProjectOptions{Dir: dir, Key: privateKey(id)}
	if sf, _, err := loadSoundFont(soundFont); err == nil {
		opt.SoundFont = sf
	} else if soundFont != "" {
		return err
	}
	proj, _ := newProject(errs)
	res, err := proj.DemoProject(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: a sideman project, its ledger signed by %s\n", res.Root, id.Fingerprint())
	fmt.Fprintf(out, "  lick.mid       a four-bar blues lick written by hand (examples/blues-lick.abc), recorded as yours: sideman record lick.mid --as written\n")
	fmt.Fprintf(out, "  trade.mid      sideman trade blues-f.chart --human lick.mid --model jazz --with-band: you play bars 1-4, the sideman answers in 5-8, the band plays under both\n")
	if opt.SoundFont != nil {
		fmt.Fprintf(out, "  trade.wav      the same, rendered\n")
	} else {
		fmt.Fprintf(out, "  (no SoundFont found: no WAV; apt-get install fluid-soundfont-gm, or --soundfont FILE.sf2)\n")
	}
	fmt.Fprintf(out, "  authorship.md  the authorship report (sideman authorship report), its piano roll in authorship.svg\n\n")
	printAuthorshipSummary(out, res.Report)
	// The history behind the exported file, as a listener given it would
	// check it.
	head := ""
	if b, err := os.ReadFile(filepath.Join(res.Root, "trade.mid")); err == nil {
		if f, err := midi.Decode(bytes.NewReader(b)); err == nil {
			head = project.HeadOf(f)
		}
	}
	v, err := project.VerifyLedger(ctx, res.Root, id.Public(), head)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nledger verified: %d records, %d checkpoints signed by you; trade.mid carries head %s, the history behind it unchanged (sideman ledger verify --project %s --head %s)\n",
		v.Records, v.Checkpoints, head, dir, head)
	return nil
}

// printAuthorshipSummary prints a report's headline counts: the whole
// piece, each part, the person's acts.
func printAuthorshipSummary(w io.Writer, r *authorship.Report) {
	line := func(name string, t authorship.Tally) {
		pc := t.Counts.Percents()
		fmt.Fprintf(w, "  %-14s %5d notes   H %4d (%3d%%)   H+alg %4d (%3d%%)   M %4d (%3d%%)   M+h %4d (%3d%%)\n", name, t.Notes,
			t.Counts.H, pc[0], t.Counts.HAlg, pc[1], t.Counts.M, pc[2], t.Counts.MH, pc[3])
	}
	fmt.Fprintln(w, "authorship (H yours, H+alg yours processed by software, M the machine's, M+h the machine's changed by you):")
	line("piece", r.Total)
	for _, p := range r.Parts {
		line(p.Part, p.Tally)
	}
	fmt.Fprintf(w, "  your acts: %d selections, %d arrangements\n", r.ActCount.Selections, r.ActCount.Arrangements)
}
