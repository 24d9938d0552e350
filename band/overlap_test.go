package band_test

import (
	"fmt"
	"sideman/band/lineup"
	"sort"
	"strings"
	"testing"

	"sideman/band"
	"sideman/feel"
	"sideman/music"
)

// cutNotes counts the notes that start while an earlier note of the same
// channel and pitch still sounds: MIDI's one note-off per key then stops
// both, and the second note is cut short or lost. It also returns the
// shortest note that ends where the next strike of its key begins (a note
// the band or the feel may have shortened to make room), 0 when none does.
func cutNotes(notes []music.Note) (cut int, shortest music.Ticks) {
	type key struct{ ch, pitch uint8 }
	by := map[key][]music.Note{}
	for _, n := range notes {
		if n.Duration > 0 {
			k := key{n.Channel, n.Pitch}
			by[k] = append(by[k], n)
		}
	}
	for _, ns := range by {
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].Start < ns[j].Start })
		end := ns[0].End()
		for i := 1; i < len(ns); i++ {
			if ns[i].Start < end {
				cut++
			}
			if p := ns[i-1]; p.End() == ns[i].Start && (shortest == 0 || p.Duration < shortest) {
				shortest = p.Duration
			}
			end = max(end, ns[i].End())
		}
	}
	return cut, shortest
}

// overlapTunes are every 27th JazzStandards tune: 52 tunes in all
// meters, forms and keys the collection has.
func overlapTunes(tb testing.TB) []*music.Chart {
	var out []*music.Chart
	for i, c := range standards(tb) {
		if i%27 == 0 {
			out = append(out, c)
		}
	}
	return out
}

// TestNoCutNotes plays 52 JazzStandards tunes in every built-in style,
// two choruses (with an intro and an ending on every other tune), on the
// grid and humanized with the style's own feel as `sideman band` plays
// them: no note may start while the same key still sounds on its channel,
// no note the band or the feel shortened may be shorter than a 32nd
// (music.MinRestrikeLength), and the feel keeps every note.
func TestNoCutNotes(t *testing.T) {
	tunes := overlapTunes(t)
	if len(tunes) < 50 {
		t.Fatalf("%d tunes, want at least 50", len(tunes))
	}
	var report strings.Builder
	for _, st := range band.Styles() {
		prof, ok := feel.Builtin(st.FeelName())
		if !ok {
			t.Fatalf("%s: no built-in feel %q", st.Name, st.FeelName())
		}
		grid, felt := map[string]int{}, map[string]int{}
		total := map[string]int{}
		for k, c := range tunes {
			p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 2, Seed: int64(k), Intro: k%2 == 1, Ending: k%2 == 1})
			if err == band.ErrNoChords {
				continue
			}
			if err != nil {
				t.Fatalf("%s, %q: %v", st.Name, c.Title, err)
			}
			h := feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: uint64(k)})
			p = feel.Swing(p) // the grid as --feel none plays it
			for i, part := range p.Parts {
				total[part.Name] += len(part.Notes)
				n, short := cutNotes(part.Notes)
				grid[part.Name] += n
				if short > 0 && short < music.MinRestrikeLength {
					t.Errorf("%s, %q, %s on the grid: a note cut to %d ticks", st.Name, c.Title, part.Name, short)
				}
				if len(h.Parts[i].Notes) != len(part.Notes) {
					t.Errorf("%s, %q, %s: the feel made %d notes of %d", st.Name, c.Title, part.Name, len(h.Parts[i].Notes), len(part.Notes))
				}
				n, short = cutNotes(h.Parts[i].Notes)
				felt[part.Name] += n
				if short > 0 && short < music.MinRestrikeLength {
					t.Errorf("%s, %q, %s with %s: a note cut to %d ticks", st.Name, c.Title, part.Name, prof.Name, short)
				}
			}
		}
		var names []string
		for name := range total {
			names = append(names, name)
		}
		sort.Strings(names)
		fmt.Fprintf(&report, "\n%-15s %-14s", st.Name, prof.Name)
		for _, name := range names {
			fmt.Fprintf(&report, " %s %d/%d/%d", name, grid[name], felt[name], total[name])
			if grid[name] > 0 || felt[name] > 0 {
				t.Errorf("%s: %s has %d cut notes on the grid and %d with the %s feel, of %d", st.Name, name, grid[name], felt[name], prof.Name, total[name])
			}
		}
	}
	t.Logf("cut notes over %d tunes (part grid/felt/notes):%s", len(tunes), report.String())
}
