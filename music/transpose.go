package music

import (
	"fmt"
	"sideman/internal/quote"
	"strconv"
	"strings"
)

// Transposition is what a player asks for when moving a tune: a key
// ("Bb", "play it in Bb") or a number of semitones ("+2", "-3"). Either
// way the tune keeps its mode: a minor tune moved to Bb is in B♭ minor.
type Transposition struct {
	// Tonic is the tonic asked for, when the transposition names a key.
	Tonic *Spelling
	// Semitones is the shift asked for otherwise: up when positive.
	Semitones int
}

// ParseTransposition reads a key ("Bb", "F#", "Ebm": the tonic counts,
// the tune keeps its own mode) or a shift in semitones ("+2", "-3", "5",
// from -11 to +11).
func ParseTransposition(s string) (Transposition, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Transposition{}, fmt.Errorf("empty transposition: want a key (Bb, F#m) or semitones (+2, -3)")
	}
	if c := s[0]; c == '+' || c == '-' || c >= '0' && c <= '9' {
		n, err := strconv.Atoi(s)
		if err != nil || n < -11 || n > 11 {
			return Transposition{}, fmt.Errorf("transposition %s: want semitones from -11 to +11 or a key (Bb, F#m)", quote.Input(s))
		}
		return Transposition{Semitones: n}, nil
	}
	k, err := ParseKey(s)
	if err != nil {
		return Transposition{}, err
	}
	return Transposition{Tonic: &k.Tonic}, nil
}

// String writes the transposition as ParseTransposition reads it.
func (t Transposition) String() string {
	if t.Tonic != nil {
		return t.Tonic.String()
	}
	return fmt.Sprintf("%+d", t.Semitones)
}

// Target is the key a tune in from goes to. A named tonic keeps from's
// mode, respelled when that key would need more than seven sharps or
// flats (D# major is written Eb); a shift in semitones lands on the
// conventional key of the new tonic, the one with the fewest sharps or
// flats, flats on a tie: +1 from C is Db, not C#; +6 from C is Gb.
func (t Transposition) Target(from Key) Key {
	if t.Tonic != nil {
		k := Key{Tonic: *t.Tonic, Mode: from.Mode}
		if f := k.Fifths(); f > 7 || f < -7 {
			return ConventionalKey(k.Tonic.PitchClass(), k.Mode)
		}
		return k
	}
	return ConventionalKey(from.Tonic.PitchClass()+t.Semitones, from.Mode)
}

// ConventionalKey spells the key of a tonic pitch class in a mode as
// musicians write it: the spelling with the fewest sharps or flats, flats
// on a tie (Db major, C# minor, Gb major, Eb minor).
func ConventionalKey(pc int, mode Mode) Key {
	pc = mod12(pc)
	best, bestF := Key{}, 99
	for st := C; st <= B; st++ {
		for alter := int8(-1); alter <= 1; alter++ {
			sp := Spelling{Step: st, Alter: alter}
			if sp.PitchClass() != pc {
				continue
			}
			k := Key{Tonic: sp, Mode: mode}
			f := k.Fifths()
			if af := abs(f); af < abs(bestF) || af == abs(bestF) && f < bestF {
				best, bestF = k, f
			}
		}
	}
	return best
}

// Transpose returns a copy of the chart moved as t asks, keeping its
// mode (see Transposition.Target). A key moves by the smaller interval,
// as TransposeTo; a shift in semitones moves the written notes that far,
// up or down as asked.
func (c *Chart) Transpose(t Transposition) *Chart {
	from := c.KeyOrDefault()
	to := t.Target(from)
	if t.Tonic != nil {
		return c.TransposeTo(to)
	}
	return c.transposeBy(intervalTo(from.Tonic, to.Tonic, t.Semitones), to, "to "+to.Short())
}

// intervalTo spells the interval of semis semitones (up when positive)
// that takes the letter of from to the letter of to.
func intervalTo(from, to Spelling, semis int) Interval {
	steps := mod7(int(to.Step) - int(from.Step))
	if semis < 0 {
		steps = mod7(int(from.Step) - int(to.Step))
	}
	// Whole octaves: the number of steps whose natural size is nearest
	// (C# down to C is a diminished octave, not a unison; C up 14 to D
	// is a ninth).
	best := steps
	for m := 1; m <= 4; m++ {
		if s := steps + 7*m; abs(majorOrPerfect(s+1)-abs(semis)) < abs(majorOrPerfect(best+1)-abs(semis)) {
			best = s
		}
	}
	steps = best
	if semis < 0 {
		return Interval{Number: -(steps + 1), Semitones: semis}
	}
	return Interval{Number: steps + 1, Semitones: semis}
}

