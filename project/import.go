package project

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"sideman/harmony"
	"sideman/load"
	"sideman/music"
)

// OpenBytes reads a file handed over in memory rather than by path (the
// studio's import): name is the file's name, which picks the format as
// load.Detect does, and nothing is read from the disk. It is Open of
// those bytes: the notes take their ids from the project's, and a MIDI
// file's notes are recorded as read. A MIDI file carries no chart, so its
// one tune (Charts) is the chart of the chords heard in its notes, as Play
// plays a MIDI file (HeardChart); its Piece and MIDI are kept.
func (p *Project) OpenBytes(ctx context.Context, name string, data []byte) (*load.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids := p.IDs
	if ids == nil {
		ids = music.IDsFor("read\x00" + name)
	}
	d, err := load.Options{IDs: ids}.Bytes(name, data)
	if err != nil {
		return nil, err
	}
	if err := p.Ledger.rematch(ctx, d); err != nil {
		return nil, err
	}
	p.Ledger.readDocument(d)
	if n := len(d.Warnings); n > 0 {
		p.warn(Warning{Name: name, Err: fmt.Errorf("%d tunes or files could not be read", n), Skipped: d.Warnings})
	}
	if d.Piece != nil && len(d.Charts) == 0 {
		c, err := HeardChart(d)
		if err != nil {
			return nil, err
		}
		d.Charts = []*music.Chart{c}
	}
	return d, nil
}

// HeardChart is the chart of a MIDI file's chords, heard in its notes
// (harmony.Chart), titled by the file when the file names no title: a
// pickup starts it as a short bar before bar 1, and its melody is the
// top line of the file's tune (harmony.MelodyPart), the notes keeping
// their ids, so that the lead sheet shows it and the band can play the
// head. It is BadInput when there is nothing to hear (drums alone).
func HeardChart(d *load.Document) (*music.Chart, error) {
	if d.Piece == nil {
		return nil, &Error{Unsupported, d.Name, fmt.Errorf("is not a MIDI file; its chords are written, not heard")}
	}
	c, err := harmony.Chart(hearable(d.Piece))
	if err != nil {
		return nil, &Error{BadInput, d.Name, err}
	}
	if strings.TrimSpace(c.Title) == "" {
		base := filepath.Base(d.Name)
		c.Title = strings.TrimSuffix(base, filepath.Ext(base))
	}
	load.NameMelody(c) // "Melody", not the file's "Track 1"
	return c, nil
}
