// Package output writes what a command makes (a MIDI file, a WAV, a
// chart, a score) so that no user loses a file to it: the one writer
// every command goes through.
//
// A regular file, new or existing, is written to a temporary file in its
// own folder and renamed over it only when the whole output is written
// and synced, so a failed or interrupted command leaves the old file as
// it was and no temporary file behind (rename(2) is atomic within a
// filesystem; the temporary file is created beside the target so that it
// is on the same one). A symbolic link is written through: the file it
// names is replaced, the link kept. "-" is standard output; a FIFO or a
// character device (/dev/null, a terminal, /dev/stdout when it is a pipe)
// is opened and written as it is, never replaced. A folder, a block
// device, a socket, a missing folder, an extension the command does not
// write and an output that is one of the command's inputs are refused
// before any work is done, as an *Error.
package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Format is a kind of file a command writes; its file extensions name it.
type Format int

const (
	MIDI Format = iota + 1
	WAV
	MusicXML
	ABC
	Chart
	Feel
	SVG
	Model
	Markdown
	HTML
	JSON
)

// formats maps extensions to formats, for every command: the one place
// where an extension decides what is written.
var formats = []struct {
	f    Format
	name string
	exts []string
}{
	{MIDI, "MIDI", []string{".mid", ".midi"}},
	{WAV, "WAV", []string{".wav"}},
	{MusicXML, "MusicXML", []string{".musicxml", ".xml"}},
	{ABC, "ABC", []string{".abc"}},
	{Chart, "chart", []string{".chart"}},
	{Feel, "feel", []string{".feel"}},
	{SVG, "SVG", []string{".svg"}},
	{Model, "model", []string{".model"}},
	{Markdown, "Markdown", []string{".md", ".markdown"}},
	{HTML, "HTML", []string{".html", ".htm"}},
	{JSON, "JSON", []string{".json"}},
}

