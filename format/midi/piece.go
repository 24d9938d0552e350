package midi

import (
	"bytes"
	"cmp"
	"io"
	"math"
	"math/bits"
	"slices"
	"sync"

	"sideman/music"
)

// DecodePiece reads a Standard MIDI File from r and returns it as a Piece
// (see ToPiece), its notes imported from "midi".
func DecodePiece(r io.Reader) (*music.Piece, error) { return new(Decoder).DecodePiece(r) }

// DecodePiece is the package's DecodePiece, with the notes imported from
// d.Source. It decodes with pooled storage, not d's: the Piece keeps none
// of the File.
func (d *Decoder) DecodePiece(r io.Reader) (*music.Piece, error) {
	source := cmp.Or(d.Source, "midi")
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	w := workspaces.Get().(*workspace)
	defer workspaces.Put(w)
	f, err := w.d.DecodeBytes(b)
	if err != nil {
		return nil, err
	}
	return w.piece(f, source, PieceOptions{}), nil
}

// workspace is the scratch memory of decoding a piece: the events of the
// file, which the piece does not keep, and the note pairer. Reusing it
// across calls saves allocating and clearing about ten times the file's
// size on each.
type workspace struct {
	d  Decoder
	pr pairer
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// ToPiece turns a decoded file into a Piece:
//
//   - Note-on and note-off events are paired into notes. A note-on with
//     velocity 0 is a note-off. When notes of the same channel and pitch
//     overlap within a track, a note-off ends the oldest one (first in,
//     first out). Notes still sounding when the track ends end at the
//     track's last event. Note-offs without a sounding note are dropped.
//   - Ticks are rescaled from the file's division to music.PPQ, rounding to
//     the nearest tick (half up). For an SMPTE division, ticks are seconds
//     divided by the frame rate and ticks per frame; they are laid out at
//     the default 120 bpm, and the file's tempo events, which do not move
//     SMPTE time, are left out.
//   - There is one part per track and channel that has notes, in track
//     order, then channel order; each note's Part is its part's index. Its name is the track's name (or its
//     instrument name when there is no track name), its program the first
//     program change of that channel in the track (-1 when none). Channel
//     9 (10 to musicians) is General MIDI percussion: its parts get the
//     role "drums". Its volume and pan are the first channel volume
//     (controller 7) and pan (controller 10) of that channel in the track;
//     a first volume of 0, a fade from silence, reads as none.
//   - Tempo, time signature and key signature events of all tracks make the
//     tempo, meter and key maps; marker and cue point events the markers.
//     Events whose payload is malformed, and meters music.Meter.Valid
//     refuses, are left out.
//     The title is the name of the first track, when that track holds no
//     notes (format 1's conductor track) or the file is format 0.
//   - Notes have no id (0: the caller numbers them, music.IDs.Number) and
//     all share one Origin: imported from source. (PieceOptions.Provenance
//     keeps the IDs and origins of files sideman wrote instead;
//     PieceOptions.IDs numbers the rest from a project's ids.)
//   - A part's role is the one EncodePiece recorded in its track, if any.
func ToPiece(f *File, source string) *music.Piece {
	return PieceOptions{}.ToPiece(f, source)
}

// PieceOptions changes how ToPiece reads a file. The zero value gives
// ToPiece's defaults.
type PieceOptions struct {
	// Provenance keeps the note IDs and origins EncodePiece recorded in the
	// file, for reading back what sideman wrote: notes keep their IDs and
	// their authorship. The records are plain data anyone can write, so
	// trust them no more than the file's source. In a track edited since
	// (notes added, removed or moved to another key), the notes that still
	// match the record, by key in the order of their note-ons, keep theirs;
	// the others, the notes of tracks without a valid record, and notes
	// whose recorded ID was taken already have none and the imported
	// origin.
	Provenance bool
	// IDs numbers the notes that have no recorded id (all of them without
	// Provenance), once it has skipped past the recorded ones (IDs.Number):
	// a project reading a file takes its ids, so that they are unique among
	// all it holds. Nil leaves them 0, for the caller to number.
	IDs *music.IDs
}

// ToPiece is the package's ToPiece with these options.
func (o PieceOptions) ToPiece(f *File, source string) *music.Piece {
	w := workspaces.Get().(*workspace)
	defer workspaces.Put(w)
	return w.piece(f, source, o)
}

func (w *workspace) piece(f *File, source string, o PieceOptions) *music.Piece {
	provenance := o.Provenance
	origin := &music.Origin{Kind: music.Imported, Source: source}
	sc := newScaler(f.Division)
	p := &music.Piece{}
	pr := &w.pr
	restored := false
	for ti := range f.Tracks {
		t := &f.Tracks[ti]
		var tm trackMeta
		for i := range tm.program {
			tm.program[i], tm.volume[i], tm.pan[i] = -1, -1, -1
		}
		pr.reset()
		evs := t.Events
		pr.reserve(evs)
		for i := range evs {
			e := &evs[i]
			switch k := e.Status & 0xF0; {
			case k == NoteOn && e.Data2 != 0:
				pr.on(e)
			case k == NoteOn || k == NoteOff:
				pr.off(e)
			case k == ProgramChange:
				if tm.program[e.Status&0x0F] < 0 {
					tm.program[e.Status&0x0F] = int16(e.Data1)
				}
			case k == ControlChange:
				tm.control(e)
			case e.Status == Meta:
				tm.meta(p, t, e, sc, f.Division.SMPTE())
			}
		}
		var last int64
		if len(evs) > 0 {
			last = evs[len(evs)-1].Tick
		}
		name, program, recorded := tm.name, &tm.program, tm.recorded
		if !tm.hasName {
			name = tm.instrument
		}
		if ti == 0 && (f.Format == 0 || len(pr.notes) == 0) {
			p.Title = name
		}
		pr.finish(last)
		var rec *record
		role := ""
		if recorded != nil {
			if r, ok := parseRecord(recorded); ok {
				role = r.role
				if provenance {
					rec = r.fit(pr.notes)
				}
			}
		}
		restored = restored || rec != nil
		first := len(p.Parts)
		p.Parts = pr.parts(p.Parts, name, role, program, sc, origin, rec)
		tm.mix(p.Parts[first:])
	}
	if restored {
		dropRepeated(p, origin)
	}
	if o.IDs != nil {
		o.IDs.Number(p)
	}
	// Events of different tracks interleave in time; a stable sort keeps
	// the file's order among events at the same tick.
	slices.SortStableFunc(p.Tempo, func(a, b music.TempoChange) int { return cmp.Compare(a.At, b.At) })
	slices.SortStableFunc(p.Meters, func(a, b music.MeterChange) int { return cmp.Compare(a.At, b.At) })
	slices.SortStableFunc(p.Keys, func(a, b music.KeyChange) int { return cmp.Compare(a.At, b.At) })
	slices.SortStableFunc(p.Markers, func(a, b music.Marker) int { return cmp.Compare(a.At, b.At) })
	return p
}

// trackMeta is what ToPiece gathers from a track besides its notes.
type trackMeta struct {
	name, instrument       string
	hasName, hasInstrument bool
	program                [16]int16 // first program change by channel, -1 for none
	volume, pan            [16]int16 // first controller 7 and 10 by channel, -1 for none
	recorded               []byte    // the track's provenance record
}

// Controllers a part keeps: channel volume and pan (General MIDI 1.0).
const (
	ccVolume = 7
	ccPan    = 10
)

// control reads a control change: the first volume and pan of a channel.
func (tm *trackMeta) control(e *Event) {
	ch := e.Status & 0x0F
	switch {
	case e.Data1 == ccVolume && tm.volume[ch] < 0:
		tm.volume[ch] = int16(e.Data2 & 0x7F)
	case e.Data1 == ccPan && tm.pan[ch] < 0:
		tm.pan[ch] = int16(e.Data2 & 0x7F)
	}
}

// mix sets the volume and pan of the track's parts from the first
// controllers of their channels.
func (tm *trackMeta) mix(parts []music.Part) {
	for i := range parts {
		ch := parts[i].Channel & 0x0F
		if v := tm.volume[ch]; v > 0 {
			parts[i].Volume = int(v)
		}
		if v := tm.pan[ch]; v >= 0 {
			parts[i].Pan = int(v) - 64
		}
	}
}

// meta reads a meta event of track t into tm and p.
func (tm *trackMeta) meta(p *music.Piece, t *Track, e *Event, sc scaler, smpte bool) {
	at := sc.at(e.Tick)
	switch e.Data1 {
	case MetaTrackName:
		if !tm.hasName {
			tm.name, tm.hasName = t.Text(*e), true
		}
	case MetaInstrumentName:
		if !tm.hasInstrument {
			tm.instrument, tm.hasInstrument = t.Text(*e), true
		}
	case MetaTempo:
		if us, ok := ParseTempo(t.Payload(*e)); ok && us > 0 && !smpte {
			p.Tempo = append(p.Tempo, music.TempoChange{At: at, MicrosPerQuarter: int64(us)})
		}
	case MetaTimeSignature:
		// Meters no one can play (0/4, 99/8) are left out.
		if ts, ok := ParseTimeSignature(t.Payload(*e)); ok {
			if m := (music.Meter{Num: ts.Num, Den: ts.Den}); m.Valid() {
				p.Meters = append(p.Meters, music.MeterChange{At: at, Meter: m})
			}
		}
	case MetaKeySignature:
		if ks, ok := ParseKeySignature(t.Payload(*e)); ok {
			p.Keys = append(p.Keys, music.KeyChange{At: at, Key: music.KeyFromFifths(ks.Fifths, ks.Minor)})
		}
	case MetaMarker, MetaCuePoint:
		p.Markers = append(p.Markers, music.Marker{At: at, Text: t.Text(*e)})
	case MetaSequencerSpecific:
		if pl := t.Payload(*e); tm.recorded == nil && bytes.HasPrefix(pl, provenanceTag) {
			tm.recorded = pl
		}
	}
}

// dropRepeated takes the restored id from all but the first of notes
// sharing one: they are new notes, with no id yet and the imported origin.
func dropRepeated(p *music.Piece, imported *music.Origin) {
	seen := make(map[music.NoteID]bool)
	for i := range p.Parts {
		ns := p.Parts[i].Notes
		for j := range ns {
			switch id := ns[j].ID; {
			case id == 0:
			case seen[id]:
				ns[j].ID, ns[j].Origin = 0, imported
			default:
				seen[id] = true
			}
		}
	}
}

// pairer pairs the note-ons and note-offs of one track. Notes are kept in
// note-on order, so they come out sorted by start; the sounding notes of
// each channel and pitch form a first-in first-out queue linked through
// next, so pairing costs no allocation beyond the notes themselves.
type pairer struct {
	notes []rawNote
	// head and tail are the oldest and newest sounding note of each channel
	// and pitch (channel<<7 | pitch), as index+1 into notes; 0 is none.
	head, tail [16 * 128]int32
	used       []uint16  // keys with sounding notes, to reset cheaply
	count      [16]int32 // notes by channel
}

type rawNote struct {
	start, end int64 // ticks in the file's division; end -1 while sounding
	next       int32 // index+1 of the next sounding note of the same key
	pitch, vel uint8
	channel    uint8
}

func (pr *pairer) reset() {
	for _, k := range pr.used {
		pr.head[k], pr.tail[k] = 0, 0
	}
	pr.used = pr.used[:0]
	pr.notes = pr.notes[:0]
	pr.count = [16]int32{}
}

// reserve makes room for the notes of a long track's events: counted
// first, they take one allocation of their size, where growing by append
// allocated five times it (34 MB for a track of 262,144 notes) and held
// up to twice it at once. A short track grows cheaply, and the workspace
// keeps the room from file to file: counting it would only cost time.
func (pr *pairer) reserve(evs []Event) {
	if len(evs) < 1<<15 || cap(pr.notes) >= len(evs) {
		return
	}
	n := 0
	for i := range evs {
		if evs[i].Status&0xF0 == NoteOn && evs[i].Data2 != 0 {
			n++
		}
	}
	if cap(pr.notes) < n {
		pr.notes = make([]rawNote, 0, n)
	}
}

func (pr *pairer) on(e *Event) {
	k := uint16(e.Status&0x0F)<<7 | uint16(e.Data1)
	// Fields are stored one by one: building a rawNote on the stack and
	// copying it stalls on store forwarding, which costs a third of the
	// pairing time.
	n := len(pr.notes)
	if n == cap(pr.notes) {
		pr.notes = slices.Grow(pr.notes, 1)
	}
	pr.notes = pr.notes[:n+1]
	r := &pr.notes[n]
	r.start, r.end, r.next = e.Tick, -1, 0
	r.pitch, r.vel, r.channel = e.Data1, e.Data2, e.Status&0x0F
	pr.count[e.Status&0x0F]++
	i := int32(len(pr.notes))
	if t := pr.tail[k]; t != 0 {
		pr.notes[t-1].next = i
	} else {
		pr.head[k] = i
		pr.used = append(pr.used, k)
	}
	pr.tail[k] = i
}

func (pr *pairer) off(e *Event) {
	k := uint16(e.Status&0x0F)<<7 | uint16(e.Data1)
	h := pr.head[k]
	if h == 0 {
		return
	}
	n := &pr.notes[h-1]
	n.end = e.Tick
	pr.head[k] = n.next
	if n.next == 0 {
		pr.tail[k] = 0
	}
}

// finish ends the notes still sounding at the track's end.
func (pr *pairer) finish(end int64) {
	for _, k := range pr.used {
		for h := pr.head[k]; h != 0; h = pr.notes[h-1].next {
			pr.notes[h-1].end = end
		}
	}
}

// parts appends one part per channel with notes to ps. The notes of all
// channels share one allocation, each part's slice capped so that
// appending to one part cannot overwrite the next.
func (pr *pairer) parts(ps []music.Part, name, role string, program *[16]int16, sc scaler, origin *music.Origin, rec *record) []music.Part {
	if len(pr.notes) == 0 {
		return ps
	}
	all := make([]music.Note, len(pr.notes))
	var next [16]int // where each channel's notes go in all
	var index [16]int16
	n, parts := 0, len(ps)
	for ch, c := range pr.count {
		next[ch] = n
		n += int(c)
		// A file can hold 65535 tracks of 16 channels, more parts than
		// Note.Part counts; the few beyond its range share the last index.
		index[ch] = int16(min(parts, math.MaxInt16))
		if c > 0 {
			parts++
		}
	}
	for i := range pr.notes {
		r := &pr.notes[i]
		// Field by field into the zeroed slice, for the reason given in on.
		n := &all[next[r.channel]]
		next[r.channel]++
		n.Pitch, n.Velocity, n.Channel, n.Part = r.pitch, r.vel, r.channel, index[r.channel]
		n.Start = sc.at(r.start)
		n.Duration = sc.at(r.end) - n.Start
		n.Origin = origin
		if rec != nil {
			n.ID = rec.ids[i]
			if o := rec.origin[i]; o != nil {
				n.Origin = o
			}
		}
	}
	n = 0
	for ch, c := range pr.count {
		if c == 0 {
			continue
		}
		ns := all[n : n+int(c) : n+int(c)]
		n += int(c)
		sortNotes(ns)
		part := music.Part{Name: name, Role: role, Channel: uint8(ch), Program: int(program[ch]), Notes: ns}
		if role == "" && ch == 9 {
			part.Role = "drums"
		}
		ps = append(ps, part)
	}
	return ps
}

// sortNotes sorts notes by start, then pitch, keeping the order of equal
// notes. The notes come in start order already, and only chords whose
// notes were not written from low to high need moving, so an insertion
// sort does it in one pass; a budget on moves falls back to a stable sort
// for adversarial input.
func sortNotes(ns []music.Note) {
	budget := 8 * len(ns)
	for i := 1; i < len(ns); i++ {
		if !noteLess(&ns[i], &ns[i-1]) {
			continue
		}
		x := ns[i]
		j := i
		for ; j > 0 && noteLess(&x, &ns[j-1]); j-- {
			ns[j] = ns[j-1]
		}
		ns[j] = x
		if budget -= i - j; budget < 0 {
			slices.SortStableFunc(ns, func(a, b music.Note) int {
				if c := cmp.Compare(a.Start, b.Start); c != 0 {
					return c
				}
				return cmp.Compare(a.Pitch, b.Pitch)
			})
			return
		}
	}
}

func noteLess(a, b *music.Note) bool {
	return a.Start < b.Start || a.Start == b.Start && a.Pitch < b.Pitch
}

// scaler converts ticks of a file's division to music.PPQ: t*num/den,
// rounded half up.
type scaler struct{ num, den uint64 }

func newScaler(d Division) scaler {
	var num, den uint64
	switch {
	case !d.SMPTE():
		num, den = music.PPQ, uint64(d.TicksPerQuarter())
	case d.FramesPerSecond() == 29:
		// 30 drop-frame runs at 30000/1001 frames a second; at 120 bpm a
		// second is 2*PPQ ticks.
		num, den = 2*music.PPQ*1001, 30000*uint64(d.TicksPerFrame())
	default:
		num, den = 2*music.PPQ, uint64(d.FramesPerSecond()*d.TicksPerFrame())
	}
	if den == 0 { // not from a decoded file; avoid dividing by zero
		den = 1
	}
	g := gcd(num, den)
	return scaler{num / g, den / g}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (s scaler) at(t int64) music.Ticks {
	if s.den == 1 && s.num <= music.PPQ {
		return music.Ticks(t * int64(s.num)) // a file at 480 or 960 ppq: exact
	}
	// 128-bit product, since t (up to 2^52 in a decoded file) times an
	// SMPTE numerator overflows 64 bits.
	hi, lo := bits.Mul64(uint64(t), s.num)
	lo, c := bits.Add64(lo, s.den/2, 0)
	hi += c
	if hi >= s.den {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, s.den)
	return music.Ticks(min(q, math.MaxInt64))
}
