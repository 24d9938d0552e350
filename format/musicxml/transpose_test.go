package musicxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/music"
)

// leadSheet builds a lead sheet from bars of chord symbols and a melody
// of MIDI pitches, one a beat.
func leadSheet(t *testing.T, key string, bars []string, melody []uint8) *music.Chart {
	t.Helper()
	k, err := music.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	m := music.DefaultMeter
	c := &music.Chart{Title: "Transposed " + key, Key: &k, Meter: &m, Tempo: 120,
		Parts: []music.Part{{Name: "Melody", Role: music.RoleMelody, Program: 0}}}
	o := &music.Origin{Kind: music.HumanEntered}
	for i, bar := range bars {
		var b music.Bar
		for j, sym := range strings.Fields(bar) {
			b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(j) * 2 * music.PPQ, Chord: music.MustParseChord(sym)})
		}
		for beat := 0; beat < 4 && 4*i+beat < len(melody); beat++ {
			b.Notes = append(b.Notes, music.Note{Pitch: melody[4*i+beat], Velocity: 80, Start: music.Ticks(beat) * music.PPQ, Duration: music.PPQ, Origin: o})
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// A major tune with secondary dominants, a tritone substitute and
// chromatic notes; a minor one on Autumn Leaves' changes in G minor.
func transposeTunes(t *testing.T) []*music.Chart {
	return []*music.Chart{
		leadSheet(t, "C", []string{"Cmaj7 A7", "Dm7 G7", "Em7 Ebdim7", "Dm7 Db7", "F#m7b5 B7", "Em7 E7/G#", "Fmaj7 Fm6", "Cmaj7"},
			[]uint8{60, 64, 67, 69, 62, 65, 71, 67, 64, 63, 62, 61, 66, 69, 71, 63, 64, 68, 71, 76, 65, 69, 68, 72, 72, 67, 64, 60}),
		leadSheet(t, "Gm", []string{"Cm7 F7", "Bbmaj7 Ebmaj7", "Am7b5 D7b9", "Gm6 Gm/F", "Ebmaj7 D7#5", "Gm"},
			[]uint8{67, 69, 70, 75, 74, 72, 70, 69, 69, 66, 72, 74, 67, 70, 65, 62, 63, 67, 66, 62, 67, 67, 67, 67}),
	}
}

// writtenScore is what a test reads back from an encoded score: the key
// signature, the transposition and every note as spelled.
type writtenScore struct {
	Parts []struct {
		Measures []struct {
			Attributes []struct {
				Key []struct {
					Fifths int    `xml:"fifths"`
					Mode   string `xml:"mode"`
				} `xml:"key"`
				Transpose []struct {
					Diatonic  int `xml:"diatonic"`
					Chromatic int `xml:"chromatic"`
					Octave    int `xml:"octave-change"`
				} `xml:"transpose"`
			} `xml:"attributes"`
			Notes []struct {
				Pitch *struct {
					Step   string `xml:"step"`
					Alter  int    `xml:"alter"`
					Octave int    `xml:"octave"`
				} `xml:"pitch"`
			} `xml:"note"`
			Harmonies []struct {
				Root struct {
					Step  string `xml:"root-step"`
					Alter int    `xml:"root-alter"`
				} `xml:"root"`
			} `xml:"harmony"`
		} `xml:"measure"`
	} `xml:"part"`
}

func readScore(t *testing.T, doc []byte) writtenScore {
	t.Helper()
	var s writtenScore
	if err := xml.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Parts) == 0 || len(s.Parts[0].Measures) == 0 || len(s.Parts[0].Measures[0].Attributes) == 0 ||
		len(s.Parts[0].Measures[0].Attributes[0].Key) != 1 {
		t.Fatalf("no key signature in\n%s", doc)
	}
	return s
}

var majorSigs = map[string]int{"C": 0, "Db": -5, "D": 2, "Eb": -3, "E": 4, "F": -1, "Gb": -6, "G": 1, "Ab": -4, "A": 3, "Bb": -2, "B": 5}
var minorSigs = map[string]int{"C": -3, "C#": 4, "D": -1, "Eb": -6, "E": 1, "F": -4, "F#": 3, "G": -2, "G#": 5, "A": 0, "Bb": -5, "B": 2}

