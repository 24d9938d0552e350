package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"

	"sideman/format/midi"
	"sideman/internal/tarfs"
	"sideman/music"
)

// A collection is a folder or a .tar.gz archive of files sideman reads.
// Members reads one as an fs.FS (os.DirFS for a folder, internal/tarfs for
// an archive) and yields its members one at a time, so a caller that
// streams a corpus holds one member at a time; Open collects them into one
// Document. A folder's .tar.gz archives are collections inside it: their
// members come in the walk, named ARCHIVE:MEMBER.
//
// Limits on collections: a folder or archive bigger than this is refused.
// What counts for memory is what the members decode to, not their bytes:
// a MIDI file of repeated notes compresses a thousandfold and decodes to
// about 16 times its size (MaxDecodedSize). docs/limits.md lists what the
// largest real corpora decode to.
const (
	// MaxMembers is the most files a collection holds.
	MaxMembers = 100000
	// MaxCollectionSize bounds the members' bytes as read (uncompressed).
	MaxCollectionSize = 1 << 30
	// MaxDecodedSize bounds what the members decode to (decodedSize):
	// the notes, events, bars and chords held, and the bytes a decoded
	// MIDI file keeps. Open holds every member and counts them all;
	// Members holds one at a time and counts each alone.
	MaxDecodedSize = 512 << 20
	// MaxArchiveSize bounds the bytes inflated from a .tar.gz, members
	// sideman skips included, so a small archive costs little time.
	MaxArchiveSize = 4 << 30
)

// archiveLimits are tarfs's limits for a collection's archive.
var archiveLimits = tarfs.Limits{Inflated: MaxArchiveSize, Member: MaxSize}

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
	return soloMelody(filepath.ToSlash(name)) // a WJazzD solo (wjazzd.go)
}

// IsCollection reports whether name is a folder or a .tar.gz archive:
// what Collection reads.
func IsCollection(name string) bool {
	st, err := os.Stat(name)
	return err == nil && (st.IsDir() || st.Mode().IsRegular() && isArchive(name))
}

// Collection opens the folder or .tar.gz archive at name and yields its
// members as Members does, closing what it opened when the loop ends. A
// name that is neither is an *InputError.
func Collection(name string) iter.Seq2[*Document, error] { return Options{}.Collection(name) }

// Collection is the package's Collection with these options: one IDs
// numbers the notes of every member.
func (o Options) Collection(name string) iter.Seq2[*Document, error] {
	return (&walk{name: name, opt: o.withIDs(name)}).collection()
}

// Members yields the documents of a collection read as an fs.FS, one
// member at a time: the files sideman reads (by their extension), each
// decoded as Bytes decodes it, in the order the collection keeps them
// (name order in a folder, archive order in a *tarfs.FS, which reads the
// archive once). name is the collection's name; a member is named
// name/path in a folder and name:path in an archive.
//
// A file that cannot be read is yielded as a Document with an empty
// Format that holds only its warning (Warnings), and the walk goes on:
// one bad file does not hide a thousand good ones. A readable member's
// Warnings are the tunes of it that could not be read. An error ends the
// walk: the collection cannot be read (a corrupt archive, a folder that
// cannot be listed) or passes a limit (MaxMembers, MaxCollectionSize, a
// member that decodes to more than MaxDecodedSize).
func Members(fsys fs.FS, name string) iter.Seq2[*Document, error] {
	return Options{}.Members(fsys, name)
}

// Members is the package's Members with these options: one IDs numbers
// the notes of every member.
func (o Options) Members(fsys fs.FS, name string) iter.Seq2[*Document, error] {
	return func(yield func(*Document, error) bool) {
		w := &walk{name: name, opt: o.withIDs(name)}
		if err := w.fs(fsys, name, false, yield); err != nil && err != errStopped {
			yield(nil, err)
		}
	}
}

// errStopped is the walk's own: the caller's loop stopped it.
var errStopped = errors.New("stopped")

// walk reads a collection and counts it against the limits.
type walk struct {
	name    string  // the collection's name
	opt     Options // how members are read: their ids
	hold    bool    // the members are kept: their decoded sizes add up
	members int     // members read
	total   int64   // their bytes
	decoded int64   // what the members kept decode to (hold)
}

// collection is Collection's walk.
func (w *walk) collection() iter.Seq2[*Document, error] {
	return func(yield func(*Document, error) bool) {
		if err := w.open(yield); err != nil && err != errStopped {
			yield(nil, err)
		}
	}
}

