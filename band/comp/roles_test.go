package comp_test

import (
	"fmt"
	"sideman/band/lineup"
	"testing"

	"sideman/band"
	"sideman/examples"
	"sideman/music"
)

// together is how two comping parts share the band, measured on their
// notes: strokes per bar (a rolled chord is one stroke), strokes struck
// at the same tick by both, and of those the ones off the bar's first
// beat and the chord changes (the rhythm the two share; a band meets on
// the downbeat and the change); the share of the piano's notes that
// sound inside the guitar's compass at that moment (between the lowest
// and the highest guitar key sounding); and the mean distance in
// semitones between the two parts' centres (mean key per bar, over the
// bars both play in).
type together struct {
	bars                         int
	piano, guitar, both, offBeat int
	pianoNotes, inside           int
	centreSum                    float64
	centreBars                   int
}

func (m *together) add(piano, guitar []music.Note, bars []music.PlayedBar) {
	meet := map[music.Ticks]bool{}
	for _, pb := range bars {
		meet[pb.Start] = true
	}
	for _, sp := range music.Spans(bars) {
		meet[sp.Start] = true
	}
	// A stroke is a run of onsets each within 120 ticks of the one
	// before: a rolled chord (its voices 40 ticks apart) is one stroke,
	// struck when its first voice is.
	onsets := func(ns []music.Note) map[music.Ticks]bool {
		s := map[music.Ticks]bool{}
		last := music.Ticks(-1 << 30)
		for _, n := range ns {
			if n.Start-last > 120 {
				s[n.Start] = true
			}
			last = n.Start
		}
		return s
	}
	po, gu := onsets(piano), onsets(guitar)
	m.bars += len(bars)
	m.piano += len(po)
	m.guitar += len(gu)
	for t := range po {
		if gu[t] {
			m.both++
			if !meet[t] {
				m.offBeat++
			}
		}
	}
	for _, n := range piano {
		lo, hi := 128, -1
		for _, g := range guitar {
			if g.Start <= n.Start && g.Start+g.Duration > n.Start {
				lo, hi = min(lo, int(g.Pitch)), max(hi, int(g.Pitch))
			}
		}
		m.pianoNotes++
		if int(n.Pitch) >= lo && int(n.Pitch) <= hi {
			m.inside++
		}
	}
	for _, pb := range bars {
		mean := func(ns []music.Note) (float64, bool) {
			s, k := 0.0, 0
			for _, n := range ns {
				if n.Start >= pb.Start && n.Start < pb.End() {
					s += float64(n.Pitch)
					k++
				}
			}
			return s / float64(max(k, 1)), k > 0
		}
		p, okp := mean(piano)
		g, okg := mean(guitar)
		if okp && okg {
			m.centreSum += p - g
			m.centreBars++
		}
	}
}

func (m *together) perBar(n int) float64 { return float64(n) / float64(max(m.bars, 1)) }
func (m *together) insideShare() float64 {
	return float64(m.inside) / float64(max(m.pianoNotes, 1))
}
func (m *together) centres() float64 { return m.centreSum / float64(max(m.centreBars, 1)) }

func (m *together) String() string {
	return fmt.Sprintf("%d bars: piano %.2f strokes a bar, guitar %.2f; %.2f a bar together, %.2f off the downbeats and changes; %.1f%% of the piano's notes inside the guitar's compass; piano centre %+.1f semitones from the guitar's",
		m.bars, m.perBar(m.piano), m.perBar(m.guitar), m.perBar(m.both), m.perBar(m.offBeat), 100*m.insideShare(), m.centres())
}

// bothCompers lists the built-in styles where piano and guitar both comp.
func bothCompers() []*band.Style {
	var out []*band.Style
	for _, st := range band.Styles() {
		p, g := st.Players["piano"], st.Players["guitar"]
		if p != "" && p != "none" && g != "" && g != "none" {
			out = append(out, st)
		}
	}
	return out
}

// playTogether plays a chart with piano and guitar alone and measures them.
func playTogether(tb testing.TB, m *together, st *band.Style, c *music.Chart, choruses int, seed int64) {
	tb.Helper()
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: choruses, Seed: seed, Mute: map[string]bool{"bass": true, "drums": true}})
	if err != nil {
		tb.Fatalf("%s %s: %v", st.Name, c.Title, err)
	}
	var piano, guitar []music.Note
	for _, part := range p.Parts {
		switch part.Role {
		case "piano":
			piano = part.Notes
		case "guitar":
			guitar = part.Notes
		}
	}
	m.add(piano, guitar, band.Form(c, choruses, false, false))
}

