package render

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"sideman/music"
)

// WAV renders the piece (see Render) and writes it to w as a 16-bit
// stereo PCM WAV file, streaming: memory stays the same whatever the
// length. A WAV file says its length in its header, before the samples,
// and a mix that would clip is scaled down as a whole (Audio.Scaled), so
// both the length (where the tail falls quiet) and the peak must be known
// before the first sample is final. When w is an io.WriteSeeker (a file;
// not one opened for appending, whose writes all land at its end),
// WAV synthesizes once, writing the samples as they come and the header
// last; only a mix that clips is synthesized a second time, scaled, over
// the first. Any other writer (a pipe) gets two passes: the first
// measures, the second writes. The bytes are those Render and WriteWAV
// give. Cancelling ctx stops the render within a Block; what was written
// is then partial, for the caller to remove.
func WAV(ctx context.Context, w io.Writer, p *music.Piece, opt Options) error {
	s, err := prepare(opt, pieceLayout(p))
	if err != nil {
		return err
	}
	return s.writeWAV(ctx, w)
}

// writeWAV streams the session to w (see WAV).
func (s *session) writeWAV(ctx context.Context, w io.Writer) error {
	// The RIFF size fields are 32-bit: refuse before any work what the
	// longest tail would take past them.
	if (s.end+s.tail)*4 > maxWAVData {
		return fmt.Errorf("%w: %d bytes of samples, more than a WAV file holds", ErrTooLong, (s.end+s.tail)*4)
	}
	if ws, ok := w.(io.WriteSeeker); ok {
		if base, err := ws.Seek(0, io.SeekCurrent); err == nil {
			return s.writeSeeking(ctx, ws, base)
		}
	}
	s.total *= 2
	frames, pk, err := s.play(ctx, -1, func(l, r []float32) error { return nil })
	if err != nil {
		return err
	}
	if err := writeHeader(w, s.rate, frames); err != nil {
		return err
	}
	_, _, err = s.play(ctx, frames, pcmWriter(w, scale(pk)))
	return err
}

// writeSeeking streams the session to ws from offset base: a header, the
// samples as they come, then the header again with the length; the
// samples again, scaled, when the mix clipped.
func (s *session) writeSeeking(ctx context.Context, ws io.WriteSeeker, base int64) error {
	if err := writeHeader(ws, s.rate, 0); err != nil {
		return err
	}
	frames, pk, err := s.play(ctx, -1, pcmWriter(ws, 1))
	if err != nil {
		return err
	}
	if g := scale(pk); g != 1 {
		if _, err := ws.Seek(base+wavHeader, io.SeekStart); err != nil {
			return err
		}
		s.total *= 2
		if _, _, err := s.play(ctx, frames, pcmWriter(ws, g)); err != nil {
			return err
		}
	}
	if _, err := ws.Seek(base, io.SeekStart); err != nil {
		return err
	}
	if err := writeHeader(ws, s.rate, frames); err != nil {
		return err
	}
	_, err = ws.Seek(base+wavHeader+frames*4, io.SeekStart)
	return err
}

// pcmWriter returns an emit function that writes the samples, scaled by
// g, to w as interleaved 16-bit little-endian PCM.
func pcmWriter(w io.Writer, g float64) func(l, r []float32) error {
	buf := make([]byte, 4*Block)
	s := float32(g)
	return func(l, r []float32) error {
		b := buf[:4*len(l)]
		for i := range l {
			x, y := l[i], r[i]
			if g != 1 {
				x, y = x*s, y*s
			}
			binary.LittleEndian.PutUint16(b[4*i:], uint16(pcm16(x)))
			binary.LittleEndian.PutUint16(b[4*i+2:], uint16(pcm16(y)))
		}
		_, err := w.Write(b)
		return err
	}
}

// wavHeader is the size of the canonical header WAV writes.
const wavHeader = 44

// maxWAVData is the most bytes of samples a WAV file holds: its RIFF
// size fields are 32-bit, 4 GiB less the header.
const maxWAVData = 1<<32 - 1 - 36

// writeHeader writes the canonical 44-byte header of a 16-bit stereo PCM
// WAV file of frames frames: "RIFF" size "WAVE", a "fmt " chunk of 16
// bytes (format 1 = PCM, 2 channels, the sample rate, bytes a second,
// block align 4, 16 bits a sample), then "data" and the size of the
// samples, all little-endian (Multimedia Programming Interface and Data
// Specifications 1.0, "WAVE Form Definition").
func writeHeader(w io.Writer, rate int, frames int64) error {
	const channels, bits = 2, 16
	data := uint64(frames) * channels * bits / 8
	if data > maxWAVData {
		return fmt.Errorf("%w: %d bytes of samples, more than a WAV file holds", ErrTooLong, data)
	}
	var h [wavHeader]byte
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1) // WAVE_FORMAT_PCM
	le.PutUint16(h[22:], channels)
	le.PutUint32(h[24:], uint32(rate))
	le.PutUint32(h[28:], uint32(rate*channels*bits/8))
	le.PutUint16(h[32:], channels*bits/8)
	le.PutUint16(h[34:], bits)
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(data))
	_, err := w.Write(h[:])
	return err
}

// WriteWAV writes the audio as a canonical 44-byte-header RIFF/WAVE file:
// "RIFF" size "WAVE", a "fmt " chunk of 16 bytes (format 1 = PCM, 2
// channels, the sample rate, bytes a second, block align 4, 16 bits a
// sample), then "data" and the interleaved left/right samples, all
// little-endian (Multimedia Programming Interface and Data
// Specifications 1.0, "WAVE Form Definition"). Samples are rounded to
// the nearest 16-bit value and limited to full scale.
func (a *Audio) WriteWAV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeHeader(bw, a.SampleRate, int64(len(a.Left))); err != nil {
		return err
	}
	emit := pcmWriter(bw, 1)
	for i := 0; i < len(a.Left); i += Block {
		j := min(i+Block, len(a.Left))
		if err := emit(a.Left[i:j], a.Right[i:j]); err != nil {
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
