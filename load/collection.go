package load

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Limits on collections: a folder or archive bigger than this is refused
// rather than read into memory.
const (
	MaxMembers        = 100000
	MaxCollectionSize = 1 << 30
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
	doc   *Document
	total int64
}

func (c *collection) add(name string, data []byte) error {
	if len(c.doc.Members) >= MaxMembers {
		return &InputError{c.doc.Name, fmt.Errorf("more than %d files", MaxMembers)}
	}
	c.total += int64(len(data))
	if c.total > MaxCollectionSize {
		return &InputError{c.doc.Name, fmt.Errorf("more than %d MiB of files", MaxCollectionSize>>20)}
	}
	m, err := Bytes(name, data)
	if err != nil {
		c.doc.Warnings = append(c.doc.Warnings, err)
		return nil
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
	f, err := os.Open(name)
	if err != nil {
		return nil, &InputError{name, errors.Unwrap(err)}
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, &InputError{name, fmt.Errorf("not a gzip archive: %v", err)}
	}
	c := &collection{doc: &Document{Name: name}}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
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
		if err != nil {
			return nil, &InputError{name, fmt.Errorf("%s: %v", h.Name, err)}
		}
		if err := c.add(name+":"+h.Name, data); err != nil {
			return nil, err
		}
	}
	// Archives list files in any order; name order makes indexes stable.
	sort.SliceStable(c.doc.Members, func(i, j int) bool { return c.doc.Members[i].Name < c.doc.Members[j].Name })
	c.doc.Charts = c.doc.Charts[:0]
	for _, m := range c.doc.Members {
		c.doc.Charts = append(c.doc.Charts, m.Charts...)
	}
	return c.finish()
}
