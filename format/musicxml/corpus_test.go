package musicxml

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"sideman/internal/shareddata"
	"sideman/music"
)

// corpus is a set of score files read from one archive of ../shared/data.
type corpus struct {
	names []string // member names, sorted
	data  [][]byte
	bytes int64
}

var (
	corpusOnce sync.Map // name -> *corpusLoad
)

type corpusLoad struct {
	once sync.Once
	c    *corpus
	err  error
}

// loadCorpus reads "openewld" (502 .mxl lead sheets) or "vienna" (4
// .musicxml piano scores) from their archives once per test binary.
func loadCorpus(tb testing.TB, name string) *corpus {
	tb.Helper()
	var archive, suffix string
	switch name {
	case "openewld":
		archive, suffix = "openewld/OpenEWLD.tar.gz", ".mxl"
	case "vienna":
		archive, suffix = "vienna4x22/vienna4x22.tar.gz", ".musicxml"
	default:
		tb.Fatalf("unknown corpus %q", name)
	}
	file := shareddata.File(tb, archive)
	v, _ := corpusOnce.LoadOrStore(name, new(corpusLoad))
	l := v.(*corpusLoad)
	l.once.Do(func() {
		ms, data, err := shareddata.ReadTarGz(file, shareddata.HasSuffix(suffix))
		if err != nil {
			l.err = err
			return
		}
		c := &corpus{}
		idx := make([]int, len(ms))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return ms[idx[a]].Name < ms[idx[b]].Name })
		for _, i := range idx {
			c.names = append(c.names, ms[i].Name)
			c.data = append(c.data, data[i])
			c.bytes += int64(len(data[i]))
		}
		l.c = c
	})
	if l.err != nil {
		tb.Fatal(l.err)
	}
	return l.c
}

// corpusExceptions lists the corpus files Decode may refuse, with why. It
// is empty: every OpenEWLD and Vienna 4x22 score decodes. A file that
// starts failing must be fixed or entered here with its cause.
var corpusExceptions = map[string]string{}

// TestCorpus reads every OpenEWLD lead sheet and Vienna 4x22 score and
// checks what a lead sheet must hold: notes in range, chord symbols,
// meters, and a played form that ends where its notes do.
func TestCorpus(t *testing.T) {
	type stats struct {
		files, failed, notes, played, chords, bars, pickups, repeats, endings, navigation, ties int
		multiPart                                                                               int
	}
	for _, name := range []string{"openewld", "vienna"} {
		c := loadCorpus(t, name)
		var st stats
		kinds := map[string]int{}
		for i, data := range c.data {
			base := path.Base(c.names[i])
			st.files++
			ch, err := Decoder{Source: base}.DecodeBytes(data)
			if why, ok := corpusExceptions[base]; ok {
				if err == nil {
					t.Errorf("%s: listed as an exception (%s) but decodes", base, why)
				}
				st.failed++
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.names[i], err)
				st.failed++
				continue
			}
			var e *ParseError
			_ = errors.As(err, &e)
			st.notes += ch.WrittenNotes()
			if ch.WrittenNotes() == 0 {
				t.Errorf("%s: no notes", base)
			}
			p := ch.Perform(1)
			st.played += p.NoteCount()
			st.bars += len(ch.Bars)
			if len(ch.Parts) > 1 {
				st.multiPart++
			}
			if ch.Title == "" && name == "openewld" {
				t.Errorf("%s: no title", base)
			}
			for bi, b := range ch.Bars {
				st.chords += len(b.Chords)
				for _, ca := range b.Chords {
					kinds[ca.Chord.Name()[len(ca.Chord.Root.String()):]]++
					if ca.Offset < 0 || ca.Offset >= ch.BarMeters()[bi].BarTicks() {
						t.Errorf("%s: bar %d: chord %v at offset %d outside the bar", base, bi+1, ca.Chord, ca.Offset)
					}
				}
				if b.RepeatEnd > 0 {
					st.repeats++
				}
				if b.Ending != 0 {
					st.endings++
				}
				if b.Jump != music.NoJump {
					st.navigation++
				}
				for _, n := range b.Notes {
					if n.Duration <= 0 || n.Origin == nil || n.Origin.Source != base || n.Origin.Kind != music.Imported {
						t.Fatalf("%s: bar %d: bad note %+v", base, bi+1, n)
					}
					if n.Start+n.Duration > ch.BarMeters()[bi].BarTicks() {
						st.ties++
					}
				}
				if b.Meter != nil && bi == 0 && ch.Meter != nil && b.Meter.BarTicks() < ch.Meter.BarTicks() {
					st.pickups++
				}
			}
			// The played form covers every note: none starts after it ends.
			played := ch.Unroll(1)
			if end := played[len(played)-1].End(); p.End() > end+ch.MeterOrDefault().BarTicks()*4 {
				t.Errorf("%s: notes run to %d, far past the form's end %d", base, p.End(), end)
			}
		}
		t.Logf("%s: %d files, %d decoded (%.1f%%), %d bars, %d written notes (%d tied over a barline), %d played, %d chord symbols, %d pickups, %d repeats, %d volta brackets, %d D.C./D.S., %d with several parts",
			name, st.files, st.files-st.failed, 100*float64(st.files-st.failed)/float64(st.files), st.bars, st.notes, st.ties, st.played, st.chords, st.pickups, st.repeats, st.endings, st.navigation, st.multiPart)
		if name == "openewld" {
			var ks []string
			for k, n := range kinds {
				ks = append(ks, fmt.Sprintf("%q:%d", k, n))
			}
			slices.Sort(ks)
			t.Logf("openewld chord qualities: %s", strings.Join(ks, " "))
			if st.files != 502 {
				t.Errorf("OpenEWLD has %d lead sheets, want 502", st.files)
			}
			if st.chords < 15000 {
				t.Errorf("only %d chord symbols read from OpenEWLD", st.chords)
			}
		}
		if limit := st.files / 200; st.failed > limit {
			t.Errorf("%s: %d files fail, more than 0.5%%", name, st.failed)
		}
	}
}

