package music

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// PPQ is the resolution of all time inside sideman: ticks per quarter note.
const PPQ = 960

// Ticks is a position or a length in ticks at PPQ per quarter note.
type Ticks int64

// NoteID identifies a note for its whole life. Transformations keep it
// (humanizing, transposing, converting, writing a file and reading it
// back); new notes derived from others get new IDs, from the IDs that
// numbers everything a project holds, and list the old ones in their
// Origin.
type NoteID uint64

// OriginKind says who made a note.
type OriginKind uint8

const (
	// OriginUnknown is the zero value; decoders always set a real kind.
	OriginUnknown OriginKind = iota
	// HumanPlayed notes were performed by a person on an instrument (live input, a recorded performance).
	HumanPlayed
	// HumanEntered notes were written by a person note by note (a score editor, a hand-typed chart).
	HumanEntered
	// Imported notes were read from a file whose authorship is not known to sideman.
	Imported
	// MachineGenerated notes were made by a generator (band, soloist).
	MachineGenerated
	// MachineTransformed notes were derived by a machine from other notes (a variation of a motif).
	MachineTransformed
)

var originKindNames = [...]string{"unknown", "human-played", "human-entered", "imported", "machine-generated", "machine-transformed"}

func (k OriginKind) String() string {
	if int(k) < len(originKindNames) {
		return originKindNames[k]
	}
	return "unknown"
}

// ParseOriginKind is the inverse of OriginKind.String.
func ParseOriginKind(s string) (OriginKind, bool) {
	for i, n := range originKindNames {
		if n == s {
			return OriginKind(i), true
		}
	}
	return OriginUnknown, false
}

// Human reports whether a person made the notes of this kind.
func (k OriginKind) Human() bool { return k == HumanPlayed || k == HumanEntered }

// Origin records who or what made a note. Many notes share one Origin, so an
// Origin is immutable once notes point at it: derive a new one with Processed
// or Derived instead of changing it.
type Origin struct {
	Kind OriginKind
	// Who names the person, when known (performer, author).
	Who string
	// Source is the file, link or device the notes came from.
	Source string
	// Generator names the machine part that made or changed the notes
	// ("band/walkingbass"), with its Version and Params ("style=bossa seed=7").
	Generator string
	Version   string
	Params    string
	// DerivedFrom lists the notes a note was made from: a machine's
	// variation the notes of its motif, a written note played again (the
	// head out, the second time through a repeat) the written note
	// (Repeats), whose kind and history it keeps.
	DerivedFrom []NoteID
	// Base is the origin before an algorithmic processing step (humanizing,
	// transposing); Step says what that step was. The Kind stays the Base's:
	// a humanized human note is still a human note, marked as processed.
	Base *Origin
	Step string
}

// Processed returns the origin of notes after an algorithmic step such as
// humanizing or transposing. The kind and all earlier history are kept.
func (o *Origin) Processed(step, generator, params string) *Origin {
	kind := OriginUnknown
	if o != nil {
		kind = o.Kind
	}
	return &Origin{Kind: kind, Base: o, Step: step, Generator: generator, Params: params}
}

// Derived returns the origin of new machine notes made from the given notes.
func Derived(generator, params string, from ...NoteID) *Origin {
	return &Origin{Kind: MachineTransformed, Generator: generator, Params: params, DerivedFrom: append([]NoteID(nil), from...)}
}

// Root returns the first origin in the chain, before any processing.
func (o *Origin) Root() *Origin {
	for o != nil && o.Base != nil {
		o = o.Base
	}
	return o
}

