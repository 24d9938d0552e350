// Package load opens whatever a musician hands sideman — a chart file, an
// iReal Pro link or playlist, the JazzStandards collection, a lead sheet
// (ABC, MusicXML, Impro-Visor), a Humdrum score, a MIDI file, or a folder
// or .tar.gz archive of such files — and returns it as music values. It
// picks the format from the name and the first bytes, so commands and the
// studio need not know the formats.
//
// A folder or archive is a collection read as an fs.FS (os.DirFS, or
// internal/tarfs for a .tar.gz) one member at a time: Members and
// Collection yield them as an iterator, for a caller that streams a
// corpus; Open collects them into one Document.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sideman/format"
	"sideman/format/abc"
	"sideman/format/chart"
	"sideman/format/ireal"
	"sideman/format/jazzstd"
	"sideman/format/kern"
	"sideman/format/ls"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/internal/suggest"
	"sideman/music"
)

// MaxSize is the largest single input read, in bytes: the formats' limit.
const MaxSize = format.MaxSize

// Format names, as reported by `sideman inspect`.
const (
	FormatChart      = "chart"
	FormatIReal      = "ireal"
	FormatJazzStd    = "jazzstandards"
	FormatMIDI       = "midi"
	FormatABC        = "abc"
	FormatMusicXML   = "musicxml"
	FormatLS         = "impro-visor"
	FormatKern       = "kern"
	FormatCollection = "collection"
)

// Document is one opened input: chord charts and lead sheets (Charts), or
// a MIDI file (Piece and MIDI), or a collection of such documents.
type Document struct {
	Format string
	Name   string // the path or link as given
	// Charts are the tunes: chord charts, and lead sheets whose bars hold
	// notes as well. For a collection, the tunes of all members in order.
	Charts []*music.Chart
	// Piece and MIDI are set for a MIDI file; MIDI keeps the file as read.
	Piece *music.Piece
	MIDI  *midi.File
	// Members are the documents of a folder or archive, in name order.
	Members []*Document
	// Warnings are tunes or files that could not be read while the rest
	// could; each is one line naming the file and the position.
	Warnings []error
}

// InputError is an input sideman cannot read: missing, too large, or
// malformed. It is the input's fault, not sideman's: package project
// counts it bad input, or not found when the file is missing
// (fs.ErrNotExist).
type InputError struct {
	Name string
	Err  error
}

func (e *InputError) Error() string { return e.Name + ": " + firstLine(e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// firstLine keeps the first error of a joined error: one line for the user.
func firstLine(err error) string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := j.Unwrap(); len(errs) > 0 {
			s := errs[0].Error()
			if len(errs) > 1 {
				s += fmt.Sprintf(" (and %d more)", len(errs)-1)
			}
			return s
		}
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// IsLink reports whether s is an iReal Pro link rather than a path.
func IsLink(s string) bool {
	return strings.HasPrefix(s, "irealb://") || strings.HasPrefix(s, "irealbook://")
}

// Options change how a document is read. The zero value reads as Open and
// Bytes do.
type Options struct {
	// IDs numbers the notes read, so that a project's notes share no id:
	// a MIDI file's notes (those sideman recorded in the file keep their
	// ids, and IDs skips past them) and the notes written in a lead sheet,
	// tune by tune in bar order, the members of a folder or an archive in
	// the order it yields them. The decoders number nothing (music.IDs
	// says who does): each note is numbered once, here. Nil takes ids
	// keyed by the name read (music.IDsFor), the same each time it is
	// read, one allocator for all the members of a collection.
	IDs *music.IDs
}

// Open reads a file, a folder, a .tar.gz archive, or an iReal Pro link
// given directly.
func Open(name string) (*Document, error) { return Options{}.Open(name) }

// Open is the package's Open with these options.
func (o Options) Open(name string) (*Document, error) {
	o = o.withIDs(name)
	if IsLink(name) {
		return o.Bytes(name, []byte(name))
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, &InputError{name, errors.Unwrap(err)}
	}
	if st.IsDir() {
		return o.openCollection(name)
	}
	if err := regular(name, st); err != nil {
		return nil, err
	}
	if isArchive(name) {
		return o.openCollection(name)
	}
	data, err := readFile(name)
	if err != nil {
		return nil, err
	}
	return o.Bytes(name, data)
}

// withIDs is o with the ids what it reads is numbered from: o.IDs, or
// ids keyed by the name read.
func (o Options) withIDs(name string) Options {
	if o.IDs == nil {
		o.IDs = music.IDsFor("read\x00" + name)
	}
	return o
}

// OpenFile opens a named input for reading: a regular file, or a link to
// one. Anything else (a FIFO, a device, a socket, a folder) is refused
// with an *InputError before it is opened, so that a FIFO cannot block a
// command and /dev/zero cannot fill its memory. Commands open every file
// they are given by name through it (.feel, .style, corpora).
func OpenFile(name string) (*os.File, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &InputError{name, errors.Unwrap(err)}
	}
	if err := regular(name, st); err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, &InputError{name, errors.Unwrap(err)}
	}
	// The file may have been replaced between Stat and Open.
	if st, err = f.Stat(); err == nil {
		err = regular(name, st)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// regular refuses what is not a regular file, saying what it is.
func regular(name string, st fs.FileInfo) error {
	m := st.Mode()
	var what string
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file (" + m.Type().String() + ")"
		return &InputError{name, errors.New("is " + what)}
	}
	return &InputError{name, fmt.Errorf("is %s, not a file sideman reads", what)}
}

func readFile(name string) ([]byte, error) {
	f, err := OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Sized once from the file's length (io.ReadAll's doubling allocates
	// about twice a large file), read to MaxSize+1 whatever it says.
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() <= MaxSize {
		size = st.Size()
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSize+1)); err != nil {
		return nil, &InputError{name, err}
	}
	if buf.Len() > MaxSize {
		return nil, &InputError{name, fmt.Errorf("larger than %d MiB", MaxSize>>20)}
	}
	return buf.Bytes(), nil
}