func (f Format) String() string {
	for _, e := range formats {
		if e.f == f {
			return e.name
		}
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Extensions are the file extensions that name f, the usual one first.
func (f Format) Extensions() []string {
	for _, e := range formats {
		if e.f == f {
			return e.exts
		}
	}
	return nil
}

// FormatOf is the format a path's extension names, in any case (.MID is
// MIDI); false for an extension no command writes.
func FormatOf(path string) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range formats {
		for _, x := range e.exts {
			if x == ext {
				return e.f, true
			}
		}
	}
	return 0, false
}

// Error is an output refused before anything is written: a folder, a
// missing folder, an extension the command does not write, one of its
// inputs, or a file it cannot create. Commands report it in one line and
// exit with status 2.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrInput is an output that is one of the command's inputs.
var ErrInput = errors.New("is an input of the command; write to another file")

// kind is how a target is written.
type kind int

const (
	replace kind = iota // a regular file, new or existing: a temporary file renamed over it
	direct              // a FIFO or character device: opened and written
	stdout              // "-"
)

// Target is an output a command writes, checked before it does its work.
type Target struct {
	Path   string // as given; "-" is standard output
	Format Format // what the extension says, or the command's first format where no extension applies
	inputs []string
}

// Check checks an output before a command does any work. formats are
// the formats the command writes: a regular file's extension must name
// one of them, and the first is written to standard output, a FIFO or a
// device, whose names say nothing of a format. inputs are the paths the
// command reads (empty strings and paths that are no file are passed
// over); an output that is one of them, also through a link, is refused.
func Check(path string, formats []Format, inputs ...string) (*Target, error) {
	t := &Target{Path: path, inputs: inputs}
	if path == "" {
		return nil, &Error{Path: `""`, Err: errors.New("no output file named")}
	}
	k, file, err := t.locate()
	if err != nil {
		return nil, err
	}
	f, known := FormatOf(path)
	if !known && k == replace {
		// A link named for no format (/dev/stdout > out.mid): what
		// it names says.
		f, known = FormatOf(file)
	}
	ok := false
	for _, w := range formats {
		ok = ok || (known && w == f)
	}
	switch {
	case ok:
		t.Format = f
	case k != replace && len(formats) > 0:
		t.Format = formats[0]
	default:
		return nil, &Error{Path: path, Err: extensionError(path, formats)}
	}
	return t, nil
}

// extensionError says which extensions a command writes.
func extensionError(path string, formats []Format) error {
	var exts []string
	for _, f := range formats {
		exts = append(exts, f.Extensions()[0])
	}
	got := "a name without one"
	if ext := filepath.Ext(path); ext != "" {
		got = strconv.Quote(ext)
	}
	want := strings.Join(exts, ", ")
	if i := strings.LastIndex(want, ", "); i >= 0 {
		want = want[:i] + " or " + want[i+2:]
	}
	return fmt.Errorf("the extension decides what is written: want %s, not %s", want, got)
}

// locate finds how the target is written and, for a regular file, the
// file a rename replaces (symbolic links resolved).
func (t *Target) locate() (kind, string, error) {
	if t.Path == "-" {
		return stdout, "", nil
	}
	fi, err := os.Stat(t.Path) // through links
	if err == nil {
		for _, in := range t.inputs {
			if in == "" || in == "-" {
				continue
			}
			if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
				return 0, "", &Error{Path: t.Path, Err: ErrInput}
			}
		}
	}
	switch {
	case err == nil && fi.IsDir():
		return 0, "", &Error{Path: t.Path, Err: errors.New("is a folder; name a file to write")}
	case err == nil && fi.Mode().IsRegular():
		file, proc, rerr := resolve(t.Path)
		if rerr != nil {
			return 0, "", rerr
		}
		// /dev/stdout, /dev/fd/N and /proc/self/fd/N name a
		// descriptor the shell opened (> or >>): written as it is, as
		// - writes standard output. So is a link the kernel follows
		// but that names no path (a file deleted while open).
		if ri, err := os.Lstat(file); proc || err != nil || !os.SameFile(fi, ri) {
			return direct, "", nil
		}
		return replace, file, nil
	case err == nil && fi.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
		return direct, "", nil
	case err == nil:
		return 0, "", &Error{Path: t.Path, Err: fmt.Errorf("is a %s; sideman writes files, FIFOs and character devices", typeName(fi.Mode()))}
	}
	file, _, rerr := resolve(t.Path)
	if rerr != nil {
		return 0, "", rerr
	}
	if errors.Is(err, fs.ErrNotExist) {
		return replace, file, nil
	}
	return 0, "", &Error{Path: t.Path, Err: unwrapPath(err)}
}

func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file (" + m.Type().String() + ")"
}

// resolve follows symbolic links from path to the file they name, which
// need not exist yet; its folder must. The folder is resolved at each
// step so that a link's relative target is read from where the link is.
// proc says a step went through /proc (a process's descriptors).
func resolve(path string) (file string, proc bool, err error) {
	given := path
	for range 40 { // the kernel's limit (MAXSYMLINKS)
		dir := filepath.Dir(path)
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", false, &Error{Path: given, Err: fmt.Errorf("no folder %s (sideman creates none: make it first)", dir)}
			}
			return "", false, &Error{Path: given, Err: unwrapPath(err)}
		}
		if di, err := os.Stat(real); err != nil || !di.IsDir() {
			return "", false, &Error{Path: given, Err: fmt.Errorf("%s is not a folder", dir)}
		}
		proc = proc || real == "/proc" || strings.HasPrefix(real, "/proc/")
		path = filepath.Join(real, filepath.Base(path))
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) || err == nil && fi.Mode()&fs.ModeSymlink == 0 {
			return path, proc, nil
		}
		if err != nil {
			return "", false, &Error{Path: given, Err: unwrapPath(err)}
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", false, &Error{Path: given, Err: unwrapPath(err)}
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(real, link)
		}
		path = link
	}
	return "", false, &Error{Path: given, Err: errors.New("too many symbolic links")}
}

