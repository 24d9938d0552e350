package wjazzd

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

func readSolo(t testing.TB) *Solo {
	t.Helper()
	m, err := os.ReadFile("testdata/melody.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/beats.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Decoder{Source: "Test_Tune_Solo.csv"}.DecodeSoloBytes(m, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readMeta(t testing.TB) []Meta {
	t.Helper()
	f, err := os.Open("testdata/meta.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := DecodeMeta(f)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestSolo(t *testing.T) {
	s := readSolo(t)
	if s.Name != "Test_Tune_Solo.csv" || len(s.Notes) != 7 || len(s.Beats) != 10 {
		t.Fatalf("name %q, %d notes, %d beats", s.Name, len(s.Notes), len(s.Beats))
	}
	n := s.Notes[3]
	if n.Onset != 3.0 || n.Duration != 0.1 || n.Pitch != 72 || n.Bar != 1 || n.Beat != 3 || n.Tatum != 1 || n.Division != 3 || n.Num != 4 || n.Denom != 4 || n.BeatDur != 0.52 {
		t.Errorf("note 4: %+v", n)
	}
	// Chords, form parts and signature hold until the next; the pickup
	// takes the first signature.
	for i, want := range []struct {
		chord, form, sig string
		changed          bool
		bass             int
	}{
		{"NC", "I1", "4/4", true, 43}, {"NC", "I1", "4/4", false, -1}, {"Bbj7", "A1", "4/4", true, 46},
		{"Bbj7", "A1", "4/4", false, 50}, {"G79b", "A1", "4/4", true, 53}, {"G79b", "A1", "4/4", false, 55},
	} {
		b := s.Beats[i]
		if b.Chord != want.chord || b.Form != want.form || b.Signature != want.sig || b.Changed != want.changed || b.BassPitch != want.bass {
			t.Errorf("beat %d: %+v, want %+v", i, b, want)
		}
	}
	if !s.Beats[2].FormStart || s.Beats[3].FormStart || s.Beats[2].Chorus != 1 || s.Beats[0].Chorus != 0 {
		t.Errorf("form starts and choruses: %+v %+v", s.Beats[2], s.Beats[3])
	}
}

func TestPiece(t *testing.T) {
	s := readSolo(t)
	meta := readMeta(t)
	p, err := s.Piece(&meta[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Test Tune" || len(p.Parts) != 1 || p.Parts[0].Name != "Tenor Saxophone" || p.Parts[0].Program != 66 {
		t.Errorf("title %q parts %+v", p.Title, p.Parts)
	}
	// Bar 0 starts at tick 0; its third beat, the first tapped, is at
	// 1920. Onsets on beats land on beat ticks, onsets between beats in
	// proportion: 1.78 s is 0.28 of the 0.5 s from 1.5 to 2.0, so 537.6
	// ticks after the beat at 2880.
	want := []struct {
		start, dur music.Ticks
		pitch      uint8
	}{
		{2880, 384, 67}, {3418, 384, 69}, {3878, 1728, 70}, {5760, 185, 72},
		{6092, 185, 74}, {6406, 185, 75}, {7714, 2078, 77},
	}
	notes := p.Parts[0].Notes
	if len(notes) != len(want) {
		t.Fatalf("%d notes", len(notes))
	}
	for i, w := range want {
		n := notes[i]
		if n.Start != w.start || n.Duration != w.dur || n.Pitch != w.pitch || n.ID != 0 || n.Velocity == 0 { // no id: the caller's to give
			t.Errorf("note %d: %d+%d pitch %d id %d, want %d+%d pitch %d", i, n.Start, n.Duration, n.Pitch, n.ID, w.start, w.dur, w.pitch)
		}
		if n.Origin != notes[0].Origin || n.Origin.Kind != music.Imported || n.Origin.Who != "Ada Tester" || n.Origin.Source != "Test_Tune_Solo.csv" {
			t.Errorf("note %d origin %+v", i, n.Origin)
		}
	}
	// The tempo map takes every note back to its second in the recording.
	off, err := s.Offset()
	if err != nil || off != 0 {
		t.Errorf("offset %v, %v; want 0 (bar 0 starts two beats of 0.5 s before 1.0 s)", off, err)
	}
	for i, n := range notes {
		if got := p.Tempo.Seconds(n.Start) + off; math.Abs(got-s.Notes[i].Onset) > 0.001 {
			t.Errorf("note %d at %d ticks is %.4f s, want %.4f", i, n.Start, got, s.Notes[i].Onset)
		}
	}
	if p.Tempo[0].MicrosPerQuarter != 500000 || len(p.Meters) != 1 || p.Meters[0].Meter != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("tempo %v meters %v", p.Tempo, p.Meters)
	}
	if len(p.Keys) != 1 || p.Keys[0].Key.String() != "Bb major" {
		t.Errorf("keys %v", p.Keys)
	}
	if fmt.Sprint(p.Markers) != "[{0 I1} {3840 A1}]" {
		t.Errorf("markers %v", p.Markers)
	}
}

func TestChart(t *testing.T) {
	s := readSolo(t)
	meta := readMeta(t)
	c, err := s.Chart(&meta[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Test Tune" || c.Composer != "Sideman Tests" || c.Tempo != 117 || c.Style != "Swing" || c.Key.String() != "Bb major" {
		t.Errorf("chart %q %q tempo %d style %q key %v", c.Title, c.Composer, c.Tempo, c.Style, c.Key)
	}
	want := []struct {
		section string
		chords  string
		notes   int
	}{
		{"I1", "1920:N.C.", 2}, {"A1", "0:Bbmaj7 1920:G7(b9)", 4}, {"", "0:Cm7 1920:F7alt", 1},
	}
	if len(c.Bars) != len(want) {
		t.Fatalf("%d bars", len(c.Bars))
	}
	for i, w := range want {
		b := c.Bars[i]
		var ch []string
		for _, x := range b.Chords {
			ch = append(ch, fmt.Sprintf("%d:%s", x.Offset, x.Chord.Name()))
		}
		if b.Section != w.section || strings.Join(ch, " ") != w.chords || len(b.Notes) != w.notes {
			t.Errorf("bar %d: %q %v %d notes, want %+v", i, b.Section, ch, len(b.Notes), w)
		}
	}
	// The chart plays the solo at the chart's tempo, where the piece
	// keeps the player's: the same ticks.
	p, _ := s.Piece(nil)
	got := c.Perform(1).Parts[0].Notes
	for i, n := range p.Parts[0].Notes {
		if got[i].Start != n.Start || got[i].Pitch != n.Pitch {
			t.Errorf("note %d: chart %d, piece %d", i, got[i].Start, n.Start)
		}
	}
	if p.Parts[0].Name != "Solo" || p.Parts[0].Notes[0].Origin.Who != "" {
		t.Errorf("without metadata: part %q, who %q", p.Parts[0].Name, p.Parts[0].Notes[0].Origin.Who)
	}
}

func TestBassIndexMeta(t *testing.T) {
	f, _ := os.Open("testdata/bass.csv")
	bass, err := DecodeBass(f)
	f.Close()
	if err != nil || len(bass) != 3 || bass[0] != (BassNote{Onset: 2.01, Duration: 0.45, Pitch: 46, Velocity: 0.8, Label: "New Point"}) || bass[1].Label != "" {
		t.Errorf("bass %+v, %v", bass, err)
	}
	f, _ = os.Open("testdata/index.csv")
	idx, err := DecodeIndex(f)
	f.Close()
	if err != nil || len(idx) != 2 || idx[1] != (IndexEntry{MelID: 2, WJDID: "Test_A,B_FINAL.sv", CSVName: "Test_A,B_Solo.csv", NoteRows: 3}) {
		t.Errorf("index %+v, %v", idx, err)
	}
	m := readMeta(t)[0]
	if m.MelID != 1 || m.Performer != "Ada Tester" || m.Instrument != "ts" || m.AvgTempo != 117.2 || m.NumberNotes != 7 ||
		!strings.Contains(m.ChordChanges, "\nA1: ||Bbj7") || m.ID != "Test_Tune_FINAL.sv" {
		t.Errorf("meta %+v", m)
	}
	for key, want := range map[string]string{"Bb-maj": "Bb major", "C-min": "C minor", "D-dor": "D dorian", "Ab-mix": "Ab mixolydian", "F#-min": "F# minor", "Ab": "Ab major", "D-chrom": "", "": "", "Bb-blues": ""} {
		m := Meta{Key: key}
		k, ok := m.KeyOf()
		if got := k.String(); ok != (want != "") || ok && got != want {
			t.Errorf("KeyOf(%q) = %v %v, want %q", key, got, ok, want)
		}
	}
}

func TestParseChord(t *testing.T) {
	for sym, want := range map[string]string{
		"C-7": "Cm7", "Ebj7": "Ebmaj7", "D79b": "D7(b9)", "Ebj7911#": "Ebmaj9(#11)", "Fsus7913": "F13sus4",
		"Bsus": "Bsus4", "G+7": "G7(#5)", "Eo7": "Edim7", "Eo": "Edim", "Am7b5": "Am7b5", "C69": "C6/9",
		"C-j7": "Cm(maj7)", "Bb79b13b": "Bb7(b9,b13)", "E7alt": "E7alt", "F-7/Bb": "Fm7/Bb", "NC": "N.C.",
		"D79#11#": "D7(#9,#11)", "E6911#": "E6(add9,#11)", "Ab+j7/C": "Abmaj7(#5)/C",
	} {
		c, err := ParseChord(sym)
		if err != nil || c.Name() != want || c.Symbol != sym {
			t.Errorf("ParseChord(%q) = %q, %v; want %q", sym, c.Name(), err, want)
		}
	}
	// The tones, against the database's own reading of its syntax.
	c, _ := ParseChord("G79b")
	var tones []string
	for _, sp := range c.Notes() {
		tones = append(tones, sp.String())
	}
	if got := strings.Join(tones, " "); got != "G B D F Ab" {
		t.Errorf("G79b tones %s, want G B D F Ab", got)
	}
	for _, sym := range []string{"", "H7", "C7x", "C9", "C7alt9", "Cj79q"} {
		if _, err := ParseChord(sym); !errors.Is(err, ErrChord) {
			t.Errorf("ParseChord(%q): %v, want ErrChord", sym, err)
		}
	}
}

func TestErrors(t *testing.T) {
	header := "bar,beat,beatdur,denom,division,duration,num,onset,period,pitch,subtatum,tatum\n"
	for _, tc := range []struct {
		melody, beats string
		row           int
		is            error
		text          string
	}{
		{"bar,beat\n", "", 1, ErrColumn, `missing column "beatdur"`},
		{header + "1,1,0.5,4,1,0.2,4,1.0,4,67.0,0,1\n1,1,0.5,4,1,x,4,1.5,4,67.0,0,1\n", "", 3, nil, `duration "x": not a number`},
		{header + "1,1,0.5,4,1,0.2,4,1.0,4,128.0,0,1\n", "", 2, nil, "not a MIDI key"},
		{header + "1,1,0.5,4,1,0.2,4,1.0,4,60.5,0,1\n", "", 2, nil, "not a MIDI key"},
		{header + "1,1,0.5,4,1,0.2,4,-1.0,4,60,0,1\n", "", 2, nil, "want seconds"},
		{header + "1,1,0.5,4,1,0.2\n", "", 2, nil, "fields"},
		{header, "bar,bass_pitch,beat,chord,chorus_id,form,onset,signature\n1,,1,C,1,A,2.0,4/4\n1,,2,,1,,1.5,\n", 3, ErrBeats, "beat at 1.5 s"},
	} {
		beats := tc.beats
		if beats == "" {
			beats = "bar,bass_pitch,beat,chord,chorus_id,form,onset,signature\n"
		}
		_, err := Decoder{Source: "m.csv"}.DecodeSoloBytes([]byte(tc.melody), []byte(beats))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Row != tc.row || !strings.Contains(err.Error(), tc.text) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%q: %v, want row %d, %q", tc.melody, err, tc.row, tc.text)
			continue
		}
		// The Decoder's Source names the file in its folder of the export.
		want := "csv_melody/m.csv"
		if tc.beats != "" {
			want = "csv_beats/m.csv"
		}
		if pe.File != want {
			t.Errorf("%v: file %q, want %q", err, pe.File, want)
		}
		if want := fmt.Sprintf("wjazzd: file %s: row %d: ", pe.File, tc.row); !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v: want the prefix %q", err, want)
		}
	}
	s := &Solo{Name: "x", Beats: []Beat{{Onset: 1, Bar: 1, Beat: 1}}}
	if _, err := s.Piece(nil); !errors.Is(err, ErrBeats) {
		t.Errorf("one beat: %v", err)
	}
	s.Beats = append(s.Beats, Beat{Onset: 2, Bar: 1, Beat: 7, Signature: "4/4"})
	if _, err := s.Piece(nil); !errors.Is(err, ErrBeats) {
		t.Errorf("beat 7 of 4: %v", err)
	}
	if _, err := (Decoder{Source: "b.csv"}).DecodeBassBytes([]byte("1.0,40,0.5\n")); err == nil || !strings.Contains(err.Error(), "file csv_bass/b.csv: row 1") {
		t.Errorf("short bass row: %v", err)
	}
	if _, err := DecodeMelody(strings.NewReader(strings.Repeat(" ", format.MaxSize+1))); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}
