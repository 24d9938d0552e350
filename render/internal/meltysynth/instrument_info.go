package meltysynth

import (
	"encoding/binary"
	"io"
)

type instrumentInfo struct {
	name           string
	zoneStartIndex int32
	zoneEndIndex   int32
}

// readInstrumentsFromChunk reads the inst chunk, terminal record
// included.
//
// sideman: as readPresetsFromChunk.
func readInstrumentsFromChunk(r io.Reader, size int32) ([]*instrumentInfo, error) {
	count, err := records("instrument", size, 22, false)
	if err != nil {
		return nil, err
	}
	instruments := make([]*instrumentInfo, 0, min(count, maxPrealloc))
	var b [22]byte
	for i := int32(0); i < count; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, eof(err)
		}
		instruments = append(instruments, &instrumentInfo{
			name:           cString(b[:20]),
			zoneStartIndex: int32(binary.LittleEndian.Uint16(b[20:])),
		})
	}

	for i := int32(0); i < count-1; i++ {
		instruments[i].zoneEndIndex = instruments[i+1].zoneStartIndex - 1
	}

	return instruments, nil
}
