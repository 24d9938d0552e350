package load

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
)

// writeSolos writes the WJazzD solos of the shared archive that keep
// (by melody file name) to a new folder laid out as the export is
// (csv_melody/, csv_beats/), and returns it.
func writeSolos(t *testing.T, keep func(i int, name string) bool) string {
	t.Helper()
	arch := shareddata.File(t, "wjazzd/wjazzd-csv.tar.gz")
	dir := t.TempDir()
	ms, data, err := shareddata.ReadTarGz(arch, shareddata.HasSuffix(".csv"))
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	i := 0
	for _, m := range ms {
		if path.Base(path.Dir(m.Name)) == "csv_melody" {
			if keep(i, path.Base(m.Name)) {
				kept[path.Base(m.Name)] = true
			}
			i++
		}
	}
	for j, m := range ms {
		folder := path.Base(path.Dir(m.Name))
		if (folder == "csv_melody" || folder == "csv_beats") && kept[path.Base(m.Name)] {
			p := filepath.Join(dir, folder, path.Base(m.Name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data[j], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// A WJazzD export, as its archive or as a folder, is a collection of
// solos: each read as format/wjazzd reads the melody and beat files
// given to it directly (the notes, bars and chords of the chart), all 456
// with the database's 200,814 notes, each solo once.
func TestWJazzDCollection(t *testing.T) {
	arch := shareddata.File(t, "wjazzd/wjazzd-csv.tar.gz")
	ms, data, err := shareddata.ReadTarGz(arch, shareddata.HasSuffix(".csv"))
	if err != nil {
		t.Fatal(err)
	}
	melody, beats := map[string][]byte{}, map[string][]byte{}
	for i, m := range ms {
		switch path.Base(path.Dir(m.Name)) {
		case "csv_melody":
			melody[path.Base(m.Name)] = data[i]
		case "csv_beats":
			beats[path.Base(m.Name)] = data[i]
		}
	}
	solos, notes := 0, 0
	seen := map[string]bool{}
	for d, err := range Collection(arch) {
		if err != nil {
			t.Fatal(err)
		}
		if d.Format != FormatWJazzD || len(d.Charts) != 1 || len(d.Warnings) > 0 {
			t.Fatalf("%s: format %q, %d charts, warnings %v; want one WJazzD solo", d.Name, d.Format, len(d.Charts), d.Warnings)
		}
		base := path.Base(strings.TrimPrefix(d.Name, arch+":"))
		if seen[base] {
			t.Errorf("%s: read twice", base)
		}
		seen[base] = true
		s, err := wjazzd.DecodeSoloBytes(melody[base], beats[base])
		if err != nil {
			t.Fatal(err)
		}
		s.Name = base
		want, err := s.Chart(nil)
		if err != nil {
			t.Fatal(err)
		}
		got := d.Charts[0]
		if got.Title != want.Title || len(got.Bars) != len(want.Bars) || got.WrittenNotes() != want.WrittenNotes() {
			t.Fatalf("%s: %q, %d bars, %d notes; format/wjazzd reads %q, %d bars, %d notes", base, got.Title, len(got.Bars), got.WrittenNotes(), want.Title, len(want.Bars), want.WrittenNotes())
		}
		for b := range got.Bars {
			g, w := got.Bars[b], want.Bars[b]
			if len(g.Chords) != len(w.Chords) || len(g.Notes) != len(w.Notes) {
				t.Fatalf("%s: bar %d: %d chords, %d notes; want %d, %d", base, b+1, len(g.Chords), len(g.Notes), len(w.Chords), len(w.Notes))
			}
			for i := range g.Chords {
				if g.Chords[i].Chord.String() != w.Chords[i].Chord.String() || g.Chords[i].Offset != w.Chords[i].Offset {
					t.Fatalf("%s: bar %d: chord %d is %v, want %v", base, b+1, i, g.Chords[i], w.Chords[i])
				}
			}
			for i := range g.Notes {
				if g.Notes[i].Pitch != w.Notes[i].Pitch || g.Notes[i].Start != w.Notes[i].Start || g.Notes[i].ID == 0 {
					t.Fatalf("%s: bar %d: note %d is %v at %d (id %d), want %v at %d", base, b+1, i, g.Notes[i].Pitch, g.Notes[i].Start, g.Notes[i].ID, w.Notes[i].Pitch, w.Notes[i].Start)
				}
			}
		}
		solos++
		notes += got.WrittenNotes()
	}
	if solos != 456 || notes != 200814 {
		t.Errorf("%d solos, %d notes; want 456 and 200814", solos, notes)
	}

	// The same solos from a folder laid out as the export, in name order.
	dir := writeSolos(t, func(i int, _ string) bool { return i%50 == 0 })
	doc, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != FormatWJazzD || len(doc.Charts) != 10 || !strings.HasPrefix(doc.Charts[0].Title, "ArtPepper_") {
		t.Errorf("folder: format %q, %d charts (first %q); want 10 WJazzD solos, ArtPepper's first", doc.Format, len(doc.Charts), doc.Charts[0].Title)
	}
}

// A melody file without its beat file is one warning naming it; the
// other solos are read.
func TestWJazzDMissingBeats(t *testing.T) {
	dir := writeSolos(t, func(i int, _ string) bool { return i < 3 })
	ents, _ := os.ReadDir(filepath.Join(dir, "csv_beats"))
	gone := ents[1].Name()
	os.Remove(filepath.Join(dir, "csv_beats", gone))
	doc, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ie *InputError
	if len(doc.Charts) != 2 || len(doc.Warnings) != 1 || !errors.As(doc.Warnings[0], &ie) ||
		!strings.Contains(doc.Warnings[0].Error(), gone) || !strings.Contains(doc.Warnings[0].Error(), "no beat file") {
		t.Errorf("%d charts, warnings %v; want 2 and one naming %s's missing beat file", len(doc.Charts), doc.Warnings, gone)
	}
	// A folder with melodies only holds no solo sideman reads.
	os.RemoveAll(filepath.Join(dir, "csv_beats"))
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "no file could be read") {
		t.Errorf("melodies without beats: %v", err)
	}
}

func TestPerformer(t *testing.T) {
	for name, want := range map[string]string{
		"wjazzd-csv.tar.gz:wjazzd/csv_melody/ArtPepper_Anthropology_Solo.csv":  "ArtPepper",
		filepath.Join("x", "csv_melody", "JohnColtrane_GiantSteps-1_Solo.csv"): "JohnColtrane",
		"Solo.csv": "Solo.csv",
	} {
		if got := Performer(name); got != want {
			t.Errorf("Performer(%q) = %q, want %q", name, got, want)
		}
	}
}
