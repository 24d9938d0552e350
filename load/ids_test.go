package load

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"sideman/music"
)

// The MIDI files and lead sheets of a folder, and of an archive in it,
// opened or walked with one IDs, share no note id; opened without, their
// ids are unique among them still.
func TestCollectionIDs(t *testing.T) {
	mid, err := os.ReadFile("../format/midi/testdata/format1.mid")
	if err != nil {
		t.Fatal(err)
	}
	abc := []byte("X:1\nT:Scale\nL:1/4\nK:C\nCDEF|\n")
	dir := t.TempDir()
	var archive bytes.Buffer
	zw := gzip.NewWriter(&archive)
	tw := tar.NewWriter(zw)
	for name, data := range map[string][]byte{"d.mid": mid, "e.abc": abc} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	for name, data := range map[string][]byte{"a.mid": mid, "b.mid": mid, "c.abc": abc, "more.tar.gz": archive.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const files, notes = 5, 3*5 + 2*4 // format1.mid holds 5 notes, the scale 4
	// unique checks that the ids are unique and, when from is set, are
	// the ones the IDs from 100 hand out.
	unique := func(how string, ids []music.NoteID, from bool) {
		t.Helper()
		if len(ids) != notes {
			t.Fatalf("%s: %d notes, want %d", how, len(ids), notes)
		}
		seen := map[music.NoteID]bool{}
		for _, id := range ids {
			if id == 0 || seen[id] || from && (id < 100 || id >= 100+notes) {
				t.Fatalf("%s: id %d given twice or not from the IDs given", how, id)
			}
			seen[id] = true
		}
	}
	d, err := Options{IDs: music.NewIDs(100)}.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Members) != files {
		t.Fatalf("%d members, want %d", len(d.Members), files)
	}
	unique("Open with IDs", noteIDs(d), true)
	d, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	unique("Open", noteIDs(d), false)
	var walked []music.NoteID
	for m, err := range (Options{IDs: music.NewIDs(100)}).Collection(dir) {
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, noteIDs(m)...)
	}
	unique("Collection with IDs", walked, true)
}
