package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"sideman/band"
	"sideman/format/abc"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/internal/output"
	"sideman/load"
	"sideman/music"
)

func init() {
	register("convert", command{
		summary: "convert charts and lead sheets to MIDI, .chart, MusicXML or ABC; MIDI to MIDI",
		usage:   "sideman convert IN -o OUT.mid|OUT.chart|OUT.musicxml|OUT.abc [--tune TITLE|INDEX] [--choruses N] [--transpose KEY|±N] [--for Bb|Eb|F]",
		examples: []string{
			"sideman convert examples/blues-f.chart -o blues.mid --choruses 3",
			`sideman convert ../shared/data/ireal-playlists/jazz1460.txt --tune "Blue Monk" -o blue-monk.chart`,
			"sideman convert ../shared/data/nottingham/ABC_cleaned/waltzes.abc --tune 3 -o waltz.musicxml",
			"sideman convert examples/ballad-eb.chart --for Bb -o ballad-trumpet.musicxml",
		},
		run: convert,
	})
}

func convert(args []string, stdout, errs io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
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
	d, err := open(pos[0], errs)
	if err != nil {
		return err
	}
	if (tr != nil || inst != nil) && d.Piece != nil {
		return &load.InputError{Name: d.Name, Err: errors.New("holds notes, not a chart; --transpose and --for need a chart or lead sheet")}
	}
	// part is the chart as the flags ask to write it: in another key,
	// written for a transposing instrument.
	part := func(c *music.Chart) *music.Chart {
		if tr != nil {
			c = c.Transpose(*tr)
		}
		if inst != nil {
			c = c.WrittenFor(*inst)
		}
		return c
	}
	switch target.Format {
	case output.MIDI:
		var piece *music.Piece
		if d.Piece != nil {
			piece = d.Piece
		} else {
			c, err := d.Tune(*tune)
			if err != nil {
				return err
			}
			c = part(c)
			warnCut(errs, d.Name, c, *choruses)
			piece = band.BlockChords(c, *choruses)
			if len(c.Parts) > 0 {
				// A lead sheet: its own parts, then the chords under them.
				piece = leadSheetPiece(c, *choruses)
			}
			if err := music.CheckLength(piece); err != nil {
				return &load.InputError{Name: d.Name, Err: fmt.Errorf("%q: %v", c.Title, err)}
			}
		}
		return inputFault(d.Name, writeTo(target, stdout, func(w io.Writer) error { return midi.EncodePiece(w, piece) }))
	case output.MusicXML, output.ABC:
		c, err := d.Tune(*tune)
		if err != nil {
			return err
		}
		c = part(c)
		if target.Format == output.ABC {
			return writeTo(target, stdout, func(w io.Writer) error { return abc.Encode(w, []*music.Chart{c}) })
		}
		return writeTo(target, stdout, func(w io.Writer) error { return musicxml.Encode(w, c) })
	case output.Chart:
		charts := d.Charts
		if len(charts) == 0 {
			return &load.InputError{Name: d.Name, Err: errors.New("holds notes, not a chord chart; .chart output needs chords")}
		}
		if *tune != "" {
			c, err := d.Tune(*tune)
			if err != nil {
				return err
			}
			charts = []*music.Chart{c}
		}
		if tr != nil || inst != nil {
			moved := make([]*music.Chart, len(charts))
			for i, c := range charts {
				moved[i] = part(c)
			}
			charts = moved
		}
		return writeTo(target, stdout, func(w io.Writer) error { return chart.Encode(w, charts...) })
	}
	return fmt.Errorf("convert: no encoder for %v", target.Format)
}

// leadSheetPiece plays a lead sheet's written parts and, on the next
// channel, its chord symbols as block chords.
func leadSheetPiece(c *music.Chart, choruses int) *music.Piece {
	p := c.Perform(choruses)
	chords := band.BlockChords(c, choruses)
	part := chords.Parts[0]
	used := map[uint8]bool{}
	for _, q := range p.Parts {
		used[q.Channel] = true
	}
	for ch := uint8(0); ch < 16; ch++ {
		if !used[ch] && ch != 9 {
			part.Channel = ch
			break
		}
	}
	id := p.MaxID()
	for i := range part.Notes {
		id++
		part.Notes[i].ID = id
		part.Notes[i].Channel = part.Channel
		part.Notes[i].Part = int16(len(p.Parts))
	}
	if len(part.Notes) > 0 {
		p.Parts = append(p.Parts, part)
	}
	return p
}
