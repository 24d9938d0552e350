package midi

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"

	"sideman/internal/quote"
	"sideman/music"
)

// EncodePiece writes p as a Standard MIDI File of format 1 at music.PPQ
// ticks a quarter note (see FromPiece).
func EncodePiece(w io.Writer, p *music.Piece) error {
	f, err := FromPiece(p)
	if err != nil {
		return err
	}
	return Encode(w, f)
}

// FromPiece lays p out as a format 1 file at music.PPQ ticks a quarter
// note. The first track is the conductor track: the title as its name,
// then time signatures, key signatures, tempo changes and markers. Each
// part follows in its own track: its name, its program as a program
// change on the part's channel, its volume and pan as controllers 7 and 10
// (both, when either is set, so that a player is not left with another
// song's pan), and its notes, each a note-on at its start
// and a note-off (0x80, release velocity 64) at its end on the note's own
// channel. A sequencer-specific event in each part's track records the
// part's role and its notes' IDs and origins (see PieceOptions.Provenance;
// the format is described in provenance.go).
//
// Within a tick, note-offs come before note-ons, so a note repeated
// without a gap is heard twice, and notes of the same pitch that start
// together are written shortest first. Read back with ToPiece, which pairs
// first in first out, every note comes back the same, except where a part
// holds two notes of the same channel and pitch one inside the other: MIDI
// cannot say which note-off ends which, and the reader gives the earlier
// end to the earlier start. Parts without notes are written but do not come
// back as parts.
func FromPiece(p *music.Piece) (*File, error) {
	f := &File{Format: 1, Division: music.PPQ, Tracks: make([]Track, 1, 1+len(p.Parts))}
	if err := conductor(&f.Tracks[0], p); err != nil {
		return nil, err
	}
	most := 0
	for i := range p.Parts {
		most = max(most, len(p.Parts[i].Notes))
	}
	evs := make([]noteEvent, 0, 2*most)
	for i := range p.Parts {
		part := &p.Parts[i]
		// Its name, program, volume, pan and record, and a note-on and a
		// note-off a note: sized once.
		t := Track{Events: make([]Event, 0, 2*len(part.Notes)+5)}
		if part.Name != "" {
			t.AddText(0, MetaTrackName, part.Name)
		}
		if part.Channel > 15 {
			return nil, fmt.Errorf("midi: part %d (%s): channel %d, want 0-15", i, quote.Input(part.Name), part.Channel)
		}
		if part.Program >= 0 {
			if part.Program > 127 {
				return nil, fmt.Errorf("midi: part %d (%s): program %d, want 0-127", i, quote.Input(part.Name), part.Program)
			}
			t.Add(0, ProgramChange|part.Channel, byte(part.Program), 0)
		}
		if part.Volume != 0 || part.Pan != 0 {
			if part.Volume < 0 || part.Volume > 127 || part.Pan < -64 || part.Pan > 63 {
				return nil, fmt.Errorf("midi: part %d (%s): volume %d, pan %d; want 1-127 (0 for none) and -64 to 63", i, quote.Input(part.Name), part.Volume, part.Pan)
			}
			if part.Volume > 0 {
				t.Add(0, ControlChange|part.Channel, ccVolume, byte(part.Volume))
			}
			t.Add(0, ControlChange|part.Channel, ccPan, byte(64+part.Pan))
		}
		var err error
		if evs, err = noteEvents(evs[:0], part.Notes); err != nil {
			return nil, fmt.Errorf("midi: part %d (%s): %v", i, quote.Input(part.Name), err)
		}
		if len(part.Notes) > 0 || part.Role != "" {
			ons := func(yield func(*music.Note) bool) {
				for _, e := range evs {
					if e.on && !yield(&part.Notes[e.note]) {
						return
					}
				}
			}
			rec, err := appendRecord(nil, part.Role, len(part.Notes), ons)
			if err != nil {
				return nil, fmt.Errorf("midi: part %d (%s): provenance: %v", i, quote.Input(part.Name), err)
			}
			t.AddMeta(0, MetaSequencerSpecific, rec)
		}
		for _, e := range evs {
			n := &part.Notes[e.note]
			if e.on {
				t.Add(int64(n.Start), NoteOn|n.Channel, n.Pitch, min(max(n.Velocity, 1), 127))
			} else {
				t.Add(int64(n.End()), NoteOff|n.Channel, n.Pitch, 64)
			}
		}
		f.Tracks = append(f.Tracks, t)
	}
	return f, nil
}

