package project

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"sideman/music"
)

// tempoAt is a tempo map of one tempo.
func tempoAt(bpm float64) music.TempoMap {
	return music.TempoMap{{MicrosPerQuarter: int64(60e6/bpm + 0.5)}}
}

// hornLine writes a line as the soloist writes it (legato eighths and
// sixteenths sounding until the next note, a grace note a twelfth of a
// beat before the beat, a staccato thirty-second) and plays it as a feel
// might: each onset moved by ±jitter ticks, in turn, and each note
// shortened to four fifths of its written length.
func hornLine(jitter music.Ticks) (written, played []music.Note) {
	at := music.Ticks(0)
	add := func(ioi, dur music.Ticks) {
		written = append(written, music.Note{ID: music.NoteID(len(written) + 1), Pitch: uint8(60 + len(written)%12), Velocity: 90, Start: at, Duration: dur})
		at += ioi
	}
	for range 16 {
		add(240, 240) // sixteenths
	}
	for range 4 {
		add(480, 480) // eighths
	}
	add(880, 880)
	add(80, 80) // a grace note before the beat
	add(960, 120)
	add(960, 960)
	for i, w := range written {
		n := w
		if i%2 == 0 {
			n.Start += jitter
		} else {
			n.Start = max(0, n.Start-jitter)
		}
		n.Duration = w.Duration * 4 / 5
		played = append(played, n)
	}
	return written, played
}

// checkHorn fails unless notes are a line a horn player can play at
// tempo: in the written order, each ending before the next begins, no two
// onsets under hornGap ms apart, none sounding under hornNote ms.
func checkHorn(t *testing.T, written, notes []music.Note, tempo music.TempoMap) {
	t.Helper()
	ms := func(from, to music.Ticks) float64 { return 1000 * (tempo.Seconds(to) - tempo.Seconds(from)) }
	if len(notes) != len(written) {
		t.Fatalf("%d notes played of %d written", len(notes), len(written))
	}
	for i, n := range notes {
		if n.ID != written[i].ID {
			t.Fatalf("note %d: id %d, written %d: the order moved", i, n.ID, written[i].ID)
		}
		if d := ms(n.Start, n.End()); d < hornNote-0.01 {
			t.Errorf("note %d (id %d) sounds %.1f ms: a click", i, n.ID, d)
		}
		if i+1 < len(notes) {
			next := notes[i+1]
			if g := ms(n.Start, next.Start); g < hornGap-0.01 {
				t.Errorf("notes %d and %d are struck %.1f ms apart, written %.1f ms", i, i+1, g, ms(written[i].Start, written[i+1].Start))
			}
			if n.End() > next.Start {
				t.Errorf("note %d ends at %d, after the next begins at %d", i, n.End(), next.Start)
			}
		}
	}
}

// At 300 bpm a sixteenth is 50 ms: a feel that moves onsets by 12 ms
// either way struck two of them 25 ms apart (the clicks of issue 15);
// played as a horn plays, none comes under 40 ms, no note sounds under
// 30 ms (the staccato thirty-second was written 25 ms long, the grace note
// 17 ms before its beat).
func TestMonophonicHornSpeed(t *testing.T) {
	tempo := tempoAt(300)
	written, played := hornLine(60) // 12.5 ms at 300 bpm
	var close int
	for i := 1; i < len(played); i++ {
		if 1000*(tempo.Seconds(played[i].Start)-tempo.Seconds(played[i-1].Start)) < hornGap {
			close++
		}
	}
	if close < 8 {
		t.Fatalf("the feel struck only %d pairs under %d ms apart: the test tests nothing", close, hornGap)
	}
	checkHorn(t, written, monophonic(written, played, tempo), tempo)
}

// At 140 bpm the same line and the same feel leave every sixteenth
// 86 ms or more from the next: the horn keeps the feel's timing note for
// note, and each legato note its articulation's share of the time to the
// next onset.
func TestMonophonicKeepsTheFeel(t *testing.T) {
	tempo := tempoAt(140)
	written, played := hornLine(60)
	got := monophonic(written, played, tempo)
	checkHorn(t, written, got, tempo)
	for i, n := range got {
		if n.Start != played[i].Start {
			t.Errorf("note %d: struck at %d, the feel played it at %d", i, n.Start, played[i].Start)
		}
		if i+1 < len(got) && written[i].Duration == written[i+1].Start-written[i].Start {
			want := float64(got[i+1].Start-n.Start) * 4 / 5
			if d := float64(n.Duration) - want; d < -1 || d > 1 {
				t.Errorf("note %d: sounds %d ticks, want four fifths of %d", i, n.Duration, got[i+1].Start-n.Start)
			}
		}
	}
}

// sideman solo at 300 bpm plays its runs of sixteenths as a horn plays
// them: no onsets under 40 ms apart, no note under 30 ms.
func TestSoloAtThreeHundred(t *testing.T) {
	data, err := os.ReadFile("../examples/rhythm-changes-bb.chart")
	if err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(t.TempDir(), "rhythm-300.chart")
	if err := os.WriteFile(chart, regexp.MustCompile(`(?m)^tempo: .*$`).ReplaceAll(data, []byte("tempo: 300")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &Project{}
	s, err := p.Solo(context.Background(), chart, SoloOptions{Model: scalesModel(t), Choruses: 2, Adventure: 0.5, Density: 0.7, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	tempo, notes := s.Piece.Tempo, s.Piece.Parts[0].Notes
	if bpm := tempo.At(0).BPM(); bpm < 299 || bpm > 301 {
		t.Fatalf("played at %.1f bpm, want 300", bpm)
	}
	var fast int
	for i, n := range notes {
		ms := func(from, to music.Ticks) float64 { return 1000 * (tempo.Seconds(to) - tempo.Seconds(from)) }
		if d := ms(n.Start, n.End()); d < hornNote-0.01 {
			t.Errorf("note %d sounds %.1f ms", i, d)
		}
		if i+1 < len(notes) {
			g := ms(n.Start, notes[i+1].Start)
			if g < hornGap-0.01 {
				t.Errorf("notes %d and %d struck %.1f ms apart", i, i+1, g)
			}
			if g < 60 {
				fast++
			}
		}
	}
	if fast < 10 {
		t.Errorf("%d of %d notes struck under 60 ms from the next: no run of sixteenths to test", fast, len(notes))
	}
}
