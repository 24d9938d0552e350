package drums

import (
	"sideman/band"
	"sideman/music"
)

// swingTime is the bop drummer's time (John Riley, "The Art of Bop
// Drumming", ch. 1-3): the ride on every beat with the skip note on the
// swung "and" after the backbeat, leaning on 2 and 4; the hi-hat foot on
// 2 and 4; the bass drum feathered on all four beats, felt more than
// heard; the snare comping in sparse triplet-based ghost notes with an
// occasional accent or bass-drum "bomb", drawn afresh each bar.
func swingTime(d *drummer, pb music.PlayedBar) {
	jazzTime(d, pb, false)
}

// waltzTime is swing in three (Riley, ch. 9; Ed Thigpen, "Rhythm
// Brought to Life"): the ride "1 2 2+ 3", the hi-hat foot on 2, or on 2 and
// 3 in alternate choruses, the bass drum on 1.
func waltzTime(d *drummer, pb music.PlayedBar) {
	jazzTime(d, pb, true)
}

func jazzTime(d *drummer, pb music.PlayedBar, waltz bool) {
	beats := pb.Meter.Beats()
	gr := barGrouping(pb.Meter, waltz)
	starts := gr.cell
	comp := d.g.Style.FloatParam("drums.comping", 0.22)
	if d.g.Tempo > 220 {
		comp *= 0.7 // at fast tempos comping thins out
	}
	// The conversation grows chorus by chorus, as behind a soloist who
	// builds; the tag and intro (counted as chorus 1) stay light.
	comp *= 1 + 0.2*float64(min(max(pb.Chorus-1, 0), 3))
	comp *= d.ear // less under a busy soloist, more while one rests
	footOn3 := pb.Chorus%2 == 0
	for b := 0; b < beats; b++ {
		p := band.Position(b)
		inGroup := 0
		for j := b; j > 0 && !starts[j]; j-- {
			inGroup++
		}
		v := 64
		if d.accented(b, starts) {
			v = 72
		}
		d.hit(pb, "ride", ride, p, d.shape(v, pb, p))
		// The skip note after the second beat of each group; now and then
		// one after the first as well, Riley's ride variation.
		if inGroup == 1 || (inGroup == 0 && d.r.Float64() < 0.07) {
			d.hit(pb, "ride", ride, and(pb, b), d.shape(54, pb, and(pb, b)))
		}
		if !starts[b] && (!waltz || inGroup == 1 || footOn3) {
			d.hit(pb, "hihat", pedalHat, p, d.shape(60, pb, p))
		}
		if !waltz || starts[b] {
			d.hit(pb, "kick", kick, p, clamp(d.shape(34+gr.weight(b), pb, p), 28, 45)) // feathered
		}
		d.jazzComp(pb, b, comp)
	}
	// Now and then a two-beat phrase from the bop vocabulary instead of
	// single strokes (Riley, "The Art of Bop Drumming", comping chapter).
	if beats >= 2 && d.r.Float64() < comp {
		b := d.r.IntN(beats - 1)
		for _, s := range swingCells[d.r.IntN(len(swingCells))] {
			p := band.Position(b + s.beat)
			if s.and {
				p = and(pb, b+s.beat)
			}
			switch {
			case s.key == kick:
				d.hit(pb, "kick", kick, p, 60+d.r.IntN(12))
			case s.accent:
				d.hit(pb, "snare", snare, p, 66+d.r.IntN(14))
			default:
				d.hit(pb, "snare", snare, p, clamp(d.shape(32, pb, p), 20, 45))
			}
		}
	}
}

// swingCell is one stroke of a comping phrase: beat from the phrase's
// start, on the beat or its swung and.
type swingCell struct {
	beat   int
	and    bool
	key    uint8
	accent bool
}

// swingCells are two-beat comping phrases between snare and bass drum.
var swingCells = [][]swingCell{
	{{0, true, snare, false}, {1, false, snare, true}},  // the and of 1 into 2
	{{0, true, snare, false}, {1, true, kick, false}},   // snare asks, bass drum answers
	{{0, false, snare, false}, {0, true, snare, false}}, // a pair of ghosts
	{{0, true, kick, false}, {1, false, snare, true}},   // bass drum sets up the snare
	{{0, false, snare, true}, {1, true, snare, false}},  // Charleston
}

