package musicxml

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sideman/format"
	"sideman/music"
)

// scanPlaceNotes is placeNotes as it was before tieIndex: every waiting
// tied note looked at for every note. It is the reference the index must
// agree with.
func (d *decoder) scanPlaceNotes(origin *music.Origin, starts []music.Ticks) {
	c := d.chart
	ns := d.notes
	nbars := len(c.Bars)
	abs := func(n *rawNote, t music.Ticks) music.Ticks { return starts[n.measure] + t }
	slices.SortStableFunc(ns, func(a, b rawNote) int {
		if a.part != b.part {
			return int(a.part) - int(b.part)
		}
		return cmp.Compare(abs(&a, a.start), abs(&b, b.start))
	})
	// open holds notes whose tie waits for a continuation: indexes into ns.
	// A merged note keeps the first note's entry, its end moved on.
	var open []int
	alive := make([]bool, len(ns))
	ends := make([]music.Ticks, len(ns)) // absolute end of each kept note
	for i := range ns {
		n := &ns[i]
		start := abs(n, n.start)
		end := abs(n, n.end)
		if n.measure >= int32(nbars) {
			continue
		}
		// Drop ties that can no longer continue.
		k := 0
		for _, j := range open {
			if ns[j].part == n.part && ends[j] >= start-1 {
				open[k] = j
				k++
			}
		}
		open = open[:k]
		// A tie start continues into the next note of the same pitch that
		// begins where it ends, whether or not that note says it stops a
		// tie: exporters often leave the stop out, and MuseScore ties them.
		merged := false
		{
			best := -1
			for oi, j := range open {
				o := &ns[j]
				if o.pitch != n.pitch || absDiff(ends[j], start) > 1 {
					continue
				}
				if best < 0 || (o.voice == n.voice && ns[open[best]].voice != n.voice) {
					best = oi
				}
			}
			if best >= 0 && ns[open[best]].voice != n.voice && scanSameVoiceFollows(ns[i+1:], &ns[open[best]], start, abs) {
				// Another note at this onset continues the tie in its
				// own voice: leave it that one.
				best = -1
			}
			if best >= 0 {
				j := open[best]
				ends[j] = max(ends[j], end)
				merged = true
				if !n.tieStart {
					open = slices.Delete(open, best, best+1)
				}
			}
		}
		if merged || end <= start {
			continue // a note of no length does not sound
		}
		alive[i] = true
		ends[i] = end
		if n.tieStart {
			open = append(open, i)
		}
	}
	// Keep the notes that remain, with their merged lengths (as the end
	// in the note's measure), and order them by bar, part, onset and pitch.
	kept := ns[:0]
	for i := range ns {
		if alive[i] {
			n := ns[i]
			n.end = ends[i] - starts[n.measure]
			kept = append(kept, n)
		}
	}
	slices.SortStableFunc(kept, func(a, b rawNote) int {
		return cmp.Or(cmp.Compare(a.measure, b.measure), cmp.Compare(a.part, b.part), cmp.Compare(a.start, b.start), cmp.Compare(a.pitch, b.pitch))
	})
	for i := range kept {
		n := &kept[i]
		b := &c.Bars[n.measure]
		b.Notes = append(b.Notes, music.Note{ // ID 0, as the decoder leaves it
			Pitch: n.pitch, Velocity: n.velocity, Channel: c.Parts[n.part].Channel,
			Part: n.part, Start: n.start, Duration: n.end - n.start, Origin: origin,
			Lyric: n.lyric,
		})
	}
}

// scanSameVoiceFollows reports whether one of the notes (sorted by onset)
func scanSameVoiceFollows(ns []rawNote, o *rawNote, onset music.Ticks, abs func(*rawNote, music.Ticks) music.Ticks) bool {
	for k := range ns {
		n := &ns[k]
		if n.part != o.part || abs(n, n.start) != onset {
			return false
		}
		if n.pitch == o.pitch && n.voice == o.voice {
			return true
		}
	}
	return false
}

