package jazzstd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sideman/internal/shareddata"
)

// sameAsDecode checks that an Index of data lists and decodes the tunes
// Decode reads: the same titles, composers and charts, and the same
// errors, the whole input's and the first bad tune's.
func sameAsDecode(t *testing.T, data []byte) {
	t.Helper()
	charts, err := Decode(bytes.NewReader(data))
	x, xerr := NewIndex(data)
	var de *ParseError
	if err != nil && errors.As(err, &de) && de.Tune == 0 {
		if xerr == nil || xerr.Error() != err.Error() {
			t.Fatalf("NewIndex: %v; Decode: %v\ninput: %q", xerr, err, data)
		}
		return
	}
	if xerr != nil {
		t.Fatalf("NewIndex: %v; Decode: %v\ninput: %q", xerr, err, data)
	}
	if err != nil {
		// Decode stops at the first bad tune: the Index reads the ones
		// before it and fails on it with the same error.
		for i := 0; i < de.Tune-1; i++ {
			if _, terr := x.Tune(i); terr != nil {
				t.Fatalf("Tune(%d): %v; Decode read it\ninput: %q", i, terr, data)
			}
		}
		if _, terr := x.Tune(de.Tune - 1); terr == nil || terr.Error() != err.Error() {
			t.Fatalf("Tune(%d): %v; Decode: %v\ninput: %q", de.Tune-1, terr, err, data)
		}
		return
	}
	if x.Len() != len(charts) {
		t.Fatalf("Len %d, Decode read %d tunes\ninput: %q", x.Len(), len(charts), data)
	}
	for i, want := range charts {
		if x.Title(i) != want.Title || x.Composer(i) != want.Composer {
			t.Fatalf("tune %d: %q by %q, Decode: %q by %q\ninput: %q", i, x.Title(i), x.Composer(i), want.Title, want.Composer, data)
		}
		c, err := x.Tune(i)
		if err != nil || !reflect.DeepEqual(c, want) {
			t.Fatalf("Tune(%d) = %+v, %v; Decode: %+v\ninput: %q", i, c, err, want, data)
		}
	}
}

// valid is the scan's word on whether data is JSON.
func valid(data []byte) bool {
	s := &scan{data: data}
	if !s.value(0) {
		return false
	}
	s.space()
	return s.i == len(data)
}

// The scan takes what encoding/json takes as JSON, and nothing else.
func TestScanIsValid(t *testing.T) {
	for _, s := range []string{
		``, ` `, `[`, `]`, `[]`, `[] x`, `{}`, `{"a":1,}`, `[1,]`, `[,1]`, `{"a" 1}`, `{1:2}`,
		`0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1E-7`, `1e5.5`, `+1`, `-01`, `0x10`,
		`true`, `tru`, `truex`, `null`, `nul`, `False`,
		`"a"`, `"a`, `"\"`, `"\u00e9"`, `"\u00g9"`, `"\u00e"`, `"\x"`, `"\/"`, "\"tab\there\"", "\"\x7f\xff\xfe\"", "\"\x01\"",
		" [ { \"a\" : [ 1 , 2 ] , \"b\" : { } } ] \r\n",
		strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
		strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
		"[" + strings.Repeat(`{"a":`, maxDepth-1) + "1" + strings.Repeat("}", maxDepth-1) + "]",
		"[" + strings.Repeat(`{"a":`, maxDepth) + "1" + strings.Repeat("}", maxDepth) + "]",
	} {
		if got, want := valid([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("%.40q: the scan says valid %v, encoding/json %v", s, got, want)
		}
	}
}

// The spellings JSON allows that a scan could read otherwise than
// encoding/json: keys in another case, twice, with escapes; titles with
// escapes, null, or not a string; tunes that are no object.
func TestIndexReadsAsDecode(t *testing.T) {
	for _, s := range []string{
		``,
		`[]`,
		` null `,
		`{"Title": "x"}`,
		`[{"Title": "x"}] junk`,
		`[{"Title": "A", "Composer": "B"}, {"Title": "C"}]`,
		`[{"title": "lower", "COMPOSER": "upper"}]`,
		`[{"Title": "first", "title": "second"}]`,
		`[{"Title": "x", "Title": null}]`,
		`[{"Titl\u0065": "escaped key", "Composer": "\u00c9mile \"Q\" \\ /"}]`,
		"[{\"Title\": \"bad \xff utf-8\"}]",
		`[{"Title": 5}]`,
		`[{"Title": ["x"]}]`,
		`[1, {"Title": "x"}]`,
		`[null, {"Title": "after null"}]`,
		`[{"Sections": [{"Label": "A", "MainSegment": {"Chords": "C|H7"}}], "Title": "bad chord"}, {"Title": "good"}]`,
		`[{"Title": "nested", "Sections": [{"Label": "{[\"", "MainSegment": {"Chords": "C|F"}}], "Rhythm": "Title"}]`,
		`[ {"Title" : "spaced" , "Key" : "Eb" } , {"Composer":"x","Title":"tight"} ]`,
		`[{"Ｔitle": "fullwidth", "Title": "plain"}]`,
	} {
		t.Run(s, func(t *testing.T) { sameAsDecode(t, []byte(s)) })
	}
}

func TestIndexSample(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sameAsDecode(t, data)
	}
}

// The whole JazzStandards collection, tune by tune.
func TestIndexCorpus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(shareddata.Dir(t, "jazz-standards"), "JazzStandards.json"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := NewIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() != 1382 {
		t.Errorf("%d tunes, want 1382", x.Len())
	}
	sameAsDecode(t, data)
}

// FuzzIndex checks that an Index reads whatever Decode reads to the same
// tunes and errors.
func FuzzIndex(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`[{"title": "x", "Title": "y", "Composer": null}, 2, {"Sections": []}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := valid(data), json.Valid(data); got != want {
			t.Fatalf("%q: the scan says valid %v, encoding/json %v", data, got, want)
		}
		sameAsDecode(t, data)
	})
}

// BenchmarkOneTune is one tune out of the JazzStandards collection:
// decoding it all and picking one, against an Index and the one tune.
func BenchmarkOneTune(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(shareddata.Dir(b, "jazz-standards"), "JazzStandards.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Index", func(b *testing.B) {
		for b.Loop() {
			x, err := NewIndex(data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := x.Tune(700); err != nil {
				b.Fatal(err)
			}
		}
	})
}
