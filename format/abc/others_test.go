package abc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sideman/format/midi"
	"sideman/format/musicxml"
	"sideman/internal/shareddata"
	"sideman/music"
)

// abc2midiLyrics reads the syllable abc2midi sings on each note it
// strikes, in order: the first text event at the note's tick (its
// karaoke lyrics; the track's name comes before the first), without the
// marks of a new line ("/", "\\") and the space before a new word; ""
// where there is none.
func abc2midiLyrics(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := midi.DecodeBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := range f.Tracks {
		tr := &f.Tracks[i]
		syl, at := "", int64(-1)
		for _, e := range tr.Events {
			switch {
			case e.IsMeta() && e.MetaType() == midi.MetaText && e.Tick != at:
				syl, at = strings.TrimLeft(tr.Text(e), "/\\ "), e.Tick
			case e.IsNoteOn():
				if at != e.Tick {
					syl = ""
				}
				out = append(out, syl)
				syl, at = "", -1
			}
		}
	}
	return out
}

// sungBy lists the syllable of each note played as abc2midi writes it,
// without the hyphen of a word that goes on.
func sungBy(c *music.Chart) []string {
	var sung []string
	for _, n := range c.Perform(1).Parts[0].Notes {
		sung = append(sung, strings.TrimSuffix(n.Lyric, "-"))
	}
	return sung
}

// abc2midiSounding reads a MIDI file abc2midi wrote into the sets of
// pitches struck together, each note bent by the pitch bend in force on
// its channel (abc2midi plays microtonal accidentals as bends of two
// semitones' range) and rounded to the nearest semitone, a tie going to
// the unbent note, as Decode rounds a microtonal accidental. bent counts
// the notes that sounded bent.
func abc2midiSounding(t *testing.T, data []byte) (sets [][]uint8, bent int) {
	t.Helper()
	f, err := midi.DecodeBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	type on struct {
		tick  int64
		pitch uint8
	}
	var ons []on
	for _, tr := range f.Tracks {
		var bend [16]int
		for _, e := range tr.Events {
			switch {
			case e.Kind() == midi.PitchBend:
				bend[e.Channel()] = e.PitchBend()
			case e.IsNoteOn():
				b := bend[e.Channel()]
				// b/4096 semitones, to the nearest whole one, halves
				// toward none.
				semis := int((abs(int64(b))*2 + 4095) / 8192)
				if b < 0 {
					semis = -semis
				}
				if b != 0 {
					bent++
				}
				ons = append(ons, on{e.Tick, uint8(int(e.Data1) + semis)})
			}
		}
	}
	slices.SortStableFunc(ons, func(a, b on) int { return int(a.tick - b.tick) })
	for i := 0; i < len(ons); {
		var set []uint8
		j := i
		for ; j < len(ons) && ons[j].tick == ons[i].tick; j++ {
			set = append(set, ons[j].pitch)
		}
		slices.Sort(set)
		sets = append(sets, slices.Compact(set))
		i = j
	}
	return sets, bent
}

