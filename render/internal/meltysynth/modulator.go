package meltysynth

import (
	"io"
)

// Since modulators will not be supported, we discard the data.
//
// sideman: skipped with io.CopyN (one Read may return less than asked).
func discardModulatorData(r io.Reader, size int32) error {
	if _, err := records("modulator", size, 10, false); err != nil {
		return err
	}
	return skip(r, size)
}
