package analyze

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"sideman/band"
	"sideman/format/chart"
	"sideman/music"
)

const (
	q   = music.PPQ // a quarter note
	bar = 4 * q     // a 4/4 bar
)

func chartOf(t testing.TB, src string) *music.Chart {
	t.Helper()
	cs, err := chart.DecodeBytes([]byte("title: test\nmeter: 4/4\n" + src + "\n"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("chart %q: %v", src, err)
	}
	return cs[0]
}

// line is a line of notes, one every step from start.
func line(start, step music.Ticks, pitches ...int) []music.Note {
	ns := make([]music.Note, len(pitches))
	for i, p := range pitches {
		ns[i] = music.Note{Pitch: uint8(p), Velocity: 80, Start: start + music.Ticks(i)*step, Duration: step}
	}
	return ns
}

// chords are voicings struck at the given ticks, held a half note.
func chords(at []music.Ticks, voicings ...[]int) []music.Note {
	var ns []music.Note
	for i, v := range voicings {
		for _, p := range v {
			ns = append(ns, music.Note{Pitch: uint8(p), Velocity: 70, Start: at[i], Duration: 2 * q})
		}
	}
	music.SortNotes(ns)
	return ns
}

func piece(parts ...music.Part) *music.Piece {
	p := &music.Piece{Parts: parts}
	for i := range p.Parts {
		for k := range p.Parts[i].Notes {
			p.Parts[i].Notes[k].Part = int16(i)
			p.Parts[i].Notes[k].Channel = p.Parts[i].Channel
		}
	}
	return p
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func analyze(t *testing.T, p *music.Piece, c *music.Chart, choruses int) *Report {
	t.Helper()
	r, err := Analyze(p, c, choruses)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// walking is a 4-bar walking line over C7 | F7 | G7 | C7 with known
// answers: beat 1 plays C (root), A (the 3rd of F7), Bb (no tone of G7)
// and C (root); the changes are approached from E (a semitone below F),
// Ab (a semitone above G) and G (the fifth of C).
var walking = []int{
	36, 38, 39, 40,
	45, 43, 41, 44,
	46, 47, 50, 43,
	48, 46, 45, 43,
}

func TestBassWalkingLine(t *testing.T) {
	c := chartOf(t, "| C7 | F7 | G7 | C7 |")
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Channel: 1, Notes: line(0, q, walking...)})
	r := analyze(t, p, c, 1)
	if r.N.BassBeat1 != 4 || !near(r.BassChordToneRateBeat1, 0.75) || !near(r.BassRootRateBeat1, 0.5) {
		t.Errorf("beat 1: chord tones %v, roots %v over %d; want 0.75, 0.5 over 4", r.BassChordToneRateBeat1, r.BassRootRateBeat1, r.N.BassBeat1)
	}
	// 15 intervals: +2 +1 +1 +5 -2 -2 +3 +2 +1 +3 -7 +5 -2 -1 -2.
	if r.N.BassIntervals != 15 || !near(r.BassStepShare, 10.0/15) {
		t.Errorf("steps %v over %d, want 10/15 over 15", r.BassStepShare, r.N.BassIntervals)
	}
	want := map[int]float64{2: 2.0 / 15, 1: 3.0 / 15, -2: 4.0 / 15, 5: 2.0 / 15, 3: 2.0 / 15, -7: 1.0 / 15, -1: 1.0 / 15}
	if len(r.BassIntervalHistogram) != len(want) {
		t.Errorf("histogram %v, want %v", r.BassIntervalHistogram, want)
	}
	for k, v := range want {
		if !near(r.BassIntervalHistogram[k], v) {
			t.Errorf("interval %+d: %v, want %v", k, r.BassIntervalHistogram[k], v)
		}
	}
	if r.N.BassApproaches != 3 || !near(r.BassApproachTypes[ChromaticBelow], 1.0/3) ||
		!near(r.BassApproachTypes[ChromaticAbove], 1.0/3) || !near(r.BassApproachTypes[Fifth], 1.0/3) {
		t.Errorf("approaches %v over %d", r.BassApproachTypes, r.N.BassApproaches)
	}
	if r.BassRange == nil || *r.BassRange != (Range{36, 50}) {
		t.Errorf("range %+v, want 36..50", r.BassRange)
	}
	if r.RegisterViolations != 0 || r.NotesPerBar["bass"] != 4 || r.Bars != 4 {
		t.Errorf("register %d, notes per bar %v, bars %d", r.RegisterViolations, r.NotesPerBar, r.Bars)
	}
}

func TestApproachTypes(t *testing.T) {
	// Into Dm7 (root D) from: C# below, Eb above, E (a whole step above),
	// A (the fifth), G (a tone of the G7 before it: its root), F# (none).
	c := chartOf(t, "| G7 Dm7 | G7 Dm7 | G7 Dm7 | G7 Dm7 | G7 Dm7 | G7 Dm7 |")
	var ns []music.Note
	for i, before := range []int{37, 39, 40, 45, 43, 42} {
		ns = append(ns, line(music.Ticks(i)*bar, q, 43, before, 38, 41)...)
	}
	r := analyze(t, piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: ns}), c, 1)
	// Six changes into Dm7, and five into G7 across the barlines, each
	// from F on beat 4, a whole step below G.
	want := map[string]float64{ChromaticBelow: 1, ChromaticAbove: 1, DiatonicStep: 6, Fifth: 1, ChordTone: 1, Other: 1}
	for _, a := range ApproachTypes {
		if !near(r.BassApproachTypes[a], want[a]/11) {
			t.Errorf("%s: %v, want %v/11 (all %v)", a, r.BassApproachTypes[a], want[a], r.BassApproachTypes)
		}
	}
	if r.N.BassApproaches != 11 {
		t.Errorf("%d approaches, want 11", r.N.BassApproaches)
	}
}

