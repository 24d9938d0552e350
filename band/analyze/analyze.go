package analyze

import (
	"errors"
	"math"
	"math/bits"
	"sort"

	"sideman/music"
)

// Report holds the band metrics of one piece. Each JSON key names its
// metric; N holds, under the same key, how many events the metric counts
// over (bars with a bass note on beat 1, bass intervals, voicings ...), so
// a share of 0 over nothing reads differently from 0 over hundreds.
type Report struct {
	Title    string `json:"title,omitempty"`
	Bars     int    `json:"bars"`
	Choruses int    `json:"choruses"`
	// Parts names the part analysed for each instrument.
	Parts map[string]string `json:"parts"`

	// BassChordToneRateBeat1 is the share of bars whose beat-1 bass note
	// is a tone of the chord sounding there (music.Chord.PitchClasses,
	// extensions and the slash bass included).
	BassChordToneRateBeat1 float64 `json:"bass_chord_tone_rate_beat1"`
	// BassRootRateBeat1 is the share whose beat-1 note is the chord's
	// bass note: the root, or the slash bass when one is written.
	BassRootRateBeat1 float64 `json:"bass_root_rate_beat1"`
	// BassStepShare is the share of consecutive bass intervals of at most
	// two semitones (repeated notes included).
	BassStepShare float64 `json:"bass_step_share"`
	// BassIntervalHistogram maps signed semitone intervals, clipped to
	// ±12, to their share of all consecutive bass intervals.
	BassIntervalHistogram map[int]float64 `json:"bass_interval_histogram"`
	// BassApproachTypes says how the bass approaches each chord change:
	// the shares of the note before the change by its relation to the
	// new chord's root (see Approach names).
	BassApproachTypes map[string]float64 `json:"bass_approach_types"`
	// BassRange is the lowest and highest bass note (nil without one).
	BassRange *Range `json:"bass_range"`

	// CompingGuideToneShare is the share of comping voicings (piano notes
	// of two or more pitch classes struck within a 32nd note) holding every guide tone of their
	// chord: the 3rd and 7th, the 4th of a sus chord, the 6th of a 6
	// chord, the 3rd alone of a triad (music.Chord.GuideTones).
	CompingGuideToneShare float64 `json:"comping_guide_tone_share"`
	// CompingVoiceMovementMean is the mean distance in semitones a voice
	// moves from one voicing to the next, each voice matched to the
	// nearest pitch of the voicing before.
	CompingVoiceMovementMean float64 `json:"comping_voice_movement_mean"`
	// LowIntervalViolations counts adjacent voices of a voicing whose
	// lower note lies below the interval's low limit (LowIntervalLimit).
	LowIntervalViolations int `json:"low_interval_violations"`
	// RegisterViolations counts comping notes outside C3..C6 and bass
	// notes outside E1..G3; RegisterViolationsByRole splits them.
	RegisterViolations       int            `json:"register_violations"`
	RegisterViolationsByRole map[string]int `json:"register_violations_by_role"`
	// MinorNinthViolations counts pairs of voices a minor ninth (or a
	// compound of it) apart over a chord with no b9.
	MinorNinthViolations int `json:"minor_ninth_violations"`
	// RepeatedTwoBarCells counts 2-bar windows whose comping (onsets and
	// pitches) and chords repeat an earlier, non-overlapping window of the
	// same chorus verbatim.
	RepeatedTwoBarCells int `json:"repeated_two_bar_cells"`
	// NotesPerBar is the mean number of notes a bar by instrument (role,
	// else the part's name).
	NotesPerBar map[string]float64 `json:"notes_per_bar"`

	N Counts `json:"n"`
}

// Counts are the numbers behind the Report's shares and counts.
type Counts struct {
	// Bars with a bass note on beat 1 under a chord.
	BassBeat1 int `json:"bass_chord_tone_rate_beat1"`
	// Consecutive bass intervals.
	BassIntervals int `json:"bass_interval_histogram"`
	// Chord changes with a bass note leading into them.
	BassApproaches int `json:"bass_approach_types"`
	BassNotes      int `json:"bass_notes"`
	// Voicings under a chord with guide tones.
	GuideToneVoicings int `json:"comping_guide_tone_share"`
	// Voices matched between consecutive voicings.
	VoiceMoves int `json:"comping_voice_movement_mean"`
	// Voicings checked for intervals and register.
	Voicings int `json:"voicings"`
	// 2-bar windows with comping inside a chorus.
	TwoBarWindows int `json:"repeated_two_bar_cells"`
}

// Range is a span of MIDI keys.
type Range struct {
	Low  int `json:"low"`
	High int `json:"high"`
}

