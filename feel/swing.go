package feel

import (
	"fmt"
	"math"

	"sideman/music"
)

// Swing plays a piece's written eighths as its Swing says they are meant
// (music.Piece.Swing) and nothing else: the grid, swung. It is the one
// place sideman turns written eighths into swung ones; Humanize does the
// same first, then plays the notes with a feel. A piece that is straight
// (Swing 0 or 0.5, or already played) is returned as it is.
//
// An eighth upbeat (an onset half way through a felt beat, in a meter
// that is not compound) moves to the swing's share of the beat, as a
// player swings a pair of eighths long-short; a beat in which the same
// role (RoleOf: the kit's pieces apart) plays anything else, sixteenths or
// triplets, is played as written, as players play those even. A note
// written to sound until the next onset of its part (90% of the way or
// more, and not past it) keeps that share of the time to it, swung; any
// other keeps its written length. Ids are kept; the Origin of every
// note the swing moved or lengthened is kept and marked processed
// ("swing", "feel/swing", "swing=0.64"), the others' left as they are
// (in 6/8 no note is swung). The result's Swing is 0.
func Swing(p *music.Piece) *music.Piece {
	if !swung(p.Swing) {
		return p
	}
	return swing(p, nil)
}

// swung reports whether a piece's Swing asks for swung eighths.
func swung(s float64) bool { return s > 0.5 && s < 1 }

// legato is the share of the time to the next onset from which a written
// note counts as sounding until it: Humanize's articulation reads notes
// the same way.
const legato = 0.9

// swing plays p's eighths at p.Swing; roles are Options.Roles.
func swing(p *music.Piece, roles map[int]string) *music.Piece {
	out := *p
	out.Swing = 0
	out.Parts = make([]music.Part, len(p.Parts))
	grid := p.Meters.Grid()
	origins := map[*music.Origin]*music.Origin{}
	params := fmt.Sprintf("swing=%g", p.Swing)
	for pi := range p.Parts {
		part := p.Parts[pi]
		notes := append([]music.Note(nil), part.Notes...)
		music.SortNotes(notes)
		starts := swingOnsets(notes, grid, p.Swing, func(n *music.Note) string { return roleAs(&part, n, roles[pi]) })
		// Where each written onset sounds now: the earliest of the
		// notes struck there (a role whose beat is busy keeps its place);
		// next[i] is the written onset after note i's and sounds where
		// it sounds. The notes are sorted: an onset's notes are
		// neighbours.
		next, sounds := make([]music.Ticks, len(notes)), make([]music.Ticks, len(notes))
		var after, afterSounds music.Ticks // the onset after the one being read: none yet
		for hi := len(notes); hi > 0; {
			lo := hi - 1
			sound := starts[lo]
			for lo > 0 && notes[lo-1].Start == notes[hi-1].Start {
				lo--
				sound = min(sound, starts[lo])
			}
			for i := lo; i < hi; i++ {
				next[i], sounds[i] = after, afterSounds
			}
			after, afterSounds, hi = notes[lo].Start, sound, lo
		}
		for i := range notes {
			n := &notes[i]
			written := *n
			if ioi := next[i] - n.Start; next[i] > 0 && ioi > 0 && float64(n.Duration) >= legato*float64(ioi) && n.Duration <= ioi {
				played := sounds[i] - starts[i]
				n.Duration = max(1, music.Ticks(math.Round(float64(n.Duration)*float64(played)/float64(ioi))))
			}
			n.Start = starts[i]
			if n.Start == written.Start && n.Duration == written.Duration {
				continue // not swung: its Origin says so
			}
			o := n.Origin
			po, ok := origins[o]
			if !ok {
				po = o.Processed("swing", "feel/swing", params)
				origins[o] = po
			}
			n.Origin = po
		}
		music.SortNotes(notes)
		part.Notes = notes
		out.Parts[pi] = part
	}
	// A swung upbeat held as written may now reach the next strike of
	// its key: end it there, as everywhere (music.Restrike).
	out.Restrike()
	return &out
}

// swingOnsets is where each note sounds at swing s: the eighth upbeats of
// beats their role plays only on the beat and the upbeat, moved to s.
func swingOnsets(notes []music.Note, grid *music.BeatGrid, s float64, role func(*music.Note) string) []music.Ticks {
	type roleBeat struct {
		role string
		beat int
	}
	// What the second pass needs of each note's place: its beat, and
	// whether it is a straight upbeat that may swing.
	type spot struct {
		beat             int
		beatStart        music.Ticks
		beatTicks        music.Ticks
		upbeat, compound bool
	}
	spots := make([]spot, len(notes))
	busy := map[roleBeat]bool{}
	for i := range notes {
		sp := grid.Locate(notes[i].Start)
		spots[i] = spot{beat: sp.Beat, beatStart: sp.BeatStart, beatTicks: sp.BeatTicks, upbeat: upbeat(sp), compound: sp.Meter.Compound()}
		if !spots[i].upbeat && sp.Offset != 0 {
			busy[roleBeat{role(&notes[i]), sp.Beat}] = true
		}
	}
	out := make([]music.Ticks, len(notes))
	for i := range notes {
		sp := spots[i]
		out[i] = notes[i].Start
		if sp.upbeat && !sp.compound && (len(busy) == 0 || !busy[roleBeat{role(&notes[i]), sp.beat}]) {
			out[i] = sp.beatStart + music.Ticks(math.Round(s*float64(sp.beatTicks)))
		}
	}
	return out
}

// upbeat reports whether a spot is the written eighth upbeat: exactly
// half way through its beat.
func upbeat(sp music.Spot) bool {
	slot, exact := sp.Slot(2)
	return slot == 1 && exact
}
