package analyze

import (
	"sort"
	"strings"

	"sideman/music"
)

// Notes struck together: a bass double stop within a 64th note; a comping
// voicing within a 32nd note, so a pianist's rolled ballad chord (spread
// over some 100 ms) is one voicing and not two.
const (
	onsetTolerance   = music.PPQ / 16
	voicingTolerance = music.PPQ / 8
)

// players is what each instrument of the piece played, found by part.
type players struct {
	bass, piano []music.Note // sorted by start, then pitch
	names       map[string]string
	counts      map[string]int // notes by instrument, for notes per bar
}

// roleByName reads an instrument from a part's name, as plain MIDI files
// name their tracks ("Acoustic Bass", "Piano", "Drum Kit").
func roleByName(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "bass") && !strings.Contains(n, "drum") && !strings.Contains(n, "clarinet") && !strings.Contains(n, "sax"):
		return music.RoleBass
	case strings.Contains(n, "drum") || strings.Contains(n, "kit") || strings.Contains(n, "percussion"):
		return music.RoleDrums
	case strings.Contains(n, "piano") || strings.Contains(n, "keys") || strings.Contains(n, "rhodes") ||
		strings.Contains(n, "comp") || strings.Contains(n, "chords"):
		return music.RolePiano
	case strings.Contains(n, "guitar"):
		return music.RoleGuitar
	case strings.Contains(n, "solo") || strings.Contains(n, "melody") || strings.Contains(n, "lead"):
		return music.RoleMelody
	}
	return ""
}

// findPlayers picks the bass and comping parts: by Role where the piece
// has them (band.Play and files sideman wrote), else by track name, by
// channel 10 for drums, and by register (the lowest part, when it sits
// low and plays one note at a time, is the bass). A piece with a chordal
// part and no bass (block chords) gives that part's lowest voice to the
// bass. Only notes struck before end count: a piece that goes on past
// the form analysed is measured over the form.
func findPlayers(p *music.Piece, end music.Ticks) players {
	pl := players{names: map[string]string{}, counts: map[string]int{}}
	roles := make([]string, len(p.Parts))
	for i := range p.Parts {
		part := &p.Parts[i]
		r := part.Role
		if r == "" {
			r = roleByName(part.Name)
		}
		if r == "" && part.Channel == 9 {
			r = music.RoleDrums
		}
		if r == "" && part.Program >= 0 && part.Program < 8 {
			r = music.RolePiano // General MIDI's pianos
		}
		if r == "" && part.Program >= 32 && part.Program < 40 {
			r = music.RoleBass
		}
		roles[i] = r
	}
	find := func(role string) int {
		for i, r := range roles {
			if r == role && len(p.Parts[i].Notes) > 0 {
				return i
			}
		}
		return -1
	}
	bi, pi := find(music.RoleBass), find(music.RolePiano)
	if bi < 0 {
		// By register: the lowest unnamed part, if it sits below G3 and
		// plays one note at a time.
		low := 128.0
		for i, r := range roles {
			if r != "" || len(p.Parts[i].Notes) == 0 {
				continue
			}
			if m := meanPitch(p.Parts[i].Notes); m < low && m < 55 && chordShare(p.Parts[i].Notes) < 0.2 {
				bi, low = i, m
			}
		}
		if bi >= 0 {
			roles[bi] = music.RoleBass
		}
	}
	if pi < 0 {
		// The most chordal unnamed part comps.
		best := 0.5
		for i, r := range roles {
			if r == "" && len(p.Parts[i].Notes) > 0 {
				if s := chordShare(p.Parts[i].Notes); s >= best {
					pi, best = i, s
				}
			}
		}
		if pi >= 0 {
			roles[pi] = music.RolePiano
		}
	}
	if bi >= 0 {
		pl.bass = monophonic(before(p.Parts[bi].Notes, end))
		pl.names[music.RoleBass] = p.Parts[bi].Name
	}
	if pi >= 0 {
		pl.piano = before(p.Parts[pi].Notes, end)
		pl.names[music.RolePiano] = p.Parts[pi].Name
		if bi < 0 && chordShare(pl.piano) >= 0.8 {
			pl.bass, pl.piano = splitLowest(pl.piano)
			pl.names[music.RoleBass] = p.Parts[pi].Name + " (lowest voice)"
			pl.names[music.RolePiano] = p.Parts[pi].Name + " (upper voices)"
			pl.counts[music.RoleBass] += len(pl.bass)
			pl.counts[music.RolePiano] += len(pl.piano)
			roles[pi] = "-" // counted already
		}
	}
	for i, r := range roles {
		switch r {
		case "-":
			continue
		case "":
			r = strings.ToLower(strings.TrimSpace(p.Parts[i].Name))
			if r == "" {
				r = "part"
			}
		}
		if r == music.RoleDrums && pl.names[r] == "" {
			pl.names[r] = p.Parts[i].Name
		}
		pl.counts[r] += len(before(p.Parts[i].Notes, end))
	}
	return pl
}

// before is the notes struck before end (notes sorted by start).
func before(ns []music.Note, end music.Ticks) []music.Note {
	return ns[:sort.Search(len(ns), func(i int) bool { return ns[i].Start >= end })]
}

func meanPitch(ns []music.Note) float64 {
	s := 0
	for _, n := range ns {
		s += int(n.Pitch)
	}
	return float64(s) / float64(len(ns))
}

// chordShare is the share of notes struck together with another.
func chordShare(ns []music.Note) float64 {
	if len(ns) == 0 {
		return 0
	}
	in := 0
	forGroups(ns, onsetTolerance, func(g []music.Note) {
		if len(g) > 1 {
			in += len(g)
		}
	})
	return float64(in) / float64(len(ns))
}

// forGroups calls fn with each run of notes struck together (notes sorted
// by start): starts within tol of the run's first note.
func forGroups(ns []music.Note, tol music.Ticks, fn func([]music.Note)) {
	for i := 0; i < len(ns); {
		j := i + 1
		for j < len(ns) && ns[j].Start-ns[i].Start <= tol {
			j++
		}
		fn(ns[i:j])
		i = j
	}
}

// monophonic keeps the lowest note of notes struck together: a bass line
// with a double stop is analysed by its bottom.
func monophonic(ns []music.Note) []music.Note {
	out := make([]music.Note, 0, len(ns))
	forGroups(ns, onsetTolerance, func(g []music.Note) {
		low := g[0]
		for _, n := range g[1:] {
			if n.Pitch < low.Pitch {
				low = n
			}
		}
		out = append(out, low)
	})
	return out
}

// splitLowest takes the lowest note of every chord as the bass line and
// leaves the rest as the comping.
func splitLowest(ns []music.Note) (bass, upper []music.Note) {
	forGroups(ns, onsetTolerance, func(g []music.Note) {
		low := 0
		for k := range g {
			if g[k].Pitch < g[low].Pitch {
				low = k
			}
		}
		bass = append(bass, g[low])
		for k := range g {
			if k != low {
				upper = append(upper, g[k])
			}
		}
	})
	return bass, upper
}
