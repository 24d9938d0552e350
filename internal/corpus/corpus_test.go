//go:build linux

package corpus

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A tar.gz whose gzip CRC is wrong: the members inflate as they were,
// and only reading the stream to its end finds the fault.
func TestWalkTarGzChecksTheCRC(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	body := []byte("X:1\nT:Tune\nK:G\nGABc|\n")
	tw.WriteHeader(&tar.Header{Name: "a.abc", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
	tw.Write(body)
	tw.Close()
	zw.Close()
	dir := t.TempDir()
	for _, bad := range []bool{false, true} {
		data := append([]byte(nil), buf.Bytes()...)
		if bad {
			data[len(data)-8] ^= 0x40 // RFC 1952: CRC-32, then the length
		}
		p := filepath.Join(dir, "x.tar.gz")
		os.WriteFile(p, data, 0o644)
		var got []string
		err := WalkTarGz(p, nil, func(m Member, r io.Reader) error {
			got = append(got, m.Name)
			return nil
		})
		if len(got) != 1 {
			t.Errorf("members %v: want a.abc", got)
		}
		if bad != (err != nil) || bad && !strings.Contains(err.Error(), "checksum") {
			t.Errorf("corrupted %v: error %v", bad, err)
		}
	}
}

func TestOpenRefusesAFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "info.csv")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	// Opened, a FIFO blocks until a writer comes: this would not return.
	for _, name := range []string{p, "/dev/zero"} {
		if _, err := ReadFile(name, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v: want ErrNotRegular", name, err)
		}
	}
}
