package feel_test

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"sideman/feel"
	"sideman/music"
)

// spread is a piece of n notes gap ticks apart in the meter.
func spread(n int, gap music.Ticks, m music.Meter) *music.Piece {
	origin := &music.Origin{Kind: music.HumanEntered, Who: "test"}
	part := music.Part{Name: "Sax", Role: music.RoleMelody}
	for i := range n {
		part.Notes = append(part.Notes, music.Note{ID: music.NoteID(i + 1), Pitch: 60, Velocity: 90, Start: music.Ticks(i) * gap, Duration: music.PPQ / 8, Origin: origin})
	}
	return &music.Piece{Parts: []music.Part{part}, Meters: music.MeterMap{{Meter: m}}}
}

// allocated is the bytes Humanize allocates on p.
func allocated(p *music.Piece, prof *feel.Profile) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: 1})
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// Humanize sizes its beat-level noise by the piece's beats: 50 notes a
// MIDI delta time's longest gap apart (2^28-2 ticks) made 13.7 million
// beats and 2.4 GB. A piece past the length sideman plays must cost no
// more than the costliest piece within it: one reaching music.MaxTicks
// in 64th-note beats, the most beats a piece can hold.
func TestHumanizeCostIsBoundedByLength(t *testing.T) {
	prof := soloist(t)
	worst := spread(50, (music.MaxTicks-music.PPQ)/49, music.Meter{Num: 4, Den: 64})
	worst.Tempo = music.TempoMap{{MicrosPerQuarter: 60e6 / 960}} // the hour
	long := spread(50, 1<<28-2, music.DefaultMeter)
	if music.CheckLength(worst) != nil || music.CheckLength(long) == nil {
		t.Fatalf("want the first piece within the limit, the second past it")
	}
	// Once each first: the noise's spectrum is cached by size.
	allocated(worst, prof)
	allocated(long, prof)
	w, l := allocated(worst, prof), allocated(long, prof)
	t.Logf("Humanize allocates %d MB at the limit, %d MB on 13.7 million quarter notes", w>>20, l>>20)
	if l > w+w/2 {
		t.Errorf("a piece past the limit costs %d MB, %.1f times the costliest within it (%d MB)", l>>20, float64(l)/float64(w), w>>20)
	}
}

// spaces is a .feel file of white space, counting what is read of it.
type spaces struct{ read, size int }

func (s *spaces) Read(p []byte) (int, error) {
	if s.read >= s.size {
		return 0, io.EOF
	}
	n := min(len(p), s.size-s.read)
	for i := range n {
		p[i] = ' '
	}
	s.read += n
	return n, nil
}

// `band --feel /dev/zero` read until memory ran out: Decode reads no more
// than a .feel file holds.
func TestDecodeReadsAtMostMaxFileSize(t *testing.T) {
	in := &spaces{size: 16 * feel.MaxFileSize}
	_, err := feel.Decode(in)
	if err == nil || !strings.Contains(err.Error(), "larger than") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v: want one line saying the file is too large", err)
	}
	if in.read > feel.MaxFileSize+64<<10 {
		t.Errorf("read %d bytes of %d: want at most MaxFileSize (%d)", in.read, in.size, feel.MaxFileSize)
	}
}
