package match_test

import (
	"io"
	"strings"
	"testing"

	"sideman/format/match"
)

// lines is a match file of one short line of an unknown kind (kept as
// Raw) over and over, counting what is read of it.
type lines struct{ read, size int }

func (l *lines) Read(p []byte) (int, error) {
	if l.read >= l.size {
		return 0, io.EOF
	}
	n := min(len(p), l.size-l.read) &^ 1
	for i := 0; i < n; i += 2 {
		p[i], p[i+1] = 'x', '\n'
	}
	l.read += n
	return n, nil
}

// Decode kept every line of any input: a stream of short lines grew
// without bound. It stops at MaxLines, having read about twice as many
// bytes as it counted.
func TestDecodeStopsAtMaxLines(t *testing.T) {
	in := &lines{size: 8 * match.MaxLines}
	_, err := match.Decode(in)
	if err == nil || !strings.Contains(err.Error(), "lines") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v: want one line saying the file has too many lines", err)
	}
	if in.read > 2*match.MaxLines+1<<20 {
		t.Errorf("read %d bytes: want about %d (MaxLines short lines)", in.read, 2*match.MaxLines)
	}
}
