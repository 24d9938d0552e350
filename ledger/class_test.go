package ledger

import (
	"context"
	"slices"
	"strings"
	"testing"

	"sideman/music"
)

// classes appends batches to a ledger and returns its notes by id.
func classes(t *testing.T, batches ...[]Record) map[music.NoteID]NoteHistory {
	t.Helper()
	l, _ := newLedger()
	key := testKey(t, 1)
	for _, b := range batches {
		mustAppendSigned(t, l, key, b...)
	}
	notes := map[music.NoteID]NoteHistory{}
	for n, err := range Notes(l.Records(context.Background(), 0)) {
		if err != nil {
			t.Fatal(err)
		}
		notes[n.ID] = n
	}
	return notes
}

func TestNoteClasses(t *testing.T) {
	quantized := played(1, 4)
	quantize := Record{Actor: Machine, Op: Transform, Source: AlgorithmicallyEnhanced, Notes: quantized.Notes[:2],
		Before: quantized.After[:2], After: quantized.After[:2], Gen: &Generation{Generator: "feel/quantize"}}
	hand := quantized.After[3]
	hand.Vel = 100
	notes := classes(t, append(session(),
		[]Record{quantize, {Actor: Human, Op: Modify, Source: HumanEdits, Notes: []music.NoteID{4}, Before: quantized.After[3:], After: []NoteState{hand}}},
		[]Record{{Actor: System, Op: Import, Notes: []music.NoteID{20}, After: []NoteState{{Part: 2, Tick: 0, Dur: 480, Pitch: 67, Vel: 70}}}},
		[]Record{{Actor: System, Op: Import, Source: DigitalCreation, Notes: []music.NoteID{21}, After: []NoteState{{Part: 2, Tick: 480, Dur: 480, Pitch: 69, Vel: 70}}}},
		[]Record{{Actor: System, Op: Import, Source: TrainedAlgorithmicMedia, Notes: []music.NoteID{22}, After: []NoteState{{Part: 2, Tick: 960, Dur: 480, Pitch: 71, Vel: 70}}}},
	)...)
	bass := session()[1][0]
	for _, tc := range []struct {
		id     music.NoteID
		class  Class
		fields []string
		steps  []string
	}{
		{1, ClassHAlg, nil, []string{"feel/quantize"}}, // played, quantized
		{2, ClassHAlg, nil, []string{"feel/quantize"}},
		{3, ClassH, nil, nil},                                      // played
		{4, ClassH, nil, nil},                                      // played, its velocity changed by hand: still the person's
		{5, ClassM, nil, []string{"feel/humanize"}},                // the band's, humanized
		{6, ClassMH, []string{"pitch"}, []string{"feel/humanize"}}, // the band's, its pitch changed by hand
		{20, ClassUnknown, nil, nil},                               // imported, no word of who made it
		{21, ClassH, nil, nil},                                     // imported as written by a person
		{22, ClassM, nil, nil},                                     // imported as a trained model's
	} {
		n := notes[tc.id]
		if n.Class != tc.class || !slices.Equal(n.HumanFields, tc.fields) || !slices.Equal(n.Steps, tc.steps) {
			t.Errorf("note %d: %s, fields %v, steps %v; want %s, %v, %v", tc.id, n.Class, n.HumanFields, n.Steps, tc.class, tc.fields, tc.steps)
		}
	}
	if n := notes[3]; n.Source != DigitalCapture || n.Generator != "" {
		t.Errorf("played note 3 made by %s %q", n.Source, n.Generator)
	}
	if n := notes[6]; n.Source != AlgorithmicMedia || n.Generator != "band/walkingbass" {
		t.Errorf("bass note 6 made by %s %q", n.Source, n.Generator)
	}
	// The bass note a person changed sounds a whole tone up from what
	// the band played, where the humanizer put it.
	if n := notes[6]; n.State.Pitch != bass.After[1].Pitch+2 || n.State.Tick != bass.After[1].Tick+7 {
		t.Errorf("note 6 is %+v, want the band's %+v a whole tone up, 7 ticks late", n.State, bass.After[1])
	}
	// The person selected the band's four notes: counted apart, the
	// notes still the machine's.
	for id := music.NoteID(5); id <= 8; id++ {
		if n := notes[id]; n.Selected != 1 || n.Class == ClassH {
			t.Errorf("note %d: selected %d times, class %s", id, n.Selected, n.Class)
		}
	}
	var c Counts
	for _, n := range notes {
		c.Add(&n)
	}
	if want := (Counts{H: 3, HAlg: 2, M: 4, MH: 1, Unknown: 1, Selected: 4}); c != want {
		t.Errorf("counts %+v, want %+v", c, want)
	}
}

// A person's later edits add to the fields they changed; an edit that
// changes nothing leaves a machine's note the machine's; arranging moves
// a note without changing its class; deleted and rejected notes leave
// the counts.
func TestNoteClassEdits(t *testing.T) {
	gen := generated(1, 4)
	up, moved := gen.After[0], gen.After[2]
	up.Pitch++
	louder := up
	louder.Vel++
	moved.Tick += 4 * music.PPQ
	notes := classes(t, []Record{gen},
		[]Record{{Actor: Human, Op: Modify, Notes: []music.NoteID{1}, Before: gen.After[:1], After: []NoteState{up}}},
		[]Record{{Actor: Human, Op: Modify, Notes: []music.NoteID{1, 2}, Before: []NoteState{up, gen.After[1]}, After: []NoteState{louder, gen.After[1]}}},
		[]Record{{Actor: Human, Op: Arrange, Notes: []music.NoteID{3}, Before: gen.After[2:3], After: []NoteState{moved}}},
		[]Record{{Actor: Human, Op: Reject, Notes: []music.NoteID{4}}},
	)
	if n := notes[1]; n.Class != ClassMH || !slices.Equal(n.HumanFields, []string{"pitch", "velocity"}) {
		t.Errorf("note 1: %s %v, want M+h with pitch and velocity", n.Class, n.HumanFields)
	}
	if n := notes[2]; n.Class != ClassM {
		t.Errorf("note 2, edited to what it was: %s", n.Class)
	}
	if n := notes[3]; n.Class != ClassM || n.Arranged != 1 || n.State.Tick != gen.After[2].Tick+4*music.PPQ {
		t.Errorf("note 3, moved a bar on: %+v", n)
	}
	var c Counts
	for _, n := range notes {
		c.Add(&n)
	}
	if want := (Counts{M: 2, MH: 1, Arranged: 1}); c != want {
		t.Errorf("counts %+v, want %+v (the rejected note out)", c, want)
	}
}

// A note made twice is an error, not a second history.
func TestNoteMadeTwice(t *testing.T) {
	l, _ := newLedger()
	mustAppendSigned(t, l, testKey(t, 1), played(1, 2), generated(2, 1))
	var err error
	for _, err = range Notes(l.Records(context.Background(), 0)) {
		if err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "note 2 made again") {
		t.Errorf("error %v", err)
	}
}
