package project

import (
	"context"

	"sideman/load"
	"sideman/music"
)

// TuneSummary is one tune in a Summary. Bars and chords count the
// unrolled form of one chorus; a chord held across a barline counts once.
// Lead sheets also count their notes, played (unrolled) and written.
type TuneSummary struct {
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
	// Heard is set for a MIDI file's tune: its chords heard in the
	// file's notes (HeardChart), not written. Pickup says it starts with
	// a pickup, a short bar before bar 1, and Changes are its chords bar
	// by bar in played order, a bar's chords separated by spaces, ""
	// for a bar that holds the chord before.
	Heard   bool     `json:"heard,omitempty"`
	Pickup  bool     `json:"pickup,omitempty"`
	Changes []string `json:"changes,omitempty"`
}

// Summary is what `sideman inspect` says of a document, as JSON. Chord data fills Tunes; note data (MIDI, lead
// sheets) fills the note fields: Notes are the sounding notes in played
// order (repeats unrolled, tied notes merged, each pitch of a chord
// counted; for MIDI every note-on with velocity above 0), WrittenNotes the
// same without unrolling.
type Summary struct {
	Format          string         `json:"format"`
	Tunes           []TuneSummary  `json:"tunes,omitempty"`
	Tracks          *int           `json:"tracks,omitempty"`
	Notes           *int           `json:"notes,omitempty"`
	WrittenNotes    *int           `json:"written_notes,omitempty"`
	PPQ             *int           `json:"ppq,omitempty"`
	DurationSeconds *float64       `json:"duration_seconds,omitempty"`
	Origins         map[string]int `json:"origins,omitempty"`
	Files           int            `json:"files,omitempty"`
	Skipped         int            `json:"skipped,omitempty"`
	// Provenance is what a MIDI or WAV file says of who made it
	// (CheckProvenance; the command fills it in).
	Provenance *Provenance `json:"provenance,omitempty"`
}

// noteTotals accumulates the note fields over files and tunes.
type noteTotals struct {
	any                 bool
	tracks, notes, writ int
	ppq                 int
	seconds             float64
}

func (t *noteTotals) fill(s *Summary) {
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
func (t *noteTotals) addTune(c *music.Chart, s *TuneSummary) {
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
func countOrigins(s *Summary, p *music.Piece) {
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

func summarizeTune(c *music.Chart) TuneSummary {
	played := c.Unroll(1)
	s := TuneSummary{Title: c.Title, Composer: c.Composer, Bars: len(played), Chords: len(music.Spans(played)), Style: c.Style, Tempo: c.Tempo}
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

// Summarize describes a document, or one tune of it when tune is set.
func Summarize(d *load.Document, tune *music.Chart) Summary {
	s := Summary{Format: d.Format, Skipped: len(d.Warnings)}
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

// Inspect says what a document holds (what `sideman inspect` shows): a
// folder or archive is streamed, one member held at a time
// (SummarizeCollection), unless tune picks one of its tunes; anything
// else is read whole and summarized, the tune picked alone when tune is
// not "". A MIDI file's one tune is the chart heard in its notes
// (HeardChart), summarized with its chords bar by bar; its notes are
// counted as the file's, not again as the tune's. The document read is
// returned too, for its parts; for a streamed collection it holds only
// the name and format.
func (p *Project) Inspect(ctx context.Context, name, tune string) (Summary, *load.Document, error) {
	if tune == "" && load.IsCollection(name) {
		s, err := p.SummarizeCollection(ctx, name)
		if err != nil {
			return Summary{}, nil, err
		}
		return s, &load.Document{Name: name, Format: s.Format}, nil
	}
	d, err := p.open(ctx, name)
	if err != nil {
		return Summary{}, nil, err
	}
	if heard(d) {
		s := Summarize(d, nil)
		c, err := tuneOf(d, nil, tune)
		switch {
		case err == nil:
			s.Tunes = []TuneSummary{heardSummary(c)}
		case tune != "":
			return Summary{}, nil, err
		}
		// No chords to hear (drums alone): the notes, as of any MIDI file.
		return s, d, nil
	}
	var chosen *music.Chart
	if tune != "" {
		if chosen, err = d.Tune(tune); err != nil {
			return Summary{}, nil, err
		}
	}
	return Summarize(d, chosen), d, nil
}
