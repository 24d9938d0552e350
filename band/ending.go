package band

import (
	"maps"
	"slices"
	"strings"

	"sideman/music"
)

// How the band ends a tune, as a working rhythm section does.
//
// A jazz form usually ends on a turnaround that leads back to the top
// (All The Things You Are: | Abmaj7 | Gm7b5 C7 |, into Fm7). On the last
// time through the band does not take it: the turnaround after the
// tonic becomes the tonic, held to the end. When the tonic is not in the
// last two bars (the form ends on a ii-V or a longer approach into bar 1:
// Cherokee's | Cm7 | F7 |), the approach is played and a bar of the tonic
// follows. With an ending (--ending) the last chorus is played as written,
// its turnaround going into a tag of the last 4 bars, which resolves the
// same way, and the final bar holds the tonic.
//
// The tonic is the chart's key, major or minor as the key says. The chord
// held is the tune's own: its last chord when that is a tonic already,
// else the last tonic chord of the form with the key's third (a blues
// keeps its I7), else a 6 chord in major and a m6 in minor, the final
// chords of the swing and bebop books: with no leading tone a half step
// under a melody ending on the tonic, and, in minor, the melodic-minor
// tonic rather than the dorian m7 that still wants to move.
//
// A chart with no key resolves the same way when its form names its tonic
// clearly (keylessTonic); the key is not guessed otherwise. The band
// leaves the chart's end as written when the chart says so (a .chart
// "ending: as written" line), when a keyless form does not name its
// tonic, and for the modal tunes below, whose last chord is not heard as
// a tonic to resolve to. A Fine where the played form stops says where
// the tune ends: no bar is added there, but a turnaround written after
// the tonic in the Fine's last two bars (Body and Soul's | Db6 Gb7 Fm7b5
// Bb7 | in iReal Pro's chart) is for the D.C. and is dropped as above;
// a Fine bar with no tonic in reach ends as written.

// modalTunes are tunes whose harmony is modal or open-ended by design:
// their form is played to its written end, and with an ending the final
// chord is the form's last chord (its first chord when the form ends on a
// dominant back to the top). Titles as JazzStandards writes them.
var modalTunes = map[string]string{
	"So What":          "D dorian for 16 bars, Eb dorian for 8: a mode, not a key; the final chord is the Dm11 vamp",
	"Impressions":      "the So What form on D and Eb dorian; ends on the Dm11 vamp",
	"Maiden Voyage":    "four suspended chords (D, F, Eb, Db 9sus) a step or a third apart, with no dominant between them; the form ends on F9sus",
	"Dolphin Dance":    "a chain of pedal-point and sus chords that never cadences to Eb; the form ends on G7#5 as written",
	"Nefertiti":        "the horns repeat the melody over changes that never cadence; the tune ends in the air, on Eb7#11",
	"Passion Dance":    "an F sus modal vamp; the C7#9 that ends the form is a colour, not a dominant to resolve",
	"Phase Dance":      "a B minor and Bb lydian vamp; the form ends on Bbmaj9#11, its second mode",
	"A Shade Of Jade":  "C minor with a Db lydian coda (Dbmaj7#11) the tune ends on",
	"Litha":            "an Eb7sus mixolydian vamp, not a dominant of D",
	"Song For My Lady": "a D minor to F/C modal vamp that ends on Fmaj7/C",
	"Contemplation":    "C minor modal, ending on a G7b9 pedal that the band vamps on",
	"Butterfly":        "modal colours over Bb13; ends on Amaj7#11",
	"Iris":             "Db lydian (Db7#11) against F minor: a mode held, not a key to resolve",
	"Black Narcissus":  "Ab minor pedal under lydian chords; ends on Cmaj7#11 as written",
	"Infant Eyes":      "suspended chords throughout; the form ends open on Bb7sus",
	"Little Sunflower": "D dorian and Eb major modes; the vamp on Dm7 ends it",
}

// ending is how a performance ends: the final chord, whether the band
// resolves the form to it (else the form is played as written), and
// whether the form must stop where it is (at a Fine: no bar is added).
type ending struct {
	chord   music.Chord
	resolve bool
	stop    bool
}

