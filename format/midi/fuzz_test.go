package midi

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sideman/music"
)

// FuzzDecode decodes arbitrary bytes, starting from the files in testdata.
// Whatever decodes must encode, decode again to the same events, and make
// a Piece that survives EncodePiece and DecodePiece unchanged; whatever
// does not decode must give a *ParseError. Nothing may panic.
func FuzzDecode(f *testing.F) {
	for _, pat := range []string{"*.mid", "*.rmi", "*.golden"} {
		names, _ := filepath.Glob(filepath.Join("testdata", pat))
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		f1, err := DecodeBytes(data)
		if err != nil {
			var fe *ParseError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, f1); err != nil {
			t.Fatalf("Encode of a decoded file: %v", err)
		}
		f2, err := DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("decoding what Encode wrote: %v", err)
		}
		e1, e2 := rawEvents(f1), rawEvents(f2)
		for ti := range e1 {
			if ti < len(e2) && !endsTrack(f1.Tracks[ti]) {
				e2[ti] = e2[ti][:len(e2[ti])-1]
			}
		}
		if d := diffTracks(e1, e2); d != "" {
			t.Fatalf("raw round trip: %s", d)
		}

		// Provenance records in the input are data like any other: IDs
		// must come out unique and every note must have an origin.
		pp := PieceOptions{Provenance: true, IDs: music.NewIDs(1)}.ToPiece(f1, "fuzz")
		ids := map[music.NoteID]bool{}
		for _, part := range pp.Parts {
			for _, n := range part.Notes {
				if n.ID == 0 || ids[n.ID] || n.Origin == nil {
					t.Fatalf("note %+v: zero, repeated ID or no origin", n)
				}
				ids[n.ID] = true
			}
		}

		p1 := ToPiece(f1, "fuzz")
		buf.Reset()
		if err := EncodePiece(&buf, p1); err != nil {
			// Rescaled to 960 ticks a quarter, the gaps of a file at a
			// coarse division can outgrow what a delta time holds.
			if !strings.Contains(err.Error(), "delta time") {
				t.Fatalf("EncodePiece of a decoded piece: %v", err)
			}
			return
		}
		p2, err := (&Decoder{Source: "fuzz"}).DecodePiece(&buf)
		if err != nil {
			t.Fatalf("decoding what EncodePiece wrote: %v", err)
		}
		if d := diffPieces(p1, p2); d != "" {
			t.Fatalf("piece round trip: %s", d)
		}
	})
}
