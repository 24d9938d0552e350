package harmony_test

import (
	"errors"
	"path/filepath"
	"testing"

	"sideman/harmony"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
	"sideman/project"
)

// agreement is how many beats the heard chart and the written one agree
// on: the root, and the root with its third (major, minor or none).
type agreement struct{ beats, root, third int }

func (a *agreement) add(written, heard *music.Chart) {
	ws, hs := music.Spans(written.Unroll(1)), music.Spans(heard.Unroll(1))
	at := func(spans []music.ChordSpan, t music.Ticks) (music.Chord, bool) {
		for _, s := range spans {
			if t >= s.Start && t < s.Start+s.Duration {
				return s.Chord, true
			}
		}
		return music.Chord{}, false
	}
	for _, s := range ws {
		if s.Chord.NoChord {
			continue
		}
		for t := s.Start; t < s.Start+s.Duration; t += music.PPQ {
			h, ok := at(hs, t)
			a.beats++
			if !ok || h.NoChord {
				continue
			}
			if h.Root.PitchClass() == s.Chord.Root.PitchClass() {
				a.root++
				if h.Third == s.Chord.Third || s.Chord.Third == 0 {
					a.third++
				}
			}
		}
	}
}

// The chords heard in the Nottingham tunes played as a notation program
// plays a lead sheet (melody over block chords, project.LeadSheet) are
// the chords written, beat for beat, most of the time: the melody's
// passing notes are not taken for chord changes.
func TestHearsNottinghamLeadSheets(t *testing.T) {
	dir := filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned")
	var all agreement
	tunes := 0
	for d, err := range load.Collection(dir) {
		if err != nil {
			continue
		}
		for _, c := range d.Charts {
			if c.Pickup() || len(c.Parts) == 0 {
				continue
			}
			heard, err := harmony.Chart(project.LeadSheet(c, 1, nil))
			if err != nil {
				t.Fatalf("%s: %v", c.Title, err)
			}
			all.add(c, heard)
			tunes++
		}
	}
	if tunes < 300 {
		t.Fatalf("heard %d tunes; the corpus has about a thousand", tunes)
	}
	root, third := float64(all.root)/float64(all.beats), float64(all.third)/float64(all.beats)
	t.Logf("%d tunes, %d beats: root heard right %.1f%%, root and third %.1f%%", tunes, all.beats, 100*root, 100*third)
	if root < 0.85 || third < 0.8 {
		t.Errorf("root %.3f, root and third %.3f: want at least 0.85 and 0.8", root, third)
	}
}

// A real MIDI rendering (Nottingham's, with its melody, a chord track and
// no chord symbols) is heard in its key, over the chords its ABC source
// writes: most beats' roots are among those chords' roots.
func TestHearsNottinghamMIDI(t *testing.T) {
	arch := shareddata.File(t, "nottingham/nottingham-MIDI.tar.gz")
	ms, data, err := shareddata.ReadTarGz(arch, func(n string) bool { return n == "nottingham-midi/MIDI/ashover1.mid" })
	if err != nil || len(ms) != 1 {
		t.Fatalf("ashover1.mid: %v (%d found)", err, len(ms))
	}
	d, err := load.Bytes("ashover1.mid", data[0])
	if err != nil {
		t.Fatal(err)
	}
	c, err := harmony.Chart(d.Piece)
	if err != nil {
		t.Fatal(err)
	}
	src, err := load.Open(filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "ashover.abc"))
	if err != nil {
		t.Fatal(err)
	}
	written, err := src.Tune("A and A's Waltz")
	if err != nil {
		t.Fatal(err)
	}
	roots := map[int]bool{}
	for _, b := range written.Bars {
		for _, ch := range b.Chords {
			roots[ch.Chord.Root.PitchClass()] = true
		}
	}
	if k := c.KeyOrDefault(); k.Tonic.PitchClass() != written.KeyOrDefault().Tonic.PitchClass() {
		t.Errorf("heard in %s; the tune is in %s", k, written.KeyOrDefault())
	}
	in, beats := 0, 0
	for _, s := range music.Spans(c.Unroll(1)) {
		n := int(s.Duration / music.PPQ)
		beats += n
		if roots[s.Chord.Root.PitchClass()] {
			in += n
		}
	}
	t.Logf("%d bars heard; %d of %d beats on a root the ABC writes", len(c.Bars), in, beats)
	if len(c.Bars) < 16 || float64(in) < 0.75*float64(beats) {
		t.Errorf("%d bars, %d of %d beats on the written roots", len(c.Bars), in, beats)
	}
}

func TestDrumsAloneHaveNoChords(t *testing.T) {
	p := &music.Piece{Parts: []music.Part{{Role: music.RoleDrums, Channel: 9, Notes: []music.Note{{Pitch: 36, Velocity: 90, Duration: music.PPQ}}}}}
	if _, err := harmony.Chart(p); !errors.Is(err, harmony.ErrNoNotes) {
		t.Fatalf("drums alone: %v, want ErrNoNotes", err)
	}
}

// A bar of C major then G7 halves is heard as two chords, and a silent
// bar after keeps the G7.
func TestHalfBarChange(t *testing.T) {
	var notes []music.Note
	add := func(start music.Ticks, pitches ...uint8) {
		for _, p := range pitches {
			notes = append(notes, music.Note{Pitch: p, Velocity: 80, Start: start, Duration: 2 * music.PPQ})
		}
	}
	add(0, 48, 64, 67, 72)
	add(2*music.PPQ, 43, 59, 65, 71)
	add(8*music.PPQ, 48, 64, 67)
	c, err := harmony.Chart(&music.Piece{Parts: []music.Part{{Notes: notes}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.Bars {
		s := "|"
		for _, ch := range b.Chords {
			s += " " + ch.Chord.String()
		}
		got = append(got, s)
	}
	if len(got) != 3 || got[0] != "| C G7" || got[1] != "|" || got[2] != "| C" {
		t.Errorf("heard %q, want [| C G7, |, | C]", got)
	}
}
