package format

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// counter is an endless reader of zeros that counts what it gives.
type counter struct{ n int }

func (c *counter) Read(p []byte) (int, error) {
	clear(p)
	c.n += len(p)
	return len(p), nil
}

func TestReadAll(t *testing.T) {
	data, err := ReadAll(io.LimitReader(&counter{}, MaxSize))
	if err != nil || len(data) != MaxSize {
		t.Errorf("MaxSize bytes: %d bytes, %v", len(data), err)
	}
	c := &counter{}
	if _, err := ReadAll(c); !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless input: %v, want ErrTooLarge", err)
	}
	if c.n > MaxSize+64<<10 {
		t.Errorf("endless input: read %d bytes, want at most MaxSize and a buffer", c.n)
	}
	if err := CheckSize(MaxSize + 1); !errors.Is(err, ErrTooLarge) || err.Error() != "too large: more than 64 MiB" {
		t.Errorf("CheckSize(MaxSize+1 bytes) = %v", err)
	}
	if err := CheckSize(MaxSize); err != nil {
		t.Errorf("CheckSize(MaxSize bytes) = %v", err)
	}
	broken := errors.New("disk on fire")
	if _, err := ReadAll(io.MultiReader(bytes.NewReader([]byte("ab")), &failing{broken})); !errors.Is(err, broken) {
		t.Errorf("failing reader: %v, want its error", err)
	}
}

type failing struct{ err error }

func (f *failing) Read([]byte) (int, error) { return 0, f.err }
