package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/abc"
	"sideman/format/chart"
	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/music"
)

// TestBandTransposeEveryKey plays a major and a minor blues in each of
// the 24 keys, by name and by semitones, and reads the key signature the
// MIDI file carries: the tune's mode kept, the conventional spelling.
func TestBandTransposeEveryKey(t *testing.T) {
	dir := t.TempDir()
	sigs := map[music.Mode]map[string]int{
		music.Major: {"C": 0, "Db": -5, "D": 2, "Eb": -3, "E": 4, "F": -1, "Gb": -6, "G": 1, "Ab": -4, "A": 3, "Bb": -2, "B": 5},
		music.Minor: {"C": -3, "C#": 4, "D": -1, "Eb": -6, "E": 1, "F": -4, "F#": 3, "G": -2, "G#": 5, "A": 0, "Bb": -5, "B": 2},
	}
	keyOf := func(args ...string) (midi.KeySignature, bool) {
		t.Helper()
		out := filepath.Join(dir, "t.mid")
		args = append(args, "--feel", "none", "-o", out)
		if status, _, errs := sideman(t, args...); status != 0 {
			t.Fatalf("%v: status %d: %s", args, status, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		f, err := midi.DecodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range f.Tracks {
			for _, e := range tr.Events {
				if e.Status == midi.Meta && e.Data1 == midi.MetaKeySignature {
					return midi.ParseKeySignature(tr.Payload(e))
				}
			}
		}
		return midi.KeySignature{}, false
	}
	for _, tc := range []struct {
		chart string
		mode  music.Mode
		pc    int // the chart's tonic
	}{{"../../examples/blues-f.chart", music.Major, 5}, {"../../examples/minor-blues-c.chart", music.Minor, 0}} {
		names := map[int]string{}
		for name, fifths := range sigs[tc.mode] {
			ks, ok := keyOf("band", tc.chart, "--transpose", name)
			if !ok || int(ks.Fifths) != fifths || ks.Minor != (tc.mode == music.Minor) {
				t.Errorf("%s --transpose %s: key signature %+v, want %d fifths, minor %v", tc.chart, name, ks, fifths, tc.mode == music.Minor)
			}
			k, _ := music.ParseKey(name)
			names[k.Tonic.PitchClass()] = name
		}
		for _, n := range []int{-11, -5, -3, -1, 1, 2, 6, 11} {
			ks, _ := keyOf("band", tc.chart, "--transpose", fmt.Sprintf("%+d", n))
			name := names[((tc.pc+n)%12+12)%12]
			if int(ks.Fifths) != sigs[tc.mode][name] || ks.Minor != (tc.mode == music.Minor) {
				t.Errorf("%s --transpose %+d: key signature %+v, want %s's %d fifths", tc.chart, n, ks, name, sigs[tc.mode][name])
			}
		}
	}
}

// TestConvertForInstruments writes the Eb ballad for Bb, Eb and F
// instruments in the three formats that carry a written part, and reads
// each back at concert pitch.
func TestConvertForInstruments(t *testing.T) {
	dir := t.TempDir()
	src := "../../examples/ballad-eb.chart"
	cs, err := chart.DecodeBytes(must(os.ReadFile(src)))
	if err != nil {
		t.Fatal(err)
	}
	concert := cs[0]
	for _, tc := range []struct{ inst, key, header string }{{"Bb", "F", "instrument: Bb"}, {"Eb", "C", "instrument: Eb"}, {"F", "Bb", "instrument: F"}} {
		for _, ext := range []string{".musicxml", ".abc", ".chart"} {
			out := filepath.Join(dir, "part-"+tc.inst+ext)
			if status, _, errs := sideman(t, "convert", src, "--for", tc.inst, "-o", out); status != 0 {
				t.Fatalf("convert --for %s -o %s: status %d: %s", tc.inst, ext, status, errs)
			}
			data := must(os.ReadFile(out))
			var written, back *music.Chart
			switch ext {
			case ".musicxml":
				back, err = musicxml.Decoder{Source: out}.DecodeBytes(data)
				if !strings.Contains(string(data), "<transpose>") {
					t.Errorf("%s: no <transpose>", out)
				}
			case ".abc":
				var bs []*music.Chart
				bs, err = abc.Decoder{Source: out}.DecodeBytes(data)
				if err == nil {
					// ABC readers play what is written; abc2midi reads
					// the %%MIDI transpose (format/abc tests it).
					written = bs[0]
				}
				if !strings.Contains(string(data), "N:part for "+tc.inst+" instruments") {
					t.Errorf("%s: no N: line naming the instruments", out)
				}
			case ".chart":
				var bs []*music.Chart
				bs, err = chart.DecodeBytes(data)
				if err == nil {
					back = bs[0]
				}
				if !strings.Contains(string(data), "\n"+tc.header+"\n") {
					t.Errorf("%s: no %q header", out, tc.header)
				}
			}
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if written != nil {
				if k := written.KeyOrDefault(); k.Short() != tc.key {
					t.Errorf("%s: written in %v, want %s", out, k, tc.key)
				}
				continue
			}
			if back.KeyOrDefault() != concert.KeyOrDefault() {
				t.Errorf("%s: read back in %v, want concert %v", out, back.KeyOrDefault(), concert.KeyOrDefault())
			}
			for i := range concert.Bars {
				for j, ca := range concert.Bars[i].Chords {
					if b := back.Bars[i].Chords[j].Chord; !b.Same(ca.Chord) || b.Root != ca.Chord.Root {
						t.Errorf("%s: bar %d: %s read back as %s", out, i+1, ca.Chord, b)
					}
				}
			}
		}
	}
	// --transpose and --for together: the concert key first, then the
	// part. G minor concert is A minor for Bb instruments.
	out := filepath.Join(dir, "moved.chart")
	if status, _, errs := sideman(t, "convert", "../../examples/minor-blues-c.chart", "--transpose", "G", "--for", "Bb", "-o", out); status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if data := string(must(os.ReadFile(out))); !strings.Contains(data, "key: Am\n") {
		t.Errorf("C minor blues in G for Bb instruments:\n%s", data)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestTransposeBadInput(t *testing.T) {
	dir := t.TempDir()
	mid := filepath.Join(dir, "x.mid")
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", mid); status != 0 {
		t.Fatal(errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"band", "../../examples/blues-f.chart", "--transpose", "+12", "-o", filepath.Join(dir, "y.mid")}, "--transpose"},
		{[]string{"band", "../../examples/blues-f.chart", "--transpose", "H", "-o", filepath.Join(dir, "y.mid")}, "--transpose"},
		{[]string{"convert", "../../examples/blues-f.chart", "--for", "G", "-o", filepath.Join(dir, "y.musicxml")}, "--for"},
		{[]string{"convert", "../../examples/blues-f.chart", "--for", "Bb", "-o", filepath.Join(dir, "y.mid")}, "--for"},
		{[]string{"convert", mid, "--transpose", "Bb", "-o", filepath.Join(dir, "y.mid")}, "x.mid: holds notes"},
	} {
		status, _, errs := sideman(t, tc.args...)
		if status != 2 || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(strings.Split(errs, "usage:")[0]), "\n") > 0 {
			t.Errorf("%v: status %d, stderr %q; want 2 and one line naming %s", tc.args, status, errs, tc.want)
		}
	}
}