// TestOthersAgainstAbc2midi plays the tunes of testdata/others.abc, one
// for each construct of ABC as other programs write it that Decode once
// refused (explicit accidentals in K:, microtonal accidentals, "| :",
// U: and unknown decorations, spacers with a width, w: lyrics), with
// abc2midi and with Decode: the pitches played must be the same, note for
// note, and each tune must show its construct at work. abc2midi must play
// what Encode writes of them the same again.
func TestOthersAgainstAbc2midi(t *testing.T) {
	bin, err := exec.LookPath("abc2midi")
	if err != nil {
		t.Skip("abc2midi not installed (Debian package abcmidi); skipping the cross-check")
	}
	src, err := os.ReadFile(filepath.Join("testdata", "others.abc"))
	if err != nil {
		t.Fatal(err)
	}
	charts, err := Decoder{Source: "others.abc"}.DecodeBytes(src)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if len(charts) != 7 {
		t.Fatalf("%d tunes, want 7", len(charts))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "others.abc"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "others.abc", "-NGUI", "-NGRA", "-silent")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("abc2midi: %v\n%s", err, out)
	}
	// What Encode writes of them (lyrics as w: lines) plays the same.
	var enc bytes.Buffer
	if err := Encode(&enc, charts); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "enc.abc"), enc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, "enc.abc", "-NGUI", "-NGRA", "-silent")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("abc2midi: %v\n%s", err, out)
	}
	for i, c := range charts {
		if data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("enc%d.mid", i+1))); err != nil {
			t.Errorf("X:%d %s: abc2midi made nothing of what Encode wrote", i+1, c.Title)
		} else if theirs, _ := abc2midiSounding(t, data); firstDiff(played(t, c), theirs) >= 0 {
			t.Errorf("X:%d %s: abc2midi plays what Encode wrote differently:\n%s", i+1, c.Title, enc.String())
		} else if sung, got := sungBy(c), abc2midiLyrics(t, data); !slices.Equal(sung, got) {
			t.Errorf("X:%d %s: abc2midi sings what Encode wrote as %q, want %q", i+1, c.Title, got, sung)
		}
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("others%d.mid", i+1)))
		if err != nil {
			t.Errorf("X:%d %s: abc2midi wrote no MIDI file", i+1, c.Title)
			continue
		}
		theirs, bent := abc2midiSounding(t, data)
		ours := played(t, c)
		if k := firstDiff(ours, theirs); k >= 0 {
			t.Errorf("X:%d %s: pitch set %d of %d/%d: ours %v, abc2midi %v", i+1, c.Title, k, len(ours), len(theirs), showSets(ours, k), showSets(theirs, k))
		}
		written := 0
		for _, b := range c.Bars {
			written += len(b.Notes)
		}
		// abc2midi's karaoke lyrics: the same syllables on the same
		// notes (abc2midi marks a word going on by no space before the
		// next syllable, not a hyphen).
		sung := sungBy(c)
		if got := abc2midiLyrics(t, data); !slices.Equal(sung, got) {
			t.Errorf("X:%d %s: syllables %q, abc2midi sings %q", i+1, c.Title, sung, got)
		}
		t.Logf("X:%d %s: %d notes played alike (%d bent by abc2midi)", i+1, c.Title, len(ours), bent)
		// The construct at work.
		switch i + 1 {
		case 3:
			if bent < 8 {
				t.Errorf("X:3: abc2midi bent %d notes, want the 8 microtonal ones at least", bent)
			}
		case 4:
			if len(ours) != written+9 {
				t.Errorf("X:4: %d notes played of %d written, want both repeats (%d)", len(ours), written, written+9)
			}
		case 7:
			want := "Here's|a|song|long|for|sing-|ing|of the day|when|go||home|a-|gain|and|sing|-long|"
			if got := noteLyrics(c); got != want {
				t.Errorf("X:7: lyrics %q, want %q", got, want)
			}
		}
	}
}