// Approach types, as the JSON keys of BassApproachTypes. The note before a
// chord change is classed by its pitch class against the new chord's root,
// in this order: a semitone below or above, a whole step either side, the
// fifth (the dominant approach), another tone of the chord it is played
// over, or none of these.
const (
	ChromaticBelow = "chromatic_below"
	ChromaticAbove = "chromatic_above"
	DiatonicStep   = "diatonic_step"
	Fifth          = "fifth"
	ChordTone      = "chord_tone"
	Other          = "other"
)

// ApproachTypes lists the approach types in report order.
var ApproachTypes = []string{ChromaticBelow, ChromaticAbove, DiatonicStep, Fifth, ChordTone, Other}

// Register windows: comping between E2 and C6 (the window band/comp
// keeps: rootless, drop-2 and quartal voicings from C3, shells and power
// chords from E2; the low-interval limits catch muddy voicings above E2),
// below the soloist; the bass between E1 (the open E string) and G3, the
// walking range of the double bass.
const (
	CompLow, CompHigh = 40, 84
	BassLow, BassHigh = 28, 55
)

// ErrNoChords is returned when the chart gives no chords to measure against.
var ErrNoChords = errors.New("analyze: the chart has no chords")

// ErrNoChart is returned when neither the call nor the piece gives a chart.
var ErrNoChart = errors.New("analyze: no chart: the piece carries none and none was given")

// Analyze measures a piece against the chart it was played over (the
// piece's own Chart when c is nil): choruses of the chart's form, or as
// many as fill the piece when choruses < 1. An intro and an ending are
// taken into account when the piece's markers name them, as band.Play
// writes them.
func Analyze(p *music.Piece, c *music.Chart, choruses int) (*Report, error) {
	if c == nil {
		c = p.Chart
	}
	if c == nil {
		return nil, ErrNoChart
	}
	f := layout(p, c, choruses)
	has := false
	for _, s := range f.spans {
		has = has || !s.nc
	}
	if !has {
		return nil, ErrNoChords
	}
	var end music.Ticks
	if n := len(f.bars); n > 0 {
		end = f.bars[n-1].end
	}
	pl := findPlayers(p, end)
	r := &Report{
		Title:                    c.Title,
		Bars:                     len(f.bars),
		Choruses:                 f.choruses,
		Parts:                    pl.names,
		BassIntervalHistogram:    map[int]float64{},
		BassApproachTypes:        map[string]float64{},
		RegisterViolationsByRole: map[string]int{music.RoleBass: 0, music.RolePiano: 0},
		NotesPerBar:              map[string]float64{},
	}
	if r.Title == "" {
		r.Title = p.Title
	}
	for _, a := range ApproachTypes {
		r.BassApproachTypes[a] = 0
	}
	if len(f.bars) > 0 {
		for k, n := range pl.counts {
			r.NotesPerBar[k] = float64(n) / float64(len(f.bars))
		}
	}
	a := analyzer{f: &f, r: r}
	a.bass(pl.bass)
	a.comping(pl.piano)
	return r, nil
}

type analyzer struct {
	f *form
	r *Report
}

// chordAt is the index of the span sounding at t, -1 when none.
func (a *analyzer) chordAt(t music.Ticks) int {
	ss := a.f.spans
	i := sort.Search(len(ss), func(i int) bool { return ss[i].start > t }) - 1
	if i < 0 || t >= ss[i].end || ss[i].nc {
		return -1
	}
	return i
}