// unwrapPath drops the path an *fs.PathError repeats: the Error names
// the output already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Write writes the output: write is given a buffered writer to the
// target and its error is returned; for a regular file the writer is
// also an io.Seeker (a WAV streamed to it writes its header last). A regular file is written to a
// temporary file beside it and renamed over it only if write succeeds;
// whatever fails, the temporary file is removed. "-" writes to out.
// The target is located again, as the files may have changed while the
// command worked. Errors creating the file are *Error.
func (t *Target) Write(out io.Writer, write func(io.Writer) error) error {
	k, file, err := t.locate()
	if err != nil {
		return err
	}
	switch k {
	case stdout:
		bw := bufio.NewWriterSize(out, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	case direct:
		// Appending, as a shell's >> does: through /dev/stdout to a
		// file the shell opened, the output goes where its own
		// writes would (> has emptied the file already).
		f, err := os.OpenFile(t.Path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return &Error{Path: t.Path, Err: unwrapPath(err)}
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		err = write(bw)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return pathError(t.Path, err)
	}
	return t.replace(file, write)
}

// pathError names the output in an error from writing it.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return err
}

// The temporary files being written, for Abandon: a signal may come at
// any moment, and every one of them must go.
var (
	mu        sync.Mutex
	pending   = map[string]bool{}
	abandoned bool
)

// Abandon removes every temporary file being written and stops any from
// being renamed: for a process about to exit on a signal. It returns
// holding the lock every write takes to create or rename its temporary
// file, so those writes wait for ever; the caller exits.
func Abandon() {
	mu.Lock()
	abandoned = true
	for name := range pending {
		os.Remove(name)
	}
}

// Pending is how many temporary files are being written now.
func Pending() int {
	mu.Lock()
	defer mu.Unlock()
	return len(pending)
}

// TempPrefix begins the name of every temporary file: a dot (hidden),
// the target's name, then this.
const TempPrefix = ".sideman-"

// replace writes a regular file through a temporary file beside it.
func (t *Target) replace(file string, write func(io.Writer) error) (err error) {
	tmp, err := create(file)
	if err != nil {
		return &Error{Path: t.Path, Err: unwrapPath(err)}
	}
	name := tmp.Name()
	renamed := false
	defer func() {
		if renamed {
			return
		}
		tmp.Close()
		mu.Lock()
		os.Remove(name)
		delete(pending, name)
		mu.Unlock()
	}()
	// An existing file keeps its permissions; a new one has the usual
	// 0666 less the umask, as os.Create gives.
	if fi, err := os.Stat(file); err == nil {
		if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
			return pathError(t.Path, err)
		}
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(seekingWriter{bw, tmp}); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return pathError(t.Path, err)
	}
	// Synced before the rename: after a crash the target holds the old
	// output or the new, never an empty file.
	if err := tmp.Sync(); err != nil {
		return pathError(t.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return pathError(t.Path, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if err := os.Rename(name, file); err != nil {
		return pathError(t.Path, err)
	}
	renamed = true
	delete(pending, name)
	return nil
}

// seekingWriter is the buffered writer of a temporary file, which can
// seek: the buffer is flushed first.
type seekingWriter struct {
	*bufio.Writer
	f *os.File
}

func (w seekingWriter) Seek(offset int64, whence int) (int64, error) {
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return w.f.Seek(offset, whence)
}

// create makes a new temporary file beside file, registered for Abandon.
func create(file string) (*os.File, error) {
	mu.Lock()
	defer mu.Unlock()
	if abandoned {
		return nil, errors.New("interrupted")
	}
	dir, base := filepath.Split(file)
	if len(base) > 100 {
		base = base[:100]
	}
	for {
		name := filepath.Join(dir, "."+base+TempPrefix+strconv.FormatUint(rand.Uint64()%1e12, 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		pending[name] = true
		return f, nil
	}
}