func TestBassClipAndRegister(t *testing.T) {
	c := chartOf(t, "| C |")
	// C1 (24) is below E1 and C4 (60) above G3; the leap of two
	// octaves is clipped to +12.
	r := analyze(t, piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, q, 24, 48, 60)}), c, 1)
	if !near(r.BassIntervalHistogram[12], 1) || r.RegisterViolations != 2 || r.RegisterViolationsByRole["bass"] != 2 {
		t.Errorf("histogram %v, register %d", r.BassIntervalHistogram, r.RegisterViolations)
	}
}

func TestBeatOneAnticipation(t *testing.T) {
	c := chartOf(t, "| C | G | C |")
	// Bar 2 has no note on beat 1, only a short pickup an eighth before
	// it; bar 3's root comes an eighth early, tied over the barline, as a
	// bossa bass plays it.
	ns := []music.Note{
		{Pitch: 36, Velocity: 80, Start: 0, Duration: 3 * q},
		{Pitch: 45, Velocity: 80, Start: bar - q/2, Duration: q / 2},
		{Pitch: 43, Velocity: 80, Start: bar + q, Duration: q},
		{Pitch: 36, Velocity: 80, Start: 2*bar - q/2, Duration: q},
	}
	r := analyze(t, piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: ns}), c, 1)
	if r.N.BassBeat1 != 2 || r.BassRootRateBeat1 != 1 {
		t.Errorf("beat 1: roots %v over %d bars, want 1 over 2", r.BassRootRateBeat1, r.N.BassBeat1)
	}
}

func TestCompingAnticipation(t *testing.T) {
	// A voicing struck on the and of 4 before F7 (A and Eb, F7's guide
	// tones) belongs to F7; one on beat 3 (E and Bb) to C7.
	c := chartOf(t, "| C7 | F7 |")
	piano := chords([]music.Ticks{2 * q, bar - q/3}, []int{52, 58}, []int{57, 63})
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 36, 41)},
		music.Part{Name: "Piano", Role: music.RolePiano, Notes: piano})
	if r := analyze(t, p, c, 1); r.CompingGuideToneShare != 1 || r.N.GuideToneVoicings != 2 {
		t.Errorf("guide tones %v over %d, want 1 over 2", r.CompingGuideToneShare, r.N.GuideToneVoicings)
	}
}