// TestCorpusFacts checks facts about particular corpus scores, read off
// the scores by hand.
func TestCorpusFacts(t *testing.T) {
	c := loadCorpus(t, "openewld")
	find := func(suffix string) *music.Chart {
		t.Helper()
		for i, n := range c.names {
			if strings.HasSuffix(n, suffix) {
				ch, err := Decoder{Source: path.Base(n)}.DecodeBytes(c.data[i])
				if err != nil {
					t.Fatal(err)
				}
				return ch
			}
		}
		t.Fatalf("no %s in OpenEWLD", suffix)
		return nil
	}
	// The container.xml of this archive quotes its path with apostrophes
	// and holds one ("St. Mary's"): the score is found all the same.
	bells := find("The_Bells_of_St._Mary's.mxl")
	if bells.Title != "The Bells Of St Mary's" || bells.Composer != "Emmett Adams" {
		t.Errorf("Bells: title %q composer %q", bells.Title, bells.Composer)
	}
	if bells.Key == nil || bells.Key.String() != "C major" || bells.Meter == nil || *bells.Meter != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("Bells: key %v meter %v, want C major 4/4", bells.Key, bells.Meter)
	}
	// Its first bar is a half and a quarter rest and a pickup C4 to the
	// F4 of bar 2, under an F major chord.
	b0, b1 := bells.Bars[0], bells.Bars[1]
	if len(b0.Notes) != 1 || b0.Notes[0].Pitch != 60 || b0.Notes[0].Start != 3*music.PPQ {
		t.Errorf("Bells bar 1: %+v", b0.Notes)
	}
	if len(b1.Chords) != 1 || b1.Chords[0].Chord.Name() != "F" || b1.Notes[0].Pitch != 65 {
		t.Errorf("Bells bar 2: chords %v notes %+v", b1.Chords, b1.Notes)
	}
	// Summertime (2/2) opens with a half-bar pickup: a 1/2 bar, then 2/2.
	st := find("Summertime.mxl")
	if st.Meter == nil || *st.Meter != (music.Meter{Num: 2, Den: 2}) || st.Bars[0].Meter == nil ||
		*st.Bars[0].Meter != (music.Meter{Num: 1, Den: 2}) || st.Bars[1].Meter == nil || *st.Bars[1].Meter != *st.Meter {
		t.Errorf("Summertime: meter %v, bar 1 %v, bar 2 %v", st.Meter, st.Bars[0].Meter, st.Bars[1].Meter)
	}
	// "Mandy" (filed as I'm Mandy Fly Me): D.S. al Coda after bar 27, segno at bar 5, the coda sign at the
	// end of bar 15 (the jump) and at bar 28 (the coda).
	mandy := find("I'm_Mandy_Fly_Me.mxl")
	if !mandy.Bars[4].Segno || !mandy.Bars[14].ToCoda || !mandy.Bars[27].Coda || mandy.Bars[26].Jump != music.DSAlCoda {
		t.Errorf("Mandy: navigation not read")
	}
	var order []int
	for _, pb := range mandy.Unroll(1) {
		order = append(order, pb.Index+1)
	}
	// After the D.S. it plays from the segno through the second ending to
	// the to-coda sign, then the coda.
	if got, want := fmt.Sprint(order), "27 5 9 10 11 12 13 14 15 28 29"; !strings.Contains(got, want) {
		t.Errorf("Mandy plays %s, without %s", got, want)
	}
}

// TestCorpusRoundTrip encodes every corpus score and decodes it again:
// the same notes play, the same chords sound, bar for bar.
func TestCorpusRoundTrip(t *testing.T) {
	for _, name := range []string{"openewld", "vienna"} {
		c := loadCorpus(t, name)
		for i, data := range c.data {
			ch, err := Decoder{Source: "x"}.DecodeBytes(data)
			if err != nil {
				continue // TestCorpus reports it
			}
			checkRoundTrip(t, path.Base(c.names[i]), ch)
		}
	}
}

