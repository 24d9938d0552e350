package wjazzd

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"sideman/internal/quote"
	"sideman/music"
)

// Meta is one solo's row of the metadata table (wjd_meta): who plays what
// over which tune, and how.
type Meta struct {
	MelID int    // the solo's number, 1..456
	ID    string // the solo's file in the original database ("ArtPepper_Anthropology_FINAL.sv")

	Performer, Instrument string // "Art Pepper", "cl" (ts, as, tp, tb, ...)
	Title, FullTitle      string
	Composer              string
	Key                   string // "Bb-maj", "C-min", "D-chrom"; see KeyOf
	Style                 string // BEBOP, COOL, HARDBOP, POSTBOP, ...
	RhythmFeel            string // SWING, LATIN, FUNK, TWOBEAT, BALLAD
	TempoClass            string
	Signature             string // "4/4"
	Form                  string // "(A1,8), (A2,8), (B1,8), (A3,8)"
	ChordChanges          string // the lead sheet as text
	HarmonyTemplate       string // "I Got Rhythm"
	TonalityType          string
	Genre                 string
	Lineup                string
	RecordTitle, Label    string
	RecordingDate         string
	RecordingYear         int
	AvgTempo              float64 // beats a minute
	NumberNotes           int
	ChorusCount           int
	SoloStart             float64 // seconds into the recording
}

// DecodeMeta reads the metadata table as written by R's write.csv (quoted
// fields, some with line breaks), gzipped (wjd_meta.csv.gz) or not.
func DecodeMeta(r io.Reader) ([]Meta, error) {
	const name = "wjd_meta.csv"
	br := bufio.NewReader(r)
	var in io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &ParseError{File: name, Err: err}
		}
		defer zr.Close()
		in = zr
	}
	data, err := readAll(in, name)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	header, err := cr.Read()
	if err != nil {
		return nil, &ParseError{File: name, Row: 1, Err: err}
	}
	col, err := columns(name, header, "melid", "performer", "title")
	if err != nil {
		return nil, err
	}
	var out []Meta
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &ParseError{File: name, Row: line, Err: err}
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		num := func(k string) (float64, error) {
			s := get(k)
			if s == "" || s == "NA" {
				return 0, nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, &ParseError{File: name, Row: line, Err: fmt.Errorf("%s %s: not a number", k, quote.Input(s))}
			}
			return v, nil
		}
		m := Meta{
			ID: get("id"), Performer: get("performer"), Instrument: get("instrument"),
			Title: get("title"), FullTitle: get("full_title"), Composer: get("composer"),
			Key: get("key"), Style: get("style"), RhythmFeel: get("rhythmfeel"), TempoClass: get("tempoclass"),
			Signature: get("signature"), Form: get("form"), ChordChanges: get("chord_changes"),
			HarmonyTemplate: get("harmony_template"), TonalityType: get("tonality_type"), Genre: get("genre"),
			Lineup: get("lineup"), RecordTitle: get("recordtitle"), Label: get("label"), RecordingDate: get("recordingdate"),
		}
		var f [6]float64
		for i, k := range []string{"melid", "recordingyear", "avgtempo", "number_notes", "chorus_count", "solostart"} {
			if f[i], err = num(k); err != nil {
				return nil, err
			}
		}
		m.MelID, m.RecordingYear, m.AvgTempo = int(f[0]), int(f[1]), f[2]
		m.NumberNotes, m.ChorusCount, m.SoloStart = int(f[3]), int(f[4]), f[5]
		if m.ID == "" {
			m.ID = get("filename_sv")
		}
		out = append(out, m)
	}
}

// KeyOf reads the table's key ("Bb-maj", "C-min", "D-dor", "Ab-mix"); it
// reports false for keys that are no key of music.Key ("D-chrom",
// "Bb-blues") and for none.
func (m *Meta) KeyOf() (music.Key, bool) {
	tonic, mode, _ := strings.Cut(m.Key, "-")
	sp, n, err := music.ParseSpelling(tonic)
	if err != nil || n != len(tonic) || tonic[0] < 'A' || tonic[0] > 'G' {
		return music.Key{}, false
	}
	k := music.Key{Tonic: sp}
	md, ok := music.ParseMode(mode)
	if !ok || mode == "m" || mode == "-" {
		return music.Key{}, false
	}
	k.Mode = md
	return k, true
}

// IndexEntry is one row of wjd_file_index.csv: a solo's number, its file
// in the original database, its melody file in the CSV export and the
// number of notes that file has.
type IndexEntry struct {
	MelID    int
	WJDID    string
	CSVName  string
	NoteRows int
}

// DecodeIndex reads wjd_file_index.csv (melid,wjd_id,csv_name,csv_note_rows).
func DecodeIndex(r io.Reader) ([]IndexEntry, error) {
	const name = "wjd_file_index.csv"
	data, err := readAll(r, name)
	if err != nil {
		return nil, err
	}
	// A few names hold commas and are quoted: encoding/csv.
	cr := csv.NewReader(bytes.NewReader(data))
	header, err := cr.Read()
	if err != nil {
		return nil, &ParseError{File: name, Row: 1, Err: err}
	}
	col, err := columns(name, header, "melid", "wjd_id", "csv_name", "csv_note_rows")
	if err != nil {
		return nil, err
	}
	var out []IndexEntry
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, &ParseError{File: name, Row: line, Err: err}
		}
		if len(rec) <= max(col["melid"], col["wjd_id"], col["csv_name"], col["csv_note_rows"]) {
			return nil, &ParseError{File: name, Row: line, Err: fmt.Errorf("%d fields", len(rec))}
		}
		e := IndexEntry{WJDID: rec[col["wjd_id"]], CSVName: rec[col["csv_name"]]}
		if e.MelID, err = strconv.Atoi(rec[col["melid"]]); err != nil {
			return nil, &ParseError{File: name, Row: line, Err: fmt.Errorf("melid %s: not a number", quote.Input(rec[col["melid"]]))}
		}
		if e.NoteRows, err = strconv.Atoi(rec[col["csv_note_rows"]]); err != nil {
			return nil, &ParseError{File: name, Row: line, Err: fmt.Errorf("csv_note_rows %s: not a number", quote.Input(rec[col["csv_note_rows"]]))}
		}
		out = append(out, e)
	}
}

// columns maps a CSV header's names to their indexes and checks that the
// needed ones are there.
func columns(name string, header []string, need ...string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, &ParseError{File: name, Row: 1, Err: fmt.Errorf("%w %s", ErrColumn, quote.Input(n))}
		}
	}
	return col, nil
}
