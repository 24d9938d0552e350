// Package tarfs reads a gzip-compressed tar archive (.tar.gz, .tgz) as an
// fs.FS, as archive/zip's Reader reads a zip file: every collection sideman
// reads from an archive (load's folders and archives, the corpora feel
// learns from, the tests' corpora) goes through it, with one set of limits.
//
// # What it holds
//
// A gzip stream cannot be entered in the middle, so tarfs never holds the
// decoded archive. It holds an index of the members (name, size, where the
// data starts in the decoded stream: about 200 bytes a member), the
// archive's reader, and a few inflaters, each positioned somewhere in the
// decoded stream (a gzip decoder's state: some 40 KB each). Reading a
// member takes the inflater nearest before it and inflates forward to it,
// so reading members in archive order decodes the stream once; reading one
// before the last read starts a new inflater from the archive's start.
//
// The index is built as the stream is read. Files walks the members in
// archive order and indexes each as it comes, so a walk that reads every
// member it is given decodes the stream once, in all. Anything else that
// needs a member the index has not reached yet (Open, Stat, ReadDir,
// ReadFile, ReadingOrder) reads the rest of the archive first: the whole
// index, and every check below, before any of it is used.
//
// # What it refuses
//
// The archive is checked as it is read: gzip's CRC-32 and length at the
// end of the stream (read to its end, past the tar's end blocks), the tar
// headers, the Limits (bytes inflated, the size of the index), and member
// names: an absolute name or one with a ".." element ("/etc/passwd",
// "../x") refuses the archive (ErrInsecurePath), as does a name that is
// both a file and a folder. Symbolic and hard links, devices, FIFOs and
// sparse files are left out: the FS holds regular files and folders only.
// Opening or reading a member larger than Limits.Member fails
// (ErrTooLarge). A name the archive holds twice is the later file, as
// tar -x leaves it.
//
// A fault is one *Error naming the archive, and the member where there is
// one; from the fault on, everything that needs the rest of the archive
// returns it. Files yields it last, after the members read before it.
//
// An FS is safe for concurrent use; reads of members are serialised.
package tarfs

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"sideman/internal/quote"
)

// Limits bound what reading one archive may cost. A zero field takes the
// default (DefaultLimits).
type Limits struct {
	// Inflated bounds the bytes inflated from the archive while it is
	// indexed, members not read included, so a small archive costs
	// little time.
	Inflated int64
	// Member bounds the size of one member that is opened or read.
	Member int64
	// Index bounds the memory the index of members takes: the names'
	// bytes and entryCost a member or folder.
	Index int64
}

// DefaultLimits are the limits the readers of sideman's collections have
// always had: 4 GiB inflated (load.MaxArchiveSize), 64 MiB a member (the
// size of one input file, format.MaxSize),
// and an index of at most 64 MiB (some 300,000 members; the largest
// corpus, POP909, has 6,367 entries).
var DefaultLimits = Limits{Inflated: 4 << 30, Member: 64 << 20, Index: 64 << 20}

func (l Limits) withDefaults() Limits {
	if l.Inflated <= 0 {
		l.Inflated = DefaultLimits.Inflated
	}
	if l.Member <= 0 {
		l.Member = DefaultLimits.Member
	}
	if l.Index <= 0 {
		l.Index = DefaultLimits.Index
	}
	return l
}

// entryCost is what an entry of the index holds besides its name: the
// entry, the map's slot and the slices' pointers to it.
const entryCost = 200

// maxName is the longest member name read, in bytes (Linux's PATH_MAX).
const maxName = 4096

// poolSize is how many idle inflaters an archive keeps: enough for a
// reader that walks two or three folders of an archive side by side
// (WJazzD's melodies, beats and bass lines).
const poolSize = 4

var (
	// ErrInsecurePath is the fault of a member named outside the archive:
	// an absolute name, or one with a ".." element.
	ErrInsecurePath = errors.New("a member named outside the archive")
	// ErrTooLarge is the error of what passes one of the Limits.
	ErrTooLarge = errors.New("too large")
	// ErrNotRegular is Open's error for what is not a regular file.
	ErrNotRegular = errors.New("not a regular file (a FIFO, a device or a folder)")
)

// Error is a fault of an archive, or of one member of it.
type Error struct {
	Archive string // the archive's name, as given to Open or New
	Member  string // the member's name in the archive; "" for the whole
	Err     error
}

