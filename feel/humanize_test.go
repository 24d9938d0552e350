package feel_test

import (
	"math"
	"reflect"
	"testing"

	"sideman/feel"
	"sideman/feel/stats"
	"sideman/music"
)

// swingEighths is a quantized part: n beats of straight eighths at the
// tempo, the melody at one velocity, written legato.
func swingEighths(beats int, bpm float64) *music.Piece {
	p := &music.Piece{
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: int64(60e6 / bpm)}},
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}},
	}
	origin := &music.Origin{Kind: music.HumanEntered, Who: "test"}
	part := music.Part{Name: "Sax", Role: music.RoleMelody}
	for i := 0; i < 2*beats; i++ {
		part.Notes = append(part.Notes, music.Note{
			ID: music.NoteID(i + 1), Pitch: uint8(60 + i%12), Velocity: 90,
			Start: music.Ticks(i) * music.PPQ / 2, Duration: music.PPQ / 2, Origin: origin,
		})
	}
	p.Parts = []music.Part{part}
	return p
}

func soloist(t *testing.T) *feel.Profile {
	t.Helper()
	p, ok := feel.Builtin("swing-soloist")
	if !ok {
		t.Fatal("no built-in swing-soloist")
	}
	return p
}

func TestHumanizeKeepsNotes(t *testing.T) {
	in := swingEighths(64, 160)
	out := feel.Humanize(in, soloist(t), feel.Options{Amount: 1, Seed: 3})
	if got, want := out.NoteCount(), in.NoteCount(); got != want {
		t.Fatalf("%d notes out, %d in", got, want)
	}
	ids := map[music.NoteID]bool{}
	moved := 0
	for i, n := range out.Parts[0].Notes {
		ids[n.ID] = true
		if n.Origin == nil || n.Origin.Kind != music.HumanEntered || n.Origin.Step != "humanize" || n.Origin.Base != in.Parts[0].Notes[0].Origin {
			t.Fatalf("note %d: origin %+v: want the human kind kept and the humanize step recorded", n.ID, n.Origin)
		}
		if n.Start != in.Parts[0].Notes[i].Start {
			moved++
		}
	}
	if len(ids) != in.NoteCount() {
		t.Errorf("ids lost or duplicated: %d distinct", len(ids))
	}
	if moved < in.NoteCount()*9/10 {
		t.Errorf("only %d of %d notes moved", moved, in.NoteCount())
	}
	// The input is not changed.
	if in.Parts[0].Notes[1].Start != music.PPQ/2 || in.Parts[0].Notes[1].Origin.Step != "" {
		t.Error("Humanize changed its input")
	}
}

func TestHumanizeSeed(t *testing.T) {
	in := swingEighths(32, 140)
	a := feel.Humanize(in, soloist(t), feel.Options{Amount: 1, Seed: 9})
	b := feel.Humanize(in, soloist(t), feel.Options{Amount: 1, Seed: 9})
	c := feel.Humanize(in, soloist(t), feel.Options{Amount: 1, Seed: 10})
	if !reflect.DeepEqual(a.Parts, b.Parts) {
		t.Error("same seed, different output")
	}
	if reflect.DeepEqual(a.Parts[0].Notes, c.Parts[0].Notes) {
		t.Error("different seeds, same output")
	}
	zero := feel.Humanize(in, soloist(t), feel.Options{Amount: 0, Seed: 9})
	for i, n := range zero.Parts[0].Notes {
		o := in.Parts[0].Notes[i]
		if n.Start != o.Start || n.Velocity != o.Velocity || n.Duration != o.Duration {
			t.Fatalf("amount 0 changed note %d: %+v from %+v", n.ID, n, o)
		}
	}
}

