package meltysynth

import (
	"fmt"
	"io"
)

type SoundFontInfo struct {
	Version           SoundFontVersion
	TargetSoundEngine string
	BankName          string
	RomName           string
	RomVersion        SoundFontVersion
	CreationDate      string
	Auther            string
	TargetProduct     string
	Copyright         string
	Comments          string
	Tools             string
}

func newSoundFontInfo(r io.Reader) (*SoundFontInfo, error) {
	list, err := readList(r, "INFO")
	if err != nil {
		return nil, err
	}
	result := new(SoundFontInfo)

	for {
		id, size, ok, err := list.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}

		switch id {
		case "ifil", "iver":
			// sideman: a version is 4 bytes (SoundFont 2.04, 5.1).
			if size != 4 {
				return nil, fmt.Errorf("the %s chunk has %d bytes, want 4", id, size)
			}
			var v SoundFontVersion
			v, err = newSoundFontVersion(r)
			if id == "ifil" {
				result.Version = v
			} else {
				result.RomVersion = v
			}
		case "isng":
			result.TargetSoundEngine, err = readFixedLengthString(r, size)
		case "INAM":
			result.BankName, err = readFixedLengthString(r, size)
		case "irom":
			result.RomName, err = readFixedLengthString(r, size)
		case "ICRD":
			result.CreationDate, err = readFixedLengthString(r, size)
		case "IENG":
			result.Auther, err = readFixedLengthString(r, size)
		case "IPRD":
			result.TargetProduct, err = readFixedLengthString(r, size)
		case "ICOP":
			result.Copyright, err = readFixedLengthString(r, size)
		case "ICMT":
			result.Comments, err = readFixedLengthString(r, size)
		case "ISFT":
			result.Tools, err = readFixedLengthString(r, size)
		default:
			// sideman: an unknown sub-chunk is skipped, as RIFF readers
			// do, where upstream refused the file.
			err = skip(r, size)
		}

		if err != nil {
			return nil, fmt.Errorf("INFO %s: %w", id, err)
		}
	}

	return result, nil
}
