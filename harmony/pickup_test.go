package harmony_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"sideman/harmony"
	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/music"
)

// nottinghamPair is a Nottingham tune as its MIDI rendering and as its
// ABC source writes it.
type nottinghamPair struct {
	name    string // the MIDI file's name, "jigs12.mid"
	midi    []byte
	written *music.Chart
}

// nottinghamPairs reads the Nottingham MIDI files with their ABC tunes:
// "jigs12.mid" is tune X: 12 of jigs.abc, each tune read on its own so
// that a tune that cannot be read leaves the others paired right.
// dir is the folder of the archive read: "MIDI" for melody and chords,
// "MIDI/melody" for the melodies alone.
func nottinghamPairs(t *testing.T, dir string) []nottinghamPair {
	t.Helper()
	midiName := regexp.MustCompile(`^nottingham-midi/` + dir + `/([a-z-]+)([0-9]+)\.mid$`)
	arch := shareddata.File(t, "nottingham/nottingham-MIDI.tar.gz")
	abcDir := filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned")
	ms, data, err := shareddata.ReadTarGz(arch, func(n string) bool { return midiName.MatchString(n) })
	if err != nil {
		t.Fatal(err)
	}
	books := map[string]map[int][]byte{}
	var pairs []nottinghamPair
	for i, m := range ms {
		sub := midiName.FindStringSubmatch(m.Name)
		book := sub[1]
		if books[book] == nil {
			src, err := os.ReadFile(filepath.Join(abcDir, book+".abc"))
			if err != nil {
				t.Fatal(err)
			}
			books[book] = splitTunes(src)
		}
		x, _ := strconv.Atoi(sub[2])
		tune, ok := books[book][x]
		if !ok {
			continue
		}
		d, err := load.Bytes(fmt.Sprintf("%s-%d.abc", book, x), tune)
		if err != nil || len(d.Charts) != 1 {
			continue
		}
		pairs = append(pairs, nottinghamPair{filepath.Base(m.Name), data[i], d.Charts[0]})
	}
	if len(pairs) < 900 {
		t.Fatalf("paired %d Nottingham MIDI files with their ABC tunes; there are about a thousand", len(pairs))
	}
	return pairs
}

// shortFirstBar is an ABC tune that starts with a pickup: its first bar
// is shorter than the second (with a repeat sign on it or not).
func shortFirstBar(c *music.Chart) bool {
	ms := c.BarMeters()
	return len(ms) > 1 && ms[0].BarTicks() < ms[1].BarTicks()
}

// splitTunes cuts an ABC tune book into its tunes by X: number.
func splitTunes(src []byte) map[int][]byte {
	tunes := map[int][]byte{}
	x := -1
	var cur []byte
	for line := range bytes.Lines(src) {
		if bytes.HasPrefix(line, []byte("X:")) {
			if x >= 0 {
				tunes[x] = cur
			}
			x, _ = strconv.Atoi(string(bytes.TrimSpace(line[2:])))
			cur = nil
		}
		cur = append(cur, line...)
	}
	if x >= 0 {
		tunes[x] = cur
	}
	return tunes
}

// The Nottingham MIDI files heard are the chords their ABC sources
// write, beat for beat, as often for the tunes that start with a pickup
// as for the others: the pickup is heard as one and bar 1 starts on the
// first full bar.
func TestHearsNottinghamMIDIPickups(t *testing.T) {
	var with, without agreement
	tunes := [2]int{}
	for _, p := range nottinghamPairs(t, "MIDI") {
		d, err := load.Bytes(p.name, p.midi)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		heard, err := harmony.Chart(d.Piece)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if shortFirstBar(p.written) {
			with.add(p.written, heard)
			tunes[1]++
		} else {
			without.add(p.written, heard)
			tunes[0]++
		}
	}
	rw, rwo := float64(with.root)/float64(with.beats), float64(without.root)/float64(without.beats)
	t.Logf("with a pickup: %d tunes, %d beats, root right %.1f%%, root and third %.1f%%", tunes[1], with.beats, 100*rw, 100*float64(with.third)/float64(with.beats))
	t.Logf("without: %d tunes, %d beats, root right %.1f%%, root and third %.1f%%", tunes[0], without.beats, 100*rwo, 100*float64(without.third)/float64(without.beats))
	if rw < 0.8 || rw < rwo-0.03 {
		t.Errorf("root right on %.1f%% of the pickup tunes' beats, %.1f%% of the others': want 80%% or more, within 3 points", 100*rw, 100*rwo)
	}
}