// transposeBy moves the chart's chords, ending and notes by iv and gives
// it key k; params names the step in the notes' Origins.
func (c *Chart) transposeBy(iv Interval, k Key, params string) *Chart {
	out := *c
	out.Key = &k
	if c.Ending != nil {
		e := *c.Ending
		if !e.AsWritten {
			e.Chord = plainChord(e.Chord.Transpose(iv))
		}
		out.Ending = &e
	}
	out.Bars = make([]Bar, len(c.Bars))
	// Moved notes keep their kind and history, with the step recorded;
	// notes that shared an Origin share the processed one.
	processed := map[*Origin]*Origin{}
	step := func(o *Origin) *Origin {
		if p, ok := processed[o]; ok {
			return p
		}
		p := o.Processed("transpose", "music", params)
		processed[o] = p
		return p
	}
	for i, b := range c.Bars {
		b.Chords = append([]ChordAt(nil), b.Chords...)
		for j := range b.Chords {
			b.Chords[j].Chord = plainChord(b.Chords[j].Chord.Transpose(iv))
			if a := b.Chords[j].Alt; a != nil {
				t := plainChord(a.Transpose(iv))
				b.Chords[j].Alt = &t
			}
		}
		b.Notes = append([]Note(nil), b.Notes...)
		for j := range b.Notes {
			if p := int(b.Notes[j].Pitch) + iv.Semitones; p >= 0 && p <= 127 {
				b.Notes[j].Pitch = uint8(p)
			}
			b.Notes[j].Origin = step(b.Notes[j].Origin)
		}
		out.Bars[i] = b
	}
	return &out
}

// plainChord respells a double sharp or double flat root or bass as the
// plain note it sounds (the bII of C moved to Gb is G, not Abb), as a
// chart writer would.
func plainChord(ch Chord) Chord {
	if ch.NoChord {
		return ch
	}
	changed := false
	if a := ch.Root.Alter; a > 1 || a < -1 {
		ch.Root, changed = SpellPitchClass(ch.Root.PitchClass(), a < 0), true
	}
	if a := ch.Bass.Alter; ch.HasBass && (a > 1 || a < -1) {
		ch.Bass, changed = SpellPitchClass(ch.Bass.PitchClass(), a < 0), true
	}
	if changed {
		ch.Symbol = ch.Name()
	}
	return ch
}

// Spell names a MIDI key number as it is written in the key: the key
// signature's own note when it has one (Cb in Gb major), else a natural,
// else a sharp, or a flat in flat keys.
func (k Key) Spell(key int) Pitch {
	sig := k.Signature()
	pc := mod12(key)
	pick := func(st Step, alter int8) (Pitch, bool) {
		if mod12(stepSemitones[st]+int(alter)) != pc {
			return Pitch{}, false
		}
		oct := floorDiv(key-stepSemitones[st]-int(alter), 12) - 1
		return Pitch{Spelling: Spelling{Step: st, Alter: alter}, Octave: int8(oct)}, true
	}
	for st := C; st <= B; st++ {
		if p, ok := pick(st, sig[st]); ok {
			return p
		}
	}
	for st := C; st <= B; st++ {
		if p, ok := pick(st, 0); ok {
			return p
		}
	}
	return PitchFromMIDI(key, k.UsesFlats())
}

// Signature is the alteration the key signature gives each letter (C to
// B): Bb major gives B and E -1.
func (k Key) Signature() [7]int8 {
	var sig [7]int8
	f := k.Fifths()
	// Sharps come in the order F C G D A E B, flats in the reverse.
	order := [7]Step{F, C, G, D, A, E, B}
	for i := 0; i < f && i < 14; i++ {
		sig[order[i%7]]++
	}
	for i := 0; i < -f && i < 14; i++ {
		sig[order[6-i%7]]--
	}
	return sig
}