// jazzComp is the left hand's conversation on one beat: on the beat or on
// its last triplet, mostly ghosted, sometimes a full accent, rarely a
// bass-drum bomb on the and of the last beat.
func (d *drummer) jazzComp(pb music.PlayedBar, b int, density float64) {
	for _, p := range []band.Position{band.Position(b), and(pb, b)} {
		if d.r.Float64() >= density {
			continue
		}
		switch x := d.r.Float64(); {
		case x < 0.12:
			d.hit(pb, "snare", snare, p, 68+d.r.IntN(16))
		case x < 0.16 && b == pb.Meter.Beats()-1:
			d.hit(pb, "kick", kick, p, 72+d.r.IntN(12))
		default:
			d.hit(pb, "snare", snare, p, clamp(d.shape(32, pb, p), 20, 45))
		}
	}
}

// brushTime is ballad brushes (Clayton Cameron, "Brushworks"; Ed Thigpen,
// "The Sound of Brushes"): the left hand sweeps a swirl through every beat
// or every half bar, the right taps the ride rhythm on the head with 2 and
// 4 leaning, and a slap now and then. GS brush kit keys only: 38 tap, 39
// slap, 40 swirl.
func brushTime(d *drummer, pb music.PlayedBar) {
	beats := pb.Meter.Beats()
	starts := barGrouping(pb.Meter, false).cell
	step := 2
	if d.g.Tempo >= 90 || beats%2 == 1 {
		step = 1
	}
	if s := d.g.Style.Param("drums.swirl", ""); s == "beats" {
		step = 1
	} else if s == "halves" && beats%2 == 0 {
		step = 2
	}
	bt := pb.Meter.BeatTicks()
	_, written := d.over["kick"] // the style writes the sweeps itself
	for b := 0; b < beats && !written; b += step {
		at := d.g.Tick(pb, band.Position(b))
		if at < d.cut {
			d.note(swirl, at, music.Ticks(step)*bt-bt/8, d.shape(34, pb, band.Position(b)))
		}
	}
	for b := 0; b < beats; b++ {
		p := band.Position(b)
		if !starts[b] {
			d.hit(pb, "snare", snare, p, d.shape(46, pb, p))
			if d.r.Float64() < 0.75 {
				d.hit(pb, "ride", snare, and(pb, b), d.shape(34, pb, and(pb, b)))
			}
		} else {
			d.hit(pb, "ride", snare, p, d.shape(36, pb, p))
		}
	}
	if d.r.Float64() < 0.08 {
		p := and(pb, beats-1)
		d.hit(pb, "cross-stick", slap, p, 50+d.r.IntN(8))
	}
}

// brushFill is a brush setup: taps in triplets, growing, a slap on the last.
func brushFill(d *drummer, pb music.PlayedBar, from int) {
	per := 3
	n := (pb.Meter.Beats() - from) * per
	for i := 0; i < n; i++ {
		if i != n-1 && i != 0 && d.r.Float64() < 0.3 {
			continue
		}
		key, v := uint8(snare), 32+26*i/max(1, n-1)
		if i == n-1 {
			key, v = slap, 58
		}
		d.hitUnitFill(pb, key, from*per+i, per, v+d.r.IntN(4))
	}
}

// bossaTime is the bossa nova kit (Duduka da Fonseca and Bob Weiner,
// "Brazilian Rhythms for Drumset", bossa nova chapter): cross-stick on the
// two-bar bossa clave, closed hi-hat eighths like a shaker, the bass drum
// on 1 and the and of 2, 3 and the and of 4 (the surdo's dotted rhythm).
func bossaTime(d *drummer, pb music.PlayedBar) {
	per := d.unitsPerBeat(pb, 2)
	beats := pb.Meter.Beats()
	// 1, 2+, 4 | 2, 3+ in eighths over two bars of four.
	d.cycle(pb, "cross-stick", sideStick, per, []int{0, 3, 6, 10, 13}, 16, func(u int) int {
		return d.shape(66, pb, band.Position(u%per)/band.Position(per)) - 2*(u%2)
	})
	for u := 0; u < beats*per; u++ {
		p := band.Position(u) / band.Position(per)
		d.hitUnit(pb, "hihat", closedHat, u, per, d.shape(46, pb, p))
	}
	gr := barGrouping(pb.Meter, false)
	starts := gr.cell
	for b := 0; b < beats; b++ {
		if starts[b] {
			d.hit(pb, "kick", kick, band.Position(b), d.shape(68+gr.weight(b), pb, band.Position(b)))
		}
		if b+1 == beats || starts[b+1] {
			d.hit(pb, "kick", kick, and(pb, b), d.shape(58, pb, and(pb, b)))
		}
	}
}

