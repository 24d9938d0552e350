package meltysynth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

type soundFontSampleData struct {
	bitsPerSample int32
	samples       []int16
}

func newSoundFontSampleData(r io.Reader) (*soundFontSampleData, error) {
	chunkId, err := readFourCC(r)
	if err != nil {
		return nil, err
	}
	if chunkId != "LIST" {
		return nil, errors.New("the list chunk was not found")
	}

	var pos int32
	var end int32
	err = binary.Read(r, binary.LittleEndian, &end)
	if err != nil {
		return nil, err
	}

	listType, err := readFourCC(r)
	if err != nil {
		return nil, err
	}
	if listType != "sdta" {
		return nil, fmt.Errorf(`the type of the list chunk must be "sdta", but was %q`, listType)
	}
	pos += 4

	result := new(soundFontSampleData)

	for pos < end {
		var id string
		id, err = readFourCC(r)
		if err != nil {
			return nil, err
		}
		pos += 4

		var size int32
		err = binary.Read(r, binary.LittleEndian, &size)
		if err != nil {
			return nil, err
		}
		pos += 4

		switch id {
		case "smpl":
			result.bitsPerSample = 16
			result.samples, err = readSamples(r, size)
		case "sm24":
			// 24 bit audio is not supported.
			// sideman: skipped with io.CopyN; one Read may return less
			// than asked from a buffered reader, which upstream took for
			// a truncated file.
			var skipped int64
			skipped, err = io.CopyN(io.Discard, r, int64(size))
			if skipped != int64(size) {
				return nil, errors.New("failed to read the 24 bit audio data")
			}
		default:
			return nil, fmt.Errorf("the info list contains an unknown id %q", id)
		}
		if err != nil {
			return nil, err
		}

		pos += size
	}

	if result.samples == nil {
		return nil, errors.New("no valid sample data was found")
	}

	return result, nil
}

// readSamples reads size bytes of 16-bit little-endian samples.
//
// sideman: a megabyte at a time, converted with a plain loop. Upstream's
// binary.Read of the whole []int16 took 0.4 s for FluidR3's 148 MB,
// allocated a second 148 MB buffer, and allocated whatever size a
// malformed header claimed before reading a byte; here memory grows with
// the data actually read, after a first allocation of at most 256 MB.
func readSamples(r io.Reader, size int32) ([]int16, error) {
	if size < 0 {
		return nil, fmt.Errorf("the smpl chunk has a negative size %d", size)
	}
	samples := make([]int16, 0, min(int(size/2), 1<<27))
	buf := make([]byte, 1<<20)
	for left := int(size/2) * 2; left > 0; {
		b := buf[:min(left, len(buf))]
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(b); i += 2 {
			samples = append(samples, int16(uint16(b[i])|uint16(b[i+1])<<8))
		}
		left -= len(b)
	}
	if size%2 == 1 {
		// An odd byte count: the last byte makes no sample; read it so
		// the reader stays where the caller's count says.
		if _, err := io.ReadFull(r, buf[:1]); err != nil {
			return nil, err
		}
	}
	return samples, nil
}