func (e *Error) Error() string {
	if e.Member == "" {
		return e.Archive + ": " + e.Err.Error()
	}
	return e.Archive + ": " + e.Member + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// limitError is a limit passed: its message says which, and it is
// ErrTooLarge.
type limitError struct{ msg string }

func (e *limitError) Error() string        { return e.msg }
func (e *limitError) Is(target error) bool { return target == ErrTooLarge }

func tooLarge(format string, args ...any) error {
	return &limitError{fmt.Sprintf(format, args...)}
}

// size says a limit in the unit it is a whole number of.
func size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// FS is an archive read as a file system, or a folder of it (Sub).
type FS struct {
	a   *archive
	dir string // the folder this FS is rooted at: "." for the archive
}

// archive is what the FS values of one archive share.
type archive struct {
	name   string
	src    io.ReaderAt
	size   int64
	lim    Limits
	closer io.Closer

	mu      sync.Mutex
	byName  map[string]*entry
	files   []*entry // regular files, in archive order
	indexed int64    // the index's cost so far (Limits.Index)
	scan    *scanner // nil once the stream is read to its end
	err     error    // the fault that ended the scan
	lent    *file    // the open file that reads the scanner's member
	pool    []*inflater
	closed  bool
}

// entry is a file or folder of the index.
type entry struct {
	name     string // clean, slash-separated; "." for the root
	size     int64
	off      int64 // where the data starts in the decoded stream
	mode     fs.FileMode
	mod      time.Time
	kids     []*entry // a folder's entries, sorted once the index is whole
	replaced bool     // a later member of the same name took its place
}

// Open opens the .tar.gz at name: a regular file or a link to one (a FIFO
// or a device is refused before it is opened, with an *fs.PathError
// wrapping ErrNotRegular). The FS keeps the file open until Close.
func Open(name string, lim Limits) (*FS, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	t, err := New(name, f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.a.closer = f
	return t, nil
}

// New reads the .tar.gz of the given size from r; name names it in
// errors. It reads the gzip header, and refuses what is not gzip; the rest
// is read as it is asked for.
func New(name string, r io.ReaderAt, size int64, lim Limits) (*FS, error) {
	a := &archive{name: name, src: r, size: size, lim: lim.withDefaults()}
	a.byName = map[string]*entry{".": {name: ".", mode: fs.ModeDir | 0o555}}
	s, err := a.newScanner()
	if err != nil {
		return nil, &Error{Archive: name, Err: fmt.Errorf("not a gzip archive: %w", err)}
	}
	a.scan = s
	return &FS{a: a, dir: "."}, nil
}

// Close closes the archive's file when Open opened it. The FS and every
// FS of its folders must not be used after.
func (f *FS) Close() error {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.scan != nil {
		a.scan.zr.Close()
		a.scan = nil
		if a.err == nil {
			a.err = &Error{Archive: a.name, Err: fs.ErrClosed}
		}
	}
	a.pool, a.closed = nil, true
	if a.closer != nil {
		err := a.closer.Close()
		a.closer = nil
		return err
	}
	return nil
}

// full is the index name of a name relative to f.
func (f *FS) full(name string) string {
	if f.dir == "." {
		return name
	}
	if name == "." {
		return f.dir
	}
	return f.dir + "/" + name
}

// rel is an index name relative to f, and whether it lies below f.
func (f *FS) rel(full string) (string, bool) {
	if f.dir == "." {
		return full, true
	}
	return strings.CutPrefix(full, f.dir+"/")
}

// errorf is err about a member, named by its name in the archive.
func (f *FS) errorf(name string, err error) error {
	return &Error{Archive: f.a.name, Member: name, Err: err}
}

// lookup finds a name (relative to f), reading the rest of the archive
// when the index has not reached it.
func (f *FS) lookup(op, name string) (*entry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	a := f.a
	full := f.full(name)
	if e := a.byName[full]; e != nil {
		return e, nil
	}
	if err := a.finish(); err != nil {
		return nil, err
	}
	if e := a.byName[full]; e != nil {
		return e, nil
	}
	return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}

// Open opens a member or folder (fs.FS). A member larger than
// Limits.Member is refused with ErrTooLarge.
func (f *FS) Open(name string) (fs.File, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	e, err := f.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if e.mode.IsDir() {
		return &dirFile{f: f, e: e}, nil
	}
	if e.size > a.lim.Member {
		return nil, f.errorf(e.name, tooLarge("larger than %s", size(a.lim.Member)))
	}
	return &file{a: a, e: e}, nil
}

// Stat describes a member or folder (fs.StatFS).
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	e, err := f.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return info{e}, nil
}

// ReadFile reads a member whole (fs.ReadFileFS), refusing one larger than
// Limits.Member.
func (f *FS) ReadFile(name string) ([]byte, error) {
	fl, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	r, ok := fl.(*file)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	data := make([]byte, r.e.size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	return data, nil
}

// ReadDir lists a folder, sorted by name (fs.ReadDirFS). It reads the
// whole archive first.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	e, err := f.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !e.mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	if err := a.finish(); err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, len(e.kids))
	for i, k := range e.kids {
		out[i] = info{k}
	}
	return out, nil
}

// Sub is the FS of one of the archive's folders (fs.SubFS): it shares the
// archive, its index and its inflaters.
func (f *FS) Sub(dir string) (fs.FS, error) {
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	e, err := f.lookup("sub", dir)
	if err != nil {
		return nil, err
	}
	if !e.mode.IsDir() {
		return nil, &fs.PathError{Op: "sub", Path: dir, Err: errors.New("not a directory")}
	}
	return &FS{a: a, dir: e.name}, nil
}

// Files yields the names of the regular files below f in archive order,
// indexing the archive as it goes: a member opened when it is yielded is
// read without inflating anything twice. A fault of the archive is
// yielded last, once the members before it have been; a walk that ends
// without one has read the whole archive and checked its CRC.
func (f *FS) Files() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		a := f.a
		for i := 0; ; i++ {
			a.mu.Lock()
			for i >= len(a.files) && a.scan != nil {
				a.step()
			}
			if i >= len(a.files) {
				err := a.err
				a.mu.Unlock()
				if err != nil {
					yield("", err)
				}
				return
			}
			e := a.files[i]
			a.mu.Unlock()
			if e.replaced {
				continue
			}
			if name, ok := f.rel(e.name); ok && !yield(name, nil) {
				return
			}
		}
	}
}

