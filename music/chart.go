package music

// Chart is a chord chart as written: bars with chords at positions, sections,
// repeats, endings and navigation marks. Unroll turns it into the played order.
type Chart struct {
	Title    string
	Composer string
	// Key and Meter are nil when the source gives none; use KeyOrDefault and
	// MeterOrDefault (C major, 4/4) to play it.
	Key   *Key
	Meter *Meter
	// Tempo in beats per minute and Style ("Medium Swing", "Bossa Nova") are
	// hints from the source; 0 and "" when not given.
	Tempo int
	Style string
	Bars  []Bar
}

// KeyOrDefault is the chart's key or DefaultKey.
func (c *Chart) KeyOrDefault() Key {
	if c.Key != nil {
		return *c.Key
	}
	return DefaultKey
}

// MeterOrDefault is the chart's opening meter or DefaultMeter.
func (c *Chart) MeterOrDefault() Meter {
	if c.Meter != nil {
		return *c.Meter
	}
	return DefaultMeter
}

// Bar is one written bar. Marks that belong to barlines are on the bar they
// open (RepeatStart, Section, Segno) or close (RepeatEnd, Jump).
type Bar struct {
	// Meter is set when the meter changes at this bar.
	Meter *Meter
	// Section labels the section that starts here ("A", "B", "Verse", "Intro").
	Section string
	// RepeatStart opens a repeat; RepeatEnd > 0 closes one and says how many
	// times the repeated bars are played in all (2 for a plain repeat).
	RepeatStart bool
	RepeatEnd   int
	// Ending is non-zero when a volta bracket starts at this bar: bit n-1 is
	// set for each pass n it is played on (1 for "1.", 3 for "1.2.").
	Ending uint8
	// Segno marks the bar a D.S. returns to. ToCoda is the "to coda" sign: on
	// the last time through, playing jumps from the end of this bar to the bar
	// marked Coda. Fine ends the piece when reached after a D.C. or D.S.
	Segno  bool
	ToCoda bool
	Coda   bool
	Fine   bool
	// Jump is a D.C. or D.S. direction at the end of this bar.
	Jump Jump
	// Chords are the chords written in the bar, by position. An empty bar
	// continues the previous chord.
	Chords []ChordAt
	// Comment is free text written on the bar ("vamp", "solos").
	Comment string
}

// Jump is a navigation direction at the end of a bar.
type Jump uint8

const (
	NoJump   Jump = iota
	DCAlCoda      // back to the start, then to the coda at the to-coda sign
	DCAlFine      // back to the start, then stop at Fine
	DSAlCoda      // back to the segno, then to the coda
	DSAlFine      // back to the segno, then stop at Fine
	DC            // D.C.: back to the start, play to the end (or Fine)
	DS            // D.S.: back to the segno, play to the end (or Fine)
)

var jumpNames = [...]string{"", "D.C. al Coda", "D.C. al Fine", "D.S. al Coda", "D.S. al Fine", "D.C.", "D.S."}

func (j Jump) String() string { return jumpNames[j] }

// ToSegno reports whether the jump goes back to the segno (else to the start).
func (j Jump) ToSegno() bool { return j == DSAlCoda || j == DSAlFine || j == DS }

// ChordAt is a chord written at an offset from the start of its bar.
type ChordAt struct {
	Offset Ticks
	Chord  Chord
	// Alt is an alternate chord shown above the main one (iReal's small
	// chords, JazzStandards' "(X)"): printed, not played.
	Alt *Chord
}

// BarMeters returns the meter of every written bar.
func (c *Chart) BarMeters() []Meter {
	ms := make([]Meter, len(c.Bars))
	cur := c.MeterOrDefault()
	for i, b := range c.Bars {
		if b.Meter != nil {
			cur = *b.Meter
		}
		ms[i] = cur
	}
	return ms
}
