package band

import (
	"strings"
	"testing"

	"sideman/music"
)

func TestBuiltinStyles(t *testing.T) {
	styles := Styles()
	if len(styles) < 12 {
		t.Fatalf("%d built-in styles, want at least 12", len(styles))
	}
	for _, want := range []string{"medium-swing", "up-tempo-swing", "ballad", "jazz-waltz", "two-feel", "bossa-nova",
		"samba", "afro-cuban", "even-8ths-pop", "rock", "funk", "blues-shuffle"} {
		if _, ok := LookupStyle(want); !ok {
			t.Errorf("no built-in style %q", want)
		}
	}
	if s, ok := LookupStyle("Medium Swing"); !ok || s.Name != "medium-swing" {
		t.Error("lookup ignores case and spaces")
	}
}

// LookupStyle reads only the file named as the style: each built-in's
// file is its name, and every style is found by its name.
func TestStyleFileNames(t *testing.T) {
	ents, err := builtin.ReadDir("styles")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if s := builtinStyle(e.Name()); s.Name+".style" != e.Name() {
			t.Errorf("%s holds style %q", e.Name(), s.Name)
		}
	}
	for _, s := range Styles() {
		if got, ok := LookupStyle(strings.ToUpper(s.Name)); !ok || got.Name != s.Name || got == s {
			t.Errorf("LookupStyle(%q) = %v, %v: want a fresh copy of %s", strings.ToUpper(s.Name), got, ok, s.Name)
		}
	}
	if _, ok := LookupStyle("medium swing.style"); ok {
		t.Error("a file name is not a style name")
	}
}

func TestParseStyleErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"name: x\neighths: bouncy\n", "line 2: eighths"},
		{"name: x\nfeel: swing rhythm\n", "line 2: feel"},
		{"name: x\nhumanize: \n", "line 2: humanize"},
		{"name: x\nswing: 2\n", "line 2: swing"},
		{"name: x\ncolour: red\n", "unknown setting"},
		{"feel: swing\n", "no name"},
		{"name: x\nnonsense\n", "line 2: want name: value"},
	} {
		_, err := ParseStyle("t.style", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestPositionsAndSwing(t *testing.T) {
	pos, vel, err := ParsePositions("1 2+ 3e 4a:90 1t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Position{0, 1.5, 2.25, 3.75, 1.0 / 3}
	for i := range want {
		if pos[i] != want[i] {
			t.Errorf("position %d = %v, want %v", i, pos[i], want[i])
		}
	}
	if vel[3] != 90 || vel[0] != 0 {
		t.Errorf("velocities %v", vel)
	}
	for _, bad := range []string{"0", "2x", "33", "1:200"} {
		if _, _, err := ParsePositions(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	// The band writes the rhythm as a score does: the and of 2 half way
	// through beat 2 in a swing style too (feel swings it: TestSwing).
	pb := music.PlayedBar{Start: 3840, Meter: music.Meter{Num: 4, Den: 4}}
	for _, st := range []*Style{{Eighths: "swing", Swing: 2.0 / 3}, {Eighths: "straight", Swing: 0.5}} {
		g := &Gig{Style: st}
		if got := g.Tick(pb, 1.5); got != 3840+1440 {
			t.Errorf("%s eighths: the and of 2 written at %d, want %d", st.Eighths, got, 3840+1440)
		}
	}
}

// The style's eighths reach the piece: swung ones as the style's swing,
// straight ones as 0.
func TestPlaySaysHowEighthsAreMeant(t *testing.T) {
	c := &music.Chart{Title: "t", Bars: []music.Bar{{Chords: []music.ChordAt{{Chord: music.MustParseChord("C7")}}}}}
	for name, want := range map[string]float64{"medium-swing": 0.64, "blues-shuffle": 0.67, "bossa-nova": 0} {
		st, _ := LookupStyle(name)
		p, err := Play(c, Options{Style: st, Lineup: &Lineup{}, Mute: map[string]bool{"bass": true, "piano": true, "guitar": true, "drums": true}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Swing != want {
			t.Errorf("%s: the piece's swing is %v, want %v", name, p.Swing, want)
		}
	}
}

// A style file reads with the keys that say what they are (eighths:,
// feel:) and with the old ones (feel: swing|straight, humanize:), the
// same style either way.
func TestStyleKeysOldAndNew(t *testing.T) {
	for _, tc := range []struct {
		now, before string
		eighths     string
		swing       float64
		feel        string
	}{
		{"eighths: swing\nswing: 0.62\nfeel: ballad\n", "feel: swing\nswing: 0.62\nhumanize: ballad\n", "swing", 0.62, "ballad"},
		{"eighths: straight\nfeel: rock-funk\n", "feel: straight\nhumanize: rock-funk\n", "straight", 0.5, "rock-funk"},
		{"eighths: swing\nfeel: none\n", "humanize: none\nfeel: swing\n", "swing", 2.0 / 3, "none"},
		{"eighths: swing\n", "feel: swing\n", "swing", 2.0 / 3, ""},
	} {
		now, err := ParseStyle("now.style", strings.NewReader("name: x\n"+tc.now))
		if err != nil {
			t.Fatal(err)
		}
		before, err := ParseStyle("before.style", strings.NewReader("name: x\n"+tc.before))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*Style{now, before} {
			if s.Eighths != tc.eighths || s.Swing != tc.swing || s.Feel != tc.feel {
				t.Errorf("%q: eighths %s, swing %v, feel %q; want %s, %v, %q", tc.now, s.Eighths, s.Swing, s.Feel, tc.eighths, tc.swing, tc.feel)
			}
		}
	}
	if s, _ := ParseStyle("x.style", strings.NewReader("name: x\nfeel: swing\n")); s.FeelName() != "swing-rhythm" {
		t.Errorf("old feel: swing plays with %q, want swing-rhythm", s.FeelName())
	}
}

func TestFormIntroAndEnding(t *testing.T) {
	c := &music.Chart{}
	for _, s := range []string{"C7", "F7", "C7", "G7", "C7", "F7", "C7", "G7"} {
		c.Bars = append(c.Bars, music.Bar{Chords: []music.ChordAt{{Chord: music.MustParseChord(s)}}})
	}
	bars := Form(c, 2, true, true)
	// 4 intro + 16 + 4 tag + 1 final
	if len(bars) != 25 {
		t.Fatalf("%d bars, want 25", len(bars))
	}
	if bars[0].Bar.Section != "Intro" || bars[20].Bar.Section != "Ending" {
		t.Errorf("sections %q %q", bars[0].Bar.Section, bars[20].Bar.Section)
	}
	// The form ends on G7, a turnaround: the final chord is the first chord.
	if got := bars[24].Bar.Chords[0].Chord.Name(); got != "C7" {
		t.Errorf("final chord %s, want C7", got)
	}
	for i := 1; i < len(bars); i++ {
		if bars[i].Start != bars[i-1].End() {
			t.Fatalf("bar %d starts at %d, not where bar %d ends", i, bars[i].Start, i-1)
		}
	}
}

// FuzzParseStyle: any input either parses or gives a StyleError; a style
// that parses has a name and a swing share in range, and its positions
// parse or fail without panicking.
func FuzzParseStyle(f *testing.F) {
	for _, s := range Styles() {
		data, _ := builtin.ReadFile("styles/" + s.Name + ".style")
		f.Add(data)
	}
	f.Add([]byte("name: x\ndrums.ride: 1 2+ 3e 4a:90 1t 5l\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseStyle("fuzz.style", strings.NewReader(string(data)))
		if err != nil {
			if _, ok := err.(*StyleError); !ok {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		if s.Name == "" || s.Swing < 0.5 || s.Swing > 0.8 {
			t.Fatalf("style %+v", s)
		}
		for _, v := range s.Params {
			ParsePositions(v)
		}
	})
}
