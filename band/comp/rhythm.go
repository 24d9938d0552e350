package comp

import (
	"fmt"
	"strings"
	"sync"

	"sideman/band"
)

// hit is one stroke of a comping cell.
type hit struct {
	pos   band.Position // beats from the start of the cell
	vel   int           // 0: the player's own
	short bool          // staccato stab
	long  bool          // held to the next stroke
	roll  bool          // arpeggiated from the bottom (ballad touches)
}

// cell is a rhythm of one or two bars, counted in a nominal bar of
// `beats` beats (4, or 3 for the waltz).
type cell struct {
	bars int
	hits []hit
}

// parseCells reads cells written the way a style file gives them:
// counted positions (band.ParsePositions), cells separated by "|". A
// position may carry "." (short, a stab), "_" (long, held) or "~" (rolled)
// before an optional ":velocity". Positions past the nominal bar make a
// two-bar cell: "1 2+ 4 6 7+" is the bossa pattern over two bars of 4/4.
func parseCells(s string, beats int) ([]cell, error) {
	var out []cell
	for _, part := range strings.Split(s, "|") {
		var c cell
		c.bars = 1
		for _, f := range strings.Fields(part) {
			var h hit
			pos, vel, _ := strings.Cut(f, ":")
			for len(pos) > 0 && strings.ContainsRune("._~", rune(pos[len(pos)-1])) {
				switch pos[len(pos)-1] {
				case '.':
					h.short = true
				case '_':
					h.long = true
				case '~':
					h.roll, h.long = true, true
				}
				pos = pos[:len(pos)-1]
			}
			if vel != "" {
				pos += ":" + vel
			}
			ps, vs, err := band.ParsePositions(pos)
			if err != nil {
				return nil, err
			}
			if len(ps) != 1 {
				return nil, fmt.Errorf("cell %q: bad position %q", part, f)
			}
			h.pos, h.vel = ps[0], vs[0]
			if int(h.pos) >= 2*beats {
				return nil, fmt.Errorf("cell %q: position %q beyond two bars", part, f)
			}
			if int(h.pos) >= beats {
				c.bars = 2
			}
			c.hits = append(c.hits, h)
		}
		out = append(out, c)
	}
	return out, nil
}

func mustCells(s string, beats int) []cell {
	c, err := parseCells(s, beats)
	if err != nil {
		panic(err) // built-in vocabularies are tested
	}
	return c
}

// parsed keeps the built-in vocabularies' cells, each read once.
var parsed sync.Map // rhythms → []cell

// cellsOf is a built-in vocabulary's cells, read from its rhythms once.
func cellsOf(v vocabulary) []cell {
	if v.cells != nil || v.rhythms == "" {
		return v.cells
	}
	if c, ok := parsed.Load(v.rhythms); ok {
		return c.([]cell)
	}
	c, _ := parsed.LoadOrStore(v.rhythms, mustCells(v.rhythms, v.beats))
	return c.([]cell)
}

// vocabulary is a player's rhythms and how it voices and plays them.
type vocabulary struct {
	// rhythms are the cells as written ("1. 2+_ | ..."), read into
	// cells when a player is hired (cellsOf): a command reads only the
	// vocabulary its style plays.
	rhythms string
	cells   []cell
	beats   int // the nominal bar the cells count in
	// rest is the chance of a bar left empty (when no chord starts in it).
	rest float64
	// shortBeats is a stab's length in beats; longBeats caps a held chord.
	shortBeats, longBeats float64
	// shortShare is the chance an unmarked stroke is played short.
	shortShare float64
	vel        int
	kinds      []Kind
	// center is the mean key voice leading drifts back to.
	center float64
	// stay is the chance a stroke on the same chord keeps the voicing
	// before (0 means 0.6): driving eighths keep their grip, jazz comping
	// moves inside a chord.
	stay float64
	// low and high bound the voicings: the lowest key a voicing may
	// start on and the highest its top may reach (0: the kinds' register
	// windows alone). Two compers in one band keep apart by them.
	low, high int
	// thumb plays a bass note on beats 1 and 3 (the bossa guitar).
	thumb bool
	// montuno doubles the top an octave below and plays octaves alone on
	// some strokes.
	montuno bool
	// onBeat changes chord on the change's beat, with the bass: driving
	// eighths do not anticipate (a rock guitar pushing every change an
	// eighth early clashes with a bass still on the old root).
	onBeat bool
}

