package midi

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"sideman/music"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current encoder")

// goldenPiece is a small piece with one of everything EncodePiece writes:
// a two-bar bossa sketch in C minor with a tempo change, a meter change, a
// key change, markers, a bass, a piano chord written high to low, a note
// repeated without a gap, two notes of one pitch starting together, a grace
// note of no length, and a drum part.
func goldenPiece() *music.Piece {
	o := &music.Origin{Kind: music.HumanEntered, Who: "test"}
	q := music.Ticks(music.PPQ)
	n := func(id music.NoteID, pitch uint8, ch uint8, start, dur music.Ticks, vel uint8) music.Note {
		return music.Note{ID: id, Pitch: pitch, Velocity: vel, Channel: ch, Start: start, Duration: dur, Origin: o}
	}
	cm, _ := music.ParseKey("Cm")
	eb, _ := music.ParseKey("Eb")
	p := &music.Piece{
		Title:   "Golden",
		Tempo:   music.TempoMap{{At: 0, MicrosPerQuarter: 500000}, {At: 4 * q, MicrosPerQuarter: 600000}},
		Meters:  music.MeterMap{{At: 0, Meter: music.Meter{Num: 4, Den: 4}}, {At: 4 * q, Meter: music.Meter{Num: 6, Den: 8}}},
		Keys:    []music.KeyChange{{At: 0, Key: cm}, {At: 4 * q, Key: eb}},
		Markers: []music.Marker{{At: 0, Text: "A"}, {At: 4 * q, Text: "B"}},
		Parts: []music.Part{
			{Name: "Bass", Channel: 1, Program: 32, Notes: []music.Note{
				n(1, 36, 1, 0, q, 90),
				n(2, 36, 1, q, q, 80), // repeated without a gap
				n(3, 43, 1, 2*q, 2*q, 85),
			}},
			{Name: "Piano", Channel: 0, Program: 0, Notes: []music.Note{
				n(4, 63, 0, 0, 2*q, 60),
				n(5, 60, 0, 0, 2*q, 60), // chord given high to low
				n(6, 67, 0, 0, q, 70),
				n(7, 67, 0, 0, 2*q, 50), // same pitch, same start, longer
				n(8, 70, 0, 4*q, 0, 40), // grace note of no length
				n(9, 70, 0, 4*q, q/2, 64),
			}},
			{Name: "Drums", Role: "drums", Channel: 9, Program: -1, Notes: []music.Note{
				n(10, 36, 9, 0, q/8, 100),
				n(11, 42, 9, q/2, q/8, 70),
			}},
		},
	}
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			p.Parts[i].Notes[j].Part = int16(i)
		}
	}
	return p
}

// TestEncodePieceGolden compares EncodePiece's output byte for byte with
// testdata/piece.golden (regenerate with go test -update after checking
// the change is wanted), and reads it back.
func TestEncodePieceGolden(t *testing.T) {
	p := goldenPiece()
	var buf bytes.Buffer
	if err := EncodePiece(&buf, p); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/piece.golden"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("EncodePiece wrote %d bytes differing from %s (%d bytes):\n got %x\nwant %x", buf.Len(), golden, len(want), buf.Bytes(), want)
	}

	// Reading it back gives the notes in the Piece's order (start, then
	// pitch) with no IDs (the caller's to give) and an imported origin,
	// and everything else as it was.
	got, err := (&Decoder{Source: "golden"}).DecodePiece(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	exp := goldenPiece()
	imported := got.Parts[0].Notes[0].Origin
	for i := range exp.Parts {
		music.SortNotes(exp.Parts[i].Notes)
		for j := range exp.Parts[i].Notes {
			exp.Parts[i].Notes[j].ID = 0
			exp.Parts[i].Notes[j].Origin = imported
		}
	}
	if d := diffPieces(exp, got); d != "" {
		t.Error(d)
	}
}

