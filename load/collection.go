package load

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"

	"sideman/format/midi"
	"sideman/music"
)

// Limits on collections: a folder or archive bigger than this is refused
// rather than read into memory. A collection's members are kept decoded
// (a Document holds them all), so what counts is what they decode to, not
// their bytes: a MIDI file of repeated notes compresses a thousandfold and
// decodes to about 16 times its size (MaxDecodedSize). docs/limits.md
// lists what the largest real corpora decode to.
const (
	// MaxMembers is the most files a collection holds.
	MaxMembers = 100000
	// MaxCollectionSize bounds the members' bytes as read (uncompressed).
	MaxCollectionSize = 1 << 30
	// MaxDecodedSize bounds what the members decode to (decodedSize):
	// the notes, events, bars and chords held, and the bytes a decoded
	// MIDI file keeps.
	MaxDecodedSize = 512 << 20
	// MaxArchiveSize bounds the bytes inflated from a .tar.gz, members
	// sideman skips included, so a small archive costs little time.
	MaxArchiveSize = 4 << 30
)

func isArchive(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".tgz")
}

// member reports whether a file inside a collection is one sideman reads:
// it must have a known extension (a folder holds other files too).
func member(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "._") {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".mid", ".midi", ".kar", ".chart", ".abc", ".musicxml", ".xml", ".mxl", ".ls", ".krn":
		return true
	}
	return false
}

// collection gathers member documents; files that fail to read become
// warnings, so one bad file does not hide a thousand good ones.
type collection struct {
	doc     *Document
	total   int64 // bytes read
	decoded int64 // decodedSize of the members
}

func (c *collection) add(name string, data []byte) error {
	if len(c.doc.Members) >= MaxMembers {
		return &InputError{c.doc.Name, fmt.Errorf("more than %d files", MaxMembers)}
	}
	c.total += int64(len(data))
	if c.total > MaxCollectionSize {
		return &InputError{c.doc.Name, fmt.Errorf("more than %d MiB of files", MaxCollectionSize>>20)}
	}
	tooMuch := func() error {
		at := strings.TrimLeft(strings.TrimPrefix(name, c.doc.Name), ":/"+string(filepath.Separator))
		return &InputError{c.doc.Name, fmt.Errorf("its files decode to more than the %d MiB sideman holds (at %s)", MaxDecodedSize>>20, at)}
	}
	// A MIDI file has no limit on its notes but its bytes: one that
	// could pass the limit is refused before it is decoded.
	if Detect(name, data) == FormatMIDI && c.decoded+maxMIDIDecoded*int64(len(data)) > MaxDecodedSize {
		return tooMuch()
	}
	m, err := Bytes(name, data)
	if err != nil {
		c.doc.Warnings = append(c.doc.Warnings, err)
		return nil
	}
	c.decoded += decodedSize(m, len(data))
	if c.decoded > MaxDecodedSize {
		return tooMuch()
	}
	c.doc.Members = append(c.doc.Members, m)
	c.doc.Charts = append(c.doc.Charts, m.Charts...)
	c.doc.Warnings = append(c.doc.Warnings, m.Warnings...)
	return nil
}

// finish names the collection's format: the members' when they share one.
func (c *collection) finish() (*Document, error) {
	d := c.doc
	if len(d.Members) == 0 {
		if len(d.Warnings) > 0 {
			return nil, &InputError{d.Name, fmt.Errorf("no file could be read; first: %v", d.Warnings[0])}
		}
		return nil, &InputError{d.Name, errors.New("holds no file sideman reads (.chart, .abc, .musicxml, .mxl, .ls, .krn, .mid)")}
	}
	d.Format = d.Members[0].Format
	for _, m := range d.Members[1:] {
		if m.Format != d.Format {
			d.Format = FormatCollection
			break
		}
	}
	return d, nil
}

