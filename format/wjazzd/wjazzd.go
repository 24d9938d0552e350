// Package wjazzd reads the Weimar Jazz Database (WJazzD, Jazzomat Research
// Project, Hochschule für Musik Weimar; Pfleiderer, Frieler, Abeßer, Zaddach
// and Burkhart (eds.), Inside the Jazzomat, 2017) in its CSV export: 456
// monophonic jazz solos transcribed over their recordings, with the beats
// tapped along, the chords and form, walking-bass lines under 40 of them,
// and metadata on every solo.
//
// The export has one melody file and one beat file a solo:
//
//	csv_melody/<Performer>_<Title>_Solo.csv
//	  bar,beat,beatdur,denom,division,duration,num,onset,period,pitch,subtatum,tatum
//	csv_beats/<Performer>_<Title>_Solo.csv
//	  bar,bass_pitch,beat,chord,chorus_id,form,onset,signature
//
// with onsets and durations in seconds of the recording. DecodeSolo reads
// a pair into a Solo; the beat file's chord, form and signature columns,
// written only where they change, are filled forward. The walking bass
// lines (csv_bass, headerless onset,pitch,duration,velocity[,label]) are
// read by DecodeBass, the metadata table (wjd_meta) by DecodeMeta, and the
// index of melody ids to file names by DecodeIndex.
//
// Solo.Piece places the notes on sideman's tick grid through the beat
// track: every tapped beat is one beat of the signature (a quarter in 4/4),
// the tempo map follows the beats so that ticks convert back to the
// recording's seconds, and an onset between two beats falls between their
// ticks in proportion, which keeps the player's micro-timing. Solo.Chart is
// the changes as a chart, bars and beats from the beat track, with the
// solo written in its bars.
//
// The CSV files are read with a small parser of their own: the melody and
// beat files have no quoting, and the whole database reads in a fraction
// of a second. The metadata, which quotes fields with line breaks, goes
// through encoding/csv.
package wjazzd

import (
	"errors"
	"fmt"
)

// Errors wrapped by ParseError, for errors.Is; input over format.MaxSize
// bytes wraps format.ErrTooLarge.
var (
	// ErrColumn is wrapped when a header lacks a column the file needs.
	ErrColumn = errors.New("missing column")
	// ErrBeats is wrapped when the beat track cannot place notes: no two
	// beats, or beats that do not move forward.
	ErrBeats = errors.New("unusable beat track")
)

// ParseError is an error in a file at a row (1-based, the header being
// row 1; 0 when the error is about the whole file).
type ParseError struct {
	File string
	Row  int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("wjazzd: file %s: row %d: %v", e.File, e.Row, e.Err)
	}
	return fmt.Sprintf("wjazzd: file %s: %v", e.File, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }
