package band

import (
	"fmt"
	"math"
	"sideman/internal/quote"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sideman/music"
)

// The practice controls a player reaches for every day (iReal Pro, MMA,
// Band-in-a-Box): a count-in, a section on a loop, a tempo that rises
// with every time round, and each instrument's level. Play reads them
// from Options; Played gives the bars they make.

// BarRange is a stretch of the chart's bars as written, numbered from 1
// as printed (a pickup bar is bar 0): bars 9-16 are the second A of an
// AABA tune written out.
type BarRange struct{ First, Last int }

// IsZero reports whether no range is set.
func (r BarRange) IsZero() bool { return r.First == 0 && r.Last == 0 }

func (r BarRange) String() string { return fmt.Sprintf("%d-%d", r.First, r.Last) }

// ParseBarRange reads "9-16", or "9" for one bar.
func ParseBarRange(s string) (BarRange, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		b = a
	}
	// Atoi, not Sscanf: trailing text ("9-16x", "9-16-20") is no range.
	first, err1 := strconv.Atoi(strings.TrimSpace(a))
	last, err2 := strconv.Atoi(strings.TrimSpace(b))
	r := BarRange{First: first, Last: last}
	if err1 != nil || err2 != nil || r.First < 1 || r.Last < r.First {
		return BarRange{}, fmt.Errorf("%s: want FIRST-LAST, bars numbered from 1 (9-16)", quote.Input(s))
	}
	return r, nil
}

// ParseLevels reads "bass=-6,drums=+2": a role and a level in dB for each.
func ParseLevels(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		role, db, ok := strings.Cut(item, "=")
		role = strings.TrimSpace(role)
		v, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(db), "+"), 64)
		if !ok || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: want ROLE=DB (bass=-6)", quote.Input(item))
		}
		if !isRole(role) {
			return nil, fmt.Errorf("%s: no role %s; want %s", quote.Input(item), quote.Input(role), strings.Join(Roles, ", "))
		}
		out[role] = v
	}
	return out, nil
}

// OptionError is a practice option the chart or the style cannot take
// (a loop past the chart's last bar, a level above the loudest volume):
// Option names it as the command line does ("loop", "level").
type OptionError struct {
	Option, Value string
	Err           error
}

