package midi

import (
	"bytes"
	"fmt"
	"testing"

	gomidi "gitlab.com/gomidi/midi/v2/smf"
)

// TestGomidi cross-checks the raw decoder against gitlab.com/gomidi/midi/v2
// on every file of POP909 and the Groove MIDI Dataset: the same tracks and
// the same message bytes at the same absolute ticks.
func TestGomidi(t *testing.T) {
	if testing.Short() {
		t.Skip("reads two corpora with gomidi (~3 s); skipped in -short mode")
	}
	n := 0
	for _, name := range []string{"pop909", "groove"} {
		c := loadCorpus(t, name)
		for i, data := range c.data {
			want, err := gomidiEvents(data)
			if err != nil {
				t.Errorf("%s: gomidi: %v", c.files[i], err)
				continue
			}
			f, err := DecodeBytes(data)
			if err != nil {
				t.Errorf("%s: %v", c.files[i], err)
				continue
			}
			if got := rawEvents(f); len(got) != len(want) {
				t.Errorf("%s: %d tracks, gomidi %d", c.files[i], len(got), len(want))
			} else {
				for ti := range got {
					if d := firstDiff("gomidi", want[ti], got[ti]); d != "" {
						t.Errorf("%s: track %d: %s", c.files[i], ti, d)
						break
					}
				}
			}
			n++
		}
	}
	t.Logf("%d files agree with gomidi", n)
}

// gomidiEvents reads data with gomidi and lists every message of every
// track as "tick hex". gomidi panics on some malformed input; that is
// turned into an error.
func gomidiEvents(data []byte) (tracks [][]string, err error) {
	s, err := gomidiRead(data)
	if err != nil {
		return nil, err
	}
	for _, tr := range s.Tracks {
		var lines []string
		var tick int64
		for _, e := range tr {
			tick += int64(e.Delta)
			lines = append(lines, fmt.Sprintf("%d %x", tick, []byte(e.Message)))
		}
		tracks = append(tracks, lines)
	}
	return tracks, nil
}

// rawEvents lists f's events as gomidiEvents does: channel messages with
// their status, meta events as 0xFF, type, length and payload, sysex as
// status and payload.
func rawEvents(f *File) [][]string {
	var tracks [][]string
	for ti := range f.Tracks {
		tr := &f.Tracks[ti]
		var lines []string
		for _, e := range tr.Events {
			var b []byte
			switch e.Status {
			case Meta:
				p := tr.Payload(e)
				b = appendUvarint([]byte{Meta, e.Data1}, uint64(len(p)))
				b = append(b, p...)
			case Sysex, SysexEscape:
				b = append([]byte{e.Status}, tr.Payload(e)...)
			default:
				b = []byte{e.Status, e.Data1, e.Data2}[:1+dataLen[e.Status>>4]]
			}
			lines = append(lines, fmt.Sprintf("%d %x", e.Tick, b))
		}
		tracks = append(tracks, lines)
	}
	return tracks
}

// gomidiRead reads data with gomidi, turning its panics into errors.
func gomidiRead(data []byte) (s *gomidi.SMF, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gomidi panicked: %v", r)
		}
	}()
	return gomidi.ReadFrom(bytes.NewReader(data))
}