// TestNoXField: a file without an X: field is no tune to abc2midi, which
// writes no MIDI file, and Decode says so in one line.
func TestNoXField(t *testing.T) {
	src := "T:No number\nM:4/4\nK:C\nCDEF|]\n"
	_, err := Decoder{Source: "nox.abc"}.DecodeBytes([]byte(src))
	if !errors.Is(err, ErrNoTunes) || strings.Contains(err.Error(), "\n") {
		t.Errorf("Decode: %v, want ErrNoTunes in one line", err)
	}
	bin, err := exec.LookPath("abc2midi")
	if err != nil {
		t.Skip("abc2midi not installed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nox.abc"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "nox.abc", "-silent")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	if mids, _ := filepath.Glob(filepath.Join(dir, "*.mid")); len(mids) != 0 {
		t.Errorf("abc2midi played a file without X: (%s): %s", mids, out)
	}
}

// TestMicrotones reads microtonal accidentals as the nearest semitone,
// a tie going to the natural note.
func TestMicrotones(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"^/c4", "C5"},                 // a quarter tone sharp: C
		{"_/c4", "C5"},                 // a quarter tone flat: C
		{"_3/2c4", "B4"},               // three quarter tones flat
		{"^3/4c4", "C#5"},              // three eighths of a tone sharp
		{"_1/3c4", "C5"},               // a third of a semitone flat
		{"^2c4", "D5"},                 // two semitones
		{"^5/2c4", "D5"},               // two and a half: two at most
		{"^/f c^/f f2", "F5 C5 F5 F5"}, // carried through the bar
		{"[K:C ^/f ^3/4g]f g4", "F5 G#5"},
		{"[K:G]^/f _/B4", "F5 B4"}, // the natural, not the key's F sharp
	} {
		cs, err := DecodeBytes([]byte(tune(tc.src)))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := playedPitches(cs[0]); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestRepeatSignsApart reads "| :" as "|:" (as abc2midi does) and ": |"
// as ":|" (abc2midi drops the colon and plays no repeat; its writer meant
// one), and drops a colon that stands by no barline, as abc2midi does.
func TestRepeatSignsApart(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"C8| : D8 :|E8|]", "C4 D4 D4 E4"},
		{"C8|:D8 : |E8|]", "C4 D4 D4 E4"},
		{"C8|  :  D8 : |]", "C4 D4 D4"},
		{"C4 : D4|E8|]", "C4 D4 E4"},
		{"|:C8| :|D8|]", "C4 C4 D4"},
	} {
		cs, err := DecodeBytes([]byte(tune(tc.src)))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := playedPitches(cs[0]); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestUserSymbols maps the symbols a U: field defines, and the defaults of
// abc 2.1 (S the segno, O the coda), to their decorations: the navigation
// marks set the bars' marks; the others, and decorations no reader knows,
// change no note.
func TestUserSymbols(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"X:1\nM:4/4\nL:1/4\nU:W=!D.S.!\nK:C\nCDEF|SGABc|defgW|]\n", "C4 D4 E4 F4 G4 A4 B4 C5 D5 E5 F5 G5 G4 A4 B4 C5 D5 E5 F5 G5"},
		{"X:1\nM:4/4\nL:1/4\nK:C\nU: T = +D.C.+\nCDEF|GABcT|]\n", "C4 D4 E4 F4 G4 A4 B4 C5 C4 D4 E4 F4 G4 A4 B4 C5"},
		// Redefined, S is no segno: D.S. goes back to the start.
		{"X:1\nM:4/4\nL:1/4\nU:S=!trill!\nK:C\nCDEF|SGABc!D.S.!|]\n", "C4 D4 E4 F4 G4 A4 B4 C5 C4 D4 E4 F4 G4 A4 B4 C5"},
		{"X:1\nM:4/4\nL:1/4\nU:X=!fermata!\nU:h=!whatever!\nK:C\n!myown!C hD +foo+E !<(!F!<)!|]\n", "C4 D4 E4 F4"},
	} {
		cs, err := DecodeBytes([]byte(tc.src))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := playedPitches(cs[0]); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.src, got, tc.want)
		}
	}
}

// TestSpacerWidth skips the width after a spacer.
func TestSpacerWidth(t *testing.T) {
	cs, err := DecodeBytes([]byte(tune("y2 C2 y10D2 y2.5 E2 y/F2|]")))
	if err != nil {
		t.Fatal(err)
	}
	if got := playedPitches(cs[0]); got != "C4 D4 E4 F4" {
		t.Errorf("%s, want C4 D4 E4 F4", got)
	}
}