// Detect picks a format from the file name and its first bytes; "" when
// neither says.
func Detect(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".mid", ".midi", ".smf", ".kar", ".rmi":
		return FormatMIDI
	case ".chart":
		return FormatChart
	case ".json":
		return FormatJazzStd
	case ".abc":
		return FormatABC
	case ".musicxml", ".xml", ".mxl":
		return FormatMusicXML
	case ".ls":
		return FormatLS
	case ".krn":
		return FormatKern
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	trimmed := bytes.TrimSpace(head)
	switch {
	case bytes.HasPrefix(data, []byte("MThd")) || bytes.HasPrefix(data, []byte("RIFF")):
		return FormatMIDI
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.Contains(head, []byte("<score-partwise")) || bytes.Contains(head, []byte("<score-timewise")):
		return FormatMusicXML
	case bytes.Contains(head, []byte("irealb://")) || bytes.Contains(head, []byte("irealbook://")):
		return FormatIReal
	case len(trimmed) > 0 && trimmed[0] == '[' && bytes.Contains(head, []byte(`"Title"`)):
		return FormatJazzStd
	case bytes.HasPrefix(trimmed, []byte("X:")) || bytes.Contains(head, []byte("\nX:")):
		return FormatABC
	case bytes.Contains(head, []byte("**kern")):
		return FormatKern
	case bytes.HasPrefix(trimmed, []byte("(title")) || bytes.Contains(head, []byte("(composer ")) && bytes.Contains(head, []byte("(meter ")):
		return FormatLS
	}
	return ""
}

// Bytes decodes one input held in memory; name is its path or link.
func Bytes(name string, data []byte) (*Document, error) { return Options{}.Bytes(name, data) }