// The soloist feel swings straight eighths and plays late on the beat, as
// the soloists it was learned from do, and its timing fluctuation is
// long-range correlated, not independent jitter.
func TestHumanizeSoloistFeel(t *testing.T) {
	const bpm = 160
	in := swingEighths(512, bpm)
	out := feel.Humanize(in, soloist(t), feel.Options{Amount: 1, Seed: 1})
	perf := feel.FromPiece(out, "out")
	// FromPiece puts swung upbeats on the nearer slot: read them back
	// against the input's grid instead.
	beat := 60.0 / bpm
	clock := out.Tempo.Clock()
	var late []float64
	hits := make([]feel.Hit, len(out.Parts[0].Notes))
	for i, n := range out.Parts[0].Notes {
		slot := feel.SlotBeat
		if (n.ID-1)%2 == 1 {
			slot = feel.SlotAnd
		}
		b := int((n.ID - 1) / 2)
		h := feel.Hit{Role: feel.Soloist, Beat: b, Slot: slot, Time: clock.Seconds(n.Start), Grid: (float64(b) + slot.Share()) * beat, BeatDur: beat}
		hits[i] = h
		if slot == feel.SlotBeat {
			late = append(late, 1000*h.Dev())
		}
	}
	perf.Hits, perf.Beats = hits, 512
	perf.Sort()
	r := perf.BeatUpbeatRatios("")
	med := stats.Median(r)
	if med < 1.05 || med > 1.5 {
		t.Errorf("median beat-upbeat ratio %.2f, want the soloists' swing (1.05 to 1.5)", med)
	}
	if m := stats.Median(late); m < 10 || m > 40 {
		t.Errorf("downbeats %.1f ms late, want the soloists' 10 to 40 at %d bpm", m, bpm)
	}
	alpha, ok := stats.DFA(perf.TimingSeries(""))
	if !ok || alpha < 0.55 {
		t.Errorf("fluctuation exponent %.2f (ok %v): want long-range correlation above 0.55", alpha, ok)
	}
	// The legato eighths are shortened to the learned articulation.
	var short int
	for i, n := range out.Parts[0].Notes {
		if n.Duration < in.Parts[0].Notes[i].Duration*19/20 {
			short++
		}
	}
	if short < len(hits)/2 {
		t.Errorf("only %d of %d legato notes articulated", short, len(hits))
	}
	if math.IsNaN(med) {
		t.Fatal("no ratios")
	}
}

// Drums: the kit pieces of one drummer share their beat-level time, and
// the velocity of a one-velocity groove takes the learned accents.
func TestHumanizeDrums(t *testing.T) {
	prof, ok := feel.Builtin("rock-funk")
	if !ok {
		t.Fatal("no rock-funk")
	}
	p := &music.Piece{Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 500000}}}
	part := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9}
	id := music.NoteID(0)
	add := func(key uint8, at music.Ticks) {
		id++
		part.Notes = append(part.Notes, music.Note{ID: id, Pitch: key, Velocity: 100, Channel: 9, Start: at, Duration: 60})
	}
	for bar := 0; bar < 64; bar++ {
		base := music.Ticks(bar) * 4 * music.PPQ
		for e := 0; e < 8; e++ {
			add(42, base+music.Ticks(e)*music.PPQ/2)
		}
		add(36, base)
		add(38, base+music.PPQ)
		add(36, base+2*music.PPQ)
		add(38, base+3*music.PPQ)
	}
	p.Parts = []music.Part{part}
	out := feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 2})
	// Hi-hat and kick on the same downbeat move together more than
	// independent draws would.
	starts := map[music.NoteID]music.Ticks{}
	for _, n := range out.Parts[0].Notes {
		starts[n.ID] = n.Start - p.Parts[0].Notes[n.ID-1].Start
	}
	var hh, kk []float64
	vel := map[uint8][]float64{}
	for _, n := range p.Parts[0].Notes {
		if n.Pitch == 36 {
			// the hi-hat struck with this kick is the note at the same tick
			for _, m := range p.Parts[0].Notes {
				if m.Pitch == 42 && m.Start == n.Start {
					hh = append(hh, float64(starts[m.ID]))
					kk = append(kk, float64(starts[n.ID]))
				}
			}
		}
	}
	for _, n := range out.Parts[0].Notes {
		vel[n.Pitch] = append(vel[n.Pitch], float64(n.Velocity))
	}
	if c := correlation(hh, kk); c < 0.2 {
		t.Errorf("hi-hat and kick on the beat correlate %.2f: want the drummer's shared time (> 0.2)", c)
	}
	if stats.Median(vel[38]) <= stats.Median(vel[42]) {
		t.Errorf("backbeat snare median velocity %.0f not above the hi-hat's %.0f", stats.Median(vel[38]), stats.Median(vel[42]))
	}
}