func TestCompingPushWithAlteredTensions(t *testing.T) {
	// C Eb F# Bb pushed on the and of 2 before D7: D7's 3rd and 7th with
	// its b9 and b13, though C and Eb are tones of the F7 still sounding.
	// A rolled ballad voicing (the upper notes a 64th late) is one voicing.
	c := chartOf(t, "| F7 D7 | Gm7 |")
	piano := chords([]music.Ticks{2*q - q/3, bar, bar + q/12}, []int{60, 63, 66, 70}, []int{53, 58}, []int{62, 65})
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, 2*q, 41, 38, 43)},
		music.Part{Name: "Piano", Role: music.RolePiano, Notes: piano})
	if r := analyze(t, p, c, 1); r.CompingGuideToneShare != 1 || r.N.GuideToneVoicings != 2 {
		t.Errorf("guide tones %v over %d, want 1 over 2", r.CompingGuideToneShare, r.N.GuideToneVoicings)
	}
}

func TestIntroFromMarkers(t *testing.T) {
	// band.Play's intro is the form's last 4 bars, marked "Intro": one
	// chorus follows, and the intro is a segment of its own.
	c := chartOf(t, "| C7 | F7 | G7 | C7 |")
	// The piano plays the intro's comping again in the chorus: no repeat
	// within a chorus.
	var comp []music.Note
	for k := 0; k < 2; k++ {
		comp = append(comp, chords([]music.Ticks{music.Ticks(4*k) * bar, music.Ticks(4*k+1) * bar, music.Ticks(4*k+2) * bar, music.Ticks(4*k+3) * bar},
			[]int{52, 58, 62}, []int{57, 63, 67}, []int{53, 59, 64}, []int{52, 58, 64})...)
	}
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: append(line(0, q, walking...), line(bar*4, q, walking...)...)},
		music.Part{Name: "Piano", Role: music.RolePiano, Notes: comp})
	p.Markers = []music.Marker{{At: 0, Text: "Intro"}}
	r := analyze(t, p, c, 0)
	if r.Choruses != 1 || r.Bars != 8 || r.N.BassBeat1 != 8 || !near(r.BassChordToneRateBeat1, 0.75) {
		t.Errorf("%d choruses, %d bars, beat 1 %v over %d; want 1, 8, 0.75 over 8", r.Choruses, r.Bars, r.BassChordToneRateBeat1, r.N.BassBeat1)
	}
	if r.RepeatedTwoBarCells != 0 || r.N.TwoBarWindows != 6 {
		t.Errorf("%d repeated cells in %d windows, want 0 in 6", r.RepeatedTwoBarCells, r.N.TwoBarWindows)
	}
}

func TestEndingFromMarkers(t *testing.T) {
	// band.Play's ending: the last 4 bars as a tag, then the final chord
	// for a bar. One chorus of 4 bars and the ending make 9 bars.
	c := chartOf(t, "| C7 | F7 | G7 | Cmaj7 |")
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 36, 41, 43, 36, 36, 41, 43, 36, 36)})
	p.Markers = []music.Marker{{At: 4 * bar, Text: "Ending"}}
	r := analyze(t, p, c, 0)
	if r.Choruses != 1 || r.Bars != 9 || r.N.BassBeat1 != 9 || r.BassRootRateBeat1 != 1 {
		t.Errorf("%d choruses, %d bars, roots %v over %d; want 1, 9, 1 over 9", r.Choruses, r.Bars, r.BassRootRateBeat1, r.N.BassBeat1)
	}
}

func TestComping(t *testing.T) {
	c := chartOf(t, "| Cmaj7 | C7 | C7b9 | F6 |")
	piano := chords([]music.Ticks{0, 2 * q, bar, 2 * bar, 3 * bar, 3*bar + 2*q},
		[]int{48, 49, 52},     // a minor 2nd at C3: below E3; the 3rd without the 7th
		[]int{52, 59, 62},     // E B D: guide tones of Cmaj7
		[]int{52, 58, 65},     // E Bb F: E3 to F4 is a minor 9th over C7
		[]int{52, 58, 61, 65}, // the same minor 9th over C7b9 is allowed
		[]int{33, 50, 86},     // A1 and D6 outside E2..C6; A1-D3 is compound, no limit
		[]int{33, 45},         // an octave is one voice doubled, no voicing
	)
	p := piece(
		music.Part{Name: "Bass", Role: music.RoleBass, Channel: 1, Notes: line(0, bar, 36, 36, 36, 41)},
		music.Part{Name: "Piano", Role: music.RolePiano, Notes: piano},
	)
	r := analyze(t, p, c, 1)
	if r.N.Voicings != 5 || r.LowIntervalViolations != 1 {
		t.Errorf("%d voicings, %d low-interval violations; want 5, 1", r.N.Voicings, r.LowIntervalViolations)
	}
	if r.N.GuideToneVoicings != 5 || !near(r.CompingGuideToneShare, 0.8) {
		t.Errorf("guide tones %v over %d, want 0.8 over 5", r.CompingGuideToneShare, r.N.GuideToneVoicings)
	}
	if r.MinorNinthViolations != 1 {
		t.Errorf("%d minor 9ths, want 1", r.MinorNinthViolations)
	}
	if r.RegisterViolations != 2 || r.RegisterViolationsByRole["piano"] != 2 {
		t.Errorf("register %d %v, want 2 in the piano", r.RegisterViolations, r.RegisterViolationsByRole)
	}
	// Nearest-pitch moves: 0+7+10, 0+1+3, 0+0+3+0, 19+2+21 over 13 voices.
	if r.N.VoiceMoves != 13 || !near(r.CompingVoiceMovementMean, 66.0/13) {
		t.Errorf("voice movement %v over %d, want 66/13 over 13", r.CompingVoiceMovementMean, r.N.VoiceMoves)
	}
}