func (a *analyzer) bass(ns []music.Note) {
	r := a.r
	r.N.BassNotes = len(ns)
	if len(ns) == 0 {
		return
	}
	lo, hi := 127, 0
	for _, n := range ns {
		p := int(n.Pitch)
		lo, hi = min(lo, p), max(hi, p)
		if p < BassLow || p > BassHigh {
			r.RegisterViolations++
			r.RegisterViolationsByRole[music.RoleBass]++
		}
	}
	r.BassRange = &Range{lo, hi}

	// Beat 1: the note struck within a quarter beat of the downbeat, or an
	// anticipation up to an eighth before it that is still sounding (a
	// bossa bass tied over the barline).
	tone, root := 0, 0
	j := 0
	for _, b := range a.f.bars {
		tol := b.beat / 4
		for j < len(ns) && ns[j].Start < b.start-b.beat/2 {
			j++
		}
		best := -1
		for k := j; k < len(ns) && ns[k].Start <= b.start+tol; k++ {
			n := ns[k]
			if n.Start < b.start-tol && n.End() <= b.start {
				continue
			}
			if best < 0 || abs(n.Start-b.start) < abs(ns[best].Start-b.start) {
				best = k
			}
		}
		if best < 0 {
			continue
		}
		ci := a.chordAt(b.start)
		if ci < 0 {
			continue
		}
		s := &a.f.spans[ci]
		pc := int(ns[best].Pitch) % 12
		r.N.BassBeat1++
		if s.tones&(1<<pc) != 0 {
			tone++
		}
		if pc == s.bass {
			root++
		}
	}
	if r.N.BassBeat1 > 0 {
		r.BassChordToneRateBeat1 = float64(tone) / float64(r.N.BassBeat1)
		r.BassRootRateBeat1 = float64(root) / float64(r.N.BassBeat1)
	}

	// Intervals.
	var hist [25]int
	steps := 0
	for i := 1; i < len(ns); i++ {
		d := int(ns[i].Pitch) - int(ns[i-1].Pitch)
		if d >= -2 && d <= 2 {
			steps++
		}
		hist[min(max(d, -12), 12)+12]++
	}
	if n := len(ns) - 1; n > 0 {
		r.N.BassIntervals = n
		r.BassStepShare = float64(steps) / float64(n)
		for i, c := range hist {
			if c > 0 {
				r.BassIntervalHistogram[i-12] = float64(c) / float64(n)
			}
		}
	}

	// Approach notes: the last note struck in the two beats before a
	// change (and not on it), against the new chord's root.
	var types [6]int
	ss := a.f.spans
	for i := 1; i < len(ss); i++ {
		prev, cur := &ss[i-1], &ss[i]
		if prev.nc || cur.nc || prev.end != cur.start {
			continue
		}
		beat := a.beatAt(cur.start)
		tol := beat / 4
		k := sort.Search(len(ns), func(k int) bool { return ns[k].Start >= cur.start-tol }) - 1
		if k < 0 || ns[k].Start < cur.start-2*beat {
			continue
		}
		pc := int(ns[k].Pitch) % 12
		t := 5
		switch mod12(pc - cur.root) {
		case 11:
			t = 0
		case 1:
			t = 1
		case 2, 10:
			t = 2
		case 7:
			t = 3
		default:
			if prev.tones&(1<<pc) != 0 {
				t = 4
			}
		}
		types[t]++
		r.N.BassApproaches++
	}
	if r.N.BassApproaches > 0 {
		for t, c := range types {
			r.BassApproachTypes[ApproachTypes[t]] = float64(c) / float64(r.N.BassApproaches)
		}
	}
}

// beatAt is the felt beat of the bar holding t.
func (a *analyzer) beatAt(t music.Ticks) music.Ticks {
	bs := a.f.bars
	i := sort.Search(len(bs), func(i int) bool { return bs[i].end > t })
	if i == len(bs) {
		i = len(bs) - 1
	}
	if i < 0 {
		return music.PPQ
	}
	return bs[i].beat
}

func (a *analyzer) comping(ns []music.Note) {
	r := a.r
	var prev []int
	moved, moves := 0, 0
	voicing := make([]int, 0, 8)
	guide := 0
	forGroups(ns, voicingTolerance, func(g []music.Note) {
		if len(g) < 2 {
			return
		}
		voicing = voicing[:0]
		var mask uint16
		for _, n := range g {
			voicing = append(voicing, int(n.Pitch))
			mask |= 1 << (n.Pitch % 12)
		}
		if bits.OnesCount16(mask) < 2 {
			return // an octave doubling (a montuno's line) is one voice, not a voicing
		}
		sort.Ints(voicing)
		r.N.Voicings++
		for _, p := range voicing {
			if p < CompLow || p > CompHigh {
				r.RegisterViolations++
				r.RegisterViolationsByRole[music.RolePiano]++
			}
		}
		for i := 1; i < len(voicing); i++ {
			d := voicing[i] - voicing[i-1]
			if d >= 1 && d <= 11 && voicing[i-1] < music.LowIntervalLimit(d) {
				r.LowIntervalViolations++
			}
		}
		if ci := a.voicingChord(g[0].Start, mask); ci >= 0 {
			s := &a.f.spans[ci]
			if s.guide != 0 {
				r.N.GuideToneVoicings++
				if mask&s.guide == s.guide {
					guide++
				}
			}
			if !s.b9 {
				for i := range voicing {
					for k := i + 1; k < len(voicing); k++ {
						if d := voicing[k] - voicing[i]; d > 12 && d%12 == 1 {
							r.MinorNinthViolations++
						}
					}
				}
			}
		}
		if prev != nil {
			for _, p := range voicing {
				best := 128
				for _, q := range prev {
					best = min(best, abs(p-q))
				}
				moved += best
				moves++
			}
		}
		prev = append(prev[:0], voicing...)
	})
	if r.N.GuideToneVoicings > 0 {
		r.CompingGuideToneShare = float64(guide) / float64(r.N.GuideToneVoicings)
	}
	if moves > 0 {
		r.N.VoiceMoves = moves
		r.CompingVoiceMovementMean = float64(moved) / float64(moves)
	}
	a.repeatedCells(ns)
}