// TestProvenance reads back the note IDs, origins and roles EncodePiece
// records, and checks that a file whose notes no longer match its record
// falls back to new IDs and the imported origin.
func TestProvenance(t *testing.T) {
	p := goldenPiece()
	human := p.Parts[0].Notes[0].Origin
	machine := music.Derived("improv/vary", "seed=7", 1, 2)
	processed := human.Processed("humanize", "feel/apply", "profile=swing")
	p.Parts[1].Notes[0].Origin = machine
	p.Parts[1].Notes[1].Origin = machine
	p.Parts[1].Notes[2].Origin = processed
	p.Parts[1].Notes[3].ID = 1000
	p.Parts[0].Role = "bass"
	var buf bytes.Buffer
	if err := EncodePiece(&buf, p); err != nil {
		t.Fatal(err)
	}
	f, err := DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := PieceOptions{Provenance: true}.ToPiece(f, "back.mid")
	for i := range p.Parts {
		music.SortNotes(p.Parts[i].Notes)
	}
	if d := diffPieces(p, got); d != "" {
		t.Fatal(d)
	}
	// Notes that shared an Origin share one again.
	g := got.Parts[1].Notes
	if g[0].Origin != g[1].Origin || g[0].Origin.Kind != music.MachineTransformed || !slices.Equal(g[0].Origin.DerivedFrom, []music.NoteID{1, 2}) {
		t.Errorf("derived origins %p %p %v", g[0].Origin, g[1].Origin, g[0].Origin)
	}
	if got.Parts[0].Role != "bass" || got.Parts[2].Role != "drums" {
		t.Errorf("roles %q %q, want bass, drums", got.Parts[0].Role, got.Parts[2].Role)
	}
	// Without the option, the role comes back but not the IDs and origins:
	// the notes are new, to be numbered by the caller.
	plain := ToPiece(f, "back.mid")
	if plain.Parts[0].Role != "bass" || plain.Parts[1].Notes[0].Origin.Kind != music.Imported || plain.MaxID() != 0 {
		t.Errorf("plain read: role %q, origin %v, max ID %d", plain.Parts[0].Role, plain.Parts[1].Notes[0].Origin, plain.MaxID())
	}

	// Drop the bass's last note-on and note-off: the two notes left still
	// match their record and keep their ids and origins
	// (TestProvenanceEditedTrack edits more).
	tr := &f.Tracks[1]
	tr.Events = slices.DeleteFunc(tr.Events, func(e Event) bool { return e.Data1 == 43 && e.Status&0xE0 == 0x80 })
	got = PieceOptions{Provenance: true}.ToPiece(f, "edited.mid")
	bass := got.Parts[0].Notes
	if len(bass) != 2 || bass[0].Origin.Kind != music.HumanEntered || bass[0].ID != 1 || bass[1].ID != 2 {
		t.Errorf("edited bass: %+v", bass)
	}
	// Sorted by pitch, the piano's C (ID 5) comes before its Eb (ID 4).
	if n := got.Parts[1].Notes[1]; n.ID != 4 || n.Origin.Kind != music.MachineTransformed {
		t.Errorf("piano should keep its record: %+v", n)
	}
}

// TestProvenanceIDs reads files with a project's IDs: a file sideman
// wrote keeps its recorded ids, and the ids handed out next lie above
// them; a file without records takes its ids from the project's, so two
// files read into one project share none.
func TestProvenanceIDs(t *testing.T) {
	p := goldenPiece()
	base := music.NoteID(1) << 40
	for i := range p.Parts {
		for j := range p.Parts[i].Notes {
			p.Parts[i].Notes[j].ID += base
		}
	}
	var buf bytes.Buffer
	if err := EncodePiece(&buf, p); err != nil {
		t.Fatal(err)
	}
	f, err := DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ids := music.NewIDs(7)
	got := PieceOptions{Provenance: true, IDs: ids}.ToPiece(f, "back.mid")
	for i := range p.Parts {
		music.SortNotes(p.Parts[i].Notes)
	}
	if d := diffPieces(p, got); d != "" {
		t.Fatal(d)
	}
	if next := ids.Next(); next != p.MaxID()+1 {
		t.Errorf("next id %d, want %d: above the file's", next, p.MaxID()+1)
	}
	seen := map[music.NoteID]bool{}
	for _, q := range []*music.Piece{got, PieceOptions{IDs: ids}.ToPiece(f, "again.mid"), PieceOptions{IDs: ids}.ToPiece(f, "third.mid")} {
		for _, part := range q.Parts {
			for _, n := range part.Notes {
				if seen[n.ID] {
					t.Fatalf("%s: id %d already read", n.Origin.Source, n.ID)
				}
				seen[n.ID] = true
			}
		}
	}
}

