package feel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
)

// Profile is a feel: summary statistics of how real players place and
// weight their notes, per instrument role. It holds no notes of the
// performances it was learned from, only counts, means and spreads.
type Profile struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Sources credit the performances the profile was learned from, with
	// their licences.
	Sources []string         `json:"sources,omitempty"`
	Roles   map[string]*Role `json:"roles"`
}

// Stat is a count, mean and standard deviation, and where the shape of
// the distribution matters (timing, swing), its quantiles at
// QuantileLevels: human timing is peaked with long tails, not normal.
type Stat struct {
	N    int       `json:"n"`
	Mean float64   `json:"mean"`
	SD   float64   `json:"sd"`
	Q    []float64 `json:"q,omitempty"`
}

// QuantileLevels are the probabilities a Stat's quantiles are kept at.
var QuantileLevels = []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}

// Draw turns a standard normal draw z into a draw from the statistic's
// distribution: through its quantiles (interpolated linearly, held at the
// 1% and 99% ones beyond) where it has them, else as Mean + SD z. A
// correlated z gives a correlated series with the learned distribution.
func (s Stat) Draw(z float64) float64 {
	if len(s.Q) != len(QuantileLevels) {
		return s.Mean + s.SD*z
	}
	p := 0.5 * math.Erfc(-z/math.Sqrt2)
	lv := QuantileLevels
	switch {
	case p <= lv[0]:
		return s.Q[0]
	case p >= lv[len(lv)-1]:
		return s.Q[len(lv)-1]
	}
	i := sort.SearchFloat64s(lv, p) // lv[i-1] < p <= lv[i]
	w := (p - lv[i-1]) / (lv[i] - lv[i-1])
	return s.Q[i-1] + w*(s.Q[i]-s.Q[i-1])
}

// Timing is how far from the grid a role plays one slot of the beat.
type Timing struct {
	// Ms is the onset's deviation in milliseconds, positive late; Share
	// the same as a share of the beat.
	Ms    Stat `json:"ms"`
	Share Stat `json:"share"`
}

// TempoBand is a role's timing and swing in one band of tempi, Lo to Hi
// beats a minute (Hi not included).
type TempoBand struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Timing is keyed by slot name ("beat", "and", "let", "e", "a", "trip").
	Timing map[string]Timing `json:"timing,omitempty"`
	// Swing is the beat-upbeat ratio of eighth-note pairs whose upbeat
	// is on the straight eighth's slot ("and"): how a player swings
	// eighths written straight. TripletSwing is that of pairs whose
	// upbeat is nearest the triplet slot ("let").
	Swing        Stat `json:"swing,omitzero"`
	TripletSwing Stat `json:"triplet_swing,omitzero"`
}

// Role is what a profile knows of one instrument role.
type Role struct {
	// Bands holds timing and swing by tempo, one per tempo band: under
	// 100, 100 to 140, 140 to 190, 190 to 250, 250 and over (TempoBandOf
	// gives the index).
	Bands []TempoBand `json:"bands"`
	// Velocity is keyed by position in a four-beat cycle, "beat.slot"
	// ("0.beat" the downbeat, "1.and" the upbeat of beat two): the
	// dynamics a part written at one velocity takes.
	Velocity map[string]Stat `json:"velocity,omitempty"`
	// VelocitySpread is how far a player's velocity strays from what
	// they play at the same position in the same performance: the
	// natural log of the ratio, its median (Mean) and robust standard
	// deviation (1.4826 median absolute deviations, SD). It is the
	// variation a player adds to the dynamics they mean, which a part
	// with dynamics of its own takes, its written dynamics kept.
	VelocitySpread Stat `json:"velocity_spread,omitzero"`
	// NoDynamics marks a role whose corpus carries no dynamics (the
	// WJazzD transcriptions): the profile has no velocity statistics for
	// it, and humanize keeps the written velocities.
	NoDynamics bool `json:"no_dynamics,omitempty"`
	// Articulation is sounding length over written length.
	Articulation Stat `json:"articulation,omitzero"`
	// Hurst is the fluctuation exponent (DFA) of the role's timing: about
	// 0.5 for independent deviations, near 1 for 1/f-like ones.
	Hurst float64 `json:"hurst"`
	// BeatShare is the share of the timing variance common to the notes
	// of one beat (a drummer's kick and hi-hat move together).
	BeatShare float64 `json:"beat_share"`
	// Lead is how far the top note of a chord sounds from the mean of
	// the others, in ms (negative: ahead; the melody lead of pianists,
	// Goebl 2001).
	Lead Stat `json:"lead_ms,omitzero"`
	// OffsetMs is an ensemble asynchrony taken from published
	// measurements, not learned, added to every onset; OffsetSource
	// cites it.
	OffsetMs     float64 `json:"offset_ms,omitempty"`
	OffsetSource string  `json:"offset_source,omitempty"`
}