// voicingChord is the chord a voicing is played over: the chord sounding
// at its onset or, when it is struck up to an eighth before a change (and
// a sixteenth more, for a push a player rushes), the next one: a push
// anticipates the coming chord (the "and of 4" of Charleston and bossa
// comping), unless the voicing fits the chord still sounding better. Fit counts guide tones twice, then the chord tones and
// tensions held, so a voicing with the next chord's altered tensions
// (D7b9b13 before the change from F7) still goes with it.
func (a *analyzer) voicingChord(t music.Ticks, mask uint16) int {
	ci := a.chordAt(t)
	ss := a.f.spans
	next := sort.Search(len(ss), func(i int) bool { return ss[i].start > t })
	if beat := a.beatAt(t); next < len(ss) && !ss[next].nc && ss[next].start-t <= beat/2+beat/4 {
		fit := func(i int) int {
			if i < 0 {
				return -1
			}
			return 2*bits.OnesCount16(mask&ss[i].guide) + bits.OnesCount16(mask&ss[i].avail)
		}
		if fit(next) >= fit(ci) {
			return next
		}
	}
	return ci
}

// repeatedCells counts 2-bar windows of a chorus that repeat an earlier
// window verbatim: the same comping onsets and pitches over the same
// chords. Each bar is hashed once; a window is a pair of bar hashes.
func (a *analyzer) repeatedCells(ns []music.Note) {
	bars := a.f.bars
	if len(bars) < 2 {
		return
	}
	sig := make([]uint64, len(bars))
	empty := make([]bool, len(bars))
	j, si := 0, 0
	ss := a.f.spans
	for i, b := range bars {
		h := uint64(14695981039346656037)
		mix := func(v uint64) {
			h ^= v
			h *= 1099511628211
		}
		mix(uint64(b.end - b.start))
		for si < len(ss) && ss[si].end <= b.start {
			si++
		}
		for k := si; k < len(ss) && ss[k].start < b.end; k++ {
			mix(uint64(max(ss[k].start-b.start, 0)))
			mix(uint64(ss[k].root)<<32 | uint64(ss[k].tones)<<8 | uint64(ss[k].bass))
		}
		for j < len(ns) && ns[j].Start < b.start {
			j++
		}
		empty[i] = true
		for ; j < len(ns) && ns[j].Start < b.end; j++ {
			empty[i] = false
			mix(uint64(ns[j].Start-b.start)<<8 | uint64(ns[j].Pitch))
		}
		sig[i] = h
	}
	type window struct {
		segment int
		a, b    uint64
	}
	first := map[window]int{}
	for i := 0; i+1 < len(bars); i++ {
		if bars[i].segment != bars[i+1].segment || (empty[i] && empty[i+1]) {
			continue
		}
		a.r.N.TwoBarWindows++
		w := window{bars[i].segment, sig[i], sig[i+1]}
		if k, ok := first[w]; ok {
			if k <= i-2 {
				a.r.RepeatedTwoBarCells++
			}
			continue
		}
		first[w] = i
	}
}

func abs[T ~int | ~int64](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// JSDistance is the Jensen–Shannon distance between two histograms of
// shares (the square root of the Jensen–Shannon divergence, base 2: 0 for
// equal histograms, 1 for disjoint ones), as issue 4 compares the bass
// interval and approach histograms with the human players'. Keys missing
// from one histogram count as 0 there; each is normalised to sum to 1.
// (Endres and Schindelin, "A new metric for probability distributions",
// IEEE Trans. Inf. Theory 49(7), 2003: the root of the divergence is a metric.)
func JSDistance[K comparable](p, q map[K]float64) float64 {
	var sp, sq float64
	for _, v := range p {
		sp += v
	}
	for _, v := range q {
		sq += v
	}
	if sp <= 0 || sq <= 0 {
		if sp <= 0 && sq <= 0 {
			return 0
		}
		return 1
	}
	kl := func(a, m float64) float64 {
		if a <= 0 {
			return 0
		}
		return a * math.Log2(a/m)
	}
	var d float64
	for k, v := range p {
		a, b := v/sp, q[k]/sq
		m := (a + b) / 2
		d += kl(a, m) + kl(b, m)
	}
	for k, v := range q {
		if _, ok := p[k]; !ok {
			b := v / sq
			d += kl(b, b/2)
		}
	}
	return math.Sqrt(max(d/2, 0))
}
