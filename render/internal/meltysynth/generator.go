package meltysynth

import (
	"encoding/binary"
	"io"
)

type generator struct {
	generatorType uint16
	value         uint16
}

// readGeneratorsFromChunk reads a pgen or igen chunk, without its
// terminal record.
//
// sideman: the size is checked (upstream made a slice of -1 for an empty
// chunk), the records are read with io.ReadFull and appended as read.
func readGeneratorsFromChunk(r io.Reader, size int32) ([]generator, error) {
	n, err := records("generator", size, 4, true)
	if err != nil {
		return nil, err
	}
	count := n - 1
	generators := make([]generator, 0, min(count, maxPrealloc))
	var b [4]byte
	for i := int32(0); i < count; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, eof(err)
		}
		generators = append(generators, generator{
			generatorType: binary.LittleEndian.Uint16(b[0:]),
			value:         binary.LittleEndian.Uint16(b[2:]),
		})
	}

	// The last one is the terminator.
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, eof(err)
	}

	return generators, nil
}
