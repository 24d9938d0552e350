package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"

	"sideman/internal/quote"
	"sideman/project"
)

func init() {
	register("inspect", command{
		summary: "summarise a chart, lead sheet, playlist, collection or MIDI file; of a MIDI file, the chart heard in its notes too (key, meter, pickup, the chords bar by bar)",
		usage:   "sideman inspect PATH|LINK [--tune TITLE|INDEX] [--notes] [--json] [--project DIR] [--key PATH]",
		examples: []string{
			"sideman inspect examples/rhythm-changes-bb.chart",
			"sideman inspect blues.wav   # its C2PA manifest: signer, actions, sideman's authorship assertion",
			"sideman inspect my-tune.mid   # its tracks and notes, and the chords heard in them bar by bar",
			"sideman inspect blues.mid --notes   # every note: id, part, bar:beat, key, beats, velocity, who made it",
			`sideman inspect ../shared/data/jazz-standards/JazzStandards.json --tune "Autumn Leaves" --json`,
		},
		run: inspect,
	})
}

func inspect(args []string, out, errs io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	tune := fs.String("tune", "", "pick one tune by title or index")
	asJSON := fs.Bool("json", false, "print JSON")
	notes := fs.Bool("notes", false, "list the notes of a MIDI file or a lead sheet, one a line: id, part, bar:beat, key, beats long, velocity, who made it (kind and generator)")
	var pf projectFlags
	fs.StringVar(&pf.dir, "project", "", "the project whose ledger a MIDI file's provenance records are checked against (default: the one the current folder is in, if any)")
	fs.StringVar(&pf.key, "key", "", "your key (PKCS#8 PEM), to check the ledger's signatures and a WAV's signer (default: yours, in $XDG_CONFIG_HOME/sideman)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one PATH or LINK"}
	}
	if isWAV(pos[0]) {
		pr, err := pf.provenance(pos[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(out, project.Summary{Format: "wav", Provenance: pr})
		}
		fmt.Fprintf(out, "%s: wav\n", pos[0])
		printProvenance(out, pr)
		return nil
	}
	proj, _ := newProject(errs)
	if *notes {
		lines, err := proj.Notes(ctx, pos[0], *tune)
		if err != nil {
			return err
		}
		if *asJSON {
			if lines == nil {
				lines = []project.NoteLine{}
			}
			return writeJSON(out, lines)
		}
		printNotes(out, lines)
		return nil
	}
	s, d, err := proj.Inspect(ctx, pos[0], *tune)
	if err != nil {
		return err
	}
	if s.Format == "midi" && d.MIDI != nil {
		if s.Provenance, err = pf.midiProvenance(d.MIDI); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(out, s)
	}
	fmt.Fprintf(out, "%s: %s", d.Name, s.Format)
	if s.Files > 0 {
		fmt.Fprintf(out, ", %d files", s.Files)
	}
	if n := len(s.Tunes); n == 1 {
		fmt.Fprint(out, ", 1 tune")
	} else if s.Tunes != nil {
		fmt.Fprintf(out, ", %d tunes", n)
	}
	if s.Notes != nil {
		fmt.Fprintf(out, ", %d tracks, %d notes (%d written), %d ppq, %.2f s", *s.Tracks, *s.Notes, *s.WrittenNotes, *s.PPQ, *s.DurationSeconds)
	}
	fmt.Fprintln(out)
	if d.Piece != nil {
		for i, p := range d.Piece.Parts {
			fmt.Fprintf(out, "  part %d %q channel %d: %d notes\n", i, p.Name, p.Channel+1, len(p.Notes))
		}
	}
	printProvenance(out, s.Provenance)
	for _, t := range s.Tunes {
		fmt.Fprintf(out, "  %q", t.Title)
		if t.Composer != "" {
			fmt.Fprintf(out, " (%s)", t.Composer)
		}
		if t.Heard {
			fmt.Fprint(out, ", chords heard in the notes, not written")
		}
		fmt.Fprintf(out, ": key %s, meter %s, %d bars, %d chords", orNone(t.Key), orNone(t.Meter), t.Bars, t.Chords)
		if t.Pickup {
			fmt.Fprint(out, ", a pickup before bar 1")
		}
		if t.Notes != nil {
			fmt.Fprintf(out, ", %d notes", *t.Notes)
		}
		fmt.Fprintln(out)
		printChanges(out, t)
	}
	return nil
}

// printChanges writes a heard tune's chords bar by bar, four bars a line
// numbered by the first ("%" holds the chord before; "N.C." where no
// chord has sounded yet), the pickup alone on a line before bar 1.
func printChanges(w io.Writer, t project.TuneSummary) {
	changes := slices.Clone(t.Changes)
	if len(changes) > 0 && changes[0] == "" {
		changes[0] = "N.C." // a pickup of the tune alone, before the first chord
	}
	if t.Pickup && len(changes) > 0 {
		fmt.Fprintf(w, "    pickup | %s |\n", orSimile(changes[0]))
		changes = changes[1:]
	}
	for i := 0; i < len(changes); i += 4 {
		fmt.Fprintf(w, "    %4d |", i+1)
		for _, c := range changes[i:min(i+4, len(changes))] {
			fmt.Fprintf(w, " %s |", orSimile(c))
		}
		fmt.Fprintln(w)
	}
}

func orSimile(chords string) string {
	if chords == "" {
		return "%"
	}
	return chords
}

// printNotes writes one note a line, its fields separated by tabs: id,
// part, bar:beat, key, length in beats, velocity, origin kind, generator
// ("-" for none).
func printNotes(w io.Writer, lines []project.NoteLine) {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, l := range lines {
		gen := l.Origin.Generator
		if gen == "" {
			gen = "-"
		}
		fmt.Fprintf(w, "%d\t%d\t%d:%s\t%d\t%s\t%d\t%s\t%s\n", l.ID, l.Part, l.Bar, num(l.Beat), l.Pitch, num(l.Duration), l.Velocity, l.Origin.Kind, quote.Line(gen))
	}
}

func orNone(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
