package musicxml

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"testing"

	"sideman/examples"
	"sideman/format/abc"
	"sideman/format/chart"
	"sideman/music"
)

// measures splits an encoded part into its measures' text.
func measures(doc string) []string {
	part := doc[strings.Index(doc, "<part id=\"P1\">"):]
	if i := strings.Index(part, "</part>"); i >= 0 {
		part = part[:i]
	}
	out := strings.Split(part, "<measure ")
	return out[1:]
}

// TestChordChartSlashes writes every example chord chart and reads the
// score back as a musician would: one slash a beat in every bar, each
// chord symbol on the slash of its beat, four bars a line (a section
// starts a line), the repeats and volta brackets as written (not
// unrolled), and decoding gives back the chords and no melody.
func TestChordChartSlashes(t *testing.T) {
	for _, name := range examples.Names() {
		src, err := examples.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := chart.DecodeBytes(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			var buf bytes.Buffer
			if err := Encode(&buf, c); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			doc := buf.String()
			ms := measures(doc)
			if len(ms) != len(c.Bars) {
				t.Fatalf("%s: %d measures for %d bars", name, len(ms), len(c.Bars))
			}
			meters := c.BarMeters()
			line := 0
			for i, m := range ms {
				if got, want := strings.Count(m, "<notehead>slash</notehead>"), meters[i].Beats(); got != want {
					t.Errorf("%s bar %d: %d slashes in %v, want one a beat (%d)", name, i+1, got, meters[i], want)
				}
				if strings.Contains(m, "<rest") {
					t.Errorf("%s bar %d: a rest in a chord chart", name, i+1)
				}
				// Each chord comes just before the slash of its beat, with
				// an offset only when it falls inside the beat.
				if got, want := strings.Count(m, "<harmony>"), len(c.Bars[i].Chords); got != want {
					t.Errorf("%s bar %d: %d chord symbols, want %d", name, i+1, got, want)
				}
				beat := meters[i].BeatTicks()
				inside := 0
				for _, ch := range c.Bars[i].Chords {
					if ch.Offset%beat != 0 {
						inside++
					}
				}
				if got := strings.Count(m, "<offset>"); got != inside {
					t.Errorf("%s bar %d: %d chord offsets, want %d (chords inside a beat)", name, i+1, got, inside)
				}
				if strings.Contains(m, "new-system") || c.Bars[i].Section != "" && i > 0 {
					if !strings.Contains(m, "new-system") {
						t.Errorf("%s bar %d: section %q starts no line", name, i+1, c.Bars[i].Section)
					}
					line = 0
				}
				line++
				if line > 4 {
					t.Errorf("%s bar %d: %d bars on a line", name, i+1, line)
				}
			}
			if len(c.Bars) > 4 && !strings.Contains(doc, "new-system") {
				t.Errorf("%s: %d bars on one line", name, len(c.Bars))
			}
			var repeats, endings int
			for _, b := range c.Bars {
				repeats += b2i(b.RepeatStart) + b2i(b.RepeatEnd > 0)
				endings += b2i(b.Ending != 0)
			}
			if got := strings.Count(doc, "<repeat "); got != repeats {
				t.Errorf("%s: %d repeat signs, want %d as written", name, got, repeats)
			}
			if got := strings.Count(doc, "type=\"start\"/>") - strings.Count(doc, "<tie type=\"start\"/>") - strings.Count(doc, "<tied type=\"start\"/>"); got != endings {
				t.Errorf("%s: %d volta brackets, want %d", name, got, endings)
			}
			back, err := Decoder{Source: name}.DecodeBytes(buf.Bytes())
			if err != nil {
				t.Fatalf("%s: decoding the export: %v", name, err)
			}
			if len(back.Bars) != len(c.Bars) {
				t.Fatalf("%s: %d bars back, want %d", name, len(back.Bars), len(c.Bars))
			}
			for i := range c.Bars {
				if len(back.Bars[i].Notes) != 0 {
					t.Errorf("%s bar %d: slashes read back as %d notes", name, i+1, len(back.Bars[i].Notes))
				}
				if len(back.Bars[i].Chords) != len(c.Bars[i].Chords) {
					t.Errorf("%s bar %d: %d chords back, want %d", name, i+1, len(back.Bars[i].Chords), len(c.Bars[i].Chords))
					continue
				}
				for k, ch := range c.Bars[i].Chords {
					if got := back.Bars[i].Chords[k]; got.Offset != ch.Offset || !got.Chord.Same(ch.Chord) {
						t.Errorf("%s bar %d: chord %v at %d back as %v at %d", name, i+1, ch.Chord, ch.Offset, got.Chord, got.Offset)
					}
				}
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestLyricsRoundTrip writes a melody with a lyric of single words and
// a word of three syllables and reads it back.
func TestLyricsRoundTrip(t *testing.T) {
	four := music.Meter{Num: 4, Den: 4}
	words := []string{"Fly", "me", "to", "the", "moon,", "", "Au-", "tu-", "mn"}
	c := &music.Chart{Meter: &four, Parts: []music.Part{{Name: "Voice", Program: -1}}, Bars: make([]music.Bar, 3)}
	for i, w := range words {
		c.Bars[i/4].Notes = append(c.Bars[i/4].Notes, music.Note{Pitch: uint8(60 + i), Velocity: 80, Start: music.Ticks(i%4) * music.PPQ, Duration: music.PPQ, Lyric: w})
	}
	var buf bytes.Buffer
	if err := Encode(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<syllabic>begin</syllabic>\n          <text>Au</text>", "<syllabic>middle</syllabic>\n          <text>tu</text>", "<syllabic>end</syllabic>\n          <text>mn</text>", "<syllabic>single</syllabic>\n          <text>moon,</text>"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("export lacks %q", want)
		}
	}
	back, err := Decoder{Source: "lyrics"}.DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range back.Bars {
		for _, n := range b.Notes {
			got = append(got, n.Lyric)
		}
	}
	if strings.Join(got, "|") != strings.Join(words, "|") {
		t.Errorf("lyrics back %q, want %q", got, words)
	}
}

// lyrics lists a chart's syllables in written order, hyphens and all.
func lyrics(c *music.Chart) []string {
	var out []string
	for _, b := range c.Bars {
		for _, n := range b.Notes {
			if n.Lyric != "" {
				out = append(out, n.Lyric)
			}
		}
	}
	return out
}

// TestOpenEWLDLyrics reads the lyrics of every OpenEWLD sheet that has
// them, checks they survive Encode and Decode, and MusicXML to ABC (w:
// lines) to MusicXML.
func TestOpenEWLDLyrics(t *testing.T) {
	c := loadCorpus(t, "openewld")
	sheets, syllables, abcLost, abcSheets := 0, 0, 0, 0
	var abcBad []string
	for i := range c.names {
		name := path.Base(c.names[i])
		ch, err := Decoder{Source: name}.DecodeBytes(c.data[i])
		if err != nil {
			t.Fatal(err)
		}
		want := lyrics(ch)
		if len(want) == 0 {
			continue
		}
		sheets++
		syllables += len(want)
		var buf bytes.Buffer
		if err := Encode(&buf, ch); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Decoder{Source: name}.DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: decoding the export: %v", name, err)
		}
		if got := lyrics(back); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: MusicXML round trip keeps %d of %d syllables", name, len(got), len(want))
		}
		// MusicXML to ABC to MusicXML.
		var ab bytes.Buffer
		if err := abc.Encode(&ab, []*music.Chart{ch}); err != nil {
			continue // charts ABC cannot write are the ABC tests' business
		}
		tunes, err := abc.Decoder{Source: name + ".abc"}.DecodeBytes(ab.Bytes())
		if err != nil || len(tunes) != 1 {
			t.Errorf("%s: ABC export does not read back: %v", name, err)
			continue
		}
		abcSheets++
		var x bytes.Buffer
		if err := Encode(&x, tunes[0]); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := Decoder{Source: name}.DecodeBytes(x.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := lyrics(again); strings.Join(got, " ") != strings.Join(want, " ") {
			abcLost += len(want) - common(got, want)
			if len(abcBad) < 3 {
				abcBad = append(abcBad, fmt.Sprintf("%s keeps %d of %d (%q..., want %q...)", name, common(got, want), len(want), first(got, 6), first(want, 6)))
			}
		}
	}
	t.Logf("OpenEWLD: %d sheets with lyrics, %d syllables; %d sheets through ABC, %d syllables lost there", sheets, syllables, abcSheets, abcLost)
	if sheets == 0 {
		t.Fatal("no OpenEWLD sheet has lyrics: the decoder lost them")
	}
	if abcLost > 0 {
		t.Errorf("MusicXML to ABC to MusicXML loses %d of %d syllables: %s", abcLost, syllables, strings.Join(abcBad, "; "))
	}
}

// common is the length of the longest common prefix.
func common(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