// Steps lists the processing steps applied, oldest first.
func (o *Origin) Steps() []string {
	var s []string
	for ; o != nil && o.Base != nil; o = o.Base {
		s = append(s, o.Step)
	}
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

// String is a short human-readable description ("imported from x.mid").
func (o *Origin) String() string {
	if o == nil {
		return "unknown"
	}
	var b strings.Builder
	b.WriteString(o.Kind.String())
	r := o.Root()
	if r.Who != "" {
		b.WriteString(" by " + r.Who)
	}
	if r.Generator != "" {
		b.WriteString(" by " + r.Generator)
		if r.Params != "" {
			b.WriteString(" (" + r.Params + ")")
		}
	}
	if r.Source != "" {
		b.WriteString(" from " + r.Source)
	}
	if st := o.Steps(); len(st) > 0 {
		b.WriteString(", processed: " + strings.Join(st, ", "))
	}
	return b.String()
}

// Note is one sounding note.
type Note struct {
	ID       NoteID
	Pitch    uint8 // MIDI key number, 60 = middle C
	Velocity uint8 // 1..127
	Channel  uint8 // 0..15, as in the MIDI file or the part
	// Part is the index of the note's part in its Piece (or Chart.Parts).
	Part     int16
	Start    Ticks
	Duration Ticks
	Origin   *Origin
	// Lyric is the syllable of the first verse sung on the note, as a
	// lead sheet writes it (MusicXML <lyric>, ABC w:): "" for none. A
	// syllable that a word goes on from ends in "-" ("Au-", "tumn").
	Lyric string
}

// End is the tick at which the note stops sounding.
func (n Note) End() Ticks { return n.Start + n.Duration }

// Part roles: what an instrument does in the band. Decoders and generators
// use these strings so they agree.
const (
	RoleMelody = "melody"
	RoleBass   = "bass"
	RolePiano  = "piano"
	RoleGuitar = "guitar"
	RoleDrums  = "drums"
)

// Part is one instrument or voice.
type Part struct {
	Name    string
	Role    string // one of the Role constants, or "" when unknown
	Channel uint8  // 0..15; 9 is General MIDI percussion
	Program int    // General MIDI program 0..127, -1 when not set
	// Volume is the channel volume (MIDI controller 7, 1..127) the part
	// sets at its start; 0 sets none, leaving the player's default (100 in
	// General MIDI). Gain follows its square: 50 is 12 dB under 100.
	Volume int
	// Pan places the part from left to right (MIDI controller 10 less
	// 64): -64 hard left, 0 the centre (the General MIDI default), 63
	// hard right.
	Pan   int
	Notes []Note // sorted by Start, then Pitch
}

// SortNotes orders notes by start, then pitch, then ID (stable for equal keys).
// Notes already in order (a part as the band writes it) cost one pass.
func SortNotes(ns []Note) {
	less := func(a, b *Note) bool {
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Pitch != b.Pitch {
			return a.Pitch < b.Pitch
		}
		return a.ID < b.ID
	}
	sorted := true
	for i := 1; i < len(ns) && sorted; i++ {
		sorted = !less(&ns[i], &ns[i-1])
	}
	if sorted {
		return
	}
	slices.SortStableFunc(ns, func(a, b Note) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Pitch, b.Pitch); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Piece is music with notes: parts, a tempo map, a meter map, a key, and the
// chart it follows when there is one.
type Piece struct {
	Title  string
	Parts  []Part
	Tempo  TempoMap
	Meters MeterMap
	Keys   []KeyChange
	Chart  *Chart
	// Markers are rehearsal marks and section names at ticks.
	Markers []Marker
	// Swing says how the piece's eighths are meant, as a chart's "swing"
	// does: the share of a felt beat the on-beat eighth of a pair takes
	// (0.64 a medium swing, 2/3 a triplet feel, 0 or 0.5 straight). The
	// notes stay where a score writes them, straight; feel.Swing and
	// feel.Humanize play them so, and give a piece whose Swing is 0: its
	// notes are where they sound.
	Swing float64
}

// Marker is a named position (a section start, a rehearsal mark).
type Marker struct {
	At   Ticks
	Text string
}

// KeyChange is a key that holds from At on.
type KeyChange struct {
	At  Ticks
	Key Key
}

// NoteCount is the number of notes in all parts.
func (p *Piece) NoteCount() int {
	n := 0
	for i := range p.Parts {
		n += len(p.Parts[i].Notes)
	}
	return n
}

// End is the tick of the last note's end (0 for an empty piece).
func (p *Piece) End() Ticks {
	var end Ticks
	for i := range p.Parts {
		for _, n := range p.Parts[i].Notes {
			if e := n.End(); e > end {
				end = e
			}
		}
	}
	return end
}

// MaxID is the largest note ID in the piece; new notes take IDs above it.
func (p *Piece) MaxID() NoteID {
	var m NoteID
	for i := range p.Parts {
		for _, n := range p.Parts[i].Notes {
			if n.ID > m {
				m = n.ID
			}
		}
	}
	return m
}

// TempoChange sets the tempo from At on, in microseconds per quarter note.
type TempoChange struct {
	At               Ticks
	MicrosPerQuarter int64
}

// DefaultMicrosPerQuarter is 120 bpm, the Standard MIDI File default.
const DefaultMicrosPerQuarter = 500000

// BPM of the change, in quarter notes per minute.
func (t TempoChange) BPM() float64 { return 60e6 / float64(t.MicrosPerQuarter) }

// TempoMap is a list of tempo changes sorted by At. An empty map means 120 bpm.
type TempoMap []TempoChange

// Seconds converts a tick position to seconds from the start.
func (m TempoMap) Seconds(t Ticks) float64 {
	var sec float64
	var last Ticks
	us := int64(DefaultMicrosPerQuarter)
	for _, c := range m {
		if c.At >= t {
			break
		}
		sec += float64(c.At-last) * float64(us) / (1e6 * PPQ)
		last, us = c.At, c.MicrosPerQuarter
	}
	return sec + float64(t-last)*float64(us)/(1e6*PPQ)
}

// At returns the tempo in force at tick t.
func (m TempoMap) At(t Ticks) TempoChange {
	cur := TempoChange{MicrosPerQuarter: DefaultMicrosPerQuarter}
	for _, c := range m {
		if c.At > t {
			break
		}
		cur = c
	}
	return cur
}

// MeterChange sets the meter from At on.
type MeterChange struct {
	At    Ticks
	Meter Meter
}

// MeterMap is a list of meter changes sorted by At. An empty map means 4/4.
type MeterMap []MeterChange

// At returns the meter in force at tick t.
func (m MeterMap) At(t Ticks) Meter {
	cur := DefaultMeter
	for _, c := range m {
		if c.At > t {
			break
		}
		cur = c.Meter
	}
	return cur
}

// Clock converts ticks to seconds through a tempo map in logarithmic time,
// for converting many notes of a piece with many tempo changes (a tempo
// map from tapped beats has one a beat).
type Clock struct {
	at   []Ticks
	secs []float64 // seconds at each change
	us   []int64
}

// Clock precomputes the seconds at every tempo change.
func (m TempoMap) Clock() *Clock {
	c := &Clock{}
	var sec float64
	last, us := Ticks(0), int64(DefaultMicrosPerQuarter)
	for _, ch := range m {
		sec += float64(ch.At-last) * float64(us) / (1e6 * PPQ)
		last, us = ch.At, ch.MicrosPerQuarter
		c.at, c.secs, c.us = append(c.at, ch.At), append(c.secs, sec), append(c.us, us)
	}
	return c
}

// Seconds is TempoMap.Seconds.
func (c *Clock) Seconds(t Ticks) float64 {
	i := sort.Search(len(c.at), func(i int) bool { return c.at[i] >= t }) - 1
	if i < 0 {
		return float64(t) * DefaultMicrosPerQuarter / (1e6 * PPQ)
	}
	return c.secs[i] + float64(t-c.at[i])*float64(c.us[i])/(1e6*PPQ)
}
