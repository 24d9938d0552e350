package musicxml

import (
	"strconv"
	"strings"

	"sideman/music"
)

// barsPerLine is how many bars a line of a lead sheet holds.
const barsPerLine = 4

// systems marks the bars that start a line: every fourth bar, counted
// from the first bar after a pickup, and every bar with a section mark
// (a section starts a line of its own, as in a real book).
func systems(bars []music.Bar, irregular []bool) []bool {
	out := make([]bool, len(irregular))
	count := 0
	for i := range out {
		if i == 0 && irregular[0] {
			continue
		}
		section := i < len(bars) && bars[i].Section != ""
		if count == barsPerLine || section && count > 0 {
			out[i] = true
			count = 0
		}
		count++
	}
	return out
}

// syllable turns a note's lyric into the text and syllabic of a
// <lyric>: a trailing "-" says the word goes on; hyphen holds whether the
// part's last syllable said so.
func syllable(lyric string, hyphen *bool) (text, syllabic string) {
	if lyric == "" {
		return "", ""
	}
	text, more := strings.CutSuffix(lyric, "-")
	if text == "" { // a lone "-" is the text
		text, more = lyric, false
	}
	switch {
	case *hyphen && more:
		syllabic = "middle"
	case *hyphen:
		syllabic = "end"
	case more:
		syllabic = "begin"
	default:
		syllabic = "single"
	}
	*hyphen = more
	return text, syllabic
}

// slashPitch is where a rhythm slash sits: the middle line of the treble
// staff.
var slashPitch = struct {
	Step   string
	Octave int
}{"B", 4}

// slashes writes a bar of a chord chart as rhythm slashes, one a beat
// (the last one shorter when the bar is), without stems, the chord
// symbols before the slash they fall on, at their offsets within it.
func (e *encoder) slashes(bi int, chords []music.ChordAt) {
	length := e.meters[bi].BarTicks()
	beat := e.meters[bi].BeatTicks()
	// The slash's pitch as the key signature has it, so that no
	// accidental is drawn: B flat from one flat on, B sharp at seven
	// sharps.
	alter := 0
	switch f := e.fifths(); {
	case f <= -1:
		alter = -1
	case f >= 7:
		alter = 1
	}
	for at := music.Ticks(0); at < length; {
		end := min(at+beat, length)
		pcs := e.values(nil, at, end, 1, 1)
		for k, pc := range pcs {
			to := pc.end
			if k == len(pcs)-1 && end == length {
				to = length
			}
			e.harmonies(chords, pc.start, to, pc.start)
			e.printf("      <note>\n        <pitch>\n          <step>%s</step>\n", slashPitch.Step)
			if alter != 0 {
				e.printf("          <alter>%d</alter>\n", alter)
			}
			e.printf("          <octave>%d</octave>\n        </pitch>\n", slashPitch.Octave)
			e.printf("        <duration>%d</duration>\n        <voice>1</voice>\n", e.dur(pc.end-pc.start))
			if pc.typ != "" {
				e.printf("        <type>%s</type>\n", pc.typ)
			}
			for range pc.dots {
				e.printf("        <dot/>\n")
			}
			e.printf("        <stem>none</stem>\n        <notehead>slash</notehead>\n      </note>\n")
		}
		at = end
	}
}

// clefs writes a part's clefs: a grand staff's two, a percussion clef,
// the guitar's treble clef an octave down (its notes are written at
// sounding pitch; the clef says where they sit), bass or treble.
func (e *encoder) clefs(p *encPart) {
	clef := func(number, sign string, line, octave int) {
		e.printf("        <clef%s>\n          <sign>%s</sign>\n", number, sign)
		if line > 0 {
			e.printf("          <line>%d</line>\n", line)
		}
		if octave != 0 {
			e.printf("          <clef-octave-change>%d</clef-octave-change>\n", octave)
		}
		e.printf("        </clef>\n")
	}
	switch {
	case p.staves == 2:
		e.printf("        <staves>2</staves>\n")
		clef(" number=\"1\"", "G", 2, 0)
		clef(" number=\"2\"", "F", 4, 0)
	case p.perc:
		clef("", "percussion", 0, 0)
	case p.role == music.RoleGuitar:
		clef("", "G", 2, -1)
	case p.bass:
		clef("", "F", 4, 0)
	default:
		clef("", "G", 2, 0)
	}
}

// drumNotation is where a drum kit's key is written on a percussion
// staff and with what notehead ("" for a normal one).
type drumNotation struct {
	step   string
	octave int
	head   string
	name   string
}

// drumNotes follows the Percussive Arts Society's drum-set key, as
// MuseScore's drum set writes it: kick in the bottom space, snare in the
// third space, toms around it, cymbals as crosses above the staff.
var drumNotes = map[uint8]drumNotation{
	35: {"E", 4, "", "Acoustic Bass Drum"},
	36: {"F", 4, "", "Bass Drum"},
	37: {"C", 5, "x", "Side Stick"},
	38: {"C", 5, "", "Snare"},
	39: {"C", 5, "x", "Hand Clap"},
	40: {"C", 5, "", "Electric Snare"},
	41: {"F", 4, "", "Low Floor Tom"},
	42: {"G", 5, "x", "Closed Hi-Hat"},
	43: {"A", 4, "", "High Floor Tom"},
	44: {"D", 4, "x", "Pedal Hi-Hat"},
	45: {"B", 4, "", "Low Tom"},
	46: {"G", 5, "circle-x", "Open Hi-Hat"},
	47: {"D", 5, "", "Low-Mid Tom"},
	48: {"D", 5, "", "Hi-Mid Tom"},
	49: {"A", 5, "x", "Crash Cymbal"},
	50: {"E", 5, "", "High Tom"},
	51: {"F", 5, "x", "Ride Cymbal"},
	52: {"A", 5, "x", "Chinese Cymbal"},
	53: {"F", 5, "diamond", "Ride Bell"},
	54: {"E", 5, "x", "Tambourine"},
	55: {"B", 5, "x", "Splash Cymbal"},
	56: {"E", 5, "triangle", "Cowbell"},
	57: {"A", 5, "x", "Crash Cymbal 2"},
	59: {"F", 5, "x", "Ride Cymbal 2"},
}

// drumAt is the notation of a key; keys off the kit (Latin percussion)
// go on the bottom line, by name.
func drumAt(key uint8) drumNotation {
	if d, ok := drumNotes[key]; ok {
		return d
	}
	return drumNotation{"E", 4, "", "Percussion " + strconv.Itoa(int(key))}
}

// kit writes the part-list entry of a percussion part: one instrument a
// key, on the General MIDI percussion channel.
func (e *encoder) kit(p *encPart) {
	for _, k := range p.keys {
		e.printf("      <score-instrument id=\"%s-I%d\">\n        <instrument-name>%s</instrument-name>\n      </score-instrument>\n", p.id, int(k)+1, text(drumAt(k).name))
	}
	for _, k := range p.keys {
		e.printf("      <midi-instrument id=\"%s-I%d\">\n        <midi-channel>10</midi-channel>\n        <midi-unpitched>%d</midi-unpitched>\n      </midi-instrument>\n", p.id, int(k)+1, int(k)+1)
	}
	e.printf("    </score-part>\n")
}