// randomNotes is a score's raw notes as readPart leaves them, drawn to
// make ties meet: few pitches, parts and voices, chords, notes a tick off
// the beat, tie starts and stops at random, in document order (by part).
func randomNotes(r *rand.Rand, bars int) []rawNote {
	var ns []rawNote
	for part := range int16(1 + r.IntN(3)) {
		for m := range int32(bars) {
			for range r.IntN(10) {
				start := music.Ticks(r.IntN(4)) * music.PPQ
				if r.IntN(8) == 0 {
					start += music.Ticks(r.IntN(3) - 1)
				}
				start = max(start, 0)
				dur := music.Ticks(r.IntN(5)) * music.PPQ
				if r.IntN(8) == 0 {
					dur += music.Ticks(r.IntN(3) - 1)
				}
				ns = append(ns, rawNote{
					part: part, voice: int16(1 + r.IntN(3)), measure: m,
					start: start, end: start + max(dur, 0), pitch: uint8(60 + 2*r.IntN(2)), velocity: 80,
					tieStart: r.IntN(2) == 0, tieStop: r.IntN(3) == 0,
				})
			}
		}
	}
	return ns
}

// TestPlaceNotesMatchesScan merges the ties of 20,000 random scores both
// ways, with the index and by looking at every waiting note: the same
// notes, lengths and ids in every bar.
func TestPlaceNotesMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 6))
	origin := &music.Origin{Kind: music.Imported, Source: "musicxml"}
	merged := 0
	for k := range 20000 {
		bars := 1 + r.IntN(6)
		ns := randomNotes(r, bars)
		starts := make([]music.Ticks, bars+1)
		for i := range bars {
			starts[i+1] = starts[i] + 4*music.PPQ
		}
		place := func(scan bool) []music.Bar {
			d := &decoder{chart: &music.Chart{Bars: make([]music.Bar, bars), Parts: make([]music.Part, 3)}, notes: slices.Clone(ns)}
			if scan {
				d.scanPlaceNotes(origin, starts)
			} else {
				d.placeNotes(origin, starts)
			}
			return d.chart.Bars
		}
		got, want := place(false), place(true)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("score %d (%d raw notes): with the index %v, scanning %v", k, len(ns), got, want)
		}
		n := 0
		for _, b := range got {
			n += len(b.Notes)
		}
		merged += len(ns) - n
	}
	if merged == 0 {
		t.Fatal("no tie was merged")
	}
}

// score writes a partwise MusicXML document: the part list of parts
// (none when 0), then body.
func score(parts int, body string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<score-partwise>\n")
	if parts > 0 {
		b.WriteString("<part-list>\n")
		for i := range parts {
			fmt.Fprintf(&b, "<score-part id=\"P%d\"/>\n", i)
		}
		b.WriteString("</part-list>\n")
	}
	b.WriteString(body)
	b.WriteString("</score-partwise>\n")
	return []byte(b.String())
}

// normalScore is a lead sheet of one part: measures of a chord symbol and
// four quarter notes.
func normalScore(measures int) []byte {
	var b strings.Builder
	b.WriteString(`<part id="P0">`)
	for i := range measures {
		fmt.Fprintf(&b, `<measure number="%d">`, i+1)
		if i == 0 {
			b.WriteString(`<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>`)
		}
		b.WriteString(`<harmony><root><root-step>C</root-step></root><kind>dominant</kind></harmony>`)
		for _, step := range "CEGB" {
			fmt.Fprintf(&b, `<note><pitch><step>%c</step><octave>4</octave></pitch><duration>1</duration><type>quarter</type></note>`, step)
		}
		b.WriteString("</measure>\n")
	}
	b.WriteString("</part>\n")
	return score(1, b.String())
}

