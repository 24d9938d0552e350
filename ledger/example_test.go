package ledger_test

import (
	"context"
	"crypto/ed25519"
	"fmt"

	"sideman/ledger"
	"sideman/music"
)

func Example() {
	ctx := context.Background()
	pub, key, _ := ed25519.GenerateKey(nil) // the user's key, kept outside the project
	l := ledger.New(ledger.NewMemStore())

	// A person plays two notes; the band answers with a bass note; the
	// person moves the bass note up a tone. Each command's records are
	// signed as they are appended.
	l.AppendSigned(ctx, key, ledger.Record{Actor: ledger.Human, Op: ledger.Capture, Source: ledger.DigitalCapture,
		Notes: []music.NoteID{1, 2}, After: []ledger.NoteState{{Part: 0, Tick: 0, Dur: 960, Pitch: 64, Vel: 80}, {Part: 0, Tick: 960, Dur: 960, Pitch: 67, Vel: 80}}})
	bass := ledger.NoteState{Part: 1, Tick: 0, Dur: 1920, Pitch: 36, Vel: 90}
	l.AppendSigned(ctx, key, ledger.Record{Actor: ledger.Machine, Op: ledger.Generate, Source: ledger.AlgorithmicMedia,
		Gen:   &ledger.Generation{Generator: "band/walkingbass", Seed: "7", From: []music.NoteID{1, 2}},
		Notes: []music.NoteID{3}, After: []ledger.NoteState{bass}})
	moved := bass
	moved.Pitch = 38
	l.AppendSigned(ctx, key, ledger.Record{Actor: ledger.Human, Op: ledger.Modify, Source: ledger.HumanEdits,
		Notes: []music.NoteID{3}, Before: []ledger.NoteState{bass}, After: []ledger.NoteState{moved}})

	v, err := ledger.Verify(ctx, l.Store(), pub, "")
	fmt.Println(v.Records, "records,", v.Checkpoints, "checkpoints, error:", err)
	for n, err := range ledger.Notes(l.Records(ctx, 0)) {
		if err != nil {
			panic(err)
		}
		fmt.Println("note", n.ID, n.Class, n.HumanFields)
	}
	// Output:
	// 6 records, 3 checkpoints, error: <nil>
	// note 1 H []
	// note 2 H []
	// note 3 M+h [pitch]
}
