package match

import (
	"bytes"
	"io"
	"path"
	"strings"
	"testing"

	"sideman/internal/shareddata"
)

// TestVienna4x22 reads all 88 match files of the Vienna 4x22 corpus:
// every line parses, the counts of score and performed notes agree with
// a plain count of the lines, every file writes back byte for byte, and
// the pianists played the written key on all but a handful of matches.
func TestVienna4x22(t *testing.T) {
	tgz := shareddata.File(t, "vienna4x22/vienna4x22.tar.gz")
	files := 0
	kinds := map[Kind]int{}
	mismatch, matched := 0, 0
	err := shareddata.WalkTarGz(tgz, func(n string) bool { return strings.HasSuffix(n, ".match") },
		func(m shareddata.Member, r io.Reader) error {
			b, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			f, err := Decode(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", m.Name, err)
				return nil
			}
			files++
			var k = map[Kind]int{}
			for _, l := range f.Lines {
				k[l.Kind]++
				kinds[l.Kind]++
				if l.Kind == Matched {
					matched++
					if l.Score.Pitch() != l.Performed.Pitch {
						mismatch++
						t.Logf("%s: %s %d played as %d", path.Base(m.Name), l.Score.ID, l.Score.Pitch(), l.Performed.Pitch)
					}
				}
			}
			text := string(b)
			snotes := strings.Count(text, "\nsnote(")
			notes := strings.Count(text, "-note(")
			if k[Matched]+k[Deleted] != snotes || k[Matched]+k[Inserted] != notes {
				t.Errorf("%s: %d matched + %d deleted of %d score notes, + %d inserted of %d performed",
					m.Name, k[Matched], k[Deleted], snotes, k[Inserted], notes)
			}
			if k[Raw] != 0 {
				t.Errorf("%s: %d raw lines", m.Name, k[Raw])
			}
			if v, _ := f.Get("midiClockUnits"); v != "480" {
				t.Errorf("%s: midiClockUnits %q", m.Name, v)
			}
			var buf bytes.Buffer
			if err := Encode(&buf, f); err != nil {
				t.Fatal(err)
			}
			if buf.String() != strings.ReplaceAll(text, "\r\n", "\n") {
				t.Errorf("%s does not write back byte for byte", m.Name)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if files != 88 {
		t.Errorf("%d match files, want 88", files)
	}
	t.Logf("%d files: %v; %d of %d matched notes at another key", files, kinds, mismatch, matched)
	// Counted over the corpus (rematched version of 2024): 43,472
	// matched, 418 deleted and 184 inserted notes.
	if kinds[Matched] != 43472 || kinds[Deleted] != 418 || kinds[Inserted] != 184 {
		t.Errorf("counts %v", kinds)
	}
	if mismatch > matched/1000 {
		t.Errorf("%d of %d matched notes played at another key", mismatch, matched)
	}
}

func BenchmarkDecode(b *testing.B) {
	tgz := shareddata.File(b, "vienna4x22/vienna4x22.tar.gz")
	var data []byte
	shareddata.WalkTarGz(tgz, func(n string) bool { return strings.HasSuffix(n, "Chopin_op38_p01.match") },
		func(m shareddata.Member, r io.Reader) error {
			data, _ = io.ReadAll(r)
			return shareddata.SkipAll
		})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