// endingOf decides how the chart ends when played (see above).
func endingOf(c *music.Chart, one []music.PlayedBar) ending {
	fine := len(one) > 0 && one[len(one)-1].Bar.Fine
	switch {
	case c.Ending != nil && c.Ending.AsWritten:
		return ending{chord: lastWritten(one)}
	case c.Ending != nil && !c.Ending.Chord.NoChord:
		return ending{chord: c.Ending.Chord, resolve: true}
	case Modal(c.Title) != "":
		return ending{chord: lastChord(one)}
	case c.Key == nil:
		if k, ok := keylessTonic(one); ok {
			return ending{chord: tonicChord(k, one), resolve: true, stop: fine}
		}
		if fine {
			return ending{chord: lastWritten(one)}
		}
		return ending{chord: lastChord(one)}
	}
	return ending{chord: tonicChord(*c.Key, one), resolve: true, stop: fine}
}

// Modal returns why a tune is played to its written end, not resolved to
// its key's tonic, or "" for a tune that resolves.
func Modal(title string) string { return modalTunes[strings.TrimSpace(title)] }

// ModalTunes lists the titles Modal knows, in alphabetical order.
func ModalTunes() []string { return slices.Sorted(maps.Keys(modalTunes)) }

// keyThird is the third of a key's tonic chord: 3 in the minor modes
// (minor, dorian, phrygian, locrian), else 4.
func keyThird(k music.Key) int8 {
	switch k.Mode {
	case music.Minor, music.Dorian, music.Phrygian, music.Locrian:
		return 3
	}
	return 4
}

// tonicChord is the chord a tune in key k ends on: its last chord when
// that is a tonic other than a dominant seventh, else its last tonic
// chord with the key's third that is not a dominant seventh, in root
// position; a dominant seventh on the tonic only when the tune has no
// other tonic chord (a blues keeps its I7, but Just Friends' | Dm7 G7 |
// is a ii-V to the IV at the top, and it ends on its G6); else a 6
// (major) or m6 (minor) chord on the tonic.
func tonicChord(k music.Key, one []music.PlayedBar) music.Chord {
	pc, third := k.Tonic.PitchClass(), keyThird(k)
	last := lastWritten(one)
	if isTonic(last, pc, -1) && !last.Dominant() {
		return last
	}
	var dominant *music.Chord
	if isTonic(last, pc, -1) {
		dominant = &last
	}
	for i := len(one) - 1; i >= 0; i-- {
		cs := one[i].Bar.Chords
		for j := len(cs) - 1; j >= 0; j-- {
			ch := cs[j].Chord
			if ch.NoChord || ch.Root.PitchClass() != pc || ch.Third != third || ch.Fifth == 6 {
				continue
			}
			if ch.HasBass && ch.Bass.PitchClass() != pc {
				// Bbmaj7/F: the chord, with the root in the bass.
				ch.HasBass = false
				ch.Symbol = ch.Name()
			}
			if !ch.Dominant() {
				return ch
			}
			if dominant == nil {
				dominant = &ch
			}
		}
	}
	if dominant != nil {
		return *dominant
	}
	q := "6"
	if third == 3 {
		q = "m6"
	}
	ch, err := music.ParseChord(k.Tonic.String() + q)
	if err != nil {
		return music.NC // a key's tonic always spells as a chord root
	}
	return ch
}

// isTonic reports whether ch is a chord on the pitch class pc in root
// position, with the given third (any third when third < 0), and no
// diminished fifth.
func isTonic(ch music.Chord, pc int, third int8) bool {
	// A diminished or half-diminished chord on the tonic (Chega de
	// Saudade's D°7) passes through it; it is no tonic to end on.
	return !ch.NoChord && ch.Root.PitchClass() == pc && ch.BassNote().PitchClass() == pc &&
		(third < 0 || ch.Third == third) && ch.Fifth != 6
}

