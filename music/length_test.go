package music

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckLength(t *testing.T) {
	note := func(at Ticks) Part {
		return Part{Notes: []Note{{Start: at, Duration: PPQ / 8, Pitch: 60, Velocity: 90}}}
	}
	bpm := func(q float64) TempoMap { return TempoMap{{At: 0, MicrosPerQuarter: int64(60e6 / q)}} }
	for _, tc := range []struct {
		what  string
		p     Piece
		limit string // "" when the piece plays; else the word the error says
	}{
		// 120 bpm: an hour is 7200 quarter notes.
		{"59 minutes at 120", Piece{Parts: []Part{note(7080 * PPQ)}}, ""},
		{"61 minutes at 120", Piece{Parts: []Part{note(7320 * PPQ)}}, "minutes"},
		// 960 bpm: 57,600 quarter notes make the hour; one more is over
		// both limits, and the quarters are what the error names.
		{"an hour at 960", Piece{Parts: []Part{note(MaxTicks - PPQ)}, Tempo: bpm(960)}, ""},
		{"a tempo change past the end", Piece{Parts: []Part{note(0)}, Tempo: TempoMap{{At: 2 * MaxTicks, MicrosPerQuarter: 1}}}, "quarter notes"},
		// A microsecond a quarter: 10 million quarter notes last 10 s.
		{"seconds short, quarters long", Piece{Parts: []Part{note(10_000_000 * PPQ)}, Tempo: TempoMap{{MicrosPerQuarter: 1}}}, "quarter notes"},
		// 20 bpm: 1,300 quarter notes, 65 minutes.
		{"slow", Piece{Parts: []Part{note(1300 * PPQ)}, Tempo: bpm(20)}, "minutes"},
		{"past int64", Piece{Parts: []Part{{Notes: []Note{{Start: 1 << 62, Duration: 1 << 62}}}}}, "2^63"},
		{"days", Piece{Parts: []Part{note(40000 * PPQ)}, Tempo: bpm(1)}, "days"},
		{"too many notes", Piece{Parts: []Part{{Notes: make([]Note, MaxNotes+1)}}}, "notes"},
	} {
		err := CheckLength(&tc.p)
		if tc.limit == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.what, err)
			}
			continue
		}
		var le *LengthError
		if !errors.Is(err, ErrTooLong) || !errors.As(err, &le) || !strings.Contains(err.Error(), tc.limit) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v: want a one-line *LengthError saying %s", tc.what, err, tc.limit)
		}
	}
}
