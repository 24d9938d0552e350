package band_test

import (
	"errors"
	"sideman/band/lineup"
	"testing"

	"sideman/band"
	"sideman/format/abc"
	"sideman/music"
)

// headTune has a pickup of one beat, balanced by a short last bar, and a
// repeat to the top: the head is the pickup and 4 bars played twice, 28
// notes.
const headTune = `X:1
T:Head test
M:4/4
L:1/4
K:G
D|"G"G A B c|"C"e d c B|"D7"A B c A|"G"G3:|
`

func headChart(t *testing.T) *music.Chart {
	t.Helper()
	cs, err := abc.Decoder{Source: "head.abc"}.DecodeBytes([]byte(headTune))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v (%d tunes)", err, len(cs))
	}
	return cs[0]
}

func melodyParts(p *music.Piece) []music.Part {
	var out []music.Part
	for _, part := range p.Parts {
		if part.Role == music.RoleMelody {
			out = append(out, part)
		}
	}
	return out
}

func TestMelodyHeadInAndOut(t *testing.T) {
	c := headChart(t)
	st, _ := band.LookupStyle("medium-swing")
	to, _ := music.ParseKey("A")
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 3, Intro: true, Transpose: &to, Seed: 3}
	p, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	bandNotes := p.NoteCount()
	n, err := band.WithMelody(p, opt, band.HeadInOut)
	if err != nil {
		t.Fatal(err)
	}
	mel := melodyParts(p)
	if len(mel) != 1 || len(mel[0].Notes) != n || p.NoteCount() != bandNotes+n {
		t.Fatalf("%d melody parts, %d notes added, piece %d notes (band %d)", len(mel), n, p.NoteCount(), bandNotes)
	}
	for _, part := range p.Parts[:len(p.Parts)-1] {
		if part.Channel == mel[0].Channel {
			t.Errorf("melody on channel %d, the %s's", part.Channel, part.Name)
		}
	}

	// The written melody as the lead sheet plays it once, from the top.
	once := c.Perform(1).Parts[0].Notes
	var form, pickup, intro music.Ticks
	played := c.Unroll(1)
	for _, pb := range played {
		form += pb.Meter.BarTicks()
	}
	pickup = played[0].Meter.BarTicks()
	for _, pb := range played[len(played)-4:] { // the intro: the form's last 4 bars
		intro += pb.Meter.BarTicks()
	}
	if pickup != music.PPQ || len(once) != 28 {
		t.Fatalf("the test tune reads as a %d-tick pickup and %d notes", pickup, len(once))
	}
	// Head in on chorus 1, the band alone on chorus 2, head out on 3;
	// the chart moved up a major second, G to A.
	var want []music.Note
	for _, chorus := range []int{1, 3} {
		for _, w := range once {
			w.Start += intro + music.Ticks(chorus-1)*form
			w.Pitch += 2
			want = append(want, w)
		}
	}
	got := mel[0].Notes
	if len(got) != len(want) {
		t.Fatalf("%d melody notes, want %d (two heads of %d)", len(got), len(want), len(once))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Start != w.Start || g.Pitch != w.Pitch || g.Duration != w.Duration {
			t.Fatalf("note %d: pitch %d at %d for %d, want pitch %d at %d for %d", i, g.Pitch, g.Start, g.Duration, w.Pitch, w.Start, w.Duration)
		}
		if r := g.Origin.Root(); r.Kind != music.Imported || r.Source != "head.abc" {
			t.Fatalf("note %d: origin %v, want imported from head.abc", i, g.Origin)
		}
		if st := g.Origin.Steps(); len(st) != 1 || st[0] != "transpose" {
			t.Fatalf("note %d: steps %v, want [transpose]", i, st)
		}
	}
	// The pickup sounds alone after the intro: the band's first chord of
	// the head falls on bar 1, where the melody's second note does.
	if got[0].Start != intro || got[1].Start != intro+pickup {
		t.Errorf("pickup at %d, bar 1 at %d; want %d, %d", got[0].Start, got[1].Start, intro, intro+pickup)
	}
	for _, part := range p.Parts {
		if part.Role != music.RoleBass {
			continue
		}
		for _, b := range part.Notes {
			if b.Start > got[0].Start && b.Start < got[1].Start {
				t.Errorf("bass note at %d inside the pickup", b.Start)
			}
		}
	}
}

func TestMelodyChoruses(t *testing.T) {
	c := headChart(t)
	written := len(c.Perform(1).Parts[0].Notes)
	for _, tc := range []struct {
		heads    band.Heads
		choruses int
		want     int // heads played
	}{
		{band.HeadInOut, 1, 1},
		{band.HeadInOut, 2, 2},
		{band.HeadInOut, 5, 2},
		{band.HeadAll, 4, 4},
		{band.HeadOff, 3, 0},
	} {
		opt := band.Options{Lineup: lineup.Standard(), Choruses: tc.choruses, Seed: 1}
		p, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		n, err := band.WithMelody(p, opt, tc.heads)
		if err != nil || n != tc.want*written || len(melodyParts(p)) != min(tc.want, 1) {
			t.Errorf("%s over %d choruses: %d notes, %d melody parts, %v; want %d heads of %d",
				tc.heads, tc.choruses, n, len(melodyParts(p)), err, tc.want, written)
		}
	}
}

