// Package load opens whatever a musician hands sideman — a chart file, an
// iReal Pro link or playlist, the JazzStandards collection, a MIDI file —
// and returns it as music values. It picks the format from the name and
// the first bytes, so commands and the studio need not know the formats.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sideman/format/chart"
	"sideman/format/ireal"
	"sideman/format/jazzstd"
	"sideman/format/midi"
	"sideman/music"
)

// MaxSize is the largest input read, in bytes.
const MaxSize = 64 << 20

// Format names, as reported by `sideman inspect`.
const (
	FormatChart   = "chart"
	FormatIReal   = "ireal"
	FormatJazzStd = "jazzstandards"
	FormatMIDI    = "midi"
)

// Document is one opened input: chord charts, or notes, or both.
type Document struct {
	Format string
	Name   string // the path or link as given
	Charts []*music.Chart
	// Piece and MIDI are set for note data; MIDI keeps the file as read.
	Piece *music.Piece
	MIDI  *midi.File
}

// InputError is an input sideman cannot read: missing, too large, or
// malformed. Commands report it in one line and exit with status 2.
type InputError struct {
	Name string
	Err  error
}

func (e *InputError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// IsLink reports whether s is an iReal Pro link rather than a path.
func IsLink(s string) bool {
	return strings.HasPrefix(s, "irealb://") || strings.HasPrefix(s, "irealbook://")
}

// Open reads a file, or an iReal Pro link given directly.
func Open(name string) (*Document, error) {
	if IsLink(name) {
		return decode(name, FormatIReal, []byte(name))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, &InputError{name, errors.Unwrap(err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &InputError{name, errors.New("is a directory")}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &InputError{name, err}
	}
	if len(data) > MaxSize {
		return nil, &InputError{name, fmt.Errorf("larger than %d MiB", MaxSize>>20)}
	}
	return decode(name, Detect(name, data), data)
}

// Detect picks a format from the file name and its first bytes.
func Detect(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".mid", ".midi", ".smf", ".kar", ".rmi":
		return FormatMIDI
	case ".chart":
		return FormatChart
	case ".json":
		return FormatJazzStd
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	switch {
	case bytes.HasPrefix(data, []byte("MThd")) || bytes.HasPrefix(data, []byte("RIFF")):
		return FormatMIDI
	case bytes.Contains(head, []byte("irealb://")) || bytes.Contains(head, []byte("irealbook://")):
		return FormatIReal
	case len(bytes.TrimSpace(head)) > 0 && (bytes.TrimSpace(head)[0] == '[' && bytes.Contains(head, []byte("\"Title\""))):
		return FormatJazzStd
	}
	return FormatChart
}

func decode(name, format string, data []byte) (*Document, error) {
	doc := &Document{Format: format, Name: name}
	var err error
	switch format {
	case FormatChart:
		doc.Charts, err = chart.DecodeBytes(data)
	case FormatJazzStd:
		doc.Charts, err = jazzstd.Decode(bytes.NewReader(data))
	case FormatIReal:
		var pl *ireal.Playlist
		pl, err = ireal.Decode(bytes.NewReader(extractLink(data)))
		if pl != nil {
			doc.Charts = pl.Charts
		}
	case FormatMIDI:
		doc.MIDI, err = midi.DecodeBytes(data)
		if err == nil {
			doc.Piece = midi.ToPiece(doc.MIDI, name)
		}
	}
	if err != nil {
		return nil, &InputError{name, err}
	}
	return doc, nil
}

// extractLink finds the iReal link in a playlist file, which may be a bare
// link or a web page holding one.
func extractLink(data []byte) []byte {
	i := bytes.Index(data, []byte("irealb"))
	if i < 0 {
		return data
	}
	rest := data[i:]
	if j := bytes.IndexAny(rest, "\"'<> \t\r\n"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// Tune picks one chart by title (case-insensitive, exact) or by index
// (0-based, as `sideman charts` lists them). An unknown or ambiguous title
// is an InputError that lists the candidates.
func (d *Document) Tune(sel string) (*music.Chart, error) {
	if len(d.Charts) == 0 {
		return nil, &InputError{d.Name, errors.New("holds no chord charts")}
	}
	if sel == "" {
		if len(d.Charts) == 1 {
			return d.Charts[0], nil
		}
		return nil, &InputError{d.Name, fmt.Errorf("holds %d tunes; choose one with --tune TITLE or INDEX (see sideman charts)", len(d.Charts))}
	}
	if i, err := strconv.Atoi(sel); err == nil {
		if i < 0 || i >= len(d.Charts) {
			return nil, &InputError{d.Name, fmt.Errorf("tune index %d out of range 0..%d", i, len(d.Charts)-1)}
		}
		return d.Charts[i], nil
	}
	var found []int
	for i, c := range d.Charts {
		if strings.EqualFold(strings.TrimSpace(c.Title), strings.TrimSpace(sel)) {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 1:
		return d.Charts[found[0]], nil
	case 0:
		return nil, &InputError{d.Name, fmt.Errorf("no tune titled %q; candidates: %s", sel, candidates(d.Charts, sel))}
	}
	var list []string
	for _, i := range found {
		list = append(list, fmt.Sprintf("%d %q (%s)", i, d.Charts[i].Title, d.Charts[i].Composer))
	}
	return nil, &InputError{d.Name, fmt.Errorf("%d tunes titled %q; choose by index: %s", len(found), sel, strings.Join(list, ", "))}
}

// candidates lists titles that contain the asked-for words, or the first
// few titles when none do.
func candidates(charts []*music.Chart, sel string) string {
	want := strings.ToLower(sel)
	var list []string
	for i, c := range charts {
		t := strings.ToLower(c.Title)
		if strings.Contains(t, want) || strings.Contains(want, t) && t != "" {
			list = append(list, fmt.Sprintf("%d %q", i, c.Title))
		}
	}
	if len(list) == 0 {
		for i, c := range charts {
			if i == 10 {
				list = append(list, "...")
				break
			}
			list = append(list, fmt.Sprintf("%d %q", i, c.Title))
		}
	}
	if len(list) > 20 {
		list = append(list[:20], "...")
	}
	return strings.Join(list, ", ")
}
