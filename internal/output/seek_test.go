package output

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"
)

// A regular file's writer seeks, as a WAV streamed with its header last
// needs: the buffered bytes go out first, and what is written after a
// seek lands there. Standard output's does not.
func TestWriteSeeks(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.wav")
	tg := check(t, out, []Format{WAV})
	err := tg.Write(nil, func(w io.Writer) error {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			t.Fatalf("%T does not seek", w)
		}
		io.WriteString(ws, "....body")
		if _, err := ws.Seek(0, io.SeekStart); err != nil {
			return err
		}
		io.WriteString(ws, "head")
		if at, err := ws.Seek(0, io.SeekEnd); err != nil || at != 8 {
			t.Errorf("at the end: %d, %v; want 8", at, err)
		}
		_, err := io.WriteString(ws, "!")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, out); got != "headbody!" {
		t.Errorf("%q, want %q", got, "headbody!")
	}
	var stdout bytes.Buffer
	if err := check(t, "-", []Format{WAV}).Write(&stdout, func(w io.Writer) error {
		if _, ok := w.(io.Seeker); ok {
			t.Errorf("standard output's writer %T seeks", w)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
