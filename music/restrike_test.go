package music

import (
	"fmt"
	"testing"
)

// overlaps counts pairs of notes of one channel and pitch that sound at
// once, by brute force over every pair: a check that does not share the
// sweep Restrike uses.
func overlaps(ns []Note) int {
	c := 0
	for i := range ns {
		for j := i + 1; j < len(ns); j++ {
			a, b := ns[i], ns[j]
			if a.Channel != b.Channel || a.Pitch != b.Pitch || a.Duration <= 0 || b.Duration <= 0 {
				continue
			}
			if a.Start < b.End() && b.Start < a.End() {
				c++
			}
		}
	}
	return c
}

func TestRestrike(t *testing.T) {
	const m = MinRestrikeLength
	n := func(id NoteID, ch, pitch uint8, start, dur Ticks) Note {
		return Note{ID: id, Channel: ch, Pitch: pitch, Velocity: 80, Start: start, Duration: dur}
	}
	for _, tc := range []struct {
		name        string
		in, want    []Note
		wantChanged int
	}{
		{
			name: "a held note is ended where the same key is struck again",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 60, 480, 480)},
			want: []Note{n(1, 0, 60, 0, 480), n(2, 0, 60, 480, 480)},

			wantChanged: 1,
		},
		{
			name: "notes that only touch are left alone",
			in:   []Note{n(1, 0, 60, 0, 480), n(2, 0, 60, 480, 480)},
			want: []Note{n(1, 0, 60, 0, 480), n(2, 0, 60, 480, 480)},
		},
		{
			name: "other pitches and other channels do not cut each other",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 62, 100, 960), n(3, 1, 60, 200, 960)},
			want: []Note{n(1, 0, 60, 0, 960), n(2, 0, 62, 100, 960), n(3, 1, 60, 200, 960)},
		},
		{
			name: "a strike sooner than the minimum moves later, its note-off kept",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 60, 40, 600)},
			want: []Note{n(1, 0, 60, 0, m), n(2, 0, 60, m, 640-m)},

			wantChanged: 2,
		},
		{
			name: "a short moved strike keeps its own length",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 60, 10, 50)},
			want: []Note{n(1, 0, 60, 0, m), n(2, 0, 60, m, 50)},

			wantChanged: 2,
		},
		{
			name: "a strike moved past its note-off sounds for the minimum",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 60, 10, 200)},
			want: []Note{n(1, 0, 60, 0, m), n(2, 0, 60, m, m)},

			wantChanged: 2,
		},
		{
			name: "a note already shorter than the minimum is not cut",
			in:   []Note{n(1, 0, 60, 0, 60), n(2, 0, 60, 30, 480)},
			want: []Note{n(1, 0, 60, 0, 60), n(2, 0, 60, 60, 450)},

			wantChanged: 1,
		},
		{
			name: "doubled strikes at one tick are spread, none dropped",
			in:   []Note{n(3, 9, 36, 0, 120), n(1, 9, 36, 0, 120), n(2, 9, 36, 0, 120)},
			want: []Note{n(1, 9, 36, 0, m), n(2, 9, 36, m, m), n(3, 9, 36, 2*m, m)},

			wantChanged: 2,
		},
		{
			name: "a note without length stops nothing and is not moved",
			in:   []Note{n(1, 0, 60, 0, 960), n(2, 0, 60, 100, 0), n(3, 0, 60, 480, 480)},
			want: []Note{n(1, 0, 60, 0, 480), n(2, 0, 60, 100, 0), n(3, 0, 60, 480, 480)},

			wantChanged: 1,
		},
		{
			name: "a chord held over its own repetition",
			in: []Note{
				n(1, 0, 60, 0, 1920), n(2, 0, 64, 0, 1920), n(3, 0, 67, 0, 1920),
				n(4, 0, 60, 960, 960), n(5, 0, 64, 960, 960), n(6, 0, 67, 900, 960),
			},
			want: []Note{
				n(1, 0, 60, 0, 960), n(2, 0, 64, 0, 960), n(3, 0, 67, 0, 900),
				n(6, 0, 67, 900, 960), n(4, 0, 60, 960, 960), n(5, 0, 64, 960, 960),
			},
			wantChanged: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := append([]Note(nil), tc.in...)
			changed := Restrike(got)
			if changed != tc.wantChanged {
				t.Errorf("changed %d notes, want %d", changed, tc.wantChanged)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
			if o := overlaps(got); o != 0 {
				t.Errorf("%d overlaps left", o)
			}
		})
	}
}