// lyricsOf lists the syllables of a chart's notes in written order.
func lyricsOf(c *music.Chart) []string {
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

// noteLyrics lists the syllable of every note played, "" for none.
func noteLyrics(c *music.Chart) string {
	var out []string
	for _, n := range c.Perform(1).Parts[0].Notes {
		out = append(out, n.Lyric)
	}
	return strings.Join(out, "|")
}

// TestLyrics aligns w: lines with notes as abc 2.1 (5.1) says.
func TestLyrics(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"words", "CDEF|\nw:one two three four", "one|two|three|four"},
		{"hyphens", "CDEF|\nw:syll-a-ble end", "syll-|a-|ble|end"},
		{"hyphen after hyphen skips a note", "CDEF|\nw:syll-a--ble", "syll-|a-||ble"},
		{"underscore holds", "CDEF|\nw:time__ of", "time|||of"},
		{"hyphen then underscore", "CDEF|\nw:syll-a-_ble", "syll-|a-||ble"},
		{"star skips", "CDEF|\nw:* one * two", "|one||two"},
		{"tilde joins words", "CDEF|\nw:of~the~day two", "of the day|two||"},
		{"escaped hyphen", "CDEF|\nw:a\\-b c", "a-b|c||"},
		{"bar advances", "CDEF|GABc|\nw:one|two three", "one||||two|three||"},
		{"bar ignored when the bar is full", "CD|EF|\nw:a b|c d", "a|b|c|d"},
		{"rests take none", "CzDz|EF\nw:a b c d", "a|b|c|d"},
		{"grace notes take none", "C{d}D{ef}EF|\nw:a b c d", "a|b|c|d"},
		{"chords take one", "[CE]D|\nw:a b", "a||b"},
		{"ties take one each", "C2-C2 D4|\nw:love_ me", "love|me"},
		{"tie across the bar", "C4-|C4 D4|\nw:long_ short", "long|short"},
		{"a syllable on the tied note", "C2-C2 D4|\nw:a b c", "a|c"},
		{"each line its own", "CD|\nw:a\nEF|\nw:c d", "a||c|d"},
		{"second verse not read", "CD|\nw:a b\nw:x y", "a|b"},
		{"plus continues", "CDEF|\nw:a b\n+:c d", "a|b|c|d"},
		{"continued music line", "CD\\\nEF|\nw:a b c d", "a|b|c|d"},
		{"too many syllables", "CD|\nw:a b c d\nEF|", "a|b||"},
		{"percent", "CD|\nw:50\\% b % a comment", "50%|b"},
		{"other voice", "[V:1]CD|\n[V:2]EF|\nw:x y\n[V:1]GA|\nw:a b", "||a|b"},
	} {
		cs, err := DecodeBytes([]byte(tune(tc.src)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := noteLyrics(cs[0]); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestLyricsEncode writes syllables as w: lines that Decode and the
// standard read back to the same syllables on the same notes: across ties
// over the barline, chords, rests and notes without a syllable, with the
// symbols a syllable may hold.
func TestLyricsEncode(t *testing.T) {
	four := music.Meter{Num: 4, Den: 4}
	c := &music.Chart{Meter: &four, Parts: []music.Part{{Name: "Voice", Role: "melody"}}, Bars: make([]music.Bar, 4)}
	add := func(bar int, start, dur music.Ticks, pitch uint8, lyric string) {
		c.Bars[bar].Notes = append(c.Bars[bar].Notes, music.Note{Pitch: pitch, Velocity: 80, Start: start * music.PPQ / 2, Duration: dur * music.PPQ / 2, Lyric: lyric})
	}
	add(0, 0, 2, 60, "Au-")
	add(0, 2, 2, 62, "tumn")
	add(0, 4, 2, 64, "")
	add(0, 6, 4, 65, "leaves") // over the barline
	add(1, 2, 2, 67, "of the")
	add(1, 4, 2, 69, "x-ray-")
	add(1, 4, 2, 72, "")
	add(1, 6, 2, 71, "-")
	add(2, 0, 2, 72, "100%")
	add(2, 4, 4, 74, "a_b*c|d~e")
	add(3, 0, 8, 76, "end.")
	var buf bytes.Buffer
	if err := Encode(&buf, []*music.Chart{c}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\nw:") {
		t.Fatalf("no w: line:\n%s", buf.String())
	}
	back, err := DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	want := "Au-|tumn||leaves|of the|x-ray-||-|100%|abcd e|end."
	if got := noteLyrics(back[0]); got != want {
		t.Errorf("lyrics back %q, want %q\n%s", got, want, buf.String())
	}
	// Without syllables, no w: line.
	for i := range c.Bars {
		for j := range c.Bars[i].Notes {
			c.Bars[i].Notes[j].Lyric = ""
		}
	}
	buf.Reset()
	if err := Encode(&buf, []*music.Chart{c}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "w:") {
		t.Errorf("a w: line without syllables:\n%s", buf.String())
	}
}

// TestOpenEWLDLyricsAbc2midi writes every OpenEWLD lead sheet that has
// lyrics as ABC (in written order: without its repeats and jumps) and has
// abc2midi sing it: its karaoke lyrics must put the same syllables on the
// same notes as Decode does, so the w: lines mean to another reader what
// they mean here. (format/musicxml's
// TestOpenEWLDLyrics checks that the syllables come back to MusicXML.)
func TestOpenEWLDLyricsAbc2midi(t *testing.T) {
	bin, err := exec.LookPath("abc2midi")
	if err != nil {
		t.Skip("abc2midi not installed (Debian package abcmidi); skipping the cross-check")
	}
	ms, data, err := shareddata.ReadTarGz(shareddata.File(t, "openewld/OpenEWLD.tar.gz"), shareddata.HasSuffix(".mxl"))
	if err != nil {
		t.Fatal(err)
	}
	var charts []*music.Chart
	var names []string
	for i, m := range ms {
		c, err := musicxml.Decoder{Source: m.Name}.DecodeBytes(data[i])
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if len(lyricsOf(c)) == 0 {
			continue
		}
		// abc2midi sings a repeat once, Chart.Perform on every pass:
		// compare the syllables in written order.
		for j := range c.Bars {
			b := &c.Bars[j]
			b.RepeatStart, b.RepeatEnd, b.Ending, b.Jump = false, 0, 0, music.NoJump
			b.Segno, b.Coda, b.ToCoda, b.Fine = false, false, false, false
		}
		charts, names = append(charts, c), append(names, filepath.Base(m.Name))
	}
	var enc bytes.Buffer
	if err := Encode(&enc, charts); err != nil {
		t.Fatal(err)
	}
	back, err := Decoder{Source: "openewld.abc"}.DecodeBytes(enc.Bytes())
	if err != nil || len(back) != len(charts) {
		t.Fatalf("%d of %d tunes read back: %v", len(back), len(charts), err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ewld.abc"), enc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "ewld.abc", "-NGUI", "-NGRA", "-silent")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("abc2midi: %v\n%s", err, out)
	}
	syllables, alike := 0, 0
	seen := map[string]bool{}
	for i, c := range back {
		sung := sungBy(c)
		for _, s := range sung {
			if s != "" {
				syllables++
			}
		}
		mid, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("ewld%d.mid", i+1)))
		if err != nil {
			t.Errorf("%s: abc2midi wrote no MIDI file", names[i])
			continue
		}
		got := abc2midiLyrics(t, mid)
		// abc2midi leaves out a verse number ("1.~What") and an
		// apostrophe, comma or full stop at the start of a syllable
		// ("ev-'ry").
		for _, s := range [][]string{sung, got} {
			for k, syl := range s {
				s[k] = strings.TrimLeft(verseNumber.ReplaceAllString(syl, ""), "'.,")
			}
		}
		why, listed := lyricDiffs[names[i]]
		seen[names[i]] = true
		switch same := slices.Equal(sung, got); {
		case same && listed:
			t.Errorf("%s agrees with abc2midi; remove it from lyricDiffs (%s)", names[i], why)
		case same:
			alike++
		case !listed:
			k := 0
			for k < len(sung) && k < len(got) && sung[k] == got[k] {
				k++
			}
			t.Errorf("%s: abc2midi sings note %d of %d/%d as %q, Decode %q", names[i], k, len(sung), len(got), first(got[k:], 4), first(sung[k:], 4))
		}
	}
	for name := range lyricDiffs {
		if !seen[name] {
			t.Errorf("lyricDiffs lists %s, which has no lyrics", name)
		}
	}
	t.Logf("OpenEWLD: %d of %d sheets with lyrics (%d syllables) sung by abc2midi as Decode reads them", alike, len(back), syllables)
	if alike < len(back)-len(lyricDiffs) {
		t.Errorf("%d sheets alike, want %d", alike, len(back)-len(lyricDiffs))
	}
}

// lyricDiffs are the OpenEWLD sheets whose syllables abc2midi sings on
// other notes than Decode reads them on, with the cause.
var lyricDiffs = map[string]string{
	"Smilin'_Through.mxl":         "a syllable of a comma alone: abc2midi drops it and sings the next syllable early",
	"It_Had_to_Be_You.mxl":        "a tie over every barline for 16 bars: a line starts on a tied note, to which abc2midi gives no syllable",
	"Flight_of_the_Bumblebee.mxl": "a syllable of digits alone (36): abc2midi does not sing it",
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

var verseNumber = regexp.MustCompile(`^[0-9]+[.:] *`)