func (w *walk) open(yield func(*Document, error) bool) error {
	st, err := os.Stat(w.name)
	if err != nil {
		return &InputError{w.name, errors.Unwrap(err)}
	}
	if st.IsDir() {
		return w.fs(os.DirFS(w.name), w.name, false, yield)
	}
	if !isArchive(w.name) {
		return &InputError{w.name, errors.New("is neither a folder nor a .tar.gz archive")}
	}
	f, err := OpenFile(w.name)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := newArchive(w.name, f)
	if err != nil {
		return err
	}
	return w.fs(t, w.name, false, yield)
}

// newArchive reads an open .tar.gz through tarfs.
func newArchive(name string, f fs.File) (*tarfs.FS, error) {
	r, ok := f.(io.ReaderAt)
	st, err := f.Stat()
	if !ok || err != nil {
		return nil, &InputError{name, errors.New("cannot be read as an archive")}
	}
	t, err := tarfs.New(name, r, st.Size(), archiveLimits)
	if err != nil {
		return nil, archiveError(err)
	}
	return t, nil
}

// archiveError is a fault of an archive as an *InputError naming it.
func archiveError(err error) error {
	var te *tarfs.Error
	if !errors.As(err, &te) {
		return err
	}
	if te.Member != "" {
		return &InputError{te.Archive, fmt.Errorf("%s: %w", te.Member, te.Err)}
	}
	return &InputError{te.Archive, te.Err}
}

// fs walks the collection fsys, named name; inner is set for an archive
// found in a folder, whose faults are warnings rather than the walk's end.
func (w *walk) fs(fsys fs.FS, name string, inner bool, yield func(*Document, error) bool) error {
	t, ok := fsys.(*tarfs.FS)
	if !ok {
		return w.folder(fsys, name, yield)
	}
	for p, err := range t.Files() {
		if err != nil {
			err = archiveError(err)
			if inner {
				return w.warn(yield, name, err)
			}
			return err
		}
		if !member(p) {
			continue
		}
		at := name + ":" + p
		st, err := t.Stat(p)
		if err != nil {
			return archiveError(err)
		}
		if st.Size() > MaxSize {
			if err := w.warn(yield, at, &InputError{at, fmt.Errorf("larger than %d MiB", MaxSize>>20)}); err != nil {
				return err
			}
			continue
		}
		data, err := t.ReadFile(p)
		if err != nil {
			err = archiveError(err)
			if inner {
				return w.warn(yield, name, err)
			}
			return err
		}
		var beats []byte
		if soloMelody(p) {
			if beats, err = readSoloBeats(t, p, at); err != nil {
				if err := w.warn(yield, at, err); err != nil {
					return err
				}
				continue
			}
		}
		if err := w.read(at, data, beats, yield); err != nil {
			return err
		}
	}
	return nil
}