// Position names a place in the four-beat cycle for the velocity table.
func Position(barBeat int, s Slot) string {
	if s == OffGrid {
		return fmt.Sprintf("%d.%s", barBeat%4, s)
	}
	return positions[barBeat%4][s]
}

// positions are the names Position gives, made once: it is looked up for
// every note humanized.
var positions = func() (out [4][slotsInBeat]string) {
	for b := range out {
		for s := range out[b] {
			out[b][s] = fmt.Sprintf("%d.%s", b, Slot(s))
		}
	}
	return out
}()

// minCount is how many observations a statistic needs before it is used.
const minCount = 20

// Timing is the role's timing of a slot at a tempo: the tempo band's
// where it has enough notes, interpolated between the centres of the
// neighbouring bands that do.
func (r *Role) Timing(s Slot, bpm float64) (Timing, bool) {
	return interpolate(r.Bands, bpm, func(b *TempoBand) (Timing, bool) {
		t, ok := b.Timing[s.String()]
		return t, ok && t.Ms.N >= minCount
	}, func(a, b Timing, w float64) Timing {
		return Timing{Ms: mix(a.Ms, b.Ms, w), Share: mix(a.Share, b.Share, w)}
	})
}

// Swing is the role's beat-upbeat ratio at a tempo, of pairs with the
// upbeat at the given slot (SlotAnd or SlotLet).
func (r *Role) Swing(upbeat Slot, bpm float64) (Stat, bool) {
	return interpolate(r.Bands, bpm, func(b *TempoBand) (Stat, bool) {
		s := b.Swing
		if upbeat == SlotLet {
			s = b.TripletSwing
		}
		return s, s.N >= minCount
	}, mix)
}

// mix blends two statistics; quantiles blend level by level, which is the
// distribution halfway between the two in the Wasserstein sense.
func mix(a, b Stat, w float64) Stat {
	out := Stat{N: a.N + b.N, Mean: a.Mean*(1-w) + b.Mean*w, SD: a.SD*(1-w) + b.SD*w}
	if len(a.Q) == len(QuantileLevels) && len(b.Q) == len(QuantileLevels) {
		out.Q = make([]float64, len(a.Q))
		for i := range a.Q {
			out.Q[i] = a.Q[i]*(1-w) + b.Q[i]*w
		}
	}
	return out
}

// centre is a band's middle on a log-tempo scale.
func centre(b *TempoBand) float64 {
	lo, hi := math.Max(b.Lo, 60), math.Min(b.Hi, 340)
	return math.Sqrt(lo * hi)
}

func interpolate[T any](bands []TempoBand, bpm float64, get func(*TempoBand) (T, bool), lerp func(a, b T, w float64) T) (T, bool) {
	var below, above *TempoBand
	var vb, va T
	for i := range bands {
		b := &bands[i]
		v, ok := get(b)
		if !ok {
			continue
		}
		if centre(b) <= bpm {
			below, vb = b, v
		} else if above == nil {
			above, va = b, v
		}
	}
	switch {
	case below != nil && above != nil:
		w := math.Log(bpm/centre(below)) / math.Log(centre(above)/centre(below))
		return lerp(vb, va, w), true
	case below != nil:
		return vb, true
	case above != nil:
		return va, true
	}
	var zero T
	return zero, false
}

// Encode writes the profile as indented JSON, the .feel file format.
func (p *Profile) Encode(w io.Writer) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ParseError is a .feel file that cannot be read, with the line of the fault.
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// MaxFileSize bounds a .feel file: about 28 times the largest built-in
// (swing-rhythm, 148 KB). A profile holds summary statistics, so it does
// not grow with the corpus it was learned from.
const MaxFileSize = 4 << 20

// Decode reads a .feel file and checks that its numbers make sense. It
// reads at most MaxFileSize bytes: a larger input is an error.
func Decode(r io.Reader) (*Profile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB, more than a .feel file holds", MaxFileSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		return nil, &ParseError{Line: lineOf(data, off), Err: err}
	}
	if dec.More() {
		return nil, &ParseError{Line: lineOf(data, dec.InputOffset()), Err: errors.New("text after the profile")}
	}
	if err := p.Check(); err != nil {
		return nil, &ParseError{Line: 1, Err: err}
	}
	return &p, nil
}

