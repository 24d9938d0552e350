package meltysynth

import (
	"encoding/binary"
	"io"
)

type SampleHeader struct {
	Name            string
	Start           int32
	End             int32
	StartLoop       int32
	EndLoop         int32
	SampleRate      int32
	OriginalPitch   uint8
	PitchCorrection int8
	Link            uint16
	SampleType      uint16
}

// readSampleHeadersFromChunk reads the shdr chunk, without its terminal
// record. The positions are checked against the sample data in
// checkSamples.
//
// sideman: as readGeneratorsFromChunk.
func readSampleHeadersFromChunk(r io.Reader, size int32) ([]*SampleHeader, error) {
	n, err := records("sample header", size, 46, true)
	if err != nil {
		return nil, err
	}
	count := n - 1
	headers := make([]*SampleHeader, 0, min(count, maxPrealloc))
	var b [46]byte
	le := binary.LittleEndian
	for i := int32(0); i < count; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, eof(err)
		}
		headers = append(headers, &SampleHeader{
			Name:            cString(b[:20]),
			Start:           int32(le.Uint32(b[20:])),
			End:             int32(le.Uint32(b[24:])),
			StartLoop:       int32(le.Uint32(b[28:])),
			EndLoop:         int32(le.Uint32(b[32:])),
			SampleRate:      int32(le.Uint32(b[36:])),
			OriginalPitch:   b[40],
			PitchCorrection: int8(b[41]),
			Link:            le.Uint16(b[42:]),
			SampleType:      le.Uint16(b[44:]),
		})
	}

	// The last one is the terminator.
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, eof(err)
	}

	return headers, nil
}
