package wjazzd

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path"
	"strings"

	"sideman/format"
)

// Note is one note of a solo as transcribed.
type Note struct {
	// Onset and Duration are in seconds of the recording.
	Onset, Duration float64
	Pitch           uint8
	// Bar and Beat place the note in the form (bars before the first
	// chorus are 0 and below); Tatum counts Division equal parts of the
	// beat from 1, and Subtatum finer parts where a tatum is split.
	Bar, Beat, Tatum, Division, Subtatum int
	// Num and Denom are the signature, Period the beats a bar, BeatDur
	// the length of the note's beat in seconds.
	Num, Denom, Period int
	BeatDur            float64
}

// Beat is one tapped beat of the beat track.
type Beat struct {
	Onset     float64 // seconds in the recording
	Bar, Beat int
	// Chord, Form and Signature hold from the row that names them on;
	// Changed is set on the rows that name a chord, FormStart on those
	// that name a form part ("A1", "B1", "I1" for an intro).
	Chord     string
	Changed   bool
	Form      string
	FormStart bool
	Signature string
	Chorus    int
	// BassPitch is the MIDI pitch of the bass on the beat, -1 when none
	// is given.
	BassPitch int
}

// Solo is one transcribed solo: its notes and beat track.
type Solo struct {
	// Name is the melody file's name ("ArtPepper_Anthropology_Solo.csv").
	Name  string
	Notes []Note
	Beats []Beat
}

// A Decoder reads the export's files under their names in it. The zero
// Decoder is the package's functions.
type Decoder struct {
	// Source is the file's name in the export
	// ("ArtPepper_Anthropology_Solo.csv"), which a solo's files share in
	// their folders: errors name the melody file csv_melody/Source, the
	// beat file csv_beats/Source and a bass file csv_bass/Source, and the
	// Solo is named Source. When it is empty they are "melody", "beats"
	// and "bass".
	Source string
}

// file is the name of the Source's file in a folder of the export; def
// when there is no Source.
func (d Decoder) file(folder, def string) string {
	if d.Source == "" {
		return def
	}
	return folder + "/" + d.Source
}

// DecodeSolo reads a solo's melody and beat files, at most format.MaxSize
// bytes each.
func DecodeSolo(melody, beats io.Reader) (*Solo, error) { return Decoder{}.DecodeSolo(melody, beats) }

// DecodeSoloBytes is DecodeSolo on files in memory.
func DecodeSoloBytes(melody, beats []byte) (*Solo, error) {
	return Decoder{}.DecodeSoloBytes(melody, beats)
}

// DecodeSolo is the package's DecodeSolo for the files d names.
func (d Decoder) DecodeSolo(melody, beats io.Reader) (*Solo, error) {
	m, err := readAll(melody, d.file("csv_melody", "melody"))
	if err != nil {
		return nil, err
	}
	b, err := readAll(beats, d.file("csv_beats", "beats"))
	if err != nil {
		return nil, err
	}
	return d.DecodeSoloBytes(m, b)
}

// DecodeSoloBytes is DecodeSolo on files in memory.
func (d Decoder) DecodeSoloBytes(melody, beats []byte) (*Solo, error) {
	melodyName := d.file("csv_melody", "melody")
	notes, err := decodeMelody(melodyName, melody)
	if err != nil {
		return nil, err
	}
	bs, err := decodeBeats(d.file("csv_beats", "beats"), beats)
	if err != nil {
		return nil, err
	}
	return &Solo{Name: path.Base(melodyName), Notes: notes, Beats: bs}, nil
}

// DecodeMelody reads a melody file alone.
func DecodeMelody(r io.Reader) ([]Note, error) { return Decoder{}.DecodeMelody(r) }

// DecodeMelody is the package's DecodeMelody for the file d names.
func (d Decoder) DecodeMelody(r io.Reader) ([]Note, error) {
	name := d.file("csv_melody", "melody")
	data, err := readAll(r, name)
	if err != nil {
		return nil, err
	}
	return decodeMelody(name, data)
}

