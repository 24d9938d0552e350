package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"sideman/band"
	"sideman/format/abc"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/music"
)

// Format is a kind of document an operation writes: the edge that names
// the output (a command's -o extension, a request's content type) maps
// its own names to it.
type Format int

const (
	FormatMIDI     Format = iota + 1 // a Standard MIDI File, each note's id and Origin recorded
	FormatChart                      // sideman's .chart chord chart
	FormatMusicXML                   // MusicXML 4.0
	FormatABC                        // ABC 2.1
)

var formatNames = [...]string{FormatMIDI: "MIDI", FormatChart: "chart", FormatMusicXML: "MusicXML", FormatABC: "ABC"}

func (f Format) String() string {
	if f > 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ConvertOptions say what to convert a document to.
type ConvertOptions struct {
	// To is the format to write: FormatMIDI, FormatChart, FormatMusicXML
	// or FormatABC.
	To Format
	// Tune picks one tune of a file holding several, by title or index.
	// All of them go to a .chart when none is picked.
	Tune string
	// Choruses of a chart played to MIDI, 1 to 64 (0 is 1).
	Choruses int
	// Transpose moves a chart or a lead sheet to another key.
	Transpose *music.Transposition
	// For writes the part a transposing instrument reads (MusicXML, ABC,
	// .chart): its key and notes as written, marked to sound at concert
	// pitch.
	For *music.Transposing
}

// Conversion is a document ready to write in another format.
type Conversion struct {
	name   string
	format Format
	piece  *music.Piece
	charts []*music.Chart
}

// Piece is what a conversion to MIDI writes (nil for other formats).
func (c *Conversion) Piece() *music.Piece { return c.piece }

// Encode writes the conversion in its format. What the format cannot
// write of the music (a chord between a .chart's slots, a pitch ABC has
// no letter for) is Unsupported, naming the input; an error writing to w
// is returned as it is.
func (c *Conversion) Encode(w io.Writer) error {
	switch c.format {
	case FormatMIDI:
		return inputError(c.name, midi.EncodePiece(w, c.piece))
	case FormatABC:
		return encodeError(c.name, w, func(w io.Writer) error { return abc.Encode(w, c.charts) })
	case FormatMusicXML:
		return encodeError(c.name, w, func(w io.Writer) error { return musicxml.Encode(w, c.charts[0]) })
	case FormatChart:
		return encodeError(c.name, w, func(w io.Writer) error { return chart.Encode(w, c.charts...) })
	}
	return noEncoder(c.format)
}

// noEncoder refuses a format Convert does not write.
func noEncoder(f Format) error {
	return &OptionError{"to", f.String(), errors.New("want MIDI, chart, MusicXML or ABC")}
}

// Convert reads a chart, a lead sheet or a MIDI file for writing in
// another format: charts and lead sheets to MIDI (the chords as block
// chords, a lead sheet's parts over them), to .chart, MusicXML or ABC;
// MIDI to MIDI, and a MIDI file to the chart heard in its notes
// (HeardChart): its chords to .chart, its lead sheet (the chords and the
// melody's top line) to MusicXML or ABC. Every note keeps its id and Origin: a MIDI file sideman
// wrote converts to one with the same ids.
func (p *Project) Convert(ctx context.Context, name string, opt ConvertOptions) (*Conversion, error) {
	switch {
	case opt.Choruses < 0 || opt.Choruses > 64:
		return nil, &OptionError{"choruses", fmt.Sprint(opt.Choruses), errors.New("want 1 to 64")}
	case opt.For != nil && opt.To == FormatMIDI:
		return nil, &OptionError{"for", opt.For.Name, errors.New("writes a part to read (MusicXML, ABC or .chart); MIDI sounds at concert pitch")}
	}
	d, picked, err := p.openTune(ctx, name, opt.Tune)
	if err != nil {
		return nil, err
	}
	// tune is the tune opt.Tune picks, read alone where it could be; a
	// MIDI file's is the chart heard in its notes.
	tune := func() (*music.Chart, error) { return tuneOf(d, picked, opt.Tune) }
	if (opt.Transpose != nil || opt.For != nil) && d.Piece != nil && opt.To == FormatMIDI {
		return nil, &Error{Unsupported, d.Name, errors.New("holds notes, written to MIDI as they are; transpose the chart heard in them to .chart, .musicxml or .abc")}
	}
	// part is the chart as the options ask to write it: in another key,
	// written for a transposing instrument.
	part := func(c *music.Chart) *music.Chart {
		if opt.Transpose != nil {
			c = c.Transpose(*opt.Transpose)
		}
		if opt.For != nil {
			c = c.WrittenFor(*opt.For)
		}
		return c
	}
	out := &Conversion{name: d.Name, format: opt.To}
	switch opt.To {
	case FormatMIDI:
		if d.Piece != nil {
			out.piece = d.Piece
			return out, nil
		}
		c, err := tune()
		if err != nil {
			return nil, err
		}
		c = part(c)
		choruses := max(opt.Choruses, 1)
		p.warnCut(d.Name, c, choruses)
		out.piece = LeadSheet(c, choruses, p.ids("convert", []string{name}, opt))
		if err := music.CheckLength(out.piece); err != nil {
			return nil, &Error{BadInput, d.Name, fmt.Errorf("%q: %v", c.Title, err)}
		}
		p.record(out.piece, Generation{})
	case FormatMusicXML, FormatABC:
		c, err := tune()
		if err != nil {
			return nil, err
		}
		out.charts = []*music.Chart{part(c)}
	case FormatChart:
		out.charts = d.Charts
		if opt.Tune != "" || heard(d) {
			c, err := tune()
			if err != nil {
				return nil, err
			}
			out.charts = []*music.Chart{c}
		}
		if opt.Transpose != nil || opt.For != nil {
			moved := make([]*music.Chart, len(out.charts))
			for i, c := range out.charts {
				moved[i] = part(c)
			}
			out.charts = moved
		}
	default:
		return nil, noEncoder(opt.To)
	}
	return out, nil
}

// LeadSheet plays a chart to MIDI as a notation program plays it: its
// chord symbols as block chords (band.BlockChords) and, for a lead sheet,
// its written parts over them (Chart.PerformWith), the chords on the next
// free channel. The written notes keep their ids the first time through;
// the notes played again and the chords take theirs from ids.
func LeadSheet(c *music.Chart, choruses int, ids *music.IDs) *music.Piece {
	chords := band.BlockChordsWith(c, choruses, ids)
	if len(c.Parts) == 0 {
		return chords
	}
	p := c.PerformWith(choruses, ids)
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
	for i := range part.Notes {
		part.Notes[i].Channel = part.Channel
		part.Notes[i].Part = int16(len(p.Parts))
	}
	if len(part.Notes) > 0 {
		p.Parts = append(p.Parts, part)
	}
	return p
}
