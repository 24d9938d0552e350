package band

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"sideman/feel"
	"sideman/internal/quote"
	"sideman/music"
)

// Heads says on which choruses the soloist plays the written melody (the
// head) with the band.
type Heads uint8

const (
	// HeadInOut plays the melody on the first and the last chorus, as a
	// jazz group plays a tune: head in, solos over the form (the band
	// alone, room for the player to improvise), head out. With one or two
	// choruses every chorus is a head.
	HeadInOut Heads = iota
	// HeadAll plays the melody on every chorus.
	HeadAll
	// HeadOff leaves the melody out: the band alone.
	HeadOff
)

var headNames = [...]string{"head", "all", "off"}

func (h Heads) String() string {
	if int(h) < len(headNames) {
		return headNames[h]
	}
	return "head"
}

// ParseHeads reads the names String gives; "on" is "head".
func ParseHeads(s string) (Heads, error) {
	if s == "on" {
		return HeadInOut, nil
	}
	for i, n := range headNames {
		if n == s {
			return Heads(i), nil
		}
	}
	return HeadInOut, fmt.Errorf("%s: want head, all or off", quote.Input(s))
}

// plays reports whether the melody sounds on a chorus of so many.
func (h Heads) plays(chorus, choruses int) bool {
	switch h {
	case HeadAll:
		return true
	case HeadOff:
		return false
	}
	return chorus == 1 || chorus >= choruses
}

// ErrNoMelody is returned when a melody is asked of a chart with no
// written notes (a chord chart, not a lead sheet).
var ErrNoMelody = errors.New("the chart has no written melody")

// MelodyProgram is the General MIDI program of a melody whose lead sheet
// names no instrument, or names the piano (program 0, which ABC gives
// every tune): an alto saxophone, so the head is not lost in the piano's
// comping.
const MelodyProgram = 65

// The melody's place in the mix: in front of the band, and right of the
// centre where the comping piano sits left.
const (
	melodyVolume = 110
	melodyPan    = 20
)

// Melody lays the written melody of a lead sheet over the played bars of
// a performance (Played's): each played bar carries the notes written in
// it, shifted to where the bar falls, on the choruses heads names. The
// bars Form adds (intro, tag, final chord) and a count-in carry none, so
// the melody starts after them, a pickup bar sounds before bar 1 of each
// head, and the head follows the chart's repeats, endings and coda as
// the band does. Parts are the chart's written parts (Chart.Parts); each becomes
// one part with the melody role, its notes keeping their Origin
// (imported, transposed with the chart when the band transposed it): the
// first time a written note sounds it keeps its id, each time again it is
// a new note with an id from ids, derived from the written one
// (music.Repeats).
func Melody(bars []music.PlayedBar, parts []music.Part, heads Heads, ids *music.IDs) []music.Part {
	choruses := 0
	for _, pb := range bars {
		choruses = max(choruses, pb.Chorus)
	}
	out := make([]music.Part, len(parts))
	for i, part := range parts {
		part.Notes = nil
		part.Role = music.RoleMelody
		if part.Name == "" {
			part.Name = "Melody"
		}
		out[i] = part
	}
	// A pickup bar is played before the first chorus only (Chart.Unroll);
	// a later head takes its notes over the end of the bar before, as a
	// player leads into the tune again, cutting a note still held there.
	var pickup *music.PlayedBar
	if len(bars) > 0 && bars[0].Bar != nil {
		for i := range bars {
			if bars[i].Index == 0 && bars[i].Chorus == 1 {
				if i+1 < len(bars) && bars[i+1].Index == 1 && bars[i].Meter.BarTicks() > 0 {
					pickup = &bars[i]
				}
				break
			}
		}
	}
	again := music.NewRepeats(ids)
	add := func(n music.Note, at music.Ticks) {
		if int(n.Part) < 0 || int(n.Part) >= len(out) || n.Duration <= 0 || n.Velocity == 0 {
			return
		}
		n = again.Play(n)
		n.Start += at
		out[n.Part].Notes = append(out[n.Part].Notes, n)
	}
	var leadIns []music.Ticks // where a pickup is played again
	for i, pb := range bars {
		if !heads.plays(pb.Chorus, choruses) {
			continue
		}
		if pickup != nil && pb.Index == 1 && pb.Chorus > 1 && (i == 0 || bars[i-1].Index != 0) {
			at := pb.Start - pickup.Meter.BarTicks()
			first := pickup.Meter.BarTicks()
			for _, n := range pickup.Bar.Notes {
				first = min(first, n.Start)
				add(n, at)
			}
			leadIns = append(leadIns, at+first)
		}
		for _, n := range pb.Bar.Notes {
			add(n, pb.Start)
		}
	}
	for i := range out {
		music.SortNotes(out[i].Notes)
		for _, t := range leadIns {
			for k := range out[i].Notes {
				if n := &out[i].Notes[k]; n.Start < t && n.End() > t {
					n.Duration = t - n.Start
				}
			}
		}
	}
	return out
}

