package load

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"sideman/format/chart"
	"sideman/internal/shareddata"
	"sideman/music"
)

// sameAsOpen checks that OpenTune(name, sel) gives what Open and Tune
// give: the same chart, its written notes with the same ids (both read
// with ids from the same key), or the same error in the same words.
func sameAsOpen(t *testing.T, name, sel string) {
	t.Helper()
	key := "test\x00" + name
	var want *music.Chart
	d, err := Options{IDs: music.IDsFor(key)}.Open(name)
	if err == nil {
		want, err = d.Tune(sel)
	}
	od, got, gerr := Options{IDs: music.IDsFor(key)}.OpenTune(name, sel)
	switch {
	case err != nil || gerr != nil:
		if err == nil || gerr == nil || err.Error() != gerr.Error() {
			t.Errorf("%s --tune %q: OpenTune: %v; Open and Tune: %v", filepath.Base(name), sel, gerr, err)
		}
	case !reflect.DeepEqual(got, want):
		t.Errorf("%s --tune %q: OpenTune read %q, Open and Tune %q (or the same title with other bars or ids)", filepath.Base(name), sel, got.Title, want.Title)
	case len(od.Charts) != 1 || od.Charts[0] != got || od.Name != name || od.Format != d.Format:
		t.Errorf("%s --tune %q: the Document holds %d charts, name %q, format %q", filepath.Base(name), sel, len(od.Charts), od.Name, od.Format)
	}
}

func TestOpenTuneJazzStandards(t *testing.T) {
	name := filepath.Join(shareddata.Dir(t, "jazz-standards"), "JazzStandards.json")
	for _, sel := range []string{
		"0", "700", "1381", "1382", "-1", "007",
		"Autumn Leaves", "autumn leaves ", "Girl From Ipanema", "Autum Leaves", "Autumn", "Giant Stepz and more",
	} {
		sameAsOpen(t, name, sel)
	}
}

// A tune book with a tune that cannot be read (which Open leaves out, so
// the indexes after it move), a title written twice, an untitled tune and
// written notes, whose ids count on from tune to tune.
func TestOpenTuneABC(t *testing.T) {
	const book = `X:1
T:First
K:C
CDEF|GABc|

X:2
T:Broken
K:C
CD[EF3|

X:3
T:Twice
C:One
K:G
GABc|d4|

X:4
T:Twice
C:Two
K:D
DEFG|A4|

X:5
K:F
FGAB|c4|

X:6
T:The Last Tune
K:A
ABcd|e4|
`
	name := filepath.Join(t.TempDir(), "book.abc")
	if err := os.WriteFile(name, []byte(book), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"0", "1", "2", "3", "4", "5", "-1", "First", "Broken", "Twice", "Last Tune, The", "last tune", "Frist", "book"} {
		sameAsOpen(t, name, sel)
	}
	// Of a book whose only readable tune is untitled, Open names that
	// tune after the file.
	lone := filepath.Join(t.TempDir(), "lone.abc")
	if err := os.WriteFile(lone, []byte("X:1\nT:Broken\nK:C\nCD[EF3|\n\nX:2\nK:G\nGABc|\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"0", "lone", "1"} {
		sameAsOpen(t, lone, sel)
	}
	// The tunes before the chosen one are read, and the one left out is
	// reported; the ones after it are not read.
	d, c, err := OpenTune(name, "The Last Tune")
	if err != nil || c.Title != "The Last Tune" {
		t.Fatalf("The Last Tune: %v, %v", c, err)
	}
	d, _, err = Options{IDs: music.NewIDs(1)}.OpenTune(name, "3")
	if err != nil || len(d.Warnings) != 1 {
		t.Errorf("tune 3 (after the broken one): warnings %v, %v; want the broken tune's", d.Warnings, err)
	}
	d, _, err = Options{IDs: music.NewIDs(1)}.OpenTune(name, "0")
	if err != nil || len(d.Warnings) != 0 {
		t.Errorf("tune 0 (before the broken one): warnings %v, %v; want none", d.Warnings, err)
	}
}

func TestOpenTuneNottingham(t *testing.T) {
	name := filepath.Join(shareddata.Dir(t, "nottingham"), "ABC_cleaned", "jigs.abc")
	d, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.Charts)
	for _, sel := range []string{"0", "30", "200", strconv.Itoa(n - 1), strconv.Itoa(n), d.Charts[250].Title} {
		sameAsOpen(t, name, sel)
	}
}

// Other inputs are read whole, with the same answers; no tune picks
// nothing, and a MIDI file holds no tune to pick.
func TestOpenTuneOthers(t *testing.T) {
	dir := t.TempDir()
	two := filepath.Join(dir, "two.chart")
	if err := os.WriteFile(two, []byte("title: One\n| C | G7 |\n---\ntitle: Two\n| F | C |\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"0", "1", "2", "Two", "Tow"} {
		sameAsOpen(t, two, sel)
	}
	d, c, err := OpenTune(two, "")
	if err != nil || c != nil || len(d.Charts) != 2 {
		t.Errorf("no tune: %v, %v, %d charts; want Open's document and no chart", c, err, len(d.Charts))
	}
	sameAsOpen(t, filepath.Join(dir, "missing.json"), "1")
}

// BenchmarkOneTune is tune 700 of the JazzStandards collection as
// `sideman band --tune 700` reads it: the collection opened and the tune
// picked (Open), read on demand (OpenTune), and the same tune alone in a
// .chart file, the mark it is held to (within 2x).
func BenchmarkOneTune(b *testing.B) {
	name := filepath.Join(shareddata.Dir(b, "jazz-standards"), "JazzStandards.json")
	d, err := Open(name)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := chart.Encode(&buf, d.Charts[700]); err != nil {
		b.Fatal(err)
	}
	one := filepath.Join(b.TempDir(), "700.chart")
	if err := os.WriteFile(one, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	ids := func() Options { return Options{IDs: music.IDsFor("bench")} }
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			d, err := ids().Open(name)
			if err == nil {
				_, err = d.Tune("700")
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenTune", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ids().OpenTune(name, "700"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chart", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ids().OpenTune(one, "0"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