// sambaTime is the samba kit (da Fonseca and Weiner, samba chapter; Ed
// Uribe, "The Essence of Brazilian Percussion and Drum Set"): the bass drum
// plays the surdo, on both beats of the 2/4 bar with the second accented
// and a soft pickup on the last sixteenth before each; the hi-hat plays
// the ganzá's sixteenths; the stick plays a teleco-teco tamborim figure on
// the rim over two bars. A chart in 4/4 at a samba tempo is felt in two,
// so its eighths are the samba's sixteenths.
func sambaTime(d *drummer, pb music.PlayedBar) {
	per := 4
	if d.g.Tempo >= 150 {
		per = 2
	}
	per = d.unitsPerBeat(pb, per)
	n := pb.Meter.Beats() * per
	for u := 0; u < n; u++ {
		v := 40
		switch u % 4 {
		case 0:
			v = 52
		case 3:
			v = 47
		}
		d.hitUnit(pb, "hihat", closedHat, u, per, v+d.lift+d.r.IntN(5))
	}
	for u := 0; u < n; u++ {
		abs := d.beats*per + u
		switch abs % 4 {
		case 0:
			v := 66
			if (abs/4)%2 == 1 {
				v = 88 // the surdo de primeira answers on 2
			}
			d.hitUnit(pb, "kick", kick, u, per, v+d.lift+d.r.IntN(5))
		case 3:
			d.hitUnit(pb, "kick", kick, u, per, 44+d.r.IntN(6))
		}
	}
	d.cycle(pb, "cross-stick", sideStick, per, []int{0, 2, 5, 7, 9, 11, 14}, 16, func(u int) int {
		return 62 + 6*((u+1)%2) + d.lift + d.r.IntN(5)
	})
}

// afroCubanTime is the mambo kit (Ed Uribe, "The Essence of Afro-Cuban
// Percussion and Drum Set"; Ignacio Berroa): the cascara on the ride, the
// son clave on the claves in 2-3 or 3-2 (drums.clave), the bass drum on
// the tumbao's bombo (the and of 2) and ponche (4), the hi-hat foot on 2
// and 4. Compound meters get the 6/8 bell and clave instead.
func afroCubanTime(d *drummer, pb music.PlayedBar) {
	clave := []int{2, 4, 8, 11, 14}                    // 2-3: 2 3 | 1 2+ 4
	cascara := []int{0, 2, 4, 5, 7, 8, 10, 11, 13, 15} // 2-3
	cycle := 16
	if d.g.Style.Param("drums.clave", "2-3") == "3-2" {
		clave = []int{0, 3, 6, 10, 12}
		cascara = []int{0, 2, 3, 5, 7, 8, 10, 12, 13, 15}
	}
	per := 2
	if pb.Meter.Compound() {
		per, cycle = 3, 12
		cascara = []int{0, 2, 4, 5, 7, 9, 11} // the 6/8 bell
		clave = []int{0, 2, 4, 7, 9}
	}
	clKey := uint8(claves)
	if d.g.Style.Param("drums.clave-sound", "claves") == "side-stick" {
		clKey = sideStick
	}
	d.cycle(pb, "ride", ride, per, cascara, cycle, func(u int) int {
		v := 58
		if u%per == 0 {
			v = 66
		}
		return v + d.lift + d.r.IntN(6)
	})
	d.cycle(pb, "cross-stick", clKey, per, clave, cycle, func(int) int { return 72 + d.lift + d.r.IntN(6) })
	d.cycle(pb, "kick", kick, per, []int{3, 6}, 4*per, func(u int) int {
		if u == 6 {
			return 76 + d.r.IntN(6)
		}
		return 62 + d.r.IntN(6)
	})
	for b, s := range barGrouping(pb.Meter, false).cell {
		if !s {
			d.hit(pb, "hihat", pedalHat, band.Position(b), d.shape(50, pb, band.Position(b)))
		}
	}
}

// popTime is the backbeat (Gary Chester, "The New Breed"; Ted Reed,
// "Syncopation" for the kick variations): closed hi-hat eighths leaning on
// the beat, snare on 2 and 4, bass drum on 1 and 3 with a pushed and of 2,
// an added and of 3 or a pickup into the next bar, chosen each bar.
func popTime(d *drummer, pb music.PlayedBar) { backbeat(d, pb, 0) }

// rockTime is the backbeat played harder, an open hi-hat closing phrases.
func rockTime(d *drummer, pb music.PlayedBar) { backbeat(d, pb, 12) }

