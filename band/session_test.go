package band_test

import (
	"slices"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/format/chart"
	"sideman/music"
)

// A player hears, call after call, the human's notes given with the call
// sorted by start, then the band's notes of the bars the call played;
// what it heard before stays as it was (heard only grows at its end), and
// the caller's slice keeps its order.
func TestNextHeardOrder(t *testing.T) {
	charts, err := chart.DecodeBytes([]byte(blues))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := band.LookupStyle("medium swing")
	spyStyle := *st
	spyStyle.Players = map[string]string{}
	for role, name := range st.Players {
		spyStyle.Players[role] = name
	}
	spyStyle.Players["guitar"] = "spy"
	var calls [][]music.Note // heard at each call, copied
	l := lineup.Standard()
	l.Add("guitar", "spy", func(*band.Gig) band.Player {
		return band.PlayerFunc(func(from, to int, heard []music.Note) []music.Note {
			calls = append(calls, slices.Clone(heard))
			return nil
		})
	})
	b, err := band.New(charts[0], band.Options{Lineup: l, Style: &spyStyle, Seed: 1, CountIn: 1, IDs: music.NewIDs(1)})
	if err != nil {
		t.Fatal(err)
	}
	bar := b.Gig().Bars
	human := func(i int) []music.Note {
		// Out of order, as a live input may deliver them: the last beat
		// first, two notes at once.
		s := bar[i].Start
		return []music.Note{
			{ID: music.NoteID(9000 + 3*i), Pitch: 72, Start: s + 3*music.PPQ, Duration: music.PPQ, Velocity: 90},
			{ID: music.NoteID(9001 + 3*i), Pitch: 65, Start: s, Duration: music.PPQ, Velocity: 90},
			{ID: music.NoteID(9002 + 3*i), Pitch: 60, Start: s, Duration: music.PPQ, Velocity: 90},
		}
	}
	var want []music.Note // what the band should have heard so far
	var given [][]music.Note
	first := true
	for i := 0; !b.Done(); i++ {
		var h []music.Note
		if i > 0 {
			h = human(i - 1) // what the human played over the bar before
			given = append(given, slices.Clone(h))
		}
		callsBefore := len(calls)
		out := b.Next(1, h)
		if len(calls) != callsBefore+1 {
			t.Fatalf("call %d: the spy was asked %d times", i, len(calls)-callsBefore)
		}
		got := calls[len(calls)-1]
		if first {
			// The count-in opens what is heard.
			if len(got) == 0 || got[0].Origin == nil || got[0].Origin.Generator == "" {
				t.Fatalf("call 0: heard %d notes, want the count-in first", len(got))
			}
			want = slices.Clone(got)
			first = false
		} else {
			sorted := slices.Clone(h)
			music.SortNotes(sorted)
			want = append(want, sorted...)
		}
		if !slices.EqualFunc(got, want, sameNote) {
			t.Fatalf("call %d: heard %d notes, want %d: the earlier ones unchanged, then the human's by start", i, len(got), len(want))
		}
		if i > 0 && (got[len(got)-3].Pitch != 60 || got[len(got)-2].Pitch != 65 || got[len(got)-1].Pitch != 72) {
			t.Errorf("call %d: the human's notes heard as %v", i, got[len(got)-3:])
		}
		if i > 0 && !slices.EqualFunc(h, given[len(given)-1], sameNote) {
			t.Errorf("call %d: Next reordered the caller's notes", i)
		}
		want = append(want, out...)
	}
	if len(calls) != len(bar) {
		t.Errorf("%d calls for %d bars", len(calls), len(bar))
	}
}

func sameNote(a, b music.Note) bool {
	return a.ID == b.ID && a.Pitch == b.Pitch && a.Start == b.Start && a.Duration == b.Duration
}

// Outside a project (no IDs), a performance takes ids of its own, keyed by
// the chart and the options: the same performance the same ids, another
// seed or chart other ids, all above the chart's written notes. So do
// BlockChords.
func TestIDsOutsideAProject(t *testing.T) {
	charts, err := chart.DecodeBytes([]byte(blues))
	if err != nil {
		t.Fatal(err)
	}
	c := charts[0]
	// One written note with a high id, as load gives a lead sheet's.
	c.Parts = []music.Part{{Name: "Melody"}}
	c.Bars[0].Notes = []music.Note{{ID: 1 << 40, Pitch: 72, Velocity: 80, Duration: music.PPQ}}
	st, _ := band.LookupStyle("medium swing")
	play := func(seed int64, c *music.Chart) []music.NoteID {
		p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return pieceIDs(t, p, c.MaxID())
	}
	a, again, other := play(1, c), play(1, c), play(2, c)
	if !slices.Equal(a, again) {
		t.Error("the same performance twice: other ids")
	}
	other2 := *c
	other2.Title = "Another Blues"
	for name, ids := range map[string][]music.NoteID{"seed 2": other, "another chart": play(1, &other2)} {
		for _, id := range ids {
			if slices.Contains(a, id) {
				t.Errorf("%s: id %d of seed 1's", name, id)
				break
			}
		}
	}
	bc := pieceIDs(t, band.BlockChords(c, 2), c.MaxID())
	if !slices.Equal(bc, pieceIDs(t, band.BlockChords(c, 2), c.MaxID())) {
		t.Error("BlockChords twice: other ids")
	}
	with := pieceIDs(t, band.BlockChordsWith(c, 2, music.NewIDs(5)), 4)
	if with[0] != 5 || with[len(with)-1] != music.NoteID(4+len(with)) {
		t.Errorf("BlockChordsWith ids from 5: %d..%d, want 5..%d", with[0], with[len(with)-1], 4+len(with))
	}
}

// pieceIDs lists the ids of a piece's notes in part order, checking that
// none is 0, none repeats and all lie above least.
func pieceIDs(t *testing.T, p *music.Piece, least music.NoteID) []music.NoteID {
	t.Helper()
	var ids []music.NoteID
	seen := map[music.NoteID]bool{}
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			if n.ID <= least || seen[n.ID] {
				t.Fatalf("note id %d: given twice or not above %d", n.ID, least)
			}
			seen[n.ID] = true
			ids = append(ids, n.ID)
		}
	}
	return ids
}

// With no IDs, the notes a melody plays again take ids above the written
// ones even when the band played none (all muted): they collided with a
// lead sheet numbered from 1.
func TestMelodyIDsAboveWritten(t *testing.T) {
	charts, err := chart.DecodeBytes([]byte(blues))
	if err != nil {
		t.Fatal(err)
	}
	c := charts[0]
	c.Parts = []music.Part{{Name: "Melody"}}
	for i := range 4 {
		c.Bars[i].Notes = []music.Note{{ID: music.NoteID(i + 1), Pitch: 72, Velocity: 80, Duration: music.PPQ}}
	}
	st, _ := band.LookupStyle("medium swing")
	opt := band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Mute: map[string]bool{"bass": true, "piano": true, "guitar": true, "drums": true}}
	p, err := band.Play(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	n, err := band.WithMelody(p, opt, band.HeadAll)
	if err != nil || n != 8 {
		t.Fatalf("%d melody notes, %v; want 8", n, err)
	}
	ids := pieceIDs(t, p, 0) // none twice
	if len(ids) != 8 {
		t.Errorf("%d notes, want the 8 of the melody", len(ids))
	}
}
