package motif

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"sideman/music"
)

func line(pitches []int, onsets []music.Ticks) []Note {
	ns := make([]Note, len(pitches))
	for i := range pitches {
		ns[i] = Note{ID: music.NoteID(i + 1), Pitch: pitches[i], Onset: onsets[i], Duration: 240, From: []music.NoteID{music.NoteID(i + 1)}}
	}
	return ns
}

func TestGrams(t *testing.T) {
	e := music.Ticks(480)
	a := line([]int{60, 62, 64, 62, 67}, []music.Ticks{0, e, 2 * e, 3 * e, 5 * e})
	if got := Contour(a); !slices.Equal(got, []int{1, 1, -1, 1}) {
		t.Errorf("contour %v", got)
	}
	if got := IOIs(a); !slices.Equal(got, []int{6, 6, 6, 12}) {
		t.Errorf("IOIs %v on a grid of twelve a quarter: eighths are 6, a quarter 12", got)
	}
	if g := ContourGrams(a); len(g) != 2 || g[0] != (Gram{1, 1, -1}) {
		t.Errorf("contour grams %v", g)
	}
	// A transposed copy: no interval edits, and both grams shared.
	up := slices.Clone(a)
	for i := range up {
		up[i].Pitch += 5
	}
	if d := IntervalDistance(a, up); d != 0 {
		t.Errorf("transposed copy at interval distance %d", d)
	}
	if c, r := SharesGram(a, up); !c || !r {
		t.Errorf("transposed copy shares contour %v rhythm %v", c, r)
	}
	// Triplets against eighths: no rhythm gram in common; an inverted
	// line no contour gram.
	tr := line([]int{60, 58, 56, 58, 53}, []music.Ticks{0, 320, 640, 960, 1280})
	if c, r := SharesGram(a, tr); c || r {
		t.Errorf("inversion in triplets shares contour %v rhythm %v", c, r)
	}
	// Levenshtein: kitten to sitting is 3, as the textbook has it.
	w := func(s string) []int {
		var out []int
		for _, r := range s {
			out = append(out, int(r))
		}
		return out
	}
	if d := levenshtein(w("kitten"), w("sitting")); d != 3 {
		t.Errorf("kitten/sitting %d, want 3", d)
	}
	if d := Distance(a, a, 0); d != 0 {
		t.Errorf("a phrase is at %v from itself", d)
	}
	if d := Distance(a, up, 0); d != 0 {
		t.Errorf("a transposed copy is at %v", d)
	}
	if d := Distance(a, a, 240); d <= 0 || d > 1 {
		t.Errorf("a displaced copy is at %v, want one rhythm edit", d)
	}
}

func TestChordAt(t *testing.T) {
	c := &music.Chart{Meter: &music.Meter{Num: 4, Den: 4}, Bars: []music.Bar{
		{Chords: []music.ChordAt{{Chord: music.MustParseChord("Dm7")}, {Offset: 1920, Chord: music.MustParseChord("G7")}}},
		{Chords: []music.ChordAt{{Chord: music.MustParseChord("Cmaj7")}}},
	}}
	ns := []music.Note{{ID: 1, Pitch: 65, Start: 3840 + 480, Duration: 480}, {ID: 2, Pitch: 64, Start: 3840 + 960, Duration: 480}}
	m, err := New(ns, music.Meter{Num: 4, Den: 4}, c)
	if err != nil {
		t.Fatal(err)
	}
	if m.Start != 3840 || m.Notes[0].Onset != 480 {
		t.Fatalf("start %d, first onset %d: want the bar's downbeat", m.Start, m.Notes[0].Onset)
	}
	for _, tc := range []struct {
		at   music.Ticks
		want string
	}{{-3840, "Dm7"}, {-1, "G7"}, {0, "Cmaj7"}, {5000, "Cmaj7"}} {
		ch, ok := m.ChordAt(tc.at)
		if !ok || ch.Symbol != tc.want {
			t.Errorf("chord at %d: %v %v, want %s", tc.at, ch.Symbol, ok, tc.want)
		}
	}
	es := m.Events(m.Notes, 0)
	if es[0].Bar != 1 || es[0].Beat != 0 || es[0].Offset != 480 || !es[0].HasChord || es[0].Root != 0 {
		t.Errorf("event %+v: want bar 1, an eighth into beat 0, over C", es[0])
	}
}

