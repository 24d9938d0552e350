package learn

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"sideman/feel"
	"sideman/feel/stats"
	"sideman/format/match"
	"sideman/internal/corpus"
)

// matchWindow is the half-width, in beats, of the window over which the
// tempo curve is fitted around each score position: wide enough to
// average out the asynchrony of single notes and chords (tens of ms),
// narrow enough to follow a ritardando over a bar.
const matchWindow = 2.0

// matchMinPoints is the fewest score onsets a local fit needs; with fewer
// in the window (a fermata, a long held chord) the window widens.
const matchMinPoints = 3

// Vienna reads the vienna4x22 corpus (the tar.gz, or a folder of .match files) as one feel.Performance per match file, role feel.Piano.
//
// The Vienna 4x22 Piano Corpus (W. Goebl, 1999; rematched by CP/JKU,
// Foscarin et al., MEC 2022) has 22 pianists playing 4 excerpts (Chopin
// op. 10/3 and op. 38, Mozart K. 331/1, Schubert D. 783/15) on a
// computer-monitored Bösendorfer grand, every performed note aligned to
// its score note. Performances come sorted by name.
func Vienna(path string) ([]feel.Performance, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("vienna: %w", err)
	}
	var out []feel.Performance
	add := func(name string, r io.Reader) error {
		f, err := match.Decode(r)
		if err != nil {
			return fmt.Errorf("vienna: %s: %w", name, err)
		}
		p, err := MatchPerformance(f, strings.TrimSuffix(matchBase(name), ".match"))
		if err != nil {
			return fmt.Errorf("vienna: %s: %w", name, err)
		}
		out = append(out, p)
		return nil
	}
	isMatch := func(name string) bool { return strings.HasSuffix(name, ".match") }
	if fi.IsDir() {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !isMatch(p) {
				return err
			}
			b, err := corpus.ReadFile(p, corpus.MaxMemberSize)
			if err != nil {
				return fmt.Errorf("vienna: %w", err)
			}
			return add(p, bytes.NewReader(b))
		})
	} else {
		err = corpus.WalkTarGz(path, isMatch, func(m corpus.Member, r io.Reader) error {
			return add(m.Name, r)
		})
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("vienna: no .match files in %s", path)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func matchBase(name string) string { return path.Base(filepath.ToSlash(name)) }

// matchNote is a matched note: its score position in beats and its
// performance in seconds.
type matchNote struct {
	score *match.ScoreNote
	perf  *match.PerformedNote
	x     float64 // score onset in beats of the meter
	t     float64 // performed onset in seconds
}

// MatchPerformance places one match file's performed notes against its score.
//
// The grid is the performance's own tempo curve, since a classical
// pianist's rubato moves the beat by far more than the micro-timing we
// want to see. Every score onset played is one point: its score position
// in beats and the median time its notes were played (the median, so a
// chord's spread and the melody's lead do not bend the curve). Around each
// score position a straight line is fitted to the points within ±2 beats
// by least squares with tricube weights (LOESS, Cleveland 1979), widening
// the window where fewer than 3 onsets fall in it; the line's value at
// the position is the note's Grid and its slope the local BeatDur. Grace
// notes are placed but not fitted: they are played before their beat by
// design.
//
// The beat is the meter's: the quarter in 2/4 and 3/4, the dotted quarter
// in 6/8 (two beats a bar). Slots come from the score position within the
// beat, within a twelfth of a beat, else OffGrid. Articulation is the
// sounding length over the written length at the fitted tempo: sounding
// as feel.Hit means it, from the key press to the key release or, where
// the sustain pedal is down then, to the pedal's release (the "adjusted
// offset" of older match files), cut short where the same key is struck
// again. The key alone would count a pedalled legato as staccato: held
// keys give a median of 0.50 over the corpus, sounding notes 0.96. Grace
// notes, which have no written length, get 0.
// Deleted score notes and inserted performed notes are left out.
func MatchPerformance(f *match.File, name string) (feel.Performance, error) {
	p := feel.Performance{Name: name, Player: name, Style: name}
	if i := strings.LastIndexByte(name, '_'); i >= 0 {
		p.Player, p.Style = name[i+1:], name[:i]
	}
	if v, ok := f.Get("piece"); ok && v != "" {
		p.Style = v
	}
	spt, err := f.SecondsPerTick()
	if err != nil {
		return p, err
	}
	unit, perBar := 1.0, 4
	if num, den, ok := matchMeter(f); ok {
		unit, perBar = 1, num
		// A compound meter (6/8, 9/8, 12/8) beats in dotted notes of
		// three of the denominator, the beats of the match file.
		if num%3 == 0 && num > 3 && den >= 8 {
			unit, perBar = 3, num/3
		}
	}
	p.BeatsPerBar = perBar

	var notes []matchNote
	first, last := math.Inf(1), math.Inf(-1)
	downbeat := math.NaN()
	for _, l := range f.Lines {
		if l.Score == nil {
			continue
		}
		s := l.Score
		first = math.Min(first, s.Onset/unit)
		last = math.Max(last, s.OffsetBeats/unit)
		if math.IsNaN(downbeat) && s.Bar >= 1 && s.Beat == 1 && s.Offset.Num == 0 {
			downbeat = math.Round(s.Onset / unit)
		}
		if l.Kind == match.Matched {
			notes = append(notes, matchNote{s, l.Performed, s.Onset / unit, float64(l.Performed.Onset) * spt})
		}
	}
	if len(notes) == 0 {
		return p, fmt.Errorf("no matched notes")
	}
	if math.IsNaN(downbeat) {
		downbeat = 0
	}
	sounding := matchSounding(f)
	curve := matchTempoCurve(notes)
	type fit struct{ t, dur float64 }
	fits := map[float64]fit{}
	if len(curve.x) < 2 {
		return p, fmt.Errorf("fewer than two score onsets played")
	}
	start := math.Floor(first)
	p.Beats = int(math.Ceil(last) - start)
	p.Hits = make([]feel.Hit, 0, len(notes))
	for _, n := range notes {
		ft, ok := fits[n.x]
		if !ok {
			ft.t, ft.dur = curve.at(n.x)
			fits[n.x] = ft
		}
		grid, beatDur := ft.t, ft.dur
		if !(beatDur > 0) {
			return p, fmt.Errorf("score onset %v: the performance does not move forward", n.x)
		}
		whole := math.Floor(n.x)
		slot, carry := feel.Nearest(n.x-whole, 1.0/12)
		beat := int(whole-start) + carry
		h := feel.Hit{
			Role:     feel.Piano,
			Beat:     beat,
			BarBeat:  ((int(whole-downbeat)+carry)%perBar + perBar) % perBar,
			Slot:     slot,
			Time:     n.t,
			Grid:     grid,
			BeatDur:  beatDur,
			Velocity: n.perf.Velocity,
			Pitch:    uint8(n.perf.Pitch),
		}
		if written := (n.score.OffsetBeats - n.score.Onset) / unit; written > 0 {
			h.Articulation = float64(sounding(n.perf)-n.perf.Onset) * spt / (written * beatDur)
		}
		p.Hits = append(p.Hits, h)
	}
	// The mean tempo is the beats the fitted curve spans over the time it
	// takes: a mean over time, which a few fast local slopes (the
	// strettos before a fermata) do not pull up as a mean of slopes would.
	t0, _ := curve.at(curve.x[0])
	t1, _ := curve.at(curve.x[len(curve.x)-1])
	if !(t1 > t0) {
		return p, fmt.Errorf("the performance does not move forward")
	}
	p.Tempo = 60 * (curve.x[len(curve.x)-1] - curve.x[0]) / (t1 - t0)
	p.Sort()
	return p, nil
}

// matchSounding returns the tick at which a performed note stops
// sounding: its key release, or where the sustain pedal is down then
// (controller value 64 and over), the pedal's release, but never after
// the same key is struck again. Files before version 1 give this as the
// adjusted offset.
func matchSounding(f *match.File) func(*match.PerformedNote) int {
	var pedal []match.PedalEvent
	strikes := map[int][]int{}
	for _, l := range f.Lines {
		switch {
		case l.Kind == match.Pedal && l.PedalEvent.Name == "sustain":
			pedal = append(pedal, *l.PedalEvent)
		case l.Performed != nil:
			strikes[l.Performed.Pitch] = append(strikes[l.Performed.Pitch], l.Performed.Onset)
		}
	}
	sort.SliceStable(pedal, func(i, j int) bool { return pedal[i].Time < pedal[j].Time })
	for _, s := range strikes {
		sort.Ints(s)
	}
	return func(n *match.PerformedNote) int {
		if n.Spelled {
			return max(n.AdjOffset, n.Offset)
		}
		end := n.Offset
		// The last pedal event at or before the release says whether it is down.
		i := sort.Search(len(pedal), func(i int) bool { return pedal[i].Time > n.Offset })
		if i > 0 && pedal[i-1].Value >= 64 {
			for _, e := range pedal[i:] {
				if e.Value < 64 {
					end = e.Time
					break
				}
			}
		}
		s := strikes[n.Pitch]
		if j := sort.SearchInts(s, n.Onset+1); j < len(s) && s[j] < end {
			end = max(s[j], n.Offset)
		}
		return end
	}
}

// matchMeter is the first time signature of the file.
func matchMeter(f *match.File) (num, den int, ok bool) {
	for _, l := range f.Lines {
		if l.Kind != match.Property || l.Prop.Attribute != "timeSignature" {
			continue
		}
		n, d, found := strings.Cut(l.Prop.Value, "/")
		num, err1 := strconv.Atoi(n)
		den, err2 := strconv.Atoi(d)
		if found && err1 == nil && err2 == nil && num > 0 && den > 0 {
			return num, den, true
		}
	}
	return 0, 0, false
}

// matchCurve is the fitted tempo curve through the played score onsets
// x (sorted) and their median times t; dur is the fitted seconds per beat
// at each x.
type matchCurve struct{ x, t, dur []float64 }

// at is the fitted time and seconds per beat at score position x.
func (c matchCurve) at(x float64) (float64, float64) { return matchLocalFit(c.x, c.t, x) }

func matchTempoCurve(notes []matchNote) matchCurve {
	byX := map[float64][]float64{}
	for _, n := range notes {
		if n.score.Has("grace") || n.score.OffsetBeats <= n.score.Onset {
			continue
		}
		byX[n.x] = append(byX[n.x], n.t)
	}
	xs := make([]float64, 0, len(byX))
	for x := range byX {
		xs = append(xs, x)
	}
	sort.Float64s(xs)
	ts := make([]float64, len(xs))
	for i, x := range xs {
		ts[i] = stats.Median(byX[x])
	}
	c := matchCurve{x: xs, t: ts, dur: make([]float64, len(xs))}
	for i, x := range xs {
		_, c.dur[i] = matchLocalFit(xs, ts, x)
	}
	return c
}

// matchLocalFit fits t against x around x0 by tricube-weighted least
// squares and returns the line's value and slope at x0. The window widens
// until it holds matchMinPoints onsets and a rising line, or all onsets.
func matchLocalFit(xs, ts []float64, x0 float64) (float64, float64) {
	need := min(matchMinPoints, len(xs))
	for h := matchWindow; ; h *= 1.5 {
		all := x0-h < xs[0] && x0+h > xs[len(xs)-1]
		var sw, sx, st, sxx, sxt float64
		n := 0
		for i := sort.SearchFloat64s(xs, x0-h); i < len(xs) && xs[i] <= x0+h; i++ {
			dx := xs[i] - x0
			d := math.Abs(dx) / (h * 1.0001)
			w := 1 - d*d*d
			w = w * w * w
			sw += w
			sx += w * dx
			st += w * ts[i]
			sxx += w * dx * dx
			sxt += w * dx * ts[i]
			n++
		}
		den := sw*sxx - sx*sx
		if den > 0 {
			slope := (sw*sxt - sx*st) / den
			if (n >= need && slope > 0) || all {
				return (st - slope*sx) / sw, slope
			}
		} else if all {
			// Every onset at one score position: nothing to fit.
			return stats.Median(ts), math.NaN()
		}
	}
}
