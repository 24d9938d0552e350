package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/format/abc"
	"sideman/format/kern"
	"sideman/format/musicxml"
	"sideman/format/wjazzd"
	"sideman/internal/shareddata"
)

// corpora are the lead-sheet and research corpora of the lead-sheet issue,
// held in memory: Nottingham ABC, OpenEWLD MusicXML, the Bach chorales in
// **kern, and the WJazzD solos (melody and beat files).
type corpora struct {
	abc, mxl, krn [][]byte
	melody, beats [][]byte
	names         []string
	bytes         int64
}

func loadCorpora(tb testing.TB) *corpora {
	tb.Helper()
	c := &corpora{}
	abcDir := shareddata.Dir(tb, "nottingham/ABC_cleaned")
	files, _ := filepath.Glob(filepath.Join(abcDir, "*.abc"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		c.abc = append(c.abc, data)
		c.bytes += int64(len(data))
	}
	read := func(archive string, suffix string) [][]byte {
		_, data, err := shareddata.ReadTarGz(shareddata.File(tb, archive), shareddata.HasSuffix(suffix))
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range data {
			c.bytes += int64(len(d))
		}
		return data
	}
	c.mxl = read("openewld/OpenEWLD.tar.gz", ".mxl")
	c.krn = read("bach-chorales/bach-370-chorales-kern.tar.gz", ".krn")
	members, data, err := shareddata.ReadTarGz(shareddata.File(tb, "wjazzd/wjazzd-csv.tar.gz"), shareddata.HasSuffix(".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	beats := map[string][]byte{}
	for i, m := range members {
		if strings.Contains(m.Name, "csv_beats/") {
			beats[filepath.Base(m.Name)] = data[i]
		}
	}
	for i, m := range members {
		if strings.Contains(m.Name, "csv_melody/") {
			base := filepath.Base(m.Name)
			c.melody = append(c.melody, data[i])
			c.beats = append(c.beats, beats[base])
			c.names = append(c.names, base)
			c.bytes += int64(len(data[i]) + len(beats[base]))
		}
	}
	return c
}

// BenchmarkLeadSheetCorpora reads the whole Nottingham, OpenEWLD, chorale
// and WJazzD corpora from memory on one goroutine, as the lead-sheet issue
// asks (under 2 s on one core), and reports each format's share.
func BenchmarkLeadSheetCorpora(b *testing.B) {
	c := loadCorpora(b)
	if len(c.abc) != 14 || len(c.mxl) != 502 || len(c.krn) != 370 || len(c.melody) != 456 {
		b.Fatalf("corpora: %d abc files, %d mxl, %d krn, %d solos", len(c.abc), len(c.mxl), len(c.krn), len(c.melody))
	}
	b.SetBytes(c.bytes)
	b.ReportAllocs()
	var notes int
	for b.Loop() {
		notes = 0
		for _, d := range c.abc {
			charts, _ := abc.DecodeBytes(d) // one known bad tune is skipped
			for _, ch := range charts {
				notes += ch.WrittenNotes()
			}
		}
		for _, d := range c.mxl {
			ch, err := musicxml.DecodeBytes(d)
			if err != nil {
				b.Fatal(err)
			}
			notes += ch.WrittenNotes()
		}
		for _, d := range c.krn {
			ch, err := kern.DecodeBytes(d)
			if err != nil {
				b.Fatal(err)
			}
			notes += ch.WrittenNotes()
		}
		for i := range c.melody {
			s, err := wjazzd.Decoder{Source: c.names[i]}.DecodeSoloBytes(c.melody[i], c.beats[i])
			if err != nil {
				b.Fatal(err)
			}
			notes += len(s.Notes)
		}
	}
	b.ReportMetric(float64(notes), "notes/op")
	b.ReportMetric(float64(len(c.abc)+len(c.mxl)+len(c.krn)+2*len(c.melody)), "files/op")
}