// shifted is a MIDI file's piece with its leading silence cut: a
// pickup played from tick 0, as a sequencer that counts bars from the
// first note writes it. by is how far it moved.
func shifted(p *music.Piece) (q *music.Piece, by music.Ticks) {
	by = -1
	for _, part := range p.Parts {
		for _, n := range part.Notes {
			if by < 0 || n.Start < by {
				by = n.Start
			}
		}
	}
	q = &music.Piece{Title: p.Title, Keys: p.Keys, Tempo: p.Tempo}
	for _, m := range p.Meters {
		m.At = max(0, m.At-by)
		q.Meters = append(q.Meters, m)
	}
	for _, part := range p.Parts {
		part.Notes = slices.Clone(part.Notes)
		for i := range part.Notes {
			part.Notes[i].Start -= by
		}
		q.Parts = append(q.Parts, part)
	}
	return q, by
}

// A pickup played from tick 0, with no time signature to say so, is
// heard from where the notes put the strong beats: the Nottingham tunes
// that start with one, their leading silence cut, are heard on the
// written chords as often as the others; and a tune without one keeps
// its bar lines.
//
// A melody alone says less: its downbeats are found less often, but
// still the bar lines of a tune without a pickup stay where they are.
func TestHearsPickupFromTheNotes(t *testing.T) {
	t.Run("melody and chords", func(t *testing.T) { hearsPickupFromTheNotes(t, "MIDI", 0.9) })
	t.Run("melody alone", func(t *testing.T) { hearsPickupFromTheNotes(t, "MIDI/melody", 0.45) })
}

// hearsPickupFromTheNotes wants the downbeats of at least share of the
// pickup tunes found, and at most one tune in fifty without a pickup
// moved.
func hearsPickupFromTheNotes(t *testing.T, dir string, share float64) {
	var with, without agreement
	found, pickups, moved, tunes := 0, 0, 0, 0
	for _, p := range nottinghamPairs(t, dir) {
		d, err := load.Bytes(p.name, p.midi)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if !shortFirstBar(p.written) {
			tunes++
			if _, _, ok := harmony.Downbeat(d.Piece.Meters, allNotes(d.Piece)); ok {
				moved++
			}
			heard, err := harmony.Chart(d.Piece)
			if err != nil {
				t.Fatal(err)
			}
			without.add(p.written, heard)
			continue
		}
		q, by := shifted(d.Piece)
		if by >= q.Meters.At(0).BarTicks() {
			continue
		}
		pickups++
		if db, _, ok := harmony.Downbeat(q.Meters, allNotes(q)); ok && db == q.Meters.At(0).BarTicks()-by {
			found++
		}
		heard, err := harmony.Chart(q)
		if err != nil {
			t.Fatal(err)
		}
		with.add(p.written, heard)
	}
	rw, rwo := float64(with.root)/float64(with.beats), float64(without.root)/float64(without.beats)
	t.Logf("pickups from tick 0: %d of %d downbeats found, root right %.1f%% of %d beats", found, pickups, 100*rw, with.beats)
	t.Logf("no pickup: %d of %d tunes moved, root right %.1f%% of %d beats", moved, tunes, 100*rwo, without.beats)
	if float64(found) < share*float64(pickups) || 50*moved > tunes {
		t.Errorf("%d of %d downbeats found, want %.0f%%; %d of %d tunes without a pickup moved, want at most 2%%", found, pickups, 100*share, moved, tunes)
	}
}

func allNotes(p *music.Piece) []music.Note {
	var ns []music.Note
	for _, part := range p.Parts {
		ns = append(ns, part.Notes...)
	}
	slices.SortFunc(ns, func(a, b music.Note) int { return int(a.Start - b.Start) })
	return ns
}

// A Nottingham MIDI file heard carries its tune: the chart's melody is
// the ABC source's, note for note (pitch and place, the pickup aligned),
// on nine notes in ten or more.
func TestHeardMelodyIsTheTune(t *testing.T) {
	matched, written, extra := 0, 0, 0
	for _, p := range nottinghamPairs(t, "MIDI") {
		d, err := load.Bytes(p.name, p.midi)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		heard, err := harmony.Chart(d.Piece)
		if err != nil {
			t.Fatal(err)
		}
		if len(heard.Parts) != 1 || heard.Parts[0].Role != music.RoleMelody {
			t.Fatalf("%s: heard parts %v, want one melody", p.name, heard.Parts)
		}
		m, n, x := sameNotes(p.written.Perform(1), heard.Perform(1))
		matched += m
		written += n
		extra += x
	}
	share := float64(matched) / float64(written)
	t.Logf("%d of %d written notes heard in the melody (%.1f%%); %d heard notes not written", matched, written, 100*share, extra)
	if share < 0.9 {
		t.Errorf("the heard melody has %.1f%% of the written notes, want 90%% or more", 100*share)
	}
}

