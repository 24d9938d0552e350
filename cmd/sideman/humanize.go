package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"sideman/feel"
	"sideman/format/midi"
	"sideman/load"
)

func init() {
	register("humanize", command{
		summary: "play a MIDI file with a human feel: learned timing, swing, dynamics and articulation; ids and origins kept",
		usage:   "sideman humanize IN.mid --feel NAME|FILE.feel [--amount 0..1] [--seed N] -o OUT.mid",
		run:     humanize,
	})
}

func humanize(args []string, _, errs io.Writer) error {
	fs := flag.NewFlagSet("humanize", flag.ContinueOnError)
	outPath := fs.String("o", "", "MIDI file to write")
	feelName := fs.String("feel", "", "a built-in feel (sideman feel list) or a .feel file")
	amount := fs.Float64("amount", 1, "how much of the feel, 0 (none) to 1 (as learned)")
	seed := fs.Uint64("seed", 1, "seed of the fluctuations; the same seed gives the same file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *outPath == "" || *feelName == "" {
		return usageError{"want IN.mid, --feel and -o OUT.mid"}
	}
	if *amount < 0 || *amount > 1 {
		return usageError{fmt.Sprintf("--amount %g: want 0 to 1", *amount)}
	}
	prof, err := openFeel(*feelName)
	if err != nil {
		return err
	}
	d, err := open(pos[0], errs)
	if err != nil {
		return err
	}
	if d.Piece == nil || d.MIDI == nil {
		return &load.InputError{Name: d.Name, Err: fmt.Errorf("is %s, not a MIDI file; play a chart with sideman band --feel", d.Format)}
	}
	p := d.Piece
	if prof != nil {
		p = feel.Humanize(p, prof, feel.Options{Amount: *amount, Seed: *seed})
	}
	f, err := os.Create(*outPath)
	if err != nil {
		return err
	}
	if err := midi.EncodePiece(f, p); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
