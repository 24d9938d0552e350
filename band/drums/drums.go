package drums

import (
	"fmt"
	"math"
	"strconv"

	"sideman/band"
	"sideman/internal/quote"
	"sideman/music"
)

// General MIDI percussion keys (GM 1 Level 1, channel 10). The GS brush kit
// (program 40) puts its brushes on 38, 39 and 40.
const (
	kick      = 36
	sideStick = 37
	snare     = 38
	slap      = 39 // brush slap; GM: hand clap
	swirl     = 40 // brush swirl; GM: electric snare
	floorTom  = 41
	lowTom    = 45
	midTom    = 47
	highTom   = 50
	closedHat = 42
	pedalHat  = 44
	openHat   = 46
	crash     = 49
	ride      = 51
	rideBell  = 53
	claves    = 75
)

// Note lengths: drums are struck, so only cymbals and brush sweeps are
// given a length a synthesizer could use to let them ring.
const (
	hitTicks    = music.PPQ / 8
	cymbalTicks = music.PPQ
)

// kit is one drummer: how it keeps time in a bar and how it marks the form.
type kit struct {
	name string
	// time plays one bar of the groove.
	time func(d *drummer, pb music.PlayedBar)
	// fill plays from beat from to the end of the bar; nil is a stick fill.
	fill func(d *drummer, pb music.PlayedBar, from int)
	// accent is struck on beat 1 of a section or chorus, ending on the
	// final bar; brushes have no crash cymbal to hit.
	accent, ending []uint8
	// accentVel is how hard the accent is struck.
	accentVel int
	// hihat is the key the drums.hihat parameter plays: the foot in jazz,
	// the closed hi-hat under sticks elsewhere.
	hihat uint8
	// level is the kit's default drums.level.
	level int
	// triplet fills suit swing; straight styles fill in sixteenths.
	triplet bool
}

var kits = []*kit{
	{name: "swing", time: swingTime, hihat: pedalHat, triplet: true},
	{name: "waltz", time: waltzTime, hihat: pedalHat, triplet: true},
	{name: "brushes", time: brushTime, fill: brushFill, accent: []uint8{slap}, ending: []uint8{slap, swirl}, accentVel: 54, hihat: snare, triplet: true, level: brushLevel},
	{name: "bossa", time: bossaTime, hihat: closedHat},
	{name: "samba", time: sambaTime, hihat: closedHat},
	{name: "afro-cuban", time: afroCubanTime, hihat: pedalHat},
	{name: "pop", time: popTime, hihat: closedHat},
	{name: "rock", time: rockTime, hihat: closedHat},
	{name: "funk", time: funkTime, hihat: closedHat},
	{name: "shuffle", time: shuffleTime, hihat: pedalHat, triplet: true},
}

func init() {
	for _, k := range kits {
		if k.accent == nil {
			k.accent = []uint8{crash, kick}
			k.ending = []uint8{crash, kick, snare}
			k.accentVel = 96
		}
	}
}

// Hire adds the drummers to a lineup, under the names styles use, with
// the checker of the drum parameters.
func Hire(l *band.Lineup) {
	for _, k := range kits {
		l.Add("drums", k.name, k.hire)
	}
	l.AddCheck("drums", CheckStyle)
}

// brushLevel lifts the brushes' written velocities (30-60, safe on a plain
// GM kit) to where the GS brush kit of the Debian SoundFonts is heard: its
// samples are quiet, and at level 0 a ballad's brushes rendered through
// FluidR3_GM sat 24 dB under the bass and piano (RMS 36 against 584);
// at 28 they sit about 15 dB under, a soft bed, as brushes should.
const brushLevel = 28

// Voices a style may rewrite with counted positions (docs/style-format.md).
var voices = []string{"ride", "hihat", "kick", "snare", "cross-stick"}

// pattern is a voice rewritten by the style: positions over one bar, or
// over two bars when they run past the bar's last beat.
type pattern struct {
	pos []band.Position
	vel []int
}