// TestEncodePieceErrors checks that what a file cannot hold is refused.
func TestEncodePieceErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(p *music.Piece)
		msg  string
	}{
		{"pitch", func(p *music.Piece) { p.Parts[0].Notes[0].Pitch = 128 }, "pitch 128"},
		{"channel", func(p *music.Piece) { p.Parts[0].Channel = 16 }, "channel 16"},
		{"note channel", func(p *music.Piece) { p.Parts[0].Notes[1].Channel = 16 }, "channel 16"},
		{"program", func(p *music.Piece) { p.Parts[1].Program = 128 }, "program 128"},
		{"volume", func(p *music.Piece) { p.Parts[1].Volume = 128 }, "volume 128"},
		{"pan", func(p *music.Piece) { p.Parts[1].Pan = 64 }, "pan 64"},
		{"negative start", func(p *music.Piece) { p.Parts[0].Notes[0].Start = -1 }, "start -1"},
		{"tempo", func(p *music.Piece) { p.Tempo[0].MicrosPerQuarter = 0 }, "tempo of 0"},
		{"meter", func(p *music.Piece) { p.Meters[0].Meter.Den = 3 }, "meter 4/3"},
		{"gap", func(p *music.Piece) { p.Parts[0].Notes[2].Start = 1 << 40 }, "delta time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := goldenPiece()
			tc.edit(p)
			err := EncodePiece(&bytes.Buffer{}, p)
			if err == nil || !strings.HasPrefix(err.Error(), "midi: ") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want one saying %q", err, tc.msg)
			}
		})
	}
}

// TestKeySignature checks the key signatures written for keys a signature
// does not name directly.
func TestKeySignature(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want KeySignature
	}{
		{"C", KeySignature{0, false}},
		{"Am", KeySignature{0, true}},
		{"Eb", KeySignature{-3, false}},
		{"F#m", KeySignature{3, true}},
		{"D dorian", KeySignature{0, false}}, // same signature as C major
		{"G#", KeySignature{-4, false}},      // eight sharps: written as Ab
		{"Fb", KeySignature{4, false}},       // eight flats: written as E
	} {
		if got := keySignature(mustKey(t, tc.key)); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.key, got, tc.want)
		}
	}
}

// TestEncodeRaw checks the raw writer on events built by hand: running
// status, the End of Track it adds, and refusals.
func TestEncodeRaw(t *testing.T) {
	var tr Track
	tr.AddText(0, MetaTrackName, "x")
	tr.Add(0, NoteOn, 60, 100)
	tr.Add(0, NoteOn, 64, 100)
	tr.AddSysex(10, Sysex, []byte{0x7e, 0x7f, 0x09, 0x01, 0xf7})
	tr.Add(20, NoteOn, 60, 0)
	tr.Add(20, ProgramChange|1, 5, 99) // Data2 of a program change is dropped
	f := &File{Format: 0, Division: 96, Tracks: []Track{tr}}
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	want := "MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk\x00\x00\x00\x1f" +
		"\x00\xff\x03\x01x" + "\x00\x90\x3c\x64" + "\x00\x40\x64" + // running status
		"\x0a\xf0\x05\x7e\x7f\x09\x01\xf7" + "\x0a\x90\x3c\x00" + // sysex cancels it
		"\x00\xc1\x05" + "\x00\xff\x2f\x00" // End of Track added
	if buf.String() != want {
		t.Errorf("got  %x\nwant %x", buf.Bytes(), want)
	}

	for _, tc := range []struct {
		name string
		f    File
		msg  string
	}{
		{"format", File{Format: 3, Division: 96}, "format 3"},
		{"division", File{Division: 0}, "division of 0"},
		{"order", File{Division: 96, Tracks: []Track{{Events: []Event{{Tick: 5, Status: 0x90, Data1: 1, Data2: 1}, {Tick: 4, Status: 0x80}}}}}, "comes after tick 5"},
		{"data", File{Division: 96, Tracks: []Track{{Events: []Event{{Status: 0x90, Data1: 200}}}}}, "above 0x7F"},
		{"status", File{Division: 96, Tracks: []Track{{Events: []Event{{Status: 0x10}}}}}, "is a data byte"},
		{"system", File{Division: 96, Tracks: []Track{{Events: []Event{{Status: 0xF8}}}}}, "not allowed"},
		{"payload", File{Division: 96, Tracks: []Track{{Events: []Event{{Status: Meta, Data1: 1}}}}}, "payload not in this track"},
	} {
		if err := Encode(&bytes.Buffer{}, &tc.f); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.msg)
		}
	}

	// Events copied between tracks keep their payloads.
	var copyTr Track
	for _, e := range tr.Events {
		copyTr.AddEvent(e, &tr)
	}
	f2 := &File{Division: 96, Tracks: []Track{copyTr}}
	var buf2 bytes.Buffer
	if err := Encode(&buf2, f2); err != nil || buf2.String() != want {
		t.Errorf("copied track: %v\n got %x\nwant %x", err, buf2.Bytes(), want)
	}
}
