package model

import (
	"errors"
	"fmt"
	"strings"
)

// A Viewpoint maps a melody prefix to a symbol (Conklin and Witten 1995):
// the pitch, the interval from the note before, the scale degree... The
// model predicts each viewpoint's next symbol and turns the prediction
// into one over pitches: Symbol gives the symbol the event would have
// with another pitch, all else as it is.
type Viewpoint struct {
	Name string
	// pitched is false for viewpoints that do not depend on the pitch
	// (duration, metrical position): they cannot predict it alone, only
	// linked with one that does.
	pitched bool
	parts   []basic
}

// basic is a viewpoint of one attribute.
type basic struct {
	name    string
	pitched bool
	// sym is the symbol of event i of es if its pitch were pitch; ok is
	// false where the viewpoint is undefined (no interval before the
	// first note, no chord in a chorale).
	sym func(es []Event, i, pitch int) (s int64, ok bool)
}

// limit keeps an attribute inside the range a linked symbol packs (21
// bits a component).
func limit(v int64) int64 { return max(-(1 << 20), min(v, 1<<20-1)) }

func mod12(x int) int64 { return int64(((x % 12) + 12) % 12) }

var basics = []basic{
	{"cpitch", true, func(es []Event, i, p int) (int64, bool) { return int64(p), true }},
	{"cpint", true, func(es []Event, i, p int) (int64, bool) {
		if i == 0 {
			return 0, false
		}
		return int64(p - es[i-1].Pitch), true
	}},
	{"cpcint", true, func(es []Event, i, p int) (int64, bool) {
		if i == 0 {
			return 0, false
		}
		return mod12(p - es[i-1].Pitch), true
	}},
	{"contour", true, func(es []Event, i, p int) (int64, bool) {
		if i == 0 {
			return 0, false
		}
		d := p - es[i-1].Pitch
		return int64(min(1, max(-1, d))), true
	}},
	// cpintfref is the scale degree: the pitch class from the key's tonic.
	{"cpintfref", true, func(es []Event, i, p int) (int64, bool) { return mod12(p - es[i].Tonic), true }},
	// cpintfip is the interval from the melody's first note.
	{"cpintfip", true, func(es []Event, i, p int) (int64, bool) {
		if i == 0 {
			return 0, false
		}
		return int64(p - es[0].Pitch), true
	}},
	// cpintfroot is the pitch class from the root of the chord sounding.
	{"cpintfroot", true, func(es []Event, i, p int) (int64, bool) {
		if !es[i].HasChord {
			return 0, false
		}
		return mod12(p - es[i].Root), true
	}},
	// chordtone is 0 on the chord's root, 1 on another of its tones, 2 off it.
	{"chordtone", true, func(es []Event, i, p int) (int64, bool) {
		e := &es[i]
		switch {
		case !e.HasChord:
			return 0, false
		case mod12(p) == int64(e.Root):
			return 0, true
		case e.Tones&(1<<mod12(p)) != 0:
			return 1, true
		}
		return 2, true
	}},
	{"dur", false, func(es []Event, i, p int) (int64, bool) { return limit(int64(es[i].Duration)), true }},
	{"ioi", false, func(es []Event, i, p int) (int64, bool) {
		if i == 0 {
			return 0, false
		}
		return limit(int64(es[i].Onset - es[i-1].Onset)), true
	}},
	// posinbar is the metrical position: ticks from the bar's downbeat.
	{"posinbar", false, func(es []Event, i, p int) (int64, bool) {
		e := &es[i]
		return limit(int64(e.Beat)*int64(e.BeatTicks) + int64(e.Offset)), true
	}},
	// fib marks the first note of a bar.
	{"fib", false, func(es []Event, i, p int) (int64, bool) {
		if i > 0 && es[i-1].Bar == es[i].Bar {
			return 0, true
		}
		return 1, true
	}},
}

// ErrViewpoint is wrapped for a viewpoint name that is not known or that
// cannot predict pitch.
var ErrViewpoint = errors.New("unknown viewpoint")

// Basics lists the names of the basic viewpoints.
func Basics() []string {
	names := make([]string, len(basics))
	for i, b := range basics {
		names[i] = b.name
	}
	return names
}

// ParseViewpoint reads a viewpoint's name: a basic one ("cpint") or
// basic ones linked with "*" ("cpint*dur", at most three), whose symbol is
// the tuple of theirs (defined where all are).
func ParseViewpoint(name string) (Viewpoint, error) {
	v := Viewpoint{Name: strings.TrimSpace(name)}
	for _, n := range strings.Split(v.Name, "*") {
		found := false
		for _, b := range basics {
			if b.name == n {
				v.parts = append(v.parts, b)
				v.pitched = v.pitched || b.pitched
				found = true
			}
		}
		if !found {
			return v, fmt.Errorf("model: viewpoint %q: %w (basic ones: %s)", n, ErrViewpoint, strings.Join(Basics(), ", "))
		}
	}
	if len(v.parts) > 3 {
		return v, fmt.Errorf("model: viewpoint %q links more than three: %w", v.Name, ErrViewpoint)
	}
	if !v.pitched {
		return v, fmt.Errorf("model: viewpoint %q does not depend on pitch, so it cannot predict it: link it with one that does (%s*cpint): %w", v.Name, v.Name, ErrViewpoint)
	}
	return v, nil
}

// ParseViewpoints reads a comma-separated list of viewpoints.
func ParseViewpoints(list string) ([]Viewpoint, error) {
	var vs []Viewpoint
	for _, n := range strings.Split(list, ",") {
		if strings.TrimSpace(n) == "" {
			continue
		}
		v, err := ParseViewpoint(n)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("model: no viewpoints in %q: %w", list, ErrViewpoint)
	}
	return vs, nil
}

// Symbol is the viewpoint's symbol for event i of es were its pitch
// pitch; ok is false where the viewpoint is undefined.
func (v Viewpoint) Symbol(es []Event, i, pitch int) (s int64, ok bool) {
	for _, b := range v.parts {
		x, ok := b.sym(es, i, pitch)
		if !ok {
			return 0, false
		}
		s = s<<21 | (x+(1<<20))&(1<<21-1)
	}
	return s, true
}
