package tarfs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// member is one header of a test archive, with its data.
type member struct {
	name string
	body string
	kind byte // tar.TypeReg when 0
	link string
}

// build writes the members, in order, as a .tar.gz.
func build(tb testing.TB, ms ...member) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, m := range ms {
		h := &tar.Header{Name: m.name, Mode: 0o644, Typeflag: m.kind, Linkname: m.link, Format: tar.FormatPAX}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(m.body))
		}
		if h.Typeflag == tar.TypeDir {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			tb.Fatal(err)
		}
		if _, err := tw.Write([]byte(m.body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func open(tb testing.TB, data []byte, lim Limits) *FS {
	tb.Helper()
	f, err := New("t.tar.gz", bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// sample is an archive as tar writes a folder: folders listed or not,
// "./" before some names, members out of name order.
func sample(tb testing.TB) ([]byte, map[string]string) {
	ms := []member{
		{name: "./", kind: tar.TypeDir},
		{name: "./tunes/", kind: tar.TypeDir},
		{name: "./tunes/b.chart", body: "title: B\n| C |\n"},
		{name: "./tunes/a.abc", body: "X:1\nT:A\nK:G\nGABc|\n"},
		{name: "drums/funk/1.mid", body: "MThd not really"},
		{name: "drums/empty.mid", body: ""},
		{name: "README", body: strings.Repeat("readme ", 1000)},
		{name: "link.mid", kind: tar.TypeSymlink, link: "drums/funk/1.mid"},
		{name: "hard.mid", kind: tar.TypeLink, link: "README"},
		{name: "fifo", kind: tar.TypeFifo},
		{name: "zero", kind: tar.TypeChar},
	}
	want := map[string]string{}
	for _, m := range ms {
		if m.kind == 0 {
			want[strings.TrimPrefix(m.name, "./")] = m.body
		}
	}
	return build(tb, ms...), want
}

func TestFSContract(t *testing.T) {
	data, want := sample(t)
	f := open(t, data, Limits{})
	var names []string
	for n := range want {
		names = append(names, n)
	}
	if err := fstest.TestFS(f, names...); err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(f, "drums")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sub.(*FS); !ok {
		t.Errorf("fs.Sub gave %T, want the archive's own *FS", sub)
	}
	if err := fstest.TestFS(sub, "funk/1.mid", "empty.mid"); err != nil {
		t.Fatal(err)
	}
	for name, body := range want {
		got, err := fs.ReadFile(f, name)
		if err != nil || string(got) != body {
			t.Errorf("%s: %q, %v; want %q", name, got, err, body)
		}
	}
	// Links, devices and FIFOs are no files of the FS.
	for _, name := range []string{"link.mid", "hard.mid", "fifo", "zero"} {
		if _, err := f.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want fs.ErrNotExist", name, err)
		}
	}
	ents, err := f.ReadDir(".")
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if err != nil || !slices.Equal(got, []string{"README", "drums", "tunes"}) {
		t.Errorf("root lists %v, %v", got, err)
	}
}

// Files walks the archive in its order and skips what is not a file.
func TestFilesInArchiveOrder(t *testing.T) {
	data, _ := sample(t)
	f := open(t, data, Limits{})
	var got []string
	for name, err := range f.Files() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	want := []string{"tunes/b.chart", "tunes/a.abc", "drums/funk/1.mid", "drums/empty.mid", "README"}
	if !slices.Equal(got, want) {
		t.Errorf("Files: %v, want %v", got, want)
	}
	sub, _ := fs.Sub(f, "tunes")
	got = nil
	for name, err := range sub.(*FS).Files() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	if !slices.Equal(got, []string{"b.chart", "a.abc"}) {
		t.Errorf("Files of tunes: %v", got)
	}
}

// countingReader counts the compressed bytes read from an archive.
type countingReader struct {
	r *bytes.Reader
	n int64
	sync.Mutex
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.Lock()
	c.n += int64(n)
	c.Unlock()
	return n, err
}

// noise is n bytes gzip cannot shrink.
func noise(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return string(b)
}

// TestReadingCost measures the compressed bytes read: a walk in archive
// order reads the archive once; reading after the index is whole, once
// more; reading backwards restarts for every member.
func TestReadingCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ms []member
	want := map[string]string{}
	const n = 40
	for i := range n {
		m := member{name: fmt.Sprintf("m%02d.mid", i), body: noise(rng, 20<<10)}
		ms, want[m.name] = append(ms, m), m.body
	}
	data := build(t, ms...)
	size := float64(len(data))
	read := func(walk bool, order []string) float64 {
		c := &countingReader{r: bytes.NewReader(data)}
		f, err := New("t.tar.gz", c, int64(len(data)), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string) {
			got, err := f.ReadFile(name)
			if err != nil || string(got) != want[name] {
				t.Fatalf("%s: %d bytes, %v", name, len(got), err)
			}
		}
		if walk {
			for name, err := range f.Files() {
				if err != nil {
					t.Fatal(err)
				}
				check(name)
			}
		}
		for _, name := range order {
			check(name)
		}
		return float64(c.n) / size
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.name)
	}
	once := read(true, nil)
	twice := read(false, names)
	reversed := slices.Clone(names)
	slices.Reverse(reversed)
	back := read(false, reversed)
	t.Logf("archive of %d KB read %.2f times walking it, %.2f times in order after indexing, %.2f times backwards", len(data)>>10, once, twice, back)
	if once > 1.1 {
		t.Errorf("a walk in archive order read the archive %.2f times, want once", once)
	}
	if twice > 2.1 {
		t.Errorf("reading in archive order after the index read it %.2f times, want twice", twice)
	}
	if back < n/4 {
		t.Errorf("reading backwards read the archive %.2f times: the measure cannot tell", back)
	}
}

// A member read while the walk goes on past it (the walk does not wait
// for the reader) is read whole all the same.
func TestReaderOutlivesTheWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := noise(rng, 70<<10), noise(rng, 10<<10)
	f := open(t, build(t, member{name: "a", body: a}, member{name: "b", body: b}), Limits{})
	var first fs.File
	half := make([]byte, len(a)/2)
	for name, err := range f.Files() {
		if err != nil {
			t.Fatal(err)
		}
		if name == "a" {
			var err error
			if first, err = f.Open("a"); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(first, half); err != nil {
				t.Fatal(err)
			}
		}
	}
	rest, err := io.ReadAll(first)
	if err != nil || string(half)+string(rest) != a {
		t.Errorf("a read across the walk: %d+%d bytes, %v", len(half), len(rest), err)
	}
}

