package ireal

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sideman/format"
	"sideman/music"
)

// link builds an irealb:// link for one song from readable chart text,
// scrambled as iReal Pro does (and not compressed, which readers accept).
func link(title, key, text string) string {
	f := []string{title, "Test Band", "", "Medium Swing", key, "", musicPrefix + scramble(text), "", "0", "0"}
	return "irealb://" + url.PathEscape(strings.Join(f, "="))
}

// played writes a chart as it is played once through: for each bar its
// chords with the beat they start on when not the first ("C7 F7@3"), "-"
// for a bar with no chord of its own, and the meter where it changes.
func played(c *music.Chart) string {
	var out []string
	var meter music.Meter
	for i, pb := range c.Unroll(1) {
		var b strings.Builder
		if i == 0 && pb.Meter != music.DefaultMeter || i > 0 && pb.Meter != meter {
			fmt.Fprintf(&b, "(%v) ", pb.Meter)
		}
		meter = pb.Meter
		if len(pb.Bar.Chords) == 0 {
			b.WriteString("-")
		}
		for j, ca := range pb.Bar.Chords {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(ca.Chord.String())
			if ca.Alt != nil {
				fmt.Fprintf(&b, "(%v)", ca.Alt)
			}
			if ca.Offset != 0 {
				beat := float64(ca.Offset)/float64(music.PPQ)*float64(pb.Meter.Den)/4 + 1
				b.WriteString("@" + strconv.FormatFloat(beat, 'g', -1, 64))
			}
		}
		out = append(out, b.String())
	}
	return strings.Join(out, " | ")
}

// TestPlayedOrder decodes charts with the symbols that shape a form and
// checks the bars in the order they are played.
func TestPlayedOrder(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"blues with repeat bars",
			"[T44C7   |F7   |C7   | x  |F7   | x  |C7   |A7   |D-7   |G7   |C7 A7 |D-7 G7 Z",
			"C7 | F7 | C7 | C7 | F7 | F7 | C7 | A7 | D-7 | G7 | C7 A7@3 | D-7 G7@3"},
		{"first and second endings",
			"{C^7   |A-7   |N1D-7   |G7   }N2D-7 G7 |C6   Z",
			"C^7 | A-7 | D-7 | G7 | C^7 | A-7 | D-7 G7@3 | C6"},
		{"first ending closed by a double bar",
			"[C   |N1D-7 G7 ]N2G7   |C   Z",
			"C | D-7 G7@3 | C | G7 | C"},
		{"three endings",
			"{C   |N1D   }N2E   }N3F   Z",
			"C | D | C | E | C | F"},
		{"repeat count",
			"{C   |G7  <3x> }",
			"C | G7 | C | G7 | C | G7"},
		{"segno, to coda and D.S. al Coda",
			"[*AC   |SF   |G7  Q |C   |<D.S. al Coda>G7   ]Y[QC   |F   Z",
			"C | F | G7 | C | G7 | F | G7 | C | F"},
		{"D.C. al Fine",
			"[C   |F   |<Fine>G7   ][A-7   |<D.C. al Fine>D7   Z",
			"C | F | G7 | A-7 | D7 | C | F | G7"},
		{"END sign and D.C. al Fine",
			"[C   |UF   |G7   |<D.C. al Fine>D7   Z",
			"C | F | G7 | D7 | C | F"},
		{"coda as an outro",
			"{C   |G7   }Y[QF   Z",
			"C | G7 | C | G7 | F"},
		{"repeat the last two bars",
			"[C   |F   |   r|    |G7   Z",
			"C | F | C | F | G7"},
		{"slashes",
			"[Cpp,F|ppG7 |C   Z",
			"C F@4 | G7@3 | C"},
		{"time signature changes",
			"[T44C   |T34F   |G7   |T44C   Z",
			"C | (3/4) F | G7 | (4/4) C"},
		{"twelve-eight",
			"[T12C7 F7 |C7   Z",
			"(12/8) C7 F7@7 | C7"},
		{"alternate chords",
			"[C^7(E-7)   |D-7(Ab7) G7(Db7) Z",
			"C^7(E-7) | D-7(Ab7) G7(Db7)@3"},
		{"no chord",
			"[C   | n  |G7   Z",
			"C | N.C. | G7"},
		{"invisible root over new basses",
			"[E W/G,W/A,|E   Z",
			"E E/G@3 E/A@4 | E"},
		{"two large and two small chords",
			"[C sD-7,E-7,|lF   Z",
			"C D-7@3 E-7@4 | F"},
		{"three chords in a row",
			"[sC,D-7,E-7 |lF   Z",
			"C D-7@2 E-7@3 | F"},
		{"two chords in a waltz bar share it evenly",
			"[T34C D |C  D,|C   Z",
			"(3/4) C D@2.5 | C D@3 | C"},
		{"more chords than beats",
			"[C,D,E,F,G |C   Z",
			"C D@1.8 E@2.6 F@3.4 G@4.2 | C"},
		{"an empty bar holds the chord",
			"[C   |    |G7   Z",
			"C | - | G7"},
		{"compressed runs",
			"[T44C7XyQKcl LZF7XyQZ",
			"C7 | C7 | F7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodeBytes([]byte(link(tt.name, "C", tt.text)))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Charts) != 1 {
				t.Fatalf("got %d charts, want 1", len(p.Charts))
			}
			if got := played(p.Charts[0]); got != tt.want {
				t.Errorf("played\n got %s\nwant %s", got, tt.want)
			}
			// And the chart survives a round trip.
			q := reencode(t, p)
			if d := chartDiff(p.Charts[0], q.Charts[0]); d != "" {
				t.Errorf("round trip: %s", d)
			}
		})
	}
}

