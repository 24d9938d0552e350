// Package corpus locates the shared corpora (../shared/data beside the
// repository, or $SIDEMAN_DATA) and reads members of the .tar.gz archives
// they come in without extracting them, through internal/tarfs (its limits
// and checks). Commands use it to learn from the corpora (sideman feel
// learn --recipe, feel eval); tests use it through internal/shareddata,
// which skips or fails when a corpus is missing.
package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sideman/internal/tarfs"
)

// EnvDir names the environment variable that overrides the data directory.
const EnvDir = "SIDEMAN_DATA"

// Root returns the shared data directory: $SIDEMAN_DATA when set, otherwise
// the first "shared/data" found walking up from the working directory (the
// repository lives in /work/main and the data in /work/shared/data).
func Root() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("corpus: $%s=%q is not a directory", EnvDir, d)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("corpus: %v", err)
	}
	for dir := wd; ; {
		for _, c := range []string{filepath.Join(dir, "shared", "data"), filepath.Join(dir, "data")} {
			// Only accept a "data" that sits in a "shared" directory, so an
			// unrelated data folder in the repository is never picked up.
			if filepath.Base(filepath.Dir(c)) != "shared" {
				continue
			}
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				return c, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("corpus: no shared/data above %s (set $%s)", wd, EnvDir)
}

// Member is one regular file inside an archive.
type Member struct {
	Name string // path inside the archive, slash-separated
	Size int64
}

// ErrNotRegular is the error of Open for what is not a regular file.
var ErrNotRegular = tarfs.ErrNotRegular

// Open opens a corpus file for reading: a regular file or a link to one.
// A FIFO, a device or a folder is refused before it is opened (opening a
// FIFO blocks until something writes to it); the error is a
// *fs.PathError wrapping ErrNotRegular.
func Open(name string) (*os.File, error) {
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
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return f, nil
}

// ReadFile reads a corpus file through Open, refusing one larger than
// limit bytes.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("larger than %d MiB", limit>>20)}
	}
	return b, nil
}

// OpenArchive opens the .tar.gz at path as an fs.FS with tarfs's default
// limits, refusing what is not a regular file as Open does; closing the FS
// closes the file.
func OpenArchive(path string) (*tarfs.FS, error) {
	return tarfs.Open(path, tarfs.Limits{})
}

// SkipAll may be returned by a WalkTarGz callback to stop without error.
var SkipAll = errors.New("corpus: skip remaining members")

// WalkTarGz calls fn for every regular file in the .tar.gz at path whose name
// matches keep (nil keeps all), in archive order. r reads the member's
// content and is valid only during the call. An error from fn stops the walk
// and is returned, except SkipAll which stops it quietly. The archive is
// read once (tarfs.FS.Files); a fault of it found after some members (a bad
// CRC at the end) is returned after they have been given to fn.
func WalkTarGz(path string, keep func(name string) bool, fn func(m Member, r io.Reader) error) error {
	t, err := OpenArchive(path)
	if err != nil {
		return err
	}
	defer t.Close()
	for name, err := range t.Files() {
		if err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		if keep != nil && !keep(name) {
			continue
		}
		f, err := t.Open(name)
		if err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		st, err := f.Stat()
		if err == nil {
			err = fn(Member{Name: name, Size: st.Size()}, f)
		}
		f.Close()
		if err == SkipAll {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// MaxMemberSize bounds a member ReadTarGz reads, as load.MaxSize does a
// file.
const MaxMemberSize = 64 << 20

// ReadTarGz returns the contents of the members of the .tar.gz at path whose
// names match keep, in archive order. Convenient for benchmarks, which load
// a corpus into memory before timing.
func ReadTarGz(path string, keep func(name string) bool) ([]Member, [][]byte, error) {
	var ms []Member
	var data [][]byte
	err := WalkTarGz(path, keep, func(m Member, r io.Reader) error {
		b, err := io.ReadAll(io.LimitReader(r, MaxMemberSize+1))
		if err != nil {
			return fmt.Errorf("corpus: %s: %s: %v", path, m.Name, err)
		}
		if len(b) > MaxMemberSize {
			return fmt.Errorf("corpus: %s: %s: larger than %d MiB", path, m.Name, MaxMemberSize>>20)
		}
		ms = append(ms, m)
		data = append(data, b)
		return nil
	})
	return ms, data, err
}

// HasSuffix returns a keep function for WalkTarGz that matches names ending
// in any of the suffixes, ignoring case (".mid", ".midi"), and skips the
// "._" resource forks macOS tar leaves behind.
func HasSuffix(suffixes ...string) func(string) bool {
	return func(name string) bool {
		if strings.HasPrefix(filepath.Base(name), "._") {
			return false
		}
		low := strings.ToLower(name)
		for _, s := range suffixes {
			if strings.HasSuffix(low, strings.ToLower(s)) {
				return true
			}
		}
		return false
	}
}
