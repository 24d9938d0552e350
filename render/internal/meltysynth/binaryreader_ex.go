package meltysynth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxStringLength bounds the strings of the INFO list: SoundFont 2.04,
// 5.1, allows at most 256 bytes for most and 65,536 for the comment
// (ICMT).
const maxStringLength = 65536

// eof turns io.EOF, which ReadFull returns when nothing at all was read,
// into io.ErrUnexpectedEOF: every read here is of a field the file
// promised, so running out is a truncated file, which an error should
// say.
func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func readFourCC(r io.Reader) (string, error) {
	// sideman: io.ReadFull, here and wherever upstream called r.Read: one
	// Read may return fewer bytes than asked (a buffered reader does at
	// its buffer's end), which upstream took for a truncated file.
	var data [4]byte
	if _, err := io.ReadFull(r, data[:]); err != nil {
		return "", eof(err)
	}

	for i := 0; i < 4; i++ {
		value := data[i]
		if !(32 <= value && value <= 126) {
			data[i] = '?'
		}
	}

	return string(data[:]), nil
}

func readFixedLengthString(r io.Reader, length int32) (string, error) {
	// sideman: a length from the file is checked before it is allocated.
	if length < 0 || length > maxStringLength {
		return "", fmt.Errorf("a string of %d bytes, want 0 to %d", length, maxStringLength)
	}
	var data []byte = make([]byte, length)
	if _, err := io.ReadFull(r, data); err != nil {
		return "", eof(err)
	}
	return cString(data), nil
}

func readIntVariableLength(r io.Reader) (int32, error) {
	var acc int32
	count := 0
	for {
		var value byte
		err := binary.Read(r, binary.LittleEndian, &value)
		if err != nil {
			return 0, err
		}
		acc = (acc << 7) | (int32(value) & 127)
		if (value & 128) == 0 {
			break
		}
		count++
		if count == 4 {
			return 0, errors.New("the length of the value must be equal to or less than 4")
		}
	}
	return acc, nil
}

// listReader walks the sub-chunks of a LIST chunk.
//
// sideman: upstream trusted every size it read. Here a list's size must
// be positive, and every sub-chunk's size must fit in what is left of its
// list, so no size from the file is allocated or skipped past its list,
// and a negative one cannot move the walk backwards.
type listReader struct {
	r    io.Reader
	name string // the list's type: INFO, sdta, pdta
	left int64  // bytes of the list not read yet
}

// readList reads a LIST chunk's header and checks its type.
func readList(r io.Reader, want string) (*listReader, error) {
	chunkId, err := readFourCC(r)
	if err != nil {
		return nil, err
	}
	if chunkId != "LIST" {
		return nil, fmt.Errorf("the %s list chunk was not found (found %q)", want, chunkId)
	}
	var size int32
	if err := binary.Read(r, binary.LittleEndian, &size); err != nil {
		return nil, eof(err)
	}
	if size < 4 {
		return nil, fmt.Errorf("the %s list claims %d bytes", want, size)
	}
	listType, err := readFourCC(r)
	if err != nil {
		return nil, err
	}
	if listType != want {
		return nil, fmt.Errorf("the type of the list chunk must be %q, but was %q", want, listType)
	}
	return &listReader{r: r, name: want, left: int64(size) - 4}, nil
}

// next reads the next sub-chunk's id and size; ok is false at the end of
// the list. The caller must read or skip exactly size bytes.
func (l *listReader) next() (id string, size int32, ok bool, err error) {
	if l.left <= 0 {
		return "", 0, false, nil
	}
	if l.left < 8 {
		return "", 0, false, fmt.Errorf("the %s list ends in the middle of a sub-chunk header", l.name)
	}
	if id, err = readFourCC(l.r); err != nil {
		return "", 0, false, err
	}
	if err = binary.Read(l.r, binary.LittleEndian, &size); err != nil {
		return "", 0, false, eof(err)
	}
	l.left -= 8
	if size < 0 || int64(size) > l.left {
		return "", 0, false, fmt.Errorf("the %s sub-chunk %q claims %d bytes, but its list has %d left", l.name, id, size, l.left)
	}
	l.left -= int64(size)
	return id, size, true, nil
}

// skip discards n bytes.
func skip(r io.Reader, n int32) error {
	if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
		return eof(err)
	}
	return nil
}

// records checks a chunk of fixed-size records and returns their count.
// Callers append the records as they read them, from a capacity of at
// most maxPrealloc, so a size that the file does not hold costs no
// memory.
func records(chunk string, size, recordSize int32, terminated bool) (int32, error) {
	if size%recordSize != 0 {
		return 0, fmt.Errorf("the %s chunk has %d bytes, not a multiple of %d", chunk, size, recordSize)
	}
	n := size / recordSize
	if terminated && n < 1 {
		return 0, fmt.Errorf("the %s chunk has no terminal record", chunk)
	}
	return n, nil
}

// maxPrealloc bounds the capacity allocated for records before reading
// them.
const maxPrealloc = 1 << 12

// cString is b up to its first NUL byte: a fixed-length string's
// text.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