func TestMarks(t *testing.T) {
	p, err := DecodeBytes([]byte(link("Marks", "Eb-",
		"{*iT44Eb-   |<Vamp>Ab7   }[*vSEb-   |N1Ab7  Q }N2Bb7   ][*A<D.S. al Coda>Eb-   ]Y[QAb7   Z")))
	if err != nil {
		t.Fatal(err)
	}
	c := p.Charts[0]
	if c.Key == nil || *c.Key != (music.Key{Tonic: music.Spelling{Step: music.E, Alter: -1}, Mode: music.Minor}) {
		t.Errorf("key %v, want Eb minor", c.Key)
	}
	if c.Meter == nil || *c.Meter != (music.Meter{Num: 4, Den: 4}) {
		t.Errorf("meter %v, want 4/4", c.Meter)
	}
	want := []music.Bar{
		{Section: "Intro", RepeatStart: true},
		{Comment: "Vamp", RepeatEnd: 2},
		{Section: "Verse", Segno: true},
		{Ending: 1, ToCoda: true, RepeatEnd: 2},
		{Ending: 2},
		{Section: "A", Jump: music.DSAlCoda},
		{Coda: true},
	}
	if len(c.Bars) != len(want) {
		t.Fatalf("%d bars, want %d", len(c.Bars), len(want))
	}
	for i, w := range want {
		b := c.Bars[i]
		b.Chords, b.Meter = nil, nil
		if fmt.Sprint(b) != fmt.Sprint(w) {
			t.Errorf("bar %d marks\n got %+v\nwant %+v", i+1, b, w)
		}
	}
}

func TestFields(t *testing.T) {
	in := "irealb://" + url.PathEscape("Autumn Song=Doe Jane==Ballad=Bb==1r34LbKcu7"+scramble("[T44Bb^7   Z")+"=Jazz-Ballad Swing=72=3") + "===My List"
	p, err := DecodeBytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "My List" {
		t.Errorf("name %q", p.Name)
	}
	c := p.Charts[0]
	got := fmt.Sprintf("%q %q %q %v %d", c.Title, c.Composer, c.Style, c.Key, c.Tempo)
	if want := `"Autumn Song" "Doe Jane" "Ballad" Bb major 72`; got != want {
		t.Errorf("fields %s, want %s", got, want)
	}
}

