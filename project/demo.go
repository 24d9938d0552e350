package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"sideman/examples"
	"sideman/format/midi"
	"sideman/internal/suggest"
	"sideman/load"
	"sideman/music"
)

// DemoOptions say which bundled chart the band plays, and for how long.
type DemoOptions struct {
	// Chart is a bundled chart's name (examples.Names); "" is blues-f.
	Chart string
	// Choruses, 1 to 64 (0 is 1).
	Choruses int
}

// Demo is a bundled chart the band played with an intro and an ending,
// seed 1, as a first look at what sideman does.
type Demo struct {
	// Chart is the chart as bundled.
	Chart *music.Chart
	// Performance is the band's, as Play gives it.
	Performance *Performance
	// MIDI is the performance as a MIDI file, and Summary what Open and
	// Summarize say of those bytes read back: what a listener of the
	// file gets.
	MIDI    []byte
	Summary Summary
}

// Demo plays a bundled chart with the band (PlayDocument).
func (p *Project) Demo(ctx context.Context, opt DemoOptions) (*Demo, error) {
	if opt.Choruses < 0 || opt.Choruses > 64 {
		return nil, &OptionError{"choruses", strconv.Itoa(opt.Choruses), errors.New("want 1 to 64")}
	}
	name := opt.Chart
	if name == "" {
		name = "blues-f"
	}
	src, err := examples.Open(name)
	if err != nil {
		names := examples.Names()
		return nil, &UnknownError{What: "bundled chart", Name: name, Known: names, Near: suggest.Closest(name, names)}
	}
	d, err := load.Bytes(name+".chart", src)
	if err != nil {
		// A bundled chart that does not read is sideman's fault: %v
		// keeps it from counting as the input's.
		return nil, fmt.Errorf("bundled chart %s: %v", name, err)
	}
	perf, err := p.PlayDocument(ctx, d, PlayOptions{Choruses: max(opt.Choruses, 1), Intro: true, Ending: true, Seed: 1})
	if err != nil {
		return nil, err
	}
	var file bytes.Buffer
	if err := perf.EncodeMIDI(&file); err != nil {
		return nil, err
	}
	written, err := load.Bytes(name+".mid", file.Bytes())
	if err != nil {
		return nil, fmt.Errorf("demo: reading back the MIDI written: %v", err)
	}
	return &Demo{Chart: d.Charts[0], Performance: perf, MIDI: file.Bytes(), Summary: Summarize(written, nil)}, nil
}

// DemoPhrase is the bundled human phrase, examples.BluesLick (a four-bar
// blues lick in F written by hand), as a plain MIDI file at 132 bpm: one
// track, no sideman provenance, as a sequencer would write it, for
// `sideman record` to bring in as a person's notes.
func DemoPhrase() ([]byte, error) {
	d, err := load.Bytes("blues-lick.abc", examples.BluesLick)
	if err != nil || len(d.Charts) == 0 {
		return nil, fmt.Errorf("bundled phrase blues-lick.abc: %v", err)
	}
	part := music.Part{Name: "lick", Role: music.RoleMelody, Program: 65}
	for _, pt := range d.Charts[0].Perform(1).Parts {
		for _, n := range pt.Notes {
			n.Part, n.Velocity, n.Origin, n.Lyric = 0, 90, nil, ""
			n.ID = music.NoteID(len(part.Notes) + 1)
			part.Notes = append(part.Notes, n)
		}
	}
	if len(part.Notes) == 0 {
		return nil, errors.New("bundled phrase blues-lick.abc has no notes")
	}
	music.SortNotes(part.Notes)
	p := &music.Piece{Title: "Blues lick in F", Tempo: music.TempoMap{{MicrosPerQuarter: 60000000 / 132}},
		Parts: []music.Part{part}}
	f, err := midi.FromPiece(p)
	if err != nil {
		return nil, err
	}
	for i := range f.Tracks {
		t := &f.Tracks[i]
		var plain midi.Track
		for _, e := range t.Events {
			if e.IsMeta() && e.MetaType() == midi.MetaSequencerSpecific {
				continue // sideman's provenance: a person's file has none
			}
			plain.AddEvent(e, t)
		}
		f.Tracks[i] = plain
	}
	var b bytes.Buffer
	if err := midi.Encode(&b, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