var melodyColumns = []string{"bar", "beat", "beatdur", "denom", "division", "duration", "num", "onset", "period", "pitch", "subtatum", "tatum"}

func decodeMelody(name string, data []byte) ([]Note, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	t := newTable(name, data)
	if !t.next() {
		return nil, &ParseError{File: name, Err: fmt.Errorf("empty file")}
	}
	col, err := t.columns(melodyColumns...)
	if err != nil {
		return nil, err
	}
	// About 45 bytes a row: allocate once.
	notes := make([]Note, 0, len(data)/45+1)
	for t.next() {
		var n Note
		var pitch float64
		for i, p := range [...]*int{0: &n.Bar, 1: &n.Beat, 3: &n.Denom, 4: &n.Division, 6: &n.Num, 8: &n.Period, 10: &n.Subtatum, 11: &n.Tatum} {
			if p == nil {
				continue
			}
			if *p, err = t.int(col[i], melodyColumns[i]); err != nil {
				return nil, err
			}
		}
		if n.BeatDur, err = t.float(col[2], "beatdur"); err != nil {
			return nil, err
		}
		if n.Duration, err = t.float(col[5], "duration"); err != nil {
			return nil, err
		}
		if n.Onset, err = t.float(col[7], "onset"); err != nil {
			return nil, err
		}
		if pitch, err = t.float(col[9], "pitch"); err != nil {
			return nil, err
		}
		switch {
		case pitch < 0 || pitch > 127 || pitch != math.Trunc(pitch):
			return nil, t.errf("pitch %v is not a MIDI key", pitch)
		case n.Onset < 0 || n.Duration < 0 || math.IsInf(n.Onset+n.Duration, 0) || math.IsNaN(n.Onset+n.Duration):
			return nil, t.errf("onset %v, duration %v: want seconds from 0", n.Onset, n.Duration)
		}
		n.Pitch = uint8(pitch)
		notes = append(notes, n)
	}
	return notes, nil
}

// DecodeBeats reads a beat file alone.
func DecodeBeats(r io.Reader) ([]Beat, error) { return Decoder{}.DecodeBeats(r) }

// DecodeBeats is the package's DecodeBeats for the file d names.
func (d Decoder) DecodeBeats(r io.Reader) ([]Beat, error) {
	name := d.file("csv_beats", "beats")
	data, err := readAll(r, name)
	if err != nil {
		return nil, err
	}
	return decodeBeats(name, data)
}

var beatColumns = []string{"bar", "bass_pitch", "beat", "chord", "chorus_id", "form", "onset", "signature"}

func decodeBeats(name string, data []byte) ([]Beat, error) {
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	t := newTable(name, data)
	if !t.next() {
		return nil, &ParseError{File: name, Err: fmt.Errorf("empty file")}
	}
	col, err := t.columns(beatColumns...)
	if err != nil {
		return nil, err
	}
	beats := make([]Beat, 0, len(data)/30+1)
	var chord, form, sig string
	for t.next() {
		var b Beat
		if b.Bar, err = t.int(col[0], "bar"); err != nil {
			return nil, err
		}
		if b.Beat, err = t.int(col[2], "beat"); err != nil {
			return nil, err
		}
		if b.Chorus, err = t.int(col[4], "chorus_id"); err != nil {
			return nil, err
		}
		if b.Onset, err = t.float(col[6], "onset"); err != nil {
			return nil, err
		}
		if math.IsNaN(b.Onset) || math.IsInf(b.Onset, 0) {
			return nil, t.errf("onset %v", b.Onset)
		}
		b.BassPitch = -1
		if f, err := t.field(col[1]); err != nil {
			return nil, err
		} else if len(f) > 0 {
			if b.BassPitch, err = t.int(col[1], "bass_pitch"); err != nil {
				return nil, err
			}
			if b.BassPitch < 0 || b.BassPitch > 127 {
				return nil, t.errf("bass_pitch %d is not a MIDI key", b.BassPitch)
			}
		}
		// Strings are kept only where they change: a solo has a few
		// dozen chords over hundreds of beats.
		if f, err := t.field(col[3]); err != nil {
			return nil, err
		} else if f = bytes.TrimSpace(f); len(f) > 0 {
			if string(f) != chord {
				chord = string(f)
			}
			b.Changed = true
		}
		if f, err := t.field(col[5]); err != nil {
			return nil, err
		} else if f = bytes.TrimSpace(f); len(f) > 0 {
			if string(f) != form {
				form = string(f)
			}
			b.FormStart = true
		}
		if f, err := t.field(col[7]); err != nil {
			return nil, err
		} else if f = bytes.TrimSpace(f); len(f) > 0 && string(f) != sig {
			sig = string(f)
		}
		b.Chord, b.Form, b.Signature = chord, form, sig
		if n := len(beats); n > 0 && !(beats[n-1].Onset < b.Onset) {
			return nil, &ParseError{File: name, Row: t.row, Err: fmt.Errorf("%w: beat at %v s after one at %v s", ErrBeats, b.Onset, beats[n-1].Onset)}
		}
		beats = append(beats, b)
	}
	// Beats before the first signature (a pickup) are in the first one.
	first := ""
	for i := range beats {
		if beats[i].Signature != "" {
			first = beats[i].Signature
			break
		}
	}
	for i := 0; i < len(beats) && beats[i].Signature == ""; i++ {
		beats[i].Signature = first
	}
	return beats, nil
}