// noteEvent is a note-on or note-off of the note at index note, with the
// keys that order the events of a track. It is 24 bytes: a part's events
// cost twice that a note while it is written.
type noteEvent struct {
	tick  music.Ticks
	dur   music.Ticks
	note  int32
	class int8 // 0 note-off of a note with duration, 1 note-on (and the note-off of a note without)
	on    bool
}

func noteEvents(evs []noteEvent, ns []music.Note) ([]noteEvent, error) {
	if len(ns) > math.MaxInt32/2 {
		return nil, fmt.Errorf("%d notes in a part, a track holds at most %d", len(ns), math.MaxInt32/2)
	}
	// Sized once: grown by append, a part of 262,144 notes allocated 100 MB.
	evs = slices.Grow(evs[:0], 2*len(ns))
	for i := range ns {
		n := &ns[i]
		switch {
		case n.Pitch > 127:
			return nil, fmt.Errorf("note %d: pitch %d, want 0-127", n.ID, n.Pitch)
		case n.Channel > 15:
			return nil, fmt.Errorf("note %d: channel %d, want 0-15", n.ID, n.Channel)
		case n.Start < 0 || n.Duration < 0:
			return nil, fmt.Errorf("note %d: start %d, duration %d; want both 0 or more", n.ID, n.Start, n.Duration)
		}
		evs = append(evs, noteEvent{tick: n.Start, class: 1, on: true, dur: n.Duration, note: int32(i)})
		off := noteEvent{tick: n.End(), note: int32(i)}
		if n.Duration == 0 {
			// The note-off must follow its own note-on, not precede it.
			off.class, off.dur = 1, 0
		}
		evs = append(evs, off)
	}
	slices.SortStableFunc(evs, func(a, b noteEvent) int {
		if a.tick != b.tick { // most pairs differ here: compare no further
			return cmp.Compare(a.tick, b.tick)
		}
		return cmp.Or(cmp.Compare(a.class, b.class), cmp.Compare(a.dur, b.dur))
	})
	return evs, nil
}

// conductor fills the conductor track of p.
func conductor(t *Track, p *music.Piece) error {
	if p.Title != "" {
		t.AddText(0, MetaTrackName, p.Title)
	}
	type item struct {
		at   music.Ticks
		kind int8 // order at the same tick: meter, key, tempo, marker
		i    int
	}
	var items []item
	for i, m := range p.Meters {
		if !m.Meter.Valid() {
			return fmt.Errorf("midi: meter %v at tick %d cannot be written", m.Meter, m.At)
		}
		items = append(items, item{m.At, 0, i})
	}
	for i := range p.Keys {
		items = append(items, item{p.Keys[i].At, 1, i})
	}
	for i, c := range p.Tempo {
		if c.MicrosPerQuarter < 1 || c.MicrosPerQuarter > 1<<24-1 {
			return fmt.Errorf("midi: tempo of %d µs a quarter at tick %d: a file holds 1 to %d", c.MicrosPerQuarter, c.At, 1<<24-1)
		}
		items = append(items, item{c.At, 2, i})
	}
	for i := range p.Markers {
		items = append(items, item{p.Markers[i].At, 3, i})
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.kind, b.kind)) })
	for _, it := range items {
		if it.at < 0 {
			return fmt.Errorf("midi: event at negative tick %d", it.at)
		}
		at := int64(it.at)
		switch it.kind {
		case 0:
			m := p.Meters[it.i].Meter
			t.AddMeta(at, MetaTimeSignature, TimeSignature{Num: m.Num, Den: m.Den}.Payload())
		case 1:
			k := p.Keys[it.i].Key
			t.AddMeta(at, MetaKeySignature, keySignature(k).Payload())
		case 2:
			t.AddMeta(at, MetaTempo, TempoPayload(int(p.Tempo[it.i].MicrosPerQuarter)))
		case 3:
			t.AddText(at, MetaMarker, p.Markers[it.i].Text)
		}
	}
	return nil
}

// keySignature is the key signature of k. Modes other than major and minor
// are written as the major key with the same signature (D dorian as C
// major), which is what the signature means; a signature beyond seven
// sharps or flats is written as its enharmonic equivalent (G# major as Ab
// major).
func keySignature(k music.Key) KeySignature {
	sf := k.Fifths()
	for sf > 7 {
		sf -= 12
	}
	for sf < -7 {
		sf += 12
	}
	return KeySignature{Fifths: sf, Minor: k.Mode == music.Minor}
}