// Bytes is the package's Bytes with these options.
func (o Options) Bytes(name string, data []byte) (*Document, error) {
	o = o.withIDs(name)
	format := Detect(name, data)
	if IsLink(name) {
		format = FormatIReal
	}
	if format == "" {
		format = FormatChart // our own text format is the fallback
	}
	doc := &Document{Format: format, Name: name}
	source := filepath.Base(name)
	var err error
	switch format {
	case FormatChart:
		doc.Charts, err = chart.DecodeBytes(data)
	case FormatJazzStd:
		doc.Charts, err = jazzstd.DecodeBytes(data)
	case FormatIReal:
		var pl *ireal.Playlist
		pl, err = ireal.DecodeBytes(extractLink(data))
		if pl != nil {
			doc.Charts = pl.Charts
		}
	case FormatABC:
		doc.Charts, err = abc.Decoder{Source: source}.DecodeBytes(data)
	case FormatMusicXML:
		var c *music.Chart
		if c, err = (musicxml.Decoder{Source: source}).DecodeBytes(data); c != nil {
			doc.Charts = []*music.Chart{c}
		}
	case FormatLS:
		var c *music.Chart
		if c, err = (ls.Decoder{Source: source}).DecodeBytes(data); c != nil {
			doc.Charts = []*music.Chart{c}
		}
	case FormatKern:
		var c *music.Chart
		if c, err = (kern.Decoder{Source: source}).DecodeBytes(data); c != nil {
			doc.Charts = []*music.Chart{c}
		}
	case FormatMIDI:
		doc.MIDI, err = midi.DecodeBytes(data)
		if err == nil {
			// Notes keep the ids and Origins sideman recorded in the file,
			// so converting or analysing its own output keeps authorship;
			// the records claim no more than the file's source does.
			doc.Piece = midi.PieceOptions{Provenance: true, IDs: o.IDs}.ToPiece(doc.MIDI, source)
			// Every command reads MIDI here: a piece longer than sideman
			// plays is refused before anything is sized by its length.
			if err = music.CheckLength(doc.Piece); err != nil {
				doc.Piece, doc.MIDI = nil, nil
			}
		}
	}
	if len(doc.Charts) == 1 && doc.Charts[0].Title == "" && format != FormatChart {
		// A score without a title (vienna4x22's MusicXML) is called by its
		// file name, so it can be listed and picked.
		doc.Charts[0].Title = strings.TrimSuffix(source, filepath.Ext(source))
	}
	if err != nil && len(doc.Charts) == 0 {
		return nil, &InputError{name, err}
	}
	if err != nil {
		// A collection with some bad tunes still gives the good ones.
		doc.Warnings = append(doc.Warnings, &InputError{name, err})
	}
	for _, c := range doc.Charts {
		o.IDs.NumberChart(c)
		NameMelody(c)
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
	// In a web page the link ends at the quote that opened it; a bare link
	// ends at white space (its titles may hold an apostrophe: 'S Wonderful).
	stop := " \t\r\n<>\""
	if i > 0 && (data[i-1] == '"' || data[i-1] == '\'') {
		stop = string(data[i-1]) + " \t\r\n"
	}
	if j := bytes.IndexAny(rest, stop); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// Tune picks one chart by title (case-insensitive, exact) or by index
// (0-based, as `sideman charts` lists them). An unknown or ambiguous title
// is an InputError that lists the candidates.
func (d *Document) Tune(sel string) (*music.Chart, error) {
	if len(d.Charts) == 0 {
		return nil, &InputError{d.Name, errors.New("holds no chord charts or lead sheets")}
	}
	if sel == "" {
		if len(d.Charts) == 1 {
			return d.Charts[0], nil
		}
		return nil, &InputError{d.Name, &ChoiceError{Tunes: len(d.Charts)}}
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
	if len(found) == 0 {
		// iReal Pro files the article last ("Girl From Ipanema, The"),
		// a musician says it first: the same title either way.
		want := TitleKey(sel)
		for i, c := range d.Charts {
			if TitleKey(c.Title) == want {
				found = append(found, i)
			}
		}
	}
	switch len(found) {
	case 1:
		return d.Charts[found[0]], nil
	case 0:
		// A slip of the keys ("Autum Leaves") gets the title meant; a
		// word of titles ("Autumn") the titles holding it, below.
		titles := make([]string, len(d.Charts))
		part := false
		for i, c := range d.Charts {
			titles[i] = c.Title
			part = part || strings.Contains(strings.ToLower(c.Title), strings.ToLower(strings.TrimSpace(sel)))
		}
		if near := suggest.Closest(sel, titles); len(near) > 0 && !part {
			return nil, &InputError{d.Name, fmt.Errorf("no tune titled %q; %s", sel, suggest.Phrase(near, strconv.Quote))}
		}
		return nil, &InputError{d.Name, fmt.Errorf("no tune titled %q; candidates: %s", sel, candidates(d.Charts, sel))}
	}
	var list []string
	for _, i := range found {
		list = append(list, fmt.Sprintf("%d %q (%s)", i, d.Charts[i].Title, d.Charts[i].Composer))
	}
	return nil, &InputError{d.Name, fmt.Errorf("%d tunes titled %q; choose by index: %s", len(found), sel, strings.Join(list, ", "))}
}

// ChoiceError is Tune asked for no tune of a document holding several:
// the caller says how to choose (a flag, a list to click).
type ChoiceError struct{ Tunes int }

func (e *ChoiceError) Error() string {
	return fmt.Sprintf("holds %d tunes; choose one by title or index", e.Tunes)
}

// TitleKey is a title as Tune compares it: lower case, spaces collapsed,
// a leading or trailing article ("The", "A", "An"; "Girl From Ipanema,
// The") left out.
func TitleKey(title string) string {
	words := strings.Fields(strings.ToLower(title))
	article := func(w string) bool { return w == "the" || w == "a" || w == "an" }
	if n := len(words); n > 1 && article(words[n-1]) && strings.HasSuffix(words[n-2], ",") {
		words[n-2] = strings.TrimSuffix(words[n-2], ",")
		words = words[:n-1]
	} else if n > 1 && article(words[0]) {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// candidates lists titles that contain the asked-for words, or the first
// few titles when none do.
func candidates(charts []*music.Chart, sel string) string {
	want := strings.ToLower(sel)
	var list []string
	for i, c := range charts {
		t := strings.ToLower(c.Title)
		if t != "" && (strings.Contains(t, want) || strings.Contains(want, t)) {
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
