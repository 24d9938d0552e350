package musicxml

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"sideman/format"
	"sideman/music"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeTestdata(t *testing.T, name string) *music.Chart {
	t.Helper()
	c, err := Decoder{Source: name}.DecodeBytes(readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// describe writes a chart's bars one per line: meter changes, marks,
// chords (offset:symbol) and notes (part:pitch@start+duration, velocity
// when not the default).
func describe(c *music.Chart) string {
	var b strings.Builder
	for i, bar := range c.Bars {
		fmt.Fprintf(&b, "%d:", i+1)
		if bar.Meter != nil {
			fmt.Fprintf(&b, " %v", *bar.Meter)
		}
		if bar.Section != "" {
			fmt.Fprintf(&b, " [%s]", bar.Section)
		}
		for _, m := range []struct {
			on   bool
			name string
		}{{bar.RepeatStart, "|:"}, {bar.Segno, "segno"}, {bar.Coda, "coda"}, {bar.ToCoda, "tocoda"}, {bar.Fine, "fine"}} {
			if m.on {
				b.WriteString(" " + m.name)
			}
		}
		if bar.Ending != 0 {
			fmt.Fprintf(&b, " ending=%s", endingNumbers(bar.Ending))
		}
		if bar.RepeatEnd > 0 {
			fmt.Fprintf(&b, " :|x%d", bar.RepeatEnd)
		}
		if bar.Jump != music.NoJump {
			fmt.Fprintf(&b, " %q", bar.Jump.String())
		}
		for _, ch := range bar.Chords {
			fmt.Fprintf(&b, " %d:%s", ch.Offset, ch.Chord)
		}
		for _, n := range bar.Notes {
			fmt.Fprintf(&b, " %d:%d@%d+%d", n.Part, n.Pitch, n.Start, n.Duration)
			if n.Velocity != DefaultVelocity {
				fmt.Fprintf(&b, "v%d", n.Velocity)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func order(c *music.Chart) string {
	var s []string
	for _, pb := range c.Unroll(1) {
		s = append(s, fmt.Sprint(pb.Index+1))
	}
	return strings.Join(s, " ")
}

func TestDecodeLeadSheet(t *testing.T) {
	c := decodeTestdata(t, "leadsheet.musicxml")
	if c.Title != "Lead Sheet" || c.Composer != "A. Writer" || c.Tempo != 100 {
		t.Errorf("title %q composer %q tempo %d", c.Title, c.Composer, c.Tempo)
	}
	if c.Key == nil || c.Key.String() != "Bb major" || c.Meter == nil || *c.Meter != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("key %v meter %v", c.Key, c.Meter)
	}
	if len(c.Parts) != 1 || c.Parts[0].Name != "Melody" || c.Parts[0].Role != "melody" || c.Parts[0].Program != -1 {
		t.Errorf("parts %+v", c.Parts)
	}
	// The pickup bar is 1/4 and bar 2 restores 4/4. The tied C5 is one
	// note of a half; the Bb4 tied into the first ending one of a whole
	// and a half. Triplet eighths are a third of a quarter (320 ticks).
	want := `1: 1/4 0:65@0+960
2: 4/4 0:Bbmaj7 1920:Gm7 0:70@0+1920 0:74@1920+960 0:72@2880+1920
3: 0:C7(b9) 2880:F7sus4 0:74@960+320 0:72@1280+320 0:70@1600+320 0:69@2880+960
4: |: 0:Eb/G 0:70@0+5760
5: ending=1 :|x2 0:N.C.
6: ending=2 0:Bb6 0:70@0+3840
`
	if got := describe(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := order(c); got != "1 2 3 4 5 4 6" {
		t.Errorf("played %s", got)
	}
	// Every note shares one Origin naming the file.
	o := c.Bars[0].Notes[0].Origin
	if o == nil || o.Kind != music.Imported || o.Source != "leadsheet.musicxml" {
		t.Fatalf("origin %+v", o)
	}
	for _, b := range c.Bars {
		for _, n := range b.Notes {
			if n.Origin != o {
				t.Errorf("note %+v has another origin", n)
			}
		}
	}
	// The chord symbols read as they sound.
	for sym, tones := range map[string]string{"C7(b9)": "[P1 M3 P5 m7 m9]", "F7sus4": "[P1 P4 P5 m7]", "Eb/G": "[P1 M3 P5]"} {
		found := false
		for _, b := range c.Bars {
			for _, ch := range b.Chords {
				if ch.Chord.String() == sym {
					found = true
					if got := fmt.Sprint(ch.Chord.Tones()); got != tones {
						t.Errorf("%s: tones %s, want %s", sym, got, tones)
					}
				}
			}
		}
		if !found {
			t.Errorf("no %s", sym)
		}
	}
}

func TestDecodeNavigation(t *testing.T) {
	c := decodeTestdata(t, "navigation.musicxml")
	want := `1: [A] segno 0:60@0+3840
2: tocoda 0:62@0+3840
3: fine 0:64@0+3840
4: "D.S. al Coda" 0:65@0+3840
5: [Coda] coda 0:67@0+3840
`
	if got := describe(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if c.Title != "Round Trip" {
		t.Errorf("title %q from <movement-title>", c.Title)
	}
	if got := order(c); got != "1 2 3 4 1 2 5" {
		t.Errorf("played %s", got)
	}
	// A D.C. given only by <sound dacapo>, with a <sound fine>: D.C. al
	// Fine.
	dc := decodeTestdata(t, "dacapo.musicxml")
	if dc.Bars[2].Jump != music.DCAlFine || !dc.Bars[1].Fine {
		t.Errorf("dacapo: %s", describe(dc))
	}
	if got := order(dc); got != "1 2 3 1 2" {
		t.Errorf("dacapo played %s", got)
	}
	if dc.Key == nil || dc.Key.String() != "A minor" || *dc.Meter != (music.Meter{Num: 3, Den: 4}) {
		t.Errorf("dacapo: key %v meter %v", dc.Key, dc.Meter)
	}
}

func TestDecodeScore(t *testing.T) {
	c := decodeTestdata(t, "score.musicxml")
	// The trumpet sounds a major second below its written D major: the
	// key is C major, the written Em7 sounds as Dm7, D5 as C5. The grace
	// note is left out; the cue note takes time and does not sound. The
	// piano's chord is three notes, its second voice two; the 6/8 bar is
	// read after divisions changed in both parts; "p" (50% of forte)
	// is velocity 45.
	want := `1: 0:Dm7 0:72@0+1920 0:74@1920+960 1:48@0+960 1:60@0+1920 1:64@0+1920 1:67@0+1920 1:43@1920+960
2: 6/8 0:70@0+1440 1:57@0+2880v45
`
	if got := describe(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if c.Key == nil || c.Key.String() != "C major" {
		t.Errorf("key %v, want C major at concert pitch", c.Key)
	}
	want2 := []music.Part{{Name: "Trumpet in Bb", Channel: 0, Program: 56}, {Name: "Piano", Channel: 1, Program: 0}}
	if fmt.Sprint(c.Parts) != fmt.Sprint(want2) {
		t.Errorf("parts %+v, want %+v", c.Parts, want2)
	}
	p := c.Perform(1)
	if len(p.Parts) != 2 || len(p.Parts[0].Notes) != 3 || len(p.Parts[1].Notes) != 6 {
		t.Errorf("performed parts %+v", p.Parts)
	}
}

func TestDecodeTimewise(t *testing.T) {
	c := decodeTestdata(t, "timewise.musicxml")
	want := `1: 0:Dm 0:62@0+960 0:65@960+2880
2:
`
	if got := describe(c); got != want || c.Title != "Sideways" {
		t.Errorf("title %q, got\n%s\nwant\n%s", c.Title, got, want)
	}
}

// TestDecodeMXL reads compressed MusicXML: the rootfile the container
// names, a container OpenEWLD-style (a single-quoted path holding an
// apostrophe), and an archive without a container.
func TestDecodeMXL(t *testing.T) {
	doc := readTestdata(t, "timewise.musicxml")
	other := readTestdata(t, "navigation.musicxml")
	for _, tc := range []struct {
		name      string
		container string
		members   map[string][]byte
	}{
		{"rootfile", `<?xml version="1.0"?><container><rootfiles><rootfile full-path="score/a.xml" media-type="application/vnd.recordare.musicxml+xml"/></rootfiles></container>`,
			map[string][]byte{"score/a.xml": doc, "b.xml": other}},
		{"apostrophe", `<?xml version='1.0' encoding='UTF-8'?><container><rootfiles><rootfile full-path='St. Mary's.xml'/></rootfiles></container>`,
			map[string][]byte{"St. Mary's.xml": doc}},
		{"no container", "", map[string][]byte{"tune.musicxml": doc}},
		{"missing rootfile", `<container><rootfiles><rootfile full-path="gone.xml"/></rootfiles></container>`,
			map[string][]byte{"here.xml": doc}},
	} {
		data := makeZip(t, tc.container, tc.members)
		for _, dec := range []func([]byte) (*music.Chart, error){
			func(b []byte) (*music.Chart, error) { return Decode(bytes.NewReader(b)) },
			func(b []byte) (*music.Chart, error) { return DecodeMXL(bytes.NewReader(b)) },
		} {
			c, err := dec(data)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if c.Title != "Sideways" {
				t.Errorf("%s: read %q", tc.name, c.Title)
			}
		}
	}
	if _, err := DecodeMXL(bytes.NewReader(doc)); !errors.Is(err, ErrNotMXL) {
		t.Errorf("DecodeMXL of plain XML: %v, want ErrNotMXL", err)
	}
	if _, err := DecodeBytes(makeZip(t, "", map[string][]byte{"readme.txt": []byte("hi")})); !errors.Is(err, ErrNotMXL) {
		t.Errorf("archive without a score: %v, want ErrNotMXL", err)
	}
}

func makeZip(t testing.TB, container string, members map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if container != "" {
		w, _ := zw.Create("META-INF/container.xml")
		w.Write([]byte(container))
	}
	for name, b := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDecodeZipBomb checks that an archive inflating past format.MaxSize is
// refused, also when its header claims a small size.
func TestDecodeZipBomb(t *testing.T) {
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	for range format.MaxSize>>20 + 1 {
		fw.Write(zeros)
	}
	fw.Close()
	for _, lie := range []bool{false, true} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		h := &zip.FileHeader{Name: "bomb.xml", Method: zip.Deflate, CompressedSize64: uint64(deflated.Len()), UncompressedSize64: format.MaxSize + 1<<20}
		if lie {
			h.UncompressedSize64 = 1000
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(deflated.Bytes())
		zw.Close()
		if _, err := DecodeBytes(buf.Bytes()); !errors.Is(err, format.ErrTooLarge) && !(lie && errors.Is(err, ErrNotMXL)) {
			t.Errorf("lying header %v: %v, want format.ErrTooLarge", lie, err)
		}
	}
	// A plain document over format.MaxSize is refused while reading.
	if _, err := Decode(io.LimitReader(zeroReader{}, format.MaxSize+10)); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("large input: %v", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestDecodeEncodings reads the same score as UTF-16 (both byte orders,
// with a byte order mark), UTF-8 with a mark, and ISO-8859-1.
func TestDecodeEncodings(t *testing.T) {
	src := strings.Replace(string(readTestdata(t, "timewise.musicxml")), "Sideways", "Café", 1)
	u := utf16.Encode([]rune(src))
	le, be := []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
		be = append(be, byte(c>>8), byte(c))
	}
	latin := []byte(strings.Replace(src, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1))
	latin = bytes.Replace(latin, []byte("é"), []byte{0xE9}, 1)
	for name, doc := range map[string][]byte{
		"utf-16le": le, "utf-16be": be, "utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, src...), "latin-1": latin,
	} {
		c, err := DecodeBytes(doc)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Title != "Café" || c.WrittenNotes() != 2 {
			t.Errorf("%s: title %q, %d notes", name, c.Title, c.WrittenNotes())
		}
	}
}

// TestDecodeDetails covers rules read off small documents.
func TestDecodeDetails(t *testing.T) {
	score := func(attrs, body string) string {
		return `<score-partwise><part-list><score-part id="P1"/></part-list><part id="P1"><measure number="1"><attributes><divisions>2</divisions>` +
			attrs + `</attributes>` + body + `</measure></part></score-partwise>`
	}
	note := func(step string, oct, dur int, extra string) string {
		return fmt.Sprintf(`<note><pitch><step>%s</step><octave>%d</octave></pitch><duration>%d</duration>%s</note>`, step, oct, dur, extra)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"no time signature: 4/4 bars, a short one by its length",
			score("", note("C", 4, 8, "")) + "",
			"1: 0:60@0+3840\n"},
		{"short bar in 6/8 counts in eighths",
			score(`<time><beats>6</beats><beat-type>8</beat-type></time>`, note("C", 4, 2, "")),
			"1: 2/8 0:60@0+960\n"},
		{"long bar", score(`<time><beats>2</beats><beat-type>4</beat-type></time>`, note("C", 4, 6, "")),
			"1: 3/4 0:60@0+2880\n"},
		{"triplet pickup rounds up to 64ths",
			strings.Replace(score(`<time><beats>4</beats><beat-type>4</beat-type></time>`, note("C", 4, 1, "")), "<divisions>2", "<divisions>3", 1),
			"1: 3/32 0:60@0+320\n"},
		{"composite time 3+2/8", score(`<time><beats>3+2</beats><beat-type>8</beat-type></time>`, note("C", 4, 5, "")),
			"1: 0:60@0+2400\n"},
		{"tie start without stop", score(`<time><beats>2</beats><beat-type>4</beat-type></time>`, note("C", 4, 2, `<tie type="start"/>`)+note("C", 4, 2, "")),
			"1: 0:60@0+1920\n"},
		{"tie to another pitch is dropped", score(`<time><beats>2</beats><beat-type>4</beat-type></time>`, note("C", 4, 2, `<tie type="start"/>`)+note("D", 4, 2, "")),
			"1: 0:60@0+960 0:62@960+960\n"},
		{"decimal durations", score(`<time><beats>1</beats><beat-type>4</beat-type></time>`, note("C", 4, 1, "")+strings.Replace(note("D", 4, 0, ""), "<duration>0", "<duration>1.0", 1)),
			"1: 0:60@0+480 0:62@480+480\n"},
		{"microtone rounds", score(`<time><beats>1</beats><beat-type>4</beat-type></time>`, `<note><pitch><step>C</step><alter>0.5</alter><octave>4</octave></pitch><duration>2</duration></note>`),
			"1: 0:61@0+960\n"},
		{"harmony offset", score(`<time><beats>2</beats><beat-type>4</beat-type></time>`, `<harmony><root><root-step>F</root-step></root><kind>major</kind><offset>2</offset></harmony>`+note("C", 4, 4, "")),
			"1: 960:F 0:60@0+1920\n"},
		{"inversion without bass", score(`<time><beats>2</beats><beat-type>4</beat-type></time>`, `<harmony><root><root-step>C</root-step></root><kind>dominant</kind><inversion>3</inversion></harmony>`+note("C", 4, 4, "")),
			"1: 0:C7/Bb 0:60@0+1920\n"},
		{"ending list and times", score(`<time><beats>1</beats><beat-type>4</beat-type></time>`, `<barline location="left"><ending number="1, 2" type="start"/></barline>`+note("C", 4, 2, "")+`<barline><repeat direction="backward" times="3"/></barline>`),
			"1: ending=1, 2 :|x3 0:60@0+960\n"},
		{"rest measure", score(`<time><beats>3</beats><beat-type>4</beat-type></time>`, `<note><rest measure="yes"/><duration>6</duration></note>`),
			"1:\n"},
		{"unpitched plays its instrument's key",
			`<score-partwise><part-list><score-part id="D"><part-name>Drums</part-name><score-instrument id="D-snare"/><midi-instrument id="D-snare"><midi-unpitched>39</midi-unpitched></midi-instrument></score-part></part-list>` +
				`<part id="D"><measure><attributes><divisions>1</divisions><time><beats>1</beats><beat-type>4</beat-type></time></attributes>` +
				`<note><unpitched><display-step>C</display-step><display-octave>5</display-octave></unpitched><duration>1</duration><instrument id="D-snare"/></note></measure></part></score-partwise>`,
			"1: 0:38@0+960\n"},
		{"metronome without sound", score(`<time><beats>6</beats><beat-type>8</beat-type></time>`, `<direction><direction-type><metronome><beat-unit>quarter</beat-unit><beat-unit-dot/><per-minute>60</per-minute></metronome></direction-type></direction>`+note("C", 4, 6, "")),
			"1: 0:60@0+2880\n"},
		{"namespace prefixes, comments, CDATA, entities",
			`<?xml version="1.0"?><!-- c --><mx:score-partwise xmlns:mx="x"><mx:work><mx:work-title>A &amp; <![CDATA[B]]> &#67;</mx:work-title></mx:work><mx:part id="P1"><mx:measure><mx:attributes><mx:divisions>1</mx:divisions></mx:attributes><mx:note><mx:pitch><mx:step>C</mx:step><mx:octave>4</mx:octave></mx:pitch><mx:duration>4</mx:duration></mx:note></mx:measure></mx:part></mx:score-partwise>`,
			"1: 0:60@0+3840\n"},
	} {
		c, err := DecodeBytes([]byte(tc.doc))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := describe(c); got != tc.want {
			t.Errorf("%s: got\n%swant\n%s", tc.name, got, tc.want)
		}
		switch tc.name {
		case "metronome without sound":
			if c.Tempo != 60 {
				t.Errorf("%s: tempo %d, want 60 dotted quarters", tc.name, c.Tempo)
			}
		case "namespace prefixes, comments, CDATA, entities":
			if c.Title != "A & B C" {
				t.Errorf("%s: title %q", tc.name, c.Title)
			}
		case "unpitched plays its instrument's key":
			if c.Parts[0].Channel != 9 || c.Parts[0].Role != "drums" {
				t.Errorf("%s: part %+v", tc.name, c.Parts[0])
			}
		}
	}
}

// TestDecodeErrors checks that malformed documents give a *ParseError with
// the place and cause.
func TestDecodeErrors(t *testing.T) {
	measure := func(body string) string {
		return "<score-partwise>\n<part id=\"P1\">\n<measure number=\"7\">\n" + body + "\n</measure></part></score-partwise>"
	}
	for _, tc := range []struct {
		doc, want string
		is        error
	}{
		{"", "musicxml: line 1: no root element", nil},
		{"hello", "musicxml: line 1: text outside the root element", nil},
		{"<score-partwise><part>", "musicxml: line 1: unexpected end of document inside <part>", nil},
		{"<score-partwise>\n<part></measure></score-partwise>", "musicxml: line 2: end tag </measure> does not match <part>", nil},
		{"<a/><b/>", "musicxml: line 1: more than one root element", nil},
		{"<score-partwise><part id='P1' x=\"<\"></part></score-partwise>", "musicxml: line 1: '<' in an attribute value", nil},
		{"<html/>", "musicxml: line 1: " + ErrNotMusicXML.Error(), ErrNotMusicXML},
		{"<!-- never closed", "musicxml: line 1: unterminated comment", nil},
		{measure("<note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration></note>"),
			"musicxml: part P1, measure 7 (line 4): <duration> before <divisions>", nil},
		{measure("<attributes><divisions>1</divisions></attributes>\n<note><pitch><step>C</step><octave>4</octave></pitch></note>"),
			"musicxml: part P1, measure 7 (line 5): note without <duration>", nil},
		{measure("<attributes><divisions>0</divisions></attributes>"),
			"musicxml: part P1, measure 7 (line 4): divisions 0 out of range 1..16777216", nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><pitch><step>H</step><octave>4</octave></pitch><duration>1</duration></note>"),
			"musicxml: part P1, measure 7 (line 4): <pitch> without a step A-G", nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><pitch><step>C</step><octave>12</octave></pitch><duration>1</duration></note>"),
			`musicxml: part P1, measure 7 (line 4): octave "12" out of range 0..9`, nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><pitch><step>B</step><alter>2</alter><octave>9</octave></pitch><duration>1</duration></note>"),
			"musicxml: part P1, measure 7 (line 4): pitch 133 outside the MIDI range 0..127", nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><rest/><duration>-1</duration></note>"),
			"musicxml: part P1, measure 7 (line 4): negative duration", nil},
		{measure("<attributes><divisions>1</divisions></attributes><backup><duration>x</duration></backup>"),
			`musicxml: part P1, measure 7 (line 4): <duration> "x" is not a number of divisions`, nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><rest/><duration>129</duration></note>"),
			"musicxml: part P1, measure 7 (line 3): measure of 129 quarter notes: longer than any meter (32 whole notes)", nil},
		{measure("<attributes><divisions>1</divisions></attributes><note><rest/><duration>99999999999999</duration></note>"),
			"musicxml: part P1, measure 7 (line 4): <duration> 99999999999999 out of range", nil},
	} {
		_, err := DecodeBytes([]byte(tc.doc))
		var e *ParseError
		if !errors.As(err, &e) {
			t.Errorf("%q: error %v is not a *ParseError", tc.doc, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.doc, err, tc.want)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%q: error does not wrap %v", tc.doc, tc.is)
		}
	}
}

// TestDecodeReader checks that a Decoder names its Source in the notes'
// Origin, and that Decode, naming none, names the format.
func TestDecodeReader(t *testing.T) {
	f, err := os.Open("testdata/timewise.musicxml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Decoder{Source: "timewise.musicxml"}.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if src := c.Bars[0].Notes[0].Origin.Source; src != "timewise.musicxml" {
		t.Errorf("Decoder with a Source: source %q", src)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if c, err = Decode(f); err != nil {
		t.Fatal(err)
	}
	if src := c.Bars[0].Notes[0].Origin.Source; src != "musicxml" {
		t.Errorf("Decode: source %q, want \"musicxml\"", src)
	}
}