// CheckStyle reports a drum parameter of a style that the drummers cannot
// read, so a user's style file fails loudly instead of being half ignored.
func CheckStyle(s *band.Style) error {
	for _, v := range voices {
		if p, ok := s.Params["drums."+v]; ok {
			if _, _, err := band.ParsePositions(p); err != nil {
				return fmt.Errorf("drums.%s: %w", v, err)
			}
		}
	}
	if c, ok := s.Params["drums.clave"]; ok && c != "2-3" && c != "3-2" {
		return fmt.Errorf("drums.clave %s: want 2-3 or 3-2", quote.Input(c))
	}
	// The ranges keep a number that parses (NaN, 1e300) from reaching
	// a velocity or a program: comping is a chance, level moves velocities.
	for _, r := range []struct {
		key    string
		lo, hi float64
	}{{"drums.comping", 0, 1}, {"drums.program", 0, 127}, {"drums.level", -127, 127}} {
		if v, ok := s.Params[r.key]; ok {
			if f, err := strconv.ParseFloat(v, 64); err != nil || !(f >= r.lo && f <= r.hi) {
				return fmt.Errorf("%s %s: want a number from %g to %g", r.key, quote.Input(v), r.lo, r.hi)
			}
		}
	}
	if f, ok := s.Params["drums.fills"]; ok && f != "on" && f != "off" {
		return fmt.Errorf("drums.fills %s: want on or off", quote.Input(f))
	}
	return nil
}

// stroke is a piece of the kit at a tick.
type stroke struct {
	key uint8
	at  music.Ticks
}

// countBar counts cut time and whole-note meters in quarters: a drummer
// plays 2/2 with the ride in four, not in two slow half notes.
func countBar(pb music.PlayedBar) music.PlayedBar {
	if m := pb.Meter; !m.Compound() && m.Den < 4 && m.Num*4/m.Den <= 32 {
		pb.Meter = m.Recount(4) // a written grouping scaled with it
	}
	return pb
}

// isStart reports a bar that begins a section or a chorus: a section
// label (the same rule band.Play uses for markers), or the top of the form.
func isStart(bars []music.PlayedBar, i int) bool {
	b := bars[i]
	if b.Bar.Section != "" && (i == 0 || b.Bar.Section != bars[i-1].Bar.Section || b.Bar != bars[i-1].Bar) {
		return true
	}
	return isTop(bars, i)
}

// isTop reports the first bar of a chorus.
func isTop(bars []music.PlayedBar, i int) bool {
	if i == 0 {
		return true
	}
	return bars[i].Chorus != bars[i-1].Chorus || (bars[i].Index == 0 && bars[i-1].Index != 0)
}

// fillStart picks where the fill begins: usually the last two beats, the
// whole bar more often into the top of the form (Riley's "setting up the
// band").
func (d *drummer) fillStart(beats int, top bool) int {
	whole := 0.2
	if top {
		whole = 0.45
	}
	if beats <= 2 || d.r.Float64() < whole {
		return 0
	}
	return beats - 2
}

// end is the final bar: one hit with the cymbal left to ring.
func (d *drummer) end(pb music.PlayedBar) {
	ring := pb.Meter.BarTicks()
	for _, key := range d.k.ending {
		v := 108
		if d.k.name == "brushes" {
			v = 58
		}
		d.note(key, pb.Start, ring, v+d.r.IntN(6))
	}
}

// note adds one hit; a piece already struck at that tick is struck once,
// as loud and as long as the stronger of the two.
func (d *drummer) note(key uint8, at, dur music.Ticks, vel int) {
	v := uint8(max(1, min(127, vel+d.level)))
	if i, ok := d.struck[stroke{key, at}]; ok {
		n := &d.notes[i]
		n.Velocity, n.Duration = max(n.Velocity, v), max(n.Duration, dur)
		return
	}
	d.struck[stroke{key, at}] = len(d.notes)
	d.notes = append(d.notes, music.Note{Pitch: key, Velocity: v, Start: at, Duration: dur})
}

