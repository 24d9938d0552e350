package midi

import (
	"bytes"
	"fmt"
	"testing"

	"sideman/music"
)

// TestCorpora reads every MIDI file of the four MIDI corpora, at both
// levels, and checks what is known of each corpus.
func TestCorpora(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files int
	}{
		{"pop909", 909},
		{"groove", 1150},
		{"nottingham", 3089},
		{"vienna4x22", 112},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := loadCorpus(t, tc.name)
			if len(c.files) != tc.files {
				t.Errorf("%d MIDI files, want %d", len(c.files), tc.files)
			}
			notes, empty := 0, 0
			for i, data := range c.data {
				p, err := (&Decoder{Source: c.files[i]}).DecodePiece(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: %v", c.files[i], err)
					continue
				}
				if p.NoteCount() == 0 {
					empty++
				}
				notes += p.NoteCount()
				for _, part := range p.Parts {
					for _, n := range part.Notes {
						if n.Duration < 0 || n.Velocity == 0 || n.Origin == nil || n.Origin.Source != c.files[i] {
							t.Fatalf("%s: bad note %+v", c.files[i], n)
						}
					}
				}
			}
			if empty > 0 {
				t.Errorf("%d files without notes", empty)
			}
			t.Logf("%d files, %d bytes, %d notes", len(c.files), c.bytes, notes)
		})
	}
}

// TestRoundTrip decodes, encodes and decodes again every file of POP909
// and the Groove MIDI Dataset, at the raw level (every event, at the same
// tick, with the same bytes) and at the Piece level (every note, tempo,
// meter, key, marker and part).
func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"pop909", "groove"} {
		c := loadCorpus(t, name)
		var buf bytes.Buffer
		for i, data := range c.data {
			file := c.files[i]
			f1, err := DecodeBytes(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			buf.Reset()
			if err := Encode(&buf, f1); err != nil {
				t.Fatalf("%s: Encode: %v", file, err)
			}
			f2, err := DecodeBytes(buf.Bytes())
			if err != nil {
				t.Fatalf("%s: decoding what Encode wrote: %v", file, err)
			}
			if f1.Format != f2.Format || f1.Division != f2.Division {
				t.Errorf("%s: format %d, division %v; after round trip %d, %v", file, f1.Format, f1.Division, f2.Format, f2.Division)
			}
			e1, e2 := rawEvents(f1), rawEvents(f2)
			for ti := range e1 {
				if ti < len(e2) && !endsTrack(f1.Tracks[ti]) {
					// Encode adds the End of Track a track lacks.
					e2[ti] = e2[ti][:len(e2[ti])-1]
				}
			}
			if d := diffTracks(e1, e2); d != "" {
				t.Errorf("%s: raw round trip: %s", file, d)
			}

			p1 := ToPiece(f1, file)
			buf.Reset()
			if err := EncodePiece(&buf, p1); err != nil {
				t.Fatalf("%s: EncodePiece: %v", file, err)
			}
			buf2 := bytes.Clone(buf.Bytes())
			p2, err := (&Decoder{Source: file}).DecodePiece(&buf)
			if err != nil {
				t.Fatalf("%s: decoding what EncodePiece wrote: %v", file, err)
			}
			if d := diffPieces(p1, p2); d != "" {
				t.Errorf("%s: piece round trip: %s", file, d)
			}
			// The provenance record brings back the same IDs and origins
			// even when the file is read under another name.
			f3, err := DecodeBytes(buf2)
			if err != nil {
				t.Fatal(err)
			}
			p3 := PieceOptions{Provenance: true}.ToPiece(f3, "elsewhere")
			if d := diffPieces(p1, p3); d != "" {
				t.Errorf("%s: piece round trip with provenance: %s", file, d)
			}
		}
	}
}

func endsTrack(t Track) bool {
	n := len(t.Events)
	return n > 0 && t.Events[n-1].Status == Meta && t.Events[n-1].Data1 == MetaEndOfTrack
}

func diffTracks(a, b [][]string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d tracks, then %d", len(a), len(b))
	}
	for ti := range a {
		if d := firstDiff("first", a[ti], b[ti]); d != "" {
			return fmt.Sprintf("track %d: %s", ti, d)
		}
	}
	return ""
}

// diffPieces describes the first difference between two pieces, or "".
func diffPieces(a, b *music.Piece) string {
	if a.Title != b.Title {
		return fmt.Sprintf("title %q, then %q", a.Title, b.Title)
	}
	if d := diffSlices("tempo", a.Tempo, b.Tempo); d != "" {
		return d
	}
	if d := diffSlices("meter", a.Meters, b.Meters); d != "" {
		return d
	}
	if d := diffSlices("key", a.Keys, b.Keys); d != "" {
		return d
	}
	if d := diffSlices("marker", a.Markers, b.Markers); d != "" {
		return d
	}
	if len(a.Parts) != len(b.Parts) {
		return fmt.Sprintf("%d parts, then %d", len(a.Parts), len(b.Parts))
	}
	for i := range a.Parts {
		pa, pb := &a.Parts[i], &b.Parts[i]
		if pa.Name != pb.Name || pa.Role != pb.Role || pa.Channel != pb.Channel || pa.Program != pb.Program {
			return fmt.Sprintf("part %d: %q %q ch %d program %d, then %q %q ch %d program %d", i,
				pa.Name, pa.Role, pa.Channel, pa.Program, pb.Name, pb.Role, pb.Channel, pb.Program)
		}
		if pa.Volume != pb.Volume || pa.Pan != pb.Pan {
			return fmt.Sprintf("part %d: volume %d pan %d, then volume %d pan %d", i, pa.Volume, pa.Pan, pb.Volume, pb.Pan)
		}
		if len(pa.Notes) != len(pb.Notes) {
			return fmt.Sprintf("part %d: %d notes, then %d", i, len(pa.Notes), len(pb.Notes))
		}
		for j := range pa.Notes {
			na, nb := pa.Notes[j], pb.Notes[j]
			if na.Origin.String() != nb.Origin.String() {
				return fmt.Sprintf("part %d note %d: origin %v, then %v", i, j, na.Origin, nb.Origin)
			}
			na.Origin, nb.Origin = nil, nil
			if na != nb {
				return fmt.Sprintf("part %d note %d: %+v, then %+v", i, j, na, nb)
			}
		}
	}
	return ""
}

func diffSlices[T comparable](what string, a, b []T) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%s %d: %+v, then %+v", what, i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("%d %s events, then %d", len(a), what, len(b))
	}
	return ""
}
