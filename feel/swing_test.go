package feel_test

import (
	"reflect"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/chart"
	"sideman/music"
)

// written is one bar of 4/4 as a score writes it, eighths straight, the
// piece saying how they are meant: a melody of a pair of eighths written
// legato, a short quarter and an upbeat alone, sixteenths, a triplet;
// drums whose ride plays a pair of eighths in the beat the snare plays
// triplets in, and the snare an upbeat alone.
func written(swing float64) *music.Piece {
	o := &music.Origin{Kind: music.HumanEntered}
	q := music.Ticks(music.PPQ)
	note := func(id int, start, dur music.Ticks, pitch uint8) music.Note {
		return music.Note{ID: music.NoteID(id), Pitch: pitch, Velocity: 80, Start: start, Duration: dur, Origin: o}
	}
	return &music.Piece{
		Swing:  swing,
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}},
		Parts: []music.Part{
			{Role: music.RoleMelody, Notes: []music.Note{
				note(1, 0, q/2, 60), note(2, q/2, q/2, 62), // legato pair
				note(3, q, q/4, 64), note(4, q+q/2, q/8, 65), // detached, then the upbeat
				note(5, 2*q, q/4, 65), note(6, 2*q+q/4, q/4, 67), note(7, 2*q+q/2, q/4, 69), note(8, 2*q+3*q/4, q/4, 71),
				note(9, 3*q, q/3, 72), note(10, 3*q+q/3, q/3, 74), note(11, 3*q+2*q/3, q/3, 76),
			}},
			{Role: music.RoleDrums, Channel: 9, Notes: []music.Note{
				note(12, 0, q/8, 51), note(13, q/2, q/8, 51), // ride pair
				note(14, q/3, q/8, 38), note(15, 2*q/3, q/8, 38), // snare triplets in the same beat
				note(16, q+q/2, q/8, 38), // the snare's upbeat alone
			}},
		},
	}
}

// Swing plays the pairs of eighths long-short at the piece's swing and
// leaves what players play even: sixteenths, triplets.
func TestSwing(t *testing.T) {
	p := written(0.64)
	out := feel.Swing(p)
	q := music.Ticks(music.PPQ)
	up := music.Ticks(614) // 0.64 of 960, rounded
	// Each note's start and duration.
	want := map[music.NoteID][2]music.Ticks{
		1: {0, up}, 2: {up, q - up}, // the legato pair: each still reaches the next onset
		3: {q, q / 4}, 4: {q + up, q / 8}, // the upbeat swung, written lengths kept
		5: {2 * q, q / 4}, 6: {2*q + q/4, q / 4}, 7: {2*q + q/2, q / 4}, 8: {2*q + 3*q/4, q / 4},
		9: {3 * q, q / 3}, 10: {3*q + q/3, q / 3}, 11: {3*q + 2*q/3, q / 3},
		12: {0, q / 8}, 13: {up, q / 8}, 14: {q / 3, q / 8}, 15: {2 * q / 3, q / 8}, 16: {q + up, q / 8},
	}
	swung := map[music.NoteID]bool{1: true, 2: true, 4: true, 13: true, 16: true}
	for pi, part := range out.Parts {
		if len(part.Notes) != len(p.Parts[pi].Notes) {
			t.Fatalf("part %d: %d notes, want %d", pi, len(part.Notes), len(p.Parts[pi].Notes))
		}
		for _, n := range part.Notes {
			w := want[n.ID]
			if n.Start != w[0] || n.Duration != w[1] {
				t.Errorf("note %d: at %d for %d, want at %d for %d", n.ID, n.Start, n.Duration, w[0], w[1])
			}
			if got := n.Origin.Steps(); swung[n.ID] && (len(got) != 1 || got[0] != "swing" || n.Origin.Kind != music.HumanEntered || n.Origin.Params != "swing=0.64") {
				t.Errorf("note %d: origin %v (%s), want the swing step on the kept kind", n.ID, n.Origin, n.Origin.Params)
			} else if !swung[n.ID] && n.Origin != p.Parts[pi].Notes[0].Origin {
				t.Errorf("note %d, not swung: origin %v, want it as it was", n.ID, n.Origin)
			}
		}
	}
	if out.Swing != 0 {
		t.Errorf("the played piece says its eighths are meant at %v, want 0: they are where they sound", out.Swing)
	}
	if again := feel.Swing(out); again != out {
		t.Error("a played piece swung again")
	}
	for _, s := range []float64{0, 0.5} {
		if p := written(s); feel.Swing(p) != p {
			t.Errorf("swing %v: a straight piece changed", s)
		}
	}
	if p.Parts[0].Notes[1].Start != q/2 {
		t.Error("Swing changed the piece it was given")
	}
}

// In a compound meter the eighths are the beat's thirds: nothing swings.
func TestSwingCompound(t *testing.T) {
	p := written(0.66)
	p.Meters = music.MeterMap{{At: 0, Meter: music.Meter{Num: 12, Den: 8}}}
	for pi, part := range feel.Swing(p).Parts {
		for _, n := range part.Notes {
			if w := p.Parts[pi].Notes; n.Origin != w[0].Origin {
				t.Errorf("note %d in 12/8 swung: %v", n.ID, n.Origin)
			}
		}
	}
}

// Humanize is the one place a written piece becomes a played one: the
// swing first, then the feel, note for note what Swing then Humanize of
// the swung piece gives. The band in medium swing writes its ride's
// skip notes straight; played, they sound at the style's 0.64.
func TestHumanizeSwingsOnce(t *testing.T) {
	src, err := examples.Open("blues-f")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chart.DecodeBytes(src)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := band.LookupStyle("medium-swing")
	p, err := band.Play(cs[0], band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Swing != 0.64 {
		t.Fatalf("the band's piece says its eighths are meant at %v, want the style's 0.64", p.Swing)
	}
	count := func(p *music.Piece, share float64) int {
		n := 0
		for _, part := range p.Parts {
			for _, x := range part.Notes {
				if x.Pitch == 51 && x.Start%music.PPQ == music.Ticks(share*music.PPQ+0.5) {
					n++
				}
			}
		}
		return n
	}
	swung := feel.Swing(p)
	if w, s := count(p, 0.5), count(swung, 0.64); w < 40 || s != w || count(swung, 0.5) != 0 {
		t.Errorf("ride skip notes: %d written on the and, %d played at 0.64 of the beat, %d left on the and", w, s, count(swung, 0.5))
	}
	prof, _ := feel.Builtin(st.FeelName())
	opt := feel.Options{Amount: 1, Seed: 5}
	once, twice := feel.Humanize(p, prof, opt), feel.Humanize(swung, prof, opt)
	if !reflect.DeepEqual(once, twice) {
		t.Error("Humanize of the written piece differs from Humanize of it swung")
	}
	if once.Swing != 0 {
		t.Errorf("a humanized piece says its eighths are meant at %v, want 0", once.Swing)
	}
}