func backbeat(d *drummer, pb music.PlayedBar, push int) {
	beats := pb.Meter.Beats()
	per := d.unitsPerBeat(pb, 2)
	gr := barGrouping(pb.Meter, false)
	starts := gr.cell
	openAt := -1
	if push > 0 && d.bar%4 == 3 && d.r.IntN(2) == 0 {
		openAt = beats*per - 1
	}
	for u := 0; u < beats*per; u++ {
		p := band.Position(u) / band.Position(per)
		key := uint8(closedHat)
		if u == openAt {
			key = openHat
		}
		d.hitUnit(pb, "hihat", key, u, per, d.shape(64+push/2, pb, p))
	}
	x := d.r.Float64()
	for b := 0; b < beats; b++ {
		p := band.Position(b)
		last := b+1 == beats || starts[b+1]
		switch {
		case starts[b]:
			d.hit(pb, "kick", kick, p, d.shape(84+push+gr.weight(b), pb, p))
		case last:
			d.hit(pb, "snare", snare, p, d.shape(90+push, pb, p))
		}
		if !starts[b] && last && b+1 < beats && x < 0.3 {
			d.hit(pb, "kick", kick, and(pb, b), d.shape(72+push, pb, and(pb, b))) // pushed into 3
		}
		if starts[b] && b > 0 && x >= 0.3 && x < 0.5 {
			d.hit(pb, "kick", kick, and(pb, b), d.shape(70+push, pb, and(pb, b)))
		}
	}
	if d.bar%4 == 3 && x >= 0.5 && x < 0.7 {
		d.hit(pb, "kick", kick, and(pb, beats-1), d.shape(70+push, pb, and(pb, beats-1)))
	}
}

// funkKick holds two-beat bass-drum cells in sixteenths, after the
// grooves in David Garibaldi's "Future Sounds" and Jim Chapin's
// independence studies: never on the backbeat (unit 4).
var funkKick = [][]int{{0, 3}, {0, 2, 7}, {0, 6}, {0, 3, 6}, {0, 2}, {0, 7}, {0, 3, 7}}

// funkTime is sixteenth-note funk: the hi-hat in sixteenths leaning on the
// beat with an open hi-hat accent, the backbeat with ghosted sixteenths
// around it, a syncopated bass drum kept for the section and varied at
// phrase ends.
func funkTime(d *drummer, pb music.PlayedBar) {
	beats := pb.Meter.Beats()
	per := d.unitsPerBeat(pb, 4)
	gr := barGrouping(pb.Meter, false)
	starts := gr.cell
	if d.cells == nil {
		d.cells = [][]int{funkKick[d.r.IntN(len(funkKick))], funkKick[d.r.IntN(len(funkKick))]}
	}
	n := beats * per
	open := -1
	if d.r.IntN(3) > 0 {
		open = n - 2 // the and of the last beat, or the "a" of 2
		if per == 4 && d.r.IntN(2) == 0 {
			open = 1*per + 3
		}
	}
	for u := 0; u < n; u++ {
		key := uint8(closedHat)
		if u == open {
			key = openHat
		}
		base := 44
		if u%per == 0 {
			base = 66
		} else if per == 4 && u%2 == 0 {
			base = 54
		}
		d.hitUnit(pb, "hihat", key, u, per, base+d.lift+d.bar%2*2+d.r.IntN(5))
	}
	for b, g := 0, 0; b < beats; b++ {
		if !starts[b] {
			continue
		}
		cell := d.cells[min(g, 1)]
		if g > 0 && d.bar%4 == 3 {
			cell = funkKick[d.r.IntN(len(funkKick))]
		}
		g++
		for _, u := range cell {
			if at := b*per + u*per/4; at < n {
				v := 82 + d.r.IntN(8) - 4*(u%2)
				if u == 0 {
					v += gr.weight(b)
				}
				d.hitUnit(pb, "kick", kick, at, per, v)
			}
		}
	}
	for b := 0; b < beats; b++ {
		if !starts[b] {
			d.hit(pb, "snare", snare, band.Position(b), d.shape(98, pb, band.Position(b)))
			continue
		}
		for s := 1; s < per; s++ {
			if d.r.Float64() < 0.28 {
				d.hitUnit(pb, "snare", snare, b*per+s, per, 22+d.r.IntN(12))
			}
		}
		if b > 0 || d.r.IntN(2) == 0 {
			if u := b*per - 1; u > 0 && d.r.Float64() < 0.4 {
				d.hitUnit(pb, "snare", snare, u, per, 26+d.r.IntN(10))
			}
		}
	}
}