// TestPieceRestrikeSharesChannels: two parts on one channel share its
// note-offs, so they are cleaned together, and each part stays sorted.
func TestPieceRestrikeSharesChannels(t *testing.T) {
	p := &Piece{Parts: []Part{
		{Name: "Right hand", Channel: 0, Notes: []Note{{ID: 1, Pitch: 60, Velocity: 70, Start: 0, Duration: 960}}},
		{Name: "Left hand", Channel: 0, Notes: []Note{{ID: 2, Pitch: 60, Velocity: 70, Start: 480, Duration: 480, Part: 1}}},
		{Name: "Bass", Channel: 1, Notes: []Note{{ID: 3, Channel: 1, Pitch: 60, Velocity: 70, Start: 100, Duration: 960, Part: 2}}},
	}}
	if n := p.Restrike(); n != 1 {
		t.Errorf("changed %d notes, want 1", n)
	}
	if d := p.Parts[0].Notes[0].Duration; d != 480 {
		t.Errorf("right hand's C4 lasts %d ticks, want 480 (until the left hand strikes it)", d)
	}
	if d := p.Parts[2].Notes[0].Duration; d != 960 {
		t.Errorf("the bass on another channel was cut to %d ticks", d)
	}
}

// FuzzRestrike: whatever the notes, Restrike leaves no two notes of one
// key sounding at once, keeps every note (id, pitch, velocity, channel,
// origin), never moves an onset earlier, never cuts a note below the
// minimum or its own length, and a second pass changes nothing.
func FuzzRestrike(f *testing.F) {
	f.Add([]byte{0, 60, 0, 8, 0, 60, 2, 8})
	f.Add([]byte{9, 36, 0, 1, 9, 36, 0, 1, 9, 36, 0, 1, 9, 36, 1, 4})
	f.Add([]byte{0, 60, 0, 255, 0, 60, 1, 3, 0, 60, 1, 0, 0, 61, 1, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		o := &Origin{Kind: MachineGenerated}
		var in []Note
		for i := 0; i+4 <= len(data) && len(in) < 200; i += 4 {
			in = append(in, Note{
				ID:       NoteID(len(in) + 1),
				Channel:  data[i] % 3,
				Pitch:    60 + data[i+1]%3,
				Velocity: 1 + data[i+1]%127,
				Start:    Ticks(data[i+2]) * 20,
				Duration: Ticks(data[i+3]) * 15,
				Origin:   o,
			})
		}
		got := append([]Note(nil), in...)
		Restrike(got)
		if n := overlaps(got); n != 0 {
			t.Fatalf("%d overlaps left in %v", n, got)
		}
		if len(got) != len(in) {
			t.Fatalf("%d notes in, %d out", len(in), len(got))
		}
		byID := map[NoteID]Note{}
		for _, n := range got {
			byID[n.ID] = n
		}
		for _, w := range in {
			g, ok := byID[w.ID]
			switch {
			case !ok:
				t.Fatalf("note %d dropped", w.ID)
			case g.Channel != w.Channel || g.Pitch != w.Pitch || g.Velocity != w.Velocity || g.Origin != w.Origin:
				t.Fatalf("note %d changed identity: %+v from %+v", w.ID, g, w)
			case g.Start < w.Start:
				t.Fatalf("note %d moved earlier: %d from %d", w.ID, g.Start, w.Start)
			case g.Duration < min(w.Duration, MinRestrikeLength):
				t.Fatalf("note %d cut to %d ticks from %d", w.ID, g.Duration, w.Duration)
			}
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if a.Start > b.Start || a.Start == b.Start && a.Pitch > b.Pitch {
				t.Fatalf("not sorted at %d: %v then %v", i, a, b)
			}
		}
		again := append([]Note(nil), got...)
		if n := Restrike(again); n != 0 {
			t.Fatalf("a second pass changed %d notes", n)
		}
	})
}

// BenchmarkRestrike cleans three choruses' worth of comping (4,000 notes
// of four-note chords, held a beat and a half, struck every beat, so a
// third of the notes overlap the next strike of their key).
func BenchmarkRestrike(b *testing.B) {
	var in []Note
	for i := 0; len(in) < 4000; i++ {
		for v := range 4 {
			in = append(in, Note{ID: NoteID(len(in) + 1), Pitch: uint8(60 + (i*5+v*3)%12), Velocity: 70, Start: Ticks(i) * PPQ, Duration: PPQ * 3 / 2})
		}
	}
	notes := make([]Note, len(in))
	for b.Loop() {
		copy(notes, in)
		Restrike(notes)
	}
}