func TestLowIntervalTable(t *testing.T) {
	// Each interval at its limit passes and a semitone lower fails.
	c := chartOf(t, "| C |")
	for d := 1; d <= 11; d++ {
		for _, tc := range []struct {
			low  int
			want int
		}{{music.LowIntervalLimit(d), 0}, {music.LowIntervalLimit(d) - 1, 1}} {
			p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 36)},
				music.Part{Name: "Piano", Role: music.RolePiano, Notes: chords([]music.Ticks{0}, []int{tc.low, tc.low + d})})
			if r := analyze(t, p, c, 1); r.LowIntervalViolations != tc.want {
				t.Errorf("%d semitones from %d: %d violations, want %d", d, tc.low, r.LowIntervalViolations, tc.want)
			}
		}
	}
	if music.LowIntervalLimit(1) != 52 || music.LowIntervalLimit(4) != 46 || music.LowIntervalLimit(7) != 34 {
		t.Error("minor 2nd E3, major 3rd Bb2, perfect 5th Bb1 (issue 4)")
	}
}

func TestRepeatedTwoBarCells(t *testing.T) {
	c := chartOf(t, "| Dm7 | G7 | Cmaj7 | Cmaj7 | Dm7 | G7 | Cmaj7 | A7 |")
	cell := func(at music.Ticks, top int) []music.Note {
		// Charleston over Dm7, a push on the and of 2 over G7.
		return chords([]music.Ticks{at, at + q + q/2, at + bar + q + 2*q/3},
			[]int{53, 60, 64}, []int{53, 60, 64}, []int{53, 59, top})
	}
	comp := func(vary bool) *music.Piece {
		var ns []music.Note
		ns = append(ns, cell(0, 64)...)
		ns = append(ns, chords([]music.Ticks{2 * bar, 3*bar + q}, []int{52, 59, 62}, []int{52, 59, 64})...)
		top := 64
		if vary {
			top = 65
		}
		ns = append(ns, cell(4*bar, top)...)
		ns = append(ns, chords([]music.Ticks{6 * bar, 7 * bar}, []int{52, 59, 67}, []int{55, 61, 64})...)
		music.SortNotes(ns)
		return piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 38, 43, 36, 36, 38, 43, 36, 45)},
			music.Part{Name: "Piano", Role: music.RolePiano, Notes: ns})
	}
	if r := analyze(t, comp(false), c, 1); r.RepeatedTwoBarCells != 1 || r.N.TwoBarWindows != 7 {
		t.Errorf("%d repeated cells in %d windows, want 1 in 7", r.RepeatedTwoBarCells, r.N.TwoBarWindows)
	}
	if r := analyze(t, comp(true), c, 1); r.RepeatedTwoBarCells != 0 {
		t.Errorf("one note changed: %d repeated cells, want 0", r.RepeatedTwoBarCells)
	}
	// A one-bar pattern over a vamp: bars 1-2 and 2-3 overlap, so the
	// first window repeated is bars 3-4.
	vamp := chartOf(t, "| Dm7 | Dm7 | Dm7 | Dm7 |")
	for _, tc := range []struct{ bars, want int }{{3, 0}, {4, 1}} {
		var ns []music.Note
		for i := 0; i < tc.bars; i++ {
			ns = append(ns, chords([]music.Ticks{music.Ticks(i) * bar, music.Ticks(i)*bar + 5*q/2}, []int{53, 60, 64}, []int{53, 60, 64})...)
		}
		p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 38, 38, 38, 38)},
			music.Part{Name: "Piano", Role: music.RolePiano, Notes: ns})
		if r := analyze(t, p, vamp, 1); r.RepeatedTwoBarCells != tc.want {
			t.Errorf("%d bars of one pattern: %d repeated cells, want %d", tc.bars, r.RepeatedTwoBarCells, tc.want)
		}
	}
	// The same comping in the next chorus is no repeat within a chorus.
	c2 := chartOf(t, "| Dm7 | G7 |")
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 38, 43, 38, 43)},
		music.Part{Name: "Piano", Role: music.RolePiano, Notes: append(cell(0, 64), cell(2*bar, 64)...)})
	if r := analyze(t, p, c2, 0); r.Choruses != 2 || r.RepeatedTwoBarCells != 0 {
		t.Errorf("%d choruses, %d repeated cells; want 2, 0", r.Choruses, r.RepeatedTwoBarCells)
	}
}

