package jazzstd

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode checks that Decode never panics and that whatever it reads,
// Encode writes and Decode reads back to the same charts.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		`[]`,
		`null`,
		`[{"Title": "x", "Sections": [{"MainSegment": {"Chords": "(C7)|,|"}}]}]`,
		`[{"Title": "x", "TimeSignature": "5/8", "Sections": [{"Repeats": 2, "MainSegment": {"Chords": "C,,D"}}, {"Endings": [{"Chords": "E"}]}]}]`,
		`[{"Key": "F#min", "Sections": [{"MainSegment": {"Chords": ""}, "Endings": [{"Chords": "NC|Bbh7(E7alt)"}, {"Chords": "C^7,"}]}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		charts, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, charts); err != nil {
			t.Fatalf("Encode of decoded charts: %v", err)
		}
		back, err := Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("Decode of encoded charts: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(back, charts) {
			t.Fatalf("decode(encode(charts)) differs\ninput: %s\nencoded: %s", data, buf.Bytes())
		}
	})
}