func TestChecksum(t *testing.T) {
	data := build(t, member{name: "a.chart", body: "title: A\n| C |\n"})
	// RFC 1952: the CRC-32 of the data, then its length, end the stream.
	data[len(data)-8] ^= 1
	f := open(t, data, Limits{})
	var got []string
	var last error
	for name, err := range f.Files() {
		if err != nil {
			last = err
			continue
		}
		got = append(got, name)
	}
	if !slices.Equal(got, []string{"a.chart"}) || !errors.Is(last, gzip.ErrChecksum) {
		t.Errorf("walk: %v then %v; want a.chart, then the checksum", got, last)
	}
	var e *Error
	if !errors.As(last, &e) || e.Archive != "t.tar.gz" || !strings.HasPrefix(last.Error(), "t.tar.gz: ") {
		t.Errorf("%v: want an *Error naming the archive", last)
	}
	// Anything that reads the archive whole meets the fault first.
	for _, op := range []func(*FS) error{
		func(f *FS) error { _, err := f.ReadDir("."); return err },
		func(f *FS) error { _, err := f.ReadFile("a.chart"); return err },
		func(f *FS) error { _, err := f.Stat("none"); return err },
		func(f *FS) error { return ReadingOrder(f, []string{"a.chart"}) },
	} {
		if err := op(open(t, data, Limits{})); !errors.Is(err, gzip.ErrChecksum) {
			t.Errorf("%v: want the checksum", err)
		}
	}
}

func TestRefused(t *testing.T) {
	big := strings.Repeat("x", 3000)
	for _, tc := range []struct {
		what string
		data []byte
		lim  Limits
		want error
		says string
	}{
		{"absolute", build(t, member{name: "/etc/passwd", body: "root"}), Limits{}, ErrInsecurePath, `"/etc/passwd"`},
		{"up", build(t, member{name: "../x.mid", body: "x"}), Limits{}, ErrInsecurePath, `"../x.mid"`},
		{"up inside", build(t, member{name: "a/../b.mid", body: "x"}), Limits{}, ErrInsecurePath, `"a/../b.mid"`},
		{"up folder", build(t, member{name: "./../", kind: tar.TypeDir}), Limits{}, ErrInsecurePath, "outside"},
		{"long name", build(t, member{name: strings.Repeat("n", 5000), body: "x"}), Limits{}, nil, "longer than 4096"},
		{"file and folder", build(t, member{name: "a", body: "x"}, member{name: "a/b", body: "y"}), Limits{}, nil, "both a file and a folder"},
		{"folder and file", build(t, member{name: "a/b", body: "y"}, member{name: "a", body: "x"}), Limits{}, nil, "both a file and a folder"},
		{"inflated", build(t, member{name: "a", body: big}), Limits{Inflated: 2048}, ErrTooLarge, "inflates to more than 2048 bytes"},
		{"index", build(t, member{name: "a", body: "x"}, member{name: "b", body: "y"}), Limits{Index: entryCost + 10}, ErrTooLarge, "index"},
		{"truncated", build(t, member{name: "a", body: big})[:40], Limits{}, io.ErrUnexpectedEOF, "t.tar.gz"},
	} {
		f := open(t, tc.data, tc.lim)
		_, err := f.ReadDir(".")
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v; want %v saying %s", tc.what, err, tc.want, tc.says)
			continue
		}
		if s := err.Error(); strings.Contains(s, "\n") || len(s) > 200 || !strings.HasPrefix(s, "t.tar.gz: ") {
			t.Errorf("%s: %q: want one short line naming the archive", tc.what, s)
		}
	}
	if _, err := New("plain.tar.gz", strings.NewReader("not gzip at all"), 15, Limits{}); err == nil || !strings.Contains(err.Error(), "plain.tar.gz: not a gzip archive") {
		t.Errorf("not gzip: %v", err)
	}
}

