//go:build linux

package tarfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.tar.gz")
	if err := os.WriteFile(p, build(t, member{name: "a.abc", body: "X:1\n"}), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := f.ReadFile("a.abc"); err != nil || string(b) != "X:1\n" {
		t.Errorf("a.abc: %q, %v", b, err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if _, err := f.ReadFile("b"); err == nil {
		t.Error("read after Close")
	}
	// Opened, a FIFO blocks until a writer comes: this would not return.
	fifo := filepath.Join(dir, "live.tar.gz")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fifo, "/dev/zero", dir} {
		if _, err := Open(name, Limits{}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", name, err)
		}
	}
}