func TestMelodyRefused(t *testing.T) {
	cs, err := abc.Decoder{Source: "chords.abc"}.DecodeBytes([]byte("X:1\nT:Chords\nM:4/4\nK:C\n\"C\"z4|\"G7\"z4|\"C\"z4|\n"))
	if err != nil {
		t.Fatal(err)
	}
	opt := band.Options{Lineup: lineup.Standard(), Choruses: 1}
	p, err := band.Play(cs[0], opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := band.WithMelody(p, opt, band.HeadInOut); !errors.Is(err, band.ErrNoMelody) {
		t.Errorf("a chart of rests: %v, want ErrNoMelody", err)
	}
	if n, err := band.WithMelody(p, opt, band.HeadOff); n != 0 || err != nil {
		t.Errorf("off on a chart of rests: %d, %v", n, err)
	}
	// Options that are not the ones the band played with: the bars differ.
	c := headChart(t)
	p, err = band.Play(c, band.Options{Lineup: lineup.Standard(), Choruses: 2})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := band.WithMelody(p, band.Options{Lineup: lineup.Standard(), Choruses: 2, Intro: true}, band.HeadAll); err == nil {
		t.Errorf("melody laid over another form: %d notes, no error", n)
	}
	for _, s := range []string{"head", "all", "off"} {
		if h, err := band.ParseHeads(s); err != nil || h.String() != s {
			t.Errorf("ParseHeads(%q) = %v, %v", s, h, err)
		}
	}
	if _, err := band.ParseHeads("sometimes"); err == nil {
		t.Error("ParseHeads accepts sometimes")
	}
}

// TestMelodyAfterCountIn: the head comes in after the count-in, each note
// as many bars later as the count-in has, and none sounds during it.
func TestMelodyAfterCountIn(t *testing.T) {
	c := headChart(t)
	var at [2][]music.Ticks
	for i, bars := range []int{0, 2} {
		opt := band.Options{Lineup: lineup.Standard(), Choruses: 2, CountIn: bars, Seed: 1}
		p, err := band.Play(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := band.WithMelody(p, opt, band.HeadAll); err != nil {
			t.Fatal(err)
		}
		for _, n := range melodyParts(p)[0].Notes {
			at[i] = append(at[i], n.Start)
		}
	}
	// The count-in is in the tune's 4/4, not its pickup's 1/4.
	shift := 2 * music.DefaultMeter.BarTicks()
	if len(at[0]) != len(at[1]) || len(at[0]) == 0 {
		t.Fatalf("%d melody notes without a count-in, %d with", len(at[0]), len(at[1]))
	}
	for i := range at[0] {
		if at[1][i]-at[0][i] != shift {
			t.Fatalf("note %d at %d after a 2-bar count-in, %d without; want %d later", i, at[1][i], at[0][i], shift)
		}
	}
}

// A pickup that no short last bar balances leads into the first chorus
// alone; a later head plays it over the end of the chorus before, cutting
// the note held there, and the choruses stay whole bars.
func TestMelodyPickupLeadsIn(t *testing.T) {
	const tune = `X:1
T:Lead-in
M:4/4
L:1/4
K:G
D|"G"G A B c|"C"e d c B|"D7"A B c A|"G"G4|
`
	cs, err := abc.Decoder{Source: "lead.abc"}.DecodeBytes([]byte(tune))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v (%d tunes)", err, len(cs))
	}
	c := cs[0]
	if !c.Pickup() {
		t.Fatal("the tune's first beat does not read as a pickup")
	}
	st, _ := band.LookupStyle("medium-swing")
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 1}
	p, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := band.WithMelody(p, opt, band.HeadAll); err != nil {
		t.Fatal(err)
	}
	mel := melodyParts(p)[0].Notes
	bar := music.Ticks(4 * music.PPQ)
	// The pickup, 4 bars, the pickup again on beat 4 of the last bar, 4 bars.
	if len(mel) != 2*14 {
		t.Fatalf("%d melody notes, want 28", len(mel))
	}
	second := music.PPQ + 4*bar // bar 1 of chorus 2
	var lead, held, one *music.Note
	for i := range mel {
		switch n := &mel[i]; {
		case n.Start == second-music.PPQ:
			lead = n
		case n.Start == music.PPQ+3*bar:
			held = n
		case n.Start == second:
			one = n
		}
	}
	if one == nil || one.Pitch != 67 {
		t.Fatalf("chorus 2's first bar does not start with its G at %d (a bar after the last): %v", second, mel)
	}
	if lead == nil || lead.Pitch != 62 {
		t.Fatalf("no pickup (D) a beat before chorus 2's first bar: %v", mel)
	}
	if held == nil || held.End() != lead.Start {
		t.Errorf("the last bar's G ends at %v, want where the pickup starts (%d)", held, lead.Start)
	}
	if end := p.End(); end > music.PPQ+8*bar+bar {
		t.Errorf("the piece ends at %d: the pickup was played as a bar again", end)
	}
}
