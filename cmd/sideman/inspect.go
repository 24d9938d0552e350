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
		summary: "summarise a chart, lead sheet, playlist, collection or MIDI file",
		usage:   "sideman inspect PATH|LINK [--tune TITLE|INDEX] [--json]",
		examples: []string{
			"sideman inspect examples/rhythm-changes-bb.chart",
			`sideman inspect ../shared/data/jazz-standards/JazzStandards.json --tune "Autumn Leaves" --json`,
		},
		run: inspect,
	})
}

// tuneSummary is one tune in inspect's JSON. Bars and chords count the
// unrolled form of one chorus; a chord held across a barline counts once.
// Lead sheets also count their notes, played (unrolled) and written.
type tuneSummary struct {
	Title        string  `json:"title"`
	Composer     string  `json:"composer"`
	Key          *string `json:"key"`
	Meter        *string `json:"meter"`
	Bars         int     `json:"bars"`
	Chords       int     `json:"chords"`
	Style        string  `json:"style,omitempty"`
	Tempo        int     `json:"tempo,omitempty"`
	Notes        *int    `json:"notes,omitempty"`
	WrittenNotes *int    `json:"written_notes,omitempty"`
}

// summary is inspect's JSON. Chord data fills Tunes; note data (MIDI, lead
// sheets) fills the note fields: Notes are the sounding notes in played
// order (repeats unrolled, tied notes merged, each pitch of a chord
// counted; for MIDI every note-on with velocity above 0), WrittenNotes the
// same without unrolling.
type summary struct {
	Format          string         `json:"format"`
	Tunes           []tuneSummary  `json:"tunes,omitempty"`
	Tracks          *int           `json:"tracks,omitempty"`
	Notes           *int           `json:"notes,omitempty"`
	WrittenNotes    *int           `json:"written_notes,omitempty"`
	PPQ             *int           `json:"ppq,omitempty"`
	DurationSeconds *float64       `json:"duration_seconds,omitempty"`
	Origins         map[string]int `json:"origins,omitempty"`
	Files           int            `json:"files,omitempty"`
	Skipped         int            `json:"skipped,omitempty"`
}

// noteTotals accumulates the note fields over files and tunes.
type noteTotals struct {
	any                 bool
	tracks, notes, writ int
	ppq                 int
	seconds             float64
}

func (t *noteTotals) fill(s *summary) {
	if !t.any {
		return
	}
	s.Tracks, s.Notes, s.WrittenNotes, s.PPQ, s.DurationSeconds = &t.tracks, &t.notes, &t.writ, &t.ppq, &t.seconds
}

func (t *noteTotals) addPPQ(ppq int) {
	if !t.any || t.ppq == ppq {
		t.ppq = ppq
	} else {
		t.ppq = music.PPQ // files differ: report sideman's own resolution
	}
	t.any = true
}

// addMIDI counts a MIDI file as read: every note-on with velocity above 0,
// its length to the last event of any track (end of track included), as a
// sequencer plays it.
func (t *noteTotals) addMIDI(d *load.Document) {
	f := d.MIDI
	ppq := f.Division.TicksPerQuarter()
	n := 0
	var last int64
	for i := range f.Tracks {
		evs := f.Tracks[i].Events
		for _, e := range evs {
			if e.IsNoteOn() {
				n++
			}
		}
		if k := len(evs); k > 0 && evs[k-1].Tick > last {
			last = evs[k-1].Tick
		}
	}
	t.addPPQ(ppq)
	t.tracks += len(f.Tracks)
	t.notes += n
	t.writ += n
	if ppq > 0 {
		t.seconds += d.Piece.Tempo.Seconds(music.Ticks(last * music.PPQ / int64(ppq)))
	} else {
		t.seconds += d.Piece.Tempo.Seconds(d.Piece.End())
	}
}

// addTune counts a lead sheet's notes; chord charts have none.
func (t *noteTotals) addTune(c *music.Chart, s *tuneSummary) {
	if len(c.Parts) == 0 {
		return
	}
	p := c.Perform(1)
	played, written := p.NoteCount(), c.WrittenNotes()
	s.Notes, s.WrittenNotes = &played, &written
	t.addPPQ(music.PPQ)
	t.tracks += len(p.Parts)
	t.notes += played
	t.writ += written
	var end music.Ticks
	if bars := c.Unroll(1); len(bars) > 0 {
		end = bars[len(bars)-1].End()
	}
	t.seconds += p.Tempo.Seconds(max(end, p.End()))
}

// countOrigins counts a piece's notes by who made them (the Origin kind).
func countOrigins(s *summary, p *music.Piece) {
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			if s.Origins == nil {
				s.Origins = map[string]int{}
			}
			k := music.OriginUnknown
			if n.Origin != nil {
				k = n.Origin.Kind
			}
			s.Origins[k.String()]++
		}
	}
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

// summarize describes a document, or one tune of it when tune is set.
func summarize(d *load.Document, tune *music.Chart) summary {
	s := summary{Format: d.Format, Skipped: len(d.Warnings)}
	var t noteTotals
	charts := d.Charts
	if tune != nil {
		charts = []*music.Chart{tune}
	} else {
		docs := []*load.Document{d}
		if len(d.Members) > 0 {
			docs = d.Members
			s.Files = len(d.Members)
		}
		for _, m := range docs {
			if m.MIDI != nil {
				t.addMIDI(m)
				countOrigins(&s, m.Piece)
			}
		}
	}
	for _, c := range charts {
		ts := summarizeTune(c)
		t.addTune(c, &ts)
		s.Tunes = append(s.Tunes, ts)
	}
	t.fill(&s)
	return s
}

func inspect(args []string, out, errs io.Writer) error {
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
	var d *load.Document
	var s summary
	if *tune == "" && load.IsCollection(pos[0]) {
		// A folder or archive streams: one member held at a time.
		if d, s, err = inspectCollection(pos[0], errs); err != nil {
			return err
		}
	} else {
		if d, err = open(pos[0], errs); err != nil {
			return err
		}
		var chosen *music.Chart
		if *tune != "" {
			if chosen, err = d.Tune(*tune); err != nil {
				return err
			}
		}
		s = summarize(d, chosen)
	}
	if *asJSON {
		return writeJSON(out, s)
	}
	fmt.Fprintf(out, "%s: %s", d.Name, s.Format)
	if s.Files > 0 {
		fmt.Fprintf(out, ", %d files", s.Files)
	}
	if s.Tunes != nil {
		fmt.Fprintf(out, ", %d tunes", len(s.Tunes))
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
	for _, t := range s.Tunes {
		fmt.Fprintf(out, "  %q", t.Title)
		if t.Composer != "" {
			fmt.Fprintf(out, " (%s)", t.Composer)
		}
		fmt.Fprintf(out, ": key %s, meter %s, %d bars, %d chords", orNone(t.Key), orNone(t.Meter), t.Bars, t.Chords)
		if t.Notes != nil {
			fmt.Fprintf(out, ", %d notes", *t.Notes)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// open loads a document and reports what could not be read, one line each.
func open(name string, errs io.Writer) (*load.Document, error) {
	d, err := load.Open(name)
	if err != nil {
		return nil, err
	}
	for i, w := range d.Warnings {
		if i == 10 {
			fmt.Fprintf(errs, "sideman: warning: %d more unreadable tunes or files\n", len(d.Warnings)-10)
			break
		}
		fmt.Fprintf(errs, "sideman: warning: skipped %s\n", oneLine(w.Error()))
	}
	return d, nil
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
