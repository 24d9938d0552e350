package feel

import (
	"math"
	"sort"

	"sideman/music"
)

// Instrument roles a profile keeps statistics for. The drum kit is split
// by piece: a drummer's ride and kick do not keep the same time.
const (
	Soloist = "soloist"
	Bass    = "bass"
	Piano   = "piano"
	Kick    = "kick"
	Snare   = "snare"
	HiHat   = "hihat"
	Ride    = "ride"
	Toms    = "toms"
	Crash   = "crash"
	Perc    = "perc"
)

// Roles lists the roles in the order profiles and reports give them.
var Roles = []string{Soloist, Bass, Piano, Kick, Snare, HiHat, Ride, Toms, Crash, Perc}

// KitPiece names the piece of the drum kit a General MIDI percussion key
// (and the Roland TD-11 keys of the Groove MIDI Dataset) sounds.
func KitPiece(key uint8) string {
	switch key {
	case 35, 36:
		return Kick
	case 37, 38, 39, 40:
		return Snare
	case 22, 26, 42, 44, 46:
		return HiHat
	case 51, 53, 59:
		return Ride
	case 41, 43, 45, 47, 48, 50, 58:
		return Toms
	case 49, 52, 55, 57:
		return Crash
	}
	return Perc
}

// Slot is a metrical position inside a beat, in twelfths of the beat: the
// grid that holds both sixteenths (0, 3, 6, 9) and eighth-note triplets
// (0, 4, 8). An eighth-note upbeat is slot 6 when written straight and 8
// when written as a triplet; both are the swung upbeat in a swing feel.
type Slot uint8

// The grid slots. OffGrid is a note on none of them (a quintuplet, a
// note already played off the grid).
const (
	SlotBeat    Slot = 0
	SlotE       Slot = 3 // second sixteenth
	SlotTrip    Slot = 4 // second triplet eighth
	SlotAnd     Slot = 6 // eighth upbeat
	SlotLet     Slot = 8 // third triplet eighth
	SlotA       Slot = 9 // fourth sixteenth
	OffGrid     Slot = 255
	slotsInBeat      = 12
)

// Slots lists the grid slots in order.
var Slots = []Slot{SlotBeat, SlotE, SlotTrip, SlotAnd, SlotLet, SlotA}

// Upbeat reports whether the slot is the eighth-note upbeat, the note a
// swing feel delays.
func (s Slot) Upbeat() bool { return s == SlotAnd || s == SlotLet }

// Share is the slot's place in the beat, 0 to 1.
func (s Slot) Share() float64 { return float64(s) / slotsInBeat }

func (s Slot) String() string {
	switch s {
	case SlotBeat:
		return "beat"
	case SlotE:
		return "e"
	case SlotTrip:
		return "trip"
	case SlotAnd:
		return "and"
	case SlotLet:
		return "let"
	case SlotA:
		return "a"
	}
	return "off"
}

// Nearest places a position inside the beat (share 0 to 1) on the grid:
// the nearest slot and how many beats it carries over (1 when the
// position is nearer the next beat). A position farther than tol (a share
// of the beat) from every grid point is OffGrid.
func Nearest(share, tol float64) (Slot, int) {
	best, carry, dist := OffGrid, 0, math.Inf(1)
	for _, s := range Slots {
		if d := math.Abs(share - s.Share()); d < dist {
			best, dist, carry = s, d, 0
		}
	}
	if d := math.Abs(share - 1); d < dist {
		best, dist, carry = SlotBeat, d, 1
	}
	if dist > tol {
		return OffGrid, 0
	}
	return best, carry
}

// Hit is one note of a performance placed against its metrical grid.
type Hit struct {
	Role string
	// Beat counts beats from the start of the performance; BarBeat is the
	// beat's place in its bar (0 is the downbeat).
	Beat, BarBeat int
	Slot          Slot
	// Time is the onset as played and Grid the onset the grid asks for,
	// in seconds; BeatDur is the length of the local beat in seconds.
	Time, Grid, BeatDur float64
	// Velocity is 1 to 127, 0 where the source has none.
	Velocity int
	// Articulation is sounding length over written length (over the time
	// to the next note where nothing is written); 0 where unknown.
	Articulation float64
	// Pitch is the MIDI key (the kit piece's key for drums).
	Pitch uint8
	// ID is the id of the note the hit was read from (FromPiece, the
	// parts Humanize plays), so that what is learned from a note can
	// name it; 0 where the source has no notes of sideman's (a
	// corpus's table, a match file).
	ID music.NoteID
}

// Dev is the onset's deviation from the grid in seconds; positive is late.
func (h Hit) Dev() float64 { return h.Time - h.Grid }

// Performance is one human performance against its grid: what learners
// read from a corpus, what Learn summarizes and what the evaluation
// (feel/eval) compares. Its methods measure it (BeatUpbeatRatios,
// TimingSeries, VelocityResiduals).
type Performance struct {
	// Name identifies the performance (a file name); Player the performer
	// or drummer, for held-out splits and the human-against-human spread.
	Name, Player, Style string
	// Tempo is the mean tempo in beats a minute; Beats the number of
	// beats the grid spans; BeatsPerBar the meter's beats.
	Tempo       float64
	Beats       int
	BeatsPerBar int
	// Swing is set where the source says the piece swings (WJazzD's
	// rhythm feel, a Groove MIDI jazz or shuffle style).
	Swing bool
	// Split is the corpus's own split: "train", "validation", "test", or "".
	Split string
	// Hits are sorted by Grid, then Time.
	Hits []Hit
}

// Sort orders the hits by grid position, then by time.
func (p *Performance) Sort() {
	sort.SliceStable(p.Hits, func(i, j int) bool {
		a, b := p.Hits[i], p.Hits[j]
		if a.Grid != b.Grid {
			return a.Grid < b.Grid
		}
		return a.Time < b.Time
	})
}

// tempoBands are the ranges of tempi, in beats a minute, that a profile
// keeps statistics for (Role.Bands, one each): ballad, slow, medium,
// medium-up, up. Feel changes with tempo: swing flattens as tempo rises.
var tempoBands = []struct{ lo, hi float64 }{{0, 100}, {100, 140}, {140, 190}, {190, 250}, {250, 1000}}

// TempoBandOf is the index in a role's Bands of the tempo band holding
// bpm.
func TempoBandOf(bpm float64) int {
	for i, b := range tempoBands {
		if bpm < b.hi {
			return i
		}
	}
	return len(tempoBands) - 1
}