func TestChorusesAndMeterMap(t *testing.T) {
	c := chartOf(t, "| C7 | F7 | G7 | C7 |")
	var ns []music.Note
	for k := 0; k < 3; k++ {
		ns = append(ns, line(music.Ticks(k)*4*bar, q, walking...)...)
	}
	r := analyze(t, piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: ns}), c, 0)
	if r.Choruses != 3 || r.Bars != 12 || r.N.BassBeat1 != 12 || !near(r.BassChordToneRateBeat1, 0.75) {
		t.Errorf("%d choruses, %d bars, beat 1 %v over %d; want 3, 12, 0.75 over 12", r.Choruses, r.Bars, r.BassChordToneRateBeat1, r.N.BassBeat1)
	}
	// Asked for one chorus of the three, the analysis keeps to it.
	r = analyze(t, piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: ns}), c, 1)
	if r.Bars != 4 || r.N.BassIntervals != 15 || r.NotesPerBar["bass"] != 4 {
		t.Errorf("one chorus: %d bars, %d intervals, %v notes per bar; want 4, 15, 4", r.Bars, r.N.BassIntervals, r.NotesPerBar["bass"])
	}
	// A chart with no meter (4/4 by default) over a piece in 3/4: the
	// chords follow the piece's bars, so G is sounding at tick 2880.
	c = chartOf(t, "| C | G |")
	c.Meter = nil
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, 3*q, 36, 43)})
	p.Meters = music.MeterMap{{At: 0, Meter: music.Meter{Num: 3, Den: 4}}}
	r = analyze(t, p, c, 1)
	if r.N.BassBeat1 != 2 || r.BassRootRateBeat1 != 1 {
		t.Errorf("3/4 piece: roots %v over %d, want 1 over 2", r.BassRootRateBeat1, r.N.BassBeat1)
	}
}

func TestFindPartsWithoutRoles(t *testing.T) {
	c := chartOf(t, "| C7 | F7 | G7 | C7 |")
	comp := chords([]music.Ticks{0, bar, 2 * bar, 3 * bar}, []int{52, 58, 62}, []int{57, 63, 67}, []int{53, 59, 64}, []int{52, 58, 62})
	drums := line(0, q/2, 42, 42, 42, 42, 42, 42, 42, 42)
	p := piece(
		music.Part{Name: "Track 1", Channel: 0, Program: -1, Notes: comp},
		music.Part{Name: "Track 2", Channel: 3, Program: -1, Notes: line(0, q, walking...)},
		music.Part{Name: "Track 3", Channel: 9, Program: -1, Notes: drums},
	)
	r := analyze(t, p, c, 1)
	if r.Parts["bass"] != "Track 2" || r.Parts["piano"] != "Track 1" || r.Parts["drums"] != "Track 3" {
		t.Errorf("parts %v", r.Parts)
	}
	if r.NotesPerBar["drums"] != 2 || r.NotesPerBar["piano"] != 3 || r.NotesPerBar["bass"] != 4 {
		t.Errorf("notes per bar %v", r.NotesPerBar)
	}
}

