package main

import (
	"flag"
	"fmt"
	"io"

	"sideman/internal/output"
	"sideman/music"
	"sideman/project"
)

func init() {
	register("convert", command{
		summary: "convert charts and lead sheets to MIDI, .chart, MusicXML or ABC; MIDI to MIDI, or to the chart heard in its notes (.chart; MusicXML or ABC with its melody)",
		usage:   "sideman convert IN -o OUT.mid|OUT.chart|OUT.musicxml|OUT.abc [--tune TITLE|INDEX] [--choruses N] [--transpose KEY|±N] [--for Bb|Eb|F]",
		examples: []string{
			"sideman convert examples/blues-f.chart -o blues.mid --choruses 3",
			`sideman convert ../shared/data/ireal-playlists/jazz1460.txt --tune "Blue Monk" -o blue-monk.chart`,
			"sideman convert ../shared/data/nottingham/ABC_cleaned/waltzes.abc --tune 3 -o waltz.musicxml",
			"sideman convert examples/ballad-eb.chart --for Bb -o ballad-trumpet.musicxml",
			"sideman convert my-tune.mid -o my-tune.chart   # the chords heard in its notes, written down",
		},
		run: convert,
	})
}

// convertFormats are the formats convert writes, by the extension -o names.
var convertFormats = map[output.Format]project.Format{
	output.MIDI: project.FormatMIDI, output.Chart: project.FormatChart, output.MusicXML: project.FormatMusicXML, output.ABC: project.FormatABC,
}

func convert(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	var pf projectFlags
	pf.register(fs)
	outPath := fs.String("o", "", "output file, its extension the format: .mid, .chart, .musicxml, .xml or .abc; - is stdout (MIDI)")
	tune := fs.String("tune", "", "pick one tune by title or index")
	choruses := fs.Int("choruses", 1, "choruses to play when writing MIDI from a chart, 1 to 64")
	transpose := fs.String("transpose", "", "key to write in, keeping the tune's mode (Bb), or semitones (+2, -3)")
	forInst := fs.String("for", "", "write the part a Bb, Eb or F instrument reads (.musicxml, .abc, .chart): the written key and notes, marked so it plays at concert pitch")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outPath == "" {
		return usageError{"want one input and -o OUT"}
	}
	if *choruses < 1 || *choruses > 64 {
		return usageError{"--choruses must be 1 to 64"}
	}
	var tr *music.Transposition
	if *transpose != "" {
		t, err := music.ParseTransposition(*transpose)
		if err != nil {
			return usageError{fmt.Sprintf("--transpose: %v", err)}
		}
		tr = &t
	}
	var inst *music.Transposing
	if *forInst != "" {
		t, err := music.ParseTransposing(*forInst)
		if err != nil {
			return usageError{fmt.Sprintf("--for: %v", err)}
		}
		inst = &t
	}
	target, err := outputTo(*outPath, []output.Format{output.MIDI, output.Chart, output.MusicXML, output.ABC}, pos[0])
	if err != nil {
		return err
	}
	if inst != nil && target.Format == output.MIDI {
		return usageError{"--for writes a part to read (.musicxml, .abc or .chart); MIDI sounds at concert pitch"}
	}
	proj, _ := newProject(errs)
	if err := pf.attach(proj); err != nil {
		return err
	}
	c, err := proj.Convert(ctx, pos[0], project.ConvertOptions{To: convertFormats[target.Format], Tune: *tune, Choruses: *choruses, Transpose: tr, For: inst})
	if err != nil {
		return err
	}
	return writeTo(target, stdout, c.Encode)
}
