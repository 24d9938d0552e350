package ireal

import (
	"bytes"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPlaylist is the hand-made playlist of testdata/playlist.txt and a
// chart built here, in other notation than iReal Pro's.
func goldenPlaylist(t *testing.T) *Playlist {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "playlist.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	key := music.Key{Tonic: music.Spelling{Step: music.D}, Mode: music.Dorian}
	waltz := music.Meter{Num: 3, Den: 4}
	c := &music.Chart{Title: "Foreign Symbols", Composer: "Test Band", Style: "Waltz", Key: &key, Meter: &waltz, Tempo: 160}
	for _, bar := range [][]string{
		{"Dm7", "", "G7sus4"}, {"Cmaj7"}, {"Fm7b5", "Bb7(b9,#11)"}, {"Ebm(maj7)/D"},
		{"Cdim7", "", "C7(b9,#9,#11,b13)"}, {"Abb"}, {"N.C."}, {},
	} {
		var b music.Bar
		for i, sym := range bar {
			if sym != "" {
				b.Chords = append(b.Chords, music.ChordAt{Offset: music.Ticks(i) * music.PPQ, Chord: music.MustParseChord(sym)})
			}
		}
		c.Bars = append(c.Bars, b)
	}
	c.Bars[0].Section, c.Bars[4].Section = "Head", "Outro"
	c.Bars[1].Comment = "rubato > a tempo"
	p.Charts = append(p.Charts, c)
	return p
}

func TestEncodeGolden(t *testing.T) {
	p := goldenPlaylist(t)
	var buf bytes.Buffer
	if err := Encode(&buf, p); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "encode.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Encode differs from %s (run with -update to accept):\n got %s\nwant %s", golden, buf.Bytes(), want)
	}
	// The decoded charts come back as they were; the built one in iReal
	// Pro's notation, sounding the same.
	q := reencode(t, p)
	for i, c := range p.Charts[:3] {
		if d := chartDiff(c, q.Charts[i]); d != "" {
			t.Errorf("%q: %s", c.Title, d)
		}
	}
	built, back := p.Charts[3], q.Charts[3]
	var got []string
	for i, b := range back.Bars {
		for j, ca := range b.Chords {
			want := built.Bars[i].Chords[j]
			if ca.Offset != want.Offset || !ca.Chord.Same(want.Chord) {
				t.Errorf("bar %d: %v@%d, want %v@%d", i+1, ca.Chord, ca.Offset, want.Chord, want.Offset)
			}
			got = append(got, ca.Chord.Symbol)
		}
	}
	if want := "D-7 G7sus C^7 Fh7 Bb7b9#11 Eb-^7/D Co7 C7b9#9#11b13 G N.C."; strings.Join(got, " ") != want {
		t.Errorf("symbols %s, want %s", strings.Join(got, " "), want)
	}
	if back.Key == nil || back.Key.Mode != music.Minor || back.Bars[0].Comment != "Head" || back.Bars[1].Comment != "rubato ) a tempo" {
		t.Errorf("key %v, comments %q %q", back.Key, back.Bars[0].Comment, back.Bars[1].Comment)
	}
}

// TestEncodeText checks the chart text Encode writes for a few bars.
func TestEncodeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"blues with a repeat bar", "[T44C7   |F7   |C7   | x  |F7 G7 Z", "[T44C7   |F7   |C7   | x  |F7 G7 Z"},
		{"repeat and endings", "{C   |N1D   }N2E   Z", "{C   |N1D   }|N2E   Z"},
		{"sections and jumps", "[*AC   |SD  Q ][*B<D.S. al Coda>E   ]Y[QF   Z", "[*AC   |SD   Q][*BE   <D.S. al Coda>|QF   Z"},
		{"slashes and small chords", "[ppC sD,E,|lF   Z", "[pC,D,E|F   Z"},
		{"meters", "[T34C D |T68E   Z", "[T34C  D  |T68E     Z"},
		{"three times", "{C  <3x> }", "{C   <3x>}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodeBytes([]byte(link(tt.name, "C", tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			text, err := chartText(p.Charts[0])
			if err != nil {
				t.Fatal(err)
			}
			if text != tt.want {
				t.Errorf("chart text\n got %q\nwant %q", text, tt.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	five16 := music.Meter{Num: 5, Den: 16}
	for name, p := range map[string]*Playlist{
		"title with =":  {Charts: []*music.Chart{{Title: "a=b"}}},
		"name with ===": {Name: "a===b"},
		"meter 5/16":    {Charts: []*music.Chart{{Title: "x", Meter: &five16, Bars: []music.Bar{{}}}}},
	} {
		if err := Encode(&bytes.Buffer{}, p); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: error %v, want ErrUnsupported", name, err)
		}
	}
}

// TestEncodeFields checks the song fields of an encoded link.
func TestEncodeFields(t *testing.T) {
	key := music.Key{Tonic: music.Spelling{Step: music.C, Alter: 1}, Mode: music.Minor}
	var buf bytes.Buffer
	err := Encode(&buf, &Playlist{Name: "Set 1", Charts: []*music.Chart{{Title: "Tune", Composer: "Doe Jane", Style: "Bossa Nova", Key: &key, Tempo: 140}}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := url.PathUnescape(strings.TrimPrefix(buf.String(), "irealb://"))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(s, "=")
	if got := strings.Join([]string{f[0], f[1], f[2], f[3], f[4], f[5], f[7], f[8], f[9]}, "|"); got != "Tune|Doe Jane||Bossa Nova|C#-|0||140|0" {
		t.Errorf("fields %s", got)
	}
	if !strings.HasPrefix(f[6], musicPrefix) || !strings.HasSuffix(s, "===Set 1") {
		t.Errorf("link %s", s)
	}
}
