package wjazzd

import (
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sideman/internal/shareddata"
)

// corpus is the CSV export read into memory.
type corpus struct {
	melody, beats, bass map[string][]byte // by file name
	index               []IndexEntry
	meta                map[string]*Meta // by ID (wjd_id)
	size                int
}

func readCorpus(tb testing.TB) *corpus {
	tb.Helper()
	dir := shareddata.Dir(tb, "wjazzd")
	ms, data, err := shareddata.ReadTarGz(filepath.Join(dir, "wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	c := &corpus{melody: map[string][]byte{}, beats: map[string][]byte{}, bass: map[string][]byte{}, meta: map[string]*Meta{}}
	for i, m := range ms {
		c.size += len(data[i])
		switch {
		case strings.Contains(m.Name, "csv_melody/"):
			c.melody[path.Base(m.Name)] = data[i]
		case strings.Contains(m.Name, "csv_beats/"):
			c.beats[path.Base(m.Name)] = data[i]
		case strings.Contains(m.Name, "csv_bass/"):
			c.bass[path.Base(m.Name)] = data[i]
		}
	}
	f, err := os.Open(filepath.Join(dir, "wjd_file_index.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if c.index, err = DecodeIndex(f); err != nil {
		tb.Fatal(err)
	}
	g, err := os.Open(filepath.Join(dir, "wjd_meta.csv.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer g.Close()
	meta, err := DecodeMeta(g) // gzipped: DecodeMeta sees it

	if err != nil {
		tb.Fatal(err)
	}
	for i := range meta {
		c.meta[meta[i].ID] = &meta[i]
	}
	return c
}

// metaNoteCounts are the solos whose note count in the metadata table
// differs from their melody file (the README of the data says so): the
// two Chris Potter solos' rows look swapped upstream (their tempos are
// swapped too, see TestCorpusTempo); Countdown has one note more in the
// CSV export, High Society four.
var metaNoteCounts = map[string]int{
	"ChrisPotter_Arjuna_Solo.csv":        1318,
	"ChrisPotter_PopTune#1_Solo.csv":     1353,
	"JohnColtrane_Countdown_Solo.csv":    867,
	"LionelHampton_HighSociety_Solo.csv": 170,
}

// TestCorpus reads all 456 solos: note counts against the index and the
// metadata, every note inside its beat track, and the tick grid checked
// against the recording's seconds note by note.
func TestCorpus(t *testing.T) {
	c := readCorpus(t)
	if len(c.index) != 456 || len(c.melody) != 456 || len(c.beats) != 456 || len(c.meta) != 456 {
		t.Fatalf("%d index rows, %d melody files, %d beat files, %d metadata rows; want 456 each",
			len(c.index), len(c.melody), len(c.beats), len(c.meta))
	}
	notes, beats, worst := 0, 0, 0.0
	for _, e := range c.index {
		s, err := Decoder{Source: e.CSVName}.DecodeSoloBytes(c.melody[e.CSVName], c.beats[e.CSVName])
		if err != nil {
			t.Errorf("%s: %v", e.CSVName, err)
			continue
		}
		notes += len(s.Notes)
		beats += len(s.Beats)
		m := c.meta[e.WJDID]
		if m == nil || m.MelID != e.MelID {
			t.Errorf("%s: no metadata row for %s, melid %d", e.CSVName, e.WJDID, e.MelID)
			continue
		}
		if len(s.Notes) != e.NoteRows {
			t.Errorf("%s: %d notes, the index says %d", e.CSVName, len(s.Notes), e.NoteRows)
		}
		want, odd := metaNoteCounts[e.CSVName]
		if !odd {
			want = len(s.Notes)
		}
		if m.NumberNotes != want {
			t.Errorf("%s: metadata says %d notes, want %d", e.CSVName, m.NumberNotes, want)
		}
		// Every note lies inside the beat track: from the first beat to
		// a beat after the last.
		bs := s.Beats
		lo, hi := bs[0].Onset, bs[len(bs)-1].Onset+(bs[len(bs)-1].Onset-bs[len(bs)-2].Onset)
		for _, n := range s.Notes {
			if n.Onset < lo || n.Onset > hi {
				t.Errorf("%s: note at %.3f s outside the beats %.3f..%.3f s", e.CSVName, n.Onset, lo, hi)
				break
			}
		}
		p, err := s.Piece(m)
		if err != nil {
			t.Errorf("%s: %v", e.CSVName, err)
			continue
		}
		if p.NoteCount() != len(s.Notes) || p.Parts[0].Notes[0].Origin.Who != m.Performer {
			t.Errorf("%s: piece has %d notes by %q", e.CSVName, p.NoteCount(), p.Parts[0].Notes[0].Origin.Who)
		}
		// Ticks back to seconds through the tempo map: the micro-timing
		// is kept to within half a tick at the local tempo (0.3 ms at 100
		// beats a minute), and a microsecond for the tempo map's rounding.
		// The grid keeps the order of time: the k-th note of a key in
		// the piece is the k-th of that key in the file, by onset.
		off, _ := s.Offset()
		onsets := map[uint8][]float64{}
		for _, sn := range s.Notes {
			onsets[sn.Pitch] = append(onsets[sn.Pitch], sn.Onset)
		}
		for _, os := range onsets {
			sort.Float64s(os)
		}
		heard := map[uint8]int{}
		for i, n := range p.Parts[0].Notes {
			onset := onsets[n.Pitch][heard[n.Pitch]]
			heard[n.Pitch]++
			d := math.Abs(p.Tempo.Seconds(n.Start) + off - onset)
			tick := float64(p.Tempo.At(n.Start).MicrosPerQuarter) / 1e6 / 960
			if d > tick/2+1e-4 {
				t.Errorf("%s: note %d at %d ticks is %.5f s, %.2f ms from %.5f s; a tick is %.2f ms",
					e.CSVName, i, n.Start, p.Tempo.Seconds(n.Start)+off, d*1e3, onset, tick*1e3)
				break
			}
			worst = math.Max(worst, d)
		}
		if _, err := s.Chart(m); err != nil {
			t.Errorf("%s: %v", e.CSVName, err)
		}
	}
	t.Logf("%d solos, %d notes, %d beats; worst note time after the round trip through ticks %.2f ms", len(c.index), notes, beats, worst*1e3)
}

// TestCorpusTempo cross-checks the beat tracks with the metadata: the
// median beat of a solo is at the table's average tempo, within 5%, for
// nearly all solos; and the Chris Potter solos whose note counts are
// swapped in the table have swapped tempos too.
func TestCorpusTempo(t *testing.T) {
	c := readCorpus(t)
	agree := 0
	median := map[string]float64{}
	for _, e := range c.index {
		bs, err := decodeBeats(e.CSVName, c.beats[e.CSVName])
		if err != nil {
			t.Fatal(err)
		}
		var iv []float64
		for k := 1; k < len(bs); k++ {
			iv = append(iv, bs[k].Onset-bs[k-1].Onset)
		}
		sort.Float64s(iv)
		bpm := 60 / iv[len(iv)/2]
		median[e.CSVName] = bpm
		if m := c.meta[e.WJDID]; math.Abs(bpm-m.AvgTempo) <= 0.05*m.AvgTempo {
			agree++
		}
	}
	t.Logf("median beat within 5%% of the table's tempo in %d of %d solos", agree, len(c.index))
	if 100*agree < 97*len(c.index) {
		t.Errorf("%d of %d solos at the table's tempo", agree, len(c.index))
	}
	arjuna, pop := c.meta["ChrisPotter_Arjuna_FINAL.sv"], c.meta["ChrisPotter_PopTune#1_FINAL.sv"]
	if arjuna == nil || pop == nil {
		t.Fatal("Chris Potter solos missing from the metadata")
	}
	if a, p := median["ChrisPotter_Arjuna_Solo.csv"], median["ChrisPotter_PopTune#1_Solo.csv"]; math.Abs(a-pop.AvgTempo) > 0.01*a || math.Abs(p-arjuna.AvgTempo) > 0.01*p {
		t.Errorf("Arjuna beats at %.1f bpm, Pop Tune #1 at %.1f; the table has %.1f and %.1f the other way round", a, p, pop.AvgTempo, arjuna.AvgTempo)
	}
}

// TestCorpusBass reads the 40 walking-bass transcriptions and checks them
// against the solos they accompany: in the bass range, inside the beat
// track, and mostly on the beats (a walking bass plays quarter notes).
func TestCorpusBass(t *testing.T) {
	c := readCorpus(t)
	if len(c.bass) != 40 {
		t.Errorf("%d bass files, want 40", len(c.bass))
	}
	onBeat, inRange, total := 0, 0, 0
	for name, data := range c.bass {
		notes, err := Decoder{Source: name}.DecodeBassBytes(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		// File names differ in case between the folders
		// ("BluesforBlanche", "Aisha_solo").
		solo := strings.TrimSuffix(name, "_bass.csv") + ".csv"
		for b := range c.beats {
			if strings.EqualFold(b, solo) {
				solo = b
			}
		}
		bs, err := decodeBeats(solo, c.beats[solo])
		if err != nil || len(bs) < 2 {
			t.Errorf("%s: no beat track %s: %v", name, solo, err)
			continue
		}
		secs := make([]float64, len(bs))
		for i, b := range bs {
			secs[i] = b.Onset
		}
		for _, n := range notes {
			total++
			// The double bass's range, E1 (28) to G4 (67) for a walking
			// line; a few notes below (a low C extension or a string
			// tuned down) and above (a harmonic) are allowed for.
			if n.Pitch >= 28 && n.Pitch <= 67 {
				inRange++
			}
			if n.Velocity < 0 || n.Velocity > 1 || n.Duration <= 0 {
				t.Errorf("%s: note %+v", name, n)
			}
			k := sort.SearchFloat64s(secs, n.Onset)
			near := math.Inf(1)
			for _, j := range []int{k - 1, k} {
				if j >= 0 && j < len(secs) {
					near = math.Min(near, math.Abs(secs[j]-n.Onset))
				}
			}
			if near < 0.07 {
				onBeat++
			}
		}
	}
	t.Logf("%d bass notes, %d within 70 ms of a tapped beat, %d from E1 to G4", total, onBeat, inRange)
	if 100*onBeat < 80*total || 1000*inRange < 995*total {
		t.Errorf("%d of %d bass notes on the beat (want 80%%), %d in range (want 99.5%%)", onBeat, total, inRange)
	}
}

// TestCorpusMetrical cross-checks the tick grid with the transcribers'
// metrical positions: a note placed by its onset between the tapped beats
// lands within a quarter of a beat of the bar, beat and tatum the database
// gives it, for nearly every note. And the soloists lay back: of the notes
// on a beat, many more come after the tapped beat than before it, as
// Friberg and Sundström found soloists delayed on the beats against the
// drummer ("Swing ratios and ensemble timing in jazz performance",
// Music Perception 19, 2002).
func TestCorpusMetrical(t *testing.T) {
	c := readCorpus(t)
	total, within, late, early := 0, 0, 0, 0
	for _, e := range c.index {
		s, err := Decoder{Source: e.CSVName}.DecodeSoloBytes(c.melody[e.CSVName], c.beats[e.CSVName])
		if err != nil {
			t.Fatal(err)
		}
		g, err := s.newGrid()
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range s.Notes {
			total++
			i := n.Bar - g.firstBar
			if i < 0 || i >= len(g.meters) || n.Division < 1 {
				continue
			}
			unit := float64(g.meters[i].UnitTicks())
			want := float64(g.barStarts[i]) + (float64(n.Beat-1)+float64(n.Tatum-1)/float64(n.Division))*unit
			d := (float64(g.tick(n.Onset)) - want) / unit
			if math.Abs(d) <= 0.25 {
				within++
			}
			// Only notes on the beat: an off-beat eighth is late by
			// swing, not by laying back.
			switch {
			case n.Tatum != 1:
			case d > 1.0/16:
				late++
			case d < -1.0/16:
				early++
			}
		}
	}
	t.Logf("%d notes: %d within a quarter beat of their metrical position; of those on the beat, %d more than a 16th of a beat late, %d early", total, within, late, early)
	if 100*within < 99*total || late <= early {
		t.Errorf("%d of %d notes near their metrical position (want 99%%), %d late and %d early", within, total, late, early)
	}
}
