package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"sideman/project"
	"sideman/render"
)

// Where the Debian SoundFont packages install their files, best first:
// the command finds a SoundFont on the system; package render only plays
// one it is given.
const (
	// fluidR3 is fluid-soundfont-gm's General MIDI + GS set (148 MB):
	// the quality choice.
	fluidR3 = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
	// timGM6mb is timgm6mb-soundfont's small General MIDI set (6 MB):
	// quick to load, for tests.
	timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"
	// defaultGM is the Debian alternatives link to whichever GM
	// SoundFont is installed.
	defaultGM = "/usr/share/sounds/sf2/default-GM.sf2"
)

// standardSoundFonts are where findSoundFont looks, in order.
var standardSoundFonts = []string{fluidR3, timGM6mb, defaultGM}

// envSoundFont names the environment variable that picks a SoundFont
// when --soundfont is not given.
const envSoundFont = "SIDEMAN_SOUNDFONT"

// errNoSoundFont is findSoundFont's error when no SoundFont is given and
// none is installed; its message says what to install.
var errNoSoundFont = errors.New("no SoundFont found: give one with --soundfont FILE.sf2 or $" + envSoundFont +
	", or install one: apt-get install fluid-soundfont-gm (or the small timgm6mb-soundfont)")

// soundFontFlag is the help of --soundfont, for every command that
// renders.
const soundFontFlag = "; default: $" + envSoundFont + ", else Debian's FluidR3_GM or TimGM6mb"

// findSoundFont returns the SoundFont to use: path when it is not empty,
// else $SIDEMAN_SOUNDFONT, else the first of the Debian SoundFonts that
// is installed. A path given must be a regular file of at most
// render.MaxSoundFontSize bytes. Its errors are the input's (exit 2): a
// file or SoundFont that is not there is not found, anything else bad
// input, one line naming the SoundFont or saying what to install.
func findSoundFont(path string) (string, error) {
	if path == "" {
		path = os.Getenv(envSoundFont)
	}
	if path != "" {
		st, err := os.Stat(path)
		if err != nil {
			return "", soundFontError(path, errors.Unwrap(err))
		}
		if err := checkSoundFontFile(st); err != nil {
			return "", soundFontError(path, err)
		}
		return path, nil
	}
	for _, p := range standardSoundFonts {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	// No file to name: the line says what to give ("sideman: sideman:" named none).
	return "", &project.Error{Kind: project.NotFound, Name: "soundfont", Err: errNoSoundFont}
}

// loadSoundFont finds the SoundFont (see findSoundFont) and loads it.
// What the file holds wrong is bad input naming it; a panic recovered
// while loading is an internal failure (exit 1), naming it too.
func loadSoundFont(path string) (*render.SoundFont, string, error) {
	path, err := findSoundFont(path)
	if err != nil {
		return nil, "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", soundFontError(path, errors.Unwrap(err))
	}
	defer f.Close()
	// Checked again on the file opened: the path may have changed since.
	st, err := f.Stat()
	if err == nil {
		err = checkSoundFontFile(st)
	}
	if err != nil {
		return nil, "", soundFontError(path, err)
	}
	sf, err := render.LoadSoundFont(f)
	if err != nil {
		return nil, "", soundFontFault(path, err)
	}
	return sf, path, nil
}

// checkSoundFontFile refuses what cannot be a SoundFont to read: a
// directory, a device or FIFO (which could block or never end), a file
// over render.MaxSoundFontSize.
func checkSoundFontFile(st os.FileInfo) error {
	switch {
	case st.IsDir():
		return errors.New("is a directory")
	case !st.Mode().IsRegular():
		return errors.New("is not a regular file")
	case st.Size() > render.MaxSoundFontSize:
		return fmt.Errorf("is %d bytes; a SoundFont holds at most %d", st.Size(), int64(render.MaxSoundFontSize))
	}
	return nil
}

// soundFontError names the SoundFont in what is wrong with it: a file
// that is not there is not found, anything else bad input.
func soundFontError(path string, err error) error {
	kind := project.BadInput
	if errors.Is(err, fs.ErrNotExist) {
		kind = project.NotFound
	}
	return &project.Error{Kind: kind, Name: "soundfont " + path, Err: err}
}

// soundFontFault names the SoundFont in render's errors about it: what is
// wrong in the file is bad input, a recovered panic an internal failure;
// other errors (nil too) pass through.
func soundFontFault(path string, err error) error {
	var se *render.SoundFontError
	var ie *render.InternalError
	switch {
	case errors.As(err, &se):
		return soundFontError(path, se.Err)
	case errors.As(err, &ie):
		return fmt.Errorf("render: internal error with soundfont %s: %v", path, ie.Panic)
	}
	return err
}