// Transposing is a transposing instrument: its players read a part
// written a fixed interval above where it sounds. Name is the concert
// pitch of its written C (a B♭ trumpet's written C sounds B♭).
type Transposing struct {
	Name string
	// Written is the interval from the sounding pitch up to the written
	// one (negative when the part is written below), octaves included.
	Written Interval
	// Low and High are the written range players read comfortably, as
	// MIDI key numbers: the octave of a part is chosen to fit them.
	Low, High int
}

// Transposing instruments by the names players give their parts.
var (
	// BbInstrument: trumpet, clarinet, soprano sax, written a major
	// second above concert pitch (written range F#3 to D6).
	BbInstrument = Transposing{Name: "Bb", Written: MajorSecond, Low: 54, High: 86}
	// EbInstrument: alto (and baritone) sax, written a major sixth above
	// (written range Bb3 to F6).
	EbInstrument = Transposing{Name: "Eb", Written: MajorSixth, Low: 58, High: 89}
	// FInstrument: horn in F, written a fifth above (written range F#3 to
	// C6).
	FInstrument = Transposing{Name: "F", Written: PerfectFifth, Low: 54, High: 84}
)

// ParseTransposing reads an instrument's pitch: Bb, Eb or F.
func ParseTransposing(s string) (Transposing, error) {
	for _, t := range []Transposing{BbInstrument, EbInstrument, FInstrument} {
		if strings.EqualFold(strings.TrimSpace(s), t.Name) {
			return t, nil
		}
	}
	return Transposing{}, fmt.Errorf("instrument %s: want Bb, Eb or F", quote.Input(s))
}

// String says what the part is for: "Bb instruments".
func (t Transposing) String() string { return t.Name + " instruments" }

// WrittenFor returns the part a transposing instrument reads: the key,
// chord symbols and notes moved up by t.Written (an Eb alto part is a
// major sixth above concert pitch), the whole part an octave lower or
// higher when that keeps more of the notes inside the range players
// read. The copy's Written says what it is; encoders write that down so
// that notation programs and decoders play it at concert pitch.
func (c *Chart) WrittenFor(t Transposing) *Chart {
	iv := t.Written
	best, bestOut := 0, -1
	for _, oct := range []int{0, -1, 1} {
		out := 0
		for _, b := range c.Bars {
			for _, n := range b.Notes {
				if p := int(n.Pitch) + iv.Semitones + 12*oct; p < t.Low || p > t.High {
					out++
				}
			}
		}
		if bestOut < 0 || out < bestOut {
			best, bestOut = oct, out
		}
	}
	k, iv := movedKey(c.KeyOrDefault(), addOctaves(iv, best))
	out := c.transposeBy(iv, k, "for "+t.String())
	if c.Key == nil {
		// The written key of a chart that gives none is still the
		// instrument's: its C is the part's key.
		out.Key = &k
	}
	t.Written = iv
	out.Written = &t
	return out
}

// movedKey is the key from moved by iv, and the interval that takes it
// there: a key beyond seven accidentals (C# major for a Bb player reading
// B major) is written as its enharmonic, the interval respelled to reach
// it.
func movedKey(from Key, iv Interval) (Key, Interval) {
	k := Key{Tonic: from.Tonic.Transpose(iv), Mode: from.Mode}
	if f := k.Fifths(); f > 7 || f < -7 {
		k = ConventionalKey(k.Tonic.PitchClass(), k.Mode)
		iv = intervalTo(from.Tonic, k.Tonic, iv.Semitones)
	}
	return k, iv
}

// addOctaves widens an interval by whole octaves, up when n > 0.
func addOctaves(iv Interval, n int) Interval {
	semis := iv.Semitones + 12*n
	steps := iv.Steps() + 7*n
	if semis < 0 || semis == 0 && steps < 0 {
		return Interval{Number: steps - 1, Semitones: semis}
	}
	return Interval{Number: steps + 1, Semitones: semis}
}

// Concert returns a written part (Written set) moved back to concert
// pitch, Written cleared; a concert chart is returned as it is. Decoders
// of files that say they hold a part for a transposing instrument use it,
// so that every decoded chart is at concert pitch.
func (c *Chart) Concert() *Chart {
	if c.Written == nil {
		return c
	}
	iv := c.Written.Written
	k, down := movedKey(c.KeyOrDefault(), Interval{Number: -iv.Number, Semitones: -iv.Semitones})
	out := c.transposeBy(down, k, "to concert pitch from "+c.Written.String())
	if c.Key == nil {
		out.Key = nil
	}
	out.Written = nil
	return out
}
