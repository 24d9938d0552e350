package render

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"sideman/render/internal/meltysynth"
)

// SoundFont is a loaded SoundFont 2 file: its presets, instruments and
// sample data, held in memory. Rendering only reads it, so one value
// serves any number of renders, concurrent ones too. Loading FluidR3
// (148 MB) takes about 0.2 s and as many megabytes: a caller that renders
// many pieces loads it once and keeps it; nothing in this package keeps
// it for longer than the caller does.
type SoundFont struct {
	sf *meltysynth.SoundFont
}

// MaxSoundFontSize is the largest SoundFont there is, in bytes: the sizes
// of a SoundFont's chunks are 32-bit, and its sample data, which is held
// in memory, at most 2 GiB. A caller reading a file checks its size
// against it before loading.
const MaxSoundFontSize = 1<<31 - 1

// LoadSoundFont reads a SoundFont 2 file from r, whole. What is not a
// SoundFont, or one whose tables point outside themselves or outside the
// sample data, is a *SoundFontError saying what is wrong, in one line;
// an error reading r is one too (r is the SoundFont, and it could not
// be read). r is read through a 1 MiB buffer.
func LoadSoundFont(r io.Reader) (sf *SoundFont, err error) {
	// The reader checks every size and index it reads before using it:
	// a panic here is a bug in sideman, reported as one, not blamed on
	// the file.
	defer func() {
		if p := recover(); p != nil {
			sf, err = nil, &InternalError{Panic: p}
		}
	}()
	m, err := meltysynth.NewSoundFont(bufio.NewReaderSize(r, 1<<20))
	if err != nil {
		return nil, &SoundFontError{err}
	}
	if len(m.Presets) == 0 {
		return nil, &SoundFontError{errors.New("holds no presets")}
	}
	return &SoundFont{m}, nil
}

// SoundFontError is a SoundFont that could not be read. The caller that
// opened it names it: Err alone says what is wrong.
type SoundFontError struct {
	Err error
}

func (e *SoundFontError) Error() string { return "render: soundfont: " + e.Err.Error() }
func (e *SoundFontError) Unwrap() error { return e.Err }

// InternalError is a panic recovered while loading a SoundFont or playing
// one: a bug in sideman, not in the file, which was checked when it was
// loaded. It is not a *SoundFontError, so callers report it as
// sideman's own failure, not the SoundFont's.
type InternalError struct {
	Panic any
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("render: internal error: %v", e.Panic)
}
