package render

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"sideman/render/internal/meltysynth"
)

// Standard paths of the Debian SoundFont packages, best first.
const (
	// FluidR3 is fluid-soundfont-gm's General MIDI + GS set (141 MB):
	// the quality choice.
	FluidR3 = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
	// TimGM6mb is timgm6mb-soundfont's small General MIDI set (6 MB):
	// quick to load, for tests.
	TimGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"
	// DefaultGM is the Debian alternatives link to whichever GM SoundFont
	// is installed.
	DefaultGM = "/usr/share/sounds/sf2/default-GM.sf2"
)

// standardPaths are where FindSoundFont looks, in order.
var standardPaths = []string{FluidR3, TimGM6mb, DefaultGM}

// EnvSoundFont names the environment variable that picks a SoundFont when
// no path is given.
const EnvSoundFont = "SIDEMAN_SOUNDFONT"

// ErrNoSoundFont is returned by FindSoundFont when no SoundFont is given
// and none is installed; its message says what to install.
var ErrNoSoundFont = errors.New("no SoundFont found: give one with --soundfont FILE.sf2 or $" + EnvSoundFont +
	", or install one: apt-get install fluid-soundfont-gm (or the small timgm6mb-soundfont)")

// FindSoundFont returns the SoundFont to use: path when it is not empty,
// else $SIDEMAN_SOUNDFONT, else the first of FluidR3, TimGM6mb and
// DefaultGM that exists. A path given explicitly must exist (else a
// *SoundFontError); with none given and none installed the error is
// ErrNoSoundFont.
func FindSoundFont(path string) (string, error) {
	if path == "" {
		path = os.Getenv(EnvSoundFont)
	}
	if path != "" {
		st, err := os.Stat(path)
		if err != nil {
			return "", &SoundFontError{path, errors.Unwrap(err)}
		}
		if err := checkSoundFontFile(st); err != nil {
			return "", &SoundFontError{path, err}
		}
		return path, nil
	}
	for _, p := range standardPaths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", ErrNoSoundFont
}

// MaxSoundFontSize is the largest SoundFont file read, in bytes: the
// sizes of a SoundFont's chunks are 32-bit, and its sample data, which is
// held in memory, at most 2 GiB.
const MaxSoundFontSize = 1<<31 - 1

// checkSoundFontFile refuses what cannot be a SoundFont to read: a
// directory, a device or FIFO (which could block or never end), a file
// over MaxSoundFontSize.
func checkSoundFontFile(st os.FileInfo) error {
	switch {
	case st.IsDir():
		return errors.New("is a directory")
	case !st.Mode().IsRegular():
		return errors.New("is not a regular file")
	case st.Size() > MaxSoundFontSize:
		return fmt.Errorf("is %d bytes; a SoundFont holds at most %d", st.Size(), int64(MaxSoundFontSize))
	}
	return nil
}

// SoundFontError is a SoundFont that is missing or could not be read.
type SoundFontError struct {
	Path string
	Err  error
}

func (e *SoundFontError) Error() string { return "soundfont " + e.Path + ": " + e.Err.Error() }
func (e *SoundFontError) Unwrap() error { return e.Err }

// InternalError is a panic recovered while loading or playing a
// SoundFont: a bug in sideman, not in the file, which was checked when it
// was loaded. It is not a *SoundFontError, so commands report it as an
// internal failure (exit status 1), not as bad input.
type InternalError struct {
	Path  string // the SoundFont
	Panic any
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("render: internal error with soundfont %s: %v", e.Path, e.Panic)
}

// soundFonts caches loaded SoundFonts by absolute path for the life of the
// process: FluidR3 takes about a second and 150 MB to load, and a command
// or the studio renders many pieces with the same one. The synthesizer
// only reads a SoundFont, so one is shared by concurrent renders.
var soundFonts struct {
	sync.Mutex
	m map[sfKey]*meltysynth.SoundFont
}

// sfKey names a SoundFont file as it was when loaded, so a file replaced
// on disk is read again.
type sfKey struct {
	path string
	size int64
	mod  int64
}

// loadSoundFont reads the SoundFont at path, or returns the cached one.
func loadSoundFont(path string) (sf *meltysynth.SoundFont, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &SoundFontError{path, err}
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, &SoundFontError{path, err}
	}
	if err := checkSoundFontFile(st); err != nil {
		return nil, &SoundFontError{path, err}
	}
	key := sfKey{abs, st.Size(), st.ModTime().UnixNano()}
	soundFonts.Lock()
	defer soundFonts.Unlock()
	if sf := soundFonts.m[key]; sf != nil {
		return sf, nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, &SoundFontError{path, err}
	}
	defer f.Close()
	// The reader checks every size and index it reads before using it:
	// a panic here is a bug in sideman, reported as one, not blamed on
	// the file.
	defer func() {
		if r := recover(); r != nil {
			sf, err = nil, &InternalError{path, r}
		}
	}()
	sf, err = meltysynth.NewSoundFont(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, &SoundFontError{path, err}
	}
	if len(sf.Presets) == 0 {
		return nil, &SoundFontError{path, errors.New("holds no presets")}
	}
	if soundFonts.m == nil {
		soundFonts.m = map[sfKey]*meltysynth.SoundFont{}
	}
	soundFonts.m[key] = sf
	return sf, nil
}
