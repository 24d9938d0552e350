package tarfs_test

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"testing"

	"sideman/internal/shareddata"
	"sideman/internal/tarfs"
)

// TestCorpora reads every archive of the shared corpora with tarfs and
// with archive/tar as it stands, and wants the same regular files with
// the same bytes, in the same order.
func TestCorpora(t *testing.T) {
	root := shareddata.Dir(t, ".")
	archives, _ := filepath.Glob(filepath.Join(root, "*", "*.tar.gz"))
	if len(archives) == 0 {
		t.Fatalf("no archives in %s", root)
	}
	for _, p := range archives {
		want := plain(t, p)
		f, err := tarfs.Open(p, tarfs.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for name, err := range f.Files() {
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			b, err := f.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if i >= len(want) || want[i].name != name || want[i].sum != sha256.Sum256(b) {
				t.Fatalf("%s: file %d is %s: not what archive/tar reads", p, i, name)
			}
			i++
		}
		if i != len(want) {
			t.Errorf("%s: %d files, archive/tar reads %d", p, i, len(want))
		}
		f.Close()
		t.Logf("%s: %d files", filepath.Base(p), i)
	}
}

type sum struct {
	name string
	sum  [32]byte
}

func plain(t *testing.T, p string) []sum {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out []sum
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sum{h.Name, sha256.Sum256(b)})
	}
}