// Piano and guitar take different roles wherever a style has both.
// Rhythm: at most 0.25 strokes a bar struck together off the downbeats
// and the chord changes (where a band meets; the same rhythm shares 1 to
// 6 a bar more). Density: the piano at most half as many strokes as the
// guitar. Register: at most 10% of the piano's notes inside the guitar's
// compass (voicings in the same register put half or more there) and the
// two centres at least 7 semitones apart (a fifth: two registers to the
// ear, as a pianist's right hand over a guitar's chord).
func TestCompingRoles(t *testing.T) {
	styles := bothCompers()
	if len(styles) == 0 {
		t.Fatal("no style has both piano and guitar")
	}
	for _, st := range styles {
		var m together
		for i, name := range examples.Names() {
			playTogether(t, &m, st, exampleChart(t, name), 2, int64(i+1))
		}
		t.Logf("%s: %s", st.Name, &m)
		checkRoles(t, st.Name, &m)
	}
}

func checkRoles(t *testing.T, name string, m *together) {
	t.Helper()
	if c := m.perBar(m.offBeat); c > 0.25 {
		t.Errorf("%s: %.2f strokes a bar struck together off the downbeats and changes, want at most 0.25", name, c)
	}
	if m.piano*2 > m.guitar {
		t.Errorf("%s: the piano strikes %.2f a bar, the guitar %.2f: want the piano at most half", name, m.perBar(m.piano), m.perBar(m.guitar))
	}
	if s := m.insideShare(); s > 0.10 {
		t.Errorf("%s: %.1f%% of the piano's notes inside the guitar's compass, want at most 10%%", name, 100*s)
	}
	if d := m.centres(); d < 7 && d > -7 {
		t.Errorf("%s: centres %.1f semitones apart, want at least 7", name, d)
	}
}

// The same over 60 JazzStandards tunes (every 23rd), one chorus each.
func TestCompingRolesStandards(t *testing.T) {
	charts := jazzStandards(t)
	for _, st := range bothCompers() {
		var m together
		n := 0
		for i := 0; i < len(charts) && n < 60; i += 23 {
			if _, err := band.Play(charts[i], band.Options{Lineup: lineup.Standard(), Style: st, Mute: map[string]bool{"bass": true, "drums": true, "guitar": true}}); err == band.ErrNoChords {
				continue
			}
			playTogether(t, &m, st, charts[i], 1, int64(i))
			n++
		}
		t.Logf("%s, %d tunes: %s", st.Name, n, &m)
		checkRoles(t, st.Name, &m)
	}
}

// The rock guitar's driving eighths change chord on the change's beat,
// with the bass: no stroke before a change plays the next chord's power
// chord while the bass is still on the old root (the eighth before a
// mid-bar change used to anticipate it, every time).
func TestRockGuitarChangesOnTheBeat(t *testing.T) {
	g := music.MustParseChord
	bars := []music.Bar{}
	for _, pair := range [][2]string{{"C", "G"}, {"Am", "F"}, {"D", "A"}, {"E", "B"}} {
		bars = append(bars, music.Bar{Chords: []music.ChordAt{{Chord: g(pair[0])}, {Offset: 2 * music.PPQ, Chord: g(pair[1])}}})
	}
	c := &music.Chart{Title: "changes", Tempo: 120, Bars: bars}
	st, ok := band.LookupStyle("rock")
	if !ok {
		t.Fatal("no rock style")
	}
	p, err := band.Play(c, band.Options{Lineup: lineup.Standard(), Style: st, Choruses: 4, Seed: 2, Mute: map[string]bool{"bass": true, "drums": true}})
	if err != nil {
		t.Fatal(err)
	}
	spans := music.Spans(band.Form(c, 4, false, false))
	chordAt := func(at music.Ticks) music.Chord {
		ch := music.NC
		for _, s := range spans {
			if s.Start <= at {
				ch = s.Chord
			}
		}
		return ch
	}
	strokes, early := 0, 0
	for _, part := range p.Parts {
		if part.Role != music.RoleGuitar {
			continue
		}
		low := map[music.Ticks]uint8{}
		for _, n := range part.Notes {
			if l, ok := low[n.Start]; !ok || n.Pitch < l {
				low[n.Start] = n.Pitch
			}
		}
		for at, key := range low {
			strokes++
			if ch := chordAt(at); !ch.NoChord && int(key)%12 != int(ch.Root.PitchClass()) {
				early++
			}
		}
	}
	if strokes < 100 || early != 0 {
		t.Errorf("%d of %d guitar strokes play another root than the chord sounding", early, strokes)
	}
}