// WithMelody adds the melody of the lead sheet a band played (p.Chart, in
// the key it was played in) to the band's performance p, made by Play
// with the same options: one part per written part, each on a channel of
// its own that the band does not use, with the lead sheet's instrument
// (MelodyProgram when it names none or the piano). The bars are the ones
// Play played (Played: after a count-in, each time round a loop a
// chorus); it refuses a piece whose bars are not those. It returns the
// number of melody notes added.
func WithMelody(p *music.Piece, opt Options, heads Heads) (int, error) {
	c := p.Chart
	if c == nil || c.WrittenNotes() == 0 {
		if heads == HeadOff {
			return 0, nil
		}
		return 0, ErrNoMelody
	}
	if heads == HeadOff {
		return 0, nil
	}
	bars, err := Played(c, opt)
	if err != nil {
		return 0, err
	}
	if l := c.Layout(bars, 0); !reflect.DeepEqual(l.Meters, p.Meters) || !reflect.DeepEqual(l.Markers, p.Markers) {
		return 0, errors.New("melody: the piece's bars are not the chart's form as the band played it")
	}
	used := map[uint8]bool{9: true} // General MIDI percussion
	for _, part := range p.Parts {
		used[part.Channel] = true
	}
	added := 0
	ids := opt.IDs
	if ids == nil {
		ids = music.NewIDs(max(p.MaxID(), c.MaxID()) + 1) // above the band and the written notes (a band all muted played none)
	}
	for _, part := range Melody(bars, c.Parts, heads, ids) {
		if len(part.Notes) == 0 {
			continue
		}
		ch := uint8(0)
		for used[ch] && ch < 15 {
			ch++
		}
		if used[ch] {
			return added, errors.New("melody: no MIDI channel left for the melody")
		}
		used[ch] = true
		part.Channel = ch
		if part.Program <= 0 {
			part.Program = MelodyProgram
		}
		part.Volume, part.Pan = melodyVolume, melodyPan
		for i := range part.Notes {
			part.Notes[i].Channel = ch
			part.Notes[i].Part = int16(len(p.Parts))
		}
		added += len(part.Notes)
		p.Parts = append(p.Parts, part)
	}
	p.Restrike()
	return added, nil
}

// MelodyFeel is the feel a band plays with when a melody plays with it:
// the style's feel prof, and for the melody (the soloist role) the
// soloist of swing-soloist (learned from the swing solos of the Weimar
// Jazz Database: late on the beat, eighths swung as soloists swing them)
// when prof has no soloist of its own and the style swings. Without it
// the melody would take the timing of the ride cymbal, the role
// swing-rhythm's soloist falls back to. Straight styles keep prof: their
// melodies play with the fallback's straight eighths. prof comes back
// unchanged when p has no melody or prof is nil (the grid).
func MelodyFeel(p *music.Piece, prof *feel.Profile, st *Style) *feel.Profile {
	if prof == nil || prof.Roles[feel.Soloist] != nil || st == nil || !st.Swung() {
		return prof
	}
	if !slices.ContainsFunc(p.Parts, func(part music.Part) bool { return part.Role == music.RoleMelody && len(part.Notes) > 0 }) {
		return prof
	}
	solo, ok := feel.Builtin("swing-soloist")
	if !ok || solo.Roles[feel.Soloist] == nil {
		return prof
	}
	out := *prof
	out.Name = prof.Name + "+" + solo.Name
	out.Sources = append(slices.Clip(prof.Sources), solo.Sources...)
	out.Roles = maps.Clone(prof.Roles)
	out.Roles[feel.Soloist] = solo.Roles[feel.Soloist]
	return &out
}