func correlation(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// A part with dynamics of its own keeps its accents: hi-hat upbeats
// written louder than the downbeats stay louder, drawn from the learned
// accented notes, though drummers' downbeats are louder by position.
func TestHumanizeKeepsAccents(t *testing.T) {
	prof, _ := feel.Builtin("rock-funk")
	p := &music.Piece{Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 500000}}}
	part := music.Part{Name: "Drums", Role: music.RoleDrums, Channel: 9}
	for i := 0; i < 512; i++ {
		vel := uint8(60)
		if i%2 == 1 {
			vel = 110
		}
		part.Notes = append(part.Notes, music.Note{ID: music.NoteID(i + 1), Pitch: 42, Velocity: vel, Channel: 9, Start: music.Ticks(i) * music.PPQ / 2, Duration: 60})
	}
	p.Parts = []music.Part{part}
	out := feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	var up, down []float64
	for _, n := range out.Parts[0].Notes {
		if (n.ID-1)%2 == 1 {
			up = append(up, float64(n.Velocity))
		} else {
			down = append(down, float64(n.Velocity))
		}
	}
	if stats.Median(up) <= stats.Median(down)+10 {
		t.Errorf("accented upbeats median %.0f, unaccented downbeats %.0f: the accents were lost", stats.Median(up), stats.Median(down))
	}
	// Flat, the same notes take the drummers' accents by position instead.
	for i := range part.Notes {
		part.Notes[i].Velocity = 90
	}
	out = feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	up, down = up[:0], down[:0]
	for _, n := range out.Parts[0].Notes {
		if (n.ID-1)%2 == 1 {
			up = append(up, float64(n.Velocity))
		} else {
			down = append(down, float64(n.Velocity))
		}
	}
	if stats.Median(up) >= stats.Median(down) {
		t.Errorf("flat hi-hat: upbeats median %.0f not below downbeats %.0f", stats.Median(up), stats.Median(down))
	}
}

// A pianist's melody leads the chord: the classical-piano feel plays the
// top note of block chords ahead of the others, as the vienna4x22
// pianists did (about 20 ms).
func TestHumanizeMelodyLead(t *testing.T) {
	prof, ok := feel.Builtin("classical-piano")
	if !ok {
		t.Fatal("no classical-piano")
	}
	p := &music.Piece{Tempo: music.TempoMap{{At: 0, MicrosPerQuarter: 1000000}}}
	part := music.Part{Name: "Piano", Role: music.RolePiano}
	id := music.NoteID(0)
	for c := 0; c < 200; c++ {
		for _, k := range []uint8{48, 55, 64, 72} {
			id++
			part.Notes = append(part.Notes, music.Note{ID: id, Pitch: k, Velocity: 64, Start: music.Ticks(c) * music.PPQ, Duration: music.PPQ})
		}
	}
	p.Parts = []music.Part{part}
	out := feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	clock := out.Tempo.Clock()
	top := map[music.NoteID]float64{}
	for _, n := range out.Parts[0].Notes {
		top[n.ID] = clock.Seconds(n.Start)
	}
	var leads []float64
	for c := 0; c < 200; c++ {
		base := music.NoteID(4*c + 1)
		others := (top[base] + top[base+1] + top[base+2]) / 3
		leads = append(leads, 1000*(top[base+3]-others))
	}
	if m := stats.Median(leads); m > -10 || m < -35 {
		t.Errorf("melody lead %.1f ms, want the pianists' 10 to 35 ms ahead", m)
	}
}