// shuffleTime is the blues shuffle (Riley, "Beyond Bop Drumming", on
// shuffles; the Chicago shuffle): the ride in swung eighths leaning on the
// beat and on 2 and 4, a hard backbeat, the bass drum on 1 and 3 with a
// pickup now and then, the hi-hat foot on 2 and 4.
func shuffleTime(d *drummer, pb music.PlayedBar) {
	beats := pb.Meter.Beats()
	gr := barGrouping(pb.Meter, false)
	starts := gr.cell
	for b := 0; b < beats; b++ {
		p := band.Position(b)
		v := 68
		if !starts[b] {
			v = 74
		}
		d.hit(pb, "ride", ride, p, d.shape(v, pb, p))
		d.hit(pb, "ride", ride, and(pb, b), d.shape(56, pb, and(pb, b)))
		if starts[b] {
			d.hit(pb, "kick", kick, p, d.shape(74+gr.weight(b), pb, p))
		} else {
			d.hit(pb, "snare", snare, p, d.shape(92, pb, p))
			d.hit(pb, "hihat", pedalHat, p, d.shape(56, pb, p))
		}
	}
	if d.r.Float64() < 0.25 {
		d.hit(pb, "kick", kick, and(pb, beats-1), d.shape(64, pb, and(pb, beats-1)))
	}
	if d.r.Float64() < 0.2 {
		d.hit(pb, "snare", snare, and(pb, beats-2+beats%2), d.shape(34, pb, and(pb, 0)))
	}
}

// grouping is how a groove reads the bar's meter (music.Meter.Grouping).
// cell marks the beats that start a cell of two or three beats, the span
// the grooves write their patterns over: the kick or a stronger stroke on
// its first beat, the backbeat on its last. group marks the beats that
// start a group of the meter. In 4/4 (2+2), 5/4 (3+2) and 7/8 (2+2+3) the
// two coincide; in 7/4 (4+3) the cells are 2+2+3 and the groups start on
// 1 and 5, so beat 3, a cell's start inside a group, is struck lighter
// and beat 5 harder: the drummer plays 4+3, not 2+2+3, nor the 3+2+2 that
// pairing the beats alone once gave. uneven is set when the groups differ
// in length (5/4, 7/4, 7/8, 11/8): there the group starts are all a
// listener has to hear the meter by, so a drummer marks them; in even
// meters (4/4, 6/8, 12/8) the time stays level, as it always has.
type grouping struct {
	cell, group []bool
	uneven      bool
}

// groupLift is how much harder a marked group's first stroke is: a
// little under the 6 that shape gives the bar's first beat, so the
// downbeat stays the strongest. innerDrop is how much lighter a cell's
// first stroke is when it starts no group: about a third of a dynamic
// level, enough to hear beat 5 of a 7/4 (4+3) bar over beat 3 while beat
// 3 still leads its pair.
const (
	groupLift = 5
	innerDrop = 8
)

// weight is the velocity added to beat b's first stroke: groupLift on the
// start of a group after the first in an uneven meter, -innerDrop on a
// cell start inside a group, nothing elsewhere.
func (g grouping) weight(b int) int {
	switch {
	case g.cell[b] && !g.group[b]:
		return -innerDrop
	case g.uneven && g.group[b] && b > 0:
		return groupLift
	}
	return 0
}

// barGrouping splits a bar's beats into the meter's groups and each group
// into cells, pairs with a three where the count is odd (groupStarts;
// threes in a waltz). The groups of a compound meter are its beats, so
// there the beats pair as before; a grouping that splits a beat (6/8 as
// 2+2+2) cannot be played on the drummer's beats and is read as the
// meter's beats paired. A waltz's threes take the place of a default
// grouping (6/4 as two bars of three), not of a written one.
func barGrouping(m music.Meter, threes bool) grouping {
	beats := m.Beats()
	plain := func() grouping {
		s := groupStarts(beats, threes)
		return grouping{cell: s, group: s}
	}
	if m.Groups == "" && threes && beats%3 == 0 {
		return plain()
	}
	bt := m.BeatTicks()
	starts := append(m.GroupStarts(), m.BarTicks())
	sizes := make([]int, 0, len(starts))
	for i := 1; i < len(starts); i++ {
		if starts[i]%bt != 0 {
			return plain()
		}
		sizes = append(sizes, int((starts[i]-starts[i-1])/bt))
	}
	if len(sizes) >= beats {
		return plain()
	}
	g := grouping{cell: make([]bool, beats), group: make([]bool, beats)}
	b := 0
	for _, n := range sizes {
		g.uneven = g.uneven || n != sizes[0]
		g.group[b] = true
		for i, s := range groupStarts(n, threes) {
			g.cell[b+i] = s
		}
		b += n
	}
	return g
}
