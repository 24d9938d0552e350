package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"sideman/feel"
)

// element is one parsed SVG element: its name, attributes and the text
// directly inside it.
type element struct {
	Name  string
	Attr  map[string]string
	Text  string
	Depth int
}

// parse reads the whole document with encoding/xml, failing the test
// unless it is well-formed XML with an <svg> root that has a width, a
// height and a viewBox.
func parse(t testing.TB, doc []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var els []element
	var open []int
	roots := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{Name: tok.Name.Local, Attr: map[string]string{}, Depth: len(open)}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			if len(open) == 0 {
				roots++
				if e.Name != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root is <%s> in %q, want <svg> in the SVG namespace", e.Name, tok.Name.Space)
				}
				for _, a := range []string{"width", "height", "viewBox"} {
					if e.Attr[a] == "" {
						t.Fatalf("<svg> has no %s", a)
					}
				}
				vb := strings.Fields(e.Attr["viewBox"])
				if len(vb) != 4 || vb[2] != e.Attr["width"] || vb[3] != e.Attr["height"] {
					t.Fatalf("viewBox %q does not match width %s height %s", e.Attr["viewBox"], e.Attr["width"], e.Attr["height"])
				}
			}
			open = append(open, len(els))
			els = append(els, e)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].Text += string(tok)
			}
		}
	}
	if roots != 1 {
		t.Fatalf("%d root elements, want 1", roots)
	}
	return els
}

func render(t testing.TB, p *feel.Profile) ([]byte, []element) {
	t.Helper()
	var buf bytes.Buffer
	if err := SVG(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), parse(t, buf.Bytes())
}

// texts is all the text the picture shows, one string per element.
func texts(els []element) []string {
	var out []string
	for _, e := range els {
		if e.Name == "text" || e.Name == "title" {
			out = append(out, e.Text)
		}
	}
	return out
}