// folder walks a folder in name order; its archives are walked where
// they come.
func (w *walk) folder(fsys fs.FS, root string, yield func(*Document, error) bool) error {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && (member(p) || isArchive(p)) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		// Name the folder in full, as the walk's callers gave it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			pe.Path = filepath.Join(root, filepath.FromSlash(pe.Path))
		}
		return &InputError{root, err}
	}
	slices.Sort(names)
	for _, p := range names {
		at := filepath.Join(root, filepath.FromSlash(p))
		f, err := openMember(fsys, p, at)
		if err != nil {
			if err := w.warn(yield, at, err); err != nil {
				return err
			}
			continue
		}
		if isArchive(p) {
			err = w.inner(f, at, yield)
			f.Close()
			if err != nil {
				return err
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
		f.Close()
		switch {
		case err != nil:
			err = &InputError{at, err}
		case len(data) > MaxSize:
			err = &InputError{at, fmt.Errorf("larger than %d MiB", MaxSize>>20)}
		case soloMelody(p):
			var beats []byte
			if beats, err = readSoloBeats(fsys, p, at); err == nil {
				if err = w.read(at, data, beats, yield); err == nil {
					continue
				}
				return err
			}
		default:
			err = w.read(at, data, nil, yield)
			if err == nil {
				continue
			}
			return err
		}
		if err := w.warn(yield, at, err); err != nil {
			return err
		}
	}
	return nil
}

// inner walks an archive found in a folder: a fault of it is a warning.
func (w *walk) inner(f fs.File, at string, yield func(*Document, error) bool) error {
	t, err := newArchive(at, f)
	if err != nil {
		return w.warn(yield, at, err)
	}
	return w.fs(t, at, true, yield)
}

// openMember opens one file of a folder: a regular file, or a link to
// one (a FIFO or a device is refused before it is opened, as OpenFile
// refuses them).
func openMember(fsys fs.FS, p, at string) (fs.File, error) {
	st, err := fs.Stat(fsys, p)
	if err != nil {
		return nil, &InputError{at, errors.Unwrap(err)}
	}
	if err := regular(at, st); err != nil {
		return nil, err
	}
	f, err := fsys.Open(p)
	if err != nil {
		return nil, &InputError{at, errors.Unwrap(err)}
	}
	// The file may have been replaced between Stat and Open.
	if st, err = f.Stat(); err == nil {
		err = regular(at, st)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// warn yields a file that could not be read: a Document holding only
// the warning.
func (w *walk) warn(yield func(*Document, error) bool, at string, err error) error {
	if !yield(&Document{Name: at, Warnings: []error{err}}, nil) {
		return errStopped
	}
	return nil
}

// read decodes one member and yields it, counting it against the limits;
// beats are the beat file of a WJazzD solo whose melody file is data.
func (w *walk) read(at string, data, beats []byte, yield func(*Document, error) bool) error {
	if w.members >= MaxMembers {
		return &InputError{w.name, fmt.Errorf("more than %d files", MaxMembers)}
	}
	w.total += int64(len(data) + len(beats))
	if w.total > MaxCollectionSize {
		return &InputError{w.name, fmt.Errorf("more than %d MiB of files", MaxCollectionSize>>20)}
	}
	tooMuch := func() error {
		rel := strings.TrimLeft(strings.TrimPrefix(at, w.name), ":/"+string(filepath.Separator))
		return &InputError{w.name, fmt.Errorf("its files decode to more than the %d MiB sideman holds (at %s)", MaxDecodedSize>>20, rel)}
	}
	var held int64 // what the members kept so far decode to
	if w.hold {
		held = w.decoded
	}
	// A MIDI file has no limit on its notes but its bytes: one that
	// could pass the limit is refused before it is decoded.
	if Detect(at, data) == FormatMIDI && held+maxMIDIDecoded*int64(len(data)) > MaxDecodedSize {
		return tooMuch()
	}
	var m *Document
	var err error
	if beats != nil {
		m, err = w.opt.Solo(at, data, beats)
	} else {
		m, err = w.opt.Bytes(at, data)
	}
	if err != nil {
		return w.warn(yield, at, err)
	}
	size := decodedSize(m, len(data)+len(beats))
	if held+size > MaxDecodedSize {
		return tooMuch()
	}
	if w.hold {
		w.decoded += size
	}
	w.members++
	if !yield(m, nil) {
		return errStopped
	}
	return nil
}

// openCollection is Open of a folder or archive: every member kept, in
// name order.
func (o Options) openCollection(name string) (*Document, error) {
	w := &walk{name: name, hold: true, opt: o.withIDs(name)}
	d := &Document{Name: name}
	for m, err := range w.collection() {
		if err != nil {
			return nil, err
		}
		if m.Format == "" {
			d.Warnings = append(d.Warnings, m.Warnings...)
			continue
		}
		d.Members = append(d.Members, m)
		d.Warnings = append(d.Warnings, m.Warnings...)
	}
	// Archives list files in any order; name order makes indexes stable.
	slices.SortStableFunc(d.Members, func(a, b *Document) int { return strings.Compare(a.Name, b.Name) })
	for _, m := range d.Members {
		d.Charts = append(d.Charts, m.Charts...)
	}
	return finish(d)
}

// EmptyCollection is the error of a collection that has no member sideman
// could read: first is the first warning, nil when it holds no file
// sideman reads. For a caller that streams Members, as Open is.
func EmptyCollection(name string, first error) error {
	if first != nil {
		return &InputError{name, fmt.Errorf("no file could be read; first: %v", first)}
	}
	return &InputError{name, errors.New("holds no file sideman reads (.chart, .abc, .musicxml, .mxl, .ls, .krn, .mid, WJazzD csv_melody/ with csv_beats/)")}
}

// finish names the collection's format: the members' when they share one.
func finish(d *Document) (*Document, error) {
	if len(d.Members) == 0 {
		var first error
		if len(d.Warnings) > 0 {
			first = d.Warnings[0]
		}
		return nil, EmptyCollection(d.Name, first)
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