func (e *OptionError) Error() string { return e.Option + " " + e.Value + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// countInSection labels the count-in's bars (a marker in the MIDI file).
const countInSection = "Count-in"

// Played lays out the bars a performance plays with these options: the
// count-in's bars (empty, labelled Count-in, chorus 0, written bar -1),
// then the loop played Repeat times (each time round a chorus) or else
// Form's intro, choruses and ending. Bars start where they sound, after
// the count-in.
func Played(c *music.Chart, opt Options) ([]music.PlayedBar, error) {
	if opt.CountIn < 0 || opt.CountIn > 16 {
		return nil, &OptionError{"count-in", fmt.Sprint(opt.CountIn), fmt.Errorf("want 0 to 16 bars")}
	}
	var body []music.PlayedBar
	if opt.Loop.IsZero() {
		body = Form(c, max(opt.Choruses, 1), opt.Intro, opt.Ending)
	} else {
		var err error
		if body, err = loopBars(c, opt.Loop, repeats(opt)); err != nil {
			return nil, err
		}
		if opt.Intro || opt.Ending {
			return nil, &OptionError{"loop", opt.Loop.String(), fmt.Errorf("a loop plays no intro or ending")}
		}
	}
	if opt.CountIn == 0 || len(body) == 0 {
		return body, nil
	}
	// The count-in is in the form's meter: a pickup bar's short meter is
	// its own, so the bar after it gives the beat.
	m := body[0].Meter
	if len(body) > 1 && body[1].Meter.BarTicks() > m.BarTicks() {
		m = body[1].Meter
	}
	out := make([]music.PlayedBar, 0, opt.CountIn+len(body))
	for i := range opt.CountIn {
		out = append(out, music.PlayedBar{Index: -1, Start: music.Ticks(i) * m.BarTicks(), Meter: m, Bar: &music.Bar{Section: countInSection}})
	}
	shift := music.Ticks(opt.CountIn) * m.BarTicks()
	for _, pb := range body {
		pb.Start += shift
		out = append(out, pb)
	}
	return out, nil
}

// repeats is how many times round the band goes: a loop Repeat times,
// else (and a loop without Repeat) Choruses, at least once.
func repeats(opt Options) int {
	if opt.Repeat > 0 && !opt.Loop.IsZero() {
		return opt.Repeat
	}
	return max(opt.Choruses, 1)
}

// loopBars plays the written bars r.First to r.Last in order, times
// over, each time round a chorus. Repeats, endings and jumps inside the
// range are not taken: the bars are played as they stand on the page. The
// first bar carries the chord sounding into it (an empty bar continues
// the chord before it) and its meter, so the loop starts as it does in
// the tune.
func loopBars(c *music.Chart, r BarRange, times int) ([]music.PlayedBar, error) {
	if r.First < 1 || r.Last < r.First {
		return nil, &OptionError{"loop", r.String(), fmt.Errorf("want FIRST-LAST, bars numbered from 1")}
	}
	meters := c.BarMeters()
	// Bars are numbered as printed: a pickup (a first bar shorter than the
	// next) is bar 0, the first full bar bar 1.
	pickup := 0
	if len(meters) > 1 && meters[0].BarTicks() < meters[1].BarTicks() {
		pickup = 1
	}
	if n := len(c.Bars) - pickup; r.Last > n {
		return nil, &OptionError{"loop", r.String(), fmt.Errorf("%s has %d bars", quote.Input(c.Title), n)}
	}
	if times < 1 || times > 256 {
		return nil, &OptionError{"repeat", fmt.Sprint(times), fmt.Errorf("want 1 to 256")}
	}
	r.First, r.Last = r.First+pickup, r.Last+pickup
	bars := make([]*music.Bar, 0, r.Last-r.First+1)
	for i := r.First - 1; i < r.Last; i++ {
		b := c.Bars[i]
		bars = append(bars, &music.Bar{Section: b.Section, Chords: b.Chords, Comment: b.Comment, Notes: b.Notes})
	}
	held := music.NC
	for i := r.First - 2; i >= 0 && held.NoChord; i-- {
		if cs := c.Bars[i].Chords; len(cs) > 0 {
			held = cs[len(cs)-1].Chord
		}
	}
	first := bars[0]
	if !held.NoChord && (len(first.Chords) == 0 || first.Chords[0].Offset > 0) {
		first.Chords = append([]music.ChordAt{{Chord: held}}, first.Chords...)
	}
	m := meters[r.First-1]
	first.Meter = &m
	var out []music.PlayedBar
	var at music.Ticks
	for k := 1; k <= times; k++ {
		for j, b := range bars {
			i := r.First - 1 + j
			out = append(out, music.PlayedBar{Index: i, Chorus: k, Start: at, Meter: meters[i], Bar: b})
			at += meters[i].BarTicks()
		}
	}
	return out, nil
}

// ordinal is 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st, ...
func ordinal(k int) string {
	suffix := "th"
	switch k % 10 {
	case 1:
		suffix = "st"
	case 2:
		suffix = "nd"
	case 3:
		suffix = "rd"
	}
	if k%100 >= 11 && k%100 <= 13 {
		suffix = "th"
	}
	return strconv.Itoa(k) + suffix
}

// ramp writes the tempo ramp into the tempo map: each chorus (each time
// round a loop) Ramp beats per minute faster than the one before, the
// count-in and intro at the first chorus's tempo and the ending at the
// last's. Changes already in the map (a ritard, a fermata) keep their
// proportion to the tempo around them.
func ramp(tm music.TempoMap, played []music.PlayedBar, bpm, step int, loop bool) (music.TempoMap, error) {
	if step == 0 || len(played) == 0 {
		return tm, nil
	}
	// A loop goes round, a chart's form is played in choruses: the
	// errors say which.
	each := "a chorus"
	if loop {
		each = "a time round"
	}
	// Beyond 380 no second chorus stays in 20..400, and a larger step
	// times the choruses could wrap round int to a tempo that passes.
	if step < -380 || step > 380 {
		return nil, &OptionError{"ramp", fmt.Sprintf("%+d", step), fmt.Errorf("want -380 to +380 beats per minute %s", each)}
	}
	// The highest chorus reached so far says how many steps up: the
	// ending's tag (chorus 1's bars again) stays at the last tempo.
	type rise struct {
		at  music.Ticks
		bpm int
	}
	var rises []rise
	k := 1
	for _, pb := range played {
		if pb.Chorus > k {
			k = pb.Chorus
			rises = append(rises, rise{pb.Start, bpm + (k-1)*step})
		}
	}
	last := bpm + (k-1)*step
	if last < 20 || last > 400 {
		if loop {
			return nil, &OptionError{"ramp", fmt.Sprintf("%+d", step), fmt.Errorf("%d bpm reaches %d bpm by the %s time round; want 20 to 400", bpm, last, ordinal(k))}
		}
		return nil, &OptionError{"ramp", fmt.Sprintf("%+d", step), fmt.Errorf("%d bpm over %d choruses reaches %d bpm; want 20 to 400", bpm, k, last)}
	}
	// The tempo at t is the map's, times the chorus's over the first.
	at := func(t music.Ticks) int64 {
		to := bpm
		for _, r := range rises {
			if r.at <= t {
				to = r.bpm
			}
		}
		return int64(math.Round(float64(tm.At(t).MicrosPerQuarter) * float64(bpm) / float64(to)))
	}
	var ticks []music.Ticks
	for _, tc := range tm {
		ticks = append(ticks, tc.At)
	}
	for _, r := range rises {
		ticks = append(ticks, r.at)
	}
	sort.Slice(ticks, func(i, j int) bool { return ticks[i] < ticks[j] })
	out := make(music.TempoMap, 0, len(ticks))
	for _, t := range ticks {
		if n := len(out); n > 0 && out[n-1].At == t {
			continue
		}
		out = append(out, music.TempoChange{At: t, MicrosPerQuarter: at(t)})
	}
	return out, nil
}

// setLevels sets the parts' channel volumes for the levels asked, in dB
// by role. The gain follows the volume's square, so a level of L dB
// multiplies the volume by 10^(L/40) (-6 dB: 100 becomes 71); a part
// whose style sets no volume starts from General MIDI's 100. A part asked
// up past 127, the loudest volume, stays there and every other part goes
// down by the excess instead: the mix moves as asked (drums +2 dB is the
// band 2 dB under them). Velocities are untouched: the dynamics stay.
func setLevels(parts []*music.Part, levels map[string]float64) error {
	if len(levels) == 0 {
		return nil
	}
	target := make([]float64, len(parts))
	top := 127.0
	for i, part := range parts {
		v := part.Volume
		if v == 0 {
			v = 100
		}
		target[i] = float64(v) * math.Pow(10, levels[part.Role]/40)
		top = max(top, target[i])
	}
	for i, part := range parts {
		nv := int(math.Round(target[i] * 127 / top))
		if nv < 1 {
			return &OptionError{"level", fmt.Sprintf("%s=%+g", part.Role, levels[part.Role]),
				fmt.Errorf("the %s would go below the quietest volume; leave it out with mute", part.Role)}
		}
		part.Volume = nv
	}
	return nil
}

// The count-in is the hi-hat pedal, as a drummer counts a band in with
// the foot (and with brushes, which do not click), at these velocities:
// the downbeat, a group's start (beat 5 of 7/4 in 4+3) and the other
// beats. The side stick would do as well but for the WAV's start: in
// FluidR3_GM, the SoundFont render takes first, its sample opens with 1.8
// ms of silence, where the pedal's sounds at once.
const (
	hiHatPedal = 44
	countDown  = 112
	countGroup = 96
	countBeat  = 80
)

// countIn is the count-in's part: one stroke a felt beat of each count-in
// bar, the downbeat marked, on the drums' channel with the drums' kit and
// place in the mix (their level included).
func countIn(played []music.PlayedBar, drums music.Part, index int, ids *music.IDs, title string, seed int64) music.Part {
	key := uint8(hiHatPedal)
	origin := &music.Origin{Kind: music.MachineGenerated, Generator: countInGenerator, Version: "1", Params: fmt.Sprintf("seed=%d", seed), Source: title}
	part := music.Part{Name: countInSection, Role: music.RoleDrums, Channel: drums.Channel, Program: drums.Program, Volume: drums.Volume, Pan: drums.Pan}
	for _, pb := range played {
		if pb.Index >= 0 {
			break
		}
		beat := pb.Meter.BeatTicks()
		for t := music.Ticks(0); t < pb.Meter.BarTicks(); t += beat {
			v := uint8(countBeat)
			switch {
			case t == 0:
				v = countDown
			case pb.Meter.GroupStart(t):
				v = countGroup
			}
			part.Notes = append(part.Notes, music.Note{ID: ids.Next(), Pitch: key, Velocity: v, Start: pb.Start + t, Duration: min(beat/2, music.PPQ/4),
				Channel: part.Channel, Part: int16(index), Origin: origin})
		}
	}
	return part
}

// checkLevels refuses a level for a role the band does not know.
func checkLevels(levels map[string]float64) error {
	for role, db := range levels {
		if !isRole(role) {
			return &OptionError{"level", fmt.Sprintf("%s=%+g", role, db), fmt.Errorf("want a role of %s", strings.Join(Roles, ", "))}
		}
	}
	return nil
}

// rolePart is a role's part, without notes, as the style sets it up: its
// name, channel, program (the style's "role.program" or the default) and
// place in the mix.
func rolePart(st *Style, role string) music.Part {
	prog := defaultProgram[role]
	if v := st.Param(role+".program", ""); v != "" {
		fmt.Sscan(v, &prog)
	}
	m := st.Mix[role]
	return music.Part{Name: partName[role], Role: role, Channel: channel[role], Program: prog, Volume: m.Volume, Pan: m.Pan}
}

// countInGenerator names the count-in's notes in their Origin.
const countInGenerator = "band/count-in"

// WithFeel plays a performance of Play's with a human feel (humanize is
// feel.Humanize with its profile and options) and leaves its count-in on
// the grid: a steady click to come in with, its first stroke at tick 0,
// so the WAV starts with it. The band comes in after the count-in, so no
// note the feel plays early is held back at tick 0. The count-in's part
// comes last; every other part keeps its order.
func WithFeel(p *music.Piece, humanize func(*music.Piece) *music.Piece) *music.Piece {
	isClick := func(part *music.Part) bool {
		return len(part.Notes) > 0 && part.Notes[0].Origin != nil && part.Notes[0].Origin.Generator == countInGenerator
	}
	if !slices.ContainsFunc(p.Parts, func(part music.Part) bool { return isClick(&part) }) {
		return humanize(p) // no count-in: nothing to set apart or renumber
	}
	played := *p
	played.Parts = nil
	var clicks []music.Part
	for _, part := range p.Parts {
		if isClick(&part) {
			clicks = append(clicks, part)
			continue
		}
		played.Parts = append(played.Parts, renumber(part, len(played.Parts)))
	}
	out := humanize(&played)
	for _, part := range clicks {
		out.Parts = append(out.Parts, renumber(part, len(out.Parts)))
	}
	return out
}

// renumber is the part with its notes copied and pointing at index i.
func renumber(part music.Part, i int) music.Part {
	part.Notes = append([]music.Note(nil), part.Notes...)
	for k := range part.Notes {
		part.Notes[k].Part = int16(i)
	}
	return part
}
