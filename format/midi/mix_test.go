package midi

import (
	"bytes"
	"testing"
)

// TestPartMix writes parts with a volume and a pan and checks the file
// (controllers 7 and 10 at tick 0 on the part's channel, after its
// program, both when either is set, none for a part without a mix) and
// that reading it back gives the same parts.
func TestPartMix(t *testing.T) {
	p := goldenPiece()
	p.Parts[0].Volume, p.Parts[0].Pan = 96, -20 // bass: both
	p.Parts[1].Volume, p.Parts[1].Pan = 0, 30   // piano: pan only
	p.Parts[2].Volume, p.Parts[2].Pan = 0, 0    // drums: none
	f, err := FromPiece(p)
	if err != nil {
		t.Fatal(err)
	}
	type cc struct{ ch, num, val byte }
	want := [][]cc{nil, {{p.Parts[0].Channel, 7, 96}, {p.Parts[0].Channel, 10, 44}}, {{p.Parts[1].Channel, 10, 94}}, nil}
	for ti, tr := range f.Tracks {
		var got []cc
		program := -1
		for i, e := range tr.Events {
			switch e.Status & 0xF0 {
			case ProgramChange:
				program = i
			case ControlChange:
				if e.Tick != 0 || i < program {
					t.Errorf("track %d: controller %d at tick %d, event %d (program at %d); want at 0 after the program", ti, e.Data1, e.Tick, i, program)
				}
				got = append(got, cc{e.Status & 0x0F, e.Data1, e.Data2})
			}
		}
		if len(got) != len(want[ti]) {
			t.Fatalf("track %d: controllers %v, want %v", ti, got, want[ti])
		}
		for i := range got {
			if got[i] != want[ti][i] {
				t.Errorf("track %d: controllers %v, want %v", ti, got, want[ti])
			}
		}
	}
	var buf bytes.Buffer
	if err := EncodePiece(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := (&Decoder{Source: "mix.mid"}).DecodePiece(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Parts {
		a, b := p.Parts[i], back.Parts[i]
		if a.Volume != b.Volume || a.Pan != b.Pan {
			t.Errorf("part %d: volume %d pan %d, read back as %d and %d", i, a.Volume, a.Pan, b.Volume, b.Pan)
		}
	}
}

// TestReadMix reads the first volume and pan of each channel of a track,
// not later ones (automation a part does not keep), and a first volume of
// 0 as none.
func TestReadMix(t *testing.T) {
	f := &File{Format: 1, Division: 480, Tracks: make([]Track, 2)}
	tr := &f.Tracks[1]
	tr.Add(0, ControlChange|0, 7, 110)
	tr.Add(0, ControlChange|0, 10, 0)
	tr.Add(0, ControlChange|1, 7, 0)
	tr.Add(0, ControlChange|1, 10, 127)
	tr.Add(0, NoteOn|0, 60, 90)
	tr.Add(0, NoteOn|1, 40, 90)
	tr.Add(240, ControlChange|0, 7, 20)
	tr.Add(240, ControlChange|1, 7, 100)
	tr.Add(480, NoteOff|0, 60, 64)
	tr.Add(480, NoteOff|1, 40, 64)
	p := ToPiece(f, "mix.mid")
	if len(p.Parts) != 2 {
		t.Fatalf("%d parts, want 2", len(p.Parts))
	}
	if a := p.Parts[0]; a.Volume != 110 || a.Pan != -64 {
		t.Errorf("channel 1: volume %d pan %d, want 110 and -64", a.Volume, a.Pan)
	}
	if b := p.Parts[1]; b.Volume != 0 || b.Pan != 63 {
		t.Errorf("channel 2: volume %d pan %d, want 0 (none) and 63", b.Volume, b.Pan)
	}
}