// A member larger than Limits.Member is listed but cannot be opened.
func TestMemberLimit(t *testing.T) {
	f := open(t, build(t, member{name: "big", body: strings.Repeat("x", 2<<20)}, member{name: "small", body: "x"}), Limits{Member: 1 << 20})
	if st, err := f.Stat("big"); err != nil || st.Size() != 2<<20 {
		t.Errorf("stat: %v", err)
	}
	_, err := f.Open("big")
	if !errors.Is(err, ErrTooLarge) || err.Error() != "t.tar.gz: big: larger than 1 MiB" {
		t.Errorf("open: %v", err)
	}
	if _, err := f.ReadFile("big"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("read: %v", err)
	}
	if b, err := f.ReadFile("small"); err != nil || string(b) != "x" {
		t.Errorf("small: %q, %v", b, err)
	}
}

// A name the archive holds twice is the later file, as tar -x leaves it.
func TestTwice(t *testing.T) {
	f := open(t, build(t, member{name: "a", body: "old"}, member{name: "b", body: "b"}, member{name: "./a", body: "new"}), Limits{})
	var got []string
	for name, err := range f.Files() {
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, name+"="+string(b))
	}
	// The walk met the old a before it knew of the new one.
	if !slices.Equal(got, []string{"a=old", "b=b", "a=new"}) {
		t.Errorf("walk: %v", got)
	}
	if b, _ := f.ReadFile("a"); string(b) != "new" {
		t.Errorf("a: %q, want the later", b)
	}
	if err := fstest.TestFS(f, "a", "b"); err != nil {
		t.Error(err)
	}
}

func TestReadingOrder(t *testing.T) {
	data, _ := sample(t)
	f := open(t, data, Limits{})
	names := []string{"README", "none", "tunes/a.abc", "drums/empty.mid", "tunes/b.chart"}
	if err := ReadingOrder(f, names); err != nil {
		t.Fatal(err)
	}
	if want := []string{"tunes/b.chart", "tunes/a.abc", "drums/empty.mid", "README", "none"}; !slices.Equal(names, want) {
		t.Errorf("%v, want %v", names, want)
	}
	other := []string{"b", "a"}
	if err := ReadingOrder(fstest.MapFS{}, other); err != nil || other[0] != "b" {
		t.Errorf("another fs.FS: %v %v", other, err)
	}
}

// Readers of different members at once each get their own.
func TestConcurrentReaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	want := map[string]string{}
	var ms []member
	for i := range 12 {
		m := member{name: fmt.Sprintf("d%d/m.mid", i), body: noise(rng, 5000+i*1000)}
		ms, want[m.name] = append(ms, m), m.body
	}
	f := open(t, build(t, ms...), Limits{})
	var wg sync.WaitGroup
	for round := range 3 {
		for name, body := range want {
			wg.Go(func() {
				b, err := f.ReadFile(name)
				if err != nil || string(b) != body {
					t.Errorf("round %d: %s: %d bytes, %v", round, name, len(b), err)
				}
			})
		}
	}
	wg.Wait()
}

// FuzzFS reads whatever decodes as an archive both ways, walking it and
// opening its files by name, and wants the same files and bytes, no
// panic, and an FS that keeps fs.FS's contract.
func FuzzFS(f *testing.F) {
	data, _ := sample(f)
	f.Add(data)
	f.Add(build(f, member{name: "a", body: "old"}, member{name: "./a", body: "new"}))
	f.Add(build(f, member{name: "../x", body: "x"}))
	f.Add(build(f, member{name: "a/b/c/d.mid", body: strings.Repeat("abc", 300)}, member{name: "a/b", kind: tar.TypeDir}))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		// No member passes Member when the archive passes Inflated.
		lim := Limits{Inflated: 1 << 20, Member: 1 << 20, Index: 1 << 16}
		fsys, err := New("f.tar.gz", bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			return
		}
		walked := map[string]string{}
		var fault error
		for name, err := range fsys.Files() {
			if err != nil {
				fault = err
				break
			}
			if b, err := fsys.ReadFile(name); err == nil {
				walked[name] = string(b)
			}
		}
		if fault != nil {
			var e *Error
			if !errors.As(fault, &e) {
				t.Fatalf("fault %v (%T): want an *Error", fault, fault)
			}
			return
		}
		var names []string
		for name, body := range walked {
			names = append(names, name)
			if b, err := fsys.ReadFile(name); err != nil || string(b) != body {
				t.Fatalf("%s: walked %d bytes, read %d (%v)", name, len(body), len(b), err)
			}
		}
		if err := fstest.TestFS(fsys, names...); err != nil {
			t.Fatal(err)
		}
	})
}