func openDir(root string) (*Document, error) {
	c := &collection{doc: &Document{Name: root}}
	var names []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && member(p) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, &InputError{root, err}
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := readFile(n)
		if err != nil {
			c.doc.Warnings = append(c.doc.Warnings, err)
			continue
		}
		if err := c.add(n, data); err != nil {
			return nil, err
		}
	}
	return c.finish()
}

func openArchive(name string) (*Document, error) {
	f, err := OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, &InputError{name, fmt.Errorf("not a gzip archive: %v", err)}
	}
	c := &collection{doc: &Document{Name: name}}
	in := &inflated{r: zr, left: MaxArchiveSize}
	tr := tar.NewReader(in)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errInflated) {
			return nil, &InputError{name, err}
		}
		if err != nil {
			return nil, &InputError{name, fmt.Errorf("tar: %v", err)}
		}
		if h.Typeflag != tar.TypeReg || !member(h.Name) {
			continue
		}
		if h.Size > MaxSize {
			c.doc.Warnings = append(c.doc.Warnings, &InputError{name + ":" + h.Name, fmt.Errorf("larger than %d MiB", MaxSize>>20)})
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, MaxSize+1))
		if errors.Is(err, errInflated) {
			return nil, &InputError{name, err}
		}
		if err != nil {
			return nil, &InputError{name, fmt.Errorf("%s: %v", h.Name, err)}
		}
		if err := c.add(name+":"+h.Name, data); err != nil {
			return nil, err
		}
	}
	// The gzip checksum and length come after the last tar block: read
	// the stream to its end so that a corrupted archive is refused.
	if _, err := io.Copy(io.Discard, in); errors.Is(err, errInflated) {
		return nil, &InputError{name, err}
	} else if err != nil {
		return nil, &InputError{name, err} // "gzip: invalid checksum"
	}
	// Archives list files in any order; name order makes indexes stable.
	sort.SliceStable(c.doc.Members, func(i, j int) bool { return c.doc.Members[i].Name < c.doc.Members[j].Name })
	c.doc.Charts = c.doc.Charts[:0]
	for _, m := range c.doc.Members {
		c.doc.Charts = append(c.doc.Charts, m.Charts...)
	}
	return c.finish()
}

var errInflated = fmt.Errorf("inflates to more than %d GiB", MaxArchiveSize>>30)

// inflated counts the bytes inflated from an archive, failing past left.
type inflated struct {
	r    io.Reader
	left int64
}

func (r *inflated) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, errInflated
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	return n, err
}

// maxMIDIDecoded is the most a MIDI file decodes to, in decodedSize, per
// byte: a note-on in running status is 3 bytes, and becomes a 16-byte
// event and a 56-byte note, which with the bytes kept make 25.
const maxMIDIDecoded = 25

// decodedSize is what a decoded document holds in memory, in bytes, as
// the Go sizes of its values: the events, notes, bars, chords and text.
// raw is the size of the input, which a decoded MIDI file keeps (its
// events' payloads point into it).
func decodedSize(d *Document, raw int) int64 {
	var n int64
	if d.MIDI != nil {
		n += int64(raw)
		for _, t := range d.MIDI.Tracks {
			n += int64(len(t.Events)) * int64(unsafe.Sizeof(midi.Event{}))
		}
	}
	if d.Piece != nil {
		n += int64(d.Piece.NoteCount()) * int64(unsafe.Sizeof(music.Note{}))
		n += int64(len(d.Piece.Parts)) * int64(unsafe.Sizeof(music.Part{}))
	}
	for _, c := range d.Charts {
		n += int64(unsafe.Sizeof(*c)) + int64(len(c.Title)+len(c.Composer)+len(c.Style))
		n += int64(len(c.Parts)) * int64(unsafe.Sizeof(music.Part{}))
		for _, b := range c.Bars {
			n += int64(unsafe.Sizeof(b)) + int64(len(b.Section)+len(b.Comment))
			n += int64(len(b.Chords))*int64(unsafe.Sizeof(music.ChordAt{})) + int64(len(b.Notes))*int64(unsafe.Sizeof(music.Note{}))
		}
	}
	return n
}
