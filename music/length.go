package music

import (
	"errors"
	"fmt"
	"math"
)

// Limits on a piece's played length. Everything that follows a piece in
// time sizes something by its length rather than its notes: the samples
// of a render, the beat-level noise of a humanized feel. A file of a few
// hundred bytes can place a note at tick 2^40, so these limits are
// checked when a piece is read (load) or laid out (band.Play), before
// anything is allocated by length. docs/limits.md lists what the longest
// accepted piece costs.
const (
	// MaxSeconds is the longest piece sideman plays: an hour, the same
	// hour render.MaxDuration takes.
	MaxSeconds = 3600
	// MaxQuarters bounds a piece in quarter notes whatever its tempo: an
	// hour at 960 quarter notes a minute, 16 a second (the fastest
	// bebop is near 400). A tempo map can make a billion quarter notes
	// last a second, so seconds alone bound no series over beats.
	MaxQuarters = 57600
	// MaxTicks is MaxQuarters in ticks.
	MaxTicks = MaxQuarters * PPQ
	// MaxNotes bounds the notes of a piece: four parts playing
	// sixteenths at 240 bpm for the hour are 230,400; the largest MIDI
	// file in the corpora holds 11,513 (a Groove MIDI drum take).
	// Humanizing costs about 2.4 KB a note: a 48 MB MIDI file of 16
	// million note-ons took 7.6 GB and 66 s.
	MaxNotes = 1 << 18
)

// ErrTooLong is what every *LengthError is (errors.Is).
var ErrTooLong = errors.New("too long")

// LengthError is a piece longer than sideman plays.
type LengthError struct {
	Quarters float64 // its length in quarter notes
	Seconds  float64 // and in seconds; 0 when the quarters alone refuse it
	Notes    int     // its notes, when they are more than MaxNotes
}

func (e *LengthError) Error() string {
	if e.Notes > 0 {
		return fmt.Sprintf("holds %d notes, more than the %d sideman plays", e.Notes, MaxNotes)
	}
	if math.IsInf(e.Quarters, 1) {
		return "lasts past the last tick sideman counts (2^63)"
	}
	if e.Seconds == 0 {
		return fmt.Sprintf("lasts %.0f quarter notes, more than the %d sideman plays (an hour at 960 a minute)", e.Quarters, MaxQuarters)
	}
	return fmt.Sprintf("lasts %s, longer than the hour sideman plays", duration(e.Seconds))
}

func (e *LengthError) Is(target error) bool { return target == ErrTooLong }

// CheckLength reports whether the piece is short enough to play: it must
// end, counting its notes and its tempo, meter, key and marker changes,
// within MaxQuarters and MaxSeconds, and hold at most MaxNotes notes. The
// error is a *LengthError.
func CheckLength(p *Piece) error {
	if n := p.NoteCount(); n > MaxNotes {
		return &LengthError{Notes: n}
	}
	end := Ticks(0)
	reach := func(t Ticks) { end = max(end, t) }
	for i := range p.Parts {
		for _, n := range p.Parts[i].Notes {
			e := n.Start + n.Duration
			if e < n.Start {
				// Past int64: longer than anything below.
				return &LengthError{Quarters: math.Inf(1)}
			}
			reach(e)
		}
	}
	for _, c := range p.Tempo {
		reach(c.At)
	}
	for _, m := range p.Meters {
		reach(m.At)
	}
	for _, k := range p.Keys {
		reach(k.At)
	}
	for _, m := range p.Markers {
		reach(m.At)
	}
	return CheckSpan(p.Tempo, end)
}

// CheckSpan is CheckLength for music that lasts from tick 0 to end under
// the tempo map: a performance laid out before its notes are played.
func CheckSpan(tempo TempoMap, end Ticks) error {
	if end > MaxTicks {
		return &LengthError{Quarters: float64(end) / PPQ}
	}
	if secs := tempo.Seconds(end); secs > MaxSeconds || math.IsNaN(secs) {
		return &LengthError{Quarters: float64(end) / PPQ, Seconds: secs}
	}
	return nil
}

// duration says a length in seconds the way a musician reads it.
func duration(secs float64) string {
	switch {
	case secs >= 2*86400:
		return fmt.Sprintf("%.0f days", secs/86400)
	case secs >= 7200:
		return fmt.Sprintf("%.1f hours", secs/3600)
	}
	return fmt.Sprintf("%.0f minutes", secs/60)
}