// hit plays one time-keeping stroke of a voice at a counted position,
// unless the style rewrote that voice, a fill plays there, or a crash
// takes the place of the ride on a section's downbeat. The hi-hat foot
// keeps going through fills, as it does under a drummer's hands.
func (d *drummer) hit(pb music.PlayedBar, voice string, key uint8, p band.Position, vel int) {
	if _, ok := d.over[voice]; ok {
		return
	}
	d.strike(pb, key, d.g.Tick(pb, p), vel)
}

// hitUnit plays a stroke on an even grid (unit of per to the beat) with no
// swing: sixteenths, triplets, or the eighths of a compound meter.
func (d *drummer) hitUnit(pb music.PlayedBar, voice string, key uint8, u, per, vel int) {
	if _, ok := d.over[voice]; ok {
		return
	}
	d.strike(pb, key, pb.Start+music.Ticks(u)*pb.Meter.BeatTicks()/music.Ticks(per), vel)
}

func (d *drummer) strike(pb music.PlayedBar, key uint8, at music.Ticks, vel int) {
	if at >= d.cut && key != pedalHat {
		return
	}
	if at == d.downbeat && (key == ride || key == closedHat || key == rideBell || key == openHat) {
		return
	}
	dur := music.Ticks(hitTicks)
	if key == ride || key == crash || key == openHat || key == rideBell {
		dur = cymbalTicks
	}
	d.note(key, at, dur, vel)
}

// shape gives a stroke its velocity from where it falls: the bar's first
// beat strongest, other beats next, off-beats and sixteenths softer; the
// first bar of a phrase lifts a little and later choruses build. A small
// random part keeps repeated strokes from sounding like a machine, but the
// shape, not the noise, carries the groove.
func (d *drummer) shape(base int, pb music.PlayedBar, p band.Position) int {
	whole, frac := math.Modf(float64(p))
	v := base
	switch {
	case frac == 0 && whole == 0:
		v += 6
	case frac == 0:
	case math.Abs(frac-0.5) < 1e-9 || (pb.Meter.Compound() && math.Abs(frac-2.0/3) < 1e-9):
		v -= 6
	default:
		v -= 10
	}
	if d.bar%4 == 0 {
		v += 3
	} else if d.bar%4 == 3 {
		v += 1
	}
	return v + d.lift + d.r.IntN(7) - 3
}

// clamp keeps a shaped velocity inside a dynamic band: feathered kicks
// and ghost notes must stay felt, not heard, however the phrase lifts.
func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// and is the off-beat eighth after beat b: "2+" in simple meters (swung by
// the gig), the third eighth of the beat in compound meters.
func and(pb music.PlayedBar, b int) band.Position {
	if pb.Meter.Compound() {
		return band.Position(float64(b) + 2.0/3)
	}
	return band.Position(float64(b) + 0.5)
}

// groupStarts splits a bar's beats into the groups a drummer feels: pairs
// in even meters (the backbeat falls on the second of each), 3+2 and 3+2+2
// in five and seven, one group of three in waltz time.
func groupStarts(beats int, threes bool) []bool {
	s := make([]bool, beats)
	b := 0
	if threes && beats%3 == 0 {
		for ; b < beats; b += 3 {
			s[b] = true
		}
		return s
	}
	if beats%2 == 1 && beats >= 3 {
		s[0] = true
		b = 3
	}
	for ; b < beats; b += 2 {
		s[b] = true
	}
	if beats > 0 {
		s[0] = true
	}
	return s
}

// unitsPerBeat is the grid of a beat: per in simple meters, three in
// compound ones (whose beat is a dotted quarter of three eighths).
func (d *drummer) unitsPerBeat(pb music.PlayedBar, per int) int {
	if pb.Meter.Compound() {
		return 3
	}
	return per
}

// cycle plays a pattern of units that runs across bars (a two-bar clave),
// kept in phase from the start of the section.
func (d *drummer) cycle(pb music.PlayedBar, voice string, key uint8, per int, pattern []int, length int, vel func(i int) int) {
	// A two-bar pattern takes the half that matches the bar's place in the
	// phrase, so the clave's sides stay with the bars in any meter.
	n := pb.Meter.Beats() * per
	start := 0
	if n < length {
		start = d.bar % 2 * (length / 2)
	}
	for _, u := range pattern {
		for c := (start / length) * length; c < start+n; c += length {
			if at := c + u - start; at >= 0 && at < n {
				d.hitUnit(pb, voice, key, at, per, vel(u))
			}
		}
	}
}

