package wjazzd

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path"
	"strings"
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

// DecodeSolo reads a solo's melody and beat files. Errors name the files
// by the readers' names when they have them (an *os.File), else "melody"
// and "beats".
func DecodeSolo(melody, beats io.Reader) (*Solo, error) {
	m, err := readAll(melody)
	if err != nil {
		return nil, err
	}
	b, err := readAll(beats)
	if err != nil {
		return nil, err
	}
	return DecodeSoloBytes(nameOf(melody, "melody"), m, nameOf(beats, "beats"), b)
}

func nameOf(r io.Reader, def string) string {
	if n, ok := r.(interface{ Name() string }); ok && n.Name() != "" {
		return n.Name()
	}
	return def
}

// DecodeSoloBytes is DecodeSolo on byte slices, with the files' names.
func DecodeSoloBytes(melodyName string, melody []byte, beatsName string, beats []byte) (*Solo, error) {
	notes, err := decodeMelody(melodyName, melody)
	if err != nil {
		return nil, err
	}
	bs, err := decodeBeats(beatsName, beats)
	if err != nil {
		return nil, err
	}
	return &Solo{Name: path.Base(melodyName), Notes: notes, Beats: bs}, nil
}

// DecodeMelody reads a melody file alone.
func DecodeMelody(r io.Reader) ([]Note, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return decodeMelody(nameOf(r, "melody"), data)
}

var melodyColumns = []string{"bar", "beat", "beatdur", "denom", "division", "duration", "num", "onset", "period", "pitch", "subtatum", "tatum"}

func decodeMelody(name string, data []byte) ([]Note, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
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
func DecodeBeats(r io.Reader) ([]Beat, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return decodeBeats(nameOf(r, "beats"), data)
}

var beatColumns = []string{"bar", "bass_pitch", "beat", "chord", "chorus_id", "form", "onset", "signature"}

func decodeBeats(name string, data []byte) ([]Beat, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
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
func DecodeBass(r io.Reader) ([]BassNote, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return DecodeBassBytes(nameOf(r, "bass"), data)
}

// DecodeBassBytes is DecodeBass on a byte slice.
func DecodeBassBytes(name string, data []byte) ([]BassNote, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
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