// ReadingOrder sorts names of files in fsys, in place, into the order
// that reads them fastest: for a *FS archive order (reading them in turn
// decodes the stream once), names it does not hold last; for any other
// fs.FS the order is left as it is. It reads the whole archive first, and
// returns its fault.
func ReadingOrder(fsys fs.FS, names []string) error {
	f, ok := fsys.(*FS)
	if !ok {
		return nil
	}
	a := f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.finish(); err != nil {
		return err
	}
	at := func(name string) int64 {
		if e := a.byName[f.full(name)]; e != nil && fs.ValidPath(name) && !e.mode.IsDir() {
			return e.off
		}
		return 1 << 62
	}
	slices.SortStableFunc(names, func(x, y string) int {
		ox, oy := at(x), at(y)
		switch {
		case ox < oy:
			return -1
		case ox > oy:
			return 1
		}
		return 0
	})
	return nil
}

// finish reads the rest of the archive, indexing it; it returns the
// fault that ended the reading, if any.
func (a *archive) finish() error {
	for a.scan != nil {
		a.step()
	}
	return a.err
}

// scanner reads the archive's headers in order, building the index.
type scanner struct {
	zr   *gzip.Reader
	in   *counted
	tr   *tar.Reader
	cur  *entry // the regular file whose data the tar reader stands at
	read int64  // bytes of cur's data read
}

// counted counts the bytes inflated and refuses more than its limit.
type counted struct {
	r     io.Reader
	n     int64
	limit int64
}

var errInflated = errors.New("inflated") // replaced by the limit's message