// TestBlockChords analyses band.BlockChords, whose lowest voice is the
// chord's root under close-position chord tones from G3: every beat-1 bass
// note is the root, every voicing holds its guide tones, and nothing
// breaks a register or low-interval limit.
func TestBlockChords(t *testing.T) {
	c := chartOf(t, "| F7 | Bb7 | F7 | Cm7 F7 |\n| Bb7 | Bdim7 | F7 | Am7b5 D7b9 |\n| Gm7 | C7 | F7 D7 | Gm7 C7 |")
	r := analyze(t, band.BlockChords(c, 3), nil, 0)
	if r.Choruses != 3 || r.Bars != 36 || r.N.BassBeat1 != 36 || r.BassChordToneRateBeat1 != 1 || r.BassRootRateBeat1 != 1 {
		t.Errorf("%d choruses, %d bars; beat 1: chord tones %v, roots %v over %d", r.Choruses, r.Bars, r.BassChordToneRateBeat1, r.BassRootRateBeat1, r.N.BassBeat1)
	}
	if !strings.Contains(r.Parts["bass"], "lowest voice") || r.CompingGuideToneShare != 1 || r.LowIntervalViolations+r.RegisterViolations+r.MinorNinthViolations != 0 {
		t.Errorf("%+v", r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bass_chord_tone_rate_beat1", "bass_root_rate_beat1", "bass_step_share", "bass_interval_histogram",
		"bass_approach_types", "bass_range", "comping_guide_tone_share", "comping_voice_movement_mean", "low_interval_violations",
		"register_violations", "minor_ninth_violations", "repeated_two_bar_cells", "notes_per_bar"} {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("no %q in %s", k, b)
		}
	}
}

func TestInvalidPieceMeter(t *testing.T) {
	// A meter no decoder lets through (0/4) is left for the chart's.
	p := piece(music.Part{Name: "Bass", Role: music.RoleBass, Notes: line(0, bar, 36, 43)})
	p.Meters = music.MeterMap{{At: 0, Meter: music.Meter{Num: 0, Den: 4}}}
	if r := analyze(t, p, chartOf(t, "| C | G |"), 1); r.Bars != 2 || r.BassRootRateBeat1 != 1 {
		t.Errorf("%d bars, roots %v", r.Bars, r.BassRootRateBeat1)
	}
}

func TestNoChart(t *testing.T) {
	if _, err := Analyze(&music.Piece{}, nil, 1); err != ErrNoChart {
		t.Errorf("%v, want ErrNoChart", err)
	}
	if _, err := Analyze(&music.Piece{}, chartOf(t, "| N.C. |"), 1); err != ErrNoChords {
		t.Errorf("%v, want ErrNoChords", err)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	c := chartOf(b, "| F7 | Bb7 | F7 | Cm7 F7 |\n| Bb7 | Bdim7 | F7 | Am7b5 D7b9 |\n| Gm7 | C7 | F7 D7 | Gm7 C7 |")
	p := band.BlockChords(c, 3)
	// A walking bass and a drum part beside the chords, as a band plays.
	var bass, drums []music.Note
	for k := 0; k < 36; k++ {
		bass = append(bass, line(music.Ticks(k)*bar, q, walking[4*(k%4):4*(k%4)+4]...)...)
		drums = append(drums, line(music.Ticks(k)*bar, q/2, 51, 51, 51, 51, 51, 51, 51, 51)...)
	}
	p.Parts = append(p.Parts, music.Part{Name: "Bass", Role: music.RoleBass, Notes: bass}, music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9, Notes: drums})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(p, nil, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/36, "ns/bar")
}

func TestJSDistance(t *testing.T) {
	a := map[int]float64{-2: 0.5, 2: 0.5}
	if d := JSDistance(a, a); d != 0 {
		t.Errorf("equal: %v", d)
	}
	if d := JSDistance(a, map[int]float64{5: 1}); !near(d, 1) {
		t.Errorf("disjoint: %v, want 1", d)
	}
	// P = (1, 0), Q = (½, ½): JSD = (log2(4/3) + ½ log2(2/3) + ½) / 2 ≈ 0.311 bit.
	if d := JSDistance(map[int]float64{1: 1}, map[int]float64{1: 0.5, 2: 0.5}); math.Abs(d-math.Sqrt(0.3112781244591328)) > 1e-12 {
		t.Errorf("half shared: %v", d)
	}
}
