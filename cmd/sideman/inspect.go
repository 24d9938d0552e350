package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"sideman/load"
	"sideman/music"
)

func init() {
	register("inspect", command{
		summary: "summarise a chart, playlist, collection or MIDI file",
		usage:   "sideman inspect PATH|LINK [--tune TITLE|INDEX] [--json]",
		run:     inspect,
	})
}

// tuneSummary is one tune in inspect's JSON. Bars and chords count the
// unrolled form of one chorus; a chord held across a barline counts once.
type tuneSummary struct {
	Title    string  `json:"title"`
	Composer string  `json:"composer"`
	Key      *string `json:"key"`
	Meter    *string `json:"meter"`
	Bars     int     `json:"bars"`
	Chords   int     `json:"chords"`
	Style    string  `json:"style,omitempty"`
	Tempo    int     `json:"tempo,omitempty"`
}

// noteSummary is inspect's JSON for note data.
type noteSummary struct {
	Format          string   `json:"format"`
	Tracks          int      `json:"tracks"`
	Notes           int      `json:"notes"`
	WrittenNotes    int      `json:"written_notes"`
	PPQ             int      `json:"ppq"`
	DurationSeconds float64  `json:"duration_seconds"`
	MIDIFormat      *int     `json:"midi_format,omitempty"`
	Parts           []string `json:"parts"`
}

func summarizeTune(c *music.Chart) tuneSummary {
	played := c.Unroll(1)
	s := tuneSummary{Title: c.Title, Composer: c.Composer, Bars: len(played), Chords: len(music.Spans(played)), Style: c.Style, Tempo: c.Tempo}
	if c.Key != nil {
		k := c.Key.Short()
		s.Key = &k
	}
	if c.Meter != nil {
		m := c.Meter.String()
		s.Meter = &m
	}
	return s
}

func summarizeNotes(d *load.Document) noteSummary {
	s := noteSummary{Format: d.Format}
	if f := d.MIDI; f != nil {
		s.Tracks = len(f.Tracks)
		s.PPQ = f.Division.TicksPerQuarter()
		format := f.Format
		s.MIDIFormat = &format
		// The length runs to the last event of any track (end-of-track
		// included), as a sequencer plays it.
		var last int64
		for i := range f.Tracks {
			evs := f.Tracks[i].Events
			for _, e := range evs {
				if e.IsNoteOn() {
					s.Notes++
				}
			}
			if n := len(evs); n > 0 && evs[n-1].Tick > last {
				last = evs[n-1].Tick
			}
		}
		s.WrittenNotes = s.Notes
		if s.PPQ > 0 {
			s.DurationSeconds = d.Piece.Tempo.Seconds(music.Ticks(last * music.PPQ / int64(s.PPQ)))
		}
	} else if p := d.Piece; p != nil {
		s.Tracks = len(p.Parts)
		s.Notes = p.NoteCount()
		s.WrittenNotes = s.Notes
		s.PPQ = music.PPQ
		s.DurationSeconds = p.Tempo.Seconds(p.End())
	}
	if d.Piece != nil {
		for _, part := range d.Piece.Parts {
			s.Parts = append(s.Parts, part.Name)
		}
	}
	return s
}

func inspect(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	tune := fs.String("tune", "", "pick one tune by title or index")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one PATH or LINK"}
	}
	d, err := load.Open(pos[0])
	if err != nil {
		return err
	}
	if d.Piece != nil && d.Charts == nil {
		s := summarizeNotes(d)
		if *asJSON {
			return writeJSON(out, s)
		}
		fmt.Fprintf(out, "%s: %s, %d tracks, %d notes, %d ppq, %.2f s\n", d.Name, s.Format, s.Tracks, s.Notes, s.PPQ, s.DurationSeconds)
		for i, p := range d.Piece.Parts {
			fmt.Fprintf(out, "  part %d %q channel %d: %d notes\n", i, p.Name, p.Channel+1, len(p.Notes))
		}
		return nil
	}
	charts := d.Charts
	if *tune != "" {
		c, err := d.Tune(*tune)
		if err != nil {
			return err
		}
		charts = []*music.Chart{c}
	}
	tunes := make([]tuneSummary, len(charts))
	for i, c := range charts {
		tunes[i] = summarizeTune(c)
	}
	if *asJSON {
		return writeJSON(out, struct {
			Format string        `json:"format"`
			Tunes  []tuneSummary `json:"tunes"`
		}{d.Format, tunes})
	}
	fmt.Fprintf(out, "%s: %s, %d tunes\n", d.Name, d.Format, len(tunes))
	for _, t := range tunes {
		fmt.Fprintf(out, "  %q", t.Title)
		if t.Composer != "" {
			fmt.Fprintf(out, " (%s)", t.Composer)
		}
		fmt.Fprintf(out, ": key %s, meter %s, %d bars, %d chords\n", orNone(t.Key), orNone(t.Meter), t.Bars, t.Chords)
	}
	return nil
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
