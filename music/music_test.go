package music

import (
	"testing"
)

func TestSpellingTransposeKeepsLetters(t *testing.T) {
	for _, tc := range []struct {
		from string
		iv   Interval
		want string
	}{
		{"C", MinorThird, "Eb"},
		{"C", Degree(2, 1), "D#"}, // augmented second
		{"Eb", MajorSecond, "F"},
		{"F#", MajorThird, "A#"},
		{"Bb", PerfectFourth, "Eb"},
		{"B", MajorThird, "D#"},
		{"Db", MinorSeventh, "Cb"},
		{"E", DimSeventh, "Db"},
		{"C", Interval{-3, -4}, "Ab"}, // a major third down
		{"A", Interval{2, 20}, "F"},   // no letter carries this: respelled
		{"Gbb", MinorSecond, "Gb"},    // not a triple-flat A
	} {
		s, _, err := ParseSpelling(tc.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Transpose(tc.iv).String(); got != tc.want {
			t.Errorf("%s + %v = %s, want %s", tc.from, tc.iv, got, tc.want)
		}
	}
}

func TestPitchMIDI(t *testing.T) {
	for _, tc := range []struct {
		s    string
		midi int
	}{{"C4", 60}, {"A4", 69}, {"B#3", 60}, {"Cb4", 59}, {"C-1", 0}, {"G9", 127}, {"Eb2", 39}} {
		p, err := ParsePitch(tc.s)
		if err != nil {
			t.Fatal(err)
		}
		if p.MIDI() != tc.midi {
			t.Errorf("%s = %d, want %d", tc.s, p.MIDI(), tc.midi)
		}
	}
	if _, err := ParsePitch("H4"); err == nil {
		t.Error("H4 parsed")
	}
	// Transposing across the octave line keeps the octave number right.
	b3, _ := ParsePitch("B3")
	if got := b3.Transpose(MinorSecond).String(); got != "C4" {
		t.Errorf("B3 + m2 = %s", got)
	}
	if got := Between(b3, Pitch{Spelling{D, 0}, 4}).String(); got != "m3" {
		t.Errorf("B3 to D4 = %s", got)
	}
}

func TestIntervalNames(t *testing.T) {
	for _, tc := range []struct {
		iv   Interval
		want string
	}{{PerfectFifth, "P5"}, {Tritone, "A4"}, {DimFifth, "d5"}, {MinorThird, "m3"}, {Degree(9, -1), "m9"},
		{Degree(11, 1), "A11"}, {Degree(13, 0), "M13"}, {DimSeventh, "d7"}, {Octave, "P8"}} {
		if got := tc.iv.String(); got != tc.want {
			t.Errorf("%+v = %s, want %s", tc.iv, got, tc.want)
		}
	}
}

func TestKeys(t *testing.T) {
	for _, tc := range []struct {
		s      string
		fifths int
		short  string
	}{{"C", 0, "C"}, {"Eb", -3, "Eb"}, {"F#m", 3, "F#m"}, {"Bb-", -5, "Bbm"}, {"Cmin", -3, "Cm"},
		{"D dorian", 0, "D dorian"}, {"A minor", 0, "Am"}, {"Gb", -6, "Gb"}, {"C#", 7, "C#"}} {
		k, err := ParseKey(tc.s)
		if err != nil {
			t.Errorf("%s: %v", tc.s, err)
			continue
		}
		if k.Fifths() != tc.fifths {
			t.Errorf("%s has %d fifths, want %d", tc.s, k.Fifths(), tc.fifths)
		}
		if k.Short() != tc.short {
			t.Errorf("%s is written %q, want %q", tc.s, k.Short(), tc.short)
		}
	}
	for f := -7; f <= 7; f++ {
		for _, minor := range []bool{false, true} {
			if k := KeyFromFifths(f, minor); k.Fifths() != f {
				t.Errorf("KeyFromFifths(%d, %v) = %s with %d fifths", f, minor, k, k.Fifths())
			}
		}
	}
	if _, err := ParseKey("X"); err == nil {
		t.Error("key X parsed")
	}
}

func TestMeters(t *testing.T) {
	for _, tc := range []struct {
		s     string
		beats int
		bar   Ticks
	}{{"2/4", 2, 1920}, {"3/4", 3, 2880}, {"4/4", 4, 3840}, {"5/4", 5, 4800}, {"6/4", 6, 5760}, {"7/4", 7, 6720},
		{"2/2", 2, 3840}, {"6/8", 2, 2880}, {"9/8", 3, 4320}, {"12/8", 4, 5760}, {"C", 4, 3840}, {"C|", 2, 3840}} {
		m, err := ParseMeter(tc.s)
		if err != nil {
			t.Fatalf("%s: %v", tc.s, err)
		}
		if m.Beats() != tc.beats || m.BarTicks() != tc.bar || m.BeatTicks()*Ticks(m.Beats()) != m.BarTicks() {
			t.Errorf("%s: %d beats, bar %d; want %d, %d", tc.s, m.Beats(), m.BarTicks(), tc.beats, tc.bar)
		}
	}
	for _, bad := range []string{"4/3", "0/4", "x/4", "44"} {
		if _, err := ParseMeter(bad); err == nil {
			t.Errorf("meter %q parsed", bad)
		}
	}
}

func TestTempoMapSeconds(t *testing.T) {
	m := TempoMap{{0, 500000}, {4 * PPQ, 1000000}} // 120 bpm, then 60 bpm after one bar
	if s := m.Seconds(4 * PPQ); s != 2 {
		t.Errorf("bar 1 ends at %v s, want 2", s)
	}
	if s := m.Seconds(6 * PPQ); s != 4 {
		t.Errorf("two beats at 60 bpm end at %v s, want 4", s)
	}
	clock := m.Clock()
	for _, tk := range []Ticks{0, 1, PPQ, 4 * PPQ, 4*PPQ + 1, 6 * PPQ, 100 * PPQ} {
		if a, b := m.Seconds(tk), clock.Seconds(tk); a != b {
			t.Errorf("tick %d: map %v s, clock %v s", tk, a, b)
		}
	}
	if s := (TempoMap{}).Seconds(PPQ); s != 0.5 {
		t.Errorf("empty map: %v s, want 0.5 (120 bpm)", s)
	}
}

func TestOriginSurvivesProcessing(t *testing.T) {
	played := &Origin{Kind: HumanPlayed, Who: "the player", Source: "keyboard"}
	o := played.Processed("humanize", "feel", "amount=0.5").Processed("transpose", "music", "M2")
	if o.Kind != HumanPlayed || o.Root() != played {
		t.Fatalf("processing changed the kind or lost the root: %v", o)
	}
	if st := o.Steps(); len(st) != 2 || st[0] != "humanize" || st[1] != "transpose" {
		t.Errorf("steps %v", st)
	}
	d := Derived("improv/vary", "seed=1", 4, 7)
	if d.Kind != MachineTransformed || len(d.DerivedFrom) != 2 {
		t.Errorf("derived %v", d)
	}
	for k := OriginUnknown; k <= MachineTransformed; k++ {
		if back, ok := ParseOriginKind(k.String()); !ok || back != k {
			t.Errorf("kind %v does not round trip", k)
		}
	}
}

// A chart with neither key nor meter plays in the documented defaults.
func TestChartDefaults(t *testing.T) {
	c := &Chart{Bars: []Bar{{Chords: []ChordAt{{Chord: MustParseChord("C7")}}}, {}}}
	played := c.Unroll(2)
	if len(played) != 4 || played[3].Start != 3*DefaultMeter.BarTicks() {
		t.Fatalf("played %d bars", len(played))
	}
	spans := Spans(played)
	if len(spans) != 1 || spans[0].Duration != 4*DefaultMeter.BarTicks() {
		t.Fatalf("spans %+v: a held chord counts once", spans)
	}
}

// A chart with a jump loop or huge repeats still ends.
func TestUnrollIsBounded(t *testing.T) {
	bars := make([]Bar, 100)
	for i := range bars {
		bars[i].RepeatEnd = 64
		bars[i].RepeatStart = true
	}
	c := &Chart{Bars: bars}
	played, cut := c.UnrollCut(1 << 10)
	if n := len(played); n > MaxPlayedBars || !cut {
		t.Fatalf("%d bars, cut %v; want at most %d and cut", n, cut, MaxPlayedBars)
	}
	// A form that fits is not cut: 100 bars each played 64 times, once.
	if played, cut := c.UnrollCut(1); cut || len(played) != 100*64 {
		t.Errorf("one chorus: %d bars, cut %v; want %d, not cut", len(played), cut, 100*64)
	}
}

// A lead sheet's written notes are played in the unrolled order, their
// Origin kept: the first time through as themselves, their ids kept; the
// second time through the repeat as new notes, derived from the written
// ones, with ids above the chart's.
func TestPerformUnrollsWrittenNotes(t *testing.T) {
	imp := &Origin{Kind: Imported, Source: "tune.abc"}
	note := func(pitch uint8, start Ticks) Note {
		return Note{ID: NoteID(pitch), Pitch: pitch, Velocity: 80, Start: start, Duration: PPQ, Origin: imp}
	}
	c := &Chart{Parts: []Part{{Name: "Melody"}}, Bars: []Bar{
		{RepeatStart: true, Notes: []Note{note(60, 0), note(62, 2*PPQ)}},
		{Ending: 1, RepeatEnd: 2, Notes: []Note{note(64, 0)}},
		{Ending: 2, Notes: []Note{note(65, 0)}},
	}}
	p := c.Perform(1)
	var got []uint8
	for i, n := range p.Parts[0].Notes {
		got = append(got, n.Pitch)
		switch i {
		case 3, 4: // 60 and 62 again: new notes, numbered after the chart's 65
			o := n.Origin
			if n.ID != NoteID(66+i-3) || o.Kind != Imported || o.Source != "tune.abc" || len(o.DerivedFrom) != 1 || o.DerivedFrom[0] != NoteID(n.Pitch) {
				t.Errorf("note %d: id %d origin %+v, want %d derived from %d", i, n.ID, n.Origin, 66+i-3, n.Pitch)
			}
		default:
			if n.ID != NoteID(n.Pitch) || n.Origin != imp {
				t.Errorf("note %d: id %d origin %v, want the written note %d", i, n.ID, n.Origin, n.Pitch)
			}
		}
	}
	want := []uint8{60, 62, 64, 60, 62, 65}
	if len(got) != len(want) {
		t.Fatalf("played %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("played %v, want %v", got, want)
		}
	}
	if p.Parts[0].Notes[3].Start != 2*DefaultMeter.BarTicks() {
		t.Errorf("second pass starts at %d", p.Parts[0].Notes[3].Start)
	}
	if c.WrittenNotes() != 4 || p.NoteCount() != 6 {
		t.Errorf("written %d played %d", c.WrittenNotes(), p.NoteCount())
	}
}

// A pickup bar, written as a short meter of its own, does not change the
// beat the tempo counts: 72 dotted quarters a minute in 6/8 is 108 quarters.
func TestPerformTempoIgnoresPickup(t *testing.T) {
	six, pickup := Meter{Num: 6, Den: 8}, Meter{Num: 4, Den: 8}
	c := &Chart{Meter: &six, Tempo: 72, Bars: []Bar{{Meter: &pickup}, {Meter: &six}}}
	if bpm := c.Perform(1).Tempo[0].BPM(); bpm < 107.99 || bpm > 108.01 {
		t.Errorf("tempo %.2f quarters a minute, want 108", bpm)
	}
}

func TestTransposeTo(t *testing.T) {
	bb := Key{Tonic: Spelling{B, -1}}
	imp := &Origin{Kind: HumanEntered, Who: "me"}
	c := &Chart{Key: &bb, Bars: []Bar{{Chords: []ChordAt{{Chord: MustParseChord("Bb7")}, {Offset: 1920, Chord: MustParseChord("Ebmaj7/G")}},
		Notes: []Note{{ID: 7, Pitch: 70, Origin: imp}}}}}
	for _, tc := range []struct {
		key  string
		want string
	}{{"C", "C7 Fmaj7/A"}, {"F", "F7 Bbmaj7/D"}, {"A", "A7 Dmaj7/F#"}, {"Eb", "Eb7 Abmaj7/C"}, {"Bb", "Bb7 Ebmaj7/G"}} {
		k, _ := ParseKey(tc.key)
		got := c.TransposeTo(k)
		var names []string
		for _, ca := range got.Bars[0].Chords {
			names = append(names, ca.Chord.Name())
		}
		if s := names[0] + " " + names[1]; s != tc.want {
			t.Errorf("to %s: %s, want %s", tc.key, s, tc.want)
		}
		if *got.Key != k || c.Bars[0].Chords[0].Chord.Name() != "Bb7" {
			t.Errorf("to %s: key %v, original changed to %s", tc.key, got.Key, c.Bars[0].Chords[0].Chord.Name())
		}
		n := got.Bars[0].Notes[0]
		if n.ID != 7 || n.Origin.Kind != HumanEntered || n.Origin.Root() != imp || n.Origin.Steps()[0] != "transpose" {
			t.Errorf("to %s: note %d origin %v", tc.key, n.ID, n.Origin)
		}
	}
}

func TestLowIntervalLimits(t *testing.T) {
	// Berklee's table: minor 2nd E3, major 3rd Bb2, perfect 5th Bb1.
	for _, tc := range []struct{ semis, key int }{{1, 52}, {2, 51}, {3, 48}, {4, 46}, {5, 45}, {6, 47}, {7, 34}, {8, 43}, {9, 41}, {10, 41}, {11, 41}, {0, 0}, {12, 0}} {
		if got := LowIntervalLimit(tc.semis); got != tc.key {
			t.Errorf("limit of %d semitones: %d, want %d", tc.semis, got, tc.key)
		}
	}
}

// Played in two choruses with a project's ids, every note of a lead sheet
// is unique: the written ones once, the rest new from the ids, each
// derived from a written note; the written notes' shared Origin is left
// as it was.
func TestPerformWithIDs(t *testing.T) {
	imp := &Origin{Kind: HumanEntered, Who: "composer"}
	c := &Chart{Parts: []Part{{Name: "Melody"}}, Bars: []Bar{
		{RepeatStart: true, Notes: []Note{{ID: 5, Pitch: 60, Velocity: 80, Duration: PPQ, Origin: imp}}},
		{RepeatEnd: 2, Notes: []Note{{ID: 6, Pitch: 61, Velocity: 80, Duration: PPQ, Origin: imp}}},
	}}
	ids := NewIDs(1000)
	p := c.PerformWith(2, ids)
	seen := map[NoteID]bool{}
	written := 0
	for _, n := range p.Parts[0].Notes {
		if seen[n.ID] {
			t.Fatalf("id %d twice", n.ID)
		}
		seen[n.ID] = true
		switch {
		case n.ID == 5 || n.ID == 6:
			written++
			if n.Origin != imp {
				t.Errorf("written note %d: origin %v", n.ID, n.Origin)
			}
		case n.ID < 1000 || n.Origin.Kind != HumanEntered || n.Origin.Who != "composer" ||
			len(n.Origin.DerivedFrom) != 1 || n.Origin.DerivedFrom[0] != NoteID(n.Pitch-55):
			t.Errorf("note %d (key %d): origin %+v, want a new id derived from note %d", n.ID, n.Pitch, n.Origin, n.Pitch-55)
		}
	}
	if written != 2 || len(seen) != 8 || imp.DerivedFrom != nil {
		t.Errorf("%d written notes of %d, written origin %+v", written, len(seen), imp)
	}
	if next := ids.Next(); next != 1006 {
		t.Errorf("six repeats took ids up to %d, want 1005", next-1)
	}
}
