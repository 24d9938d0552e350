package abc

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sideman/format"
	"sort"
	"testing"
)

// indexAsDecode checks that an Index of data gives, tune by tune, what
// DecodeBytes gives: the same charts in order, the same errors for the
// tunes it leaves out, and each readable tune's title and composer from
// its header alone. It returns the tunes left out.
func indexAsDecode(t *testing.T, name string, data []byte) int {
	t.Helper()
	charts, err := Decoder{Source: name}.DecodeBytes(data)
	x, xerr := Decoder{Source: name}.NewIndex(data)
	if xerr != nil {
		if err == nil || len(charts) > 0 || xerr.Error() != err.Error() {
			t.Fatalf("%s: NewIndex: %v; DecodeBytes: %v", name, xerr, err)
		}
		return 0
	}
	var wantErrs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		wantErrs = j.Unwrap()
	}
	var got []error
	k := 0
	for i := range x.Len() {
		c, err := x.Tune(i)
		if err != nil {
			got = append(got, err)
			continue
		}
		if k >= len(charts) {
			t.Fatalf("%s: tune %d read, DecodeBytes read %d", name, i, len(charts))
		}
		if !reflect.DeepEqual(c, charts[k]) {
			t.Fatalf("%s: tune %d differs from DecodeBytes's chart %d %q", name, i, k, charts[k].Title)
		}
		if x.Title(i) != c.Title || x.Composer(i) != c.Composer {
			t.Fatalf("%s: tune %d: header says %q by %q, chart %q by %q", name, i, x.Title(i), x.Composer(i), c.Title, c.Composer)
		}
		k++
	}
	if k != len(charts) || len(got) != len(wantErrs) {
		t.Fatalf("%s: %d tunes and %d errors; DecodeBytes: %d and %d", name, k, len(got), len(charts), len(wantErrs))
	}
	for i := range got {
		if got[i].Error() != wantErrs[i].Error() {
			t.Errorf("%s: error %d: %v; DecodeBytes: %v", name, i, got[i], wantErrs[i])
		}
	}
	return len(got)
}

func TestIndexTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.abc")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		indexAsDecode(t, filepath.Base(f), data)
	}
	for _, s := range []string{
		"",
		"no tunes here\n",
		"X:1\nT:Good\nK:C\nCDEF|\n\nX:2\nT:Bad\nK:C\nCD[EF3|\n\nX:3\nT:\nT:Second title\nC:A\nC:B\nK:G\nGABc|\n",
		"C:From the file header\nM:6/8\n\nX:1\nT:One\nK:D\nDEF|\n\nX:2\nT:Two\nM:bad\nK:D\nDEF|\n",
		"X:1\nT:Music first\nabc|\nK:C\n",
	} {
		indexAsDecode(t, "inline", []byte(s))
	}
}

// Every Nottingham file, tune by tune: jigs.abc has a tune DecodeBytes
// leaves out.
func TestIndexNottingham(t *testing.T) {
	_, files := nottingham(t)
	left := 0
	for name, data := range files {
		left += indexAsDecode(t, name, data)
	}
	if left == 0 {
		t.Error("no tune left out: the corpus has one (jigs.abc)")
	}
}

func TestIndexRefusesAsDecode(t *testing.T) {
	if _, err := (Decoder{Source: "x"}).NewIndex([]byte("T:no X\n")); !errors.Is(err, ErrNoTunes) {
		t.Errorf("no X: %v, want ErrNoTunes", err)
	}
	if _, err := (Decoder{Source: "x"}).NewIndex(make([]byte, format.MaxSize+1)); !errors.Is(err, format.ErrTooLarge) {
		t.Errorf("too large: %v, want ErrTooLarge", err)
	}
}

// BenchmarkOneTune is tune 30 of jigs.abc (339 tunes): DecodeBytes of the
// file against an Index and the tunes up to it, which is what reading
// tune 30 by its index takes (the tunes before it may be left out).
func BenchmarkOneTune(b *testing.B) {
	_, files := nottingham(b)
	data := files["jigs.abc"]
	if data == nil {
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		b.Fatalf("no jigs.abc in %v", names)
	}
	b.Run("DecodeBytes", func(b *testing.B) {
		for b.Loop() {
			Decoder{Source: "jigs.abc"}.DecodeBytes(data)
		}
	})
	b.Run("Index", func(b *testing.B) {
		for b.Loop() {
			x, err := Decoder{Source: "jigs.abc"}.NewIndex(data)
			if err != nil {
				b.Fatal(err)
			}
			for i := range 31 {
				x.Tune(i)
			}
		}
	})
}

// FuzzIndex checks that an Index reads any input to the tunes, errors,
// titles and composers DecodeBytes gives.
func FuzzIndex(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.abc")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("C:Header\n\nX:1\nT:A\nK:C\nCD|\n\nX:2\nT:\nT:B\nK:D\n[|\n"))
	f.Fuzz(func(t *testing.T, data []byte) { indexAsDecode(t, "fuzz", data) })
}
