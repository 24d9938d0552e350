package judge

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strings"

	"sideman/format/wjazzd"
	"sideman/music"
)

// Note is one note of a solo on its beat grid: Onset and Duration in tapped
// beats from the solo's first tapped beat (fractions keep the micro-timing).
type Note struct {
	Onset, Duration float64
	Pitch           uint8
}

// End is where the note stops sounding, in beats.
func (n Note) End() float64 { return n.Onset + n.Duration }

// Beat is one tapped beat of a solo: where it falls in the recording, its
// place in the bar and the chord sounding on it.
type Beat struct {
	Seconds float64
	Bar     int // bars before the first chorus are 0 and below
	InBar   int // 1-based beat of the bar
	Meter   int // beats in the bar (the signature's numerator; all WJazzD denominators are 4)
	Chord   music.Chord
}

// Solo is one human solo, ready to be judged.
type Solo struct {
	Name      string // the melody file's name ("ArtPepper_Anthropology_Solo.csv")
	Performer string // the name before its first "_"
	Beats     []Beat
	Notes     []Note
}

// Tempo is the solo's median tempo in beats a minute.
func (s *Solo) Tempo() float64 {
	if len(s.Beats) < 2 {
		return 0
	}
	d := make([]float64, 0, len(s.Beats)-1)
	for i := 1; i < len(s.Beats); i++ {
		d = append(d, s.Beats[i].Seconds-s.Beats[i-1].Seconds)
	}
	slices.Sort(d)
	return 60 / d[len(d)/2]
}

// Check is what the corpus held and what reading it had to mend or drop,
// looked at before anything learns from it.
type Check struct {
	Solos, Performers, Notes int
	// Dropped counts solos left out: fewer than MinNotes notes or a beat
	// track of fewer than two beats.
	Dropped int
	// Outside counts notes whose onset lies before the first tapped beat or
	// after the last (placed by the nearest beat's length).
	Outside int
	// Unordered counts onsets earlier than the note before (sorted).
	Unordered int
	// Overlaps counts notes sounding past the next onset (kept: the
	// articulation features read duration against the next onset).
	Overlaps int
	// BadDurations counts notes of zero or negative length (set to 1 ms).
	BadDurations int
	// UnknownChords counts beat-track chord symbols sideman cannot read
	// (the beat keeps the chord before, or no chord).
	UnknownChords int
}

// MinNotes is the fewest notes a solo needs to be judged: two segments.
const MinNotes = 48

// Corpus is the solos to judge against, in file-name order.
type Corpus struct {
	Solos []*Solo
	Check Check
}

// Read reads the WJazzD CSV export from fsys: every csv_melody/X.csv with
// its csv_beats/X.csv, wherever the two folders sit in fsys.
func Read(ctx context.Context, fsys fs.FS) (*Corpus, error) {
	melody, beats := map[string]string{}, map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".csv") {
			return nil
		}
		switch path.Base(path.Dir(p)) {
		case "csv_melody":
			melody[path.Base(p)] = p
		case "csv_beats":
			beats[path.Base(p)] = p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("judge: %w", err)
	}
	names := make([]string, 0, len(melody))
	for n := range melody {
		names = append(names, n)
	}
	slices.Sort(names)
	c := &Corpus{}
	performers := map[string]bool{}
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if beats[n] == "" {
			return nil, fmt.Errorf("judge: %s: no beat file csv_beats/%s", melody[n], n)
		}
		m, err := fs.ReadFile(fsys, melody[n])
		if err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
		b, err := fs.ReadFile(fsys, beats[n])
		if err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
		ws, err := wjazzd.Decoder{Source: n}.DecodeSoloBytes(m, b)
		if err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
		s := fromWJazzD(n, ws, &c.Check)
		if s == nil {
			c.Check.Dropped++
			continue
		}
		c.Solos = append(c.Solos, s)
		performers[s.Performer] = true
		c.Check.Notes += len(s.Notes)
	}
	c.Check.Solos, c.Check.Performers = len(c.Solos), len(performers)
	if len(performers) < 2 {
		return nil, fmt.Errorf("judge: %d performers with solos of %d notes or more: at least 2 are needed", len(performers), MinNotes)
	}
	return c, nil
}

// fromWJazzD places a decoded solo on its beat grid; nil when it is too
// short to judge.
func fromWJazzD(name string, ws *wjazzd.Solo, ck *Check) *Solo {
	if len(ws.Beats) < 2 || len(ws.Notes) < MinNotes {
		return nil
	}
	performer, _, _ := strings.Cut(name, "_")
	s := &Solo{Name: name, Performer: performer}
	chord := music.Chord{NoChord: true, Symbol: "NC"}
	for _, b := range ws.Beats {
		if b.Changed && b.Chord != "" {
			if ch, err := wjazzd.ParseChord(b.Chord); err == nil {
				chord = ch
			} else {
				ck.UnknownChords++
			}
		}
		meter := 4
		if num, _, ok := strings.Cut(b.Signature, "/"); ok {
			fmt.Sscan(num, &meter)
		}
		s.Beats = append(s.Beats, Beat{Seconds: b.Onset, Bar: b.Bar, InBar: b.Beat, Meter: meter, Chord: chord})
	}
	secs := make([]float64, len(s.Beats))
	for i, b := range s.Beats {
		secs[i] = b.Seconds
	}
	last := math.Inf(-1)
	for _, n := range ws.Notes {
		if n.Onset < last {
			ck.Unordered++
		}
		last = n.Onset
		if n.Onset < secs[0] || n.Onset > secs[len(secs)-1] {
			ck.Outside++
		}
		d := n.Duration
		if d <= 0 {
			ck.BadDurations++
			d = 0.001
		}
		on := beatAt(secs, n.Onset)
		s.Notes = append(s.Notes, Note{Onset: on, Duration: beatAt(secs, n.Onset+d) - on, Pitch: n.Pitch})
	}
	slices.SortStableFunc(s.Notes, func(a, b Note) int { return cmpFloat(a.Onset, b.Onset) })
	for i := 1; i < len(s.Notes); i++ {
		if s.Notes[i-1].End() > s.Notes[i].Onset+1e-9 {
			ck.Overlaps++
		}
	}
	return s
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// beatAt is the beat position of a time in seconds on a beat track:
// between two tapped beats in proportion, outside them by the nearest
// beat's length.
func beatAt(secs []float64, t float64) float64 {
	n := len(secs)
	i, _ := slices.BinarySearch(secs, t)
	switch {
	case i == 0:
		return (t - secs[0]) / (secs[1] - secs[0])
	case i >= n:
		return float64(n-1) + (t-secs[n-1])/(secs[n-1]-secs[n-2])
	}
	return float64(i-1) + (t-secs[i-1])/(secs[i]-secs[i-1])
}

// secondsAt is beatAt's inverse.
func secondsAt(secs []float64, b float64) float64 {
	n := len(secs)
	i := int(math.Floor(b))
	switch {
	case i < 0:
		return secs[0] + b*(secs[1]-secs[0])
	case i >= n-1:
		return secs[n-1] + (b-float64(n-1))*(secs[n-1]-secs[n-2])
	}
	return secs[i] + (b-float64(i))*(secs[i+1]-secs[i])
}