// TestOperators applies each operator many times to a real motif and
// checks what it must keep and what it must change.
func TestOperators(t *testing.T) {
	for _, withChart := range []bool{false, true} {
		m, _ := busyMotif(t, 2, 10, withChart)
		ids := map[music.NoteID]bool{}
		for _, n := range m.Notes {
			ids[n.ID] = true
		}
		beat := m.Meter.BeatTicks()
		for _, op := range Operators {
			applied := 0
			for seed := range uint64(200) {
				rng := rand.New(rand.NewPCG(seed, 1))
				v, ok := op.Apply(m, Of(m), rng)
				if !ok {
					continue
				}
				applied++
				if len(v.Steps) != 1 || v.Steps[0].Op == "" || v.Steps[0].Params == "" {
					t.Fatalf("%s: steps %v", op.Name, v.Steps)
				}
				for _, n := range v.Notes {
					if len(n.From) == 0 {
						t.Fatalf("%s: a note derives from nothing", op.Name)
					}
					for _, id := range n.From {
						if !ids[id] {
							t.Fatalf("%s: a note derives from %d, not a motif note", op.Name, id)
						}
					}
				}
				switch op.Name {
				case "displace":
					if IntervalDistance(m.Notes, v.Notes) != 0 {
						t.Errorf("displace changed the intervals")
					}
					sh := v.Notes[0].Onset - m.Notes[0].Onset
					if sh == 0 || (beat*4)%sh != 0 && (beat*3)%sh != 0 {
						t.Errorf("displaced by %d ticks: not a quarter, third, half or whole beat of %d", sh, beat)
					}
				case "invert":
					if !withChart && IntervalDistance(m.Notes, v.Notes) == 0 {
						t.Errorf("inversion %v kept every interval", v.Steps)
					}
				case "retrograde":
					a, b := pitches(m.Notes), pitches(v.Notes)
					slices.Sort(a)
					slices.Sort(b)
					if !slices.Equal(a, b) {
						t.Errorf("retrograde changed the pitches played")
					}
				case "repitch":
					if !withChart {
						t.Fatal("repitch without a chart")
					}
					if v.At%m.Meter.BarTicks() != 0 || v.At == 0 {
						t.Errorf("repitch moved by %d ticks, not whole bars", v.At)
					}
					// A chord tone stays a chord tone of the new chord.
					for i, n := range m.Notes {
						c1, _ := m.ChordAt(n.Onset)
						c2, _ := m.ChordAt(v.At + n.Onset)
						if c1.PitchClasses()&(1<<pc(n.Pitch)) != 0 && c2.PitchClasses()&(1<<pc(v.Notes[i].Pitch)) == 0 &&
							len(c1.Tones()) <= len(c2.Tones()) {
							t.Errorf("%d over %s became %d over %s", n.Pitch, c1.Symbol, v.Notes[i].Pitch, c2.Symbol)
						}
					}
				case "sequence":
					// The fragment sounds again right after itself, its
					// rhythm kept, a step or two away (whole tones
					// without a key, scale steps with one).
					var from, k, st int
					fmt.Sscanf(v.Steps[0].Params, "from=%d len=%d steps=%d", &from, &k, &st)
					frag := m.Notes[from-1 : from-1+k]
					found := false
					for j := 0; j+k <= len(v.Notes) && !found; j++ {
						run := v.Notes[j : j+k]
						ok := run[0].Onset > frag[0].Onset && slices.Equal(IOIs(run), IOIs(frag))
						for x := range run {
							d := run[x].Pitch - frag[x].Pitch
							if !withChart && d != 2*st || withChart && (d == 0 || sign(d) != sign(st) || abs(d) > 4) {
								ok = false
							}
						}
						found = ok
					}
					if !found {
						t.Errorf("%v: no copy of notes %d to %d a step away", v.Steps, from, from+k-1)
					}
				case "ornament":
					if len(v.Notes) != len(m.Notes)+2 {
						t.Errorf("ornament made %d notes of %d, want two more", len(v.Notes), len(m.Notes))
					}
				}
			}
			if applied == 0 && (op.Name != "repitch" || withChart) {
				t.Errorf("chart %v: %s never applied", withChart, op.Name)
			}
		}
	}
}

