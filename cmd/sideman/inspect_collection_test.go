package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"sideman/internal/shareddata"
	"sideman/load"
	"sideman/project"
)

// inspect streams a collection (project.SummarizeCollection) and gets the
// summary, to the last bit, and the warnings that Summarize and Open give for the whole Document: on a
// folder of charts, a bad chart and a MIDI file, and on the corpora's
// archives of MIDI files, kern scores and Impro-Visor lead sheets.
func TestInspectCollectionStreams(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../examples/blues-f.chart")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a.chart"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "b.chart"), []byte("| C | Xq7 |"), 0o644)
	if status, _, errs := sideman(t, "convert", "../../examples/blues-f.chart", "-o", filepath.Join(dir, "c.mid")); status != 0 {
		t.Fatal(errs)
	}
	same(t, dir)
	// An archive that lists its files out of name order.
	mid, _ := os.ReadFile(filepath.Join(dir, "c.mid"))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range []struct {
		name string
		data []byte
	}{{"z.chart", []byte("title: Z\n| C | F |\n")}, {"m.mid", mid}, {"k.chart", []byte("| C | Xq7 |")}, {"a.chart", data}} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg})
		tw.Write(f.data)
	}
	tw.Close()
	zw.Close()
	tgz := filepath.Join(t.TempDir(), "tunes.tgz")
	os.WriteFile(tgz, buf.Bytes(), 0o644)
	same(t, tgz)
	for _, rel := range []string{"pop909/POP909-main.tar.gz", "nottingham/nottingham-MIDI.tar.gz", "bach-chorales/bach-370-chorales-kern.tar.gz", "impro-visor/impro-visor-leadsheets-styles.tar.gz"} {
		same(t, shareddata.File(t, rel))
	}
}

func same(t *testing.T, name string) {
	t.Helper()
	var held, streamed bytes.Buffer
	proj, _ := newProject(&held)
	d, err := proj.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(project.Summarize(d, nil))
	d = nil
	proj, _ = newProject(&streamed)
	s, err := proj.SummarizeCollection(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(s)
	if !bytes.Equal(got, want) || held.String() != streamed.String() {
		t.Errorf("%s: streamed\n%.300s\n%s\nwant\n%.300s\n%s", name, got, streamed.String(), want, held.String())
	}
	if s.Files == 0 || !load.IsCollection(name) {
		t.Errorf("%s: %d files", name, s.Files)
	}
	t.Logf("%s: %d files, %d tunes, %d skipped", filepath.Base(name), s.Files, len(s.Tunes), s.Skipped)
}