func (c *counted) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		return 0, errInflated
	}
	if int64(len(p)) > c.limit-c.n {
		p = p[:c.limit-c.n]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (a *archive) newScanner() (*scanner, error) {
	zr, err := gzip.NewReader(io.NewSectionReader(a.src, 0, a.size))
	if err != nil {
		return nil, err
	}
	in := &counted{r: zr, limit: a.lim.Inflated}
	return &scanner{zr: zr, in: in, tr: tar.NewReader(in)}, nil
}

// fault ends the scan with err.
func (a *archive) fault(member string, err error) {
	if errors.Is(err, errInflated) {
		err = tooLarge("inflates to more than %s", size(a.lim.Inflated))
	}
	a.err = &Error{Archive: a.name, Member: member, Err: err}
	a.endScan()
}

func (a *archive) endScan() {
	if a.scan != nil {
		a.scan.zr.Close()
		a.scan = nil
	}
	a.lent = nil
	if a.err == nil {
		a.sortKids(a.byName["."])
	}
}

// step reads the next header into the index; at the end of the tar it
// reads the gzip stream to its end, which checks the CRC, and ends the
// scan.
func (a *archive) step() {
	s := a.scan
	// The open file that reads the scanner's member (Files' reader that
	// did not finish it) goes on with an inflater of its own.
	a.lent = nil
	s.cur, s.read = nil, 0
	h, err := s.tr.Next()
	if err == io.EOF {
		// The gzip checksum and length come after the last tar block.
		if _, err := io.Copy(io.Discard, s.in); err != nil {
			a.fault("", err)
			return
		}
		a.endScan()
		return
	}
	if err != nil {
		if !errors.Is(err, errInflated) {
			err = fmt.Errorf("tar: %w", err)
		}
		a.fault("", err)
		return
	}
	var dir bool
	switch h.Typeflag {
	case tar.TypeReg:
	case tar.TypeDir:
		dir = true
	default:
		// Links, devices, FIFOs, sparse files and the headers that
		// describe other headers (pax global) are no files of the FS.
		return
	}
	name, err := clean(h.Name)
	if err != nil {
		a.fault("", err)
		return
	}
	if name == "." {
		return // the archive's own folder ("./")
	}
	mode := h.FileInfo().Mode()
	if dir {
		mode = fs.ModeDir | mode.Perm()
	} else {
		mode = mode.Perm()
	}
	e := &entry{name: name, mode: mode, mod: h.ModTime}
	if !dir {
		e.size, e.off = h.Size, s.in.n
	}
	if err := a.add(e); err != nil {
		a.fault(name, err)
		return
	}
	if !dir {
		s.cur = e
	}
}

// clean makes a member's name an index name: slash-separated, without
// "./" or a trailing slash. It refuses absolute names and names with a
// ".." element.
func clean(raw string) (string, error) {
	if len(raw) > maxName {
		return "", fmt.Errorf("a member's name is longer than %d bytes", maxName)
	}
	n := strings.TrimSuffix(raw, "/")
	if strings.HasPrefix(n, "/") || slices.Contains(strings.Split(n, "/"), "..") {
		return "", fmt.Errorf("%w: %s (an absolute name, or one with \"..\")", ErrInsecurePath, quote.Input(raw))
	}
	for strings.HasPrefix(n, "./") {
		n = n[2:]
	}
	if n == "" {
		return ".", nil
	}
	n = path.Clean(n)
	if !fs.ValidPath(n) {
		return "", fmt.Errorf("a member's name is not a path: %s", quote.Input(raw))
	}
	return n, nil
}

// add puts an entry in the index, with the folders above it.
func (a *archive) add(e *entry) error {
	if err := a.charge(e.name); err != nil {
		return err
	}
	if old := a.byName[e.name]; old != nil {
		switch {
		case old.mode.IsDir() && e.mode.IsDir():
			old.mode, old.mod = e.mode, e.mod
			return nil
		case old.mode.IsDir() != e.mode.IsDir():
			return errors.New("both a file and a folder")
		}
		old.replaced = true
		a.replaceKid(e)
		a.byName[e.name] = e
		a.files = append(a.files, e)
		return nil
	}
	parent, err := a.folder(path.Dir(e.name))
	if err != nil {
		return err
	}
	parent.kids = append(parent.kids, e)
	a.byName[e.name] = e
	if !e.mode.IsDir() {
		a.files = append(a.files, e)
	}
	return nil
}

// charge counts an entry's cost against Limits.Index.
func (a *archive) charge(name string) error {
	a.indexed += int64(len(name)) + entryCost
	if a.indexed > a.lim.Index {
		return tooLarge("the index of its members passes %s", size(a.lim.Index))
	}
	return nil
}

// folder is the folder of the index at name, made (with those above it)
// when the archive has not listed it.
func (a *archive) folder(name string) (*entry, error) {
	if d := a.byName[name]; d != nil {
		if !d.mode.IsDir() {
			return nil, fmt.Errorf("%s is both a file and a folder", name)
		}
		return d, nil
	}
	if err := a.charge(name); err != nil {
		return nil, err
	}
	parent, err := a.folder(path.Dir(name))
	if err != nil {
		return nil, err
	}
	d := &entry{name: name, mode: fs.ModeDir | 0o555}
	parent.kids = append(parent.kids, d)
	a.byName[name] = d
	return d, nil
}

// replaceKid puts e in its folder's list in place of the entry it
// replaces.
func (a *archive) replaceKid(e *entry) {
	parent := a.byName[path.Dir(e.name)]
	for i, k := range parent.kids {
		if k.name == e.name {
			parent.kids[i] = e
		}
	}
}

// sortKids sorts every folder's entries by name, once the index is whole.
func (a *archive) sortKids(d *entry) {
	slices.SortFunc(d.kids, func(x, y *entry) int { return strings.Compare(path.Base(x.name), path.Base(y.name)) })
	for _, k := range d.kids {
		if k.mode.IsDir() {
			a.sortKids(k)
		}
	}
}

// inflater is a gzip decoder positioned in the decoded stream.
type inflater struct {
	zr  *gzip.Reader
	pos int64
}

// inflater returns an inflater positioned at off: the idle one nearest
// before it, or a new one from the start.
func (a *archive) inflater(off int64) (*inflater, error) {
	best := -1
	for i, in := range a.pool {
		if in.pos <= off && (best < 0 || in.pos > a.pool[best].pos) {
			best = i
		}
	}
	var in *inflater
	if best >= 0 {
		in = a.pool[best]
		a.pool = slices.Delete(a.pool, best, best+1)
	} else {
		zr, err := gzip.NewReader(io.NewSectionReader(a.src, 0, a.size))
		if err != nil {
			return nil, err
		}
		in = &inflater{zr: zr}
	}
	n, err := io.CopyN(io.Discard, in.zr, off-in.pos)
	in.pos += n
	if err != nil {
		return nil, err
	}
	return in, nil
}

// idle gives an inflater back to the pool, dropping the one farthest
// behind when the pool is full.
func (a *archive) idle(in *inflater) {
	if a.closed {
		return
	}
	if len(a.pool) == poolSize {
		low := 0
		for i, p := range a.pool {
			if p.pos < a.pool[low].pos {
				low = i
			}
		}
		a.pool = slices.Delete(a.pool, low, low+1)
	}
	a.pool = append(a.pool, in)
}

// file is an open member.
type file struct {
	a   *archive
	e   *entry
	pos int64
	in  *inflater // its own inflater, when it does not read the scanner's
}

func (r *file) Stat() (fs.FileInfo, error) { return info{r.e}, nil }

func (r *file) Read(p []byte) (int, error) {
	a := r.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if r.pos >= r.e.size {
		return 0, io.EOF
	}
	if int64(len(p)) > r.e.size-r.pos {
		p = p[:r.e.size-r.pos]
	}
	var n int
	var err error
	if s := a.scan; r.in == nil && s != nil && s.cur == r.e && s.read == r.pos && (a.lent == nil || a.lent == r) {
		// The scanner stands at this member: read its data as it
		// comes, inflating nothing twice.
		a.lent = r
		n, err = s.tr.Read(p)
		s.read += int64(n)
		if err != nil && err != io.EOF {
			// The stream is broken for the scanner too.
			r.pos += int64(n)
			a.fault(r.e.name, err)
			return n, a.err
		}
	} else {
		if r.in == nil {
			if r.in, err = a.inflater(r.e.off + r.pos); err != nil {
				return 0, &Error{Archive: a.name, Member: r.e.name, Err: err}
			}
		}
		n, err = r.in.zr.Read(p)
		r.in.pos += int64(n)
		if err != nil && (err != io.EOF || r.pos+int64(n) < r.e.size) {
			r.in = nil // broken: not for the pool
		}
	}
	r.pos += int64(n)
	switch {
	case err == io.EOF && r.pos < r.e.size:
		return n, &Error{Archive: a.name, Member: r.e.name, Err: io.ErrUnexpectedEOF}
	case err != nil && err != io.EOF:
		return n, &Error{Archive: a.name, Member: r.e.name, Err: err}
	case r.pos >= r.e.size:
		r.release()
		return n, io.EOF
	}
	return n, nil
}

// release lets go of what the file reads with.
func (r *file) release() {
	if r.a.lent == r {
		r.a.lent = nil
	}
	if r.in != nil {
		r.a.idle(r.in)
		r.in = nil
	}
}

func (r *file) Close() error {
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	r.release()
	r.pos = r.e.size
	return nil
}

// dirFile is an open folder.
type dirFile struct {
	f    *FS
	e    *entry
	read int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return info{d.e}, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.e.name, Err: errors.New("is a directory")}
}

func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	a := d.f.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.finish(); err != nil {
		return nil, err
	}
	rest := d.e.kids[d.read:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	out := make([]fs.DirEntry, len(rest))
	for i, k := range rest {
		out[i] = info{k}
	}
	d.read += len(rest)
	return out, nil
}

// info is an entry as fs.FileInfo and fs.DirEntry.
type info struct{ e *entry }

func (i info) Name() string               { return path.Base(i.e.name) }
func (i info) Size() int64                { return i.e.size }
func (i info) Mode() fs.FileMode          { return i.e.mode }
func (i info) Type() fs.FileMode          { return i.e.mode.Type() }
func (i info) ModTime() time.Time         { return i.e.mod }
func (i info) IsDir() bool                { return i.e.mode.IsDir() }
func (i info) Sys() any                   { return nil }
func (i info) Info() (fs.FileInfo, error) { return i, nil }
func (i info) String() string             { return fs.FormatFileInfo(i) }
