package render

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"sideman/music"
)

// WAV renders the piece (see Render) and writes it to w as a 16-bit
// stereo PCM WAV file.
func WAV(w io.Writer, p *music.Piece, opt Options) error {
	a, err := Render(p, opt)
	if err != nil {
		return err
	}
	return a.WriteWAV(w)
}

// WriteWAV writes the audio as a canonical 44-byte-header RIFF/WAVE file:
// "RIFF" size "WAVE", a "fmt " chunk of 16 bytes (format 1 = PCM, 2
// channels, the sample rate, bytes a second, block align 4, 16 bits a
// sample), then "data" and the interleaved left/right samples, all
// little-endian (Multimedia Programming Interface and Data
// Specifications 1.0, "WAVE Form Definition"). Samples are rounded to
// the nearest 16-bit value and limited to full scale.
func (a *Audio) WriteWAV(w io.Writer) error {
	const channels, bits = 2, 16
	frames := uint64(len(a.Left))
	data := frames * channels * bits / 8
	// The RIFF size fields are 32-bit: 4 GiB less the header at most.
	if data > 1<<32-1-36 {
		return fmt.Errorf("%w: %d bytes of samples, more than a WAV file holds", ErrTooLong, data)
	}
	var h [44]byte
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1) // WAVE_FORMAT_PCM
	le.PutUint16(h[22:], channels)
	le.PutUint32(h[24:], uint32(a.SampleRate))
	le.PutUint32(h[28:], uint32(a.SampleRate*channels*bits/8))
	le.PutUint16(h[32:], channels*bits/8)
	le.PutUint16(h[34:], bits)
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(data))
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(h[:]); err != nil {
		return err
	}
	var buf [4096]byte
	for i := 0; i < len(a.Left); {
		n := 0
		for ; n+4 <= len(buf) && i < len(a.Left); i++ {
			le.PutUint16(buf[n:], uint16(pcm16(a.Left[i])))
			le.PutUint16(buf[n+2:], uint16(pcm16(a.Right[i])))
			n += 4
		}
		if _, err := bw.Write(buf[:n]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// pcm16 converts a sample in -1..1 to 16 bits, rounding half away from
// zero; beyond full scale it stays at full scale rather than wrapping.
func pcm16(x float32) int16 {
	v := x * 32767
	switch {
	case v >= 32767:
		return 32767
	case v <= -32768:
		return -32768
	case v >= 0:
		return int16(v + 0.5)
	}
	return int16(v - 0.5)
}