// TestTransposedScores writes a major and a minor lead sheet in each of
// the 24 keys and reads the score back as a notation program would: the
// key signature, every melody note spelled on the degree it had in the
// original key (and without an accidental where it was in the key), the
// chord roots spelled, and the notes and chords decoded as moved.
func TestTransposedScores(t *testing.T) {
	tunes := transposeTunes(t)
	for ti, sigs := range []map[string]int{majorSigs, minorSigs} {
		orig := tunes[ti]
		fk := orig.KeyOrDefault()
		for name, fifths := range sigs {
			tr, err := music.ParseTransposition(name)
			if err != nil {
				t.Fatal(err)
			}
			moved := orig.Transpose(tr)
			var buf bytes.Buffer
			if err := Encode(&buf, moved); err != nil {
				t.Fatal(err)
			}
			s := readScore(t, buf.Bytes())
			label := fmt.Sprintf("%v to %s", fk, name)
			key := s.Parts[0].Measures[0].Attributes[0].Key[0]
			if key.Fifths != fifths || key.Mode != fk.Mode.String() {
				t.Errorf("%s: key signature %d %s, want %d %s", label, key.Fifths, key.Mode, fifths, fk.Mode)
			}
			tk := moved.KeyOrDefault()
			sig := tk.Signature()
			k := 0
			var notes []music.Note
			for _, b := range moved.Bars {
				notes = append(notes, b.Notes...)
			}
			for mi, m := range s.Parts[0].Measures {
				for _, n := range m.Notes {
					if n.Pitch == nil {
						continue
					}
					if k >= len(notes) {
						t.Fatalf("%s: more notes written than played", label)
					}
					step := music.Step(strings.Index("CDEFGAB", n.Pitch.Step))
					sp := music.Pitch{Spelling: music.Spelling{Step: step, Alter: int8(n.Pitch.Alter)}, Octave: int8(n.Pitch.Octave)}
					orig := fk.Spell(int(notes[k].Pitch) - (int(tk.Tonic.PitchClass())-int(fk.Tonic.PitchClass())+12)%12)
					if sp.MIDI() != int(notes[k].Pitch) {
						t.Errorf("%s: bar %d: written %v for MIDI %d", label, mi+1, sp, notes[k].Pitch)
					}
					fsig := fk.Signature()
					inKey := orig.Alter == fsig[orig.Step]
					sameDegree := (int(sp.Step)-int(tk.Tonic.Step)+7)%7 == (int(orig.Step)-int(fk.Tonic.Step)+7)%7
					if inKey && (sp.Alter != sig[sp.Step] || !sameDegree) {
						t.Errorf("%s: bar %d: %v in %v is written %v in %v", label, mi+1, orig, fk, sp, tk)
					}
					k++
				}
				for _, h := range m.Harmonies {
					if h.Root.Alter > 1 || h.Root.Alter < -1 {
						t.Errorf("%s: bar %d: a chord root %s with alter %d", label, mi+1, h.Root.Step, h.Root.Alter)
					}
				}
			}
			if k != len(notes) {
				t.Errorf("%s: %d notes written, %d played", label, k, len(notes))
			}
			back, err := Decoder{Source: "moved.musicxml"}.DecodeBytes(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if got := back.KeyOrDefault(); got != tk {
				t.Errorf("%s: read back in %v, want %v", label, got, tk)
			}
			if !sameMusic(back, moved) {
				t.Errorf("%s: the score reads back otherwise than written", label)
			}
		}
	}
}

// sameMusic compares the chord roots and the melody of two charts.
func sameMusic(a, b *music.Chart) bool {
	if len(a.Bars) != len(b.Bars) {
		return false
	}
	for i := range a.Bars {
		x, y := a.Bars[i], b.Bars[i]
		if len(x.Chords) != len(y.Chords) || len(x.Notes) != len(y.Notes) {
			return false
		}
		for j := range x.Chords {
			if x.Chords[j].Chord.Root != y.Chords[j].Chord.Root || !x.Chords[j].Chord.Same(y.Chords[j].Chord) {
				return false
			}
		}
		for j := range x.Notes {
			if x.Notes[j].Pitch != y.Notes[j].Pitch || x.Notes[j].Start != y.Notes[j].Start {
				return false
			}
		}
	}
	return true
}

// TestWrittenPartTranspose checks the <transpose> of the parts for Bb, Eb
// and F instruments, and that Decode returns them to concert pitch.
func TestWrittenPartTranspose(t *testing.T) {
	for _, tc := range []struct {
		inst                        music.Transposing
		diatonic, chromatic, octave int
		key                         string
	}{
		{music.BbInstrument, -1, -2, 0, "D"},
		{music.EbInstrument, -5, -9, 0, "A"},
		{music.FInstrument, -4, -7, 0, "G"},
	} {
		concert := transposeTunes(t)[0]
		part := concert.WrittenFor(tc.inst)
		var buf bytes.Buffer
		if err := Encode(&buf, part); err != nil {
			t.Fatal(err)
		}
		s := readScore(t, buf.Bytes())
		tr := s.Parts[0].Measures[0].Attributes[0].Transpose
		if len(tr) != 1 || tr[0].Diatonic != tc.diatonic || tr[0].Chromatic != tc.chromatic || tr[0].Octave != tc.octave {
			t.Errorf("%s part: <transpose> %+v, want diatonic %d chromatic %d octave %d", tc.inst.Name, tr, tc.diatonic, tc.chromatic, tc.octave)
		}
		if f := s.Parts[0].Measures[0].Attributes[0].Key[0].Fifths; f != majorSigs[tc.key] {
			t.Errorf("%s part: written with %d fifths, want %s major's %d", tc.inst.Name, f, tc.key, majorSigs[tc.key])
		}
		back, err := Decoder{Source: "part.musicxml"}.DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if back.KeyOrDefault() != concert.KeyOrDefault() || !sameMusic(back, concert) {
			t.Errorf("%s part: decoded in %v, not the concert chart in %v", tc.inst.Name, back.KeyOrDefault(), concert.KeyOrDefault())
		}
	}
}

// TestMuseScoreWrittenParts opens the parts for Bb, Eb and F instruments
// of a major and a minor lead sheet in MuseScore 3: each renders to PDF,
// and its MIDI sounds at concert pitch, note for note as the concert
// chart plays.
func TestMuseScoreWrittenParts(t *testing.T) {
	bin := museScore(t)
	dir := cacheDir(t)
	type job struct {
		name    string
		concert *music.Chart
	}
	var jobs []msJob
	var what []job
	for ti, concert := range transposeTunes(t) {
		for _, inst := range []music.Transposing{music.BbInstrument, music.EbInstrument, music.FInstrument} {
			var buf bytes.Buffer
			if err := Encode(&buf, concert.WrittenFor(inst)); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, fmt.Sprintf("part-%d-%s.musicxml", ti, inst.Name))
			if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(in, ".musicxml")
			jobs = append(jobs, msJob{In: in, Out: []string{base + ".pdf", base + ".mid"}})
			what = append(what, job{fmt.Sprintf("%v for %s", concert.KeyOrDefault(), inst), concert})
		}
	}
	logs := runMuseScore(t, bin, jobs)
	for k, j := range jobs {
		for _, line := range strings.Split(logs[j.In], "\n") {
			if museScoreError(line) {
				t.Errorf("%s: MuseScore: %s", what[k].name, line)
			}
		}
		if pdf, err := os.ReadFile(j.Out[0]); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s: MuseScore wrote no PDF (%v)", what[k].name, err)
		}
		mb, err := os.ReadFile(j.Out[1])
		if err != nil {
			t.Errorf("%s: MuseScore wrote no MIDI: %v", what[k].name, err)
			continue
		}
		f, err := midi.DecodeBytes(mb)
		if err != nil {
			t.Fatal(err)
		}
		theirs := soundingNotes(midi.ToPiece(f, what[k].name))
		ours := soundingNotes(what[k].concert.Perform(1))
		if on, _ := agreement(ours, theirs); !on {
			i := 0
			for i < min(len(ours), len(theirs)) && ours[i].pitch == theirs[i].pitch && ours[i].start == theirs[i].start {
				i++
			}
			t.Errorf("%s: MuseScore plays %d notes, the concert chart %d; first difference at note %d (concert %v, MuseScore %v)",
				what[k].name, len(theirs), len(ours), i, at(ours, i), at(theirs, i))
		}
	}
}