func pitches(ns []Note) []int {
	out := make([]int, len(ns))
	for i, n := range ns {
		out[i] = n.Pitch
	}
	return out
}

func TestVary(t *testing.T) {
	m, mod := busyMotif(t, 2, 10, true)
	ctx := context.Background()
	opt := Options{N: 3000, Top: 10, Seed: 7, Model: mod}
	res, err := Vary(ctx, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Made != opt.N || len(res.Ranked) != opt.Top {
		t.Fatalf("made %d, ranked %d", res.Made, len(res.Ranked))
	}
	seen := map[uint64]bool{Canonical(Of(m)): true}
	for _, c := range res.Ranked {
		if k := Canonical(c.Variation); seen[k] {
			t.Errorf("%v: the same notes twice (or the motif)", c.Steps)
		} else {
			seen[k] = true
		}
		if math.IsNaN(c.Bits) || math.IsInf(c.Bits, 0) {
			t.Errorf("%v: not scored by the full model: %v", c.Steps, c.Bits)
		}
	}
	again, _ := Vary(ctx, m, opt)
	for i := range res.Ranked {
		if Canonical(res.Ranked[i].Variation) != Canonical(again.Ranked[i].Variation) {
			t.Fatalf("same seed, variation %d differs", i+1)
		}
	}
	// Novelty 0 ranks by likelihood alone: the first is the likeliest of
	// those rescored; novelty 1 by distance alone.
	opt.Novelty, opt.Top = 0, 0
	all, _ := Vary(ctx, m, opt)
	for _, c := range all.Ranked[1:all.Rescored] {
		if c.Bits < all.Ranked[0].Bits {
			t.Fatalf("novelty 0: first at %.3f bits, a later one at %.3f", all.Ranked[0].Bits, c.Bits)
		}
	}
	opt.Novelty = 1
	far, _ := Vary(ctx, m, opt)
	for _, c := range far.Ranked[1:far.Rescored] {
		if c.Distance > far.Ranked[0].Distance {
			t.Fatalf("novelty 1: first at distance %.3f, a later one at %.3f", far.Ranked[0].Distance, c.Distance)
		}
	}
	// The model hears the difference: the likeliest variations are
	// likelier than the motif with its pitches shuffled.
	rng := rand.New(rand.NewPCG(1, 2))
	var shuffled float64
	for range 20 {
		v := Of(m)
		p := pitches(v.Notes)
		rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
		for i := range v.Notes {
			v.Notes[i].Pitch = p[i]
		}
		shuffled += FullBits(m, mod, v) / 20
	}
	motif := FullBits(m, mod, Of(m))
	t.Logf("bits per note: motif %.2f, shuffled %.2f, best variation %.2f", motif, shuffled, all.Ranked[0].Bits)
	if all.Ranked[0].Bits >= shuffled || motif >= shuffled {
		t.Errorf("the best variation (%.2f bits a note) or the motif (%.2f) no likelier than shuffled pitches (%.2f)", all.Ranked[0].Bits, motif, shuffled)
	}
}

func TestMusicNotes(t *testing.T) {
	m, mod := busyMotif(t, 2, 10, true)
	vs, err := Generate(context.Background(), m, 200, 3, NewResampler(m, mod), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := music.NewIDs(1 << 30)
	used := map[music.NoteID]bool{}
	ops := map[string]bool{}
	for _, v := range vs {
		for _, s := range v.Steps {
			ops[s.Op] = true
		}
		for _, n := range v.MusicNotes(m, ids, "seed=3") {
			if used[n.ID] || n.ID < 1<<30 {
				t.Fatalf("id %d given twice or not from the ids given", n.ID)
			}
			used[n.ID] = true
			o := n.Origin
			if o.Kind != music.MachineTransformed || o.Generator != Generator || len(o.DerivedFrom) == 0 {
				t.Fatalf("origin %+v", o)
			}
		}
	}
	for _, op := range append(slices.Collect(func(y func(string) bool) {
		for _, o := range Operators {
			if !y(o.Name) {
				return
			}
		}
	}), "resample") {
		if op == "stretch" {
			if !ops["expand"] && !ops["contract"] {
				t.Errorf("no expansion or contraction in 200 variations")
			}
			continue
		}
		if !ops[op] {
			t.Errorf("no %s in 200 variations", op)
		}
	}
}