// The built-in vocabularies. Cells are counted in 4/4 (3/4 for the waltz);
// other meters cut or repeat them (see cellBar).
var vocabularies = map[string]vocabulary{
	// Swing: the Charleston (1, the and of 2) and its reverse, stabs on
	// the off-beats, pushes on the and of 4 that anticipate the next bar's
	// chord, held chords and rests (Levine, The Jazz Piano Book, ch. 15
	// "Comping").
	"swing": {
		rhythms: "1. 2+_ | 1+_ 3. | 2. 4+_ | 2+_ 4. | 1_ 4+. | 2+. 3+_ | 1. 2+. 4+_ | 3_ 4+. | 2_ | 2+_ | 4+_ | 1+. 3+_ | 1_ | 1. 2+_ 6+. 8+_ | 2+_ 7. | 1_ 6. 7+_ | 2. 3+. 5+_ 8. | 1+_ 4+. 7_",
		beats:   4, rest: 0.08, shortBeats: 0.45, longBeats: 2.5, shortShare: 0.4, vel: 70,
		kinds: []Kind{RootlessA, RootlessB}, center: 62,
	},
	// Sparse: up-tempo comping, one or two strokes a bar, often held.
	"sparse": {
		rhythms: "1_ | 2+_ | 4+_ | 1. 2+_ | 2_ | 1+_ | 3_ | 1_ 7+_ | 2+_ 6_ | 4+_ 7. | 3+_",
		beats:   4, rest: 0.12, shortBeats: 0.5, longBeats: 3, shortShare: 0.2, vel: 66,
		kinds: []Kind{RootlessA, RootlessB}, center: 62,
	},
	// Ballad: sustained pads in whole and half notes, rolled chords and
	// a soft push now and then.
	"ballad": {
		rhythms: "1_ | 1~ | 1_ 3_ | 1~ 3_ | 1_ 4+_ | 1_ 3+_ | 2_ | 1~ 5_ | 1_ 6_ 7+_ | 1_ 3~",
		beats:   4, rest: 0, shortBeats: 1, longBeats: 4, shortShare: 0, vel: 56,
		kinds: []Kind{RootlessA, RootlessB, Drop2}, center: 63,
	},
	// Waltz: beats 2 and 3, the and of 1, held chords on 1.
	"waltz": {
		rhythms: "2. 3. | 1+_ 3. | 2_ | 1_ 2+. | 2+_ | 1. 2+_ | 2. 3+_ | 1_ 5. 6. | 2_ 6+_ | 1+_ 5_",
		beats:   3, rest: 0.05, shortBeats: 0.45, longBeats: 2, shortShare: 0.35, vel: 68,
		kinds: []Kind{RootlessA, RootlessB}, center: 62,
	},
	// Bossa: the bossa nova clave over two bars (1, the and of 2, 4 | 2,
	// the and of 3) and its variants, the strokes short and even.
	"bossa": {
		rhythms: "1 2+ 4 6 7+ | 1 2+ 4 5+ 7 8+ | 1 2+ 3+ 5+ 6+ 8 | 1+ 2+ 4 6 7+ | 1 2+ 4+ 6+ 7+",
		beats:   4, rest: 0, shortBeats: 0.7, longBeats: 1.5, shortShare: 0.3, vel: 64,
		kinds: []Kind{RootlessA, RootlessB, Drop2}, center: 63, stay: 0.75,
	},
	// Samba: the partido-alto pattern on the eighth-note grid of a 4/4 bar
	// (two bars of 2/4) and variants.
	"samba": {
		rhythms: "1 2 2+ 3+ 4+ | 1+ 2+ 3 4 4+ | 1 2 2+ 3+ 4+ 5+ 6+ 7 8 | 1 1+ 2+ 3+ 4+",
		beats:   4, rest: 0, shortBeats: 0.4, longBeats: 1, shortShare: 0.7, vel: 66,
		kinds: []Kind{RootlessA, RootlessB}, center: 64, stay: 0.8,
	},
	// Montuno: the Afro-Cuban piano guajeo, syncopated eighths in
	// octaves with the chord between, over two bars.
	"montuno": {
		rhythms: "1 1+ 2+ 3+ 4+ 5+ 6 6+ 7+ 8 | 1 2 2+ 3+ 4+ 5+ 6+ 7 8 8+ | 1+ 2+ 3 4 4+ 5+ 6 7+ 8",
		beats:   4, rest: 0, shortBeats: 0.45, longBeats: 0.9, shortShare: 0.8, vel: 72,
		kinds: []Kind{Montuno}, center: 66, stay: 0.85, montuno: true,
	},
	// Pop: pads and eighth-note pushes.
	"pop": {
		rhythms: "1_ | 1_ 3_ | 1_ 4+_ | 1. 1+. 2+_ 4+_ | 2+_ 4_ | 1_ 2+_ | 1_ 3+_ | 1_ 5_ 8+_",
		beats:   4, rest: 0, shortBeats: 0.45, longBeats: 4, shortShare: 0.15, vel: 68,
		kinds: []Kind{Close, Drop2}, center: 64, stay: 0.8,
	},
	// Rock: driving eighths, pushes into the next bar.
	"rock": {
		rhythms: "1 1+ 2 2+ 3 3+ 4 4+ | 1 1+ 2 2+ 3 3+ 4+ | 1 2 2+ 3 4 4+ | 1 1+ 2+ 3 3+ 4+",
		beats:   4, rest: 0, shortBeats: 0.45, longBeats: 0.9, shortShare: 0.6, vel: 80,
		kinds: []Kind{Close}, center: 62, stay: 0.9,
	},
	// Rock pads: the keyboard behind a rock guitar. The guitar drives the
	// eighths low in power chords, up to F4; the keys hold close-position
	// chords (triads, sevenths where the chart has them) from F4 up, in
	// whole and half notes (a bar in five held over into the
	// next), with a push on the and of 4 now and then: the organ or piano
	// pad of a rock band, not a second rhythm guitar.
	"rock-pads": {
		rhythms: "1_ | 1_ 3_ | 1_ 4+_ | 1_ 3_ 4+_ | 1_ 8+_ | 1~ 3_ 7_ | 1_ 5_ 7_",
		beats:   4, rest: 0.2, shortBeats: 1, longBeats: 8, shortShare: 0, vel: 64,
		kinds: []Kind{Close}, center: 73, stay: 0.8, low: 65,
	},
	// Bossa pads: the piano beside the bossa guitar, which has the batida
	// (thumb and fingers). The piano leaves the clave to it and plays
	// sparse voicings above its compass, up to C6: a chord held a bar or
	// two, sometimes a half note, a stab on 1 held from the and of 2, and
	// the anticipation on the and of 4, where the guitar's fingers seldom
	// strike. No rolled chords: a bossa pianist places a chord at once.
	"bossa-pads": {
		rhythms: "1_ | 1. 2+_ | 1_ 4+_ | 1_ 3_ | 1_ 8+_ | 1_ 7_ | 2+_ 8+_ | 1_ 6+_",
		beats:   4, rest: 0.2, shortBeats: 1, longBeats: 8, shortShare: 0, vel: 56,
		kinds: []Kind{RootlessA, RootlessB, Close}, center: 78, stay: 0.8, low: 72, high: 84,
	},
	// Funk: clavinet sixteenth stabs.
	"funk": {
		rhythms: "1 1a 2+ 3e 4 | 1e 2 2a 3+ 4e | 1 2e 2+ 3a 4+ | 1 1+ 2a 3+ 4a | 1a 2+ 3 3a 4+",
		beats:   4, rest: 0, shortBeats: 0.2, longBeats: 0.5, shortShare: 0.85, vel: 84,
		kinds: []Kind{RootlessA, RootlessB}, center: 64, stay: 0.8,
	},
	// Shuffle: blues comping in shells with a tension on top, on 2 and 4,
	// pushes on the and of 2 and 4.
	"shuffle": {
		rhythms: "2. 4. | 1. 2+_ 4. | 2+. 4_ | 1_ 2+. 4+_ | 2. 3+_ | 1. 2. 3. 4. | 2_ 4+_",
		beats:   4, rest: 0.03, shortBeats: 0.4, longBeats: 1.5, shortShare: 0.5, vel: 72,
		kinds: []Kind{Shell}, center: 55, stay: 0.8,
	},
}

