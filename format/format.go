// Package format holds what sideman's format packages (format/abc,
// format/midi, ...) share: the size limit on what a decoder reads and the
// error for input past it. They follow one convention, written down in
// docs/formats.md:
//
//   - Decode(r io.Reader) reads the whole input, at most MaxSize bytes;
//     DecodeBytes(data []byte) decodes input already in memory and gives
//     the same result.
//   - A package whose results name their source (the notes' Origin) or
//     that has options has a Decoder struct, with a Source field and the
//     same Decode and DecodeBytes as methods; the package's functions are
//     those of the zero Decoder. No decoder asks the reader for a name:
//     the caller, who knows it, says it.
//   - Errors about the input are the package's *ParseError, which says
//     where (a line and column, a byte, a bar) and wraps what went wrong,
//     for errors.Is and errors.As; input past a limit wraps ErrTooLarge.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxSize is the most bytes a decoder reads: far more than any score or
// tune book holds, and a bound on what one hostile file costs.
const MaxSize = 64 << 20

// ErrTooLarge is wrapped by every format's errors for input past a limit:
// more than MaxSize bytes, or more bars, notes or tunes than the format
// reads.
var ErrTooLarge = errors.New("too large")

// errSize is the error for input over MaxSize.
var errSize = fmt.Errorf("%w: more than %d MiB", ErrTooLarge, MaxSize>>20)

// CheckSize returns an error wrapping ErrTooLarge for n bytes over
// MaxSize, else nil.
func CheckSize(n int) error {
	if n > MaxSize {
		return errSize
	}
	return nil
}

// ReadAll reads r to its end, at most MaxSize bytes: more is an error
// wrapping ErrTooLarge, found after reading one byte past the limit.
func ReadAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	// Readers that know their length (bytes.Reader, strings.Reader,
	// bytes.Buffer) are read into one allocation of the right size.
	if l, ok := r.(interface{ Len() int }); ok {
		buf.Grow(min(l.Len(), MaxSize) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if err := CheckSize(buf.Len()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