// overrides plays the voices a style rewrote with counted positions.
func (d *drummer) overrides(pb music.PlayedBar) {
	if len(d.over) == 0 {
		return
	}
	beats := band.Position(pb.Meter.Beats())
	keys := map[string]uint8{"ride": ride, "hihat": d.k.hihat, "kick": kick, "snare": snare, "cross-stick": sideStick}
	base := map[string]int{"ride": 66, "hihat": 58, "kick": 70, "snare": 80, "cross-stick": 64}
	if d.k.name == "brushes" {
		keys["ride"], keys["kick"], keys["cross-stick"] = snare, swirl, slap
		base["ride"], base["snare"] = 36, 46
	}
	for _, v := range voices {
		pat, ok := d.over[v]
		if !ok {
			continue
		}
		for i, p := range pat.pos {
			if p >= beats {
				if p >= 2*beats || d.bar%2 == 0 {
					continue
				}
				p -= beats
			} else if pat.pos[len(pat.pos)-1] >= beats && d.bar%2 == 1 {
				continue // a two-bar pattern: the first bar's part
			}
			vel := pat.vel[i] - d.level // a written velocity is played as written
			if pat.vel[i] == 0 {
				vel = d.shape(base[v], pb, p)
			}
			d.strike(pb, keys[v], d.g.Tick(pb, p), vel)
		}
	}
}

// accented reports whether the ride leans on beat b: the style's
// drums.ride-accent, else the backbeats.
func (d *drummer) accented(b int, starts []bool) bool {
	if len(d.rideAccent) == 0 {
		return !starts[b]
	}
	for _, p := range d.rideAccent {
		if int(p) == b {
			return true
		}
	}
	return false
}

// stickFill plays a fill from beat from to the bar's end on snare and toms,
// in triplets for swing and sixteenths for straight styles, from a small
// vocabulary chosen afresh each time and built with a crescendo into the
// next section.
func (d *drummer) stickFill(pb music.PlayedBar, from int) {
	per := 4
	if d.k.triplet {
		per = 3
	}
	per = d.unitsPerBeat(pb, per)
	beats := pb.Meter.Beats()
	n := (beats - from) * per
	first := from * per
	toms := []uint8{snare, highTom, midTom, lowTom, floorTom}
	kind := d.r.IntN(4)
	base, top := 58, 100
	if d.k.triplet {
		base, top = 48, 92
	}
	for i := 0; i < n; i++ {
		var key uint8 = snare
		switch kind {
		case 1: // around the kit, high to low (a tom per beat)
			key = toms[min(i/per*len(toms)/max(1, n/per), len(toms)-1)]
		case 2: // snare and toms alternating in pairs
			if (i/2)%2 == 1 {
				key = toms[1+(i/4)%4]
			}
		case 3: // sparse: the bop drummer's broken fill, kick under
			if d.r.Float64() < 0.35 && i != n-1 && i != 0 {
				if d.r.IntN(3) == 0 {
					d.hitUnitFill(pb, kick, first+i, per, base+10)
				}
				continue
			}
		}
		v := base + (top-base)*i/max(1, n-1)
		if i%per == 0 {
			v += 6
		}
		d.hitUnitFill(pb, key, first+i, per, v+d.r.IntN(5))
	}
	if d.r.IntN(2) == 0 {
		d.hitUnitFill(pb, kick, first+n-1, per, 80)
	}
}

// hitUnitFill places a fill stroke, which the cut does not silence.
func (d *drummer) hitUnitFill(pb music.PlayedBar, key uint8, u, per, vel int) {
	d.note(key, pb.Start+music.Ticks(u)*pb.Meter.BeatTicks()/music.Ticks(per), hitTicks, vel)
}