// BassNote is one note of a walking-bass transcription.
type BassNote struct {
	Onset, Duration float64 // seconds
	Pitch           uint8
	// Velocity is the transcription's loudness, 0..1.
	Velocity float64
	// Label is the annotation's note type when given ("New Point").
	Label string
}

// DecodeBass reads a walking-bass file (Abeßer et al., 2017): headerless
// rows of onset and duration in seconds, MIDI pitch, velocity 0..1 and an
// optional label.
func DecodeBass(r io.Reader) ([]BassNote, error) { return Decoder{}.DecodeBass(r) }

// DecodeBassBytes is DecodeBass on a file in memory.
func DecodeBassBytes(data []byte) ([]BassNote, error) { return Decoder{}.DecodeBassBytes(data) }

// DecodeBass is the package's DecodeBass for the file d names.
func (d Decoder) DecodeBass(r io.Reader) ([]BassNote, error) {
	data, err := readAll(r, d.file("csv_bass", "bass"))
	if err != nil {
		return nil, err
	}
	return d.DecodeBassBytes(data)
}

// DecodeBassBytes is DecodeBass on a file in memory.
func (d Decoder) DecodeBassBytes(data []byte) ([]BassNote, error) {
	name := d.file("csv_bass", "bass")
	if err := format.CheckSize(len(data)); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	t := newTable(name, data)
	var notes []BassNote
	var err error
	for t.next() {
		if len(t.fields) < 4 || len(t.fields) > 5 {
			return nil, t.errf("%d fields, want onset,pitch,duration,velocity[,label]", len(t.fields))
		}
		var n BassNote
		var pitch int
		if n.Onset, err = t.float(0, "onset"); err != nil {
			return nil, err
		}
		if pitch, err = t.int(1, "pitch"); err != nil {
			return nil, err
		}
		if n.Duration, err = t.float(2, "duration"); err != nil {
			return nil, err
		}
		if n.Velocity, err = t.float(3, "velocity"); err != nil {
			return nil, err
		}
		if pitch < 0 || pitch > 127 {
			return nil, t.errf("pitch %d is not a MIDI key", pitch)
		}
		if n.Onset < 0 || n.Duration < 0 || math.IsNaN(n.Onset+n.Duration+n.Velocity) || math.IsInf(n.Onset+n.Duration, 0) {
			return nil, t.errf("onset %v, duration %v, velocity %v", n.Onset, n.Duration, n.Velocity)
		}
		n.Pitch = uint8(pitch)
		if len(t.fields) == 5 {
			n.Label = strings.TrimSpace(string(t.fields[4]))
		}
		notes = append(notes, n)
	}
	return notes, nil
}