// checkRoundTrip encodes a chart, decodes the result and compares them.
func checkRoundTrip(t *testing.T, name string, ch *music.Chart) {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, ch); err != nil {
		t.Errorf("%s: encode: %v", name, err)
		return
	}
	back, err := Decoder{Source: "x"}.DecodeBytes(buf.Bytes())
	if err != nil {
		t.Errorf("%s: decoding the encoded score: %v", name, err)
		return
	}
	if diff := sameChart(ch, back); diff != "" {
		t.Errorf("%s: round trip: %s", name, diff)
	}
}

// sameChart compares what two charts play: bar lengths and marks, chords
// by sound, notes by pitch, onset, duration and velocity. It returns ""
// when they agree.
func sameChart(a, b *music.Chart) string {
	if len(a.Bars) != len(b.Bars) && !(len(a.Bars) == 0 && len(b.Bars) == 1) {
		return fmt.Sprintf("%d bars, then %d", len(a.Bars), len(b.Bars))
	}
	ma, mb := a.BarMeters(), b.BarMeters()
	for i := range a.Bars {
		x, y := &a.Bars[i], &b.Bars[i]
		if ma[i].BarTicks() != mb[i].BarTicks() {
			return fmt.Sprintf("bar %d: meter %v, then %v", i+1, ma[i], mb[i])
		}
		if x.RepeatStart != y.RepeatStart || x.RepeatEnd != y.RepeatEnd || x.Ending != y.Ending || x.Segno != y.Segno ||
			x.Coda != y.Coda || x.ToCoda != y.ToCoda || x.Fine != y.Fine || x.Section != y.Section || x.Jump != y.Jump {
			return fmt.Sprintf("bar %d: marks %+v, then %+v", i+1, markString(x), markString(y))
		}
		if len(x.Chords) != len(y.Chords) {
			return fmt.Sprintf("bar %d: %d chords, then %d", i+1, len(x.Chords), len(y.Chords))
		}
		for j := range x.Chords {
			if x.Chords[j].Offset != y.Chords[j].Offset || !sameSound(x.Chords[j].Chord, y.Chords[j].Chord) {
				return fmt.Sprintf("bar %d: chord %v at %d, then %v at %d", i+1, x.Chords[j].Chord, x.Chords[j].Offset, y.Chords[j].Chord, y.Chords[j].Offset)
			}
		}
	}
	if a.Tempo != b.Tempo {
		return fmt.Sprintf("tempo %d, then %d", a.Tempo, b.Tempo)
	}
	if a.Key != nil && (b.Key == nil || a.Key.Tonic.PitchClass() != b.Key.Tonic.PitchClass() || a.Key.Mode != b.Key.Mode) {
		return fmt.Sprintf("key %v, then %v", a.Key, b.Key)
	}
	na, nb := playedNotes(a.Perform(1)), playedNotes(b.Perform(1))
	if len(na) != len(nb) {
		return fmt.Sprintf("%d notes played, then %d", len(na), len(nb))
	}
	for i := range na {
		if na[i] != nb[i] {
			return fmt.Sprintf("note %d: %+v, then %+v", i, na[i], nb[i])
		}
	}
	return ""
}

func markString(b *music.Bar) string {
	return fmt.Sprintf("rs=%v re=%d end=%b segno=%v coda=%v tocoda=%v fine=%v jump=%q section=%q", b.RepeatStart, b.RepeatEnd, b.Ending, b.Segno, b.Coda, b.ToCoda, b.Fine, b.Jump, b.Section)
}

// sameSound reports whether two chords sound alike: no chord, or the same
// root, pitch classes and bass.
func sameSound(a, b music.Chord) bool {
	if a.NoChord || b.NoChord {
		return a.NoChord == b.NoChord
	}
	return a.Root.PitchClass() == b.Root.PitchClass() && a.PitchClasses() == b.PitchClasses() &&
		a.BassNote().PitchClass() == b.BassNote().PitchClass()
}

// played is a sounding note as compared across formats and tools.
type played struct {
	Start, Duration music.Ticks
	Pitch, Velocity uint8
	Part            int16
}

// playedNotes lists a piece's notes in time order, then pitch.
func playedNotes(p *music.Piece) []played {
	var out []played
	for _, pt := range p.Parts {
		for _, n := range pt.Notes {
			out = append(out, played{n.Start, n.Duration, n.Pitch, n.Velocity, n.Part})
		}
	}
	slices.SortFunc(out, func(x, y played) int {
		if x.Start != y.Start {
			return int(x.Start - y.Start)
		}
		if x.Pitch != y.Pitch {
			return int(x.Pitch) - int(y.Pitch)
		}
		if x.Part != y.Part {
			return int(x.Part - y.Part)
		}
		return int(x.Duration - y.Duration)
	})
	return out
}