// sameNotes counts the notes of want that got plays at the same pitch
// and place (within a 32nd: the file's ticks are not sideman's), each
// note of got matched once, and the notes of got left over.
func sameNotes(want, got *music.Piece) (matched, total, extra int) {
	ws, gs := allNotes(want), allNotes(got)
	used := make([]bool, len(gs))
	j := 0
	for _, w := range ws {
		total++
		for j < len(gs) && gs[j].Start < w.Start-music.PPQ/8 {
			j++
		}
		for k := j; k < len(gs) && gs[k].Start <= w.Start+music.PPQ/8; k++ {
			if !used[k] && gs[k].Pitch == w.Pitch {
				used[k] = true
				matched++
				break
			}
		}
	}
	for _, u := range used {
		if !u {
			extra++
		}
	}
	return matched, total, extra
}

// A pickup the file's time signatures write (a bar of 1/4 before the
// 4/4, as notation programs export one) is the chart's pickup: no
// chord, its note in the melody, and bar 1 on the C chord.
func TestPickupFromTimeSignatures(t *testing.T) {
	q := music.Ticks(music.PPQ)
	melody := []music.Note{{ID: 1, Pitch: 67, Velocity: 80, Start: 0, Duration: q}}
	var chords []music.Note
	for bar := range 4 {
		at := q + music.Ticks(bar)*4*q
		melody = append(melody, music.Note{ID: music.NoteID(2 + bar), Pitch: 72, Velocity: 80, Start: at, Duration: 4 * q})
		for _, p := range []uint8{48, 52, 55} {
			chords = append(chords, music.Note{Pitch: p, Velocity: 70, Start: at, Duration: 4 * q})
		}
	}
	p := &music.Piece{
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 1, Den: 4}}, {At: q, Meter: music.Meter{Num: 4, Den: 4}}},
		Parts:  []music.Part{{Name: "Lead", Notes: melody}, {Name: "Piano", Notes: chords, Channel: 1}},
	}
	c, err := harmony.Chart(p)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Pickup() || len(c.Bars) != 5 || len(c.Bars[0].Chords) != 0 {
		t.Fatalf("pickup %v, %d bars, chords in the first %v: want a pickup, 5 bars, none", c.Pickup(), len(c.Bars), c.Bars[0].Chords)
	}
	if got := c.Bars[1].Chords; len(got) != 1 || got[0].Chord.String() != "C" {
		t.Errorf("bar 1 heard %v, want C", got)
	}
	if n := c.Bars[0].Notes; len(n) != 1 || n[0].Pitch != 67 || n[0].ID != 1 {
		t.Errorf("pickup's melody %v, want the G with its id 1", n)
	}
	if c.MeterOrDefault() != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("chart in %s, want 4/4", c.MeterOrDefault())
	}
}

// The top line of a pianist's right hand is the tune: the highest note
// of each chord, not an inner voice that moves under a held melody note.
func TestTopLine(t *testing.T) {
	q := music.Ticks(music.PPQ)
	notes := []music.Note{
		{ID: 1, Pitch: 76, Start: 0, Duration: 2 * q}, // E held
		{ID: 2, Pitch: 67, Start: 0, Duration: q},
		{ID: 3, Pitch: 64, Start: 0, Duration: q},
		{ID: 4, Pitch: 65, Start: q, Duration: q}, // inner voice under the E
		{ID: 5, Pitch: 74, Start: 2 * q, Duration: q},
		{ID: 6, Pitch: 71, Start: 2 * q, Duration: q},
		{ID: 7, Pitch: 72, Start: 3*q - q/16, Duration: q}, // a touch early: legato
	}
	var got []music.NoteID
	for _, n := range harmony.TopLine(notes) {
		got = append(got, n.ID)
	}
	if !slices.Equal(got, []music.NoteID{1, 5, 7}) {
		t.Errorf("top line %v, want the E, D and C (1 5 7)", got)
	}
}
