package midi_test

import (
	"bytes"
	"fmt"
	"log"

	"sideman/format/midi"
	"sideman/music"
)

// A piece goes out as a Standard MIDI File and comes back as notes, with
// the ids and origins sideman recorded in it.
func Example() {
	origin := &music.Origin{Kind: music.HumanEntered, Who: "me"}
	p := &music.Piece{
		Title:  "Two notes",
		Tempo:  music.TempoMap{{At: 0, MicrosPerQuarter: 600000}}, // 100 bpm
		Meters: music.MeterMap{{At: 0, Meter: music.Meter{Num: 3, Den: 4}}},
		Parts: []music.Part{{
			Name: "Flute", Channel: 0, Program: 73,
			Notes: []music.Note{
				{ID: 1, Pitch: 72, Velocity: 90, Start: 0, Duration: music.PPQ, Origin: origin},
				{ID: 2, Pitch: 74, Velocity: 80, Start: music.PPQ, Duration: 2 * music.PPQ, Origin: origin},
			},
		}},
	}
	var file bytes.Buffer
	if err := midi.EncodePiece(&file, p); err != nil {
		log.Fatal(err)
	}

	f, err := midi.DecodeBytes(file.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	back := midi.PieceOptions{Provenance: true}.ToPiece(f, "two-notes.mid")
	fmt.Printf("%q at %.0f bpm in %v\n", back.Title, back.Tempo.At(0).BPM(), back.Meters.At(0))
	for _, part := range back.Parts {
		fmt.Printf("%s (program %d):\n", part.Name, part.Program)
		for _, n := range part.Notes {
			fmt.Printf("  note %d: key %d at %d for %d ticks, %v\n", n.ID, n.Pitch, n.Start, n.Duration, n.Origin)
		}
	}
	// Output:
	// "Two notes" at 100 bpm in 3/4
	// Flute (program 73):
	//   note 1: key 72 at 0 for 960 ticks, human-entered by me
	//   note 2: key 74 at 960 for 1920 ticks, human-entered by me
}

// The raw level lists a file's events as they are, with absolute ticks.
func ExampleDecodeBytes() {
	data := []byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60" + // format 0, 1 track, 96 ppq
		"MTrk\x00\x00\x00\x12" +
		"\x00\xff\x51\x03\x07\xa1\x20" + // tempo: 500000 µs a quarter
		"\x00\x90\x3c\x64" + // note-on C4
		"\x60\x3c\x00" + // a quarter later, note-on C4 velocity 0: running status, a note-off
		"\x00\xff\x2f\x00") // end of track
	f, err := midi.DecodeBytes(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("format", f.Format, "at", f.Division)
	t := &f.Tracks[0]
	for _, e := range t.Events {
		switch {
		case e.IsMeta() && e.MetaType() == midi.MetaTempo:
			us, _ := midi.ParseTempo(t.Payload(e))
			fmt.Println(e.Tick, "tempo", us)
		case e.IsNoteOn():
			fmt.Println(e.Tick, "note on", e.Data1, "channel", e.Channel())
		case e.IsNoteOff():
			fmt.Println(e.Tick, "note off", e.Data1)
		case e.IsMeta():
			fmt.Printf("%d meta %#x\n", e.Tick, e.MetaType())
		}
	}
	// Output:
	// format 0 at 96 ppq
	// 0 tempo 500000
	// 0 note on 60 channel 0
	// 96 note off 60
	// 96 meta 0x2f
}