func hasText(els []element, want string) bool {
	for _, s := range texts(els) {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func ms(mean, sd float64, n int) feel.Timing {
	return feel.Timing{Ms: feel.Stat{N: n, Mean: mean, SD: sd}}
}

// testProfile is a soloist and a ride: the soloist late on the beat and
// later on the swung upbeat, the ride on top of the beat, each in a few
// tempo bands. The ride's up-tempo band has too few notes to draw.
func testProfile() *feel.Profile {
	return &feel.Profile{
		Name:        "test trio",
		Description: "Made by hand for the plot tests.",
		Sources:     []string{"Hand-made numbers, no licence needed."},
		Roles: map[string]*feel.Role{
			feel.Ride: {Bands: []feel.TempoBand{
				{Lo: 100, Hi: 140,
					Timing: map[string]feel.Timing{"beat": ms(-8, 10, 400), "let": ms(-4, 14, 300)},
					Swing:  feel.Stat{N: 200, Mean: 2.9, SD: 0.5}},
				{Lo: 250, Hi: 1000,
					Timing: map[string]feel.Timing{"beat": ms(-3, 8, 12)},
					Swing:  feel.Stat{N: 5, Mean: 1.2, SD: 0.2}},
			}},
			feel.Soloist: {Bands: []feel.TempoBand{
				{Lo: 0, Hi: 100,
					Timing: map[string]feel.Timing{"beat": ms(40, 25, 120), "and": ms(70, 30, 100), "e": ms(10, 20, 3)},
					Swing:  feel.Stat{N: 80, Mean: 1.6, SD: 0.4}, TripletSwing: feel.Stat{N: 30, Mean: 2.1, SD: 0.3}},
				{Lo: 140, Hi: 190,
					Timing: map[string]feel.Timing{"beat": ms(25, 20, 500), "and": ms(35, 22, 480), "let": ms(15, 18, 60)},
					Swing:  feel.Stat{N: 300, Mean: 1.35, SD: 0.3}},
			}},
		},
	}
}

func TestSVGDrawsProfile(t *testing.T) {
	doc, els := render(t, testProfile())

	var title string
	for _, e := range els {
		if e.Name == "title" && e.Depth == 1 {
			title = e.Text
		}
	}
	if !strings.Contains(title, "test trio") {
		t.Errorf("document title %q lacks the profile name", title)
	}
	for _, want := range []string{"soloist", "ride", "60-100 bpm", "140-190 bpm", "100-140 bpm",
		"on the grid", "straight", "triplet", "Hand-made numbers",
		"Corcoran and Frieler 2021", "Nelias et al. 2022", "Friberg and Sundström 2002"} {
		if !hasText(els, want) {
			t.Errorf("no text shows %q", want)
		}
	}
	// The ride's 250+ band has 12 notes and 5 swung pairs: too few to draw.
	if hasText(els, "250+ bpm") {
		t.Error("a band with fewer than 20 notes is drawn")
	}
	// No hi-hat in the profile, so no hi-hat reference.
	if hasText(els, "Hofmann") {
		t.Error("a reference for a role the profile lacks is drawn")
	}

	// Roles come in feel.Roles order: soloist before ride.
	var roles []string
	for _, e := range els {
		if e.Name == "g" && e.Attr["class"] == "role" {
			roles = append(roles, e.Attr["data-role"])
		}
	}
	if strings.Join(roles, ",") != "soloist,ride" {
		t.Errorf("roles drawn %v, want [soloist ride]", roles)
	}

	// Later notes are drawn higher: the soloist's swung upbeat (+70 ms)
	// above its downbeat (+40 ms), which is above the ride's early beat.
	cy := func(role, band, slot string) float64 {
		t.Helper()
		for _, e := range els {
			if e.Name == "circle" && e.Attr["class"] == "timing" && e.Attr["data-role"] == role &&
				e.Attr["data-band"] == band && e.Attr["data-slot"] == slot {
				y, err := strconv.ParseFloat(e.Attr["cy"], 64)
				if err != nil {
					t.Fatal(err)
				}
				return y
			}
		}
		t.Fatalf("no point for %s %s %s", role, band, slot)
		return 0
	}
	upbeat, downbeat := cy("soloist", "60-100 bpm", "and"), cy("soloist", "60-100 bpm", "beat")
	if upbeat >= downbeat {
		t.Errorf("+70 ms drawn at y=%v, not above +40 ms at y=%v", upbeat, downbeat)
	}
	if medium := cy("soloist", "140-190 bpm", "beat"); medium <= downbeat {
		t.Errorf("+25 ms drawn at y=%v, not below +40 ms at y=%v", medium, downbeat)
	}
	// The soloist's "e" has 3 notes: not drawn.
	for _, e := range els {
		if e.Attr["data-role"] == "soloist" && e.Attr["data-slot"] == "e" {
			t.Error("a slot with fewer than 20 notes is drawn")
		}
	}

	// Harder swing is drawn higher: the soloist's 1.6 above its 1.35.
	swingY := map[string]float64{}
	for _, e := range els {
		if e.Attr["class"] == "swing" && e.Attr["data-kind"] == "swing" {
			y, _ := strconv.ParseFloat(e.Attr["cy"], 64)
			swingY[e.Attr["data-role"]+" "+e.Attr["data-band"]] = y
		}
	}
	if len(swingY) != 3 {
		t.Fatalf("swing points %v, want 3", swingY)
	}
	if slow, medium := swingY["soloist 60-100 bpm"], swingY["soloist 140-190 bpm"]; slow >= medium {
		t.Errorf("swing 1.6 drawn at y=%v, not above 1.35 at y=%v", slow, medium)
	}

	// Same profile, same bytes.
	var again bytes.Buffer
	if err := SVG(&again, testProfile()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, again.Bytes()) {
		t.Error("two renderings of one profile differ")
	}
}

// The soloist lateness reference (Nelias et al.) is drawn at the beat
// column at its published height: 30 ms at 150 bpm lies between the
// 25 ms and 35 ms points drawn in the 140-190 band (centre 163 bpm,
// where the trend gives about 27 ms).
func TestLatenessReferenceHeight(t *testing.T) {
	_, els := render(t, testProfile())
	var refY, refMs float64
	found := false
	for _, e := range els {
		if e.Name == "line" && e.Attr["class"] == "reference" && e.Attr["data-role"] == "soloist" {
			refY, _ = strconv.ParseFloat(e.Attr["y1"], 64)
			refMs, _ = strconv.ParseFloat(e.Attr["data-ms"], 64)
			found = true
		}
	}
	if !found {
		t.Fatal("no lateness reference drawn for the soloist")
	}
	if refMs < 26 || refMs > 29 {
		t.Errorf("reference at 163 bpm is %v ms, want about 27", refMs)
	}
	var beat, and float64
	for _, e := range els {
		if e.Attr["class"] == "timing" && e.Attr["data-role"] == "soloist" && e.Attr["data-band"] == "140-190 bpm" {
			y, _ := strconv.ParseFloat(e.Attr["cy"], 64)
			switch e.Attr["data-slot"] {
			case "beat":
				beat = y
			case "and":
				and = y
			}
		}
	}
	if !(refY < beat && refY > and) {
		t.Errorf("27 ms reference at y=%v not between +25 ms (y=%v) and +35 ms (y=%v)", refY, beat, and)
	}
}

func TestSVGEscapesText(t *testing.T) {
	p := testProfile()
	p.Name = `Bird & Diz <live>`
	p.Description = `swing < 2:1 & "laid back" 'feel'`
	p.Sources = []string{"a <b>c</b> & d", "bad \x00 byte \xff"}
	_, els := render(t, p)
	if !hasText(els, `swing < 2:1 & "laid back" 'feel'`) {
		t.Errorf("description did not come back from the XML intact: %q", texts(els))
	}
	if !hasText(els, `Bird & Diz <live>`) {
		t.Error("name did not come back from the XML intact")
	}
	if !hasText(els, "a <b>c</b> & d") {
		t.Error("source did not come back from the XML intact")
	}
}

func TestSVGEmptyProfile(t *testing.T) {
	for name, p := range map[string]*feel.Profile{
		"no roles": {Name: "empty"},
		"thin": {Name: "thin", Roles: map[string]*feel.Role{
			feel.Bass: {Bands: []feel.TempoBand{{Lo: 100, Hi: 140,
				Timing: map[string]feel.Timing{"beat": ms(5, 3, 19)},
				Swing:  feel.Stat{N: 19, Mean: 2}}}},
			feel.Piano: nil,
			feel.Kick:  {},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			_, els := render(t, p)
			if !hasText(els, "No data to plot") {
				t.Errorf("no message saying there is nothing to plot: %q", texts(els))
			}
			for _, e := range els {
				if e.Attr["class"] == "role" {
					t.Errorf("role %s drawn without data", e.Attr["data-role"])
				}
			}
		})
	}
}

func TestSVGNilProfile(t *testing.T) {
	if err := SVG(io.Discard, nil); err == nil {
		t.Error("nil profile gave no error")
	}
}

// A role with swing but no timing, and out-of-range numbers a profile
// that skipped Check may carry, still gives well-formed XML.
func TestSVGOddNumbers(t *testing.T) {
	nan := feel.Stat{N: 50, Mean: 0, SD: 0}
	nan.SD = nan.SD / nan.SD // NaN
	p := &feel.Profile{Name: "odd", Roles: map[string]*feel.Role{
		feel.HiHat: {Bands: []feel.TempoBand{{Lo: 140, Hi: 190,
			Timing: map[string]feel.Timing{"beat": {Ms: nan}, "and": ms(-10, 4, 30)},
			Swing:  feel.Stat{N: 40, Mean: 6, SD: 1}}}},
		"cowbell": {Bands: []feel.TempoBand{{Lo: 100, Hi: 140, TripletSwing: feel.Stat{N: 40, Mean: 0.5, SD: 0.1}}}},
	}}
	_, els := render(t, p)
	if !hasText(els, "Hofmann et al. 2017") {
		t.Error("hi-hat reference not drawn")
	}
	var roles []string
	for _, e := range els {
		if e.Attr["class"] == "role" {
			roles = append(roles, e.Attr["data-role"])
		}
	}
	if strings.Join(roles, ",") != "hihat,cowbell" {
		t.Errorf("roles %v, want [hihat cowbell]", roles)
	}
}

func TestReferenceAt(t *testing.T) {
	for _, r := range References {
		if len(r.BPM) != len(r.Value) || len(r.BPM) == 0 {
			t.Errorf("%s %s: %d tempi, %d values", r.Role, r.What, len(r.BPM), len(r.Value))
		}
		if r.What != "swing" && r.What != "lateness" {
			t.Errorf("%s: unknown kind %q", r.Source, r.What)
		}
		if !strings.Contains(r.Source, "20") {
			t.Errorf("source %q names no year", r.Source)
		}
	}
	// Friberg and Sundström: the ride swings 2.6:1 at 150 bpm, 2.3:1
	// halfway to 200, and nothing is said past 300 bpm.
	var ride Reference
	for _, r := range References {
		if r.Role == feel.Ride && r.What == "swing" {
			ride = r
		}
	}
	for _, c := range []struct {
		bpm, want float64
		ok        bool
	}{{150, 2.6, true}, {175, 2.3, true}, {100, 3.5, true}, {300, 1, true}, {320, 0, false}, {80, 0, false}} {
		got, ok := ride.at(c.bpm)
		if ok != c.ok || (ok && (got < c.want-1e-9 || got > c.want+1e-9)) {
			t.Errorf("ride swing at %v bpm = %v, %v; want %v, %v", c.bpm, got, ok, c.want, c.ok)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four", 9)
	if strings.Join(got, "|") != "one two|three|four" {
		t.Errorf("wrap = %q", got)
	}
}

// FuzzSVG checks that whatever text a profile holds, the picture is
// well-formed XML.
func FuzzSVG(f *testing.F) {
	f.Add("swing", "a < b & c", "src \"q\"", 12.5)
	f.Add("\x00\xff", "]]>", "<!--", -499.0)
	f.Fuzz(func(t *testing.T, name, desc, src string, v float64) {
		p := testProfile()
		p.Name, p.Description, p.Sources = name, desc, []string{src}
		p.Roles[feel.Soloist].Bands[0].Timing["trip"] = ms(v, v/2, 40)
		p.Roles[feel.Soloist].OffsetMs, p.Roles[feel.Soloist].OffsetSource = v, src
		var buf bytes.Buffer
		if err := SVG(&buf, p); err != nil {
			t.Fatal(err)
		}
		parse(t, buf.Bytes())
	})
}

func BenchmarkSVG(b *testing.B) {
	p := testProfile()
	for b.Loop() {
		if err := SVG(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