// TestLinkForms reads links alone, inside HTML, percent-encoded as in
// dixieland1.txt (separators too), and in the older irealbook:// form.
func TestLinkForms(t *testing.T) {
	l := link("Form", "C", "[C   |G7   Z")
	for name, in := range map[string]string{
		"alone":        l + "\n",
		"in html":      `<html><a href="` + l + `">Form</a></html>`,
		"all escaped":  strings.ReplaceAll(l, "=", "%3D"),
		"irealbook":    "irealbook://Form=Test Band=Medium Swing=C=n=[C   |G7   Z",
		"irealbook in": `<a href="irealbook://Form=Test%20Band=Medium%20Swing=C=n=[C%20%20%20|G7%20%20%20Z">x</a>`,
	} {
		t.Run(name, func(t *testing.T) {
			p, err := DecodeBytes([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Charts) != 1 || p.Charts[0].Title != "Form" || played(p.Charts[0]) != "C | G7" {
				t.Errorf("got %+v", p.Charts)
			}
		})
	}
}

// TestSeeds checks facts of the hand-made links in testdata, which also
// seed FuzzDecode.
func TestSeeds(t *testing.T) {
	tests := []struct {
		file   string
		name   string
		charts int
		first  string // title of the first chart
		bars   int    // written bars of the first chart
		spans  int    // chord spans of the first chart played once
	}{
		{"blues.txt", "", 1, "Sideman Blues", 12, 26},
		{"playlist.txt", "Sideman Tests", 3, "Rhythm Study", 18, 0},
		{"coda.txt", "", 1, "Coda Etude", 17, 0},
		{"irealbook.txt", "", 1, "Old Format", 4, 8},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodeBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tt.name || len(p.Charts) != tt.charts || p.Charts[0].Title != tt.first || len(p.Charts[0].Bars) != tt.bars {
				t.Errorf("got %q, %d charts, %q with %d bars; want %q, %d, %q with %d",
					p.Name, len(p.Charts), p.Charts[0].Title, len(p.Charts[0].Bars), tt.name, tt.charts, tt.first, tt.bars)
			}
			if n := len(music.Spans(p.Charts[0].Unroll(1))); tt.spans != 0 && n != tt.spans {
				t.Errorf("%d spans played once, want %d: %s", n, tt.spans, played(p.Charts[0]))
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		err   error
		song  int
		token int
		msg   string
	}{
		{"empty", "", ErrNoLink, 0, 0, "ireal: no irealb:// or irealbook:// link"},
		{"no link", "https://example.com/", ErrNoLink, 0, 0, ""},
		{"bad escape", "irealb://A%zz", ErrField, 0, 0, ""},
		{"few fields", "irealb://Title=Composer", ErrField, 1, 0, `ireal: song 1 "Title": bad song field: 2 fields, want at least 7`},
		{"no prefix", "irealb://T=C==S=C==XXX=", ErrField, 1, 0, ""},
		{"bad key", link("K", "H", "[C   Z"), ErrField, 1, 0, ""},
		{"unknown symbol", link("T", "C", "[C Xq Z"), ErrSymbol, 1, 4, `ireal: song 1 "T": token 4: unknown symbol "Xq"`},
		{"bad time", link("T", "C", "[T99C   Z"), ErrSymbol, 1, 2, ""},
		{"open comment", link("T", "C", "[C <fine"), ErrSymbol, 1, 4, ""},
		{"bad chord", link("T", "C", "[E7b   Z"), ErrChord, 1, 2, ""},
		{"bad alternate", link("T", "C", "[C(Xx)   Z"), ErrChord, 1, 2, ""},
		{"too many bars", link("T", "C", "["+strings.Repeat("C|", MaxBars+1)), format.ErrTooLarge, 1, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeBytes([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			var se *ParseError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *ParseError", err)
			}
			if se.Song != tt.song || se.Token != tt.token {
				t.Errorf("song %d token %d, want %d %d (%v)", se.Song, se.Token, tt.song, tt.token, err)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
		})
	}
}

// TestPartialPlaylist checks that a bad song costs only itself.
func TestPartialPlaylist(t *testing.T) {
	good := strings.TrimPrefix(link("Good", "C", "[C   |G7   Z"), "irealb://")
	bad := strings.TrimPrefix(link("Bad", "C", "[C Xq Z"), "irealb://")
	p, err := DecodeBytes([]byte("irealb://" + good + "===" + bad + "===" + good + "===List"))
	var se *ParseError
	if !errors.As(err, &se) || se.Song != 2 || se.Title != "Bad" {
		t.Fatalf("error %v, want one for song 2", err)
	}
	if p == nil || p.Name != "List" || len(p.Charts) != 2 {
		t.Fatalf("got %+v, want the two good songs", p)
	}
}

func TestTooLarge(t *testing.T) {
	_, err := Decode(strings.NewReader("irealb://" + strings.Repeat("x", format.MaxSize)))
	if !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("error %v, want format.ErrTooLarge", err)
	}
	var se *ParseError
	if !errors.As(err, &se) {
		t.Errorf("error %T, want *ParseError", err)
	}
}