// guitarVocabularies are the guitar's.
var guitarVocabularies = map[string]vocabulary{
	// The nylon-string bossa guitar: the thumb on 1 and 3 (root, then
	// fifth), the fingers on the bossa pattern.
	"bossa": {
		rhythms: "1 2+ 4 6 7+ | 1 2+ 4 5+ 7 8+ | 1 2+ 3+ 5+ 6+ 8 | 1+ 2+ 4 6 7+",
		beats:   4, rest: 0, shortBeats: 0.7, longBeats: 1.5, shortShare: 0.3, vel: 62,
		kinds: []Kind{RootlessA, RootlessB, Drop2}, center: 63, stay: 0.75, thumb: true, low: 55, high: 71,
	},
	// Rock guitar: power chords (1-5-8) in driving eighths.
	"rock": {
		rhythms: "1 1+ 2 2+ 3 3+ 4 4+ | 1 1+ 2 2+ 3 3+ 4+ | 1 2 2+ 3 3+ 4 4+",
		beats:   4, rest: 0, shortBeats: 0.45, longBeats: 0.9, shortShare: 0.5, vel: 86,
		kinds: []Kind{Power}, center: 50, stay: 1, high: 65, onBeat: true,
	},
}

// checkCells reports a role's "cells" parameter that does not parse.
func checkCells(role string) func(*band.Style) error {
	return func(s *band.Style) error {
		if v := s.Param(role+".cells", ""); v != "" {
			if _, err := parseCells(v, 4); err != nil {
				return fmt.Errorf("%s.cells: %w", role, err)
			}
		}
		return nil
	}
}
