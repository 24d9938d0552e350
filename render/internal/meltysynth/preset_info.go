package meltysynth

import (
	"encoding/binary"
	"io"
)

type presetInfo struct {
	name           string
	patchNumber    int32
	bankNumber     int32
	zoneStartIndex int32
	zoneEndIndex   int32
	library        int32
	genre          int32
	morphology     int32
}

// readPresetsFromChunk reads the phdr chunk, terminal record included.
//
// sideman: each record is read whole with io.ReadFull and appended as
// read; the zone indices are checked against the bag in checkBags.
func readPresetsFromChunk(r io.Reader, size int32) ([]*presetInfo, error) {
	count, err := records("preset", size, 38, false)
	if err != nil {
		return nil, err
	}
	presets := make([]*presetInfo, 0, min(count, maxPrealloc))
	var b [38]byte
	le := binary.LittleEndian
	for i := int32(0); i < count; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, eof(err)
		}
		presets = append(presets, &presetInfo{
			name:           cString(b[:20]),
			patchNumber:    int32(le.Uint16(b[20:])),
			bankNumber:     int32(le.Uint16(b[22:])),
			zoneStartIndex: int32(le.Uint16(b[24:])),
			library:        int32(le.Uint32(b[26:])),
			genre:          int32(le.Uint32(b[30:])),
			morphology:     int32(le.Uint32(b[34:])),
		})
	}

	for i := int32(0); i < count-1; i++ {
		presets[i].zoneEndIndex = presets[i+1].zoneStartIndex - 1
	}

	return presets, nil
}
