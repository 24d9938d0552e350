package abc

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"sideman/music"
)

// BenchmarkNottingham decodes and encodes the 14 files of the Nottingham
// Music Database (1,034 tunes), and has abc2midi check the same files as
// a peer in the same run (it parses each file but writes no MIDI). The
// abc2midi figure includes starting a process per file.
func BenchmarkNottingham(b *testing.B) {
	_, files := nottingham(b)
	var names []string
	var total int64
	for name, data := range files {
		names = append(names, name)
		total += int64(len(data))
	}
	sort.Strings(names)
	notes := 0
	var charts []*music.Chart
	for _, name := range names {
		cs, _ := Decoder{Source: name}.DecodeBytes(files[name])
		for _, c := range cs {
			notes += c.WrittenNotes()
		}
		charts = append(charts, cs...)
	}
	report := func(b *testing.B) {
		s := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(float64(len(names))/s, "files/s")
		b.ReportMetric(float64(len(charts))/s, "tunes/s")
		b.ReportMetric(float64(notes)/s, "notes/s")
	}
	b.Run("Decode", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, name := range names {
				Decoder{Source: name}.DecodeBytes(files[name])
			}
		}
		report(b)
	})
	b.Run("Encode", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := Encode(&buf, charts); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
		report(b)
	})
	b.Run("abc2midi-check", func(b *testing.B) {
		bin, err := exec.LookPath("abc2midi")
		if err != nil {
			b.Skip("abc2midi not installed")
		}
		dir := nottinghamDir(b)
		tmp := b.TempDir() // abc2midi -c leaves a barloc.txt where it runs
		b.SetBytes(total)
		for b.Loop() {
			for _, name := range names {
				cmd := exec.Command(bin, filepath.Join(dir, name), "-c", "-silent")
				cmd.Dir = tmp
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
}