// worstScores are documents built to make the decoder quadratic. The
// comments give what each cost before the fix, in this test: its time a
// byte against a normal score's.
func worstScores() map[string][]byte {
	repeat := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	onePart := func(i int) string { return fmt.Sprintf("<part id=\"P%d\"><measure/></part>\n", i) }
	emptyPart := func(i int) string { return fmt.Sprintf("<part id=\"P%d\"/>\n", i) }
	return map[string][]byte{
		// Parts found by a linear search, the limit checked after them:
		// 60, 478 and 1,102 times (the 100,000 parts: 55 s in
		// sideman before "too many parts").
		"32,767 listed parts":              score(MaxParts, repeat(MaxParts, emptyPart)),
		"100,000 listed parts (refused)":   score(100000, repeat(100000, emptyPart)),
		"100,000 unlisted parts (refused)": score(0, repeat(100000, emptyPart)),
		// Bar meters found bar by bar over every part: 25 times.
		"a long part and 30,000 short ones": score(0, `<part id="L">`+strings.Repeat("<measure/>", MaxMeasures)+"</part>\n"+repeat(30000, onePart)),
		// Every chord symbol searched for in its bar and the bar sorted
		// again: 181 times.
		"100,000 chord symbols in a measure": score(0, `<part id="P"><measure><attributes><divisions>960</divisions></attributes>`+
			strings.Repeat(`<harmony><root><root-step>C</root-step></root><kind>major</kind></harmony><forward><duration>1</duration></forward>`, 100000)+"</measure></part>\n"),
		// Every waiting tie looked at for every note: 102 times.
		"a chord of 100,000 tied notes": score(0, `<part id="P"><measure><attributes><divisions>1</divisions></attributes>`+
			`<note><pitch><step>C</step><octave>4</octave></pitch><duration>4</duration><tie type="start"/></note>`+
			strings.Repeat(`<note><chord/><pitch><step>C</step><octave>4</octave></pitch><duration>4</duration><tie type="start"/></note>`, 99999)+"</measure></part>\n"),
		// Continued in another voice, each note also looking through the
		// notes at its onset for one in the tied note's voice: 21 times.
		"40,000 tied notes continued in another voice": score(0, `<part id="P"><measure><attributes><divisions>1</divisions></attributes>`+
			strings.Repeat(`<note><pitch><step>C</step><octave>4</octave></pitch><duration>2</duration><voice>1</voice><tie type="start"/></note><backup><duration>2</duration></backup>`, 40000)+
			`<forward><duration>2</duration></forward>`+
			strings.Repeat(`<note><pitch><step>C</step><octave>4</octave></pitch><duration>2</duration><voice>2</voice></note><backup><duration>2</duration></backup>`, 40000)+"</measure></part>\n"),
	}
}

// decodeTime is the least time of three decodes of data, per byte.
func decodeTime(tb testing.TB, data []byte) (float64, error) {
	best := time.Duration(1 << 62)
	var err error
	for range 3 {
		start := time.Now()
		_, err = DecodeBytes(data)
		best = min(best, time.Since(start))
	}
	return float64(best) / float64(len(data)), err
}

// TestWorstScoresCostLikeNormal decodes each worst score and compares
// its time a byte with a normal lead sheet's: within 10 times (21 to
// 1,102 times before). A ratio of two runs on one machine, not a limit
// on the clock.
func TestWorstScoresCostLikeNormal(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 60 MB")
	}
	normal := normalScore(20000)
	base, err := decodeTime(t, normal)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range worstScores() {
		per, err := decodeTime(t, data)
		if refused := strings.Contains(name, "refused"); refused != errors.Is(err, format.ErrTooLarge) || !refused && err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if ratio := per / base; ratio > 10 {
			t.Errorf("%s (%d KB): %.0f times a normal score's time a byte", name, len(data)>>10, ratio)
		} else {
			t.Logf("%s (%d KB): %.1f times a normal score's time a byte", name, len(data)>>10, ratio)
		}
	}
}

// TestPartsAndMeasuresLimits: a part past MaxParts, listed or not, and a
// measure past MaxMeasures are refused where they are read, naming the
// line (and the part), wrapping format.ErrTooLarge; the most are read.
func TestPartsAndMeasuresLimits(t *testing.T) {
	parts := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "<part id=\"P%d\"><measure/></part>\n", i)
		}
		return b.String()
	}
	measures := func(n int) string { return `<part id="M">` + strings.Repeat("<measure/>\n", n) + "</part>\n" }
	for _, tc := range []struct {
		name string
		doc  []byte
		line int
		part string
	}{
		{"listed parts", score(MaxParts+1, ""), 4 + MaxParts, ""},
		{"unlisted parts", score(0, parts(MaxParts+1)), 2 + MaxParts + 1, ""},
		{"measures", score(0, measures(MaxMeasures+1)), 2 + MaxMeasures + 1, "M"},
	} {
		_, err := DecodeBytes(tc.doc)
		var pe *ParseError
		if !errors.Is(err, format.ErrTooLarge) || !errors.As(err, &pe) || pe.Line != tc.line || pe.Part != tc.part {
			t.Errorf("%s: %v; want format.ErrTooLarge at line %d, part %q", tc.name, err, tc.line, tc.part)
		}
	}
	for name, doc := range map[string][]byte{
		"the most parts":    score(0, parts(MaxParts)),
		"the most measures": score(0, measures(MaxMeasures)),
	} {
		c, err := DecodeBytes(doc)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if name == "the most measures" && len(c.Bars) != MaxMeasures {
			t.Errorf("%s: %d bars, want %d", name, len(c.Bars), MaxMeasures)
		}
	}
}
