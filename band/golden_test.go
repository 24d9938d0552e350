package band_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"sideman/band"
	"sideman/band/lineup"
	"sideman/examples"
	"sideman/feel"
	"sideman/format/chart"
	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt from what the band plays now")

// goldenCase is one performance the golden file pins.
type goldenCase struct {
	chart, style  string // style "" is the one the chart names
	seed          int64
	intro, ending bool
	countIn       int
}

func (c goldenCase) name() string {
	style := c.style
	if style == "" {
		style = "chart's"
	}
	s := fmt.Sprintf("%s/%s/seed=%d", c.chart, strings.ReplaceAll(style, " ", "-"), c.seed)
	if c.intro || c.ending || c.countIn > 0 {
		s += fmt.Sprintf("/intro=%t,ending=%t,countin=%d", c.intro, c.ending, c.countIn)
	}
	return s
}

// goldenCases are every bundled chart in its own style with two seeds,
// the blues in every built-in style (every player sideman has), and one
// performance with an intro, an ending and a count-in.
func goldenCases() []goldenCase {
	var cs []goldenCase
	for _, name := range examples.Names() {
		for _, seed := range []int64{1, 42} {
			cs = append(cs, goldenCase{chart: name, seed: seed})
		}
	}
	for _, st := range band.Styles() {
		cs = append(cs, goldenCase{chart: "blues-f", style: st.Name, seed: 7})
	}
	return append(cs, goldenCase{chart: "rhythm-changes-bb", seed: 3, intro: true, ending: true, countIn: 2})
}

// TestGolden pins what the band plays, on the grid and with its style's
// feel, across refactors: each case's notes (ids, Origins, pitch, time,
// velocity) hash to the line testdata/golden.txt holds for it. A change
// to what the band plays fails here; if it is meant, run
// `go test ./band -run TestGolden -update`, and say in the commit why
// the figures moved.
func TestGolden(t *testing.T) {
	const golden = "testdata/golden.txt"
	var got bytes.Buffer
	for _, c := range goldenCases() {
		grid, felt := goldenPlay(t, c)
		fmt.Fprintf(&got, "%s %s %s\n", c.name(), grid, felt)
	}
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./band -run TestGolden -update)", err)
	}
	wantLines := lines(want)
	gotLines := lines(got.Bytes())
	for name, g := range gotLines {
		switch w, ok := wantLines[name]; {
		case !ok:
			t.Errorf("%s: not in %s", name, golden)
		case g != w:
			t.Errorf("%s: grid and felt hashes %s, want %s: what the band plays changed", name, g, w)
		}
	}
	for name := range wantLines {
		if _, ok := gotLines[name]; !ok {
			t.Errorf("%s: in %s but no longer played", name, golden)
		}
	}
}

func lines(b []byte) map[string]string {
	m := map[string]string{}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		if name, hashes, ok := strings.Cut(s.Text(), " "); ok {
			m[name] = hashes
		}
	}
	return m
}

// goldenPlay plays a case with ids from 1 and returns the hashes of the
// band on the grid and of the band with the style's feel.
func goldenPlay(t *testing.T, c goldenCase) (grid, felt string) {
	t.Helper()
	text, err := examples.Open(c.chart)
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chart.DecodeBytes(text)
	if err != nil {
		t.Fatalf("%s: %v", c.chart, err)
	}
	ch := charts[0]
	st, _ := band.ChartStyle(ch, 0)
	if c.style != "" {
		var ok bool
		if st, ok = band.LookupStyle(c.style); !ok {
			t.Fatalf("no style %q", c.style)
		}
	}
	p, err := band.Play(ch, band.Options{Lineup: lineup.Standard(), Style: st, Seed: c.seed, Choruses: 1,
		Intro: c.intro, Ending: c.ending, CountIn: c.countIn, IDs: music.NewIDs(1)})
	if err != nil {
		t.Fatalf("%s: %v", c.name(), err)
	}
	prof, ok := feel.Builtin(st.FeelName())
	if !ok {
		t.Fatalf("%s: no feel %q", c.name(), st.FeelName())
	}
	humanized := band.WithFeel(p, func(p *music.Piece) *music.Piece {
		return feel.Humanize(p, prof, feel.Options{Amount: 1, Seed: uint64(c.seed)})
	})
	return pieceHash(p), pieceHash(humanized)
}

// pieceHash is the sha256 of everything a listener or the ledger sees of
// a piece: its tempo, meters and swing, and each part with its notes.
func pieceHash(p *music.Piece) string {
	h := sha256.New()
	fmt.Fprintf(h, "tempo %v meters %v keys %v markers %v swing %v\n", p.Tempo, p.Meters, p.Keys, p.Markers, p.Swing)
	for _, part := range p.Parts {
		fmt.Fprintf(h, "part %q %q ch %d prog %d vol %d pan %d\n", part.Name, part.Role, part.Channel, part.Program, part.Volume, part.Pan)
		for _, n := range part.Notes {
			fmt.Fprintf(h, "%d %d %d %d %d %d %d ", n.ID, n.Pitch, n.Velocity, n.Start, n.Duration, n.Channel, n.Part)
			writeOrigin(h, n.Origin)
			io.WriteString(h, "\n")
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

func writeOrigin(w io.Writer, o *music.Origin) {
	if o == nil {
		io.WriteString(w, "nil")
		return
	}
	fmt.Fprintf(w, "{%v %q %q %q %q %q %q %v ", o.Kind, o.Who, o.Source, o.Generator, o.Version, o.Params, o.Step, o.DerivedFrom)
	writeOrigin(w, o.Base)
	io.WriteString(w, "}")
}
