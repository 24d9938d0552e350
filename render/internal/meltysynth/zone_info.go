package meltysynth

import (
	"encoding/binary"
	"io"
)

type zoneInfo struct {
	generatorIndex int32
	modulatorIndex int32
	generatorCount int32
	modulatorCount int32
}

// readZonesFromChunk reads a pbag or ibag chunk, terminal record
// included. The counts are what the next record's indices say; they are
// checked against the generator list in checkBags.
func readZonesFromChunk(r io.Reader, size int32) ([]*zoneInfo, error) {
	count, err := records("bag", size, 4, false)
	if err != nil {
		return nil, err
	}
	zones := make([]*zoneInfo, 0, min(count, maxPrealloc))
	var b [4]byte
	for i := int32(0); i < count; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, eof(err)
		}
		zones = append(zones, &zoneInfo{
			generatorIndex: int32(binary.LittleEndian.Uint16(b[0:])),
			modulatorIndex: int32(binary.LittleEndian.Uint16(b[2:])),
		})
	}

	for i := int32(0); i < count-1; i++ {
		zones[i].generatorCount = zones[i+1].generatorIndex - zones[i].generatorIndex
		zones[i].modulatorCount = zones[i+1].modulatorIndex - zones[i].modulatorIndex
	}

	return zones, nil
}