// resolve ends bars on the chord final. When the last two bars hold a
// chord on final's root, in root position, with its third (or the major
// third in a minor key: picardy), a dominant seventh only when final is
// one (G7 in | Dm7 G7 | is a ii-V), the chords
// after the last such chord (the turnaround) are dropped and every later
// bar holds it; when it comes after the first beat of the last bar, a bar
// of it follows, so the final chord fills a bar. When they hold none, a
// bar of final follows the last bar. The chord held is returned. The bars
// are copies; the chart is not changed. With stop set no bar is added:
// bars with no tonic in reach end as written.
func resolve(bars []music.PlayedBar, final music.Chord, stop bool) ([]music.PlayedBar, music.Chord) {
	n := len(bars)
	if n == 0 || final.NoChord {
		return bars, final
	}
	pc, third := final.Root.PitchClass(), final.Third
	out := append([]music.PlayedBar(nil), bars...)
	held := final
	extend := true
	if stop {
		held, extend = lastWritten(bars), false
	}
search:
	for i := n - 1; i >= max(0, n-2); i-- {
		cs := out[i].Bar.Chords
		for j := len(cs) - 1; j >= 0; j-- {
			ch := cs[j].Chord
			if !isTonic(ch, pc, -1) || ch.Dominant() != final.Dominant() || (ch.Third != third && !picardy(final, ch)) {
				continue
			}
			held = ch
			extend = i == n-1 && cs[j].Offset > 0 && !stop
			if j < len(cs)-1 {
				b := *out[i].Bar
				b.Chords = cs[: j+1 : j+1]
				out[i].Bar = &b
			}
			for k := i + 1; k < n; k++ {
				b := *out[k].Bar
				b.Chords = []music.ChordAt{{Chord: held}}
				out[k].Bar = &b
			}
			break search
		}
	}
	if extend {
		last := out[n-1]
		last.Bar = &music.Bar{Chords: []music.ChordAt{{Chord: held}}}
		last.Start = out[n-1].End()
		out = append(out, last)
	}
	return out, held
}

// picardy reports whether ch is the major tonic that ends a tune in the
// minor (final minor, ch major, not a dominant): Chega de Saudade's second
// half in D major, a Picardy third. The other way, a minor chord on a
// major key's tonic in the last bars is almost always a ii of a ii-V
// (Bbm7 Eb7 going to Ab in a tune in Bb), not its tonic.
func picardy(final, ch music.Chord) bool { return final.Third == 3 && ch.Third == 4 && !ch.Dominant() }

// lastWritten is the form's last chord as written (N.C. when it has none).
func lastWritten(bars []music.PlayedBar) music.Chord {
	for i := len(bars) - 1; i >= 0; i-- {
		if cs := bars[i].Bar.Chords; len(cs) > 0 {
			return cs[len(cs)-1].Chord
		}
	}
	return music.NC
}

// cadenceKey guesses the key of a chart that gives none from how its
// form ends: the last chord of its last 8 bars that a dominant resolves
// to (a dominant seventh a fifth above it or a half step above it, the
// tritone substitute, just before), major or minor as that chord's third
// says. It reports false when no such cadence is found.
func cadenceKey(one []music.PlayedBar) (music.Key, bool) {
	var chords []music.Chord
	for _, pb := range one[max(0, len(one)-8):] {
		for _, ca := range pb.Bar.Chords {
			if !ca.Chord.NoChord {
				chords = append(chords, ca.Chord)
			}
		}
	}
	for i := len(chords) - 1; i > 0; i-- {
		to, from := chords[i], chords[i-1]
		if to.Dominant() || (to.Third != 3 && to.Third != 4) || !from.Dominant() || to.BassNote().PitchClass() != to.Root.PitchClass() {
			continue
		}
		// A tritone substitute resolves to a tonic chord, not to a minor
		// seventh (F7 Em7 is a colour in Satin Doll, not a cadence).
		if d := (from.Root.PitchClass() - to.Root.PitchClass() + 12) % 12; d != 7 && (d != 1 || to.Third == 3 && to.Seventh == 10) {
			continue
		}
		k := music.Key{Tonic: to.Root, Mode: music.Major}
		if to.Third == 3 {
			k.Mode = music.Minor
		}
		return k, true
	}
	return music.Key{}, false
}

// keylessTonic is the tonic of a chart with no key, when its form says it
// clearly: the form's final cadence (cadenceKey) lands on the chord the
// form returns to (lastChord), or the form opens on a ii-V (its first
// chord a minor seventh followed by the dominant a fourth above), so the
// chord it returns to is no tonic and the final cadence names it.
func keylessTonic(one []music.PlayedBar) (music.Key, bool) {
	k, ok := cadenceKey(one)
	if !ok {
		return k, false
	}
	if lastChord(one).Root.PitchClass() == k.Tonic.PitchClass() {
		return k, true
	}
	var first []music.Chord
	for _, pb := range one {
		for _, ca := range pb.Bar.Chords {
			if len(first) < 2 && !ca.Chord.NoChord {
				first = append(first, ca.Chord)
			}
		}
	}
	ii := len(first) == 2 && first[0].Third == 3 && first[0].Seventh == 10 && first[0].Fifth == 7 && first[1].Dominant() &&
		(first[1].Root.PitchClass()-first[0].Root.PitchClass()+12)%12 == 5
	return k, ii
}