func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// Check reports the first statistic that cannot be right: a negative
// count or spread, a non-finite number, a swing ratio or articulation out
// of all reason, a velocity outside MIDI's range.
func (p *Profile) Check() error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("profile has no name")
	}
	if len(p.Roles) == 0 {
		return errors.New("profile has no roles")
	}
	stat := func(where string, s Stat, lo, hi float64) error {
		if s.N < 0 || s.SD < 0 || math.IsNaN(s.Mean) || math.IsNaN(s.SD) || math.IsInf(s.SD, 0) {
			return fmt.Errorf("%s: bad statistic n=%d mean=%v sd=%v", where, s.N, s.Mean, s.SD)
		}
		if s.N > 0 && (s.Mean < lo || s.Mean > hi) {
			return fmt.Errorf("%s: mean %v outside %v..%v", where, s.Mean, lo, hi)
		}
		if len(s.Q) > 0 {
			if len(s.Q) != len(QuantileLevels) {
				return fmt.Errorf("%s: %d quantiles, want %d", where, len(s.Q), len(QuantileLevels))
			}
			for i, q := range s.Q {
				if math.IsNaN(q) || q < lo-(hi-lo) || q > hi+(hi-lo) || (i > 0 && q < s.Q[i-1]) {
					return fmt.Errorf("%s: quantiles must rise and lie near %v..%v", where, lo, hi)
				}
			}
		}
		return nil
	}
	names := make([]string, 0, len(p.Roles))
	for n := range p.Roles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		r := p.Roles[name]
		if r == nil {
			return fmt.Errorf("role %s: empty", name)
		}
		if !known(name) {
			return fmt.Errorf("unknown role %q (want one of %s)", name, strings.Join(Roles, ", "))
		}
		if r.Hurst < 0 || r.Hurst > 1.5 || math.IsNaN(r.Hurst) {
			return fmt.Errorf("role %s: hurst %v outside 0..1.5", name, r.Hurst)
		}
		if r.BeatShare < 0 || r.BeatShare > 1 || math.IsNaN(r.BeatShare) {
			return fmt.Errorf("role %s: beat_share %v outside 0..1", name, r.BeatShare)
		}
		if math.Abs(r.OffsetMs) > 200 || math.IsNaN(r.OffsetMs) {
			return fmt.Errorf("role %s: offset_ms %v outside -200..200", name, r.OffsetMs)
		}
		if err := stat("role "+name+" lead_ms", r.Lead, -200, 200); err != nil {
			return err
		}
		if err := stat("role "+name+" articulation", r.Articulation, 0.01, 5); err != nil {
			return err
		}
		if r.NoDynamics && (len(r.Velocity) > 0 || r.VelocitySpread.N > 0) {
			return fmt.Errorf("role %s: no_dynamics, yet velocity statistics", name)
		}
		for _, pos := range slices.Sorted(maps.Keys(r.Velocity)) { // the first bad value, the same every run
			if err := stat("role "+name+" velocity "+pos, r.Velocity[pos], 1, 127); err != nil {
				return err
			}
		}
		if err := stat("role "+name+" velocity_spread", r.VelocitySpread, -1, 1); err != nil {
			return err
		}
		if r.VelocitySpread.SD > 1 {
			return fmt.Errorf("role %s: velocity_spread sd %v above 1", name, r.VelocitySpread.SD)
		}
		for i, b := range r.Bands {
			where := fmt.Sprintf("role %s tempo %v-%v", name, b.Lo, b.Hi)
			if b.Lo >= b.Hi || (i > 0 && b.Lo < r.Bands[i-1].Hi) {
				return fmt.Errorf("%s: tempo bands must rise and not overlap", where)
			}
			if err := stat(where+" swing", b.Swing, 0.25, 5); err != nil {
				return err
			}
			if err := stat(where+" triplet_swing", b.TripletSwing, 0.25, 5); err != nil {
				return err
			}
			for _, slot := range slices.Sorted(maps.Keys(b.Timing)) {
				t := b.Timing[slot]
				if _, ok := slotNamed(slot); !ok {
					return fmt.Errorf("%s: unknown slot %q", where, slot)
				}
				if err := stat(where+" "+slot, t.Ms, -500, 500); err != nil {
					return err
				}
				if err := stat(where+" "+slot+" share", t.Share, -1, 1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func known(role string) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

func slotNamed(name string) (Slot, bool) {
	for _, s := range Slots {
		if s.String() == name {
			return s, true
		}
	}
	return OffGrid, false
}
